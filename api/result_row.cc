#include <cmath>

#include "api/engine_internal.h"
#include "runtime/row/row.h"

namespace fsql::embed {

namespace detail {

ResultSchema::ResultSchema(std::string rule_name, const TableDefinition& table)
    : rule(std::move(rule_name)), table(table.name), definition(table), encoder(definition) {
  for (size_t i = 0; i < definition.columns.size(); ++i) {
    if (definition.columns[i].kind != ColumnKind::kPhysical) continue;
    columns.push_back(static_cast<int>(i));
    names.push_back(definition.columns[i].name);
  }
}

Value ToPublicValue(const fsql::Value& value, const DataType& type) {
  if (value.is_null()) return std::monostate{};
  if (value.is_bool()) return value.as_bool();
  if (value.is_int()) return value.as_int();
  if (value.is_double()) return value.as_double();
  if (value.is_string()) return value.as_string();
  return value.ToString(type);
}

void AppendJsonValue(std::string& out, const Value& value, const DataType& type) {
  if (std::holds_alternative<std::monostate>(value)) {
    out += "null";
  } else if (const bool* flag = std::get_if<bool>(&value)) {
    out += *flag ? "true" : "false";
  } else if (const int64_t* number = std::get_if<int64_t>(&value)) {
    // The JSON format reads dates and timestamps as text; the API takes them as numbers.
    if (type.IsTimestamp()) {
      AppendJsonString(out, FormatTimestampMillis(*number, 3));
    } else if (type.id == TypeId::kDate) {
      AppendJsonString(out, FormatTimestampMillis(*number * 86'400'000, 0).substr(0, 10));
    } else {
      out += std::to_string(*number);
    }
  } else if (const double* real = std::get_if<double>(&value)) {
    if (!std::isfinite(*real)) {
      out += "null";
    } else {
      out += fmt::format("{}", *real);
    }
  } else {
    const std::string& text = std::get<std::string>(value);
    bool nested = type.id == TypeId::kRow || type.id == TypeId::kArray || type.id == TypeId::kMap ||
                  type.id == TypeId::kMultiset;
    if (nested || type.id == TypeId::kDecimal) {
      out += text;  // nested values and decimals are given as JSON text
    } else {
      AppendJsonString(out, text);
    }
  }
}

}  // namespace detail

const char* RowKindName(RowKind kind) {
  switch (kind) {
    case RowKind::kInsert:
      return "+I";
    case RowKind::kUpdateBefore:
      return "-U";
    case RowKind::kUpdateAfter:
      return "+U";
    case RowKind::kDelete:
      return "-D";
  }
  return "?";
}

ResultRow::ResultRow() = default;
ResultRow::ResultRow(std::shared_ptr<const detail::ResultSchema> schema, std::string bytes)
    : schema_(std::move(schema)), bytes_(std::move(bytes)) {}
ResultRow::ResultRow(const ResultRow&) = default;
ResultRow::ResultRow(ResultRow&&) noexcept = default;
ResultRow& ResultRow::operator=(const ResultRow&) = default;
ResultRow& ResultRow::operator=(ResultRow&&) noexcept = default;
ResultRow::~ResultRow() = default;

namespace {

const std::string& EmptyString() {
  static const std::string empty;
  return empty;
}

}  // namespace

const std::string& ResultRow::rule() const { return schema_ ? schema_->rule : EmptyString(); }

const std::string& ResultRow::table() const { return schema_ ? schema_->table : EmptyString(); }

RowKind ResultRow::kind() const {
  if (!schema_) return RowKind::kInsert;
  return static_cast<RowKind>(static_cast<uint8_t>(RowView(reinterpret_cast<const uint8_t*>(bytes_.data())).kind()));
}

std::optional<int64_t> ResultRow::event_time() const {
  if (!schema_) return std::nullopt;
  int64_t time = RowView(reinterpret_cast<const uint8_t*>(bytes_.data())).event_time();
  if (time == kNoTime) return std::nullopt;
  return time;
}

const std::vector<std::string>& ResultRow::column_names() const {
  static const std::vector<std::string> none;
  return schema_ ? schema_->names : none;
}

std::vector<Value> ResultRow::values() const {
  std::vector<Value> out;
  if (!schema_) return out;
  RowView view(reinterpret_cast<const uint8_t*>(bytes_.data()));
  for (int column : schema_->columns) {
    const DataType& type = schema_->definition.columns[column].type;
    out.push_back(detail::ToPublicValue(view.GetValue(static_cast<uint32_t>(column), type), type));
  }
  return out;
}

Value ResultRow::value(std::string_view name) const {
  if (schema_) {
    RowView view(reinterpret_cast<const uint8_t*>(bytes_.data()));
    for (size_t i = 0; i < schema_->names.size(); ++i) {
      if (schema_->names[i] != name) continue;
      int column = schema_->columns[i];
      const DataType& type = schema_->definition.columns[column].type;
      return detail::ToPublicValue(view.GetValue(static_cast<uint32_t>(column), type), type);
    }
  }
  throw Error(Error::Kind::kNotFound,
              fmt::format("column '{}' not found in table {}", name, schema_ ? schema_->table : std::string("?")));
}

std::string ResultRow::ToJson() const {
  if (!schema_) return "{}";
  return schema_->encoder.EncodeValue(RowView(reinterpret_cast<const uint8_t*>(bytes_.data())));
}

std::vector<const ResultRow*> Decision::RowsOf(std::string_view table) const {
  std::vector<const ResultRow*> out;
  for (const auto& row : rows) {
    if (row.table() == table) out.push_back(&row);
  }
  return out;
}

}  // namespace fsql::embed
