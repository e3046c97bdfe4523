// Event-time and processing-time OVER aggregation with RANGE and ROWS frames.
//
// Rows are buffered per partition key until the watermark passes their time,
// because a later row with an equal or smaller time could still change the
// frame. All rows with the same time get the same RANGE aggregate. Ordered by
// processing time, a batch's rows are emitted when the batch arrives.
//
// Bounded frames slide: each partition keeps the argument rows of the
// emitted rows that a later frame can still reach, oldest first, and running
// accumulators that add each row as it enters the frame and retract it as it
// leaves. A row's arguments are evaluated once, into its argument row, when
// it arrives. Compiled code and the interpreter write the same argument rows
// and update the same accumulators, so the operator can switch between them
// at any batch.
#include <algorithm>
#include <deque>
#include <queue>
#include <unordered_map>

#include "runtime/common/error.h"
#include "runtime/common/logging.h"
#include "runtime/operators/accumulator.h"
#include "runtime/operators/operator.h"

namespace fsql {

namespace {

using Accumulator = RetractableAccumulator;

/// Method of computing one aggregate over a bounded frame.
enum class FrameMethod {
  // Add entering rows and retract leaving rows. Used where retraction gives
  // the same result as a fresh computation: counts, integer arithmetic, and
  // the value multisets and sequences of MIN, MAX, FIRST_VALUE and LISTAGG.
  kRetract,
  // SUM of floating-point values. Adding and subtracting would round
  // differently from summing the frame, so the sum is taken again over the
  // stored values in frame order. The accumulator still counts the non-NULL
  // values incrementally.
  kSumFloating,
  // AVG and the variances of floating-point or DECIMAL values, and SUM of
  // DECIMAL values, whose overflow to NULL depends on the order of the
  // partial sums: a fresh accumulator over the stored arguments.
  kRecompute,
};

FrameMethod MethodFor(const OverAggregateSpec::Aggregate& aggregate) {
  const std::string& function = aggregate.function;
  if (function == "COUNT" || function == "MIN" || function == "MAX" || function == "FIRST_VALUE" ||
      function == "LAST_VALUE" || function == "LISTAGG" || function == "COLLECT") {
    return FrameMethod::kRetract;
  }
  // Integer SUM, AVG and variances use wrapping int64 arithmetic, which is exact in any order.
  if (aggregate.type.IsInteger()) return FrameMethod::kRetract;
  if (function == "SUM" && (aggregate.type.id == TypeId::kDouble || aggregate.type.id == TypeId::kFloat)) {
    return FrameMethod::kSumFloating;
  }
  return FrameMethod::kRecompute;
}

/// Converts `value` to the double that RetractableAccumulator adds to its floating-point sum.
double FloatingTerm(const Value& value) {
  if (value.is_double()) return value.as_double();
  if (value.is_int()) return static_cast<double>(value.as_int());
  return DecimalToDouble(value.as_decimal().unscaled, value.as_decimal().scale);
}

/// A row waiting for the watermark to pass its time.
struct PendingRow {
  int64_t time;
  Row row;
  Row arguments;  // the argument row, empty when no aggregate has an argument
};

/// An emission or cleanup due for one partition key at `time`.
struct Timer {
  int64_t time;
  std::string key;
  bool cleanup;
};

/// Orders the timer heap by time, then key, so that output follows time
/// order and, within a time, the order of the encoded keys.
struct TimerAfter {
  bool operator()(const Timer& a, const Timer& b) const {
    if (a.time != b.time) return a.time > b.time;
    return a.key > b.key;
  }
};

/// The timers of all keys, earliest (time, key) first. Emission and cleanup
/// timers each arrive mostly in order, so each kind has a FIFO lane that
/// takes every timer not before its last one. Only the rest go to a heap.
/// Both lanes are read and written at their ends, which stay in cache,
/// whereas a heap of a million timers misses the cache at each level.
class TimerQueue {
 public:
  bool empty() const { return lanes_[0].empty() && lanes_[1].empty() && heap_.empty(); }

  void push(Timer timer) {
    std::deque<Timer>& lane = lanes_[timer.cleanup ? 1 : 0];
    if (lane.empty() || !TimerAfter()(lane.back(), timer)) {
      lane.push_back(std::move(timer));
    } else {
      heap_.push(std::move(timer));
    }
  }

