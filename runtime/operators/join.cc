// Regular (non-windowed) INNER, LEFT, RIGHT and FULL OUTER join over changelog inputs.
#include <unordered_map>

#include "runtime/common/error.h"
#include "runtime/operators/operator.h"

namespace fsql {

struct JoinOperator::State {
  JoinSpec spec;
  std::unordered_map<std::string, std::vector<Row>> left;
  std::unordered_map<std::string, std::vector<Row>> right;
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
bool RemoveOne(std::vector<Row>& rows, const Row& row) {
  for (auto it = rows.begin(); it != rows.end(); ++it) {
    if (SameContent(*it, row)) {
      rows.erase(it);
      return true;
    }
  }
  return false;
}

}  // namespace

JoinOperator::JoinOperator(JoinSpec spec) : Operator(2), state_(std::make_unique<State>()) {
  state_->spec = std::move(spec);
  state_->output_types = state_->spec.left_types;
  state_->output_types.insert(state_->output_types.end(), state_->spec.right_types.begin(),
                              state_->spec.right_types.end());
  state_->builder = RowBuilder(static_cast<uint32_t>(state_->output_types.size()));
}

JoinOperator::~JoinOperator() = default;

void JoinOperator::ProcessBatch(int input, std::vector<Row>& rows) {
  State& s = *state_;
  const JoinSpec& spec = s.spec;
  const uint32_t left_width = static_cast<uint32_t>(spec.left_types.size());
  const uint32_t right_width = static_cast<uint32_t>(spec.right_types.size());
  const bool outer[2] = {spec.kind == JoinKind::kLeft || spec.kind == JoinKind::kFull,
                         spec.kind == JoinKind::kRight || spec.kind == JoinKind::kFull};
  std::vector<Row> out;

  // Builds left+right; a missing side is padded with NULLs.
  auto joined = [&](const Row* left, const Row* right, RowKind kind) {
    for (uint32_t i = 0; i < left_width; ++i) {
      if (left == nullptr) {
        s.builder.SetNull(i);
      } else {
        s.builder.SetValue(i, spec.left_types[i], left->view().GetValue(i, spec.left_types[i]));
      }
    }
    for (uint32_t i = 0; i < right_width; ++i) {
      if (right == nullptr) {
        s.builder.SetNull(left_width + i);
      } else {
        s.builder.SetValue(left_width + i, spec.right_types[i], right->view().GetValue(i, spec.right_types[i]));
      }
    }
    return s.builder.Finish(kind, kNoTime);
  };
  // `side` is the input `row` came from; `other` a row of the opposite input.
  auto pair = [&](int side, const Row& row, const Row* other, RowKind kind) {
    return side == 0 ? joined(&row, other, kind) : joined(other, &row, kind);
  };
  auto padded = [&](int side, const Row& row, RowKind kind) { return pair(side, row, nullptr, kind); };
  auto matches = [&](int side, const Row& row, const Row& other) {
    if (!spec.condition) return true;
    Row candidate = pair(side, row, &other, RowKind::kInsert);
    return IsTrue(Evaluate(*spec.condition, candidate.view(), context_));
  };
  // The number of rows in `candidates` (of input 1 - side) that `row` of `side` joins with.
  auto match_count = [&](int side, const Row& row, const std::vector<Row>& candidates) {
    size_t count = 0;
    for (const Row& c : candidates) count += matches(side, row, c) ? 1 : 0;
    return count;
  };
  static const std::vector<Row> kNoRows;

  const int side = input;
  const int other_side = 1 - input;
  const std::vector<int>& keys = side == 0 ? spec.left_keys : spec.right_keys;
  const std::vector<DataType>& types = side == 0 ? spec.left_types : spec.right_types;
  auto& own_state = side == 0 ? s.left : s.right;
  auto& other_state = side == 0 ? s.right : s.left;

  for (Row& row : rows) {
    bool accumulate = IsAccumulate(row.kind());
    RowKind out_kind = accumulate ? RowKind::kInsert : RowKind::kDelete;
    // A NULL key matches nothing and is not kept: on an outer side it only
    // ever appears padded.
    if (HasNullKey(row.view(), keys)) {
      if (outer[side]) out.push_back(padded(side, row, out_kind));
      continue;
    }
    std::string key = EncodeKey(row.view(), keys, types);
    auto others_it = other_state.find(key);
    const std::vector<Row>& others = others_it == other_state.end() ? kNoRows : others_it->second;

    if (accumulate) {
      std::vector<Row>& own = own_state[key];
      size_t found = 0;
      for (const Row& o : others) {
        if (!matches(side, row, o)) continue;
        ++found;
        // The other row loses its NULL-padded result at its first match.
        if (outer[other_side] && match_count(other_side, o, own) == 0) {
          out.push_back(padded(other_side, o, RowKind::kDelete));
        }
        out.push_back(pair(side, row, &o, RowKind::kInsert));
      }
      if (found == 0 && outer[side]) out.push_back(padded(side, row, RowKind::kInsert));
      own.push_back(row.WithKind(RowKind::kInsert));
      continue;
    }

    auto own_it = own_state.find(key);
    if (own_it == own_state.end() || !RemoveOne(own_it->second, row)) continue;  // never accumulated
    std::vector<Row>& own = own_it->second;
    size_t found = 0;
    for (const Row& o : others) {
      if (!matches(side, row, o)) continue;
      ++found;
      out.push_back(pair(side, row, &o, RowKind::kDelete));
      // The other row falls back to its NULL-padded result after its last match.
      if (outer[other_side] && match_count(other_side, o, own) == 0) {
        out.push_back(padded(other_side, o, RowKind::kInsert));
      }
    }
    if (found == 0 && outer[side]) out.push_back(padded(side, row, RowKind::kDelete));
    if (own.empty()) own_state.erase(own_it);
  }
  Emit(out);
}

}  // namespace fsql
