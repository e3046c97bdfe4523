// Top-1 per partition key (ROW_NUMBER() OVER (...) = 1) over a changelog input.
#include <map>
#include <unordered_map>

#include "runtime/common/error.h"
#include "runtime/operators/operator.h"

namespace fsql {

namespace {

struct SortKey {
  Value value;
  bool descending = false;
};

/// Orders by the sort column; NULLs first ascending and last descending, as
/// Flink orders them by default. Equal keys keep arrival order in a multimap.
struct SortKeyLess {
  bool operator()(const SortKey& a, const SortKey& b) const {
    int c = CompareValues(a.value, b.value);
    return a.descending ? c > 0 : c < 0;
  }
};

}  // namespace

struct RankOperator::State {
  RankSpec spec;
  std::unordered_map<std::string, std::multimap<SortKey, Row, SortKeyLess>> partitions;
  RowBuilder builder{0};
};

RankOperator::RankOperator(RankSpec spec) : state_(std::make_unique<State>()) {
  state_->spec = std::move(spec);
  state_->builder = RowBuilder(static_cast<uint32_t>(state_->spec.input_types.size() + 1));
}

RankOperator::~RankOperator() = default;

void RankOperator::ProcessBatch(int input, std::vector<Row>& rows) {
  State& s = *state_;
  const auto& types = s.spec.input_types;
  const uint32_t width = static_cast<uint32_t>(types.size());
  std::vector<Row> out;

  // The output row is the input row plus its row number, which is always 1 here.
  auto ranked = [&](const Row& row, RowKind kind) {
    RowView view = row.view();
    for (uint32_t i = 0; i < width; ++i) s.builder.SetValue(i, types[i], view.GetValue(i, types[i]));
    s.builder.SetInt(width, 1);
    return s.builder.Finish(kind, row.event_time());
  };

  for (Row& row : rows) {
    RowView view = row.view();
    std::string key = EncodeKey(view, s.spec.partition_columns, types);
    auto& partition = s.partitions[key];
    const Row* old_top = partition.empty() ? nullptr : &partition.begin()->second;
    Row old_copy = old_top ? *old_top : Row();
    SortKey sort{view.GetValue(static_cast<uint32_t>(s.spec.order_column), types[s.spec.order_column]),
                 s.spec.descending};

    if (IsAccumulate(row.kind())) {
      auto inserted = partition.emplace(sort, row.WithKind(RowKind::kInsert));
      if (inserted != partition.begin()) continue;  // the first row did not change
      if (old_top) {
        out.push_back(ranked(old_copy, RowKind::kUpdateBefore));
        out.push_back(ranked(inserted->second, RowKind::kUpdateAfter));
      } else {
        out.push_back(ranked(inserted->second, RowKind::kInsert));
      }
      continue;
    }

    auto range = partition.equal_range(sort);
    auto match = partition.end();
    for (auto it = range.first; it != range.second; ++it) {
      if (SameContent(it->second, row)) {
        match = it;
        break;
      }
    }
    if (match == partition.end()) continue;  // retraction of a row never seen
    bool was_top = match == partition.begin();
    partition.erase(match);
    if (was_top) {
      if (partition.empty()) {
        out.push_back(ranked(old_copy, RowKind::kDelete));
      } else {
        out.push_back(ranked(old_copy, RowKind::kUpdateBefore));
        out.push_back(ranked(partition.begin()->second, RowKind::kUpdateAfter));
      }
    }
    if (partition.empty()) s.partitions.erase(key);
  }
  Emit(out);
}

}  // namespace fsql
