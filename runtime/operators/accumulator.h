// Accumulators shared by the group, window and OVER aggregation operators.
#pragma once

#include <algorithm>
#include <cmath>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "runtime/operators/operator.h"
#include "runtime/types/decimal.h"

namespace fsql {

/// Evaluates the group keys of an aggregation over one input row.
inline std::vector<Value> EvaluateKeys(const std::vector<ExprPtr>& keys, RowView row, const EvalContext& context) {
  std::vector<Value> values;
  values.reserve(keys.size());
  for (const auto& key : keys) values.push_back(Evaluate(*key, row, context));
  return values;
}

/// Encodes evaluated group keys through a row of `width` columns, so that
/// equal values give equal bytes. Used when some key is not an input column.
inline std::string EncodeThroughRow(RowBuilder& builder, const std::vector<ExprPtr>& keys,
                                    const std::vector<Value>& values, size_t width) {
  for (size_t i = 0; i < values.size(); ++i) builder.SetValue(static_cast<uint32_t>(i), keys[i]->type, values[i]);
  for (size_t i = values.size(); i < width; ++i) builder.SetNull(static_cast<uint32_t>(i));
  return builder.Finish(RowKind::kInsert).bytes().substr(RowView::kHeaderSize);
}

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

/// The parts of an aggregate call that its accumulator reads.
struct AccumulatorSpec {
  std::string function;  // COUNT, SUM, AVG, MIN, MAX, FIRST_VALUE, LISTAGG, VAR_POP, COLLECT, ...
  DataType type;         // the result type
  bool counts_rows = false;  // COUNT(*), which has no argument
  bool distinct = false;
  std::string separator = ",";  // LISTAGG's separator

  static AccumulatorSpec Of(const GroupAggregateSpec::Aggregate& aggregate) {
    return AccumulatorSpec{aggregate.function, aggregate.type, aggregate.argument == nullptr, aggregate.distinct,
                           aggregate.separator};
  }
  static AccumulatorSpec Of(const OverAggregateSpec::Aggregate& aggregate) {
    return AccumulatorSpec{aggregate.function, aggregate.type, aggregate.argument == nullptr, false,
                           aggregate.separator};
  }
};

/// One aggregate of one group, able to take values back out again.
///
/// The statistics (VAR_POP, VAR_SAMP, STDDEV_POP, STDDEV_SAMP) keep the sum,
/// the sum of squares and the count. They compute the result as Flink's
/// planner rewrites them, (SUM(x*x) - SUM(x)*SUM(x)/COUNT(x)) / COUNT(x), with
/// COUNT(x) - 1 as the divisor of the sample forms. Integer arguments use
/// integer arithmetic.
class RetractableAccumulator {
 public:
  explicit RetractableAccumulator(AccumulatorSpec spec) : spec_(std::make_shared<const AccumulatorSpec>(std::move(spec))) {}
  explicit RetractableAccumulator(const GroupAggregateSpec::Aggregate& aggregate)
      : RetractableAccumulator(AccumulatorSpec::Of(aggregate)) {}
  explicit RetractableAccumulator(const OverAggregateSpec::Aggregate& aggregate)
      : RetractableAccumulator(AccumulatorSpec::Of(aggregate)) {}

  /// Adds one input value, for accumulators that never retract.
  void Add(const Value& value) { Apply(value, 1); }

  /// Adds (`sign` = 1) or retracts (`sign` = -1) one input value.
  void Apply(const Value& value, int sign) {
    if (spec_->distinct) {
      int64_t& seen = distinct_[value];
      seen += sign;
      bool first_added = sign > 0 && seen == 1;
      bool last_removed = sign < 0 && seen == 0;
      if (seen == 0) distinct_.erase(value);
      if (!first_added && !last_removed) return;
    }
    if (spec_->counts_rows) {
      count_ += sign;
      return;
    }
    if (value.is_null()) return;
    count_ += sign;
    if (value.is_int()) {
      int64_t v = value.as_int();
      int_sum_ = Wrap(int_sum_, sign, v);
      int_sum_squares_ = Wrap(int_sum_squares_, sign, Wrap(0, v, v));
      double_sum_ += sign * static_cast<double>(v);
      double_sum_squares_ += sign * static_cast<double>(v) * static_cast<double>(v);
    } else if (value.is_double()) {
      double_sum_ += sign * value.as_double();
      double_sum_squares_ += sign * value.as_double() * value.as_double();
    } else if (value.is_decimal()) {
      decimal_sum_.Add(value.as_decimal(), sign);
      double d = DecimalToDouble(value.as_decimal().unscaled, value.as_decimal().scale);
      double_sum_ += sign * d;
      double_sum_squares_ += sign * d * d;
    }
    const std::string& f = spec_->function;
    if (f == "MIN" || f == "MAX" || f == "COLLECT") {
      int64_t& copies = values_[value];
      copies += sign;
      if (copies <= 0) values_.erase(value);
    } else if (f == "FIRST_VALUE" || f == "LAST_VALUE" || f == "LISTAGG") {
      if (sign > 0) {
        sequence_.push_back(value);
      } else {
        // Like Flink's retractable accumulators, a retraction removes the
        // earliest equal value still present.
        auto it = std::find_if(sequence_.begin(), sequence_.end(),
                               [&](const Value& kept) { return ValuesEqual(kept, value); });
        if (it != sequence_.end()) sequence_.erase(it);
      }
    }
  }

