// Regular (non-windowed) INNER, LEFT, RIGHT and FULL OUTER join over changelog inputs.
#include <algorithm>
#include <unordered_map>

#include "runtime/common/error.h"
#include "runtime/operators/operator.h"

namespace fsql {

struct JoinOperator::State {
  // A row in state, with the processing time it was stored at: as in Flink,
  // each row of a key expires on its own.
  struct Stored {
    Row row;
    int64_t written = 0;
  };
  using Rows = std::vector<Stored>;
  JoinSpec spec;
  TtlMap<Rows> left;
  TtlMap<Rows> right;
  RowBuilder builder{0};
  std::vector<DataType> output_types;
};

namespace {

bool HasNullKey(RowView row, const std::vector<int>& keys) {
  for (int key : keys) {
    if (row.IsNull(static_cast<uint32_t>(key))) return true;
  }
  return false;
}

/// Removes one row with the same content as `row`; false if there is none.
template <typename Stored>
bool RemoveOne(std::vector<Stored>& rows, const Row& row) {
  for (auto it = rows.begin(); it != rows.end(); ++it) {
    if (SameContent(it->row, row)) {
      rows.erase(it);
      return true;
    }
  }
  return false;
}

/// Drops the rows of one key that have outlived the TTL.
template <typename Stored>
void DropExpired(std::vector<Stored>& rows, int64_t now, int64_t ttl_ms) {
  if (ttl_ms <= 0) return;
  rows.erase(std::remove_if(rows.begin(), rows.end(),
                            [&](const Stored& stored) { return StateExpired(stored.written, now, ttl_ms); }),
             rows.end());
}

}  // namespace

JoinOperator::JoinOperator(JoinSpec spec) : JoinCodeOperator(spec), state_(std::make_unique<State>()) {
  state_->spec = std::move(spec);
  state_->left = TtlMap<State::Rows>(state_->spec.state_ttl_ms[0]);
  state_->right = TtlMap<State::Rows>(state_->spec.state_ttl_ms[1]);
  state_->output_types = state_->spec.left_types;
  state_->output_types.insert(state_->output_types.end(), state_->spec.right_types.begin(),
                              state_->spec.right_types.end());
  state_->builder = RowBuilder(static_cast<uint32_t>(state_->output_types.size()));
}

JoinOperator::~JoinOperator() = default;

JoinCodeOperator::JoinCodeOperator(const JoinSpec& spec)
    : Operator(2),
      keys_{KeyEncoder(spec.left_keys, spec.left_types), KeyEncoder(spec.right_keys, spec.right_types)},
      condition_(spec.condition) {}

void JoinCodeOperator::SetKeyCompiler(CodegenMode mode, const KeyCompiler& compiler) {
  for (KeyEncoder& keys : keys_) keys.Compile(mode, compiler);
}

void JoinCodeOperator::SetConditionCompiler(CodegenMode mode, const CalcOperator::Compiler& compiler) {
  condition_.Compile(mode, compiler);
}

void JoinCodeOperator::SwitchToCompiledCodeIfReady() {
  for (KeyEncoder& keys : keys_) keys.SwitchToCompiledCodeIfReady();
  condition_.SwitchToCompiledCodeIfReady();
}

Row BuildJoinedRow(RowBuilder& builder, const JoinSpec& spec, const Row* left, const Row* right, RowKind kind,
                   int64_t event_time) {
  const auto left_width = static_cast<uint32_t>(spec.left_types.size());
  if (left == nullptr) {
    for (uint32_t i = 0; i < left_width; ++i) builder.SetNull(i);
  } else {
    builder.CopyColumns(0, left->view(), spec.left_types);
  }
  if (right == nullptr) {
    for (uint32_t i = 0; i < spec.right_types.size(); ++i) builder.SetNull(left_width + i);
  } else {
    builder.CopyColumns(left_width, right->view(), spec.right_types);
  }
  return builder.Finish(kind, event_time);
}

bool JoinOperator::TakeStateFrom(Operator& previous) {
  return TakeStateOf(*this, previous, &JoinOperator::state_);
}

void JoinOperator::ProcessBatch(int input, std::vector<Row>& rows) {
  KeyEncoder& key_encoder = keys_[input];
  SwitchToCompiledCodeIfReady();
  State& s = *state_;
  const JoinSpec& spec = s.spec;
  const bool outer[2] = {spec.kind == JoinKind::kLeft || spec.kind == JoinKind::kFull,
                         spec.kind == JoinKind::kRight || spec.kind == JoinKind::kFull};
  std::vector<Row> out;

  auto joined = [&](const Row* left, const Row* right, RowKind kind) {
    return BuildJoinedRow(s.builder, spec, left, right, kind, kNoTime);
  };
  // `side` is the input `row` came from; `other` a row of the opposite input.
  auto pair = [&](int side, const Row& row, const Row* other, RowKind kind) {
    return side == 0 ? joined(&row, other, kind) : joined(other, &row, kind);
  };
  auto padded = [&](int side, const Row& row, RowKind kind) { return pair(side, row, nullptr, kind); };
  auto matches = [&](int side, const Row& row, const Row& other) {
    if (!spec.condition) return true;
    Row candidate = pair(side, row, &other, RowKind::kInsert);
    return condition_.Holds(candidate.view(), context_);
  };
  // The number of rows in `candidates` (of input 1 - side) that `row` of `side` joins with.
  auto match_count = [&](int side, const Row& row, const State::Rows& candidates) {
    size_t count = 0;
    for (const auto& c : candidates) count += matches(side, row, c.row) ? 1 : 0;
    return count;
  };
  static const State::Rows kNoRows;
  const int64_t now = context_.processing_time_ms;
  s.left.Sweep(now);
  s.right.Sweep(now);

  const int side = input;
  const int other_side = 1 - input;
  const std::vector<int>& keys = side == 0 ? spec.left_keys : spec.right_keys;
  TtlMap<State::Rows>& own_state = side == 0 ? s.left : s.right;
  TtlMap<State::Rows>& other_state = side == 0 ? s.right : s.left;
  const int64_t own_ttl = spec.state_ttl_ms[side];
  const int64_t other_ttl = spec.state_ttl_ms[other_side];

  HashedKey key;
  for (Row& row : rows) {
    bool accumulate = IsAccumulate(row.kind());
    RowKind out_kind = accumulate ? RowKind::kInsert : RowKind::kDelete;
    // A NULL key matches nothing and is not kept: on an outer side it only
    // ever appears padded.
    if (HasNullKey(row.view(), keys)) {
      if (outer[side]) out.push_back(padded(side, row, out_kind));
      continue;
    }
    key_encoder.Encode(row.view(), key);
    State::Rows* others_found = other_state.Find(key, now);
    if (others_found != nullptr) DropExpired(*others_found, now, other_ttl);
    const State::Rows& others = others_found != nullptr ? *others_found : kNoRows;

    if (accumulate) {
      State::Rows& own = own_state.Write(key, now);
      DropExpired(own, now, own_ttl);
      size_t found = 0;
      for (const auto& stored : others) {
        const Row& o = stored.row;
        if (!matches(side, row, o)) continue;
        ++found;
        // The other row loses its NULL-padded result at its first match.
        if (outer[other_side] && match_count(other_side, o, own) == 0) {
          out.push_back(padded(other_side, o, RowKind::kDelete));
        }
        out.push_back(pair(side, row, &o, RowKind::kInsert));
      }
      if (found == 0 && outer[side]) out.push_back(padded(side, row, RowKind::kInsert));
      own.push_back(State::Stored{row.WithKind(RowKind::kInsert), now});
      continue;
    }

    State::Rows* own_found = own_state.Find(key, now);
    if (own_found != nullptr) DropExpired(*own_found, now, own_ttl);
    if (own_found == nullptr || !RemoveOne(*own_found, row)) continue;  // never accumulated, or forgotten
    State::Rows& own = own_state.Write(key, now);
    size_t found = 0;
    for (const auto& stored : others) {
      const Row& o = stored.row;
      if (!matches(side, row, o)) continue;
      ++found;
      out.push_back(pair(side, row, &o, RowKind::kDelete));
      // The other row falls back to its NULL-padded result after its last match.
      if (outer[other_side] && match_count(other_side, o, own) == 0) {
        out.push_back(padded(other_side, o, RowKind::kInsert));
      }
    }
    if (found == 0 && outer[side]) out.push_back(padded(side, row, RowKind::kDelete));
    if (own.empty()) own_state.Erase(key);
  }
  Emit(out);
}

}  // namespace fsql
