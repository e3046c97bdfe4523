// Tests of the compiled key encoding in compiler/codegen/key_compiler.h.
//
// The differential test builds random rows of every key type and random key
// column lists, and requires the compiled function to produce EncodeKey's
// bytes and HashKey's hash. FSQL_DIFF_CASES scales the number of key lists
// (3000 by default, one key list per 50 cases) and FSQL_DIFF_SEED sets the seed.
//
// The operator tests cover every operator that keys state: group, window, OVER
// and Top-N aggregation, the joins, sessions, MATCH_RECOGNIZE, set operations
// and ChangelogNormalize. Each runs with compiled keys, with EncodeKey, and
// with a switch between the two in the middle of the input, and must produce
// the same output every time.
#include <atomic>
#include <cmath>
#include <cstdlib>
#include <future>
#include <limits>
#include <random>
#include <thread>

#include <gtest/gtest.h>

#include "compiler/codegen/key_compiler.h"
#include "runtime/job/pipeline.h"
#include "runtime/operators/match_recognize.h"
#include "runtime/operators/operator.h"

namespace fsql::codegen {
namespace {

DataType Decimal(int precision, int scale) {
  DataType type = DataType::Of(TypeId::kDecimal);
  type.precision = precision;
  type.scale = scale;
  return type;
}

DataType ArrayOf(DataType element) {
  DataType type = DataType::Of(TypeId::kArray);
  type.children.push_back(std::move(element));
  return type;
}

const DataType kBoolean = DataType::Of(TypeId::kBoolean);
const DataType kTinyInt = DataType::Of(TypeId::kTinyInt);
const DataType kSmallInt = DataType::Of(TypeId::kSmallInt);
const DataType kInt = DataType::Of(TypeId::kInt);
const DataType kBigInt = DataType::Of(TypeId::kBigInt);
const DataType kFloat = DataType::Of(TypeId::kFloat);
const DataType kDouble = DataType::Of(TypeId::kDouble);
const DataType kString = DataType::Of(TypeId::kString);
const DataType kBytes = DataType::Of(TypeId::kBytes);
const DataType kDate = DataType::Of(TypeId::kDate);
const DataType kTime = DataType::Of(TypeId::kTime);
const DataType kTimestamp = DataType::Timestamp(3, false);
const DataType kTimestampLtz = DataType::Timestamp(3, true);
const DataType kInterval = DataType::Of(TypeId::kIntervalDayTime);
const DataType kCompactDecimal = Decimal(10, 2);
const DataType kWideDecimal = Decimal(38, 6);
const DataType kNested = DataType::Row({{"a", kBigInt}, {"b", kString}});
const DataType kIntArray = ArrayOf(kInt);

/// Returns the column types of the random rows: one column per type a key can have.
const std::vector<DataType>& KeyTypes() {
  static const std::vector<DataType> types = {
      kBoolean, kTinyInt,   kSmallInt,       kInt,         kBigInt,     kFloat,      kDouble,
      kString,  kBytes,     kDate,           kTime,        kTimestamp,  kTimestampLtz,
      kInterval, kCompactDecimal, kWideDecimal, kNested,   kIntArray,
  };
  return types;
}

int64_t EnvInt(const char* name, int64_t fallback) {
  const char* text = std::getenv(name);
  return text != nullptr ? std::atoll(text) : fallback;
}

class RandomValues {
 public:
  explicit RandomValues(uint64_t seed) : random_(seed) {}

