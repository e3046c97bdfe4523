// Accumulators shared by the group, window and OVER aggregation operators.
#pragma once

#include <algorithm>
#include <chrono>
#include <cmath>
#include <future>
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

/// The exact running sum of DECIMAL values for SUM and AVG. Its data members
/// are public because compiled accumulate functions update them in place.
struct DecimalSum {
  /// Adds (`sign` = 1) or subtracts (`sign` = -1) a value; every value of one
  /// aggregate has the argument's scale.
  void Add(const DecimalValue& value, int sign) {
    scale = value.scale;
    Int128 delta = sign > 0 ? value.unscaled : -value.unscaled;
    // Past the int128 range the sum cannot come back reliably, so it stays NULL.
    if (__builtin_add_overflow(sum, delta, &sum)) overflowed = true;
  }

  /// Adds the sum of `other`, which belongs to the same aggregate. An untouched
  /// sum has scale 0 and every added value has the argument's scale, so the
  /// larger scale is the one Add would have set.
  void Merge(const DecimalSum& other) {
    scale = std::max(scale, other.scale);
    if (other.overflowed) overflowed = true;
    if (__builtin_add_overflow(sum, other.sum, &sum)) overflowed = true;
  }

  /// SUM as DECIMAL(38, s): NULL when it needs more than 38 digits, as in Flink.
  Value Sum(const DataType& type) const { return Divide(type, 1); }

  /// AVG as DECIMAL(38, max(6, s)): the sum divided by the count, rounded HALF_UP.
  Value Average(const DataType& type, int64_t count) const { return Divide(type, count); }

  Value Divide(const DataType& type, int64_t count) const {
    Int128 result = 0;
    if (overflowed ||
        DecimalArithmetic('/', sum, scale, count, 0, type.precision, type.scale, &result) != DecimalStatus::kOk) {
      return Value::Null();
    }
    return Value::Decimal(result, type.scale);
  }

  Int128 sum = 0;
  int32_t scale = 0;
  bool overflowed = false;
};

/// The running count and sums of an accumulator, in one flat struct. The
/// interpreter's Apply and the compiled accumulate functions of
/// compiler/codegen/aggregate_compiler.h update the same fields in the same
/// way, so an aggregation can switch between them mid-stream.
struct NumericAccumulatorState {
  int64_t count = 0;
  int64_t int_sum = 0;
  int64_t int_sum_squares = 0;
  double double_sum = 0;
  double double_sum_squares = 0;
  DecimalSum decimal_sum;
};

