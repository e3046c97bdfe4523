// Temporal joins: on event time against a versioned table, and on processing
// time against the current rows of an updating table.
#include <map>
#include <optional>

#include "runtime/common/error.h"
#include "runtime/operators/operator.h"
#include "runtime/operators/state_ttl.h"

namespace fsql {

struct TemporalJoinOperator::State {
  IntervalJoinSpec spec;
  std::map<int64_t, std::vector<Row>> waiting;  // left rows by time, until the watermark passes them
  // Right versions per key by the time they start; nullopt marks a deletion.
  KeyMap<std::map<int64_t, std::optional<Row>>> versions;
  int64_t watermarks[2] = {kNoTime, kNoTime};
  int64_t emitted_until = kNoTime;
  RowBuilder builder{0};

  int64_t Combined() const {
    if (watermarks[0] == kNoTime || watermarks[1] == kNoTime) return kNoTime;
    return std::min(watermarks[0], watermarks[1]);
  }
};

TemporalJoinOperator::TemporalJoinOperator(IntervalJoinSpec spec)
    : JoinCodeOperator(spec.join), state_(std::make_unique<State>()) {
  state_->spec = std::move(spec);
  const JoinSpec& join = state_->spec.join;
  state_->builder = RowBuilder(static_cast<uint32_t>(join.left_types.size() + join.right_types.size()));
}

TemporalJoinOperator::~TemporalJoinOperator() = default;

bool TemporalJoinOperator::TakeStateFrom(Operator& previous) {
  return TakeStateOf(*this, previous, &TemporalJoinOperator::state_);
}

size_t TemporalJoinOperator::buffered_rows() const {
  size_t count = 0;
  for (const auto& [time, rows] : state_->waiting) count += rows.size();
  for (const auto& [key, versions] : state_->versions) count += versions.size();
  return count;
}

void TemporalJoinOperator::ProcessBatch(int input, std::vector<Row>& rows) {
  State& s = *state_;
  KeyEncoder& right_keys = keys_[1];
  SwitchToCompiledCodeIfReady();
  HashedKey key;
  for (Row& row : rows) {
    RowView view = row.view();
    if (input == 0) {
      FSQL_CHECK(row.kind() == RowKind::kInsert, "temporal join got a {} left row", RowKindShortString(row.kind()));
      uint32_t time_column = static_cast<uint32_t>(s.spec.left_time);
      int64_t time = view.IsNull(time_column) ? INT64_MIN : view.GetInt(time_column);
      s.waiting[time].push_back(std::move(row));
      continue;
    }
    if (row.kind() == RowKind::kUpdateBefore) continue;  // the +U that follows starts the new version
    // A deletion's time is its row's event time, because the row carries the old version's values.
    uint32_t time_column = static_cast<uint32_t>(s.spec.right_time);
    bool deletion = row.kind() == RowKind::kDelete && row.event_time() != kNoTime;
    if (!deletion && view.IsNull(time_column)) continue;
    int64_t time = deletion ? row.event_time() : view.GetInt(time_column);
    right_keys.Encode(view, key);
    auto& versions = FindOrCreate(s.versions, key);
    if (row.kind() == RowKind::kDelete) {
      versions[time] = std::nullopt;
    } else {
      versions[time] = row.WithKind(RowKind::kInsert);
    }
  }
  // Left rows at or behind the watermark already have every version they can see.
  if (s.emitted_until != kNoTime) ProcessWatermark(-1, s.emitted_until);
}

void TemporalJoinOperator::ProcessWatermark(int input, int64_t watermark) {
  State& s = *state_;
  if (input >= 0) s.watermarks[input] = std::max(s.watermarks[input], watermark);
  int64_t combined = input >= 0 ? s.Combined() : watermark;
  if (combined == kNoTime) return;
  // Left rows encode their keys here, when the watermark releases them.
  KeyEncoder& left_keys = keys_[0];
  SwitchToCompiledCodeIfReady();
  HashedKey key;
  const JoinSpec& join = s.spec.join;
  const uint32_t left_width = static_cast<uint32_t>(join.left_types.size());
  const uint32_t right_width = static_cast<uint32_t>(join.right_types.size());
  std::vector<Row> out;

  while (!s.waiting.empty() && s.waiting.begin()->first <= combined) {
    for (const Row& left : s.waiting.begin()->second) {
      RowView l = left.view();
      int64_t time = s.waiting.begin()->first;
      const Row* match = nullptr;
      bool null_key = false;
      for (int key : join.left_keys) null_key = null_key || l.IsNull(static_cast<uint32_t>(key));
      if (!null_key && time != INT64_MIN) {
        left_keys.Encode(l, key);
        auto versions = s.versions.find(key);
        if (versions != s.versions.end()) {
          auto valid = versions->second.upper_bound(time);
          if (valid != versions->second.begin()) {
            --valid;
            if (valid->second) match = &*valid->second;
          }
        }
      }
      s.builder.CopyColumns(0, l, join.left_types);
      if (match == nullptr) {
        for (uint32_t i = 0; i < right_width; ++i) s.builder.SetNull(left_width + i);
      } else {
        s.builder.CopyColumns(left_width, match->view(), join.right_types);
      }
      Row joined = s.builder.Finish(RowKind::kInsert, left.event_time());
      bool passes = match != nullptr && condition_.Holds(joined.view(), context_);
      if (passes) {
        out.push_back(std::move(joined));
      } else if (join.kind == JoinKind::kLeft) {
        for (uint32_t i = 0; i < right_width; ++i) s.builder.SetNull(left_width + i);
        s.builder.CopyColumns(0, l, join.left_types);
        out.push_back(s.builder.Finish(RowKind::kInsert, left.event_time()));
      }
    }
    s.waiting.erase(s.waiting.begin());
  }

  if (input >= 0 && (s.emitted_until == kNoTime || combined > s.emitted_until)) {
    s.emitted_until = combined;
    // Later left rows are after the watermark, so of the versions up to it only the last can still match.
    for (auto it = s.versions.begin(); it != s.versions.end();) {
      auto& versions = it->second;
      auto last_visible = versions.upper_bound(combined);
      if (last_visible != versions.begin()) versions.erase(versions.begin(), std::prev(last_visible));
      bool only_deletion = versions.size() == 1 && !versions.begin()->second && versions.begin()->first <= combined;
      it = (versions.empty() || only_deletion) ? s.versions.erase(it) : std::next(it);
    }
  }
  Emit(out);
  if (input >= 0) EmitWatermark(combined);
}

struct ProcTimeTemporalJoinOperator::State {
  JoinSpec spec;
  TtlMap<Row> current;  // the right row per encoded join key
  RowBuilder builder{0};
};

ProcTimeTemporalJoinOperator::ProcTimeTemporalJoinOperator(JoinSpec spec)
    : JoinCodeOperator(spec), state_(std::make_unique<State>()) {
  state_->spec = std::move(spec);
  state_->current = TtlMap<Row>(state_->spec.state_ttl_ms[1]);
  state_->builder =
      RowBuilder(static_cast<uint32_t>(state_->spec.left_types.size() + state_->spec.right_types.size()));
}

ProcTimeTemporalJoinOperator::~ProcTimeTemporalJoinOperator() = default;

bool ProcTimeTemporalJoinOperator::TakeStateFrom(Operator& previous) {
  return TakeStateOf(*this, previous, &ProcTimeTemporalJoinOperator::state_);
}

size_t ProcTimeTemporalJoinOperator::buffered_rows() const { return state_->current.size(); }

void ProcTimeTemporalJoinOperator::ProcessBatch(int input, std::vector<Row>& rows) {
  KeyEncoder& key_encoder = keys_[input];
  SwitchToCompiledCodeIfReady();
  HashedKey key;
  State& s = *state_;
  const JoinSpec& join = s.spec;
  const int64_t now = context_.processing_time_ms;
  s.current.Sweep(now);
  auto has_null_key = [](RowView view, const std::vector<int>& keys) {
    for (int key : keys) {
      if (view.IsNull(static_cast<uint32_t>(key))) return true;
    }
    return false;
  };

  if (input == 1) {
    for (Row& row : rows) {
      RowView view = row.view();
      // A NULL join key equals nothing, so no left row could ever join the row.
      if (has_null_key(view, join.right_keys)) continue;
      key_encoder.Encode(view, key);
      if (IsAccumulate(row.kind())) {
        s.current.Write(key, now) = row.WithKind(RowKind::kInsert);
      } else {
        // A -U or -D carries the old row, so its join key is the one to drop.
        // The +U after a -U may bring the row back under another join key.
        s.current.Erase(key);
      }
    }
    return;
  }

  std::vector<Row> out;
  for (const Row& left : rows) {
    FSQL_CHECK(left.kind() == RowKind::kInsert, "processing-time temporal join got a {} left row",
               RowKindShortString(left.kind()));
    RowView view = left.view();
    const Row* match = nullptr;
    if (!has_null_key(view, join.left_keys)) {
      key_encoder.Encode(view, key);
      match = s.current.Find(key, now);
    }
    if (match != nullptr) {
      Row joined = BuildJoinedRow(s.builder, join, &left, match, RowKind::kInsert, left.event_time());
      if (condition_.Holds(joined.view(), context_)) {
        out.push_back(std::move(joined));
        continue;
      }
    }
    if (join.kind == JoinKind::kLeft) {
      out.push_back(BuildJoinedRow(s.builder, join, &left, nullptr, RowKind::kInsert, left.event_time()));
    }
  }
  Emit(out);
}

void ProcTimeTemporalJoinOperator::ProcessWatermark(int input, int64_t watermark) {
  if (input == 0) EmitWatermark(watermark);
}

}  // namespace fsql