  /// Returns the earliest timer. The queue must not be empty.
  const Timer& top() const { return *Earliest().first; }

  void pop() {
    auto [timer, source] = Earliest();
    if (source < 2) {
      lanes_[source].pop_front();
    } else {
      heap_.pop();
    }
  }

 private:
  /// Finds the earliest timer and its source: lane 0, lane 1, or 2 for the heap.
  std::pair<const Timer*, int> Earliest() const {
    const Timer* earliest = nullptr;
    int source = -1;
    auto consider = [&](const Timer* candidate, int candidate_source) {
      if (earliest == nullptr || TimerAfter()(*earliest, *candidate)) {
        earliest = candidate;
        source = candidate_source;
      }
    };
    if (!lanes_[0].empty()) consider(&lanes_[0].front(), 0);
    if (!lanes_[1].empty()) consider(&lanes_[1].front(), 1);
    if (!heap_.empty()) consider(&heap_.top(), 2);
    return {earliest, source};
  }

  std::deque<Timer> lanes_[2];  // emission timers, cleanup timers
  std::priority_queue<Timer, std::vector<Timer>, TimerAfter> heap_;
};

}  // namespace

struct OverAggregateOperator::State {
  struct KeyState {
    // Rows not yet emitted, sorted by time and, within a time, by arrival.
    std::vector<PendingRow> pending;
    // The time of this key's live emission timer, or kNoTime. Heap entries
    // for other times are stale and skipped.
    int64_t emission_due = kNoTime;
    // Bounded RANGE frames: the time at which no frame reaches any emitted row
    // of this key any more, and whether a cleanup timer is in the heap.
    int64_t cleanup_due = kNoTime;
    bool cleanup_armed = false;

    // Emitted rows that a later frame can still reach, oldest first, from
    // `frame_head`: their times and argument rows.
    std::vector<int64_t> frame_times;
    std::vector<Row> frame_arguments;
    size_t frame_head = 0;
    // The accumulators over the frame's rows (or over every emitted row for
    // UNBOUNDED PRECEDING). Created on the first emission.
    std::vector<Accumulator> running;

    size_t frame_size() const { return frame_times.size() - frame_head; }
  };
  // Per aggregate: how a bounded frame computes it, and an empty accumulator
  // to copy, which shares its spec with the original.
  std::vector<FrameMethod> methods;
  std::vector<Accumulator> fresh;
  // Read in place of an empty argument row, when no aggregate has an argument.
  Row no_arguments = RowBuilder(0).Finish(RowKind::kInsert);

