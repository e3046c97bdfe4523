// Flink SQL logical types as fsql represents them at plan time.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace fsql {

enum class TypeId : uint8_t {
  kNull,  // the type of a bare NULL literal before it is cast
  kBoolean,
  kTinyInt,
  kSmallInt,
  kInt,
  kBigInt,
  kFloat,
  kDouble,
  kDecimal,
  kString,  // CHAR, VARCHAR and STRING; `length` keeps the declared bound
  kBytes,   // BINARY, VARBINARY and BYTES
  kDate,
  kTime,
  kTimestamp,     // TIMESTAMP(p) WITHOUT TIME ZONE
  kTimestampLtz,  // TIMESTAMP(p) WITH LOCAL TIME ZONE
  kIntervalDayTime,
  kIntervalYearMonth,
  kArray,
  kMap,
  kMultiset,
  kRow,
};

struct RowField;

/// A logical type: the id, nullability and the parameters that type id uses.
struct DataType {
  TypeId id = TypeId::kNull;
  bool nullable = true;
  int precision = 0;  // DECIMAL precision, or fractional-second digits of TIME and TIMESTAMP
  int scale = 0;      // DECIMAL scale
  int length = -1;    // CHAR/VARCHAR/BINARY bound; -1 means unbounded (STRING, BYTES)
  std::vector<DataType> children;  // ARRAY/MULTISET element, MAP key and value
  std::vector<RowField> fields;    // ROW fields

  static DataType Of(TypeId id, bool nullable = true);
  static DataType Timestamp(int precision, bool local_time_zone, bool nullable = true);
  static DataType Row(std::vector<RowField> fields, bool nullable = true);

  DataType WithNullable(bool value) const;

  bool IsNumeric() const;
  bool IsInteger() const;
  bool IsTimestamp() const { return id == TypeId::kTimestamp || id == TypeId::kTimestampLtz; }
  bool IsString() const { return id == TypeId::kString; }

  /// Returns the index of the ROW field named `name` (case-sensitive, as Flink
  /// resolves names), or -1.
  int FindField(const std::string& name) const;

  /// Renders the type as Flink prints it, e.g. `TIMESTAMP_LTZ(3) NOT NULL`.
  std::string ToString() const;

  /// Equality of id and parameters, ignoring nullability.
  bool SameShape(const DataType& other) const;
};

struct RowField {
  std::string name;
  DataType type;
};

/// Describes what is wrong with the parameters of `type` or of a nested type
/// (a DECIMAL precision outside 1 to 38, a scale outside 0 to the precision),
/// or returns "" when they are valid.
std::string InvalidTypeParameters(const DataType& type);

/// The narrowest type both sides widen to under Flink's implicit rules, or a
/// type with id kNull when there is none (the caller reports the mismatch).
DataType CommonType(const DataType& a, const DataType& b);

/// Narrows an int64 to the width of an integer type, wrapping as Java's casts
/// and int arithmetic do; other types keep the value.
inline int64_t NarrowInteger(int64_t value, const DataType& to) {
  switch (to.id) {
    case TypeId::kTinyInt: return static_cast<int8_t>(value);
    case TypeId::kSmallInt: return static_cast<int16_t>(value);
    case TypeId::kInt: return static_cast<int32_t>(value);
    default: return value;
  }
}

}  // namespace fsql