  Value Of(const DataType& type) {
    if (Chance(5)) return Value::Null();
    switch (type.id) {
      case TypeId::kBoolean: return Value::Boolean(Chance(2));
      case TypeId::kTinyInt: return Value::Int(Pick<int64_t>({-128, 127, 0, Range(-128, 127)}));
      case TypeId::kSmallInt: return Value::Int(Pick<int64_t>({-32768, 32767, 0, Range(-32768, 32767)}));
      case TypeId::kInt: return Value::Int(Pick<int64_t>({INT32_MIN, INT32_MAX, -1, 0, Range(-1000, 1000)}));
      case TypeId::kBigInt: return Value::Int(Pick<int64_t>({INT64_MIN, INT64_MAX, -1, 0, Range(-1000, 1000)}));
      case TypeId::kFloat:
      case TypeId::kDouble:
        return Value::Double(Pick<double>({0.0, -0.0, std::numeric_limits<double>::quiet_NaN(),
                                           std::numeric_limits<double>::infinity(), -1.5,
                                           static_cast<double>(Range(-1000, 1000)) / 8}));
      case TypeId::kString:
      case TypeId::kBytes: return Value::String(Text());
      case TypeId::kDate: return Value::Int(Pick<int64_t>({-719162, 2932896, 0, Range(-1000, 30000)}));
      case TypeId::kTime: return Value::Int(Pick<int64_t>({0, 86399999, Range(0, 86399999)}));
      case TypeId::kTimestamp:
      case TypeId::kTimestampLtz:
        // Year 1, year 9999 and the epoch, besides times near now.
        return Value::Int(Pick<int64_t>({-62135596800000, 253402300799999, 0, -1,
                                         1700000000000 + Range(-100000, 100000)}));
      case TypeId::kIntervalDayTime: return Value::Int(Pick<int64_t>({0, -86400000, Range(-100000, 100000)}));
      case TypeId::kDecimal: {
        Int128 limit = type.precision > kMaxCompactDecimalPrecision ? Int128(INT64_MAX) * INT64_MAX : 9999999999;
        return Value::Decimal(Pick<Int128>({limit, -limit, 0, Range(-100000, 100000)}), type.scale);
      }
      case TypeId::kRow: return Value::Row({Of(kBigInt), Of(kString)});
      case TypeId::kArray: {
        std::vector<Value> elements;
        for (int64_t i = Range(0, 3); i > 0; --i) elements.push_back(Of(kInt));
        return Value::Array(std::move(elements));
      }
      default: ADD_FAILURE() << "no random values of " << type.ToString(); return Value::Null();
    }
  }

  int64_t Range(int64_t low, int64_t high) { return std::uniform_int_distribution<int64_t>(low, high)(random_); }
  bool Chance(int one_in) { return Range(0, one_in - 1) == 0; }

 private:
  template <typename T>
  T Pick(std::initializer_list<T> choices) {
    return *(choices.begin() + Range(0, static_cast<int64_t>(choices.size()) - 1));
  }

  /// Empty, non-ASCII, and longer than the 64 bytes the key buffer starts with.
  std::string Text() {
    switch (Range(0, 4)) {
      case 0: return "";
      case 1: return "Zürich 東京 🚀";
      case 2: return std::string(static_cast<size_t>(Range(60, 200)), 'x');
      case 3: return std::string(1, '\0') + "a";
      default: return "k" + std::to_string(Range(0, 20));
    }
  }