/// Adds the count and sums of `from` to `into`, as applying the rows behind
/// `from` would: integer fields wrap as Java's long arithmetic does. The
/// double sums come out of a different order of additions, so they can round
/// differently from applying the rows one by one. The compiled merge
/// functions of compiler/codegen/aggregate_compiler.h do the same.
inline void MergeNumericState(NumericAccumulatorState& into, const NumericAccumulatorState& from) {
  auto wrapping_add = [](int64_t a, int64_t b) {
    return static_cast<int64_t>(static_cast<uint64_t>(a) + static_cast<uint64_t>(b));
  };
  into.count = wrapping_add(into.count, from.count);
  into.int_sum = wrapping_add(into.int_sum, from.int_sum);
  into.int_sum_squares = wrapping_add(into.int_sum_squares, from.int_sum_squares);
  into.double_sum += from.double_sum;
  into.double_sum_squares += from.double_sum_squares;
  into.decimal_sum.Merge(from.decimal_sum);
}

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
    ApplyValue(value, sign);
  }

  /// Adds the rows applied to `other`, an accumulator of the same aggregate,
  /// as if they had been applied to this one after its own rows.
  ///
  /// The count, the integer sums, the MIN/MAX/COLLECT multiset and the
  /// DISTINCT presence come out exactly as applying the rows would, in any
  /// order. That includes retractions of values that `other` never saw,
  /// because MIN, MAX and COLLECT keep negative counts for them. Three
  /// results can differ. Double sums add in a different order and can round
  /// differently. A DECIMAL sum turns NULL when a running sum passes the
  /// int128 range, and the running sums of a merge are not those of the rows.
  /// The FIRST_VALUE, LAST_VALUE and LISTAGG sequences are concatenated,
  /// which equals applying the rows only when `other` has no retraction and
  /// its rows arrived after this one's.
  void Merge(const RetractableAccumulator& other) {
    if (spec_->distinct) {
      MergeDistinct(other);
      return;
    }
    MergeNumericState(numeric_, other.numeric_);
    MergeValues(other);
    sequence_.insert(sequence_.end(), other.sequence_.begin(), other.sequence_.end());
  }

  /// Returns whether Merge gives the results of applying the rows, whatever
  /// their order: true for COUNT, MIN, MAX and COLLECT, for SUM and AVG with
  /// an integer or DECIMAL result, and for the statistics with an integer
  /// result. The double sums, FIRST_VALUE, LAST_VALUE and LISTAGG depend on
  /// the order of the rows.
  /// NOTE: a DECIMAL sum whose running sum passes the int128 range is the
  /// exception that docs/semantics.md describes. It counts as mergeable.
  static bool IsMergeable(const AccumulatorSpec& spec) {
    const std::string& f = spec.function;
    if (f == "COUNT" || f == "MIN" || f == "MAX" || f == "COLLECT") return true;
    if (f == "SUM" || f == "AVG") return spec.type.IsInteger() || spec.type.id == TypeId::kDecimal;
    if (f == "VAR_POP" || f == "VAR_SAMP" || f == "STDDEV_POP" || f == "STDDEV_SAMP") return spec.type.IsInteger();
    return false;
  }

  /// Adds (`sign` = 1) or retracts (`sign` = -1) one copy of a non-NULL value
  /// in the multiset that MIN, MAX and COLLECT keep. A value retracted more
  /// often than added keeps its negative count, so that the count is the same
  /// whatever order the rows come in. Apply calls it, and so do compiled
  /// accumulate functions after they update numeric_state().
  void ApplyToValues(const Value& value, int sign) { AddCopies(values_, value, sign); }

  /// Adds the value multiset of `other` to this one, for compiled merge
  /// functions, which merge numeric_state() themselves.
  void MergeValues(const RetractableAccumulator& other) {
    for (const auto& [value, copies] : other.values_) AddCopies(values_, value, copies);
  }

  /// The running count and sums, which compiled code updates in place of Apply.
  NumericAccumulatorState& numeric_state() { return numeric_; }
  const NumericAccumulatorState& numeric_state() const { return numeric_; }

 private:
  /// Applies a value without the DISTINCT bookkeeping.
  void ApplyValue(const Value& value, int sign) {
    if (spec_->counts_rows) {
      numeric_.count += sign;
      return;
    }
    if (value.is_null()) return;
    numeric_.count += sign;
    if (value.is_int()) {
      int64_t v = value.as_int();
      numeric_.int_sum = Wrap(numeric_.int_sum, sign, v);
      numeric_.int_sum_squares = Wrap(numeric_.int_sum_squares, sign, Wrap(0, v, v));
      numeric_.double_sum += sign * static_cast<double>(v);
      numeric_.double_sum_squares += sign * static_cast<double>(v) * static_cast<double>(v);
    } else if (value.is_double()) {
      numeric_.double_sum += sign * value.as_double();
      numeric_.double_sum_squares += sign * value.as_double() * value.as_double();
    } else if (value.is_decimal()) {
      numeric_.decimal_sum.Add(value.as_decimal(), sign);
      double d = DecimalToDouble(value.as_decimal().unscaled, value.as_decimal().scale);
      numeric_.double_sum += sign * d;
      numeric_.double_sum_squares += sign * d * d;
    }
    const std::string& f = spec_->function;
    if (f == "MIN" || f == "MAX" || f == "COLLECT") {
      ApplyToValues(value, sign);
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

  /// Merges the DISTINCT counts of `other`. A value counts as present while
  /// it was added more often than retracted, whatever the order of the rows,
  /// so the sums and the multiset are rebuilt from the values present.
  void MergeDistinct(const RetractableAccumulator& other) {
    for (const auto& [value, seen] : other.distinct_) AddCopies(distinct_, value, seen);
    numeric_ = NumericAccumulatorState{};
    values_.clear();
    sequence_.clear();
    for (const auto& [value, seen] : distinct_) {
      if (seen > 0) ApplyValue(value, 1);
    }
  }

  static void AddCopies(std::map<Value, int64_t, ValueLess>& counts, const Value& value, int64_t copies) {
    int64_t& count = counts[value];
    count += copies;
    if (count == 0) counts.erase(value);
  }

 public:
  /// Returns the byte offset of numeric_state() in a RetractableAccumulator,
  /// for compiled code that updates a vector of them.
  static size_t NumericStateOffset() {
    const RetractableAccumulator probe(AccumulatorSpec{});
    return static_cast<size_t>(reinterpret_cast<const char*>(&probe.numeric_) -
                               reinterpret_cast<const char*>(&probe));
  }

  Value Result() const {
    const std::string& f = spec_->function;
    if (f == "COUNT") return Value::Int(numeric_.count);
    if (f == "COLLECT") return Collected();
    if (numeric_.count <= 0) return Value::Null();
    if (spec_->type.id == TypeId::kDecimal && (f == "SUM" || f == "AVG")) {
      return f == "SUM" ? numeric_.decimal_sum.Sum(spec_->type) : numeric_.decimal_sum.Average(spec_->type, numeric_.count);
    }
    // An INT or smaller SUM wraps at its type's width, as Flink's sums in Java int arithmetic do.
    if (f == "SUM") {
      return spec_->type.IsInteger() ? Value::Int(NarrowInteger(numeric_.int_sum, spec_->type)) : Value::Double(numeric_.double_sum);
    }
    if (f == "AVG") {
      if (spec_->type.IsInteger()) return Value::Int(numeric_.int_sum / numeric_.count);
      return Value::Double(numeric_.double_sum / static_cast<double>(numeric_.count));
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
    auto present = [](const auto& entry) { return entry.second > 0; };
    if (f == "MIN") {
      auto it = std::find_if(values_.begin(), values_.end(), present);
      return it == values_.end() ? Value::Null() : it->first;
    }
    auto it = std::find_if(values_.rbegin(), values_.rend(), present);
    return it == values_.rend() ? Value::Null() : it->first;
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
      if (copies <= 0) continue;
      elements.push_back(value);
      counts.push_back(Value::Int(copies));
    }
    return Value::Map(std::move(elements), std::move(counts));
  }

  Value Statistic(const std::string& f) const {
    bool sample = f == "VAR_SAMP" || f == "STDDEV_SAMP";
    bool root = f == "STDDEV_POP" || f == "STDDEV_SAMP";
    int64_t divisor = sample ? numeric_.count - 1 : numeric_.count;
    if (divisor <= 0) return Value::Null();
    if (spec_->type.IsInteger()) {
      // The product and difference wrap, as Java's long arithmetic does.
      int64_t square = Wrap(0, numeric_.int_sum, numeric_.int_sum);
      int64_t variance = Wrap(numeric_.int_sum_squares, -1, square / numeric_.count) / divisor;
      if (!root) return Value::Int(variance);
      return Value::Int(static_cast<int64_t>(std::sqrt(static_cast<double>(variance))));
    }
    double n = static_cast<double>(numeric_.count);
    double variance = (numeric_.double_sum_squares - numeric_.double_sum * numeric_.double_sum / n) / static_cast<double>(divisor);
    return Value::Double(root ? std::sqrt(variance) : variance);
  }

  std::shared_ptr<const AccumulatorSpec> spec_;  // shared, so copies of a fresh accumulator stay cheap
  NumericAccumulatorState numeric_;
  std::map<Value, int64_t, ValueLess> values_;    // MIN and MAX keep every value so one can be retracted; COLLECT counts them
  std::map<Value, int64_t, ValueLess> distinct_;  // DISTINCT: how often each value is present
  std::vector<Value> sequence_;                   // FIRST_VALUE, LAST_VALUE, LISTAGG: values in arrival order
};

/// The aggregates of an aggregate list that compile (see IsCompilableAggregate
/// in compiler/codegen/aggregate_compiler.h), with their arguments and FILTER
/// clauses, compiled into one native function that updates each accumulator
/// exactly as Apply does. One instance may be shared by operators on several
/// job threads.
class CompiledAccumulate {
 public:
  virtual ~CompiledAccumulate() = default;

  /// Adds (`sign` = 1) or retracts (`sign` = -1) `row` to the compiled
  /// aggregates among `accumulators`, one per aggregate of the list in its
  /// order. Throws Error where the interpreter would, with the same message.
  virtual void Accumulate(RowView row, int sign, const EvalContext& context,
                          RetractableAccumulator* accumulators) const = 0;

  /// Merges each compiled aggregate of `from` into the same aggregate of
  /// `into`, as RetractableAccumulator::Merge does, for sliced window
  /// aggregation. Both arrays contain one accumulator per aggregate of the list.
  virtual void Merge(RetractableAccumulator* into, const RetractableAccumulator* from) const = 0;

  /// Whether aggregate `index` of the list is compiled. The caller applies
  /// and merges the others with the interpreter.
  virtual bool IsCompiled(size_t index) const = 0;
};

/// Applies one input row to a group's accumulators: the aggregates that
/// `compiled` covers through it (when it is set), the others with the
/// interpreter.
inline void ApplyRow(const std::vector<GroupAggregateSpec::Aggregate>& aggregates, const CompiledAccumulate* compiled,
                     RowView row, int sign, const EvalContext& context,
                     std::vector<RetractableAccumulator>& accumulators) {
  // NOTE: the compiled aggregates run before the interpreted ones, so when an
  // argument raises an error, the aggregates updated before it differ from
  // the interpreter's order. The row fails either way.
  if (compiled != nullptr) compiled->Accumulate(row, sign, context, accumulators.data());
  for (size_t a = 0; a < aggregates.size(); ++a) {
    if (compiled != nullptr && compiled->IsCompiled(a)) continue;
    const auto& aggregate = aggregates[a];
    if (aggregate.filter && !IsTrue(Evaluate(*aggregate.filter, row, context))) continue;
    Value value = aggregate.argument ? Evaluate(*aggregate.argument, row, context) : Value();
    accumulators[a].Apply(value, sign);
  }
}

/// Merges the accumulators of one group in `from` into `into`: the
/// aggregates that `compiled` covers through it (when it is set), the others
/// with RetractableAccumulator::Merge.
inline void MergeAccumulators(const CompiledAccumulate* compiled, const std::vector<RetractableAccumulator>& from,
                              std::vector<RetractableAccumulator>& into) {
  if (compiled != nullptr) compiled->Merge(into.data(), from.data());
  for (size_t a = 0; a < into.size(); ++a) {
    if (compiled == nullptr || !compiled->IsCompiled(a)) into[a].Merge(from[a]);
  }
}

/// Starts compiling the accumulate function of `aggregates` as `mode`
/// selects, for the group and window aggregation operators: it returns the
/// code at once for kJit, and a pending result for kAuto.
inline void StartAccumulateCompilation(CodegenMode mode, const AccumulateCompiler& compiler,
                                       const std::vector<GroupAggregateSpec::Aggregate>& aggregates,
                                       std::shared_ptr<const CompiledAccumulate>& compiled,
                                       std::future<std::shared_ptr<const CompiledAccumulate>>& pending) {
  if (mode == CodegenMode::kInterpret || !compiler || aggregates.empty()) return;
  if (mode == CodegenMode::kJit) {
    compiled = compiler(aggregates);
    return;
  }
  pending = std::async(std::launch::async, compiler, aggregates);
}

/// Takes the result of a background compilation once it has finished.
inline void TakeAccumulateIfReady(std::shared_ptr<const CompiledAccumulate>& compiled,
                                  std::future<std::shared_ptr<const CompiledAccumulate>>& pending) {
  TakeWhenReady(pending, compiled);
}

}  // namespace fsql
