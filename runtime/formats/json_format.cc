#include "runtime/formats/json_format.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <ctime>

#include <fmt/format.h>
#include <simdjson.h>

#include "runtime/common/error.h"

namespace fsql {

namespace {

/// Thrown inside the decoder; Decode() adds the record's coordinates.
struct FieldError {
  std::string reason;
};

std::string JsonKindName(simdjson::dom::element_type type) {
  switch (type) {
    case simdjson::dom::element_type::ARRAY: return "an array";
    case simdjson::dom::element_type::OBJECT: return "an object";
    case simdjson::dom::element_type::INT64:
    case simdjson::dom::element_type::UINT64:
    case simdjson::dom::element_type::DOUBLE: return "a number";
    case simdjson::dom::element_type::STRING: return "a string";
    case simdjson::dom::element_type::BOOL: return "a boolean";
    case simdjson::dom::element_type::NULL_VALUE: return "null";
  }
  return "an unknown value";
}

[[noreturn]] void WrongType(const std::string& path, const DataType& type, simdjson::dom::element element) {
  std::string text = simdjson::minify(element);
  if (text.size() > 40) text = text.substr(0, 37) + "...";
  throw FieldError{fmt::format("field '{}' is {} ({}), expected {}", path, JsonKindName(element.type()), text,
                               type.ToString())};
}

template <typename PathFn>
int64_t IntegerRange(const DataType& type, int64_t value, const PathFn& path) {
  int64_t min = INT64_MIN, max = INT64_MAX;
  if (type.id == TypeId::kTinyInt) { min = INT8_MIN; max = INT8_MAX; }
  if (type.id == TypeId::kSmallInt) { min = INT16_MIN; max = INT16_MAX; }
  if (type.id == TypeId::kInt) { min = INT32_MIN; max = INT32_MAX; }
  if (value < min || value > max) {
    throw FieldError{fmt::format("field '{}' value {} is out of range for {}", path(), value, type.ToString())};
  }
  return value;
}

/// The record text, for the numbers that must not pass through the double the
/// DOM parser stores: an On-Demand parser finds their original token by JSON
/// pointer. It parses the text only when a record has such a number.
class RawNumbers {
 public:
  void Reset(std::string_view text) {
    text_ = text;
    padded_.reset();
  }

  /// Returns the token of the number at `pointer`, or "" when it is not found.
  std::string_view Token(const std::string& pointer) {
    if (!padded_) padded_.emplace(text_);
    simdjson::ondemand::document document;
    if (parser_.iterate(*padded_).get(document)) return {};
    simdjson::ondemand::value value;
    if (document.at_pointer(pointer).get(value)) return {};
    std::string_view token = value.raw_json_token();
    while (!token.empty() && std::isspace(static_cast<unsigned char>(token.back()))) token.remove_suffix(1);
    return token;
  }

 private:
  std::string_view text_;
  std::optional<simdjson::padded_string> padded_;
  simdjson::ondemand::parser parser_;
};

/// Copies JSON `text` with every integer token of more than 19 digits turned
/// into a string.
std::string QuoteWideIntegers(std::string_view text) {
  std::string out;
  out.reserve(text.size() + 16);
  bool in_string = false;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (in_string) {
      out += c;
      if (c == '\\' && i + 1 < text.size()) {
        out += text[++i];
      } else if (c == '"') {
        in_string = false;
      }
      continue;
    }
    if (c == '"') {
      in_string = true;
      out += c;
      continue;
    }
    if (c != '-' && !std::isdigit(static_cast<unsigned char>(c))) {
      out += c;
      continue;
    }
    size_t end = i + 1;
    while (end < text.size() && (std::isdigit(static_cast<unsigned char>(text[end])) || text[end] == '.' ||
                                 text[end] == 'e' || text[end] == 'E' || text[end] == '+' || text[end] == '-')) {
      ++end;
    }
    std::string_view token = text.substr(i, end - i);
    size_t digits = std::count_if(token.begin(), token.end(), [](char d) { return d >= '0' && d <= '9'; });
    bool integer = token.find_first_of(".eE") == std::string_view::npos;
    if (integer && digits > 19) {
      out += '"';
      out += token;
      out += '"';
    } else {
      out += token;
    }
    i = end - 1;
  }
  return out;
}

/// The position of a value in the record, as a link to its parent. Path()
/// names it in messages and Pointer() is its RFC 6901 JSON pointer. Both are
/// built only when asked for, which is on errors and for raw number tokens,
/// because building them for every field of every record cost more than
/// converting the values. A place refers to its parent and its name, so it
/// must not outlive them.
struct ElementPlace {
  enum class Kind { kRoot, kField, kIndex, kKey };
  Kind kind = Kind::kRoot;
  const ElementPlace* parent = nullptr;
  std::string_view name;  // kField
  size_t index = 0;       // kIndex
  RawNumbers* raw = nullptr;

