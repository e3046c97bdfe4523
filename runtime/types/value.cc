#include "runtime/types/value.h"

#include <cmath>
#include <ctime>
#include <functional>

#include <fmt/format.h>

namespace fsql {

std::string FormatTimestampMillis(int64_t millis, int precision) {
  // Floor division that cannot overflow near INT64_MIN.
  int64_t seconds = millis / 1000;
  if (millis % 1000 < 0) --seconds;
  int64_t fraction = millis - seconds * 1000;
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

std::string Value::ToString(const DataType& type) const {
  if (is_null()) return "NULL";
  switch (type.id) {
    case TypeId::kBoolean:
      return as_bool() ? "TRUE" : "FALSE";
    case TypeId::kFloat:
    case TypeId::kDouble:
    case TypeId::kDecimal:
      return fmt::format("{}", as_double());
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
      if (is_double()) return fmt::format("{}", as_double());
      if (is_bool()) return as_bool() ? "TRUE" : "FALSE";
      return as_string();
  }
}

int CompareValues(const Value& a, const Value& b) {
  if (a.is_null() || b.is_null()) return a.is_null() == b.is_null() ? 0 : (a.is_null() ? -1 : 1);
  if (a.is_int() && b.is_int()) return a.as_int() < b.as_int() ? -1 : (a.as_int() > b.as_int());
  if ((a.is_int() || a.is_double()) && (b.is_int() || b.is_double())) {
    double x = a.is_int() ? static_cast<double>(a.as_int()) : a.as_double();
    double y = b.is_int() ? static_cast<double>(b.as_int()) : b.as_double();
    return x < y ? -1 : (x > y);
  }
  if (a.is_bool() && b.is_bool()) return static_cast<int>(a.as_bool()) - static_cast<int>(b.as_bool());
  if (a.is_string() && b.is_string()) {
    int c = a.as_string().compare(b.as_string());
    return c < 0 ? -1 : (c > 0);
  }
  const auto& x = a.as_row();
  const auto& y = b.as_row();
  for (size_t i = 0; i < x.size() && i < y.size(); ++i) {
    int c = CompareValues(x[i], y[i]);
    if (c != 0) return c;
  }
  return x.size() < y.size() ? -1 : (x.size() > y.size());
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
  if (v.is_bool()) return mix(seed, v.as_bool() ? 1 : 2);
  if (v.is_string()) return mix(seed, std::hash<std::string>{}(v.as_string()));
  uint64_t h = seed;
  for (const Value& field : v.as_row()) h = HashValue(field, h);
  return h;
}

}  // namespace fsql