  std::mt19937_64 random_;
};

Row MakeRow(const std::vector<DataType>& types, const std::vector<Value>& values, RowKind kind = RowKind::kInsert,
            int64_t event_time = kNoTime) {
  RowBuilder builder(static_cast<uint32_t>(types.size()));
  for (uint32_t i = 0; i < types.size(); ++i) builder.SetValue(i, types[i], values[i]);
  return builder.Finish(kind, event_time);
}

std::string Hex(const std::string& bytes) {
  std::string out;
  for (unsigned char c : bytes) out += fmt::format("{:02x}", c);
  return out;
}

TEST(KeyCodegenDifferentialTest, EncodingMatchesEncodeKey) {
  const uint64_t seed = static_cast<uint64_t>(EnvInt("FSQL_DIFF_SEED", 20261205));
  const int64_t key_lists = std::max<int64_t>(1, EnvInt("FSQL_DIFF_CASES", 3000) / 50);
  const std::vector<DataType>& types = KeyTypes();
  RandomValues random(seed);
  int64_t compared = 0;
  for (int64_t list = 0; list < key_lists; ++list) {
    // The first list has every column once. The others have 1 to 6 columns,
    // in any order and possibly repeated.
    std::vector<int> columns;
    if (list == 0) {
      for (size_t c = 0; c < types.size(); ++c) columns.push_back(static_cast<int>(c));
    } else {
      for (int64_t n = random.Range(1, 6); n > 0; --n) {
        columns.push_back(static_cast<int>(random.Range(0, static_cast<int64_t>(types.size()) - 1)));
      }
    }
    auto compiled = CompileKey(columns, types);
    ASSERT_TRUE(compiled.ok()) << KeyFingerprint(columns, types) << ": " << compiled.error();

    std::string reused = "stale bytes that a shorter key must not keep";
    for (int r = 0; r < 50; ++r) {
      std::vector<Value> values;
      for (const DataType& type : types) values.push_back(random.Of(type));
      Row row = MakeRow(types, values);
      std::string expected = EncodeKey(row.view(), columns, types);

      std::string fresh;
      uint64_t hash = compiled.value()->Encode(row.view(), fresh);
      ASSERT_EQ(Hex(fresh), Hex(expected)) << KeyFingerprint(columns, types) << " seed " << seed << " list " << list
                                           << " row " << RowToString(row.view(), types);
      ASSERT_EQ(hash, HashKey(expected)) << KeyFingerprint(columns, types) << " seed " << seed << " list " << list;

      compiled.value()->Encode(row.view(), reused);
      ASSERT_EQ(reused, expected) << "encoding into a used buffer, list " << list;
      ++compared;
    }
  }
  EXPECT_EQ(compared, key_lists * 50);
}

TEST(KeyCodegenTest, HashSeparatesTrailingZeroBytes) {
  EXPECT_NE(HashKey(std::string("a")), HashKey(std::string("a\0", 2)));
  EXPECT_NE(HashKey(""), HashKey(std::string(1, '\0')));
  EXPECT_NE(HashKey(std::string("abcdefgh")), HashKey(std::string("abcdefgi")));
}

TEST(KeyCodegenTest, ManyColumnsSpanNullBitmapWords) {
  // Key columns past 64 read the second word of the null bitmap, and the slots
  // start after both words.
  std::vector<DataType> types(130, kBigInt);
  types[100] = kString;
  std::vector<Value> values;
  for (int i = 0; i < 130; ++i) values.push_back(i % 3 == 0 ? Value::Null() : Value::Int(i));
  values[100] = Value::String("far");
  Row row = MakeRow(types, values);
  std::vector<int> columns = {129, 100, 64, 63, 0, 1};
  auto compiled = CompileKey(columns, types);
  ASSERT_TRUE(compiled.ok()) << compiled.error();
  std::string key;
  uint64_t hash = compiled.value()->Encode(row.view(), key);
  EXPECT_EQ(Hex(key), Hex(EncodeKey(row.view(), columns, types)));
  EXPECT_EQ(hash, HashKey(key));
}

TEST(KeyCodegenTest, OutOfRangeColumnFails) {
  auto compiled = CompileKey({3}, {kBigInt});
  ASSERT_FALSE(compiled.ok());
  EXPECT_NE(compiled.error().find("key column 3 is out of range"), std::string::npos) << compiled.error();
}

TEST(KeyCodegenTest, IrDumpNamesArguments) {
  CompileOptions options;
  options.keep_ir = true;
  auto compiled = CompileKey({0, 1}, {kBigInt, kString}, options);
  ASSERT_TRUE(compiled.ok()) << compiled.error();
  const std::string& ir = compiled.value()->ir_before_optimization();
  EXPECT_NE(ir.find("define i64 @" + compiled.value()->function_name()), std::string::npos) << ir;
  EXPECT_NE(ir.find("%row"), std::string::npos);
  EXPECT_NE(ir.find("%key1_is_null"), std::string::npos);
  EXPECT_NE(ir.find("%key_hash"), std::string::npos);
  EXPECT_FALSE(compiled.value()->ir_after_optimization().empty());
}

TEST(KeyCompileCacheTest, SecondRequestHits) {
  std::vector<DataType> types = {kBigInt, kString, kDouble};
  CompileCacheStats before = GetKeyCompileCacheStats();
  auto first = CompileKeyCached({2, 1}, types);
  auto second = CompileKeyCached({2, 1}, types);
  ASSERT_NE(first, nullptr);
  EXPECT_EQ(first, second);
  CompileCacheStats after = GetKeyCompileCacheStats();
  EXPECT_EQ(after.misses - before.misses, 1);
  EXPECT_EQ(after.hits - before.hits, 1);
  // Another column type is another key function.
  auto other = CompileKeyCached({2, 1}, {kBigInt, kString, kBigInt});
  EXPECT_NE(other, first);
}

// ---------------------------------------------------------------------------
// Operators

/// Wraps CompileKeyCached. It waits for Release() before compiling and counts
/// the rows the compiled code encodes, so tests control when kAuto switches.
class GatedCompiler {
 public:
  /// A compiled key that counts its calls and delegates to the real one.
  class Counting final : public CompiledKey {
   public:
    Counting(std::shared_ptr<const CompiledKey> inner, std::atomic<int64_t>& calls)
        : inner_(std::move(inner)), calls_(calls) {}
    uint64_t Encode(RowView row, std::string& key) const override {
      ++calls_;
      return inner_->Encode(row, key);
    }