  static ElementPlace Root(RawNumbers* raw) { return {Kind::kRoot, nullptr, {}, 0, raw}; }
  ElementPlace Field(std::string_view field) const { return {Kind::kField, this, field, 0, raw}; }
  ElementPlace Index(size_t i) const { return {Kind::kIndex, this, {}, i, raw}; }
  /// The key of a map entry, read from its own text: named like the entry, with a pointer into `key_raw`.
  ElementPlace Key(RawNumbers* key_raw) const { return {Kind::kKey, this, {}, 0, key_raw}; }

  std::string Path() const {
    switch (kind) {
      case Kind::kRoot:
        return "";
      case Kind::kField: {
        std::string parent_path = parent->Path();
        return parent_path.empty() ? std::string(name) : parent_path + "." + std::string(name);
      }
      case Kind::kIndex:
        return fmt::format("{}[{}]", parent->Path(), index);
      case Kind::kKey:
        return parent->Path();
    }
    return "";
  }

  std::string Pointer() const {
    switch (kind) {
      case Kind::kRoot:
      case Kind::kKey:
        return "";
      case Kind::kField: {
        std::string out = parent->Pointer() + "/";
        for (char c : name) {
          if (c == '~') {
            out += "~0";
          } else if (c == '/') {
            out += "~1";
          } else {
            out += c;
          }
        }
        return out;
      }
      case Kind::kIndex:
        return fmt::format("{}/{}", parent->Pointer(), index);
    }
    return "";
  }
};

Value ConvertElement(simdjson::dom::element element, const DataType& type, const ElementPlace& place);

Value ConvertDecimal(simdjson::dom::element element, const DataType& type, const ElementPlace& place) {
  std::string_view text;
  int64_t integer;
  std::string token_copy;
  if (!element.get_int64().get(integer)) {
    token_copy = std::to_string(integer);
    text = token_copy;
  } else if (element.is_number()) {
    text = place.raw->Token(place.Pointer());
    if (text.empty()) throw FieldError{fmt::format("field '{}' could not be located in the record text", place.Path())};
  } else if (element.get_string().get(text)) {
    WrongType(place.Path(), type, element);
  }
  Int128 unscaled = 0;
  switch (DecimalParse(text, type.precision, type.scale, &unscaled)) {
    case DecimalStatus::kOk:
      return Value::Decimal(unscaled, type.scale);
    case DecimalStatus::kOverflow:
      throw FieldError{fmt::format("field '{}' value {} does not fit {}", place.Path(), text, type.ToString())};
    default:
      throw FieldError{fmt::format("field '{}' value '{}' is not a number", place.Path(), text)};
  }
}

Value ConvertArray(simdjson::dom::element element, const DataType& type, const ElementPlace& place) {
  simdjson::dom::array array;
  if (element.get_array().get(array)) WrongType(place.Path(), type, element);
  if (array.size() > UINT16_MAX) {
    throw FieldError{fmt::format("field '{}' has {} elements; fsql stores at most 65535 per ARRAY", place.Path(),
                                 array.size())};
  }
  std::vector<Value> elements;
  size_t index = 0;
  for (simdjson::dom::element child : array) {
    elements.push_back(ConvertElement(child, type.children.at(0), place.Index(index++)));
  }
  return Value::Array(std::move(elements));
}

/// Reads a MAP from a JSON object, whose keys are strings, or a MULTISET from
/// an object of element to count, as Flink's JSON format writes them.
/// Non-string keys are parsed from the key text.
Value ConvertMap(simdjson::dom::element element, const DataType& type, const ElementPlace& place) {
  simdjson::dom::object object;
  if (element.get_object().get(object)) WrongType(place.Path(), type, element);
  if (object.size() > UINT16_MAX) {
    throw FieldError{fmt::format("field '{}' has {} entries; fsql stores at most 65535 per {}", place.Path(),
                                 object.size(), type.id == TypeId::kMap ? "MAP" : "MULTISET")};
  }
  const DataType& key_type = type.children.at(0);
  DataType value_type = CollectionValueType(type);
  std::vector<Value> keys, values;
  for (auto [key, child] : object) {
    std::string key_text(key);
    ElementPlace child_place = place.Field(key_text);
    if (key_type.IsString()) {
      keys.push_back(Value::String(key_text));
    } else {
      std::string quoted;
      AppendJsonString(quoted, key_text);
      simdjson::dom::parser key_parser;
      simdjson::dom::element key_element;
      // A numeric or boolean key reads as the JSON value of its text; others as a string.
      if (key_parser.parse(key_text).get(key_element) || key_element.is_object() || key_element.is_array()) {
        if (key_parser.parse(quoted).get(key_element)) WrongType(child_place.Path(), key_type, child);
      }
      RawNumbers key_raw;
      key_raw.Reset(key_text);
      keys.push_back(ConvertElement(key_element, key_type, child_place.Key(&key_raw)));
    }
    values.push_back(ConvertElement(child, value_type, child_place));
  }
  return Value::Map(std::move(keys), std::move(values));
}

Value ConvertRow(simdjson::dom::element element, const DataType& type, const ElementPlace& place) {
  simdjson::dom::object object;
  if (element.get_object().get(object)) WrongType(place.Path(), type, element);
  Value::RowValues fields;
  fields.reserve(type.fields.size());
  for (const auto& field : type.fields) {
    simdjson::dom::element child;
    if (object[field.name].get(child)) {
      fields.push_back(Value::Null());
    } else {
      fields.push_back(ConvertElement(child, field.type, place.Field(field.name)));
    }
  }
  return Value::Row(std::move(fields));
}

/// Converts the fields of a ROW that `reads` lists; the others stay NULL.
Value ConvertRowFields(simdjson::dom::element element, const DataType& type, const ElementPlace& place,
                       const FieldReads& reads) {
  simdjson::dom::object object;
  if (element.get_object().get(object)) WrongType(place.Path(), type, element);
  Value::RowValues fields;
  fields.reserve(type.fields.size());
  for (size_t i = 0; i < type.fields.size(); ++i) {
    const auto& field = type.fields[i];
    const FieldReads& field_reads = reads.fields.at(i);
    simdjson::dom::element child;
    if (!field_reads.any() || object[field.name].get(child) || child.is_null()) {
      fields.push_back(Value::Null());
    } else if (field_reads.kind == FieldReads::Kind::kSome && field.type.id == TypeId::kRow) {
      fields.push_back(ConvertRowFields(child, field.type, place.Field(field.name), field_reads));
    } else {
      fields.push_back(ConvertElement(child, field.type, place.Field(field.name)));
    }
  }
  return Value::Row(std::move(fields));
}

Value ConvertElement(simdjson::dom::element element, const DataType& type, const ElementPlace& place) {
  if (element.is_null()) return Value::Null();
  switch (type.id) {
    case TypeId::kBoolean: {
      bool value;
      if (element.get_bool().get(value)) WrongType(place.Path(), type, element);
      return Value::Boolean(value);
    }
    case TypeId::kTinyInt:
    case TypeId::kSmallInt:
    case TypeId::kInt:
    case TypeId::kBigInt: {
      int64_t value;
      if (!element.get_int64().get(value)) return Value::Int(IntegerRange(type, value, [&] { return place.Path(); }));
      // Debezium's DOUBLE decimal handling writes integer columns as 17.0.
      double d;
      if (!element.get_double().get(d) && std::trunc(d) == d && std::fabs(d) < 9.2e18) {
        return Value::Int(IntegerRange(type, static_cast<int64_t>(d), [&] { return place.Path(); }));
      }
      WrongType(place.Path(), type, element);
    }
    case TypeId::kFloat:
    case TypeId::kDouble: {
      double value;
      if (element.get_double().get(value)) WrongType(place.Path(), type, element);
      return Value::Double(value);
    }
    case TypeId::kDecimal:
      return ConvertDecimal(element, type, place);
    case TypeId::kArray:
      return ConvertArray(element, type, place);
    case TypeId::kMap:
    case TypeId::kMultiset:
      return ConvertMap(element, type, place);
    case TypeId::kString: {
      std::string_view text;
      if (!element.get_string().get(text)) return Value::String(std::string(text));
      if (element.is_object() || element.is_array()) WrongType(place.Path(), type, element);
      // Flink reads a JSON number or boolean into a STRING column as its text.
      return Value::String(simdjson::minify(element));
    }
    case TypeId::kBytes: {
      std::string_view text;
      if (element.get_string().get(text)) WrongType(place.Path(), type, element);
      return Value::String(std::string(text));
    }
    case TypeId::kTimestamp:
    case TypeId::kTimestampLtz: {
      std::string_view text;
      if (element.get_string().get(text)) WrongType(place.Path(), type, element);
      auto millis = ParseTimestampMillis(text);
      if (!millis) {
        throw FieldError{fmt::format("field '{}' value '{}' is not a timestamp like '2024-01-31 12:00:00.000'", place.Path(),
                                     text)};
      }
      return Value::Int(*millis);
    }
    case TypeId::kDate: {
      std::string_view text;
      if (element.get_string().get(text)) WrongType(place.Path(), type, element);
      auto millis = ParseTimestampMillis(std::string(text) + " 00:00:00");
      if (!millis) throw FieldError{fmt::format("field '{}' value '{}' is not a date like '2024-01-31'", place.Path(), text)};
      return Value::Int(*millis / 86'400'000);
    }
    case TypeId::kRow:
      return ConvertRow(element, type, place);
    default:
      throw FieldError{fmt::format("field '{}' has type {}, which the JSON format does not read yet", place.Path(),
                                   type.ToString())};
  }
}

void AppendValue(std::string& out, const Value& value, const DataType& type) {
  if (value.is_null()) {
    out += "null";
    return;
  }
  switch (type.id) {
    case TypeId::kBoolean:
      out += value.as_bool() ? "true" : "false";
      return;
    case TypeId::kDecimal:
      // The exact plain text, as a JSON number.
      out += value.ToString(type);
      return;
    case TypeId::kArray: {
      out += '[';
      const std::vector<Value>& elements = value.as_array().elements;
      for (size_t i = 0; i < elements.size(); ++i) {
        if (i > 0) out += ',';
        AppendValue(out, elements[i], type.children.at(0));
      }
      out += ']';
      return;
    }
    case TypeId::kMap:
    case TypeId::kMultiset: {
      // JSON object keys are strings, so a non-string key is written as its text.
      out += '{';
      const MapValues& map = value.as_map();
      DataType value_type = CollectionValueType(type);
      for (size_t i = 0; i < map.keys.size(); ++i) {
        if (i > 0) out += ',';
        AppendJsonString(out, map.keys[i].ToString(type.children.at(0)));
        out += ':';
        AppendValue(out, map.values[i], value_type);
      }
      out += '}';
      return;
    }
    case TypeId::kFloat:
    case TypeId::kDouble: {
      double d = value.is_int() ? static_cast<double>(value.as_int()) : value.as_double();
      if (!std::isfinite(d)) {
        out += "null";
      } else {
        out += fmt::format("{}", d);
      }
      return;
    }
    case TypeId::kString:
    case TypeId::kBytes:
      AppendJsonString(out, value.as_string());
      return;
    case TypeId::kTimestamp:
      AppendJsonString(out, FormatTimestampMillis(value.as_int(), type.precision));
      return;
    case TypeId::kTimestampLtz:
      AppendJsonString(out, FormatTimestampMillis(value.as_int(), type.precision) + "Z");
      return;
    case TypeId::kRow: {
      out += '{';
      const auto& fields = value.as_row();
      for (size_t i = 0; i < type.fields.size(); ++i) {
        if (i > 0) out += ',';
        AppendJsonString(out, type.fields[i].name);
        out += ':';
        AppendValue(out, fields.at(i), type.fields[i].type);
      }
      out += '}';
      return;
    }
    default:
      out += fmt::format("{}", value.as_int());
      return;
  }
}

}  // namespace

