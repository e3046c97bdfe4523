// Window TVFs (TUMBLE, HOP, CUMULATE) and window aggregation.
#include <algorithm>
#include <map>
#include <unordered_map>

#include "runtime/common/logging.h"
#include "runtime/operators/accumulator.h"
#include "runtime/operators/operator.h"

namespace fsql {

int64_t AlignedStart(int64_t time, int64_t period, int64_t offset) {
  int64_t shifted = time - offset;
  int64_t remainder = shifted % period;
  if (remainder < 0) remainder += period;
  return time - remainder;
}

WindowTvfOperator::WindowTvfOperator(WindowTvfSpec spec)
    : spec_(std::move(spec)), builder_(static_cast<uint32_t>(spec_.input_types.size() + 3)) {}

std::vector<std::pair<int64_t, int64_t>> WindowTvfOperator::WindowsOf(int64_t time) const {
  std::vector<std::pair<int64_t, int64_t>> windows;
  switch (spec_.function) {
    case WindowFunction::kTumble: {
      int64_t start = AlignedStart(time, spec_.size, spec_.offset);
      windows.emplace_back(start, start + spec_.size);
      break;
    }
    case WindowFunction::kHop: {
      // Every window of length `size` whose start is a slide boundary in (time - size, time].
      int64_t last_start = AlignedStart(time, spec_.slide, spec_.offset);
      for (int64_t start = last_start; start > time - spec_.size; start -= spec_.slide) {
        windows.emplace_back(start, start + spec_.size);
      }
      std::reverse(windows.begin(), windows.end());
      break;
    }
    case WindowFunction::kCumulate: {
      // Windows share the start of the enclosing `size` window and grow by `step`.
      int64_t start = AlignedStart(time, spec_.size, spec_.offset);
      for (int64_t end = start + spec_.slide; end <= start + spec_.size; end += spec_.slide) {
        if (end > time) windows.emplace_back(start, end);
      }
      break;
    }
  }
  return windows;
}

void WindowTvfOperator::ProcessBatch(int input, std::vector<Row>& rows) {
  std::vector<Row> out;
  const uint32_t width = static_cast<uint32_t>(spec_.input_types.size());
  for (const Row& row : rows) {
    RowView view = row.view();
    if (view.IsNull(static_cast<uint32_t>(spec_.time_column))) continue;  // no window contains a NULL time
    int64_t time = view.GetInt(static_cast<uint32_t>(spec_.time_column));
    for (auto [start, end] : WindowsOf(time)) {
      for (uint32_t i = 0; i < width; ++i) builder_.SetValue(i, spec_.input_types[i], view.GetValue(i, spec_.input_types[i]));
      builder_.SetInt(width, start);
      builder_.SetInt(width + 1, end);
      builder_.SetInt(width + 2, end - 1);
      out.push_back(builder_.Finish(row.kind(), row.event_time()));
    }
  }
  Emit(out);
}

struct WindowAggregateOperator::State {
  GroupAggregateSpec spec;
  int window_end_key = 0;
  struct Group {
    std::vector<Value> keys;
    std::vector<RetractableAccumulator> accumulators;
  };
  struct Window {
    std::unordered_map<std::string, size_t> index;  // encoded key -> position in `groups`
    std::vector<Group> groups;                      // in order of first arrival, so output order is stable
  };
  std::map<int64_t, Window> windows;  // by window_end
  bool proctime_windows = false;
  int64_t watermark = kNoTime;
  RowBuilder builder{0};
  std::vector<DataType> output_types;
};

WindowAggregateOperator::WindowAggregateOperator(GroupAggregateSpec spec, int window_end_key, bool proctime_windows)
    : state_(std::make_unique<State>()), column_keys_(ColumnKeyEncoder(spec.keys)) {
  state_->spec = std::move(spec);
  state_->window_end_key = window_end_key;
  state_->proctime_windows = proctime_windows;
  for (const auto& key : state_->spec.keys) state_->output_types.push_back(key->type);
  for (const auto& aggregate : state_->spec.aggregates) state_->output_types.push_back(aggregate.type);
  state_->builder = RowBuilder(static_cast<uint32_t>(state_->output_types.size()));
}

WindowAggregateOperator::~WindowAggregateOperator() = default;

bool WindowAggregateOperator::TakeStateFrom(Operator& previous) {
  return TakeStateOf(*this, previous, &WindowAggregateOperator::state_);
}

void WindowAggregateOperator::SetKeyCompiler(CodegenMode mode, const KeyCompiler& compiler) {
  if (column_keys_) column_keys_->Compile(mode, compiler);
}

void WindowAggregateOperator::SetAccumulateCompiler(CodegenMode mode, const AccumulateCompiler& compiler) {
  StartAccumulateCompilation(mode, compiler, state_->spec.aggregates, accumulate_, pending_accumulate_);
}

size_t WindowAggregateOperator::pending_windows() const { return state_->windows.size(); }

void WindowAggregateOperator::ProcessBatch(int input, std::vector<Row>& rows) {
  State& s = *state_;
  const auto& spec = s.spec;
  int64_t late_before = late_rows_;
  if (column_keys_) column_keys_->SwitchToCompiledCodeIfReady();
  TakeAccumulateIfReady(accumulate_, pending_accumulate_);
  std::string encoded;
  std::vector<Value> keys;
  for (const Row& row : rows) {
    RowView view = row.view();
    keys.clear();
    int64_t window_end = 0;
    if (column_keys_) {
      auto end_column = static_cast<uint32_t>(column_keys_->columns()[static_cast<size_t>(s.window_end_key)]);
      window_end = view.GetInt(end_column);
    } else {
      keys = EvaluateKeys(spec.keys, view, context_);
      window_end = keys[static_cast<size_t>(s.window_end_key)].as_int();
    }
    // A window fires when the watermark reaches its last millisecond.
    if (!s.proctime_windows && s.watermark != kNoTime && window_end - 1 <= s.watermark) {
      ++late_rows_;
      continue;
    }
    if (column_keys_) {
      column_keys_->Encode(view, encoded);
    } else {
      encoded = EncodeThroughRow(s.builder, spec.keys, keys, s.output_types.size());
    }

    State::Window& window = s.windows[window_end];
    auto [it, inserted] = window.index.emplace(encoded, window.groups.size());
    if (inserted) {
      State::Group group;
      group.keys = column_keys_ ? EvaluateKeys(spec.keys, view, context_) : std::move(keys);
      for (const auto& aggregate : spec.aggregates) group.accumulators.emplace_back(aggregate);
      window.groups.push_back(std::move(group));
    }
    State::Group& group = window.groups[it->second];
    ApplyRow(spec.aggregates, accumulate_.get(), view, IsAccumulate(row.kind()) ? 1 : -1, context_, group.accumulators);
  }
  if (late_rows_ > late_before) {
    ReportLateRows(fmt::format("windows up to watermark {} have fired", FormatTimestampMillis(s.watermark, 3)));
  }
}

void WindowAggregateOperator::ProcessWatermark(int input, int64_t watermark) {
  State& s = *state_;
  if (s.watermark != kNoTime && watermark <= s.watermark) return;
  s.watermark = watermark;
  // A window fires when the watermark reaches its last millisecond, end - 1.
  if (!s.proctime_windows) FireWindowsEndingBy(watermark == INT64_MAX ? INT64_MAX : watermark + 1);
  EmitWatermark(watermark);
}

void WindowAggregateOperator::FireProcessingTimers() {
  // A row processed at time t belongs to a window ending after t, so every
  // window ending at or before t is complete.
  if (state_->proctime_windows) FireWindowsEndingBy(context_.processing_time_ms);
}

void WindowAggregateOperator::FireWindowsEndingBy(int64_t max_end) {
  State& s = *state_;
  std::vector<Row> out;
  while (!s.windows.empty() && s.windows.begin()->first <= max_end) {
    int64_t window_end = s.windows.begin()->first;
    for (const State::Group& group : s.windows.begin()->second.groups) {
      uint32_t column = 0;
      for (const Value& key : group.keys) {
        s.builder.SetValue(column, s.output_types[column], key);
        ++column;
      }
      for (const auto& accumulator : group.accumulators) {
        s.builder.SetValue(column, s.output_types[column], accumulator.Result());
        ++column;
      }
      out.push_back(s.builder.Finish(RowKind::kInsert, window_end - 1));
    }
    s.windows.erase(s.windows.begin());
  }
  Emit(out);
}

}  // namespace fsql