  Value Result() const {
    const std::string& f = spec_->function;
    if (f == "COUNT") return Value::Int(count_);
    if (f == "COLLECT") return Collected();
    if (count_ <= 0) return Value::Null();
    if (spec_->type.id == TypeId::kDecimal && (f == "SUM" || f == "AVG")) {
      return f == "SUM" ? decimal_sum_.Sum(spec_->type) : decimal_sum_.Average(spec_->type, count_);
    }
    // An INT or smaller SUM wraps at its type's width, as Flink's sums in Java int arithmetic do.
    if (f == "SUM") {
      return spec_->type.IsInteger() ? Value::Int(NarrowInteger(int_sum_, spec_->type)) : Value::Double(double_sum_);
    }
    if (f == "AVG") {
      if (spec_->type.IsInteger()) return Value::Int(int_sum_ / count_);
      return Value::Double(double_sum_ / static_cast<double>(count_));
    }
    if (f == "VAR_POP" || f == "VAR_SAMP" || f == "STDDEV_POP" || f == "STDDEV_SAMP") return Statistic(f);
    if (f == "FIRST_VALUE") return sequence_.empty() ? Value::Null() : sequence_.front();
    if (f == "LAST_VALUE") return sequence_.empty() ? Value::Null() : sequence_.back();
    if (f == "LISTAGG") {
      if (sequence_.empty()) return Value::Null();
      std::string joined;
      for (size_t i = 0; i < sequence_.size(); ++i) {
        if (i > 0) joined += spec_->separator;
        joined += sequence_[i].as_string();
      }
      return Value::String(std::move(joined));
    }
    if (values_.empty()) return Value::Null();
    return f == "MIN" ? values_.begin()->first : values_.rbegin()->first;
  }

 private:
  static int64_t Wrap(int64_t base, int64_t sign_or_factor, int64_t v) {
    // Java's long arithmetic wraps, and so does Flink's integer SUM.
    return static_cast<int64_t>(static_cast<uint64_t>(base) +
                                static_cast<uint64_t>(sign_or_factor) * static_cast<uint64_t>(v));
  }

  /// COLLECT's MULTISET: each distinct value with its count, in value order so
  /// that equal multisets print alike. With no values it is empty, not NULL.
  Value Collected() const {
    std::vector<Value> elements;
    std::vector<Value> counts;
    for (const auto& [value, copies] : values_) {
      elements.push_back(value);
      counts.push_back(Value::Int(copies));
    }
    return Value::Map(std::move(elements), std::move(counts));
  }

  Value Statistic(const std::string& f) const {
    bool sample = f == "VAR_SAMP" || f == "STDDEV_SAMP";
    bool root = f == "STDDEV_POP" || f == "STDDEV_SAMP";
    int64_t divisor = sample ? count_ - 1 : count_;
    if (divisor <= 0) return Value::Null();
    if (spec_->type.IsInteger()) {
      int64_t variance = (int_sum_squares_ - int_sum_ * int_sum_ / count_) / divisor;
      if (!root) return Value::Int(variance);
      return Value::Int(static_cast<int64_t>(std::sqrt(static_cast<double>(variance))));
    }
    double n = static_cast<double>(count_);
    double variance = (double_sum_squares_ - double_sum_ * double_sum_ / n) / static_cast<double>(divisor);
    return Value::Double(root ? std::sqrt(variance) : variance);
  }

  std::shared_ptr<const AccumulatorSpec> spec_;  // shared, so copies of a fresh accumulator stay cheap
  int64_t count_ = 0;
  int64_t int_sum_ = 0;
  int64_t int_sum_squares_ = 0;
  double double_sum_ = 0;
  double double_sum_squares_ = 0;
  DecimalSum decimal_sum_;
  std::map<Value, int64_t, ValueLess> values_;    // MIN and MAX keep every value so one can be retracted; COLLECT counts them
  std::map<Value, int64_t, ValueLess> distinct_;  // DISTINCT: how often each value is present
  std::vector<Value> sequence_;                   // FIRST_VALUE, LAST_VALUE, LISTAGG: values in arrival order
};

}  // namespace fsql