void AppendJsonString(std::string& out, std::string_view text) {
  out += '"';
  for (char c : text) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\b': out += "\\b"; break;
      case '\f': out += "\\f"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          out += fmt::format("\\u{:04x}", static_cast<int>(c));
        } else {
          out += c;
        }
    }
  }
  out += '"';
}

namespace {

/// Reads exactly `count` ASCII digits at `pos`, or returns false.
bool ReadDigits(std::string_view text, size_t pos, int count, int& out) {
  if (pos + static_cast<size_t>(count) > text.size()) return false;
  out = 0;
  for (int i = 0; i < count; ++i) {
    char c = text[pos + static_cast<size_t>(i)];
    if (c < '0' || c > '9') return false;
    out = out * 10 + (c - '0');
  }
  return true;
}

/// Reads one or two ASCII digits at `pos`, advancing it, or returns false.
bool ReadShortNumber(std::string_view text, size_t& pos, int& out) {
  if (pos >= text.size() || text[pos] < '0' || text[pos] > '9') return false;
  out = text[pos++] - '0';
  if (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') out = out * 10 + (text[pos++] - '0');
  return true;
}

/// Days from 1970-01-01 to a date of the proleptic Gregorian calendar
/// (the days_from_civil algorithm of Howard Hinnant's date library).
int64_t DaysFromCivil(int64_t year, int month, int day) {
  year -= month <= 2;
  const int64_t era = (year >= 0 ? year : year - 399) / 400;
  const int64_t year_of_era = year - era * 400;
  const int64_t day_of_year = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
  const int64_t day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
  return era * 146097 + day_of_era - 719468;
}

}  // namespace

// A hand-written scanner: sscanf, a string copy and timegm took about a
// tenth of the decoding time of records with one timestamp field.
std::optional<int64_t> ParseTimestampMillis(std::string_view text) {
  int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
  // The year has exactly four digits; month, day and the time fields one or two.
  size_t pos = 4;
  if (!ReadDigits(text, 0, 4, year) || pos >= text.size() || text[pos++] != '-') return std::nullopt;
  if (!ReadShortNumber(text, pos, month) || pos >= text.size() || text[pos++] != '-') return std::nullopt;
  if (!ReadShortNumber(text, pos, day) || pos >= text.size()) return std::nullopt;
  char separator = text[pos++];
  if (separator != ' ' && separator != 'T') return std::nullopt;
  if (!ReadShortNumber(text, pos, hour) || pos >= text.size() || text[pos++] != ':') return std::nullopt;
  if (!ReadShortNumber(text, pos, minute) || pos >= text.size() || text[pos++] != ':') return std::nullopt;
  if (!ReadShortNumber(text, pos, second)) return std::nullopt;
  int64_t millis = 0;
  if (pos < text.size() && text[pos] == '.') {
    ++pos;
    int digits = 0;
    int64_t fraction = 0;
    while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') {
      if (digits < 3) fraction = fraction * 10 + (text[pos] - '0');
      ++digits;
      ++pos;
    }
    if (digits == 0) return std::nullopt;
    for (int d = digits; d < 3; ++d) fraction *= 10;
    millis = fraction;
  }
  if (pos < text.size() && text[pos] == 'Z') ++pos;
  if (pos != text.size()) return std::nullopt;
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60) return std::nullopt;
  // Like timegm, a day past the month's end rolls into the next month.
  int64_t seconds = DaysFromCivil(year, month, day) * 86400 + hour * 3600 + minute * 60 + second;
  return seconds * 1000 + millis;
}

