// Tests of the compiled accumulate functions in
// compiler/codegen/aggregate_compiler.h.
//
// The differential test builds random aggregate lists: COUNT(*), COUNT, SUM
// and AVG over integer, FLOAT, DOUBLE and DECIMAL arguments, and MIN, MAX and
// COLLECT over those and strings, with FILTER clauses, mixed with
// FIRST_VALUE, which stays interpreted. It applies random rows
// with random signs to one set of accumulators with the interpreter and to
// another with the compiled function. After every row it requires the same
// NumericAccumulatorState bits, the same results and the same errors. FSQL_DIFF_CASES
// scales the number of lists (3000 by default, one list per 50 cases) and
// FSQL_DIFF_SEED sets the seed. A second differential test does the same for
// the compiled merge function of sliced window aggregation.
#include <atomic>
#include <bit>
#include <cstdlib>
#include <cstring>
#include <future>
#include <random>
#include <thread>

#include <gtest/gtest.h>

#include "compiler/codegen/aggregate_compiler.h"
#include "runtime/job/pipeline.h"

namespace fsql::codegen {
namespace {

DataType Decimal(int precision, int scale) {
  DataType type = DataType::Of(TypeId::kDecimal);
  type.precision = precision;
  type.scale = scale;
  return type;
}

const DataType kBoolean = DataType::Of(TypeId::kBoolean);
const DataType kTinyInt = DataType::Of(TypeId::kTinyInt);
const DataType kInt = DataType::Of(TypeId::kInt);
const DataType kBigInt = DataType::Of(TypeId::kBigInt);
const DataType kFloat = DataType::Of(TypeId::kFloat);
const DataType kDouble = DataType::Of(TypeId::kDouble);
const DataType kString = DataType::Of(TypeId::kString);
const DataType kCompactDecimal = Decimal(10, 2);
const DataType kWideDecimal = Decimal(38, 4);

/// The input columns of the random rows.
const std::vector<DataType> kTypes = {kTinyInt, kInt, kBigInt, kFloat, kDouble, kCompactDecimal, kWideDecimal, kString};
constexpr int kNumericColumns = 7;  // the columns before the STRING

int64_t EnvInt(const char* name, int64_t fallback) {
  const char* text = std::getenv(name);
  return text != nullptr ? std::atoll(text) : fallback;
}

class RandomInput {
 public:
  explicit RandomInput(uint64_t seed) : random_(seed) {}

  int64_t Range(int64_t low, int64_t high) { return std::uniform_int_distribution<int64_t>(low, high)(random_); }
  bool Chance(int one_in) { return Range(0, one_in - 1) == 0; }

  Row NextRow() {
    RowBuilder builder(static_cast<uint32_t>(kTypes.size()));
    for (uint32_t c = 0; c < kTypes.size(); ++c) builder.SetValue(c, kTypes[c], ValueOf(kTypes[c]));
    return builder.Finish(RowKind::kInsert);
  }

  /// Returns COUNT(*), or COUNT, SUM or AVG over a random numeric column, or
  /// MIN, MAX, COLLECT or FIRST_VALUE (which stays interpreted) over any
  /// column. Some get a FILTER clause, and some an argument that can divide
  /// by zero.
  GroupAggregateSpec::Aggregate NextAggregate() {
    if (Chance(3)) {
      int column = static_cast<int>(Range(0, static_cast<int64_t>(kTypes.size()) - 1));
      ExprPtr argument = Expr::InputRef(column, kTypes[static_cast<size_t>(column)]);
      ExprPtr filter;
      if (Chance(3)) filter = Expr::Call("<", {Expr::InputRef(1, kInt), Expr::Literal(Value::Int(0), kInt)}, kBoolean);
      const char* functions[] = {"MIN", "MAX", "COLLECT", "FIRST_VALUE"};
      std::string function = functions[Range(0, 3)];
      DataType result = argument->type;
      if (function == "COLLECT") {
        result = DataType::Of(TypeId::kMultiset);
        result.children = {argument->type};
      }
      return {function, argument, filter, false, result};
    }
    int column = static_cast<int>(Range(0, kNumericColumns - 1));
    const DataType& type = kTypes[static_cast<size_t>(column)];
    ExprPtr argument = Expr::InputRef(column, type);
    if (type.id == TypeId::kBigInt && Chance(3)) {
      // Fails with the interpreter's message when the INT column is 0.
      argument = Expr::Call("/", {argument, Expr::InputRef(1, kInt)}, kBigInt);
    } else if (type.id == TypeId::kBigInt && Chance(2)) {
      argument = Expr::Call("+", {argument, argument}, kBigInt);  // wraps at the int64 edges
    }
    ExprPtr filter;
    if (Chance(3)) filter = Expr::Call(">", {Expr::InputRef(1, kInt), Expr::Literal(Value::Int(0), kInt)}, kBoolean);
    switch (Range(0, 4)) {
      case 0: return {"COUNT", nullptr, filter, false, kBigInt};
      case 1: return {"COUNT", argument, filter, false, kBigInt};
      case 2: return {"MAX", argument, filter, false, argument->type};
      case 3: {
        DataType result = type.id == TypeId::kDecimal ? DecimalSumType(type.scale) : argument->type;
        return {"SUM", argument, filter, false, result};
      }
      default: {
        DataType result = type.id == TypeId::kDecimal ? DecimalAverageType(type.scale) : argument->type;
        return {"AVG", argument, filter, false, result};
      }
    }
  }

