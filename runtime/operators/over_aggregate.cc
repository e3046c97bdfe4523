// Event-time and processing-time OVER aggregation with RANGE and ROWS frames.
//
// Rows are buffered per partition key until the watermark passes their time,
// because a later row with an equal or smaller time could still change the
// frame. All rows with the same time get the same RANGE aggregate. Ordered by
// processing time, a batch's rows are emitted when the batch arrives.
#include <map>
#include <set>
#include <unordered_map>

#include "runtime/common/error.h"
#include "runtime/common/logging.h"
#include "runtime/operators/accumulator.h"
#include "runtime/operators/operator.h"

namespace fsql {

namespace {

/// Running state of one aggregate over the rows added so far. OVER frames
/// only add rows, and a bounded frame builds fresh accumulators per result.
using Accumulator = RetractableAccumulator;

}  // namespace

struct OverAggregateOperator::State {
  struct KeyState {
    // Every retained row by time; rows at or before `emitted_until` have been emitted.
    std::map<int64_t, std::vector<Row>> rows;
    // For UNBOUNDED PRECEDING frames the accumulators replace the retained rows.
    std::vector<Accumulator> running;
  };
  std::unordered_map<std::string, KeyState> keys;
  std::map<int64_t, std::set<std::string>> timers;  // time -> keys with rows waiting at that time
  int64_t watermark = kNoTime;
  RowBuilder builder{0};
  int64_t last_reported_late = 0;
};

OverAggregateOperator::OverAggregateOperator(OverAggregateSpec spec)
    : state_(std::make_unique<State>()), spec_(std::move(spec)) {
  state_->builder = RowBuilder(static_cast<uint32_t>(spec_.input_types.size() + spec_.aggregates.size()));
}

OverAggregateOperator::~OverAggregateOperator() = default;

bool OverAggregateOperator::TakeStateFrom(Operator& previous) {
  auto* old = dynamic_cast<OverAggregateOperator*>(&previous);
  if (old == nullptr || old->state_ == nullptr) return false;
  state_ = std::move(old->state_);
  return true;
}

size_t OverAggregateOperator::key_count() const { return state_->keys.size(); }

void OverAggregateOperator::ProcessBatch(int input, std::vector<Row>& rows) {
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
    std::string key = EncodeKey(view, spec_.partition_columns, spec_.input_types);
    state_->timers[time].insert(key);
    state_->keys[key].rows[time].push_back(std::move(row));
  }
  if (late_rows_ != state_->last_reported_late && (late_rows_ - state_->last_reported_late) >= 1) {
    spdlog::warn("OverAggregate dropped {} late rows so far (older than watermark {})", late_rows_,
                 state_->watermark == kNoTime ? std::string("none") : FormatTimestampMillis(state_->watermark, 3));
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

  auto emit_row = [&](const Row& row, const std::vector<Value>& results) {
    RowView view = row.view();
    for (uint32_t i = 0; i < width; ++i) builder.SetValue(i, spec_.input_types[i], view.GetValue(i, spec_.input_types[i]));
    for (size_t a = 0; a < results.size(); ++a) {
      builder.SetValue(width + static_cast<uint32_t>(a), spec_.aggregates[a].type, results[a]);
    }
    out.push_back(builder.Finish(RowKind::kInsert, row.event_time()));
  };
  auto argument_of = [&](const OverAggregateSpec::Aggregate& aggregate, const Row& row) {
    return aggregate.argument ? Evaluate(*aggregate.argument, row.view(), context_) : Value();
  };

  while (!state_->timers.empty() && state_->timers.begin()->first <= max_time) {
    int64_t time = state_->timers.begin()->first;
    std::set<std::string> keys = std::move(state_->timers.begin()->second);
    state_->timers.erase(state_->timers.begin());
    for (const std::string& key : keys) {
      auto key_it = state_->keys.find(key);
      if (key_it == state_->keys.end()) continue;
      State::KeyState& key_state = key_it->second;
      auto current_it = key_state.rows.find(time);
      if (current_it == key_state.rows.end()) {
        // A cleanup timer: rows older than the frame can no longer be reached.
        if (!spec_.rows_frame && !spec_.unbounded_preceding) {
          key_state.rows.erase(key_state.rows.begin(), key_state.rows.lower_bound(time - spec_.preceding));
          if (key_state.rows.empty()) state_->keys.erase(key_it);
        }
        continue;
      }
      std::vector<Row>& current = current_it->second;
      if (spec_.unbounded_preceding) {
        if (key_state.running.empty()) {
          for (const auto& aggregate : spec_.aggregates) key_state.running.emplace_back(aggregate);
        }
        std::vector<Value> results;
        if (!spec_.rows_frame) {
          for (const Row& row : current) {
            for (size_t a = 0; a < spec_.aggregates.size(); ++a) key_state.running[a].Add(argument_of(spec_.aggregates[a], row));
          }
          for (const auto& acc : key_state.running) results.push_back(acc.Result());
          for (const Row& row : current) emit_row(row, results);
        } else {
          for (const Row& row : current) {
            results.clear();
            for (size_t a = 0; a < spec_.aggregates.size(); ++a) {
              key_state.running[a].Add(argument_of(spec_.aggregates[a], row));
              results.push_back(key_state.running[a].Result());
            }
            emit_row(row, results);
          }
        }
        key_state.rows.erase(time);
        continue;
      }

      if (!spec_.rows_frame) {
        // RANGE: every row in [time - preceding, time] counts, the current time's rows included.
        std::vector<Accumulator> accumulators;
        for (const auto& aggregate : spec_.aggregates) accumulators.emplace_back(aggregate);
        for (auto it = key_state.rows.lower_bound(time - spec_.preceding); it != key_state.rows.end() && it->first <= time; ++it) {
          for (const Row& row : it->second) {
            for (size_t a = 0; a < spec_.aggregates.size(); ++a) accumulators[a].Add(argument_of(spec_.aggregates[a], row));
          }
        }
        std::vector<Value> results;
        for (const auto& acc : accumulators) results.push_back(acc.Result());
        for (const Row& row : current) emit_row(row, results);
        // No later emission can reach rows before time - preceding, and once the
        // watermark passes time + preceding nothing can reach this time's rows.
        key_state.rows.erase(key_state.rows.begin(), key_state.rows.lower_bound(time - spec_.preceding));
        state_->timers[time + spec_.preceding + 1].insert(key);
      } else {
        // ROWS: the current row and up to `preceding` rows before it in (time, arrival) order.
        std::vector<const Row*> ordered;
        for (auto it = key_state.rows.begin(); it != key_state.rows.end() && it->first <= time; ++it) {
          for (const Row& row : it->second) ordered.push_back(&row);
        }
        size_t first_current = ordered.size() - current.size();
        for (size_t i = first_current; i < ordered.size(); ++i) {
          std::vector<Accumulator> accumulators;
          for (const auto& aggregate : spec_.aggregates) accumulators.emplace_back(aggregate);
          size_t begin = i >= static_cast<size_t>(spec_.preceding) ? i - static_cast<size_t>(spec_.preceding) : 0;
          for (size_t j = begin; j <= i; ++j) {
            for (size_t a = 0; a < spec_.aggregates.size(); ++a) accumulators[a].Add(argument_of(spec_.aggregates[a], *ordered[j]));
          }
          std::vector<Value> results;
          for (const auto& acc : accumulators) results.push_back(acc.Result());
          emit_row(*ordered[i], results);
        }
        // Keep only the rows a later row's frame can still reach.
        size_t keep = static_cast<size_t>(spec_.preceding);
        size_t total = ordered.size();
        while (total > keep && !key_state.rows.empty() && key_state.rows.begin()->first <= time) {
          auto& oldest = key_state.rows.begin()->second;
          size_t drop = std::min(oldest.size(), total - keep);
          oldest.erase(oldest.begin(), oldest.begin() + static_cast<long>(drop));
          total -= drop;
          if (oldest.empty()) key_state.rows.erase(key_state.rows.begin());
        }
      }
    }
  }
  Emit(out);
}

}  // namespace fsql
