// GROUP BY aggregation with retractions.
#include <map>
#include <unordered_map>

#include "runtime/common/error.h"
#include "runtime/operators/operator.h"

namespace fsql {

namespace {

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
  std::map<Value, int64_t, ValueLess> values_;    // MIN and MAX need every value to retract one
  std::map<Value, int64_t, ValueLess> distinct_;  // DISTINCT: how often each value is present
};

}  // namespace

struct GroupAggregateOperator::State {
  GroupAggregateSpec spec;
  struct Group {
    int64_t rows = 0;
    std::vector<Value> keys;
    std::vector<RetractableAccumulator> accumulators;
    bool has_emitted = false;
    std::vector<Value> emitted;  // the last result sent downstream
  };
  std::unordered_map<std::string, Group> groups;
  RowBuilder builder{0};
  std::vector<DataType> output_types;
};

GroupAggregateOperator::GroupAggregateOperator(GroupAggregateSpec spec) : state_(std::make_unique<State>()) {
  state_->spec = std::move(spec);
  for (const auto& key : state_->spec.keys) state_->output_types.push_back(key->type);
  for (const auto& aggregate : state_->spec.aggregates) state_->output_types.push_back(aggregate.type);
  state_->builder = RowBuilder(static_cast<uint32_t>(state_->output_types.size()));
}

GroupAggregateOperator::~GroupAggregateOperator() = default;

size_t GroupAggregateOperator::group_count() const { return state_->groups.size(); }

void GroupAggregateOperator::ProcessBatch(int input, std::vector<Row>& rows) {
  State& s = *state_;
  const auto& spec = s.spec;
  std::vector<Row> out;

  auto build = [&](const State::Group& group, const std::vector<Value>& results, RowKind kind) {
    uint32_t column = 0;
    for (size_t i = 0; i < group.keys.size(); ++i, ++column) {
      s.builder.SetValue(column, s.output_types[column], group.keys[i]);
    }
    for (size_t i = 0; i < results.size(); ++i, ++column) {
      s.builder.SetValue(column, s.output_types[column], results[i]);
    }
    return s.builder.Finish(kind);
  };

  for (const Row& row : rows) {
    RowView view = row.view();
    std::vector<Value> keys;
    keys.reserve(spec.keys.size());
    for (const auto& key : spec.keys) keys.push_back(Evaluate(*key, view, context_));
    // Encode the evaluated keys through a row so equal values give equal bytes.
    for (size_t i = 0; i < keys.size(); ++i) s.builder.SetValue(static_cast<uint32_t>(i), spec.keys[i]->type, keys[i]);
    for (size_t i = keys.size(); i < s.output_types.size(); ++i) s.builder.SetNull(static_cast<uint32_t>(i));
    std::string encoded = s.builder.Finish(RowKind::kInsert).bytes().substr(RowView::kHeaderSize);

    int sign = IsAccumulate(row.kind()) ? 1 : -1;
    auto it = s.groups.find(encoded);
    if (it == s.groups.end()) {
      if (sign < 0) continue;  // retraction of a row never counted
      State::Group group;
      group.keys = keys;
      for (const auto& aggregate : spec.aggregates) group.accumulators.emplace_back(aggregate);
      it = s.groups.emplace(encoded, std::move(group)).first;
    }
    State::Group& group = it->second;
    group.rows += sign;
    for (size_t a = 0; a < spec.aggregates.size(); ++a) {
      const auto& aggregate = spec.aggregates[a];
      if (aggregate.filter && !IsTrue(Evaluate(*aggregate.filter, view, context_))) continue;
      Value value = aggregate.argument ? Evaluate(*aggregate.argument, view, context_) : Value();
      group.accumulators[a].Apply(value, sign);
    }

    if (group.rows <= 0) {
      if (group.has_emitted) out.push_back(build(group, group.emitted, RowKind::kDelete));
      s.groups.erase(it);
      continue;
    }
    std::vector<Value> results;
    results.reserve(group.accumulators.size());
    for (const auto& accumulator : group.accumulators) results.push_back(accumulator.Result());
    if (!group.has_emitted) {
      out.push_back(build(group, results, RowKind::kInsert));
      group.has_emitted = true;
    } else {
      bool same = true;
      for (size_t i = 0; i < results.size() && same; ++i) {
        same = results[i].is_null() == group.emitted[i].is_null() && ValuesEqual(results[i], group.emitted[i]);
      }
      if (same) continue;
      out.push_back(build(group, group.emitted, RowKind::kUpdateBefore));
      out.push_back(build(group, results, RowKind::kUpdateAfter));
    }
    group.emitted = std::move(results);
  }
  Emit(out);
}

}  // namespace fsql
