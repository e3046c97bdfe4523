// HOP and CUMULATE window aggregation by slices.
//
// A HOP window of size k * slide covers k consecutive slides, and a CUMULATE
// window covers the steps from the start of its cycle to its end. Each row
// goes into the one slice (slide or step) that contains its time, and the
// slices a window covers are merged when it fires. The windows of a row are
// exactly the windows that cover its slice, so lateness is decided per slice.
#include <algorithm>
#include <map>
#include <set>
#include <string_view>
#include <unordered_map>

#include "runtime/common/error.h"
#include "runtime/common/logging.h"
#include "runtime/operators/accumulator.h"
#include "runtime/operators/operator.h"

namespace fsql {

struct SlicedWindowAggregateOperator::State {
  SlicedWindowAggregateSpec spec;
  struct Group {
    std::vector<Value> keys;  // the kExpression keys
    std::vector<RetractableAccumulator> accumulators;
    uint64_t first_arrival = 0;  // orders a window's output as the unsliced path orders it
  };
  struct Slice {
    std::unordered_map<std::string, size_t> index;  // encoded key -> position in `groups`
    std::vector<Group> groups;
  };
  std::map<int64_t, Slice> slices;      // by slice end
  std::set<int64_t> pending_window_ends;  // windows that have rows and have not fired
  // Every window ending at or before this has fired.
  int64_t fired_through = INT64_MIN;
  uint64_t next_arrival = 0;
  int64_t watermark = kNoTime;
  RowBuilder builder{0};
  std::vector<DataType> output_types;

  int64_t slide() const { return spec.windows.slide; }

  /// Returns the end of the slice that contains `time`.
  int64_t SliceEndOf(int64_t time) const { return AlignedStart(time, slide(), spec.windows.offset) + slide(); }

  /// Returns the end of the last window that covers the slice ending at `slice_end`.
  int64_t LastWindowEndOf(int64_t slice_end) const {
    const WindowTvfSpec& w = spec.windows;
    if (w.function == WindowFunction::kHop) return slice_end + w.size - w.slide;
    return AlignedStart(slice_end - 1, w.size, w.offset) + w.size;
  }

