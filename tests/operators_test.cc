// Each operator's changelog on small inputs, written as tables of rows.
#include <algorithm>

#include <gtest/gtest.h>

#include "runtime/common/duration.h"
#include "runtime/job/pipeline.h"
#include "runtime/operators/operator.h"

namespace fsql {
namespace {

const DataType kBigInt = DataType::Of(TypeId::kBigInt);
const DataType kString = DataType::Of(TypeId::kString);
const DataType kDouble = DataType::Of(TypeId::kDouble);

/// A row of (BIGINT, STRING) or (BIGINT, BIGINT) values from a compact spec.
Row MakeRow(RowKind kind, const std::vector<Value>& values, const std::vector<DataType>& types,
            int64_t event_time = kNoTime) {
  RowBuilder builder(static_cast<uint32_t>(values.size()));
  for (uint32_t i = 0; i < values.size(); ++i) builder.SetValue(i, types[i], values[i]);
  return builder.Finish(kind, event_time);
}

std::vector<std::string> Render(const std::vector<Row>& rows, const std::vector<DataType>& types) {
  std::vector<std::string> out;
  for (const Row& row : rows) out.push_back(RowToString(row.view(), types));
  return out;
}

void Push(Operator& op, int input, std::vector<Row> rows) { op.ProcessBatch(input, rows); }

TEST(RowTest, RoundTripsEveryPhysicalClassAndNestedRow) {
  DataType nested = DataType::Row({{"x", kBigInt}, {"y", kString}});
  std::vector<DataType> types = {kBigInt, kString, kDouble, DataType::Of(TypeId::kBoolean), nested, kString};
  std::vector<Value> values = {Value::Int(-5), Value::String("Łukasz"), Value::Double(0.25), Value::Boolean(true),
                               Value::Row({Value::Int(7), Value::String("")}), Value::Null()};
  Row row = MakeRow(RowKind::kUpdateAfter, values, types, 1234);
  EXPECT_EQ(row.kind(), RowKind::kUpdateAfter);
  EXPECT_EQ(row.event_time(), 1234);
  EXPECT_EQ(row.view().size(), row.bytes().size());
  EXPECT_EQ(RowToString(row.view(), types), "+U[-5, Łukasz, 0.25, TRUE, (7, ), NULL]");
  EXPECT_TRUE(row.view().IsNull(5));
  EXPECT_FALSE(row.view().IsNull(4));
}

TEST(RowTest, NullBitmapSpansManyColumns) {
  std::vector<DataType> types(130, kBigInt);
  std::vector<Value> values;
  for (int i = 0; i < 130; ++i) values.push_back(i % 3 == 0 ? Value::Null() : Value::Int(i));
  Row row = MakeRow(RowKind::kInsert, values, types);
  for (uint32_t i = 0; i < 130; ++i) {
    EXPECT_EQ(row.view().IsNull(i), i % 3 == 0) << i;
    if (i % 3 != 0) {
      EXPECT_EQ(row.view().GetInt(i), i);
    }
  }
}

class CollectingTest : public ::testing::Test {
 protected:
  CollectSinkOperator sink_;
};

TEST_F(CollectingTest, LeftJoinPadsRetractsAndReemits) {
  std::vector<DataType> left = {kBigInt, kString};
  std::vector<DataType> right = {kBigInt, kString};
  JoinSpec spec{JoinKind::kLeft, left, right, {0}, {0}, nullptr};
  JoinOperator join(spec);
  join.Connect(&sink_, 0);
  Push(join, 0, {MakeRow(RowKind::kInsert, {Value::Int(1), Value::String("a")}, left)});
  Push(join, 1, {MakeRow(RowKind::kInsert, {Value::Int(1), Value::String("r1")}, right)});
  Push(join, 1, {MakeRow(RowKind::kInsert, {Value::Int(1), Value::String("r2")}, right)});
  Push(join, 1, {MakeRow(RowKind::kDelete, {Value::Int(1), Value::String("r1")}, right)});
  Push(join, 1, {MakeRow(RowKind::kDelete, {Value::Int(1), Value::String("r2")}, right)});
  Push(join, 0, {MakeRow(RowKind::kDelete, {Value::Int(1), Value::String("a")}, left)});
  std::vector<DataType> out = {kBigInt, kString, kBigInt, kString};
  std::vector<std::string> expected = {
      "+I[1, a, NULL, NULL]", "-D[1, a, NULL, NULL]", "+I[1, a, 1, r1]", "+I[1, a, 1, r2]",
      "-D[1, a, 1, r1]",      "-D[1, a, 1, r2]",      "+I[1, a, NULL, NULL]", "-D[1, a, NULL, NULL]",
  };
  EXPECT_EQ(Render(sink_.rows(), out), expected);
}

TEST_F(CollectingTest, InnerJoinIgnoresNullKeysAndAppliesCondition) {
  std::vector<DataType> side = {kBigInt, kBigInt};
  // Joined row: l.k, l.v, r.k, r.v; the residual condition is l.v < r.v.
  ExprPtr condition = Expr::Call("<", {Expr::InputRef(1, kBigInt), Expr::InputRef(3, kBigInt)},
                                 DataType::Of(TypeId::kBoolean));
  JoinOperator join(JoinSpec{JoinKind::kInner, side, side, {0}, {0}, condition});
  join.Connect(&sink_, 0);
  Push(join, 0, {MakeRow(RowKind::kInsert, {Value::Null(), Value::Int(1)}, side),
                 MakeRow(RowKind::kInsert, {Value::Int(2), Value::Int(5)}, side)});
  Push(join, 1, {MakeRow(RowKind::kInsert, {Value::Null(), Value::Int(9)}, side),
                 MakeRow(RowKind::kInsert, {Value::Int(2), Value::Int(4)}, side),
                 MakeRow(RowKind::kInsert, {Value::Int(2), Value::Int(6)}, side)});
  EXPECT_EQ(Render(sink_.rows(), {kBigInt, kBigInt, kBigInt, kBigInt}),
            (std::vector<std::string>{"+I[2, 5, 2, 6]"}));
}

TEST_F(CollectingTest, ProcTimeTemporalJoinMovesUpdatedKey) {
  std::vector<DataType> side = {kBigInt, kString};
  // The right input's upsert key is its second column, and the join key is its first.
  ProcTimeTemporalJoinOperator join(JoinSpec{JoinKind::kLeft, side, side, {0}, {0}, nullptr});
  join.Connect(&sink_, 0);
  Push(join, 1, {MakeRow(RowKind::kInsert, {Value::Int(1), Value::String("r")}, side)});
  Push(join, 1, {MakeRow(RowKind::kUpdateBefore, {Value::Int(1), Value::String("r")}, side),
                 MakeRow(RowKind::kUpdateAfter, {Value::Int(2), Value::String("r")}, side)});
  Push(join, 0, {MakeRow(RowKind::kInsert, {Value::Int(1), Value::String("a")}, side),
                 MakeRow(RowKind::kInsert, {Value::Int(2), Value::String("b")}, side)});
  EXPECT_EQ(Render(sink_.rows(), {kBigInt, kString, kBigInt, kString}),
            (std::vector<std::string>{"+I[1, a, NULL, NULL]", "+I[2, b, 2, r]"}));
  EXPECT_EQ(join.buffered_rows(), 1u);
}

TEST_F(CollectingTest, ProcTimeTemporalJoinHandsOverState) {
  std::vector<DataType> side = {kBigInt, kString};
  JoinSpec spec{JoinKind::kInner, side, side, {0}, {0}, nullptr};
  ProcTimeTemporalJoinOperator before(spec);
  Push(before, 1, {MakeRow(RowKind::kInsert, {Value::Int(1), Value::String("r")}, side)});
  ProcTimeTemporalJoinOperator after(spec);
  ASSERT_TRUE(after.TakeStateFrom(before));
  after.Connect(&sink_, 0);
  Push(after, 0, {MakeRow(RowKind::kInsert, {Value::Int(1), Value::String("a")}, side)});
  EXPECT_EQ(Render(sink_.rows(), {kBigInt, kString, kBigInt, kString}),
            (std::vector<std::string>{"+I[1, a, 1, r]"}));
}

TEST_F(CollectingTest, RankKeepsFirstArrivalAmongTies) {
  std::vector<DataType> types = {kBigInt, kBigInt, kString};
  RankOperator rank(RankSpec{types, {0}, 1, true});
  rank.Connect(&sink_, 0);
  Push(rank, 0, {MakeRow(RowKind::kInsert, {Value::Int(1), Value::Int(10), Value::String("a")}, types),
                 MakeRow(RowKind::kInsert, {Value::Int(1), Value::Int(10), Value::String("b")}, types),
                 MakeRow(RowKind::kInsert, {Value::Int(1), Value::Int(5), Value::String("c")}, types),
                 MakeRow(RowKind::kInsert, {Value::Int(1), Value::Int(20), Value::String("d")}, types)});
  Push(rank, 0, {MakeRow(RowKind::kDelete, {Value::Int(1), Value::Int(20), Value::String("d")}, types),
                 MakeRow(RowKind::kDelete, {Value::Int(1), Value::Int(10), Value::String("b")}, types),
                 MakeRow(RowKind::kDelete, {Value::Int(1), Value::Int(10), Value::String("a")}, types),
                 MakeRow(RowKind::kDelete, {Value::Int(1), Value::Int(5), Value::String("c")}, types)});
  std::vector<DataType> out = {kBigInt, kBigInt, kString, kBigInt};
  std::vector<std::string> expected = {
      "+I[1, 10, a, 1]", "-U[1, 10, a, 1]", "+U[1, 20, d, 1]", "-U[1, 20, d, 1]",
      "+U[1, 10, a, 1]", "-U[1, 10, a, 1]", "+U[1, 5, c, 1]",  "-D[1, 5, c, 1]",
  };
  EXPECT_EQ(Render(sink_.rows(), out), expected);
}

TEST_F(CollectingTest, ChangelogNormalizeTurnsUpsertsIntoChangelog) {
  std::vector<DataType> types = {kBigInt, kString};
  ChangelogNormalizeOperator normalize(types, {0});
  normalize.Connect(&sink_, 0);
  Push(normalize, 0,
       {MakeRow(RowKind::kUpdateAfter, {Value::Int(1), Value::String("a")}, types),
        MakeRow(RowKind::kUpdateAfter, {Value::Int(1), Value::String("a")}, types),
        MakeRow(RowKind::kUpdateAfter, {Value::Int(1), Value::String("b")}, types),
        MakeRow(RowKind::kDelete, {Value::Int(1), Value::Null()}, types),
        MakeRow(RowKind::kDelete, {Value::Int(2), Value::Null()}, types)});
  EXPECT_EQ(Render(sink_.rows(), types),
            (std::vector<std::string>{"+I[1, a]", "-U[1, a]", "+U[1, b]", "-D[1, b]"}));
}

OverAggregateSpec CountAndSum(bool rows_frame, bool unbounded, int64_t preceding) {
  OverAggregateSpec spec;
  spec.input_types = {kBigInt, DataType::Timestamp(3, true), kBigInt};  // key, time, amount
  spec.partition_columns = {0};
  spec.order_column = 1;
  spec.rows_frame = rows_frame;
  spec.unbounded_preceding = unbounded;
  spec.preceding = preceding;
  spec.aggregates = {{"COUNT", nullptr, DataType::Of(TypeId::kBigInt, false)},
                     {"SUM", Expr::InputRef(2, kBigInt), kBigInt},
                     {"MAX", Expr::InputRef(2, kBigInt), kBigInt}};
  return spec;
}

std::vector<std::string> RunOver(OverAggregateSpec spec, const std::vector<std::pair<int64_t, int64_t>>& rows,
                                 int64_t watermark) {
  CollectSinkOperator sink;
  OverAggregateOperator over(spec);
  over.Connect(&sink, 0);
  std::vector<Row> batch;
  for (auto [time, amount] : rows) {
    batch.push_back(MakeRow(RowKind::kInsert, {Value::Int(1), Value::Int(time), Value::Int(amount)}, spec.input_types, time));
  }
  over.ProcessBatch(0, batch);
  over.ProcessWatermark(0, watermark);
  std::vector<std::string> out;
  for (const Row& row : sink.rows()) {
    RowView view = row.view();
    out.push_back(fmt::format("t={} count={} sum={} max={}", view.GetInt(1), view.GetInt(3), view.GetInt(4), view.GetInt(5)));
  }
  return out;
}

TEST(OverAggregateTest, RowsFrameCountsPrecedingRowsInTimeOrder) {
  auto out = RunOver(CountAndSum(true, false, 1), {{30, 3}, {10, 1}, {20, 2}, {20, 4}}, 100);
  EXPECT_EQ(out, (std::vector<std::string>{"t=10 count=1 sum=1 max=1", "t=20 count=2 sum=3 max=2",
                                           "t=20 count=2 sum=6 max=4", "t=30 count=2 sum=7 max=4"}));
}

TEST(OverAggregateTest, UnboundedRangeSharesValuesAtEqualTimes) {
  auto out = RunOver(CountAndSum(false, true, 0), {{10, 1}, {20, 2}, {20, 4}, {30, 3}}, 100);
  EXPECT_EQ(out, (std::vector<std::string>{"t=10 count=1 sum=1 max=1", "t=20 count=3 sum=7 max=4",
                                           "t=20 count=3 sum=7 max=4", "t=30 count=4 sum=10 max=4"}));
}

TEST(OverAggregateTest, RowsWaitForTheWatermark) {
  auto out = RunOver(CountAndSum(false, false, 10), {{10, 1}, {20, 2}}, 15);
  EXPECT_EQ(out, (std::vector<std::string>{"t=10 count=1 sum=1 max=1"}));
}

TEST(OverAggregateTest, BoundedRangeForgetsKeysOnceNoFrameReachesThem) {
  OverAggregateOperator over(CountAndSum(false, false, 10));
  CollectSinkOperator sink;
  over.Connect(&sink, 0);
  std::vector<DataType> types = {kBigInt, DataType::Timestamp(3, true), kBigInt};
  Push(over, 0, {MakeRow(RowKind::kInsert, {Value::Int(1), Value::Int(10), Value::Int(1)}, types, 10),
                 MakeRow(RowKind::kInsert, {Value::Int(2), Value::Int(12), Value::Int(1)}, types, 12)});
  over.ProcessWatermark(0, 15);
  EXPECT_EQ(sink.rows().size(), 2u);
  EXPECT_EQ(over.key_count(), 2u);
  over.ProcessWatermark(0, 30);
  EXPECT_EQ(over.key_count(), 0u);
}

/// One input row of CheckSlidingFrame.
struct OverInput {
  int64_t key;
  int64_t time;
  int64_t amount;
};

/// Computes COUNT(*), SUM, MIN and MAX of `amount` over the frame of `row`
/// from every accepted row, as a batch evaluator would.
std::string RecomputeFrame(const OverAggregateSpec& spec, const std::vector<OverInput>& accepted, const OverInput& row) {
  std::vector<OverInput> partition;
  for (const OverInput& other : accepted) {
    if (other.key == row.key) partition.push_back(other);
  }
  std::stable_sort(partition.begin(), partition.end(),
                   [](const OverInput& a, const OverInput& b) { return a.time < b.time; });
  size_t position = 0;
  while (partition[position].amount != row.amount) ++position;

  int64_t count = 0, sum = 0, min = INT64_MAX, max = INT64_MIN;
  for (size_t i = 0; i < partition.size(); ++i) {
    bool in_frame = spec.rows_frame ? i <= position && i + static_cast<size_t>(spec.preceding) >= position
                                    : partition[i].time <= row.time && partition[i].time >= row.time - spec.preceding;
    if (!in_frame) continue;
    ++count;
    sum += partition[i].amount;
    min = std::min(min, partition[i].amount);
    max = std::max(max, partition[i].amount);
  }
  return fmt::format("key={} t={} amount={} count={} sum={} min={} max={}", row.key, row.time, row.amount, count, sum,
                     min, max);
}

/// Pushes rows of three interleaved keys, some out of order and some behind
/// the watermark, which advances every 7 rows. Checks each output row against
/// a fresh computation of its frame.
void CheckSlidingFrame(bool rows_frame, int64_t preceding) {
  OverAggregateSpec spec = CountAndSum(rows_frame, false, preceding);
  spec.aggregates.push_back({"MIN", Expr::InputRef(2, kBigInt), kBigInt});
  OverAggregateOperator over(spec);
  CollectSinkOperator sink;
  over.Connect(&sink, 0);

  uint64_t state = 12345;
  auto next = [&](uint64_t bound) {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    return static_cast<int64_t>((state >> 33) % bound);
  };
  std::vector<OverInput> accepted;
  int64_t watermark = kNoTime;
  int64_t max_time = 0;
  int64_t late = 0;
  for (int64_t i = 0; i < 3000; ++i) {
    // Amounts are unique, so the check can find each output row's input row.
    OverInput input{1 + next(3), max_time + next(40) - 15, next(50) * 10000 + i};
    max_time = std::max(max_time, input.time);
    if (watermark != kNoTime && input.time <= watermark) {
      ++late;
    } else {
      accepted.push_back(input);
    }
    std::vector<Row> batch = {MakeRow(RowKind::kInsert, {Value::Int(input.key), Value::Int(input.time), Value::Int(input.amount)},
                                      spec.input_types, input.time)};
    over.ProcessBatch(0, batch);
    if (i % 7 == 6) {
      watermark = max_time - 10;
      over.ProcessWatermark(0, watermark);
    }
  }
  over.ProcessWatermark(0, INT64_MAX);

  EXPECT_GT(late, 0) << "the input should include rows behind the watermark";
  EXPECT_EQ(over.late_rows(), late);
  ASSERT_EQ(sink.rows().size(), accepted.size());
  std::vector<std::string> actual;
  std::vector<std::string> expected;
  for (const Row& row : sink.rows()) {
    RowView view = row.view();
    actual.push_back(fmt::format("key={} t={} amount={} count={} sum={} min={} max={}", view.GetInt(0), view.GetInt(1),
                                 view.GetInt(2), view.GetInt(3), view.GetInt(4), view.GetInt(6), view.GetInt(5)));
    OverInput input{view.GetInt(0), view.GetInt(1), view.GetInt(2)};
    expected.push_back(RecomputeFrame(spec, accepted, input));
  }
  for (size_t i = 0; i < actual.size(); ++i) ASSERT_EQ(actual[i], expected[i]) << "output row " << i;
}

TEST(OverAggregateTest, SlidingRangeFrameMatchesRecomputation) { CheckSlidingFrame(false, 100); }

TEST(OverAggregateTest, SlidingRowsFrameMatchesRecomputation) { CheckSlidingFrame(true, 5); }

TEST(OverAggregateTest, OutputFollowsTimeOrder) {
  OverAggregateSpec spec = CountAndSum(false, false, 100);
  OverAggregateOperator over(spec);
  CollectSinkOperator sink;
  over.Connect(&sink, 0);
  Push(over, 0, {MakeRow(RowKind::kInsert, {Value::Int(2), Value::Int(30), Value::Int(1)}, spec.input_types, 30),
                 MakeRow(RowKind::kInsert, {Value::Int(1), Value::Int(20), Value::Int(2)}, spec.input_types, 20),
                 MakeRow(RowKind::kInsert, {Value::Int(2), Value::Int(10), Value::Int(3)}, spec.input_types, 10),
                 MakeRow(RowKind::kInsert, {Value::Int(1), Value::Int(40), Value::Int(4)}, spec.input_types, 40)});
  over.ProcessWatermark(0, 100);
  std::vector<int64_t> times;
  for (const Row& row : sink.rows()) times.push_back(row.view().GetInt(1));
  EXPECT_EQ(times, (std::vector<int64_t>{10, 20, 30, 40}));
}

TEST(CalcTest, FilterAndProjectionKeepKindAndTime) {
  std::vector<DataType> types = {kBigInt, kString};
  ExprPtr filter = Expr::Call(">", {Expr::InputRef(0, kBigInt), Expr::Literal(Value::Int(1), kBigInt)},
                              DataType::Of(TypeId::kBoolean));
  CalcOperator calc(filter, {Expr::InputRef(1, kString)});
  CollectSinkOperator sink;
  calc.Connect(&sink, 0);
  Push(calc, 0, {MakeRow(RowKind::kInsert, {Value::Int(1), Value::String("no")}, types, 5),
                 MakeRow(RowKind::kUpdateBefore, {Value::Int(2), Value::String("yes")}, types, 6),
                 MakeRow(RowKind::kInsert, {Value::Null(), Value::String("null key")}, types, 7)});
  ASSERT_EQ(sink.rows().size(), 1u);
  EXPECT_EQ(RowToString(sink.rows()[0].view(), {kString}), "-U[yes]");
  EXPECT_EQ(sink.rows()[0].event_time(), 6);
}

TEST(WatermarkTest, TwoInputOperatorForwardsTheMinimum) {
  std::vector<DataType> side = {kBigInt};
  JoinOperator join(JoinSpec{JoinKind::kInner, side, side, {0}, {0}, nullptr});
  // A probe that records the watermarks it is sent.
  struct Probe : SinkOperator {
    std::vector<int64_t> watermarks;
    void ProcessBatch(int, std::vector<Row>&) override {}
    void ProcessWatermark(int, int64_t w) override { watermarks.push_back(w); }
  } probe;
  join.Connect(&probe, 0);
  join.ProcessWatermark(0, 100);
  EXPECT_TRUE(probe.watermarks.empty());
  join.ProcessWatermark(1, 50);
  join.ProcessWatermark(1, 200);
  join.ProcessWatermark(0, 150);
  EXPECT_EQ(probe.watermarks, (std::vector<int64_t>{50, 100, 150}));
}

}  // namespace
}  // namespace fsql