struct JsonRowDecoder::Impl {
  const TableDefinition& table;
  simdjson::dom::parser parser;
  RawNumbers raw_numbers;
  RowBuilder builder;
  RowBuilder physical_builder;
  std::vector<int> physical_columns;  // table column index of each physical column, in order
  int before_column = -1;
  int after_column = -1;
  int op_column = -1;
  bool envelope = false;
  ColumnReads reads;  // one per table column, after AddOwnReads
  bool has_computed = false;
  // When every computed column lives in a row slot, each is evaluated over the
  // finished row and written into it, instead of over a separate row of the
  // physical columns built first. The expressions are rebound to table columns.
  bool computed_in_place = false;
  std::vector<ExprPtr> computed_over_table;  // per table column; null where not computed

  Impl(const TableDefinition& t, ColumnReads rule_reads)
      : table(t), builder(static_cast<uint32_t>(t.columns.size())), physical_builder(0) {
    for (size_t i = 0; i < t.columns.size(); ++i) {
      if (t.columns[i].kind == ColumnKind::kPhysical) physical_columns.push_back(static_cast<int>(i));
      has_computed = has_computed || t.columns[i].kind == ColumnKind::kComputed;
    }
    physical_builder = RowBuilder(static_cast<uint32_t>(physical_columns.size()));
    envelope = t.IsCdcEnvelope();
    before_column = t.FindColumn("before");
    after_column = t.FindColumn("after");
    op_column = t.FindColumn("op");
    reads = std::move(rule_reads);
    if (reads.size() != t.columns.size()) {
      reads.assign(t.columns.size(), FieldReads{});
      for (auto& column : reads) column.MarkAll();
    }
    AddOwnReads();
    if (has_computed) PrepareComputedInPlace();
  }

