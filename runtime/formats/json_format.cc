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

int64_t IntegerRange(const DataType& type, int64_t value, const std::string& path) {
  int64_t min = INT64_MIN, max = INT64_MAX;
  if (type.id == TypeId::kTinyInt) { min = INT8_MIN; max = INT8_MAX; }
  if (type.id == TypeId::kSmallInt) { min = INT16_MIN; max = INT16_MAX; }
  if (type.id == TypeId::kInt) { min = INT32_MIN; max = INT32_MAX; }
  if (value < min || value > max) {
    throw FieldError{fmt::format("field '{}' value {} is out of range for {}", path, value, type.ToString())};
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

/// The position of a value in the record. `path` names it in messages, and
/// `pointer` is its RFC 6901 JSON pointer.
struct ElementPlace {
  std::string path;
  std::string pointer;
  RawNumbers* raw = nullptr;

  ElementPlace Field(const std::string& name) const {
    std::string escaped;
    for (char c : name) {
      if (c == '~') {
        escaped += "~0";
      } else if (c == '/') {
        escaped += "~1";
      } else {
        escaped += c;
      }
    }
    return ElementPlace{path.empty() ? name : path + "." + name, pointer + "/" + escaped, raw};
  }
  ElementPlace Index(size_t index) const {
    return ElementPlace{fmt::format("{}[{}]", path, index), fmt::format("{}/{}", pointer, index), raw};
  }
};

Value ConvertElement(simdjson::dom::element element, const DataType& type, const ElementPlace& place);

Value ConvertDecimal(simdjson::dom::element element, const DataType& type, const ElementPlace& place) {
  const std::string& path = place.path;
  std::string_view text;
  int64_t integer;
  std::string token_copy;
  if (!element.get_int64().get(integer)) {
    token_copy = std::to_string(integer);
    text = token_copy;
  } else if (element.is_number()) {
    text = place.raw->Token(place.pointer);
    if (text.empty()) throw FieldError{fmt::format("field '{}' could not be located in the record text", path)};
  } else if (element.get_string().get(text)) {
    WrongType(path, type, element);
  }
  Int128 unscaled = 0;
  switch (DecimalParse(text, type.precision, type.scale, &unscaled)) {
    case DecimalStatus::kOk:
      return Value::Decimal(unscaled, type.scale);
    case DecimalStatus::kOverflow:
      throw FieldError{fmt::format("field '{}' value {} does not fit {}", path, text, type.ToString())};
    default:
      throw FieldError{fmt::format("field '{}' value '{}' is not a number", path, text)};
  }
}

Value ConvertArray(simdjson::dom::element element, const DataType& type, const ElementPlace& place) {
  simdjson::dom::array array;
  if (element.get_array().get(array)) WrongType(place.path, type, element);
  if (array.size() > UINT16_MAX) {
    throw FieldError{fmt::format("field '{}' has {} elements; fsql stores at most 65535 per ARRAY", place.path,
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
  if (element.get_object().get(object)) WrongType(place.path, type, element);
  if (object.size() > UINT16_MAX) {
    throw FieldError{fmt::format("field '{}' has {} entries; fsql stores at most 65535 per {}", place.path,
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
        if (key_parser.parse(quoted).get(key_element)) WrongType(child_place.path, key_type, child);
      }
      RawNumbers key_raw;
      key_raw.Reset(key_text);
      keys.push_back(ConvertElement(key_element, key_type, ElementPlace{child_place.path, "", &key_raw}));
    }
    values.push_back(ConvertElement(child, value_type, child_place));
  }
  return Value::Map(std::move(keys), std::move(values));
}

Value ConvertRow(simdjson::dom::element element, const DataType& type, const ElementPlace& place) {
  const std::string& path = place.path;
  simdjson::dom::object object;
  if (element.get_object().get(object)) WrongType(path, type, element);
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

Value ConvertElement(simdjson::dom::element element, const DataType& type, const ElementPlace& place) {
  const std::string& path = place.path;
  if (element.is_null()) return Value::Null();
  switch (type.id) {
    case TypeId::kBoolean: {
      bool value;
      if (element.get_bool().get(value)) WrongType(path, type, element);
      return Value::Boolean(value);
    }
    case TypeId::kTinyInt:
    case TypeId::kSmallInt:
    case TypeId::kInt:
    case TypeId::kBigInt: {
      int64_t value;
      if (!element.get_int64().get(value)) return Value::Int(IntegerRange(type, value, path));
      // Debezium's DOUBLE decimal handling writes integer columns as 17.0.
      double d;
      if (!element.get_double().get(d) && std::trunc(d) == d && std::fabs(d) < 9.2e18) {
        return Value::Int(IntegerRange(type, static_cast<int64_t>(d), path));
      }
      WrongType(path, type, element);
    }
    case TypeId::kFloat:
    case TypeId::kDouble: {
      double value;
      if (element.get_double().get(value)) WrongType(path, type, element);
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
      if (element.is_object() || element.is_array()) WrongType(path, type, element);
      // Flink reads a JSON number or boolean into a STRING column as its text.
      return Value::String(simdjson::minify(element));
    }
    case TypeId::kBytes: {
      std::string_view text;
      if (element.get_string().get(text)) WrongType(path, type, element);
      return Value::String(std::string(text));
    }
    case TypeId::kTimestamp:
    case TypeId::kTimestampLtz: {
      std::string_view text;
      if (element.get_string().get(text)) WrongType(path, type, element);
      auto millis = ParseTimestampMillis(text);
      if (!millis) {
        throw FieldError{fmt::format("field '{}' value '{}' is not a timestamp like '2024-01-31 12:00:00.000'", path,
                                     text)};
      }
      return Value::Int(*millis);
    }
    case TypeId::kDate: {
      std::string_view text;
      if (element.get_string().get(text)) WrongType(path, type, element);
      auto millis = ParseTimestampMillis(std::string(text) + " 00:00:00");
      if (!millis) throw FieldError{fmt::format("field '{}' value '{}' is not a date like '2024-01-31'", path, text)};
      return Value::Int(*millis / 86'400'000);
    }
    case TypeId::kRow:
      return ConvertRow(element, type, place);
    default:
      throw FieldError{fmt::format("field '{}' has type {}, which the JSON format does not read yet", path,
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

std::optional<int64_t> ParseTimestampMillis(std::string_view text) {
  int year, month, day, hour = 0, minute = 0, second = 0;
  char separator = ' ';
  int consumed = 0;
  std::string copy(text);
  if (std::sscanf(copy.c_str(), "%4d-%2d-%2d%c%2d:%2d:%2d%n", &year, &month, &day, &separator, &hour, &minute,
                  &second, &consumed) != 7 ||
      (separator != ' ' && separator != 'T')) {
    return std::nullopt;
  }
  int64_t millis = 0;
  size_t pos = static_cast<size_t>(consumed);
  if (pos < copy.size() && copy[pos] == '.') {
    ++pos;
    int digits = 0;
    int64_t fraction = 0;
    while (pos < copy.size() && std::isdigit(static_cast<unsigned char>(copy[pos]))) {
      if (digits < 3) fraction = fraction * 10 + (copy[pos] - '0');
      ++digits;
      ++pos;
    }
    if (digits == 0) return std::nullopt;
    for (int d = digits; d < 3; ++d) fraction *= 10;
    millis = fraction;
  }
  if (pos < copy.size() && copy[pos] == 'Z') ++pos;
  if (pos != copy.size()) return std::nullopt;
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60) return std::nullopt;
  std::tm parts{};
  parts.tm_year = year - 1900;
  parts.tm_mon = month - 1;
  parts.tm_mday = day;
  parts.tm_hour = hour;
  parts.tm_min = minute;
  parts.tm_sec = second;
  return static_cast<int64_t>(timegm(&parts)) * 1000 + millis;
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

  explicit Impl(const TableDefinition& t)
      : table(t), builder(static_cast<uint32_t>(t.columns.size())), physical_builder(0) {
    for (size_t i = 0; i < t.columns.size(); ++i) {
      if (t.columns[i].kind == ColumnKind::kPhysical) physical_columns.push_back(static_cast<int>(i));
    }
    physical_builder = RowBuilder(static_cast<uint32_t>(physical_columns.size()));
    envelope = t.IsCdcEnvelope();
    before_column = t.FindColumn("before");
    after_column = t.FindColumn("after");
    op_column = t.FindColumn("op");
  }
};

JsonRowDecoder::JsonRowDecoder(const TableDefinition& table) : impl_(std::make_unique<Impl>(table)) {}
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
      simdjson::dom::element element;
      if (object[def.name].get(element)) {
        physical.push_back(Value::Null());
      } else {
        physical.push_back(ConvertElement(element, def.type, ElementPlace{"", "", &impl.raw_numbers}.Field(def.name)));
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
  for (const Version& version : versions) {
    std::vector<Value> values = physical;
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
    bool has_computed = false;
    for (const auto& column : table.columns) has_computed = has_computed || column.kind == ColumnKind::kComputed;
    if (has_computed) {
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
          value = values[next_physical++];
          break;
        case ColumnKind::kComputed:
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
    out.push_back(builder.Finish(version.kind, event_time));
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