namespace fsql {
namespace {

TEST(DurationTest, ParsesFlinkUnitsIntoMilliseconds) {
  EXPECT_EQ(ParseDurationMillis("1500"), 1500);
  EXPECT_EQ(ParseDurationMillis("10 s"), 10'000);
  EXPECT_EQ(ParseDurationMillis("10s"), 10'000);
  EXPECT_EQ(ParseDurationMillis("30 min"), 1'800'000);
  EXPECT_EQ(ParseDurationMillis("2 Hours"), 7'200'000);
  EXPECT_EQ(ParseDurationMillis("1 d"), 86'400'000);
  EXPECT_EQ(ParseDurationMillis(" 250 ms "), 250);
  EXPECT_EQ(ParseDurationMillis("2500 us"), 2);
  EXPECT_EQ(ParseDurationMillis("0"), 0);
}

TEST(DurationTest, RejectsTextThatIsNotADuration) {
  EXPECT_FALSE(ParseDurationMillis(""));
  EXPECT_FALSE(ParseDurationMillis("ten minutes"));
  EXPECT_FALSE(ParseDurationMillis("10 fortnights"));
  EXPECT_FALSE(ParseDurationMillis("-5 s"));
  EXPECT_FALSE(ParseDurationMillis("1.5 h"));
  EXPECT_FALSE(ParseDurationMillis("9999999999999999 d"));
}

TEST(TtlMapTest, ExpiresOnWriteAgeAndNotOnReads) {
  TtlMap<int> map(100);
  map.Write("k", 0) = 7;
  ASSERT_NE(map.Find("k", 99), nullptr);
  EXPECT_EQ(*map.Find("k", 99), 7);
  EXPECT_EQ(map.Find("k", 100), nullptr);  // the read at 99 did not extend it
  EXPECT_EQ(map.size(), 0u);
  map.Write("k", 200) = 1;
  map.Write("k", 250);
  EXPECT_NE(map.Find("k", 349), nullptr);
  EXPECT_EQ(map.Write("k", 350), 0);  // expired, so the write starts from an empty value
}

TEST(TtlMapTest, SweepReleasesExpiredEntries) {
  TtlMap<int> map(100);
  map.Write("old", 0) = 1;
  map.Write("new", 90) = 2;
  map.Sweep(150);
  EXPECT_EQ(map.size(), 1u);
  TtlMap<int> forever(0);
  forever.Write("k", 0) = 1;
  forever.Sweep(1'000'000'000);
  EXPECT_NE(forever.Find("k", 1'000'000'000), nullptr);
}

}  // namespace
}  // namespace fsql
