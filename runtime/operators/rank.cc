// Top-N per partition key (ROW_NUMBER() OVER (...) <= N) over a changelog input.
#include <map>
#include <unordered_map>

#include "runtime/common/error.h"
#include "runtime/operators/operator.h"

namespace fsql {

namespace {

/// Rows of one partition by sort key; equal keys keep arrival order.
using Partition = std::multimap<RankOrderKey, Row, RankOrderLess>;

/// Returns the first `limit` rows of a partition, in rank order.
std::vector<Row> TopRows(const Partition& partition, int64_t limit) {
  std::vector<Row> rows;
  for (auto it = partition.begin(); it != partition.end() && static_cast<int64_t>(rows.size()) < limit; ++it) {
    rows.push_back(it->second);
  }
  return rows;
}

bool Contains(const std::vector<Row>& rows, const Row& row) {
  for (const Row& candidate : rows) {
    if (SameContent(candidate, row)) return true;
  }
  return false;
}

}  // namespace

struct RankOperator::State {
  RankSpec spec;
  TtlMap<Partition> partitions;
  int64_t arrivals = 0;  // the sort value of a processing-time Top-N's rows
  RowBuilder builder{0};
};

RankOperator::RankOperator(RankSpec spec)
    : state_(std::make_unique<State>()), partition_key_(spec.partition_columns, spec.input_types) {
  state_->spec = std::move(spec);
  state_->partitions = TtlMap<Partition>(state_->spec.state_ttl_ms);
  FSQL_CHECK(state_->spec.limit >= 1, "rank limit {}", state_->spec.limit);
  state_->builder = RowBuilder(static_cast<uint32_t>(state_->spec.input_types.size() + 1));
}

RankOperator::~RankOperator() = default;

bool RankOperator::TakeStateFrom(Operator& previous) {
  return TakeStateOf(*this, previous, &RankOperator::state_);
}

void RankOperator::SetKeyCompiler(CodegenMode mode, const KeyCompiler& compiler) {
  partition_key_.Compile(mode, compiler);
}

void RankOperator::ProcessBatch(int input, std::vector<Row>& rows) {
  partition_key_.SwitchToCompiledCodeIfReady();
  State& s = *state_;
  const auto& types = s.spec.input_types;
  const uint32_t width = static_cast<uint32_t>(types.size());
  std::vector<Row> out;

  auto ranked = [&](const Row& row, int64_t rank, RowKind kind) {
    RowView view = row.view();
    s.builder.CopyColumns(0, view, types);
    s.builder.SetInt(width, rank);
    return s.builder.Finish(kind, row.event_time());
  };

  const int64_t now = context_.processing_time_ms;
  s.partitions.Sweep(now);
  HashedKey key;
  for (Row& row : rows) {
    RowView view = row.view();
    partition_key_.Encode(view, key);
    if (s.spec.proctime_order && s.spec.limit == 1) {
      DeduplicateOnProcessingTime(key, row, now, out);
      continue;
    }
    Partition& partition = s.partitions.Write(key, now);
    std::vector<Row> before = TopRows(partition, s.spec.limit);
    // On processing time the arrival count orders the rows, so rows read at
    // the same millisecond keep their arrival order.
    Value sort_value = s.spec.proctime_order
                           ? Value::Int(++s.arrivals)
                           : view.GetValue(static_cast<uint32_t>(s.spec.order_column), types[s.spec.order_column]);
    RankOrderKey sort{sort_value, s.spec.descending};

    if (IsAccumulate(row.kind())) {
      partition.emplace(sort, row.WithKind(RowKind::kInsert));
    } else {
      auto range = partition.equal_range(sort);
      auto match = partition.end();
      for (auto it = range.first; it != range.second; ++it) {
        if (SameContent(it->second, row)) {
          match = it;
          break;
        }
      }
      if (match == partition.end()) continue;  // retraction of a row never seen
      partition.erase(match);
    }
    std::vector<Row> after = TopRows(partition, s.spec.limit);
    if (s.spec.proctime_order && static_cast<int64_t>(partition.size()) > s.spec.limit) {
      // The input only adds rows, so a row ranked past the limit never climbs back.
      partition.erase(std::prev(partition.end()));
    }
    if (partition.empty()) s.partitions.Erase(key);

    if (s.spec.output_rank_number || s.spec.limit == 1) {
      // Compare rank by rank; the old row of a rank goes out before the new one.
      // Top-1 always updates in place, since its one row is the key's row.
      size_t ranks = std::max(before.size(), after.size());
      for (size_t r = 0; r < ranks; ++r) {
        int64_t number = static_cast<int64_t>(r) + 1;
        bool had = r < before.size();
        bool has = r < after.size();
        if (had && has && SameContent(before[r], after[r])) continue;
        if (had && has) {
          out.push_back(ranked(before[r], number, RowKind::kUpdateBefore));
          out.push_back(ranked(after[r], number, RowKind::kUpdateAfter));
        } else if (had) {
          out.push_back(ranked(before[r], number, RowKind::kDelete));
        } else {
          out.push_back(ranked(after[r], number, RowKind::kInsert));
        }
      }
      continue;
    }
    // Without row numbers only membership matters: leavers, then newcomers.
    for (size_t r = 0; r < before.size(); ++r) {
      if (!Contains(after, before[r])) out.push_back(ranked(before[r], 0, RowKind::kDelete));
    }
    for (size_t r = 0; r < after.size(); ++r) {
      if (!Contains(before, after[r])) out.push_back(ranked(after[r], 0, RowKind::kInsert));
    }
  }
  Emit(out);
}

void RankOperator::DeduplicateOnProcessingTime(const HashedKey& key, const Row& row, int64_t now,
                                               std::vector<Row>& out) {
  State& s = *state_;
  const auto& types = s.spec.input_types;
  const uint32_t width = static_cast<uint32_t>(types.size());
  auto numbered = [&](const Row& kept, RowKind kind) {
    RowView view = kept.view();
    s.builder.CopyColumns(0, view, types);
    s.builder.SetInt(width, 1);
    return s.builder.Finish(kind, kept.event_time());
  };
  // Only the kept row is stored, so state is one row per key.
  bool seen = s.partitions.Find(key, now) != nullptr;
  if (seen && !s.spec.descending) return;
  Partition& partition = s.partitions.Write(key, now);
  if (seen) out.push_back(numbered(partition.begin()->second, RowKind::kUpdateBefore));
  partition.clear();
  RankOrderKey sort{Value::Int(now), s.spec.descending};
  partition.emplace(sort, row.WithKind(RowKind::kInsert));
  out.push_back(numbered(row, seen ? RowKind::kUpdateAfter : RowKind::kInsert));
}

}  // namespace fsql
