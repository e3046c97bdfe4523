// Regular (non-windowed) INNER and LEFT OUTER join over changelog inputs.
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
  std::vector<Row> out;

  // Builds left+right, or left+NULLs when `right` is null.
  auto joined = [&](const Row& left, const Row* right, RowKind kind) {
    RowView l = left.view();
    for (uint32_t i = 0; i < left_width; ++i) s.builder.SetValue(i, spec.left_types[i], l.GetValue(i, spec.left_types[i]));
    for (uint32_t i = 0; i < right_width; ++i) {
      if (right == nullptr) {
        s.builder.SetNull(left_width + i);
      } else {
        s.builder.SetValue(left_width + i, spec.right_types[i], right->view().GetValue(i, spec.right_types[i]));
      }
    }
    return s.builder.Finish(kind, kNoTime);
  };
  auto matches = [&](const Row& left, const Row& right) {
    if (!spec.condition) return true;
    Row candidate = joined(left, &right, RowKind::kInsert);
    return IsTrue(Evaluate(*spec.condition, candidate.view(), context_));
  };
  auto match_count = [&](const Row& left, const std::vector<Row>& rights) {
    size_t count = 0;
    for (const Row& r : rights) count += matches(left, r) ? 1 : 0;
    return count;
  };
  static const std::vector<Row> kNoRows;

  for (Row& row : rows) {
    bool accumulate = IsAccumulate(row.kind());
    RowKind out_kind = accumulate ? RowKind::kInsert : RowKind::kDelete;
    if (input == 0) {
      bool null_key = HasNullKey(row.view(), spec.left_keys);
      std::string key = null_key ? std::string() : EncodeKey(row.view(), spec.left_keys, spec.left_types);
      const std::vector<Row>* rights = &kNoRows;
      if (!null_key) {
        auto it = s.right.find(key);
        if (it != s.right.end()) rights = &it->second;
      }
      size_t found = 0;
      for (const Row& r : *rights) {
        if (!matches(row, r)) continue;
        out.push_back(joined(row, &r, out_kind));
        ++found;
      }
      if (found == 0 && spec.kind == JoinKind::kLeft) out.push_back(joined(row, nullptr, out_kind));
      if (null_key) continue;
      if (accumulate) {
        s.left[key].push_back(row.WithKind(RowKind::kInsert));
      } else {
        auto it = s.left.find(key);
        if (it != s.left.end() && RemoveOne(it->second, row) && it->second.empty()) s.left.erase(it);
      }
      continue;
    }

    if (HasNullKey(row.view(), spec.right_keys)) continue;
    std::string key = EncodeKey(row.view(), spec.right_keys, spec.right_types);
    std::vector<Row>& rights = s.right[key];
    auto lefts_it = s.left.find(key);
    const std::vector<Row>& lefts = lefts_it == s.left.end() ? kNoRows : lefts_it->second;
    if (accumulate) {
      for (const Row& l : lefts) {
        if (!matches(l, row)) continue;
        // The left row loses its NULL-padded result once it has a first match.
        if (spec.kind == JoinKind::kLeft && match_count(l, rights) == 0) {
          out.push_back(joined(l, nullptr, RowKind::kDelete));
        }
        out.push_back(joined(l, &row, RowKind::kInsert));
      }
      rights.push_back(row.WithKind(RowKind::kInsert));
    } else {
      if (!RemoveOne(rights, row)) {
        if (rights.empty()) s.right.erase(key);
        continue;
      }
      for (const Row& l : lefts) {
        if (!matches(l, row)) continue;
        out.push_back(joined(l, &row, RowKind::kDelete));
        if (spec.kind == JoinKind::kLeft && match_count(l, rights) == 0) {
          out.push_back(joined(l, nullptr, RowKind::kInsert));
        }
      }
      if (rights.empty()) s.right.erase(key);
    }
  }
  Emit(out);
}

}  // namespace fsql
