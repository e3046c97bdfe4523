// Tests of sliced window aggregation: RetractableAccumulator::Merge against
// applying the same rows to one accumulator, and SlicedWindowAggregateOperator
// against a WindowTvfOperator followed by a WindowAggregateOperator on random
// input with out-of-order and late rows, in every codegen mode.
#include <random>

#include <gtest/gtest.h>

#include "compiler/codegen/aggregate_compiler.h"
#include "compiler/codegen/key_compiler.h"
#include "runtime/job/pipeline.h"
#include "runtime/operators/accumulator.h"

namespace fsql {
namespace {

DataType Decimal(int precision, int scale) {
  DataType type = DataType::Of(TypeId::kDecimal);
  type.precision = precision;
  type.scale = scale;
  return type;
}

DataType Multiset(const DataType& element) {
  DataType type = DataType::Of(TypeId::kMultiset, false);
  type.children.push_back(element.WithNullable(false));
  return type;
}

const DataType kBoolean = DataType::Of(TypeId::kBoolean);
const DataType kInt = DataType::Of(TypeId::kInt);
const DataType kBigInt = DataType::Of(TypeId::kBigInt);
const DataType kDouble = DataType::Of(TypeId::kDouble);
const DataType kString = DataType::Of(TypeId::kString);
const DataType kDecimal = Decimal(10, 2);
const DataType kTimestamp = DataType::Timestamp(3, false);

AccumulatorSpec Spec(std::string function, DataType type, bool distinct = false) {
  return AccumulatorSpec{std::move(function), std::move(type), false, distinct};
}

TEST(AccumulatorMergeTest, IsMergeableOnlyForOrderFreeResults) {
  EXPECT_TRUE(RetractableAccumulator::IsMergeable(AccumulatorSpec{"COUNT", kBigInt, true}));
  EXPECT_TRUE(RetractableAccumulator::IsMergeable(Spec("SUM", kBigInt)));
  EXPECT_TRUE(RetractableAccumulator::IsMergeable(Spec("AVG", DecimalAverageType(2))));
  EXPECT_TRUE(RetractableAccumulator::IsMergeable(Spec("MIN", kDouble)));
  EXPECT_TRUE(RetractableAccumulator::IsMergeable(Spec("MAX", kString, true)));
  EXPECT_TRUE(RetractableAccumulator::IsMergeable(Spec("COLLECT", Multiset(kInt))));
  EXPECT_TRUE(RetractableAccumulator::IsMergeable(Spec("VAR_POP", kBigInt)));
  EXPECT_FALSE(RetractableAccumulator::IsMergeable(Spec("SUM", kDouble)));
  EXPECT_FALSE(RetractableAccumulator::IsMergeable(Spec("AVG", kDouble)));
  EXPECT_FALSE(RetractableAccumulator::IsMergeable(Spec("STDDEV_SAMP", kDouble)));
  EXPECT_FALSE(RetractableAccumulator::IsMergeable(Spec("FIRST_VALUE", kBigInt)));
  EXPECT_FALSE(RetractableAccumulator::IsMergeable(Spec("LAST_VALUE", kBigInt)));
  EXPECT_FALSE(RetractableAccumulator::IsMergeable(Spec("LISTAGG", kString)));
}

/// One aggregate of the Merge tests and the values its argument takes.
struct MergeCase {
  AccumulatorSpec spec;
  DataType argument;
};

std::vector<MergeCase> MergeCases() {
  return {
      {AccumulatorSpec{"COUNT", kBigInt, true}, kBigInt},
      {Spec("COUNT", kBigInt), kBigInt},
      {Spec("SUM", kBigInt), kBigInt},
      {Spec("AVG", kInt), kInt},
      {Spec("SUM", DecimalSumType(2)), kDecimal},
      {Spec("AVG", DecimalAverageType(2)), kDecimal},
      {Spec("MIN", kString), kString},
      {Spec("MAX", kBigInt), kBigInt},
      {Spec("COLLECT", Multiset(kInt)), kInt},
      {Spec("VAR_POP", kBigInt), kBigInt},
      {Spec("STDDEV_SAMP", kInt), kInt},
      {Spec("COUNT", kBigInt, true), kBigInt},
      {Spec("SUM", kBigInt, true), kBigInt},
      {Spec("MIN", kInt, true), kInt},
      {Spec("COLLECT", Multiset(kString), true), kString},
  };
}

Value RandomValue(std::mt19937_64& random, const DataType& type) {
  auto pick = [&](int64_t low, int64_t high) { return std::uniform_int_distribution<int64_t>(low, high)(random); };
  if (pick(0, 5) == 0) return Value::Null();
  switch (type.id) {
    case TypeId::kInt: return Value::Int(pick(-4, 4));
    case TypeId::kBigInt:
      // The extremes make the integer sums wrap.
      if (pick(0, 9) == 0) return Value::Int(pick(0, 1) == 0 ? INT64_MAX : INT64_MIN);
      return Value::Int(pick(-4, 4));
    case TypeId::kDecimal: return Value::Decimal(pick(-999, 999), type.scale);
    case TypeId::kString: return Value::String(std::string(1, static_cast<char>('a' + pick(0, 4))));
    default: return Value::Null();
  }
}

// Rows go to random slices in random order. Now and then a row retracts a
// value added before in any slice, often another one, or a value never added.
// Merging the slices in slice order must give what applying every row to one
// accumulator gives.
TEST(AccumulatorMergeTest, MergedSlicesMatchOneAccumulator) {
  std::mt19937_64 random(20261205);
  auto pick = [&](int64_t low, int64_t high) { return std::uniform_int_distribution<int64_t>(low, high)(random); };
  for (const MergeCase& merge_case : MergeCases()) {
    const std::string name = merge_case.spec.function + (merge_case.spec.distinct ? " DISTINCT" : "");
    for (int trial = 0; trial < 300; ++trial) {
      RetractableAccumulator window(merge_case.spec);
      std::vector<RetractableAccumulator> slices(static_cast<size_t>(pick(1, 4)), window);
      std::vector<Value> added;
      for (int64_t rows = pick(0, 30); rows > 0; --rows) {
        auto slice = static_cast<size_t>(pick(0, static_cast<int64_t>(slices.size()) - 1));
        Value value = RandomValue(random, merge_case.argument);
        int sign = 1;
        if (pick(0, 3) == 0) {
          sign = -1;
          if (!added.empty() && pick(0, 4) != 0) {
            auto index = static_cast<size_t>(pick(0, static_cast<int64_t>(added.size()) - 1));
            value = added[index];
            added.erase(added.begin() + static_cast<std::ptrdiff_t>(index));
          }
        } else {
          added.push_back(value);
        }
        window.Apply(value, sign);
        slices[slice].Apply(value, sign);
      }
      RetractableAccumulator merged(merge_case.spec);
      for (const auto& slice : slices) merged.Merge(slice);
      ASSERT_EQ(merged.Result().ToString(merge_case.spec.type), window.Result().ToString(merge_case.spec.type))
          << name << " trial " << trial;
    }
  }
}

TEST(AccumulatorMergeTest, RetractionInLaterSliceRemovesMinimum) {
  RetractableAccumulator first(Spec("MIN", kInt));
  RetractableAccumulator second(Spec("MIN", kInt));
  first.Apply(Value::Int(1), 1);
  first.Apply(Value::Int(5), 1);
  second.Apply(Value::Int(1), -1);  // retracts the 1 of the first slice
  RetractableAccumulator merged(Spec("MIN", kInt));
  merged.Merge(first);
  merged.Merge(second);
  EXPECT_EQ(merged.Result().ToString(kInt), "5");
  // The retraction alone leaves no value, not a negative one.
  EXPECT_TRUE(second.Result().is_null());
}

TEST(AccumulatorMergeTest, DistinctValueInTwoSlicesCountsOnce) {
  AccumulatorSpec spec = Spec("SUM", kBigInt, true);
  RetractableAccumulator first(spec);
  RetractableAccumulator second(spec);
  first.Apply(Value::Int(7), 1);
  second.Apply(Value::Int(7), 1);
  second.Apply(Value::Int(3), 1);
  RetractableAccumulator merged(spec);
  merged.Merge(first);
  merged.Merge(second);
  EXPECT_EQ(merged.Result().ToString(kBigInt), "10");
  // Retracting one copy of 7 keeps the other.
  RetractableAccumulator retraction(spec);
  retraction.Apply(Value::Int(7), -1);
  merged.Merge(retraction);
  EXPECT_EQ(merged.Result().ToString(kBigInt), "10");
  merged.Merge(retraction);
  EXPECT_EQ(merged.Result().ToString(kBigInt), "3");
}

TEST(AccumulatorMergeTest, DecimalOverflowInOneSliceStaysNull) {
  DataType type = DecimalSumType(0);
  AccumulatorSpec spec = Spec("SUM", type);
  Int128 big = Int128(1) << 126;  // about 8.5e37; two of them pass the int128 maximum
  RetractableAccumulator first(spec);
  first.Apply(Value::Decimal(big, 0), 1);
  first.Apply(Value::Decimal(big, 0), 1);
  first.Apply(Value::Decimal(big, 0), -1);
  RetractableAccumulator second(spec);
  second.Apply(Value::Decimal(-big, 0), 1);
  RetractableAccumulator merged(spec);
  merged.Merge(second);
  EXPECT_EQ(merged.Result().ToString(type), "-" + DecimalToString(big, 0));
  merged.Merge(first);
  EXPECT_TRUE(merged.Result().is_null());
  // Merging two sums whose total passes int128 overflows as well.
  RetractableAccumulator left(spec);
  RetractableAccumulator right(spec);
  left.Apply(Value::Decimal(big, 0), 1);
  right.Apply(Value::Decimal(big, 0), 1);
  left.Merge(right);
  EXPECT_TRUE(left.numeric_state().decimal_sum.overflowed);
}

TEST(AccumulatorMergeTest, SequencesConcatenateInSliceOrder) {
  AccumulatorSpec spec{"LISTAGG", kString, false, false, "|"};
  RetractableAccumulator first(spec);
  RetractableAccumulator second(spec);
  first.Apply(Value::String("a"), 1);
  first.Apply(Value::String("b"), 1);
  second.Apply(Value::String("c"), 1);
  RetractableAccumulator merged(spec);
  merged.Merge(first);
  merged.Merge(second);
  EXPECT_EQ(merged.Result().as_string(), "a|b|c");
}

/// The input of the operator tests: k INT, v BIGINT, d DECIMAL(10, 2),
/// s STRING, ts TIMESTAMP(3).
const std::vector<DataType> kInputTypes = {kInt, kBigInt, kDecimal, kString, kTimestamp};
constexpr int kTimeColumn = 4;
constexpr int kWidth = 5;

/// A window TVF and the aggregation over it, built both ways.
struct WindowQuery {
  WindowTvfSpec windows;
  std::vector<SlicedWindowAggregateSpec::KeySource> key_sources;
  std::vector<GroupAggregateSpec::Aggregate> aggregates;
};

/// Returns the group key over the window TVF's output for a key source.
ExprPtr KeyOverTvf(SlicedWindowAggregateSpec::KeySource source) {
  switch (source) {
    case SlicedWindowAggregateSpec::KeySource::kExpression: return Expr::InputRef(0, kInt);
    case SlicedWindowAggregateSpec::KeySource::kWindowStart: return Expr::InputRef(kWidth, kTimestamp);
    case SlicedWindowAggregateSpec::KeySource::kWindowEnd: return Expr::InputRef(kWidth + 1, kTimestamp);
    case SlicedWindowAggregateSpec::KeySource::kWindowTime: return Expr::InputRef(kWidth + 2, kTimestamp);
  }
  return nullptr;
}

std::vector<DataType> OutputTypes(const WindowQuery& query) {
  std::vector<DataType> types;
  for (auto source : query.key_sources) types.push_back(KeyOverTvf(source)->type);
  for (const auto& aggregate : query.aggregates) types.push_back(aggregate.type);
  return types;
}

/// A batch of rows, or a watermark when `rows` is empty.
struct Step {
  std::vector<Row> rows;
  int64_t watermark = kNoTime;
};

/// Rows around a rising time with out-of-order jitter, a few behind the
/// watermark, NULL times and values, and watermarks between batches.
std::vector<Step> RandomSteps(uint64_t seed) {
  std::mt19937_64 random(seed);
  auto pick = [&](int64_t low, int64_t high) { return std::uniform_int_distribution<int64_t>(low, high)(random); };
  std::vector<Step> steps;
  int64_t now = pick(-20000, 20000);
  int64_t watermark = kNoTime;
  RowBuilder builder(static_cast<uint32_t>(kInputTypes.size()));
  for (int batch = 0; batch < 40; ++batch) {
    Step step;
    for (int64_t n = pick(1, 12); n > 0; --n) {
      now += pick(0, 700);
      int64_t time = now - pick(0, 3000);
      if (watermark != kNoTime && pick(0, 9) == 0) time = watermark - pick(0, 12000);  // late for some windows
      auto or_null = [&](Value v) { return pick(0, 7) == 0 ? Value::Null() : v; };
      builder.SetValue(0, kInt, or_null(Value::Int(pick(0, 3))));
      builder.SetValue(1, kBigInt, or_null(Value::Int(pick(-50, 50))));
      builder.SetValue(2, kDecimal, or_null(Value::Decimal(pick(-9999, 9999), 2)));
      builder.SetValue(3, kString, or_null(Value::String(std::string(1, static_cast<char>('a' + pick(0, 5))))));
      builder.SetValue(4, kTimestamp, pick(0, 30) == 0 ? Value::Null() : Value::Int(time));
      step.rows.push_back(builder.Finish(RowKind::kInsert));
    }
    steps.push_back(std::move(step));
    if (pick(0, 2) == 0) {
      watermark = now - pick(0, 4000);
      steps.push_back(Step{{}, watermark});
    }
  }
  steps.push_back(Step{{}, now + 100000});
  return steps;
}

/// The output rows with their event times, and the late-row count.
struct RunResult {
  std::vector<std::string> rows;
  int64_t late_rows = 0;
};

void Feed(Operator& entry, const std::vector<Step>& steps, size_t begin, size_t end) {
  for (size_t i = begin; i < end; ++i) {
    if (steps[i].rows.empty()) {
      entry.ProcessWatermark(0, steps[i].watermark);
      continue;
    }
    std::vector<Row> rows = steps[i].rows;
    entry.ProcessBatch(0, rows);
  }
}

std::vector<std::string> Render(const CollectSinkOperator& sink, const std::vector<DataType>& types) {
  std::vector<std::string> out;
  for (const Row& row : sink.rows()) out.push_back(RowToString(row.view(), types) + fmt::format(" @{}", row.event_time()));
  return out;
}

RunResult RunUnsliced(const WindowQuery& query, const std::vector<Step>& steps) {
  WindowTvfSpec windows = query.windows;
  WindowTvfOperator tvf(windows);
  GroupAggregateSpec spec;
  int window_end_key = -1;
  for (size_t i = 0; i < query.key_sources.size(); ++i) {
    spec.keys.push_back(KeyOverTvf(query.key_sources[i]));
    if (query.key_sources[i] == SlicedWindowAggregateSpec::KeySource::kWindowEnd) window_end_key = static_cast<int>(i);
  }
  spec.aggregates = query.aggregates;
  WindowAggregateOperator aggregate(spec, window_end_key);
  CollectSinkOperator sink;
  tvf.Connect(&aggregate, 0);
  aggregate.Connect(&sink, 0);
  Feed(tvf, steps, 0, steps.size());
  return RunResult{Render(sink, OutputTypes(query)), aggregate.late_rows()};
}

SlicedWindowAggregateSpec SlicedSpec(const WindowQuery& query) {
  SlicedWindowAggregateSpec spec;
  spec.windows = query.windows;
  spec.key_sources = query.key_sources;
  for (auto source : query.key_sources) {
    ExprPtr key = KeyOverTvf(source);
    spec.key_types.push_back(key->type);
    if (source == SlicedWindowAggregateSpec::KeySource::kExpression) spec.aggregate.keys.push_back(key);
  }
  spec.aggregate.aggregates = query.aggregates;
  return spec;
}

/// Runs the sliced operator; with `handover_at`, a second operator takes
/// over the state after that many steps, as a hot reload does.
RunResult RunSliced(const WindowQuery& query, const std::vector<Step>& steps, CodegenMode mode,
                    size_t handover_at = 0) {
  auto first = std::make_unique<SlicedWindowAggregateOperator>(SlicedSpec(query));
  first->SetKeyCompiler(mode, codegen::CachedKeyCompiler());
  first->SetAccumulateCompiler(mode, codegen::CachedAccumulateCompiler());
  CollectSinkOperator sink;
  first->Connect(&sink, 0);
  if (handover_at == 0) {
    Feed(*first, steps, 0, steps.size());
    EXPECT_EQ(first->pending_windows(), 0u);
    EXPECT_EQ(first->slice_count(), 0u);
    return RunResult{Render(sink, OutputTypes(query)), first->late_rows()};
  }
  Feed(*first, steps, 0, handover_at);
  SlicedWindowAggregateOperator second(SlicedSpec(query));
  second.SetAccumulateCompiler(mode, codegen::CachedAccumulateCompiler());
  second.Connect(&sink, 0);
  EXPECT_TRUE(second.TakeStateFrom(*first));
  Feed(second, steps, handover_at, steps.size());
  return RunResult{Render(sink, OutputTypes(query)), first->late_rows() + second.late_rows()};
}

std::vector<GroupAggregateSpec::Aggregate> MergeableAggregates() {
  ExprPtr v = Expr::InputRef(1, kBigInt);
  ExprPtr d = Expr::InputRef(2, kDecimal);
  ExprPtr positive = Expr::Call(">", {v, Expr::Literal(Value::Int(0), kBigInt)}, kBoolean);
  return {
      {"COUNT", nullptr, nullptr, false, kBigInt},
      {"COUNT", v, positive, false, kBigInt},
      {"SUM", v, nullptr, false, kBigInt},
      {"AVG", v, nullptr, false, kBigInt},
      {"SUM", d, nullptr, false, DecimalSumType(2)},
      {"AVG", d, positive, false, DecimalAverageType(2)},
      {"MIN", Expr::InputRef(3, kString), nullptr, false, kString},
      {"MAX", v, nullptr, false, kBigInt},
      {"COUNT", Expr::InputRef(3, kString), nullptr, true, kBigInt},
      {"SUM", v, nullptr, true, kBigInt},
      {"VAR_POP", v, nullptr, false, kBigInt},
      {"COLLECT", Expr::InputRef(0, kInt), nullptr, false, Multiset(kInt)},
  };
}

using KeySource = SlicedWindowAggregateSpec::KeySource;

std::vector<WindowQuery> Queries() {
  auto hop = [](int64_t slide, int64_t size, int64_t offset) {
    return WindowTvfSpec{kInputTypes, WindowFunction::kHop, kTimeColumn, size, slide, offset};
  };
  auto cumulate = [](int64_t step, int64_t size, int64_t offset) {
    return WindowTvfSpec{kInputTypes, WindowFunction::kCumulate, kTimeColumn, size, step, offset};
  };
  std::vector<KeySource> keyed = {KeySource::kExpression, KeySource::kWindowStart, KeySource::kWindowEnd};
  std::vector<KeySource> reordered = {KeySource::kWindowEnd, KeySource::kWindowTime, KeySource::kExpression,
                                      KeySource::kWindowStart};
  std::vector<KeySource> global = {KeySource::kWindowStart, KeySource::kWindowEnd};
  std::vector<GroupAggregateSpec::Aggregate> count = {{"COUNT", nullptr, nullptr, false, kBigInt}};
  return {
      {hop(2000, 10000, 0), keyed, MergeableAggregates()},
      {hop(1000, 3000, 300), reordered, MergeableAggregates()},
      {hop(2000, 2000, 0), global, count},
      {cumulate(2000, 8000, 0), keyed, MergeableAggregates()},
      {cumulate(1000, 5000, -400), reordered, MergeableAggregates()},
  };
}

TEST(SlicedWindowAggregateTest, MatchesUnslicedPathInEveryMode) {
  for (uint64_t seed = 1; seed <= 12; ++seed) {
    std::vector<Step> steps = RandomSteps(seed);
    std::vector<WindowQuery> queries = Queries();
    for (size_t q = 0; q < queries.size(); ++q) {
      RunResult expected = RunUnsliced(queries[q], steps);
      ASSERT_FALSE(expected.rows.empty()) << "seed " << seed << " query " << q;
      for (CodegenMode mode : {CodegenMode::kInterpret, CodegenMode::kJit, CodegenMode::kAuto}) {
        RunResult actual = RunSliced(queries[q], steps, mode);
        ASSERT_EQ(actual.rows, expected.rows) << "seed " << seed << " query " << q << " mode " << static_cast<int>(mode);
        ASSERT_EQ(actual.late_rows, expected.late_rows) << "seed " << seed << " query " << q;
      }
    }
  }
}

TEST(SlicedWindowAggregateTest, InputHasLateRows) {
  // Guards the test above against input that never exercises lateness.
  int64_t late = 0;
  for (uint64_t seed = 1; seed <= 12; ++seed) late += RunUnsliced(Queries()[0], RandomSteps(seed)).late_rows;
  EXPECT_GT(late, 10);
}

TEST(SlicedWindowAggregateTest, StateHandoverKeepsOutput) {
  std::vector<Step> steps = RandomSteps(99);
  for (const WindowQuery& query : Queries()) {
    RunResult expected = RunUnsliced(query, steps);
    for (size_t handover : {size_t{5}, steps.size() / 2}) {
      RunResult actual = RunSliced(query, steps, CodegenMode::kInterpret, handover);
      EXPECT_EQ(actual.rows, expected.rows) << "handover after step " << handover;
      EXPECT_EQ(actual.late_rows, expected.late_rows);
    }
  }
}

TEST(SlicedWindowAggregateTest, DropsSlicesOnceTheirWindowsFire) {
  WindowQuery query{WindowTvfSpec{kInputTypes, WindowFunction::kHop, kTimeColumn, 10000, 2000, 0},
                    {KeySource::kWindowStart, KeySource::kWindowEnd},
                    {{"COUNT", nullptr, nullptr, false, kBigInt}}};
  SlicedWindowAggregateOperator op(SlicedSpec(query));
  CollectSinkOperator sink;
  op.Connect(&sink, 0);
  RowBuilder builder(static_cast<uint32_t>(kInputTypes.size()));
  std::vector<Row> rows;
  for (int64_t time : {500, 2500, 4500}) {
    for (uint32_t c = 0; c < 4; ++c) builder.SetNull(c);
    builder.SetValue(4, kTimestamp, Value::Int(time));
    rows.push_back(builder.Finish(RowKind::kInsert));
  }
  op.ProcessBatch(0, rows);
  EXPECT_EQ(op.slice_count(), 3u);
  EXPECT_EQ(op.pending_windows(), 7u);  // windows ending at 2 s, 4 s, ..., 14 s
  op.ProcessWatermark(0, 9999);         // fires the windows ending at 2 s to 10 s
  EXPECT_EQ(sink.rows().size(), 5u);
  EXPECT_EQ(op.pending_windows(), 2u);
  // The slice [0 s, 2 s) is covered by no window ending after 10 s.
  EXPECT_EQ(op.slice_count(), 2u);
  op.ProcessWatermark(0, 13999);
  EXPECT_EQ(op.slice_count(), 0u);
  EXPECT_EQ(op.pending_windows(), 0u);
}

}  // namespace
}  // namespace fsql