  static ExprPtr Rebind(const ExprPtr& expr, const std::vector<int>& column_of_input) {
    auto copy = std::make_shared<Expr>(*expr);
    if (copy->kind == ExprKind::kInputRef) copy->index = column_of_input.at(static_cast<size_t>(copy->index));
    for (auto& arg : copy->args) {
      if (arg) arg = Rebind(arg, column_of_input);
    }
    return copy;
  }

  void PrepareComputedInPlace() {
    computed_in_place = true;
    computed_over_table.assign(table.columns.size(), nullptr);
    for (size_t i = 0; i < table.columns.size(); ++i) {
      const CatalogColumn& column = table.columns[i];
      if (column.kind != ColumnKind::kComputed || !column.computed) continue;
      const DataType& type = column.type;
      bool slot_type = !(type.id == TypeId::kString || type.id == TypeId::kBytes || type.id == TypeId::kArray ||
                         type.id == TypeId::kMap || type.id == TypeId::kMultiset || type.id == TypeId::kRow ||
                         (type.id == TypeId::kDecimal && type.precision > kMaxCompactDecimalPrecision));
      if (!slot_type) {
        computed_in_place = false;
        return;
      }
      computed_over_table[i] = Rebind(column.computed, physical_columns);
    }
  }

  /// Adds to the rule's reads what decoding itself needs.
  void AddOwnReads() {
    if (table.rowtime_column >= 0) reads[table.rowtime_column].MarkAll();
    for (int key : table.PrimaryKeyIndexes()) reads[key].MarkAll();
    // Computed columns are evaluated over the physical row, so their inputs
    // are physical positions.
    ColumnReads physical_reads(physical_columns.size());
    for (size_t i = 0; i < table.columns.size(); ++i) {
      const CatalogColumn& column = table.columns[i];
      if (column.kind == ColumnKind::kComputed && reads[i].any() && column.computed) {
        AddExpressionReads(*column.computed, physical_reads);
      }
    }
    for (size_t p = 0; p < physical_columns.size(); ++p) reads[physical_columns[p]].Merge(physical_reads[p]);
    if (envelope) {
      reads[op_column].MarkAll();
      // A delete and the old half of an update put `before` where `after` was.
      reads[after_column].Merge(reads[before_column]);
      reads[before_column] = reads[after_column];
    }
  }
};

