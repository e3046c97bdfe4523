// The SESSION window TVF: per-key sessions merged by a gap, released by the
// watermark, or by processing time on a processing-time attribute.
#include <algorithm>
#include <map>
#include <set>

#include "runtime/common/error.h"
#include "runtime/common/logging.h"
#include "runtime/operators/operator.h"

namespace fsql {

struct SessionWindowOperator::State {
  SessionWindowSpec spec;
  struct Session {
    int64_t end = 0;  // last row's time plus the gap
    std::vector<Row> rows;
  };
  // Per key, the open sessions by start. They never overlap: a row that
  // bridges two of them merges them.
  KeyMap<std::map<int64_t, Session>> keys;
  std::set<std::pair<int64_t, std::string>> closing;  // (end, key) of every open session
  int64_t watermark = kNoTime;
  RowBuilder builder{0};
};

SessionWindowOperator::SessionWindowOperator(SessionWindowSpec spec)
    : state_(std::make_unique<State>()), partition_key_(spec.partition_columns, spec.input_types) {
  state_->spec = std::move(spec);
  state_->builder = RowBuilder(static_cast<uint32_t>(state_->spec.input_types.size() + 3));
}

SessionWindowOperator::~SessionWindowOperator() = default;

bool SessionWindowOperator::TakeStateFrom(Operator& previous) {
  return TakeStateOf(*this, previous, &SessionWindowOperator::state_);
}

void SessionWindowOperator::SetKeyCompiler(CodegenMode mode, const KeyCompiler& compiler) {
  partition_key_.Compile(mode, compiler);
}

size_t SessionWindowOperator::open_sessions() const { return state_->closing.size(); }

void SessionWindowOperator::ProcessBatch(int input, std::vector<Row>& rows) {
  partition_key_.SwitchToCompiledCodeIfReady();
  State& s = *state_;
  const auto& spec = s.spec;
  const auto time_column = static_cast<uint32_t>(spec.time_column);
  int64_t late_before = late_rows_;
  HashedKey key;
  for (Row& row : rows) {
    RowView view = row.view();
    if (view.IsNull(time_column)) continue;  // no session contains a NULL time
    int64_t start = view.GetInt(time_column);
    int64_t end = start + spec.gap;
    if (!spec.proctime && s.watermark != kNoTime && end - 1 <= s.watermark) {
      ++late_rows_;
      continue;
    }
    partition_key_.Encode(view, key);
    std::map<int64_t, State::Session>& sessions = FindOrCreate(s.keys, key);
    State::Session merged;
    merged.rows.push_back(std::move(row));
    // Absorb every session that intersects [start, end), touching counts as
    // in Flink: those starting at or before `end` that end at or after `start`.
    auto it = sessions.upper_bound(end);
    while (it != sessions.begin()) {
      auto previous = std::prev(it);
      if (previous->second.end < start) break;
      start = std::min(start, previous->first);
      end = std::max(end, previous->second.end);
      s.closing.erase({previous->second.end, key.bytes});
      for (Row& kept : previous->second.rows) merged.rows.push_back(std::move(kept));
      it = sessions.erase(previous);
    }
    merged.end = end;
    s.closing.insert({end, key.bytes});
    sessions.emplace(start, std::move(merged));
  }
  if (late_rows_ > late_before) {
    ReportLateRows(fmt::format("sessions up to watermark {} have closed", FormatTimestampMillis(s.watermark, 3)));
  }
}

void SessionWindowOperator::ProcessWatermark(int input, int64_t watermark) {
  State& s = *state_;
  if (s.watermark != kNoTime && watermark <= s.watermark) return;
  s.watermark = watermark;
  if (!s.spec.proctime) CloseSessionsEndingBy(watermark == INT64_MAX ? INT64_MAX : watermark + 1);
  EmitWatermark(watermark);
}

void SessionWindowOperator::FireProcessingTimers() {
  // Processing time only grows, so no later row can extend a session that ends
  // before now. A session ending exactly now closes too, which makes a row
  // read now start a new session, as a processing-time TUMBLE window would.
  if (state_->spec.proctime) CloseSessionsEndingBy(context_.processing_time_ms);
}

void SessionWindowOperator::CloseSessionsEndingBy(int64_t max_end) {
  State& s = *state_;
  const auto& types = s.spec.input_types;
  const auto width = static_cast<uint32_t>(types.size());
  std::vector<Row> out;
  while (!s.closing.empty() && s.closing.begin()->first <= max_end) {
    auto [end, key] = *s.closing.begin();
    s.closing.erase(s.closing.begin());
    auto& sessions = s.keys[key];
    // The session ending at `end` is the last one of its key that starts before it.
    auto it = sessions.lower_bound(end);
    FSQL_CHECK(it != sessions.begin(), "no open session ends at {}", end);
    --it;
    int64_t start = it->first;
    std::vector<Row>& session_rows = it->second.rows;
    // Rows go out in time order, the order they had in the stream.
    std::stable_sort(session_rows.begin(), session_rows.end(), [&](const Row& a, const Row& b) {
      return a.view().GetInt(static_cast<uint32_t>(s.spec.time_column)) <
             b.view().GetInt(static_cast<uint32_t>(s.spec.time_column));
    });
    for (const Row& row : session_rows) {
      RowView view = row.view();
      s.builder.CopyColumns(0, view, types);
      s.builder.SetInt(width, start);
      s.builder.SetInt(width + 1, end);
      s.builder.SetInt(width + 2, end - 1);
      out.push_back(s.builder.Finish(row.kind(), row.event_time()));
    }
    sessions.erase(it);
    if (sessions.empty()) s.keys.erase(key);
  }
  Emit(out);
}

}  // namespace fsql
