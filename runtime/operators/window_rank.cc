// Window Top-N and window deduplication: ROW_NUMBER() over a window's rows,
// emitted once when the watermark closes the window.
#include <map>

#include "runtime/common/error.h"
#include "runtime/common/logging.h"
#include "runtime/operators/operator.h"

namespace fsql {

struct WindowRankOperator::State {
  WindowRankSpec spec;
  struct Partition {
    std::multimap<RankOrderKey, Row, RankOrderLess> rows;  // at most `limit` rows, in rank order
  };
  struct Window {
    KeyMap<size_t> index;  // encoded partition key -> position in `partitions`
    std::vector<Partition> partitions;              // in order of first arrival, so output order is stable
  };
  std::map<int64_t, Window> windows;  // by window_end
  int64_t watermark = kNoTime;
  RowBuilder builder{0};
};

WindowRankOperator::WindowRankOperator(WindowRankSpec spec)
    : state_(std::make_unique<State>()), partition_key_(spec.rank.partition_columns, spec.rank.input_types) {
  FSQL_CHECK(spec.rank.limit >= 1, "window rank limit {}", spec.rank.limit);
  state_->spec = std::move(spec);
  state_->builder = RowBuilder(static_cast<uint32_t>(state_->spec.rank.input_types.size() + 1));
}

WindowRankOperator::~WindowRankOperator() = default;

bool WindowRankOperator::TakeStateFrom(Operator& previous) {
  return TakeStateOf(*this, previous, &WindowRankOperator::state_);
}

void WindowRankOperator::SetKeyCompiler(CodegenMode mode, const KeyCompiler& compiler) {
  partition_key_.Compile(mode, compiler);
}

size_t WindowRankOperator::pending_windows() const { return state_->windows.size(); }

void WindowRankOperator::ProcessBatch(int input, std::vector<Row>& rows) {
  partition_key_.SwitchToCompiledCodeIfReady();
  State& s = *state_;
  const RankSpec& rank = s.spec.rank;
  const auto& types = rank.input_types;
  const auto end_column = static_cast<uint32_t>(s.spec.window_end_column);
  int64_t late_before = late_rows_;
  HashedKey key;
  for (Row& row : rows) {
    RowView view = row.view();
    int64_t window_end = view.GetInt(end_column);
    if (s.watermark != kNoTime && window_end - 1 <= s.watermark) {
      ++late_rows_;
      continue;
    }
    State::Window& window = s.windows[window_end];
    partition_key_.Encode(view, key);
    auto it = window.index.find(key);
    if (it == window.index.end()) {
      it = window.index.emplace(key.bytes, window.partitions.size()).first;
      window.partitions.emplace_back();
    }
    auto& ranked = window.partitions[it->second].rows;
    RankOrderKey sort{view.GetValue(static_cast<uint32_t>(rank.order_column), types[rank.order_column]), rank.descending};
    // Among equal sort keys the first row to arrive ranks first, except that
    // deduplication keeping the last row lets a later row of the same time win.
    if (s.spec.later_row_wins_ties) {
      ranked.emplace_hint(ranked.lower_bound(sort), sort, row.WithKind(RowKind::kInsert));
    } else {
      ranked.emplace(sort, row.WithKind(RowKind::kInsert));
    }
    // Input rows are never retracted, so a row pushed out of the top N cannot come back.
    if (static_cast<int64_t>(ranked.size()) > rank.limit) ranked.erase(std::prev(ranked.end()));
  }
  if (late_rows_ > late_before) {
    ReportLateRows(fmt::format("windows up to watermark {} have fired", FormatTimestampMillis(s.watermark, 3)));
  }
}

void WindowRankOperator::ProcessWatermark(int input, int64_t watermark) {
  State& s = *state_;
  if (s.watermark != kNoTime && watermark <= s.watermark) return;
  s.watermark = watermark;
  const auto& types = s.spec.rank.input_types;
  const auto width = static_cast<uint32_t>(types.size());
  std::vector<Row> out;
  while (!s.windows.empty() && s.windows.begin()->first - 1 <= watermark) {
    int64_t window_end = s.windows.begin()->first;
    for (const State::Partition& partition : s.windows.begin()->second.partitions) {
      int64_t number = 0;
      for (const auto& [sort, row] : partition.rows) {
        RowView view = row.view();
        s.builder.CopyColumns(0, view, types);
        s.builder.SetInt(width, ++number);
        out.push_back(s.builder.Finish(RowKind::kInsert, window_end - 1));
      }
    }
    s.windows.erase(s.windows.begin());
  }
  Emit(out);
  EmitWatermark(watermark);
}

}  // namespace fsql