JsonRowDecoder::JsonRowDecoder(const TableDefinition& table, ColumnReads reads)
    : impl_(std::make_unique<Impl>(table, std::move(reads))) {}
JsonRowDecoder::~JsonRowDecoder() = default;

void JsonRowDecoder::Decode(const RecordRef& record, std::vector<Row>& out) {
  Impl& impl = *impl_;
  const TableDefinition& table = impl.table;
  auto fail = [&](const std::string& reason) {
    throw RecordError(*record.topic, record.partition, record.offset, reason);
  };

  const bool upsert = table.changelog_mode == ChangelogMode::kUpsert;
  if (!record.value->has_value() && !upsert) return;  // Debezium writes a tombstone after each delete

  simdjson::dom::element document;
  if (!record.value->has_value() && !record.key->has_value()) fail("tombstone without a key in an upsert table");
  std::string_view text = record.value->has_value() ? **record.value : **record.key;
  std::string quoted;
  auto error = impl.parser.parse(text.data(), text.size()).get(document);
  if (error == simdjson::NUMBER_ERROR) {
    // The DOM parser rejects integers beyond 64 bits, which DECIMAL columns
    // accept; as strings they still reach ConvertDecimal digit for digit.
    quoted = QuoteWideIntegers(text);
    text = quoted;
    error = impl.parser.parse(text.data(), text.size()).get(document);
  }
  if (error) fail(fmt::format("value is not valid JSON: {}", simdjson::error_message(error)));
  simdjson::dom::object object;
  if (document.get_object().get(object)) fail("value is not a JSON object");
  impl.raw_numbers.Reset(text);

  // Physical column values, as they appear in the JSON.
  std::vector<Value> physical;
  physical.reserve(impl.physical_columns.size());
  try {
    for (int column : impl.physical_columns) {
      const CatalogColumn& def = table.columns[column];
      const FieldReads& reads = impl.reads[column];
      simdjson::dom::element element;
      if (!reads.any() || object[def.name].get(element)) {
        physical.push_back(Value::Null());
      } else if (reads.kind == FieldReads::Kind::kSome && def.type.id == TypeId::kRow && !element.is_null()) {
        physical.push_back(
            ConvertRowFields(element, def.type, ElementPlace::Root(&impl.raw_numbers).Field(def.name), reads));
      } else {
        physical.push_back(ConvertElement(element, def.type, ElementPlace::Root(&impl.raw_numbers).Field(def.name)));
      }
    }
  } catch (const FieldError& error) {
    fail(error.reason);
  }

  // In retract mode the row kinds follow a Debezium envelope's `op`. Deletes and
  // the old half of an update carry `before` in the `after` column, so a query
  // that reads after.* gets the row being removed.
  struct Version {
    RowKind kind;
    bool use_before;
  };
  std::vector<Version> versions;
  if (!record.value->has_value()) {
    versions.push_back({RowKind::kDelete, false});
  } else if (impl.envelope) {
    auto position = [&](int column) {
      for (size_t i = 0; i < impl.physical_columns.size(); ++i) {
        if (impl.physical_columns[i] == column) return i;
      }
      return size_t{0};
    };
    const Value& op_value = physical[position(impl.op_column)];
    const Value& before = physical[position(impl.before_column)];
    const Value& after = physical[position(impl.after_column)];
    if (op_value.is_null()) fail("Debezium envelope has no 'op'");
    const std::string& op = op_value.as_string();
    bool retract = table.changelog_mode == ChangelogMode::kRetract;
    if (op == "c" || op == "r") {
      if (after.is_null()) fail(fmt::format("op '{}' envelope has no 'after' row", op));
      versions.push_back({RowKind::kInsert, false});
    } else if (op == "u") {
      if (after.is_null()) fail("op 'u' envelope has no 'after' row");
      if (retract) {
        if (before.is_null()) fail("op 'u' envelope has no 'before' row to retract");
        versions.push_back({RowKind::kUpdateBefore, true});
        versions.push_back({RowKind::kUpdateAfter, false});
      } else {
        versions.push_back({RowKind::kInsert, false});
      }
    } else if (op == "d") {
      if (!retract) {
        fail(fmt::format("op 'd' envelope in table {}, whose 'changelog.mode' is 'append'; set it to 'retract' "
                         "to apply deletes",
                         table.name));
      }
      if (before.is_null()) fail("op 'd' envelope has no 'before' row");
      versions.push_back({RowKind::kDelete, true});
    } else {
      fail(fmt::format("unknown Debezium op '{}'; expected c, r, u or d", op));
    }
  } else {
    versions.push_back({upsert ? RowKind::kUpdateAfter : RowKind::kInsert, false});
  }

  RowBuilder& builder = impl.builder;
  for (size_t v = 0; v < versions.size(); ++v) {
    const Version& version = versions[v];
    // The last version takes the decoded values; copying their strings showed in profiles.
    std::vector<Value> values = v + 1 == versions.size() ? std::move(physical) : physical;
    if (version.use_before) {
      size_t after_position = 0, before_position = 0;
      for (size_t i = 0; i < impl.physical_columns.size(); ++i) {
        if (impl.physical_columns[i] == impl.after_column) after_position = i;
        if (impl.physical_columns[i] == impl.before_column) before_position = i;
      }
      values[after_position] = values[before_position];
    }
    // Computed columns read the physical ones, so build those first.
    Row physical_row;
    if (impl.has_computed && !impl.computed_in_place) {
      for (size_t i = 0; i < impl.physical_columns.size(); ++i) {
        impl.physical_builder.SetValue(static_cast<uint32_t>(i), table.columns[impl.physical_columns[i]].type,
                                       values[i]);
      }
      physical_row = impl.physical_builder.Finish(RowKind::kInsert);
    }
    size_t next_physical = 0;
    int64_t event_time = kNoTime;
    for (size_t i = 0; i < table.columns.size(); ++i) {
      const CatalogColumn& column = table.columns[i];
      Value value;
      switch (column.kind) {
        case ColumnKind::kPhysical:
          value = std::move(values[next_physical++]);
          break;
        case ColumnKind::kComputed:
          // Unread columns stay NULL; the others may be written once the row is built.
          if (!impl.reads[i].any() || impl.computed_in_place) break;
          try {
            value = Evaluate(*column.computed, physical_row.view(), EvalContext{});
          } catch (const Error& error) {
            fail(fmt::format("computed column '{}' failed: {}", column.name, error.what()));
          }
          break;
        case ColumnKind::kMetadata:
          if (column.metadata_key == "timestamp") value = Value::Int(record.timestamp_ms);
          if (column.metadata_key == "partition") value = Value::Int(record.partition);
          if (column.metadata_key == "offset") value = Value::Int(record.offset);
          if (column.metadata_key == "topic") value = Value::String(*record.topic);
          break;
        case ColumnKind::kSystem:
          value = Value::Int(record.timestamp_ms);
          break;
      }
      if (static_cast<int>(i) == table.rowtime_column && !value.is_null()) event_time = value.as_int();
      builder.SetValue(static_cast<uint32_t>(i), column.type, value);
    }
    Row row = builder.Finish(version.kind, event_time);
    if (impl.computed_in_place) {
      for (size_t i = 0; i < table.columns.size(); ++i) {
        if (!impl.computed_over_table[i] || !impl.reads[i].any()) continue;
        Value value;
        try {
          value = Evaluate(*impl.computed_over_table[i], row.view(), EvalContext{});
        } catch (const Error& error) {
          fail(fmt::format("computed column '{}' failed: {}", table.columns[i].name, error.what()));
        }
        row.OverwriteSlot(static_cast<uint32_t>(i), table.columns[i].type, value);
        if (static_cast<int>(i) == table.rowtime_column && !value.is_null()) row.set_event_time(value.as_int());
      }
    }
    out.push_back(std::move(row));
  }
}

