// A single SQL value as the expression interpreter handles it.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <variant>
#include <vector>

#include "runtime/types/data_type.h"
#include "runtime/types/decimal.h"

namespace fsql {

/// A DECIMAL value: unscaled / 10^scale. The scale travels with the value so
/// that comparing and hashing values of different DECIMAL types is exact.
struct DecimalValue {
  Int128 unscaled = 0;
  int32_t scale = 0;
};

struct ArrayValues;
struct MapValues;

/// Physical value classes: every integer, date, time, timestamp and interval type
/// is an int64, FLOAT/DOUBLE a double and DECIMAL a DecimalValue.
/// CHAR/VARCHAR/BINARY is a string, ROW a list of values and ARRAY a list of
/// elements. MAP and MULTISET are lists of entries, and a MULTISET maps each
/// element to its INT count, as Flink represents it.
class Value {
 public:
  using RowValues = std::vector<Value>;

  Value() = default;
  static Value Null() { return Value(); }
  static Value Boolean(bool v) { Value out; out.data_ = v; return out; }
  static Value Int(int64_t v) { Value out; out.data_ = v; return out; }
  static Value Double(double v) { Value out; out.data_ = v; return out; }
  static Value String(std::string v) { Value out; out.data_ = std::move(v); return out; }
  static Value Decimal(Int128 unscaled, int scale) {
    Value out;
    out.data_ = DecimalValue{unscaled, scale};
    return out;
  }
  static Value Row(RowValues fields) {
    Value out;
    out.data_ = std::make_shared<const RowValues>(std::move(fields));
    return out;
  }
  static Value Array(std::vector<Value> elements);
  static Value Map(std::vector<Value> keys, std::vector<Value> values);

  bool is_null() const { return std::holds_alternative<std::monostate>(data_); }
  bool as_bool() const { return std::get<bool>(data_); }
  int64_t as_int() const { return std::get<int64_t>(data_); }
  double as_double() const { return std::get<double>(data_); }
  const std::string& as_string() const { return std::get<std::string>(data_); }
  const DecimalValue& as_decimal() const { return std::get<DecimalValue>(data_); }
  const RowValues& as_row() const { return *std::get<std::shared_ptr<const RowValues>>(data_); }
  const ArrayValues& as_array() const { return *std::get<std::shared_ptr<const ArrayValues>>(data_); }
  const MapValues& as_map() const { return *std::get<std::shared_ptr<const MapValues>>(data_); }

  bool is_bool() const { return std::holds_alternative<bool>(data_); }
  bool is_int() const { return std::holds_alternative<int64_t>(data_); }
  bool is_double() const { return std::holds_alternative<double>(data_); }
  bool is_string() const { return std::holds_alternative<std::string>(data_); }
  bool is_decimal() const { return std::holds_alternative<DecimalValue>(data_); }
  bool is_row() const { return std::holds_alternative<std::shared_ptr<const RowValues>>(data_); }
  bool is_array() const { return std::holds_alternative<std::shared_ptr<const ArrayValues>>(data_); }
  bool is_map() const { return std::holds_alternative<std::shared_ptr<const MapValues>>(data_); }

  /// Renders the value for logs, plans and test output.
  std::string ToString(const DataType& type) const;

 private:
  std::variant<std::monostate, bool, int64_t, double, std::string, DecimalValue,
               std::shared_ptr<const RowValues>, std::shared_ptr<const ArrayValues>,
               std::shared_ptr<const MapValues>>
      data_;
};

struct ArrayValues {
  std::vector<Value> elements;
};

/// Entries in insertion order; keys are distinct.
struct MapValues {
  std::vector<Value> keys;
  std::vector<Value> values;
};

inline Value Value::Array(std::vector<Value> elements) {
  Value out;
  out.data_ = std::make_shared<const ArrayValues>(ArrayValues{std::move(elements)});
  return out;
}

inline Value Value::Map(std::vector<Value> keys, std::vector<Value> values) {
  Value out;
  out.data_ = std::make_shared<const MapValues>(MapValues{std::move(keys), std::move(values)});
  return out;
}

/// Orders two values of the same physical class; NULLs sort first. An integer
/// compares exactly with a DECIMAL and numerically with a double.
int CompareValues(const Value& a, const Value& b);
bool ValuesEqual(const Value& a, const Value& b);
uint64_t HashValue(const Value& v, uint64_t seed = 0);

/// Formats epoch milliseconds as 'YYYY-MM-DD HH:MM:SS.fff' in UTC.
std::string FormatTimestampMillis(int64_t millis, int precision);

}  // namespace fsql
