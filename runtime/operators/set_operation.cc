// UNION (distinct), INTERSECT and EXCEPT over changelog inputs.
#include <algorithm>

#include "runtime/operators/operator.h"

namespace fsql {

struct SetOperationOperator::State {
  SetOperationSpec spec;
  struct Counts {
    int64_t left = 0;
    int64_t right = 0;
  };
  TtlMap<Counts> counts;
};

SetOperationOperator::SetOperationOperator(SetOperationSpec spec) : Operator(2), state_(std::make_unique<State>()) {
  state_->spec = std::move(spec);
  state_->counts = TtlMap<State::Counts>(state_->spec.state_ttl_ms);
  std::vector<int> all_columns;
  for (size_t i = 0; i < state_->spec.types.size(); ++i) all_columns.push_back(static_cast<int>(i));
  row_key_ = KeyEncoder(std::move(all_columns), state_->spec.types);
}

SetOperationOperator::~SetOperationOperator() = default;

bool SetOperationOperator::TakeStateFrom(Operator& previous) {
  return TakeStateOf(*this, previous, &SetOperationOperator::state_);
}

void SetOperationOperator::SetKeyCompiler(CodegenMode mode, const KeyCompiler& compiler) {
  row_key_.Compile(mode, compiler);
}

std::string SetOperationOperator::name() const {
  switch (state_->spec.operation) {
    case SetOperation::kUnion: return "Union";
    case SetOperation::kIntersect: return state_->spec.all ? "IntersectAll" : "Intersect";
    case SetOperation::kExcept: return state_->spec.all ? "ExceptAll" : "Except";
  }
  return "SetOperation";
}

namespace {

/// How many copies of a row the result holds when the inputs hold `left` and
/// `right` copies, by the SQL definitions of the operations.
int64_t ResultCopies(const SetOperationSpec& spec, int64_t left, int64_t right) {
  switch (spec.operation) {
    case SetOperation::kUnion:
      return left + right > 0 ? 1 : 0;
    case SetOperation::kIntersect:
      return spec.all ? std::min(left, right) : (left > 0 && right > 0 ? 1 : 0);
    case SetOperation::kExcept:
      return spec.all ? std::max<int64_t>(left - right, 0) : (left > 0 && right == 0 ? 1 : 0);
  }
  return 0;
}

}  // namespace

void SetOperationOperator::ProcessBatch(int input, std::vector<Row>& rows) {
  row_key_.SwitchToCompiledCodeIfReady();
  State& s = *state_;
  const int64_t now = context_.processing_time_ms;
  s.counts.Sweep(now);
  std::vector<Row> out;
  HashedKey key;
  for (const Row& row : rows) {
    row_key_.Encode(row.view(), key);
    int sign = IsAccumulate(row.kind()) ? 1 : -1;
    State::Counts* found = s.counts.Find(key, now);
    if (found == nullptr && sign < 0) continue;  // retraction of a row never counted, or forgotten
    State::Counts& counts = s.counts.Write(key, now);
    int64_t before = ResultCopies(s.spec, counts.left, counts.right);
    (input == 0 ? counts.left : counts.right) += sign;
    int64_t after = ResultCopies(s.spec, counts.left, counts.right);
    for (int64_t i = before; i < after; ++i) out.push_back(row.WithKind(RowKind::kInsert));
    for (int64_t i = after; i < before; ++i) out.push_back(row.WithKind(RowKind::kDelete));
    if (counts.left <= 0 && counts.right <= 0) s.counts.Erase(key);
  }
  Emit(out);
}

}  // namespace fsql
