// Event-time interval join: INNER, LEFT, RIGHT and FULL OUTER.
#include <algorithm>

#include "runtime/common/error.h"
#include "runtime/operators/operator.h"

namespace fsql {

struct IntervalJoinOperator::State {
  IntervalJoinSpec spec;
  struct Entry {
    Row row;
    int64_t time = 0;
    bool matched = false;
  };
  KeyMap<std::vector<Entry>> left;
  KeyMap<std::vector<Entry>> right;
  int64_t watermarks[2] = {kNoTime, kNoTime};
  RowBuilder builder{0};

  int64_t Combined() const {
    if (watermarks[0] == kNoTime || watermarks[1] == kNoTime) return kNoTime;
    return std::min(watermarks[0], watermarks[1]);
  }
};

IntervalJoinOperator::IntervalJoinOperator(IntervalJoinSpec spec)
    : JoinCodeOperator(spec.join), state_(std::make_unique<State>()) {
  state_->spec = std::move(spec);
  const JoinSpec& join = state_->spec.join;
  state_->builder = RowBuilder(static_cast<uint32_t>(join.left_types.size() + join.right_types.size()));
}

IntervalJoinOperator::~IntervalJoinOperator() = default;

bool IntervalJoinOperator::TakeStateFrom(Operator& previous) {
  return TakeStateOf(*this, previous, &IntervalJoinOperator::state_);
}

size_t IntervalJoinOperator::buffered_rows() const {
  size_t count = 0;
  for (const auto& [key, entries] : state_->left) count += entries.size();
  for (const auto& [key, entries] : state_->right) count += entries.size();
  return count;
}

namespace {

bool HasNull(RowView row, const std::vector<int>& columns) {
  for (int column : columns) {
    if (row.IsNull(static_cast<uint32_t>(column))) return true;
  }
  return false;
}

}  // namespace

void IntervalJoinOperator::ProcessBatch(int input, std::vector<Row>& rows) {
  KeyEncoder& key_encoder = keys_[input];
  SwitchToCompiledCodeIfReady();
  State& s = *state_;
  const JoinSpec& join = s.spec.join;
  const int64_t watermark = s.Combined();
  std::vector<Row> out;

  const bool left_outer = join.kind == JoinKind::kLeft || join.kind == JoinKind::kFull;
  const bool right_outer = join.kind == JoinKind::kRight || join.kind == JoinKind::kFull;
  auto joined = [&](const Row* left, const Row* right, int64_t time) {
    return BuildJoinedRow(s.builder, join, left, right, RowKind::kInsert, time);
  };
  auto matches = [&](const Row& left, int64_t left_time, const Row& right, int64_t right_time) {
    int64_t difference = left_time - right_time;
    if (difference < s.spec.lower_bound || difference > s.spec.upper_bound) return false;
    if (!join.condition) return true;
    Row candidate = joined(&left, &right, kNoTime);
    return condition_.Holds(candidate.view(), context_);
  };

  HashedKey key;
  for (Row& row : rows) {
    FSQL_CHECK(row.kind() == RowKind::kInsert, "interval join got a {} row", RowKindShortString(row.kind()));
    RowView view = row.view();
    bool is_left = input == 0;
    int time_column = is_left ? s.spec.left_time : s.spec.right_time;
    const auto& keys = is_left ? join.left_keys : join.right_keys;
    if (view.IsNull(static_cast<uint32_t>(time_column)) || HasNull(view, keys)) {
      // Such a row can match nothing; an outer side still reports it.
      if (is_left && left_outer) out.push_back(joined(&row, nullptr, row.event_time()));
      if (!is_left && right_outer) out.push_back(joined(nullptr, &row, row.event_time()));
      continue;
    }
    int64_t time = view.GetInt(static_cast<uint32_t>(time_column));
    key_encoder.Encode(view, key);

    if (is_left) {
      bool matched = false;
      auto it = s.right.find(key);
      if (it != s.right.end()) {
        for (State::Entry& other : it->second) {
          if (!matches(row, time, other.row, other.time)) continue;
          out.push_back(joined(&row, &other.row, std::max(time, other.time)));
          matched = true;
          other.matched = true;
        }
      }
      // A future right row is after the watermark, so it can match only if time - lower > watermark.
      bool can_match_later = watermark == kNoTime || time - s.spec.lower_bound > watermark;
      if (can_match_later) {
        FindOrCreate(s.left, key).push_back(State::Entry{std::move(row), time, matched});
      } else if (!matched && left_outer) {
        out.push_back(joined(&row, nullptr, time));
      }
      continue;
    }

    bool matched = false;
    auto it = s.left.find(key);
    if (it != s.left.end()) {
      for (State::Entry& other : it->second) {
        if (!matches(other.row, other.time, row, time)) continue;
        out.push_back(joined(&other.row, &row, std::max(time, other.time)));
        other.matched = true;
        matched = true;
      }
    }
    bool can_match_later = watermark == kNoTime || time + s.spec.upper_bound > watermark;
    if (can_match_later) {
      FindOrCreate(s.right, key).push_back(State::Entry{std::move(row), time, matched});
    } else if (!matched && right_outer) {
      out.push_back(joined(nullptr, &row, time));
    }
  }
  Emit(out);
}

void IntervalJoinOperator::ProcessWatermark(int input, int64_t watermark) {
  State& s = *state_;
  int64_t before = s.Combined();
  s.watermarks[input] = std::max(s.watermarks[input], watermark);
  int64_t combined = s.Combined();
  if (combined == kNoTime || combined == before) return;

  std::vector<Row> out;
  const JoinSpec& join = s.spec.join;
  const bool left_outer = join.kind == JoinKind::kLeft || join.kind == JoinKind::kFull;
  const bool right_outer = join.kind == JoinKind::kRight || join.kind == JoinKind::kFull;
  // Rows that no future row of the other side can reach leave state; an outer
  // side's unmatched ones are emitted NULL-padded, at their own time.
  auto expire = [&](KeyMap<std::vector<State::Entry>>& side, bool is_left, bool outer) {
    for (auto it = side.begin(); it != side.end();) {
      auto& entries = it->second;
      auto keep = std::stable_partition(entries.begin(), entries.end(), [&](const State::Entry& entry) {
        return is_left ? entry.time - s.spec.lower_bound > combined : entry.time + s.spec.upper_bound > combined;
      });
      for (auto expired = keep; expired != entries.end(); ++expired) {
        if (expired->matched || !outer) continue;
        const Row* row = &expired->row;
        out.push_back(BuildJoinedRow(s.builder, join, is_left ? row : nullptr, is_left ? nullptr : row,
                                     RowKind::kInsert, expired->time));
      }
      entries.erase(keep, entries.end());
      it = entries.empty() ? side.erase(it) : std::next(it);
    }
  };
  expire(s.left, true, left_outer);
  expire(s.right, false, right_outer);
  Emit(out);
  // NULL-padded rows still to come are later than combined + lower (left) and
  // combined - upper (right), so the output watermark stays behind them.
  int64_t output = combined;
  if (left_outer) output = std::min(output, combined + std::min<int64_t>(0, s.spec.lower_bound));
  if (right_outer) output = std::min(output, combined - std::max<int64_t>(0, s.spec.upper_bound));
  EmitWatermark(output);
}

}  // namespace fsql