  /// Returns the end of the first slice that the window ending at `window_end` covers.
  int64_t FirstSliceEndOf(int64_t window_end) const {
    const WindowTvfSpec& w = spec.windows;
    if (w.function == WindowFunction::kHop) return window_end - w.size + w.slide;
    return AlignedStart(window_end - 1, w.size, w.offset) + w.slide;
  }
};

SlicedWindowAggregateOperator::SlicedWindowAggregateOperator(SlicedWindowAggregateSpec spec)
    : state_(std::make_unique<State>()), column_keys_(ColumnKeyEncoder(spec.aggregate.keys)) {
  const WindowTvfSpec& windows = spec.windows;
  if ((windows.function != WindowFunction::kHop && windows.function != WindowFunction::kCumulate) ||
      windows.slide <= 0 || windows.size % windows.slide != 0) {
    throw InternalError(fmt::format("sliced window aggregation of a window of size {} ms and slide {} ms",
                                    windows.size, windows.slide));
  }
  state_->spec = std::move(spec);
  state_->output_types = state_->spec.key_types;
  for (const auto& aggregate : state_->spec.aggregate.aggregates) state_->output_types.push_back(aggregate.type);
  state_->builder = RowBuilder(static_cast<uint32_t>(state_->output_types.size()));
}

SlicedWindowAggregateOperator::~SlicedWindowAggregateOperator() = default;

bool SlicedWindowAggregateOperator::TakeStateFrom(Operator& previous) {
  return TakeStateOf(*this, previous, &SlicedWindowAggregateOperator::state_);
}

void SlicedWindowAggregateOperator::SetKeyCompiler(CodegenMode mode, const KeyCompiler& compiler) {
  if (column_keys_) column_keys_->Compile(mode, compiler);
}

void SlicedWindowAggregateOperator::SetAccumulateCompiler(CodegenMode mode, const AccumulateCompiler& compiler) {
  StartAccumulateCompilation(mode, compiler, state_->spec.aggregate.aggregates, accumulate_, pending_accumulate_);
}

size_t SlicedWindowAggregateOperator::pending_windows() const { return state_->pending_window_ends.size(); }

size_t SlicedWindowAggregateOperator::slice_count() const { return state_->slices.size(); }

void SlicedWindowAggregateOperator::ProcessBatch(int input, std::vector<Row>& rows) {
  State& s = *state_;
  const GroupAggregateSpec& spec = s.spec.aggregate;
  const auto time_column = static_cast<uint32_t>(s.spec.windows.time_column);
  int64_t late_before = late_rows_;
  if (column_keys_) column_keys_->SwitchToCompiledCodeIfReady();
  TakeAccumulateIfReady(accumulate_, pending_accumulate_);
  std::string encoded;
  std::vector<Value> keys;
  for (const Row& row : rows) {
    RowView view = row.view();
    if (view.IsNull(time_column)) continue;  // no window contains a NULL time
    int64_t slice_end = s.SliceEndOf(view.GetInt(time_column));
    int64_t last_window_end = s.LastWindowEndOf(slice_end);
    int64_t window_count = (last_window_end - slice_end) / s.slide() + 1;
    if (!s.spec.proctime_windows && s.watermark != kNoTime && slice_end <= s.fired_through) {
      // The unsliced path counts one late row per window that has fired.
      int64_t fired = s.fired_through >= last_window_end ? window_count
                                                         : (s.fired_through - slice_end) / s.slide() + 1;
      late_rows_ += fired;
      if (fired == window_count) continue;
    }

    auto [slice_it, new_slice] = s.slices.try_emplace(slice_end);
    if (new_slice) {
      for (int64_t end = slice_end; end <= last_window_end; end += s.slide()) {
        if (end > s.fired_through) s.pending_window_ends.insert(end);
      }
    }
    State::Slice& slice = slice_it->second;
    keys.clear();
    if (column_keys_) {
      column_keys_->Encode(view, encoded);
    } else {
      keys = EvaluateKeys(spec.keys, view, context_);
      encoded = EncodeThroughRow(s.builder, spec.keys, keys, s.output_types.size());
    }
    auto [it, inserted] = slice.index.emplace(encoded, slice.groups.size());
    if (inserted) {
      State::Group group;
      group.keys = column_keys_ ? EvaluateKeys(spec.keys, view, context_) : std::move(keys);
      for (const auto& aggregate : spec.aggregates) group.accumulators.emplace_back(aggregate);
      group.first_arrival = s.next_arrival++;
      slice.groups.push_back(std::move(group));
    }
    ApplyRow(spec.aggregates, accumulate_.get(), view, IsAccumulate(row.kind()) ? 1 : -1, context_,
             slice.groups[it->second].accumulators);
  }
  if (late_rows_ > late_before) {
    ReportLateRows(fmt::format("windows up to watermark {} have fired", FormatTimestampMillis(s.watermark, 3)));
  }
}

void SlicedWindowAggregateOperator::ProcessWatermark(int input, int64_t watermark) {
  State& s = *state_;
  if (s.watermark != kNoTime && watermark <= s.watermark) return;
  s.watermark = watermark;
  // A window fires when the watermark reaches its last millisecond, end - 1.
  if (!s.spec.proctime_windows) FireWindowsEndingBy(watermark == INT64_MAX ? INT64_MAX : watermark + 1);
  EmitWatermark(watermark);
}

void SlicedWindowAggregateOperator::FireProcessingTimers() {
  // As in WindowAggregateOperator: a row processed at time t belongs to
  // windows ending after t.
  if (state_->spec.proctime_windows) FireWindowsEndingBy(context_.processing_time_ms);
}

void SlicedWindowAggregateOperator::FireWindowsEndingBy(int64_t max_end) {
  State& s = *state_;
  TakeAccumulateIfReady(accumulate_, pending_accumulate_);
  s.fired_through = std::max(s.fired_through, max_end);
  std::vector<Row> out;
  while (!s.pending_window_ends.empty() && *s.pending_window_ends.begin() <= max_end) {
    FireWindow(*s.pending_window_ends.begin(), out);
    s.pending_window_ends.erase(s.pending_window_ends.begin());
  }
  while (!s.slices.empty() && s.LastWindowEndOf(s.slices.begin()->first) <= s.fired_through) {
    s.slices.erase(s.slices.begin());
  }
  Emit(out);
}

void SlicedWindowAggregateOperator::FireWindow(int64_t window_end, std::vector<Row>& out) {
  State& s = *state_;
  const SlicedWindowAggregateSpec& spec = s.spec;
  struct Merged {
    const State::Group* first;  // supplies the key values
    std::vector<RetractableAccumulator> accumulators;
    uint64_t first_arrival;
  };
  std::vector<Merged> merged;
  std::unordered_map<std::string_view, size_t> merged_index;
  auto first = s.slices.lower_bound(s.FirstSliceEndOf(window_end));
  auto last = s.slices.upper_bound(window_end);
  for (auto slice = first; slice != last; ++slice) {
    for (const auto& [encoded, position] : slice->second.index) {
      const State::Group& group = slice->second.groups[position];
      auto [it, inserted] = merged_index.emplace(encoded, merged.size());
      if (inserted) {
        merged.push_back(Merged{&group, group.accumulators, group.first_arrival});
        continue;
      }
      Merged& target = merged[it->second];
      MergeAccumulators(accumulate_.get(), group.accumulators, target.accumulators);
      if (group.first_arrival < target.first_arrival) {
        target.first = &group;
        target.first_arrival = group.first_arrival;
      }
    }
  }
  // The unsliced path emits a window's groups in the order their keys first
  // arrived in it.
  std::sort(merged.begin(), merged.end(),
            [](const Merged& a, const Merged& b) { return a.first_arrival < b.first_arrival; });

  int64_t window_start = window_end - spec.windows.size;
  if (spec.windows.function == WindowFunction::kCumulate) {
    window_start = AlignedStart(window_end - 1, spec.windows.size, spec.windows.offset);
  }
  for (const Merged& group : merged) {
    uint32_t column = 0;
    size_t expression_key = 0;
    for (SlicedWindowAggregateSpec::KeySource source : spec.key_sources) {
      Value key;
      switch (source) {
        case SlicedWindowAggregateSpec::KeySource::kExpression: key = group.first->keys[expression_key++]; break;
        case SlicedWindowAggregateSpec::KeySource::kWindowStart: key = Value::Int(window_start); break;
        case SlicedWindowAggregateSpec::KeySource::kWindowEnd: key = Value::Int(window_end); break;
        case SlicedWindowAggregateSpec::KeySource::kWindowTime: key = Value::Int(window_end - 1); break;
      }
      s.builder.SetValue(column, s.output_types[column], key);
      ++column;
    }
    for (const auto& accumulator : group.accumulators) {
      s.builder.SetValue(column, s.output_types[column], accumulator.Result());
      ++column;
    }
    out.push_back(s.builder.Finish(RowKind::kInsert, window_end - 1));
  }
}

}  // namespace fsql
