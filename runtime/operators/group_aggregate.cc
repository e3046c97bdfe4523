// GROUP BY aggregation with retractions.
#include <map>
#include <unordered_map>

#include "runtime/common/error.h"
#include "runtime/operators/accumulator.h"
#include "runtime/operators/operator.h"

namespace fsql {

struct GroupAggregateOperator::State {
  GroupAggregateSpec spec;
  struct Group {
    int64_t rows = 0;
    std::vector<Value> keys;
    std::vector<RetractableAccumulator> accumulators;
    bool has_emitted = false;
    std::vector<Value> emitted;  // the last result sent downstream
  };
  TtlMap<Group> groups;
  RowBuilder builder{0};
  std::vector<DataType> output_types;
};

GroupAggregateOperator::GroupAggregateOperator(GroupAggregateSpec spec)
    : state_(std::make_unique<State>()), column_keys_(ColumnKeyEncoder(spec.keys)) {
  state_->spec = std::move(spec);
  state_->groups = TtlMap<State::Group>(state_->spec.state_ttl_ms);
  for (const auto& key : state_->spec.keys) state_->output_types.push_back(key->type);
  for (const auto& aggregate : state_->spec.aggregates) state_->output_types.push_back(aggregate.type);
  state_->builder = RowBuilder(static_cast<uint32_t>(state_->output_types.size()));
}

GroupAggregateOperator::~GroupAggregateOperator() = default;

bool GroupAggregateOperator::TakeStateFrom(Operator& previous) {
  return TakeStateOf(*this, previous, &GroupAggregateOperator::state_);
}

void GroupAggregateOperator::SetKeyCompiler(CodegenMode mode, const KeyCompiler& compiler) {
  if (column_keys_) column_keys_->Compile(mode, compiler);
}

void GroupAggregateOperator::SetAccumulateCompiler(CodegenMode mode, const AccumulateCompiler& compiler) {
  StartAccumulateCompilation(mode, compiler, state_->spec.aggregates, accumulate_, pending_accumulate_);
}

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

  const int64_t now = context_.processing_time_ms;
  s.groups.Sweep(now);
  if (column_keys_) column_keys_->SwitchToCompiledCodeIfReady();
  TakeAccumulateIfReady(accumulate_, pending_accumulate_);
  HashedKey encoded;
  std::vector<Value> keys;
  for (const Row& row : rows) {
    RowView view = row.view();
    // Column keys are encoded straight from the row and evaluated only for a
    // new group, which keeps them for its output rows.
    keys.clear();
    if (column_keys_) {
      column_keys_->Encode(view, encoded);
    } else {
      keys = EvaluateKeys(spec.keys, view, context_);
      encoded.bytes = EncodeThroughRow(s.builder, spec.keys, keys, s.output_types.size());
      encoded.hash = HashKey(encoded.bytes);
    }

    int sign = IsAccumulate(row.kind()) ? 1 : -1;
    State::Group* found = s.groups.Find(encoded, now);
    if (found == nullptr && sign < 0) continue;  // retraction of a row never counted, or forgotten
    State::Group& group = s.groups.Write(encoded, now);
    if (found == nullptr) {
      group.keys = column_keys_ ? EvaluateKeys(spec.keys, view, context_) : keys;
      for (const auto& aggregate : spec.aggregates) group.accumulators.emplace_back(aggregate);
    }
    group.rows += sign;
    ApplyRow(spec.aggregates, accumulate_.get(), view, sign, context_, group.accumulators);

    if (group.rows <= 0) {
      if (group.has_emitted) out.push_back(build(group, group.emitted, RowKind::kDelete));
      s.groups.Erase(encoded);
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
