// Accumulators shared by the group and window aggregation operators.
#pragma once

#include <map>

#include "runtime/operators/operator.h"

namespace fsql {

/// The exact running sum of DECIMAL values for SUM and AVG.
class DecimalSum {
 public:
  /// Adds (`sign` = 1) or subtracts (`sign` = -1) a value; every value of one
  /// aggregate has the argument's scale.
  void Add(const DecimalValue& value, int sign) {
    scale_ = value.scale;
    Int128 delta = sign > 0 ? value.unscaled : -value.unscaled;
    // Past the int128 range the sum cannot come back reliably, so it stays NULL.
    if (__builtin_add_overflow(sum_, delta, &sum_)) overflowed_ = true;
  }

  /// SUM as DECIMAL(38, s): NULL when it needs more than 38 digits, as in Flink.
  Value Sum(const DataType& type) const { return Divide(type, 1); }

  /// AVG as DECIMAL(38, max(6, s)): the sum divided by the count, rounded HALF_UP.
  Value Average(const DataType& type, int64_t count) const { return Divide(type, count); }

 private:
  Value Divide(const DataType& type, int64_t count) const {
    Int128 result = 0;
    if (overflowed_ ||
        DecimalArithmetic('/', sum_, scale_, count, 0, type.precision, type.scale, &result) != DecimalStatus::kOk) {
      return Value::Null();
    }
    return Value::Decimal(result, type.scale);
  }

  Int128 sum_ = 0;
  int scale_ = 0;
  bool overflowed_ = false;
};

struct ValueLess {
  bool operator()(const Value& a, const Value& b) const { return CompareValues(a, b) < 0; }
};

/// One aggregate of one group, able to take values back out again.
class RetractableAccumulator {
 public:
  explicit RetractableAccumulator(const GroupAggregateSpec::Aggregate& aggregate) : aggregate_(&aggregate) {}

  /// Adds (`sign` = 1) or retracts (`sign` = -1) one input value.
  void Apply(const Value& value, int sign) {
    if (aggregate_->distinct) {
      int64_t& seen = distinct_[value];
      seen += sign;
      bool first_added = sign > 0 && seen == 1;
      bool last_removed = sign < 0 && seen == 0;
      if (seen == 0) distinct_.erase(value);
      if (!first_added && !last_removed) return;
    }
    if (!aggregate_->argument) {
      count_ += sign;
      return;
    }
    if (value.is_null()) return;
    count_ += sign;
    if (value.is_int()) {
      int_sum_ += sign * value.as_int();
      double_sum_ += sign * static_cast<double>(value.as_int());
    } else if (value.is_double()) {
      double_sum_ += sign * value.as_double();
    } else if (value.is_decimal()) {
      decimal_sum_.Add(value.as_decimal(), sign);
    }
    const std::string& f = aggregate_->function;
    if (f == "MIN" || f == "MAX") {
      int64_t& copies = values_[value];
      copies += sign;
      if (copies <= 0) values_.erase(value);
    }
  }

  Value Result() const {
    const std::string& f = aggregate_->function;
    if (f == "COUNT") return Value::Int(count_);
    if (count_ <= 0) return Value::Null();
    if (aggregate_->type.id == TypeId::kDecimal && (f == "SUM" || f == "AVG")) {
      return f == "SUM" ? decimal_sum_.Sum(aggregate_->type) : decimal_sum_.Average(aggregate_->type, count_);
    }
    if (f == "SUM") return aggregate_->type.IsInteger() ? Value::Int(int_sum_) : Value::Double(double_sum_);
    if (f == "AVG") {
      if (aggregate_->type.IsInteger()) return Value::Int(int_sum_ / count_);
      return Value::Double(double_sum_ / static_cast<double>(count_));
    }
    if (values_.empty()) return Value::Null();
    return f == "MIN" ? values_.begin()->first : values_.rbegin()->first;
  }

 private:
  const GroupAggregateSpec::Aggregate* aggregate_;
  int64_t count_ = 0;
  int64_t int_sum_ = 0;
  double double_sum_ = 0;
  DecimalSum decimal_sum_;
  std::map<Value, int64_t, ValueLess> values_;    // MIN and MAX need every value to retract one
  std::map<Value, int64_t, ValueLess> distinct_;  // DISTINCT: how often each value is present
};

}  // namespace fsql
