#include "runtime/formats/json_format.h"

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

Value ConvertElement(simdjson::dom::element element, const DataType& type, const std::string& path);

Value ConvertRow(simdjson::dom::element element, const DataType& type, const std::string& path) {
  simdjson::dom::object object;
  if (element.get_object().get(object)) WrongType(path, type, element);
  Value::RowValues fields;
  fields.reserve(type.fields.size());
  for (const auto& field : type.fields) {
    simdjson::dom::element child;
    if (object[field.name].get(child)) {
      fields.push_back(Value::Null());
    } else {
      fields.push_back(ConvertElement(child, field.type, path + "." + field.name));
    }
  }
  return Value::Row(std::move(fields));
}

Value ConvertElement(simdjson::dom::element element, const DataType& type, const std::string& path) {
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
    case TypeId::kDouble:
    case TypeId::kDecimal: {
      double value;
      if (element.get_double().get(value)) WrongType(path, type, element);
      return Value::Double(value);
    }
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
      return ConvertRow(element, type, path);
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
    case TypeId::kFloat:
    case TypeId::kDouble:
    case TypeId::kDecimal: {
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
  const std::string& text = record.value->has_value() ? **record.value : **record.key;
  if (!record.value->has_value() && !record.key->has_value()) fail("tombstone without a key in an upsert table");
  if (auto error = impl.parser.parse(text).get(document)) {
    fail(fmt::format("value is not valid JSON: {}", simdjson::error_message(error)));
  }
  simdjson::dom::object object;
  if (document.get_object().get(object)) fail("value is not a JSON object");

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
        physical.push_back(ConvertElement(element, def.type, def.name));
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