  KeyMap<KeyState> keys;
  TimerQueue timers;
  int64_t watermark = kNoTime;
  RowBuilder builder{0};
  int64_t last_reported_late = 0;
};

OverFrameAggregates FrameAggregatesOf(const std::vector<OverAggregateSpec::Aggregate>& aggregates) {
  OverFrameAggregates frame;
  for (const auto& aggregate : aggregates) {
    GroupAggregateSpec::Aggregate over_arguments;
    over_arguments.function = aggregate.function;
    over_arguments.type = aggregate.type;
    over_arguments.separator = aggregate.separator;
    int column = -1;
    if (aggregate.argument) {
      column = static_cast<int>(frame.arguments.size());
      frame.arguments.push_back(aggregate.argument);
      frame.argument_types.push_back(aggregate.argument->type);
      over_arguments.argument = Expr::InputRef(column, aggregate.argument->type);
    }
    frame.argument_columns.push_back(column);
    frame.aggregates.push_back(std::move(over_arguments));
  }
  return frame;
}

OverAggregateOperator::OverAggregateOperator(OverAggregateSpec spec)
    : state_(std::make_unique<State>()),
      spec_(std::move(spec)),
      frame_(FrameAggregatesOf(spec_.aggregates)),
      partition_key_(spec_.partition_columns, spec_.input_types),
      argument_builder_(static_cast<uint32_t>(frame_.arguments.size())) {
  state_->builder = RowBuilder(static_cast<uint32_t>(spec_.input_types.size() + spec_.aggregates.size()));
  for (size_t a = 0; a < spec_.aggregates.size(); ++a) {
    state_->methods.push_back(MethodFor(spec_.aggregates[a]));
    state_->fresh.emplace_back(frame_.aggregates[a]);
  }
}

OverAggregateOperator::~OverAggregateOperator() = default;

void OverAggregateOperator::SetFrameCompilers(CodegenMode mode, const CalcOperator::Compiler& arguments,
                                              const AccumulateCompiler& accumulate) {
  if (mode != CodegenMode::kInterpret && arguments && !frame_.arguments.empty()) {
    if (mode == CodegenMode::kJit) {
      compiled_arguments_ = arguments(nullptr, frame_.arguments);
    } else {
      pending_arguments_ = std::async(std::launch::async, arguments, ExprPtr(), frame_.arguments);
    }
  }
  StartAccumulateCompilation(mode, accumulate, frame_.aggregates, accumulate_, pending_accumulate_);
}

void OverAggregateOperator::SwitchToCompiledFrameIfReady() {
  TakeWhenReady(pending_arguments_, compiled_arguments_);
  TakeWhenReady(pending_accumulate_, accumulate_);
}

void OverAggregateOperator::EvaluateArguments(const std::vector<Row>& rows, std::vector<Row>& out) {
  if (frame_.arguments.empty()) {
    out.resize(out.size() + rows.size());
    return;
  }
  if (compiled_arguments_ != nullptr) {
    compiled_arguments_->Process(rows, context_, out);
    return;
  }
  for (const Row& row : rows) {
    RowView view = row.view();
    for (size_t i = 0; i < frame_.arguments.size(); ++i) {
      argument_builder_.SetValue(static_cast<uint32_t>(i), frame_.argument_types[i],
                                 Evaluate(*frame_.arguments[i], view, context_));
    }
    out.push_back(argument_builder_.Finish(row.kind(), row.event_time()));
  }
}

bool OverAggregateOperator::TakeStateFrom(Operator& previous) {
  return TakeStateOf(*this, previous, &OverAggregateOperator::state_);
}

void OverAggregateOperator::SetKeyCompiler(CodegenMode mode, const KeyCompiler& compiler) {
  partition_key_.Compile(mode, compiler);
}

size_t OverAggregateOperator::key_count() const { return state_->keys.size(); }

void OverAggregateOperator::ProcessBatch(int input, std::vector<Row>& rows) {
  partition_key_.SwitchToCompiledCodeIfReady();
  SwitchToCompiledFrameIfReady();
  // Late rows go first, so that the arguments of the others are evaluated in
  // one pass over the batch.
  std::vector<Row> accepted;
  accepted.reserve(rows.size());
  for (Row& row : rows) {
    FSQL_CHECK(row.kind() == RowKind::kInsert, "over aggregation got a {} row", RowKindShortString(row.kind()));
    RowView view = row.view();
    if (view.IsNull(static_cast<uint32_t>(spec_.order_column))) {
      ++late_rows_;
      continue;
    }
    int64_t time = view.GetInt(static_cast<uint32_t>(spec_.order_column));
    if (!spec_.proctime && state_->watermark != kNoTime && time <= state_->watermark) {
      ++late_rows_;
      continue;
    }
    accepted.push_back(std::move(row));
  }
  std::vector<Row> arguments;
  arguments.reserve(accepted.size());
  EvaluateArguments(accepted, arguments);
  HashedKey key;
  for (size_t i = 0; i < accepted.size(); ++i) {
    RowView view = accepted[i].view();
    int64_t time = view.GetInt(static_cast<uint32_t>(spec_.order_column));
    partition_key_.Encode(view, key);
    State::KeyState& key_state = FindOrCreate(state_->keys, key);
    std::vector<PendingRow>& pending = key_state.pending;
    // Rows mostly arrive in time order, so search from the back.
    auto position = pending.end();
    while (position != pending.begin() && std::prev(position)->time > time) --position;
    pending.insert(position, PendingRow{time, std::move(accepted[i]), std::move(arguments[i])});
    if (key_state.emission_due == kNoTime || time < key_state.emission_due) {
      key_state.emission_due = time;
      state_->timers.push(Timer{time, key.bytes, false});
    }
  }
  if (late_rows_ != state_->last_reported_late && (late_rows_ - state_->last_reported_late) >= 1) {
    std::string watermark =
        state_->watermark == kNoTime ? std::string("none") : FormatTimestampMillis(state_->watermark, 3);
    ReportLateRows(fmt::format("older than watermark {}", watermark));
    state_->last_reported_late = late_rows_;
  }
  // The rows of this batch carry the current processing time, and no later
  // row can come before them.
  if (spec_.proctime) EmitUpTo(context_.processing_time_ms);
}

void OverAggregateOperator::FireProcessingTimers() {
  if (spec_.proctime) EmitUpTo(context_.processing_time_ms);
}

void OverAggregateOperator::ProcessWatermark(int input, int64_t watermark) {
  if (state_->watermark != kNoTime && watermark <= state_->watermark) return;
  state_->watermark = watermark;
  if (!spec_.proctime) EmitUpTo(watermark);
  EmitWatermark(watermark);
}

void OverAggregateOperator::EmitUpTo(int64_t max_time) {
  std::vector<Row> out;
  RowBuilder& builder = state_->builder;
  const uint32_t width = static_cast<uint32_t>(spec_.input_types.size());
  const size_t aggregate_count = spec_.aggregates.size();

  const std::vector<FrameMethod>& methods = state_->methods;
  const std::vector<Accumulator>& fresh = state_->fresh;

  auto emit_row = [&](const Row& row, const std::vector<Value>& results) {
    RowView view = row.view();
    builder.CopyColumns(0, view, spec_.input_types);
    for (size_t a = 0; a < results.size(); ++a) {
      builder.SetValue(width + static_cast<uint32_t>(a), spec_.aggregates[a].type, results[a]);
    }
    out.push_back(builder.Finish(RowKind::kInsert, row.event_time()));
  };
  const CompiledAccumulate* compiled = accumulate_.get();
  auto arguments_view = [&](const Row& arguments) {
    return arguments.empty() ? state_->no_arguments.view() : arguments.view();
  };
  // Adds (`sign` = 1) or retracts (`sign` = -1) an argument row. Aggregates
  // that a bounded frame recomputes are updated too, though only unbounded
  // frames read them, so that one compiled call covers the whole list.
  auto apply = [&](State::KeyState& key_state, const Row& arguments, int sign) {
    ApplyRow(frame_.aggregates, compiled, arguments_view(arguments), sign, context_, key_state.running);
  };

  // Adds the row to the end of the frame and to the running accumulators.
  auto enter_frame = [&](State::KeyState& key_state, int64_t time, Row&& arguments) {
    key_state.frame_times.push_back(time);
    apply(key_state, arguments, 1);
    key_state.frame_arguments.push_back(std::move(arguments));
  };
  // Retracts the oldest row of the frame.
  auto leave_frame = [&](State::KeyState& key_state) {
    apply(key_state, key_state.frame_arguments[key_state.frame_head], -1);
    ++key_state.frame_head;
    if (key_state.frame_head == key_state.frame_times.size()) {
      key_state.frame_times.clear();
      key_state.frame_arguments.clear();
      key_state.frame_head = 0;
      // An empty frame restarts from fresh accumulators, so nothing that
      // retraction left behind carries over.
      key_state.running = fresh;
    } else if (key_state.frame_head * 2 >= key_state.frame_times.size()) {
      key_state.frame_times.erase(key_state.frame_times.begin(),
                                  key_state.frame_times.begin() + static_cast<long>(key_state.frame_head));
      key_state.frame_arguments.erase(key_state.frame_arguments.begin(),
                                      key_state.frame_arguments.begin() + static_cast<long>(key_state.frame_head));
      key_state.frame_head = 0;
    }
  };
  std::vector<Value> results(aggregate_count);
  auto frame_results = [&](const State::KeyState& key_state) {
    for (size_t a = 0; a < aggregate_count; ++a) {
      switch (methods[a]) {
        case FrameMethod::kRetract:
          results[a] = key_state.running[a].Result();
          break;
        case FrameMethod::kSumFloating: {
          // The running accumulator's count decides whether the result is NULL.
          // The sum is taken in frame order, as a fresh accumulator would.
          Value count_or_null = key_state.running[a].Result();
          if (count_or_null.is_null()) {
            results[a] = Value::Null();
            break;
          }
          const auto column = static_cast<uint32_t>(frame_.argument_columns[a]);
          const DataType& type = frame_.argument_types[column];
          const bool is_double = type.id == TypeId::kDouble || type.id == TypeId::kFloat;
          double sum = 0;
          for (size_t row = key_state.frame_head; row < key_state.frame_times.size(); ++row) {
            RowView arguments = key_state.frame_arguments[row].view();
            if (arguments.IsNull(column)) continue;
            sum += is_double ? arguments.GetDouble(column) : FloatingTerm(arguments.GetValue(column, type));
          }
          results[a] = Value::Double(sum);
          break;
        }
        case FrameMethod::kRecompute: {
          Accumulator accumulator = fresh[a];
          const int column = frame_.argument_columns[a];
          for (size_t row = key_state.frame_head; row < key_state.frame_times.size(); ++row) {
            accumulator.Add(column < 0 ? Value()
                                       : key_state.frame_arguments[row].view().GetValue(
                                             static_cast<uint32_t>(column), frame_.argument_types[column]));
          }
          results[a] = accumulator.Result();
          break;
        }
      }
    }
  };

  while (!state_->timers.empty() && state_->timers.top().time <= max_time) {
    Timer timer = state_->timers.top();
    state_->timers.pop();
    auto key_it = state_->keys.find(timer.key);
    if (key_it == state_->keys.end()) continue;
    State::KeyState& key_state = key_it->second;

    if (timer.cleanup) {
      // A bounded RANGE frame: drop the rows no later frame can reach, and
      // the key once nothing of it is left.
      key_state.cleanup_armed = false;
      if (key_state.cleanup_due > timer.time) {
        key_state.cleanup_armed = true;
        state_->timers.push(Timer{key_state.cleanup_due, std::move(timer.key), true});
        continue;
      }
      if (key_state.pending.empty()) {
        // cleanup_due is past every emitted row, so the whole key goes
        // without retracting its rows one by one.
        state_->keys.erase(key_it);
        continue;
      }
      while (key_state.frame_size() > 0 && key_state.frame_times[key_state.frame_head] < timer.time - spec_.preceding) {
        leave_frame(key_state);
      }
      continue;
    }

    int64_t time = timer.time;
    if (key_state.emission_due != time) continue;  // stale: an earlier row moved the timer
    auto& pending = key_state.pending;
    auto current_end = std::find_if(pending.begin(), pending.end(), [&](const PendingRow& p) { return p.time != time; });
    if (key_state.running.empty()) key_state.running = fresh;

    if (spec_.unbounded_preceding) {
      if (!spec_.rows_frame) {
        for (auto it = pending.begin(); it != current_end; ++it) apply(key_state, it->arguments, 1);
        for (size_t a = 0; a < aggregate_count; ++a) results[a] = key_state.running[a].Result();
        for (auto it = pending.begin(); it != current_end; ++it) emit_row(it->row, results);
      } else {
        for (auto it = pending.begin(); it != current_end; ++it) {
          apply(key_state, it->arguments, 1);
          for (size_t a = 0; a < aggregate_count; ++a) results[a] = key_state.running[a].Result();
          emit_row(it->row, results);
        }
      }
    } else if (!spec_.rows_frame) {
      // RANGE: every row in [time - preceding, time] counts, the current time's rows included.
      while (key_state.frame_size() > 0 && key_state.frame_times[key_state.frame_head] < time - spec_.preceding) {
        leave_frame(key_state);
      }
      for (auto it = pending.begin(); it != current_end; ++it) enter_frame(key_state, time, std::move(it->arguments));
      frame_results(key_state);
      for (auto it = pending.begin(); it != current_end; ++it) emit_row(it->row, results);
      // Once the watermark passes time + preceding, no frame reaches this time's rows.
      key_state.cleanup_due = time + spec_.preceding + 1;
      if (!key_state.cleanup_armed) {
        key_state.cleanup_armed = true;
        state_->timers.push(Timer{key_state.cleanup_due, timer.key, true});
      }
    } else {
      // ROWS: the current row and up to `preceding` rows before it in (time, arrival) order.
      for (auto it = pending.begin(); it != current_end; ++it) {
        enter_frame(key_state, time, std::move(it->arguments));
        if (key_state.frame_size() > static_cast<size_t>(spec_.preceding) + 1) leave_frame(key_state);
        frame_results(key_state);
        emit_row(it->row, results);
      }
    }

    pending.erase(pending.begin(), current_end);
    if (pending.empty()) {
      key_state.emission_due = kNoTime;
    } else {
      key_state.emission_due = pending.front().time;
      state_->timers.push(Timer{key_state.emission_due, std::move(timer.key), false});
    }
  }
  Emit(out);
}

}  // namespace fsql
