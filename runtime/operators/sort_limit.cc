// LIMIT without ORDER BY, and ORDER BY a time attribute.
#include <algorithm>
#include <map>

#include "runtime/common/logging.h"
#include "runtime/operators/operator.h"

namespace fsql {

bool SortsBefore(RowView x, RowView y, const std::vector<SortKeySpec>& keys, const std::vector<DataType>& types) {
  for (const SortKeySpec& key : keys) {
    auto column = static_cast<uint32_t>(key.column);
    bool x_null = x.IsNull(column);
    bool y_null = y.IsNull(column);
    if (x_null || y_null) {
      if (x_null == y_null) continue;
      return x_null == key.nulls_first;
    }
    int c = CompareValues(x.GetValue(column, types[column]), y.GetValue(column, types[column]));
    if (c != 0) return key.descending ? c > 0 : c < 0;
  }
  return false;
}

bool LimitOperator::TakeStateFrom(Operator& previous) {
  auto* old = dynamic_cast<LimitOperator*>(&previous);
  if (old == nullptr) return false;
  seen_ = old->seen_;
  return true;
}

void LimitOperator::ProcessBatch(int input, std::vector<Row>& rows) {
  std::vector<Row> out;
  for (Row& row : rows) {
    int64_t position = seen_++;
    if (position >= offset_ && position < offset_ + limit_) out.push_back(std::move(row));
  }
  Emit(out);
}

struct TemporalSortOperator::State {
  TemporalSortSpec spec;
  std::multimap<int64_t, Row> waiting;  // by time; equal times keep arrival order
  int64_t watermark = kNoTime;
};

TemporalSortOperator::TemporalSortOperator(TemporalSortSpec spec) : state_(std::make_unique<State>()) {
  state_->spec = std::move(spec);
}

TemporalSortOperator::~TemporalSortOperator() = default;

bool TemporalSortOperator::TakeStateFrom(Operator& previous) {
  return TakeStateOf(*this, previous, &TemporalSortOperator::state_);
}

void TemporalSortOperator::ProcessBatch(int input, std::vector<Row>& rows) {
  State& s = *state_;
  const auto time_column = static_cast<uint32_t>(s.spec.time_column);
  int64_t late_before = late_rows_;
  for (Row& row : rows) {
    RowView view = row.view();
    if (view.IsNull(time_column)) continue;  // a time attribute is never NULL in Flink; nothing to order by
    int64_t time = view.GetInt(time_column);
    if (s.watermark != kNoTime && time <= s.watermark) {
      ++late_rows_;
      continue;
    }
    s.waiting.emplace(time, std::move(row));
  }
  if (late_rows_ > late_before) {
    ReportLateRows(fmt::format("rows up to watermark {} have gone out", FormatTimestampMillis(s.watermark, 3)));
  }
}

void TemporalSortOperator::ProcessWatermark(int input, int64_t watermark) {
  State& s = *state_;
  if (s.watermark != kNoTime && watermark <= s.watermark) return;
  s.watermark = watermark;
  const auto& types = s.spec.types;
  auto less = [&](const Row& a, const Row& b) { return SortsBefore(a.view(), b.view(), s.spec.then_by, types); };
  std::vector<Row> out;
  auto end = s.waiting.upper_bound(watermark);
  for (auto it = s.waiting.begin(); it != end;) {
    // Rows of one time go out together, ordered by the remaining keys.
    auto next = s.waiting.upper_bound(it->first);
    std::vector<Row> same_time;
    for (auto at = it; at != next; ++at) same_time.push_back(std::move(at->second));
    std::stable_sort(same_time.begin(), same_time.end(), less);
    for (Row& row : same_time) out.push_back(std::move(row));
    it = next;
  }
  s.waiting.erase(s.waiting.begin(), end);
  Emit(out);
  EmitWatermark(watermark);
}

}  // namespace fsql