 private:
  Value ValueOf(const DataType& type) {
    if (Chance(6)) return Value::Null();
    switch (type.id) {
      case TypeId::kTinyInt: return Value::Int(Range(-128, 127));
      case TypeId::kInt: return Value::Int(Chance(4) ? 0 : Range(-1000, 1000));
      case TypeId::kBigInt: {
        if (!Chance(4)) return Value::Int(Range(-1000000, 1000000));
        return Value::Int(Chance(2) ? INT64_MAX : INT64_MIN);
      }
      case TypeId::kFloat:
      case TypeId::kDouble: return Value::Double(Chance(5) ? 1e300 : static_cast<double>(Range(-100000, 100000)) / 7);
      case TypeId::kDecimal: {
        // Values near 10^38 make the int128 sum overflow after a few rows.
        Int128 big = Int128(INT64_MAX) * INT64_MAX;
        Int128 limit = type.precision > kMaxCompactDecimalPrecision ? big : 9999999999;
        if (!Chance(3)) return Value::Decimal(Range(-100000, 100000), type.scale);
        return Value::Decimal(Chance(2) ? limit : -limit, type.scale);
      }
      case TypeId::kString: {
        // Few distinct strings, so retractions meet equal values.
        const char* strings[] = {"", "a", "b", "\u00e9t\u00e9", "a"};
        return Value::String(strings[Range(0, 4)]);
      }
      default: return Value::Null();
    }
  }

