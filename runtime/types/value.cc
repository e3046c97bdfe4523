#include "runtime/types/value.h"

#include <algorithm>
#include <cmath>
#include <ctime>
#include <functional>

#include <fmt/format.h>

namespace fsql {

std::string FormatTimestampMillis(int64_t millis, int precision) {
  // Floor division that cannot overflow near INT64_MIN.
  int64_t seconds = millis / 1000;
  int64_t fraction = millis % 1000;
  if (fraction < 0) {
    --seconds;
    fraction += 1000;
  }
  std::time_t t = static_cast<std::time_t>(seconds);
  std::tm parts{};
  gmtime_r(&t, &parts);
  std::string out = fmt::format("{:04}-{:02}-{:02} {:02}:{:02}:{:02}", parts.tm_year + 1900,
                                parts.tm_mon + 1, parts.tm_mday, parts.tm_hour, parts.tm_min,
                                parts.tm_sec);
  if (precision > 0) {
    std::string digits = fmt::format("{:03}", fraction);
    digits.resize(static_cast<size_t>(precision), '0');
    out += "." + digits;
  }
  return out;
}

namespace {

const DataType& ElementType(const DataType& type, size_t child) {
  static const DataType kNullType = DataType::Of(TypeId::kNull);
  return child < type.children.size() ? type.children[child] : kNullType;
}

}  // namespace

std::string Value::ToString(const DataType& type) const {
  if (is_null()) return "NULL";
  if (is_decimal()) return DecimalToString(as_decimal().unscaled, as_decimal().scale);
  switch (type.id) {
    case TypeId::kBoolean:
      return as_bool() ? "TRUE" : "FALSE";
    case TypeId::kFloat:
    case TypeId::kDouble:
      return fmt::format("{}", is_int() ? static_cast<double>(as_int()) : as_double());
    case TypeId::kArray: {
      std::string out = "[";
      const std::vector<Value>& elements = as_array().elements;
      for (size_t i = 0; i < elements.size(); ++i) {
        if (i > 0) out += ", ";
        out += elements[i].ToString(ElementType(type, 0));
      }
      return out + "]";
    }
    case TypeId::kMap:
    case TypeId::kMultiset: {
      // A MULTISET prints as the map from each element to its count, as Flink prints it.
      DataType count_type = DataType::Of(TypeId::kInt, false);
      const DataType& value_type = type.id == TypeId::kMap ? ElementType(type, 1) : count_type;
      std::string out = "{";
      const MapValues& map = as_map();
      for (size_t i = 0; i < map.keys.size(); ++i) {
        if (i > 0) out += ", ";
        out += map.keys[i].ToString(ElementType(type, 0)) + "=" + map.values[i].ToString(value_type);
      }
      return out + "}";
    }
    case TypeId::kTimestamp:
    case TypeId::kTimestampLtz:
      return FormatTimestampMillis(as_int(), type.precision);
    case TypeId::kDate:
      // Days since the epoch, printed as Flink prints a DATE.
      return FormatTimestampMillis(as_int() * 86'400'000, 0).substr(0, 10);
    case TypeId::kTime:
      // Milliseconds since midnight.
      return FormatTimestampMillis(as_int(), type.precision).substr(11);
    case TypeId::kString:
    case TypeId::kBytes:
      return as_string();
    case TypeId::kRow: {
      std::string out = "(";
      const RowValues& row = as_row();
      for (size_t i = 0; i < row.size(); ++i) {
        if (i > 0) out += ", ";
        out += row[i].ToString(type.fields.at(i).type);
      }
      return out + ")";
    }
    default:
      if (is_int()) return fmt::format("{}", as_int());
      if (is_array() || is_map()) return "<collection>";
      if (is_double()) return fmt::format("{}", as_double());
      if (is_bool()) return as_bool() ? "TRUE" : "FALSE";
      return as_string();
  }
}

namespace {

double NumericAsDouble(const Value& v) {
  if (v.is_int()) return static_cast<double>(v.as_int());
  if (v.is_decimal()) return DecimalToDouble(v.as_decimal().unscaled, v.as_decimal().scale);
  return v.as_double();
}

template <typename T>
int CompareLists(const std::vector<T>& x, const std::vector<T>& y) {
  for (size_t i = 0; i < x.size() && i < y.size(); ++i) {
    int c = CompareValues(x[i], y[i]);
    if (c != 0) return c;
  }
  return x.size() < y.size() ? -1 : (x.size() > y.size());
}

/// Returns the entry positions of a map ordered by key, so that maps compare
/// regardless of insertion order, as Flink's map equality does.
std::vector<size_t> SortedEntries(const MapValues& map) {
  std::vector<size_t> order(map.keys.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::sort(order.begin(), order.end(),
            [&](size_t l, size_t r) { return CompareValues(map.keys[l], map.keys[r]) < 0; });
  return order;
}

int CompareMaps(const MapValues& x, const MapValues& y) {
  std::vector<size_t> x_order = SortedEntries(x);
  std::vector<size_t> y_order = SortedEntries(y);
  for (size_t i = 0; i < x_order.size() && i < y_order.size(); ++i) {
    int c = CompareValues(x.keys[x_order[i]], y.keys[y_order[i]]);
    if (c == 0) c = CompareValues(x.values[x_order[i]], y.values[y_order[i]]);
    if (c != 0) return c;
  }
  return x_order.size() < y_order.size() ? -1 : (x_order.size() > y_order.size());
}

}  // namespace

int CompareValues(const Value& a, const Value& b) {
  if (a.is_null() || b.is_null()) return a.is_null() == b.is_null() ? 0 : (a.is_null() ? -1 : 1);
  if (a.is_int() && b.is_int()) return a.as_int() < b.as_int() ? -1 : (a.as_int() > b.as_int());
  if (a.is_decimal() || b.is_decimal()) {
    if ((a.is_decimal() || a.is_int()) && (b.is_decimal() || b.is_int())) {
      DecimalValue x = a.is_decimal() ? a.as_decimal() : DecimalValue{a.as_int(), 0};
      DecimalValue y = b.is_decimal() ? b.as_decimal() : DecimalValue{b.as_int(), 0};
      return DecimalCompare(x.unscaled, x.scale, y.unscaled, y.scale);
    }
  }
  bool a_numeric = a.is_int() || a.is_double() || a.is_decimal();
  bool b_numeric = b.is_int() || b.is_double() || b.is_decimal();
  if (a_numeric && b_numeric) {
    double x = NumericAsDouble(a);
    double y = NumericAsDouble(b);
    return x < y ? -1 : (x > y);
  }
  if (a.is_array() && b.is_array()) return CompareLists(a.as_array().elements, b.as_array().elements);
  if (a.is_map() && b.is_map()) return CompareMaps(a.as_map(), b.as_map());
  if (a.is_bool() && b.is_bool()) return static_cast<int>(a.as_bool()) - static_cast<int>(b.as_bool());
  if (a.is_string() && b.is_string()) {
    int c = a.as_string().compare(b.as_string());
    return c < 0 ? -1 : (c > 0);
  }
  return CompareLists(a.as_row(), b.as_row());
}

bool ValuesEqual(const Value& a, const Value& b) { return CompareValues(a, b) == 0; }

uint64_t HashValue(const Value& v, uint64_t seed) {
  auto mix = [](uint64_t h, uint64_t x) {
    h ^= x + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2);
    return h;
  };
  if (v.is_null()) return mix(seed, 0x6e756c6cULL);
  if (v.is_int()) return mix(seed, std::hash<int64_t>{}(v.as_int()));
  if (v.is_double()) {
    double d = v.as_double();
    // Integral doubles hash like the equal integer, because CompareValues calls them equal.
    if (std::trunc(d) == d && std::fabs(d) < 9.2e18) return mix(seed, std::hash<int64_t>{}(static_cast<int64_t>(d)));
    return mix(seed, std::hash<double>{}(d));
  }
  if (v.is_decimal()) {
    // Equal values hash alike across scales and with equal integers and doubles,
    // because CompareValues calls them equal.
    const DecimalValue& d = v.as_decimal();
    Int128 unit = DecimalPow10(d.scale);
    if (d.unscaled % unit == 0) {
      Int128 integral = d.unscaled / unit;
      if (integral >= INT64_MIN && integral <= INT64_MAX) {
        return mix(seed, std::hash<int64_t>{}(static_cast<int64_t>(integral)));
      }
    }
    return mix(seed, std::hash<double>{}(DecimalToDouble(d.unscaled, d.scale)));
  }
  if (v.is_bool()) return mix(seed, v.as_bool() ? 1 : 2);
  if (v.is_string()) return mix(seed, std::hash<std::string>{}(v.as_string()));
  if (v.is_array()) {
    uint64_t h = mix(seed, 0x61727261ULL);
    for (const Value& element : v.as_array().elements) h = HashValue(element, h);
    return h;
  }
  if (v.is_map()) {
    // Order-independent, as map equality is.
    const MapValues& map = v.as_map();
    uint64_t sum = 0;
    for (size_t i = 0; i < map.keys.size(); ++i) sum += HashValue(map.values[i], HashValue(map.keys[i], 0));
    return mix(seed, sum ^ 0x6d6170ULL);
  }
  uint64_t h = seed;
  for (const Value& field : v.as_row()) h = HashValue(field, h);
  return h;
}

}  // namespace fsql
