#include "runtime/types/data_type.h"

#include <algorithm>

#include <fmt/format.h>

#include "runtime/types/decimal.h"

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

/// Returns Flink's common type of two numeric types (LogicalTypeMerging). An
/// approximate type wins over an exact one, and DECIMAL with FLOAT or DOUBLE
/// gives DOUBLE. Two exact types with a DECIMAL give the DECIMAL that keeps the
/// integer digits of both and the larger scale, within 38 digits.
DataType CommonNumericType(const DataType& a, const DataType& b) {
  bool a_approximate = a.id == TypeId::kFloat || a.id == TypeId::kDouble;
  bool b_approximate = b.id == TypeId::kFloat || b.id == TypeId::kDouble;
  if (a_approximate || b_approximate) {
    if (a.id == TypeId::kDecimal || b.id == TypeId::kDecimal) return DataType::Of(TypeId::kDouble);
    if (a.id == TypeId::kDouble || b.id == TypeId::kDouble) return DataType::Of(TypeId::kDouble);
    return DataType::Of(TypeId::kFloat);
  }
  if (a.id != TypeId::kDecimal && b.id != TypeId::kDecimal) {
    return DataType::Of(IntegerRank(a.id) >= IntegerRank(b.id) ? a.id : b.id);
  }
  DataType x = DecimalOfExactType(a);
  DataType y = DecimalOfExactType(b);
  int integer_digits = std::min(std::max(x.precision - x.scale, y.precision - y.scale), kMaxDecimalPrecision);
  int scale = std::min(std::max(x.scale, y.scale), kMaxDecimalPrecision - integer_digits);
  DataType out = DataType::Of(TypeId::kDecimal);
  out.precision = integer_digits + scale;
  out.scale = scale;
  return out;
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

std::string InvalidTypeParameters(const DataType& type) {
  if (type.id == TypeId::kDecimal) {
    if (type.precision < 1 || type.precision > kMaxDecimalPrecision) {
      return fmt::format("DECIMAL precision {} is outside 1 to {}", type.precision, kMaxDecimalPrecision);
    }
    if (type.scale < 0 || type.scale > type.precision) {
      return fmt::format("DECIMAL scale {} is outside 0 to the precision {}", type.scale, type.precision);
    }
  }
  for (const DataType& child : type.children) {
    std::string problem = InvalidTypeParameters(child);
    if (!problem.empty()) return problem;
  }
  for (const RowField& field : type.fields) {
    std::string problem = InvalidTypeParameters(field.type);
    if (!problem.empty()) return problem;
  }
  return "";
}

DataType CommonType(const DataType& a, const DataType& b) {
  bool nullable = a.nullable || b.nullable;
  if (a.id == TypeId::kNull) return b.WithNullable(true);
  if (b.id == TypeId::kNull) return a.WithNullable(true);
  if (a.SameShape(b)) return a.WithNullable(nullable);
  if (a.IsInteger() && b.IsInteger()) {
    return DataType::Of(IntegerRank(a.id) >= IntegerRank(b.id) ? a.id : b.id, nullable);
  }
  if (a.IsNumeric() && b.IsNumeric()) return CommonNumericType(a, b).WithNullable(nullable);
  if (a.IsString() && b.IsString()) return DataType::Of(TypeId::kString, nullable);
  if (a.IsTimestamp() && b.IsTimestamp()) {
    return DataType::Timestamp(std::max(a.precision, b.precision),
                               a.id == TypeId::kTimestampLtz && b.id == TypeId::kTimestampLtz,
                               nullable);
  }
  bool collections = a.id == TypeId::kArray || a.id == TypeId::kMap || a.id == TypeId::kMultiset;
  if (collections && a.id == b.id && a.children.size() == b.children.size()) {
    DataType common = a.WithNullable(nullable);
    for (size_t i = 0; i < a.children.size(); ++i) {
      common.children[i] = CommonType(a.children[i], b.children[i]);
      if (common.children[i].id == TypeId::kNull && a.children[i].id != TypeId::kNull) return DataType::Of(TypeId::kNull);
    }
    return common;
  }
  return DataType::Of(TypeId::kNull);
}

}  // namespace fsql