   private:
    std::shared_ptr<const CompiledKey> inner_;
    std::atomic<int64_t>& calls_;
  };

  KeyCompiler compiler() {
    return [this](const std::vector<int>& columns, const std::vector<DataType>& types) -> std::shared_ptr<const CompiledKey> {
      release_.wait();
      auto compiled = CompileKeyCached(columns, types);
      ++compiled_count_;
      return compiled ? std::make_shared<Counting>(compiled, calls_) : nullptr;
    };
  }

  void Release() { gate_.set_value(); }
  /// Waits until `count` compilations have returned.
  void WaitForCompiled(int count) const {
    while (compiled_count_.load() < count) std::this_thread::yield();
  }
  int64_t calls() const { return calls_.load(); }

 private:
  std::promise<void> gate_;
  std::shared_future<void> release_ = gate_.get_future().share();
  std::atomic<int> compiled_count_{0};
  std::atomic<int64_t> calls_{0};
};

/// Random (k1 STRING, k2 BIGINT, v BIGINT, t TIMESTAMP) rows with few distinct
/// keys, some NULL, as +I with now and then a -D of an earlier row.
std::vector<Row> KeyedRows(uint64_t seed, size_t count, bool with_retractions) {
  RandomValues random(seed);
  std::vector<DataType> types = {kString, kBigInt, kBigInt, kTimestamp};
  std::vector<Row> rows;
  for (size_t i = 0; i < count; ++i) {
    Value k1 = random.Chance(8) ? Value::Null() : Value::String(random.Chance(2) ? "ä" : "b" + std::to_string(random.Range(0, 3)));
    Value k2 = random.Chance(8) ? Value::Null() : Value::Int(random.Range(-2, 2));
    auto time = static_cast<int64_t>(1000 * i);
    rows.push_back(MakeRow(types, {k1, k2, Value::Int(random.Range(-50, 50)), Value::Int(time)}, RowKind::kInsert, time));
    if (with_retractions && i > 4 && random.Chance(4)) {
      Row earlier = rows[static_cast<size_t>(random.Range(0, static_cast<int64_t>(rows.size()) - 2))];
      rows.push_back(earlier.WithKind(RowKind::kDelete));
    }
  }
  return rows;
}

const std::vector<DataType> kKeyedTypes = {kString, kBigInt, kBigInt, kTimestamp};

/// Runs `rows` through an operator in three batches and returns its output
/// rendered with `output_types`. With `gate`, the operator runs in kAuto mode
/// and compiled code arrives after the first batch.
template <typename MakeOperator>
std::vector<std::string> RunInBatches(MakeOperator make, const std::vector<Row>& rows, int input_count,
                                      const std::vector<DataType>& output_types, CodegenMode mode,
                                      GatedCompiler* gate = nullptr, int encoders = 1) {
  std::unique_ptr<Operator> op = make();
  CollectSinkOperator sink;
  op->Connect(&sink, 0);
  op->SetKeyCompiler(gate ? CodegenMode::kAuto : mode, gate ? gate->compiler() : CachedKeyCompiler());
  size_t third = rows.size() / 3;
  for (size_t part = 0; part < 3; ++part) {
    if (part == 1 && gate != nullptr) {
      gate->Release();
      gate->WaitForCompiled(encoders);
    }
    size_t end = part == 2 ? rows.size() : (part + 1) * third;
    for (int input = 0; input < input_count; ++input) {
      std::vector<Row> batch(rows.begin() + static_cast<std::ptrdiff_t>(part * third),
                             rows.begin() + static_cast<std::ptrdiff_t>(end));
      op->ProcessBatch(input, batch);
    }
    op->ProcessWatermark(0, rows[end - 1].event_time());
    if (input_count == 2) op->ProcessWatermark(1, rows[end - 1].event_time());
  }
  op->ProcessWatermark(0, INT64_MAX);
  if (input_count == 2) op->ProcessWatermark(1, INT64_MAX);
  std::vector<std::string> out;
  for (const Row& row : sink.rows()) out.push_back(RowToString(row.view(), output_types));
  return out;
}

/// Requires the same output interpreted, compiled from the start, and
/// switching from interpreted to compiled after the first batch.
template <typename MakeOperator>
void ExpectSameOutputInEveryMode(MakeOperator make, const std::vector<Row>& rows, int input_count,
                                 const std::vector<DataType>& output_types, int encoders = 1) {
  std::vector<std::string> interpreted = RunInBatches(make, rows, input_count, output_types, CodegenMode::kInterpret);
  ASSERT_FALSE(interpreted.empty());
  EXPECT_EQ(RunInBatches(make, rows, input_count, output_types, CodegenMode::kJit), interpreted);
  GatedCompiler gate;
  EXPECT_EQ(RunInBatches(make, rows, input_count, output_types, CodegenMode::kAuto, &gate, encoders), interpreted);
  EXPECT_GT(gate.calls(), 0) << "the compiled key was never used";
}

std::vector<DataType> Concat(std::vector<DataType> a, const std::vector<DataType>& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

GroupAggregateSpec SumByKeys(std::vector<ExprPtr> keys) {
  GroupAggregateSpec spec;
  spec.keys = std::move(keys);
  spec.aggregates.push_back({"SUM", Expr::InputRef(2, kBigInt), nullptr, false, kBigInt});
  spec.aggregates.push_back({"COUNT", nullptr, nullptr, false, kBigInt});
  return spec;
}

TEST(KeyCodegenOperatorTest, GroupAggregateAgreesInEveryMode) {
  std::vector<Row> rows = KeyedRows(1, 300, true);
  auto make = [] {
    return std::make_unique<GroupAggregateOperator>(SumByKeys({Expr::InputRef(0, kString), Expr::InputRef(1, kBigInt)}));
  };
  ExpectSameOutputInEveryMode(make, rows, 1, {kString, kBigInt, kBigInt, kBigInt});
}

TEST(KeyCodegenOperatorTest, WindowAggregateAgreesInEveryMode) {
  // The window_end key is column 3, the row's own time, so each row is the
  // only time of its window.
  std::vector<Row> rows = KeyedRows(2, 300, false);
  auto make = [] {
    return std::make_unique<WindowAggregateOperator>(
        SumByKeys({Expr::InputRef(1, kBigInt), Expr::InputRef(3, kTimestamp)}), 1);
  };
  ExpectSameOutputInEveryMode(make, rows, 1, {kBigInt, kTimestamp, kBigInt, kBigInt});
}

TEST(KeyCodegenOperatorTest, OverAggregateAgreesInEveryMode) {
  std::vector<Row> rows = KeyedRows(3, 300, false);
  auto make = [] {
    OverAggregateSpec spec;
    spec.input_types = kKeyedTypes;
    spec.partition_columns = {0, 1};
    spec.order_column = 3;
    spec.rows_frame = true;
    spec.preceding = 2;
    spec.aggregates.push_back({"SUM", Expr::InputRef(2, kBigInt), kBigInt});
    return std::make_unique<OverAggregateOperator>(std::move(spec));
  };
  ExpectSameOutputInEveryMode(make, rows, 1, Concat(kKeyedTypes, {kBigInt}));
}

TEST(KeyCodegenOperatorTest, JoinAgreesInEveryMode) {
  std::vector<Row> rows = KeyedRows(4, 150, true);
  auto make = [] {
    JoinSpec spec{JoinKind::kFull, kKeyedTypes, kKeyedTypes, {0, 1}, {0, 1}, nullptr};
    return std::make_unique<JoinOperator>(std::move(spec));
  };
  ExpectSameOutputInEveryMode(make, rows, 2, Concat(kKeyedTypes, kKeyedTypes), 2);
}

TEST(KeyCodegenOperatorTest, RankAgreesInEveryMode) {
  std::vector<Row> rows = KeyedRows(5, 300, true);
  auto make = [] {
    RankSpec spec{kKeyedTypes, {0, 1}, 2, true, 2};
    return std::make_unique<RankOperator>(std::move(spec));
  };
  ExpectSameOutputInEveryMode(make, rows, 1, Concat(kKeyedTypes, {kBigInt}));
}

/// Requires the operator from `make` to encode its keys with compiled code
/// from the start in kJit mode, and never in kInterpret mode.
template <typename MakeOperator>
void ExpectCompiledKeysOnlyInJitMode(MakeOperator make) {
  auto jit = make();
  jit->SetKeyCompiler(CodegenMode::kJit, CachedKeyCompiler());
  EXPECT_TRUE(jit->uses_compiled_keys());
  auto interpreted = make();
  interpreted->SetKeyCompiler(CodegenMode::kInterpret, CachedKeyCompiler());
  EXPECT_FALSE(interpreted->uses_compiled_keys());
}

/// KeyedRows with a fifth column, the end of the minute that contains the
/// row's time, for the operators that key windows. A window contains rows of
/// several batches, so keys cross the switch to compiled code.
std::vector<Row> WindowedRows(uint64_t seed, size_t count) {
  std::vector<Row> rows;
  for (const Row& row : KeyedRows(seed, count, false)) {
    std::vector<Value> values;
    for (uint32_t i = 0; i < kKeyedTypes.size(); ++i) values.push_back(row.view().GetValue(i, kKeyedTypes[i]));
    values.push_back(Value::Int((row.event_time() / 60000 + 1) * 60000));
    rows.push_back(MakeRow(Concat(kKeyedTypes, {kTimestamp}), values, row.kind(), row.event_time()));
  }
  return rows;
}

const std::vector<DataType> kWindowedTypes = Concat(kKeyedTypes, {kTimestamp});

TEST(KeyCodegenOperatorTest, IntervalJoinAgreesInEveryMode) {
  // Rows are a second apart and the bounds a minute wide, so rows of one
  // batch join rows of the batch before.
  std::vector<Row> rows = KeyedRows(6, 150, false);
  auto make = [] {
    JoinSpec join{JoinKind::kFull, kKeyedTypes, kKeyedTypes, {0, 1}, {0, 1}, nullptr};
    return std::make_unique<IntervalJoinOperator>(IntervalJoinSpec{join, 3, 3, -60000, 60000});
  };
  ExpectSameOutputInEveryMode(make, rows, 2, Concat(kKeyedTypes, kKeyedTypes), 2);
  ExpectCompiledKeysOnlyInJitMode(make);
}

TEST(KeyCodegenOperatorTest, TemporalJoinAgreesInEveryMode) {
  // The right input's versions take their time from v, which is at most 50
  // ms, so a left row joins the version of its key that has the greatest v
  // so far, often one of an earlier batch.
  std::vector<Row> rows = KeyedRows(7, 150, false);
  auto make = [] {
    JoinSpec join{JoinKind::kLeft, kKeyedTypes, kKeyedTypes, {0, 1}, {0, 1}, nullptr};
    return std::make_unique<TemporalJoinOperator>(IntervalJoinSpec{join, 3, 2});
  };
  ExpectSameOutputInEveryMode(make, rows, 2, Concat(kKeyedTypes, kKeyedTypes), 2);
  ExpectCompiledKeysOnlyInJitMode(make);
}

TEST(KeyCodegenOperatorTest, ProcTimeTemporalJoinAgreesInEveryMode) {
  // Each batch reaches the left input first, so a left row joins the right
  // rows of earlier batches.
  std::vector<Row> rows = KeyedRows(8, 150, false);
  auto make = [] {
    JoinSpec join{JoinKind::kLeft, kKeyedTypes, kKeyedTypes, {0, 1}, {0, 1}, nullptr};
    return std::make_unique<ProcTimeTemporalJoinOperator>(std::move(join));
  };
  ExpectSameOutputInEveryMode(make, rows, 2, Concat(kKeyedTypes, kKeyedTypes), 2);
  ExpectCompiledKeysOnlyInJitMode(make);
}

TEST(KeyCodegenOperatorTest, WindowJoinAgreesInEveryMode) {
  std::vector<Row> rows = WindowedRows(9, 150);
  auto make = [] {
    JoinSpec join{JoinKind::kFull, kWindowedTypes, kWindowedTypes, {0, 1, 4}, {0, 1, 4}, nullptr};
    return std::make_unique<WindowJoinOperator>(WindowJoinSpec{join, 4, 4});
  };
  ExpectSameOutputInEveryMode(make, rows, 2, Concat(kWindowedTypes, kWindowedTypes), 2);
  ExpectCompiledKeysOnlyInJitMode(make);
}

TEST(KeyCodegenOperatorTest, WindowRankAgreesInEveryMode) {
  std::vector<Row> rows = WindowedRows(10, 300);
  auto make = [] {
    RankSpec rank{kWindowedTypes, {0, 1, 4}, 2, true, 2};
    return std::make_unique<WindowRankOperator>(WindowRankSpec{rank, 4});
  };
  ExpectSameOutputInEveryMode(make, rows, 1, Concat(kWindowedTypes, {kBigInt}));
  ExpectCompiledKeysOnlyInJitMode(make);
}

TEST(KeyCodegenOperatorTest, SessionWindowAgreesInEveryMode) {
  // Rows are a second apart, so with a gap of a minute a key's sessions
  // often span batches.
  std::vector<Row> rows = KeyedRows(11, 300, false);
  auto make = [] {
    return std::make_unique<SessionWindowOperator>(SessionWindowSpec{kKeyedTypes, {0, 1}, 3, 60000});
  };
  ExpectSameOutputInEveryMode(make, rows, 1, Concat(kKeyedTypes, {kTimestamp, kTimestamp, kTimestamp}));
  ExpectCompiledKeysOnlyInJitMode(make);
}

TEST(KeyCodegenOperatorTest, MatchRecognizeAgreesInEveryMode) {
  // PATTERN (A B) with both variables TRUE pairs up consecutive rows of a
  // partition, and the measure is the v of B.
  std::vector<Row> rows = KeyedRows(12, 300, false);
  auto make = [] {
    MatchRecognizeSpec spec;
    spec.input_types = kKeyedTypes;
    spec.partition_columns = {0, 1};
    spec.time_column = 3;
    spec.variables = {"A", "B"};
    spec.pattern = {MatchPatternFactor{{0}}, MatchPatternFactor{{1}}};
    spec.conditions = {nullptr, nullptr};
    spec.measures = {Expr::InputRef(2, kBigInt)};
    spec.skip = MatchSkip::kPastLastRow;
    return std::make_unique<MatchRecognizeOperator>(std::move(spec));
  };
  ExpectSameOutputInEveryMode(make, rows, 1, {kString, kBigInt, kBigInt});
  ExpectCompiledKeysOnlyInJitMode(make);
}

TEST(KeyCodegenOperatorTest, SetOperationAgreesInEveryMode) {
  // Both inputs receive the same rows, so INTERSECT ALL adds each row once
  // both have it and drops it when the first input retracts it.
  std::vector<Row> rows = KeyedRows(13, 300, true);
  auto make = [] {
    return std::make_unique<SetOperationOperator>(SetOperationSpec{kKeyedTypes, SetOperation::kIntersect, true});
  };
  ExpectSameOutputInEveryMode(make, rows, 2, kKeyedTypes);
  ExpectCompiledKeysOnlyInJitMode(make);
}

TEST(KeyCodegenOperatorTest, ChangelogNormalizeAgreesInEveryMode) {
  // Keys repeat often, so later rows update earlier ones, and the -D rows
  // delete their key.
  std::vector<Row> rows = KeyedRows(14, 300, true);
  auto make = [] { return std::make_unique<ChangelogNormalizeOperator>(kKeyedTypes, std::vector<int>{0, 1}); };
  ExpectSameOutputInEveryMode(make, rows, 1, kKeyedTypes);
  ExpectCompiledKeysOnlyInJitMode(make);
}

}  // namespace
}  // namespace fsql::codegen
