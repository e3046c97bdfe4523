#include "runtime/types/data_type.h"

#include <fmt/format.h>

namespace fsql {

DataType DataType::Of(TypeId id, bool nullable) {
  DataType type;
  type.id = id;
  type.nullable = nullable;
  if (id == TypeId::kString || id == TypeId::kBytes) type.length = -1;
  return type;
}

DataType DataType::Timestamp(int precision, bool local_time_zone, bool nullable) {
  DataType type = Of(local_time_zone ? TypeId::kTimestampLtz : TypeId::kTimestamp, nullable);
  type.precision = precision;
  return type;
}

DataType DataType::Row(std::vector<RowField> fields, bool nullable) {
  DataType type = Of(TypeId::kRow, nullable);
  type.fields = std::move(fields);
  return type;
}

DataType DataType::WithNullable(bool value) const {
  DataType copy = *this;
  copy.nullable = value;
  return copy;
}

bool DataType::IsInteger() const {
  switch (id) {
    case TypeId::kTinyInt:
    case TypeId::kSmallInt:
    case TypeId::kInt:
    case TypeId::kBigInt:
      return true;
    default:
      return false;
  }
}

bool DataType::IsNumeric() const {
  return IsInteger() || id == TypeId::kFloat || id == TypeId::kDouble || id == TypeId::kDecimal;
}

int DataType::FindField(const std::string& name) const {
  for (size_t i = 0; i < fields.size(); ++i) {
    if (fields[i].name == name) return static_cast<int>(i);
  }
  return -1;
}

namespace {

std::string BaseName(const DataType& type) {
  switch (type.id) {
    case TypeId::kNull: return "NULL";
    case TypeId::kBoolean: return "BOOLEAN";
    case TypeId::kTinyInt: return "TINYINT";
    case TypeId::kSmallInt: return "SMALLINT";
    case TypeId::kInt: return "INT";
    case TypeId::kBigInt: return "BIGINT";
    case TypeId::kFloat: return "FLOAT";
    case TypeId::kDouble: return "DOUBLE";
    case TypeId::kDecimal: return fmt::format("DECIMAL({}, {})", type.precision, type.scale);
    case TypeId::kString:
      return type.length < 0 ? "STRING" : fmt::format("VARCHAR({})", type.length);
    case TypeId::kBytes:
      return type.length < 0 ? "BYTES" : fmt::format("VARBINARY({})", type.length);
    case TypeId::kDate: return "DATE";
    case TypeId::kTime: return fmt::format("TIME({})", type.precision);
    case TypeId::kTimestamp: return fmt::format("TIMESTAMP({})", type.precision);
    case TypeId::kTimestampLtz: return fmt::format("TIMESTAMP_LTZ({})", type.precision);
    case TypeId::kIntervalDayTime: return "INTERVAL DAY TO SECOND";
    case TypeId::kIntervalYearMonth: return "INTERVAL YEAR TO MONTH";
    case TypeId::kArray: return fmt::format("ARRAY<{}>", type.children.at(0).ToString());
    case TypeId::kMultiset: return fmt::format("MULTISET<{}>", type.children.at(0).ToString());
    case TypeId::kMap:
      return fmt::format("MAP<{}, {}>", type.children.at(0).ToString(),
                         type.children.at(1).ToString());
    case TypeId::kRow: {
      std::string out = "ROW<";
      for (size_t i = 0; i < type.fields.size(); ++i) {
        if (i > 0) out += ", ";
        out += fmt::format("`{}` {}", type.fields[i].name, type.fields[i].type.ToString());
      }
      return out + ">";
    }
  }
  return "UNKNOWN";
}

int IntegerRank(TypeId id) {
  switch (id) {
    case TypeId::kTinyInt: return 1;
    case TypeId::kSmallInt: return 2;
    case TypeId::kInt: return 3;
    case TypeId::kBigInt: return 4;
    default: return 0;
  }
}

}  // namespace

std::string DataType::ToString() const {
  std::string base = BaseName(*this);
  return nullable || id == TypeId::kNull ? base : base + " NOT NULL";
}

bool DataType::SameShape(const DataType& other) const {
  if (id != other.id || precision != other.precision || scale != other.scale) return false;
  if (children.size() != other.children.size() || fields.size() != other.fields.size()) return false;
  for (size_t i = 0; i < children.size(); ++i) {
    if (!children[i].SameShape(other.children[i])) return false;
  }
  for (size_t i = 0; i < fields.size(); ++i) {
    if (fields[i].name != other.fields[i].name || !fields[i].type.SameShape(other.fields[i].type)) {
      return false;
    }
  }
  return true;
}

DataType CommonType(const DataType& a, const DataType& b) {
  bool nullable = a.nullable || b.nullable;
  if (a.id == TypeId::kNull) return b.WithNullable(true);
  if (b.id == TypeId::kNull) return a.WithNullable(true);
  if (a.SameShape(b)) return a.WithNullable(nullable);
  if (a.IsInteger() && b.IsInteger()) {
    return DataType::Of(IntegerRank(a.id) >= IntegerRank(b.id) ? a.id : b.id, nullable);
  }
  if (a.IsNumeric() && b.IsNumeric()) {
    // NOTE: DECIMAL is approximated by DOUBLE here; exact decimal arithmetic is not implemented.
    if (a.id == TypeId::kFloat && b.id != TypeId::kDouble && b.id != TypeId::kDecimal) return a.WithNullable(nullable);
    if (b.id == TypeId::kFloat && a.id != TypeId::kDouble && a.id != TypeId::kDecimal) return b.WithNullable(nullable);
    return DataType::Of(TypeId::kDouble, nullable);
  }
  if (a.IsString() && b.IsString()) return DataType::Of(TypeId::kString, nullable);
  if (a.IsTimestamp() && b.IsTimestamp()) {
    return DataType::Timestamp(std::max(a.precision, b.precision),
                               a.id == TypeId::kTimestampLtz && b.id == TypeId::kTimestampLtz,
                               nullable);
  }
  return DataType::Of(TypeId::kNull);
}

}  // namespace fsql
