// Throughput of a Calc with an expression-heavy filter and projection, on the
// interpreter and on compiled code, and the latency of compiling it.
//
// Every iteration pushes one batch of kBatchSize rows through a CalcOperator;
// items per second counts input rows. The rows are random but fixed (seed 42):
// about a fifth of the values are NULL.
#include <random>

#include <benchmark/benchmark.h>

#include "compiler/codegen/calc_compiler.h"
#include "runtime/operators/operator.h"

namespace fsql::codegen {
namespace {

constexpr int kBatchSize = 4096;

const DataType kBoolean = DataType::Of(TypeId::kBoolean);
const DataType kBigInt = DataType::Of(TypeId::kBigInt);
const DataType kDouble = DataType::Of(TypeId::kDouble);
const DataType kString = DataType::Of(TypeId::kString);
const DataType kTimestampLtz = DataType::Timestamp(3, true);
const DataType kNested = DataType::Row({{"id", kBigInt}, {"ip", kString}});

// Columns: 0 id BIGINT, 1 amount DOUBLE, 2 name STRING, 3 ts TIMESTAMP_LTZ(3),
// 4 account ROW<id BIGINT, ip STRING>, 5 kind STRING.
const std::vector<DataType> kInputTypes = {kBigInt, kDouble, kString, kTimestampLtz, kNested, kString};

ExprPtr Column(int index) { return Expr::InputRef(index, kInputTypes[index]); }
ExprPtr Int(int64_t value) { return Expr::Literal(Value::Int(value), kBigInt.WithNullable(false)); }
ExprPtr Double(double value) { return Expr::Literal(Value::Double(value), kDouble.WithNullable(false)); }
ExprPtr String(const std::string& value) { return Expr::Literal(Value::String(value), kString.WithNullable(false)); }
ExprPtr Call(const std::string& function, std::vector<ExprPtr> args, const DataType& type) {
  return Expr::Call(function, std::move(args), type);
}

/// WHERE amount * 1.1 > 50 AND kind IN ('card', 'wire', 'cash')
///   AND (id % 7 <> 3 OR account.id IS NOT NULL) AND ts >= 1600000000000
ExprPtr Filter() {
  return Call("AND",
              {Call(">", {Call("*", {Column(1), Double(1.1)}, kDouble), Double(50)}, kBoolean),
               Call("IN", {Column(5), String("card"), String("wire"), String("cash")}, kBoolean),
               Call("OR",
                    {Call("<>", {Call("%", {Column(0), Int(7)}, kBigInt), Int(3)}, kBoolean),
                     Call("IS NOT NULL", {Expr::FieldAccess(Column(4), 0, kBigInt)}, kBoolean)},
                    kBoolean),
               Call(">=", {Column(3), Expr::Literal(Value::Int(1'600'000'000'000), kTimestampLtz)}, kBoolean)},
              kBoolean);
}

/// id, name, CASE on amount, COALESCE(account.id, -1) * 31 + id,
/// amount / 3 - 2, account.ip, ts + 10 minutes, name = 'alice'
std::vector<ExprPtr> Projections() {
  ExprPtr band = Call("CASE",
                      {Call(">", {Column(1), Double(900)}, kBoolean), String("high"),
                       Call(">", {Column(1), Double(300)}, kBoolean), String("medium"), String("low")},
                      kString);
  ExprPtr account_id = Expr::FieldAccess(Column(4), 0, kBigInt);
  ExprPtr mixed = Call("+", {Call("*", {Call("COALESCE", {account_id, Int(-1)}, kBigInt), Int(31)}, kBigInt), Column(0)},
                       kBigInt);
  ExprPtr scaled = Call("-", {Call("/", {Column(1), Double(3)}, kDouble), Double(2)}, kDouble);
  ExprPtr later = Call("+", {Column(3), Expr::Literal(Value::Int(600'000), DataType::Of(TypeId::kIntervalDayTime))},
                       kTimestampLtz);
  return {Column(0), Column(2), band, mixed, scaled, Expr::FieldAccess(Column(4), 1, kString), later,
          Call("=", {Column(2), String("alice")}, kBoolean)};
}

std::vector<Row> MakeRows() {
  std::mt19937_64 random(42);
  auto chance = [&](double p) { return std::bernoulli_distribution(p)(random); };
  const std::vector<std::string> names = {"alice", "bob", "carol", "dave", "Łukasz"};
  const std::vector<std::string> kinds = {"card", "wire", "cash", "crypto"};
  RowBuilder builder(static_cast<uint32_t>(kInputTypes.size()));
  std::vector<Row> rows;
  for (int i = 0; i < kBatchSize; ++i) {
    std::vector<Value> values = {
        Value::Int(static_cast<int64_t>(random() % 100'000)),
        Value::Double(std::uniform_real_distribution<double>(0, 1000)(random)),
        Value::String(names[random() % names.size()]),
        Value::Int(1'600'000'000'000 + static_cast<int64_t>(random() % 100'000'000'000)),
        Value::Row({Value::Int(static_cast<int64_t>(random() % 1000)), Value::String("10.0.0.1")}),
        Value::String(kinds[random() % kinds.size()]),
    };
    for (uint32_t c = 0; c < values.size(); ++c) {
      builder.SetValue(c, kInputTypes[c], chance(0.2) ? Value::Null() : values[c]);
    }
    rows.push_back(builder.Finish(RowKind::kInsert, 1'600'000'000'000 + i));
  }
  return rows;
}

/// Drops what it receives, so the benchmark measures the Calc alone.
class DiscardSink : public SinkOperator {
 public:
  void ProcessBatch(int input, std::vector<Row>& rows) override {
    kept_ += static_cast<int64_t>(rows.size());
    rows.clear();
  }
  int64_t kept() const { return kept_; }

 private:
  int64_t kept_ = 0;
};

void RunCalc(benchmark::State& state, CalcOperator::CodegenMode mode) {
  CalcOperator calc(Filter(), Projections(), mode, CachedCalcCompiler());
  if (mode == CalcOperator::CodegenMode::kJit && !calc.uses_compiled_code()) {
    state.SkipWithError("the benchmark Calc did not compile");
    return;
  }
  DiscardSink sink;
  calc.Connect(&sink, 0);
  std::vector<Row> rows = MakeRows();
  for (auto _ : state) calc.ProcessBatch(0, rows);  // CalcOperator only reads its input rows
  state.SetItemsProcessed(state.iterations() * kBatchSize);
  state.counters["kept_fraction"] =
      static_cast<double>(sink.kept()) / static_cast<double>(state.iterations() * kBatchSize);
}

void BM_CalcInterpreted(benchmark::State& state) { RunCalc(state, CalcOperator::CodegenMode::kInterpret); }
void BM_CalcCompiled(benchmark::State& state) { RunCalc(state, CalcOperator::CodegenMode::kJit); }

/// Generates IR, optimises it at O2 and links it, without the compile cache.
void BM_CompileCalc(benchmark::State& state) {
  ExprPtr filter = Filter();
  std::vector<ExprPtr> projections = Projections();
  for (auto _ : state) {
    auto compiled = CompileCalc(filter, projections);
    if (!compiled.ok()) {
      state.SkipWithError(compiled.error().c_str());
      return;
    }
    benchmark::DoNotOptimize(compiled.value());
  }
}

BENCHMARK(BM_CalcInterpreted)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_CalcCompiled)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_CompileCalc)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace fsql::codegen
