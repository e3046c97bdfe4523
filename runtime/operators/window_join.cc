// Window join: joins the rows of two window TVFs that fall in the same window,
// once the watermark of both inputs closes it.
#include <map>

#include "runtime/common/error.h"
#include "runtime/common/logging.h"
#include "runtime/operators/operator.h"

namespace fsql {

struct WindowJoinOperator::State {
  WindowJoinSpec spec;
  struct Entry {
    Row row;
    bool has_key = false;  // false when a key column is NULL, which matches nothing
    HashedKey key;
    bool matched = false;
  };
  /// One side of one window: rows in arrival order, and the rows of each key.
  struct Side {
    std::vector<Entry> rows;
    KeyMap<std::vector<size_t>> by_key;
  };
  std::map<int64_t, Side[2]> windows;  // by window_end
  RowBuilder builder{0};
};

WindowJoinOperator::WindowJoinOperator(WindowJoinSpec spec)
    : JoinCodeOperator(spec.join), state_(std::make_unique<State>()) {
  state_->spec = std::move(spec);
  const JoinSpec& join = state_->spec.join;
  state_->builder = RowBuilder(static_cast<uint32_t>(join.left_types.size() + join.right_types.size()));
}

WindowJoinOperator::~WindowJoinOperator() = default;

bool WindowJoinOperator::TakeStateFrom(Operator& previous) {
  return TakeStateOf(*this, previous, &WindowJoinOperator::state_);
}

size_t WindowJoinOperator::pending_windows() const { return state_->windows.size(); }

void WindowJoinOperator::ProcessBatch(int input, std::vector<Row>& rows) {
  KeyEncoder& key_encoder = keys_[input];
  SwitchToCompiledCodeIfReady();
  State& s = *state_;
  const JoinSpec& join = s.spec.join;
  const int64_t watermark = CombinedWatermark();
  const bool is_left = input == 0;
  const auto end_column = static_cast<uint32_t>(is_left ? s.spec.left_window_end : s.spec.right_window_end);
  const auto& keys = is_left ? join.left_keys : join.right_keys;
  int64_t late_before = late_rows_;
  for (Row& row : rows) {
    FSQL_CHECK(row.kind() == RowKind::kInsert, "window join got a {} row", RowKindShortString(row.kind()));
    RowView view = row.view();
    int64_t window_end = view.GetInt(end_column);
    if (watermark != kNoTime && window_end - 1 <= watermark) {
      ++late_rows_;
      continue;
    }
    State::Side& side = s.windows[window_end][input];
    State::Entry entry;
    entry.has_key = true;
    for (int column : keys) entry.has_key = entry.has_key && !view.IsNull(static_cast<uint32_t>(column));
    if (entry.has_key) {
      key_encoder.Encode(view, entry.key);
      FindOrCreate(side.by_key, entry.key).push_back(side.rows.size());
    }
    entry.row = std::move(row);
    side.rows.push_back(std::move(entry));
  }
  if (late_rows_ > late_before) {
    ReportLateRows(fmt::format("windows up to watermark {} have fired", FormatTimestampMillis(watermark, 3)));
  }
}

void WindowJoinOperator::ProcessWatermark(int input, int64_t watermark) {
  State& s = *state_;
  int64_t before = CombinedWatermark();
  RecordInputWatermark(input, watermark);
  int64_t combined = CombinedWatermark();
  if (combined == kNoTime || combined == before) return;

  const JoinSpec& join = s.spec.join;
  const bool left_outer = join.kind == JoinKind::kLeft || join.kind == JoinKind::kFull;
  const bool right_outer = join.kind == JoinKind::kRight || join.kind == JoinKind::kFull;
  std::vector<Row> out;
  auto joined = [&](const Row* left, const Row* right, int64_t time) {
    return BuildJoinedRow(s.builder, join, left, right, RowKind::kInsert, time);
  };

  while (!s.windows.empty() && s.windows.begin()->first - 1 <= combined) {
    const int64_t time = s.windows.begin()->first - 1;
    State::Side& left = s.windows.begin()->second[0];
    State::Side& right = s.windows.begin()->second[1];
    // Left rows in arrival order, so the output order does not depend on hashing.
    for (State::Entry& l : left.rows) {
      auto found = l.has_key ? right.by_key.find(l.key) : right.by_key.end();
      if (found != right.by_key.end()) {
        for (size_t r : found->second) {
          Row candidate = joined(&l.row, &right.rows[r].row, time);
          if (join.condition && !condition_.Holds(candidate.view(), context_)) continue;
          out.push_back(std::move(candidate));
          l.matched = true;
          right.rows[r].matched = true;
        }
      }
      if (!l.matched && left_outer) out.push_back(joined(&l.row, nullptr, time));
    }
    if (right_outer) {
      for (const State::Entry& r : right.rows) {
        if (!r.matched) out.push_back(joined(nullptr, &r.row, time));
      }
    }
    s.windows.erase(s.windows.begin());
  }
  Emit(out);
  EmitWatermark(combined);
}

}  // namespace fsql