JsonRowEncoder::JsonRowEncoder(const TableDefinition& table) : table_(table) {
  for (size_t i = 0; i < table.columns.size(); ++i) {
    const CatalogColumn& column = table.columns[i];
    bool written = column.kind == ColumnKind::kPhysical || (column.kind == ColumnKind::kMetadata && !column.is_virtual);
    if (written && column.kind == ColumnKind::kPhysical) value_columns_.push_back(static_cast<int>(i));
  }
  const auto& keys = table.primary_key.empty() ? table.distribution_keys : table.primary_key;
  for (const auto& key : keys) key_columns_.push_back(table.FindColumn(key));
}

std::string JsonRowEncoder::EncodeValue(RowView row) const {
  std::string out = "{";
  bool first = true;
  for (int column : value_columns_) {
    if (!first) out += ',';
    first = false;
    const CatalogColumn& def = table_.columns[column];
    AppendJsonString(out, def.name);
    out += ':';
    AppendValue(out, row.GetValue(static_cast<uint32_t>(column), def.type), def.type);
  }
  return out + "}";
}

std::string JsonRowEncoder::EncodeKey(RowView row) const {
  if (key_columns_.empty()) return {};
  std::string out = "{";
  for (size_t i = 0; i < key_columns_.size(); ++i) {
    if (i > 0) out += ',';
    const CatalogColumn& def = table_.columns[key_columns_[i]];
    AppendJsonString(out, def.name);
    out += ':';
    AppendValue(out, row.GetValue(static_cast<uint32_t>(key_columns_[i]), def.type), def.type);
  }
  return out + "}";
}

}  // namespace fsql