  std::mt19937_64 random_;
};

/// Renders the state's bits, so that doubles compare exactly, -0.0 and NaN included.
std::string Bits(RetractableAccumulator& accumulator) {
  const NumericAccumulatorState& s = accumulator.numeric_state();
  auto low = static_cast<uint64_t>(s.decimal_sum.sum);
  auto high = static_cast<uint64_t>(s.decimal_sum.sum >> 64);
  return fmt::format("count={} int_sum={} int_sum_squares={} double_sum={:x} double_sum_squares={:x} "
                     "decimal_sum={:x}:{:x} scale={} overflowed={}",
                     s.count, s.int_sum, s.int_sum_squares, std::bit_cast<uint64_t>(s.double_sum),
                     std::bit_cast<uint64_t>(s.double_sum_squares), high, low, s.decimal_sum.scale,
                     s.decimal_sum.overflowed);
}

/// Applies a row and returns the error message, or "" when it succeeded.
std::string ApplyOrError(const std::vector<GroupAggregateSpec::Aggregate>& aggregates,
                         const CompiledAccumulate* compiled, RowView row, int sign,
                         std::vector<RetractableAccumulator>& accumulators) {
  try {
    ApplyRow(aggregates, compiled, row, sign, EvalContext{}, accumulators);
  } catch (const Error& error) {
    return error.what();
  }
  return "";
}

TEST(AccumulateCodegenDifferentialTest, StateMatchesInterpreter) {
  const uint64_t seed = static_cast<uint64_t>(EnvInt("FSQL_DIFF_SEED", 20261205));
  const int64_t lists = std::max<int64_t>(1, EnvInt("FSQL_DIFF_CASES", 3000) / 50);
  RandomInput random(seed);
  int64_t compared = 0;
  for (int64_t list = 0; list < lists; ++list) {
    std::vector<GroupAggregateSpec::Aggregate> aggregates;
    for (int64_t n = random.Range(1, 5); n > 0; --n) aggregates.push_back(random.NextAggregate());
    auto compiled = CompileAccumulate(aggregates);
    bool any_compilable = false;
    for (const auto& aggregate : aggregates) any_compilable = any_compilable || IsCompilableAggregate(aggregate);
    if (!any_compilable) {
      EXPECT_FALSE(compiled.ok());
      continue;
    }
    ASSERT_TRUE(compiled.ok()) << AccumulateFingerprint(aggregates) << ": " << compiled.error();

    std::vector<RetractableAccumulator> interpreted;
    std::vector<RetractableAccumulator> native;
    for (const auto& aggregate : aggregates) {
      interpreted.emplace_back(aggregate);
      native.emplace_back(aggregate);
    }
    std::vector<Row> added;
    for (int r = 0; r < 50; ++r) {
      // Mostly additions, and now and then the retraction of an earlier row.
      int sign = 1;
      Row row = random.NextRow();
      if (!added.empty() && random.Chance(4)) {
        sign = -1;
        row = added[static_cast<size_t>(random.Range(0, static_cast<int64_t>(added.size()) - 1))];
      } else {
        added.push_back(row);
      }
      std::string expected_error = ApplyOrError(aggregates, nullptr, row.view(), sign, interpreted);
      std::string error = ApplyOrError(aggregates, compiled.value().get(), row.view(), sign, native);
      ASSERT_EQ(error, expected_error) << AccumulateFingerprint(aggregates) << " seed " << seed << " list " << list;
      if (!expected_error.empty()) break;  // the order of partial updates differs after an error
      for (size_t a = 0; a < aggregates.size(); ++a) {
        ASSERT_EQ(Bits(native[a]), Bits(interpreted[a]))
            << "aggregate " << a << " of " << AccumulateFingerprint(aggregates) << " seed " << seed << " list " << list
            << " row " << r;
        Value expected = interpreted[a].Result();
        Value actual = native[a].Result();
        ASSERT_EQ(actual.ToString(aggregates[a].type), expected.ToString(aggregates[a].type)) << "aggregate " << a;
      }
      ++compared;
    }
  }
  EXPECT_GT(compared, lists * 10);
}

// Builds random states by applying random rows, with retractions and the
// overflow values of RandomInput, to two sets of accumulators, then merges
// one into the other with the interpreter and with the compiled merge
// function, several times over. Both must leave the same state bits and
// results.
TEST(MergeCodegenDifferentialTest, StateMatchesInterpreter) {
  const uint64_t seed = static_cast<uint64_t>(EnvInt("FSQL_DIFF_SEED", 20261205)) + 1;
  const int64_t lists = std::max<int64_t>(1, EnvInt("FSQL_DIFF_CASES", 3000) / 50);
  RandomInput random(seed);
  int64_t compared = 0;
  for (int64_t list = 0; list < lists; ++list) {
    std::vector<GroupAggregateSpec::Aggregate> aggregates;
    for (int64_t n = random.Range(1, 5); n > 0; --n) aggregates.push_back(random.NextAggregate());
    auto compiled = CompileAccumulate(aggregates);
    if (!compiled.ok()) continue;
    std::vector<RetractableAccumulator> fresh;
    for (const auto& aggregate : aggregates) fresh.emplace_back(aggregate);
    std::vector<RetractableAccumulator> interpreted = fresh;
    std::vector<RetractableAccumulator> native = fresh;
    for (int merge = 0; merge < 8; ++merge) {
      std::vector<RetractableAccumulator> from = fresh;
      std::vector<Row> added;
      for (int64_t r = random.Range(0, 12); r > 0; --r) {
        int sign = 1;
        Row row = random.NextRow();
        if (!added.empty() && random.Chance(4)) {
          sign = -1;
          row = added[static_cast<size_t>(random.Range(0, static_cast<int64_t>(added.size()) - 1))];
        } else {
          added.push_back(row);
        }
        // A row whose argument fails leaves partial updates, and the merge must copy them too.
        ApplyOrError(aggregates, nullptr, row.view(), sign, from);
      }
      MergeAccumulators(nullptr, from, interpreted);
      MergeAccumulators(compiled.value().get(), from, native);
      for (size_t a = 0; a < aggregates.size(); ++a) {
        ASSERT_EQ(Bits(native[a]), Bits(interpreted[a]))
            << "aggregate " << a << " of " << AccumulateFingerprint(aggregates) << " seed " << seed << " list " << list
            << " merge " << merge;
        ASSERT_EQ(native[a].Result().ToString(aggregates[a].type), interpreted[a].Result().ToString(aggregates[a].type))
            << "aggregate " << a;
      }
      ++compared;
    }
  }
  EXPECT_GT(compared, lists * 4);
}

TEST(MergeCodegenTest, OverflowedDecimalStaysNull) {
  GroupAggregateSpec::Aggregate sum{"SUM", Expr::InputRef(6, kWideDecimal), nullptr, false, DecimalSumType(4)};
  auto compiled = CompileAccumulate({sum});
  ASSERT_TRUE(compiled.ok()) << compiled.error();
  std::vector<RetractableAccumulator> into{RetractableAccumulator(sum)};
  std::vector<RetractableAccumulator> from{RetractableAccumulator(sum)};
  into[0].Apply(Value::Decimal(Int128(1) << 126, 4), 1);
  from[0].Apply(Value::Decimal(Int128(1) << 126, 4), 1);
  compiled.value()->Merge(into.data(), from.data());
  EXPECT_TRUE(into[0].numeric_state().decimal_sum.overflowed);
  EXPECT_EQ(into[0].numeric_state().decimal_sum.scale, 4);
  EXPECT_TRUE(into[0].Result().is_null());
  // Merging back below the overflow keeps the result NULL, as DecimalSum does.
  from[0] = RetractableAccumulator(sum);
  from[0].Apply(Value::Decimal(Int128(1) << 126, 4), -1);
  compiled.value()->Merge(into.data(), from.data());
  EXPECT_TRUE(into[0].Result().is_null());
}

TEST(AccumulateCodegenTest, CompilesWithoutDistinctOnly) {
  ExprPtr number = Expr::InputRef(2, kBigInt);
  ExprPtr text = Expr::InputRef(7, kString);
  EXPECT_TRUE(IsCompilableAggregate({"COUNT", nullptr, nullptr, false, kBigInt}));
  EXPECT_TRUE(IsCompilableAggregate({"SUM", number, nullptr, false, kBigInt}));
  EXPECT_TRUE(IsCompilableAggregate({"AVG", Expr::InputRef(6, kWideDecimal), nullptr, false, DecimalAverageType(4)}));
  EXPECT_TRUE(IsCompilableAggregate({"MAX", number, nullptr, false, kBigInt}));
  EXPECT_TRUE(IsCompilableAggregate({"MIN", text, nullptr, false, kString}));
  EXPECT_TRUE(IsCompilableAggregate({"COUNT", text, nullptr, false, kBigInt}));
  EXPECT_FALSE(IsCompilableAggregate({"SUM", number, nullptr, true, kBigInt}));
  EXPECT_FALSE(IsCompilableAggregate({"MAX", number, nullptr, true, kBigInt}));
  EXPECT_FALSE(IsCompilableAggregate({"FIRST_VALUE", number, nullptr, false, kBigInt}));
  auto compiled = CompileAccumulate({{"LISTAGG", text, nullptr, false, kString}});
  EXPECT_FALSE(compiled.ok());
}

TEST(AccumulateCodegenTest, IrDumpNamesValues) {
  CompileOptions options;
  options.keep_ir = true;
  auto compiled = CompileAccumulate({{"SUM", Expr::InputRef(6, kWideDecimal), nullptr, false, DecimalSumType(4)}}, options);
  ASSERT_TRUE(compiled.ok()) << compiled.error();
  const std::string& ir = compiled.value()->ir_before_optimization();
  EXPECT_NE(ir.find("define i32 @" + compiled.value()->function_name()), std::string::npos) << ir;
  EXPECT_NE(ir.find("%accumulators"), std::string::npos);
  EXPECT_NE(ir.find("%agg0_decimal_sum"), std::string::npos);
  EXPECT_NE(ir.find("sadd.with.overflow.i128"), std::string::npos);
  EXPECT_NE(ir.find("define i32 @" + compiled.value()->merge_function_name() + "(ptr %into, ptr"), std::string::npos)
      << ir;
  EXPECT_NE(ir.find("%agg0_scale ="), std::string::npos);
}

/// Runs a GROUP BY k with SUM, COUNT(*), AVG and MIN over random rows with
/// retractions, in three batches, and returns the changelog.
std::vector<std::string> RunGroupAggregate(CodegenMode mode, bool switch_after_first_batch) {
  GroupAggregateSpec spec;
  spec.keys = {Expr::InputRef(0, kTinyInt)};
  spec.aggregates = {{"SUM", Expr::InputRef(2, kBigInt), nullptr, false, kBigInt},
                     {"COUNT", nullptr, nullptr, false, kBigInt},
                     {"AVG", Expr::InputRef(4, kDouble), nullptr, false, kDouble},
                     {"SUM", Expr::InputRef(6, kWideDecimal), nullptr, false, DecimalSumType(4)},
                     {"MIN", Expr::InputRef(1, kInt), nullptr, false, kInt}};
  std::vector<DataType> output = {kTinyInt, kBigInt, kBigInt, kDouble, DecimalSumType(4), kInt};
  GroupAggregateOperator op(spec);
  CollectSinkOperator sink;
  op.Connect(&sink, 0);
  std::promise<void> gate;
  std::shared_future<void> released = gate.get_future().share();
  std::atomic<bool> compiled{false};
  AccumulateCompiler compiler = CachedAccumulateCompiler();
  if (switch_after_first_batch) {
    compiler = [released, &compiled](const std::vector<GroupAggregateSpec::Aggregate>& aggregates)
        -> std::shared_ptr<const CompiledAccumulate> {
      released.wait();
      auto code = CompileAccumulateCached(aggregates);
      compiled = true;
      return code;
    };
  }
  op.SetAccumulateCompiler(mode, compiler);

  RandomInput random(7);
  std::vector<Row> added;
  for (int batch = 0; batch < 3; ++batch) {
    if (batch == 1 && switch_after_first_batch) {
      gate.set_value();
      while (!compiled) std::this_thread::yield();
    }
    std::vector<Row> rows;
    for (int i = 0; i < 100; ++i) {
      if (!added.empty() && random.Chance(4)) {
        rows.push_back(added[static_cast<size_t>(random.Range(0, static_cast<int64_t>(added.size()) - 1))].WithKind(RowKind::kDelete));
        continue;
      }
      // Few groups, so rows meet earlier rows of their group, and BIGINT
      // values small enough for the sums to stay readable.
      std::vector<Value> values = RowToValues(random.NextRow().view(), kTypes);
      values[0] = Value::Int(random.Range(0, 3));
      if (!values[2].is_null()) values[2] = Value::Int(random.Range(-1000, 1000));
      RowBuilder builder(static_cast<uint32_t>(kTypes.size()));
      for (uint32_t c = 0; c < kTypes.size(); ++c) builder.SetValue(c, kTypes[c], values[c]);
      Row keyed = builder.Finish(RowKind::kInsert);
      added.push_back(keyed);
      rows.push_back(keyed);
    }
    op.ProcessBatch(0, rows);
  }
  std::vector<std::string> out;
  for (const Row& row : sink.rows()) out.push_back(RowToString(row.view(), output));
  return out;
}

TEST(AccumulateCodegenOperatorTest, GroupAggregateAgreesInEveryMode) {
  std::vector<std::string> interpreted = RunGroupAggregate(CodegenMode::kInterpret, false);
  ASSERT_GT(interpreted.size(), 100u);
  EXPECT_EQ(RunGroupAggregate(CodegenMode::kJit, false), interpreted);
  EXPECT_EQ(RunGroupAggregate(CodegenMode::kAuto, true), interpreted);
}


/// The frames RunOverAggregate runs: RANGE over 5 ms, ROWS over 3 rows, and
/// RANGE from the partition's first row.
enum class Frame { kRange, kRows, kUnbounded };

/// Runs an OVER aggregation partitioned by column 0 with SUM, COUNT(*), AVG,
/// a floating-point SUM, a DECIMAL SUM and MIN over random rows in three
/// batches, each followed by a watermark, and returns its output. With
/// `switch_after_first_batch`, compilation finishes only after the first
/// batch, so the frames built by the interpreter continue on compiled code.
std::vector<std::string> RunOverAggregate(CodegenMode mode, bool switch_after_first_batch, Frame frame,
                                          bool* used_compiled_code = nullptr) {
  const DataType time_type = DataType::Of(TypeId::kTimestamp);
  std::vector<DataType> input = kTypes;
  input.push_back(time_type);
  OverAggregateSpec spec;
  spec.input_types = input;
  spec.partition_columns = {0};
  spec.order_column = static_cast<int>(kTypes.size());
  spec.rows_frame = frame == Frame::kRows;
  spec.unbounded_preceding = frame == Frame::kUnbounded;
  spec.preceding = frame == Frame::kRows ? 3 : 5;
  ExprPtr doubled = Expr::Call("+", {Expr::InputRef(2, kBigInt), Expr::InputRef(2, kBigInt)}, kBigInt);
  spec.aggregates = {{"SUM", doubled, kBigInt},
                     {"COUNT", nullptr, kBigInt},
                     {"AVG", Expr::InputRef(4, kDouble), kDouble},
                     {"SUM", Expr::InputRef(3, kFloat), kDouble},
                     {"SUM", Expr::InputRef(6, kWideDecimal), DecimalSumType(4)},
                     {"MIN", Expr::InputRef(1, kInt), kInt}};
  std::vector<DataType> output = input;
  for (const auto& aggregate : spec.aggregates) output.push_back(aggregate.type);

  OverAggregateOperator op(spec);
  CollectSinkOperator sink;
  op.Connect(&sink, 0);
  std::promise<void> gate;
  std::shared_future<void> released = gate.get_future().share();
  std::atomic<int> compiled{0};
  CalcOperator::Compiler arguments = CachedCalcCompiler();
  AccumulateCompiler accumulate = CachedAccumulateCompiler();
  if (switch_after_first_batch) {
    arguments = [released, &compiled](const ExprPtr& filter, const std::vector<ExprPtr>& projections)
        -> std::shared_ptr<const CalcOperator::Compiled> {
      released.wait();
      auto code = CompileCalcCached(filter, projections);
      ++compiled;
      return code;
    };
    accumulate = [released, &compiled](const std::vector<GroupAggregateSpec::Aggregate>& aggregates)
        -> std::shared_ptr<const CompiledAccumulate> {
      released.wait();
      auto code = CompileAccumulateCached(aggregates);
      ++compiled;
      return code;
    };
  }
  op.SetFrameCompilers(mode, arguments, accumulate);

  RandomInput random(11);
  int64_t time = 1000;
  for (int batch = 0; batch < 3; ++batch) {
    if (batch == 1 && switch_after_first_batch) {
      gate.set_value();
      while (compiled < 2) std::this_thread::yield();
    }
    std::vector<Row> rows;
    for (int i = 0; i < 100; ++i) {
      std::vector<Value> values = RowToValues(random.NextRow().view(), kTypes);
      values[0] = Value::Int(random.Range(0, 3));
      if (!values[2].is_null()) values[2] = Value::Int(random.Range(-1000, 1000));
      // Times mostly rise, with ties and a few rows a little out of order.
      time += random.Range(-1, 2);
      values.push_back(Value::Int(time));
      RowBuilder builder(static_cast<uint32_t>(input.size()));
      for (uint32_t c = 0; c < input.size(); ++c) builder.SetValue(c, input[c], values[c]);
      rows.push_back(builder.Finish(RowKind::kInsert));
    }
    op.ProcessBatch(0, rows);
    op.ProcessWatermark(0, time - 2);
  }
  op.ProcessWatermark(0, INT64_MAX);
  if (used_compiled_code != nullptr) {
    *used_compiled_code = op.uses_compiled_arguments() && op.uses_compiled_accumulate();
  }
  std::vector<std::string> out;
  for (const Row& row : sink.rows()) out.push_back(RowToString(row.view(), output));
  return out;
}

TEST(AccumulateCodegenOperatorTest, OverAggregateAgreesInEveryMode) {
  for (Frame frame : {Frame::kRange, Frame::kRows, Frame::kUnbounded}) {
    SCOPED_TRACE(static_cast<int>(frame));
    std::vector<std::string> interpreted = RunOverAggregate(CodegenMode::kInterpret, false, frame);
    ASSERT_GT(interpreted.size(), 250u);
    bool used_compiled_code = false;
    EXPECT_EQ(RunOverAggregate(CodegenMode::kJit, false, frame, &used_compiled_code), interpreted);
    EXPECT_TRUE(used_compiled_code);
    EXPECT_EQ(RunOverAggregate(CodegenMode::kAuto, true, frame, &used_compiled_code), interpreted);
    EXPECT_TRUE(used_compiled_code);
  }
}

}  // namespace
}  // namespace fsql::codegen
