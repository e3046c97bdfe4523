// A single SQL value as the expression interpreter handles it.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <variant>
#include <vector>

#include "runtime/types/data_type.h"

namespace fsql {

/// Physical value classes: every integer, date, time, timestamp and interval type
/// is an int64, FLOAT/DOUBLE/DECIMAL a double, CHAR/VARCHAR/BINARY a string and
/// ROW a list of values.
class Value {
 public:
  using RowValues = std::vector<Value>;

  Value() = default;
  static Value Null() { return Value(); }
  static Value Boolean(bool v) { Value out; out.data_ = v; return out; }
  static Value Int(int64_t v) { Value out; out.data_ = v; return out; }
  static Value Double(double v) { Value out; out.data_ = v; return out; }
  static Value String(std::string v) { Value out; out.data_ = std::move(v); return out; }
  static Value Row(RowValues fields) {
    Value out;
    out.data_ = std::make_shared<const RowValues>(std::move(fields));
    return out;
  }

  bool is_null() const { return std::holds_alternative<std::monostate>(data_); }
  bool as_bool() const { return std::get<bool>(data_); }
  int64_t as_int() const { return std::get<int64_t>(data_); }
  double as_double() const { return std::get<double>(data_); }
  const std::string& as_string() const { return std::get<std::string>(data_); }
  const RowValues& as_row() const { return *std::get<std::shared_ptr<const RowValues>>(data_); }

  bool is_bool() const { return std::holds_alternative<bool>(data_); }
  bool is_int() const { return std::holds_alternative<int64_t>(data_); }
  bool is_double() const { return std::holds_alternative<double>(data_); }
  bool is_string() const { return std::holds_alternative<std::string>(data_); }

  /// Renders the value for logs, plans and test output.
  std::string ToString(const DataType& type) const;

 private:
  std::variant<std::monostate, bool, int64_t, double, std::string,
               std::shared_ptr<const RowValues>>
      data_;
};

/// Orders two non-null values of the same physical class; NULLs sort first.
int CompareValues(const Value& a, const Value& b);
bool ValuesEqual(const Value& a, const Value& b);
uint64_t HashValue(const Value& v, uint64_t seed = 0);

/// Formats epoch milliseconds as 'YYYY-MM-DD HH:MM:SS.fff' in UTC.
std::string FormatTimestampMillis(int64_t millis, int precision);

}  // namespace fsql
