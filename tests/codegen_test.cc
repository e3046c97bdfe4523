// Tests of the LLVM backend in compiler/codegen.
//
// The differential tests build random typed expression trees shaped like the
// binder's output, evaluate them with the interpreter and with compiled code on
// random rows, and require identical results: the same value and NULL-ness, or
// the same fsql::Error message. FSQL_DIFF_CASES sets the number of random
// expressions (3000 by default; the fused-Calc test runs a quarter as many
// Calcs) and FSQL_DIFF_SEED the seed.
//
// The other tests cover fallback for expressions that do not compile, the IR
// dump, the compile cache, and the codegen modes of CalcOperator and the planner.
#include <atomic>
#include <bit>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <future>
#include <iostream>
#include <random>
#include <thread>

#include <gtest/gtest.h>

#include "compiler/codegen/calc_compiler.h"
#include "compiler/planner/planner.h"
#include "runtime/common/error.h"
#include "runtime/formats/json_format.h"
#include "runtime/job/pipeline.h"

namespace fsql::codegen {
namespace {

const DataType kBoolean = DataType::Of(TypeId::kBoolean);
const DataType kInt = DataType::Of(TypeId::kInt);
const DataType kBigInt = DataType::Of(TypeId::kBigInt);
const DataType kDouble = DataType::Of(TypeId::kDouble);
const DataType kFloat = DataType::Of(TypeId::kFloat);
const DataType kString = DataType::Of(TypeId::kString);
const DataType kTimestampLtz = DataType::Timestamp(3, true);
const DataType kTimestamp = DataType::Timestamp(3, false);
const DataType kDate = DataType::Of(TypeId::kDate);
const DataType kInterval = DataType::Of(TypeId::kIntervalDayTime);
const DataType kNested = DataType::Row({{"a", kBigInt}, {"b", kString}, {"c", kDouble}});

// ---------------------------------------------------------------------------
// Random rows

/// Returns the column types of every random row.
const std::vector<DataType>& InputTypes() {
  static const std::vector<DataType> types = {
      kBoolean,      // 0
      kInt,          // 1
      kBigInt,       // 2
      kBigInt,       // 3
      kDouble,       // 4
      kDouble,       // 5
      kString,       // 6
      kString,       // 7
      kTimestampLtz, // 8
      kTimestamp,    // 9
      kDate,         // 10
      kInterval,     // 11
      kNested,       // 12
      kFloat,        // 13
  };
  return types;
}
constexpr int kNestedColumn = 12;
constexpr int kFloatColumn = 13;

/// The value kinds the generator builds expressions of.
enum class Kind { kBoolean, kInt, kBigInt, kDouble, kString, kTimestampLtz, kTimestamp, kDate, kInterval };
const std::vector<Kind> kAllKinds = {Kind::kBoolean,      Kind::kInt,       Kind::kBigInt, Kind::kDouble,  Kind::kString,
                                     Kind::kTimestampLtz, Kind::kTimestamp, Kind::kDate,   Kind::kInterval};

DataType TypeOf(Kind kind) {
  switch (kind) {
    case Kind::kBoolean: return kBoolean;
    case Kind::kInt: return kInt;
    case Kind::kBigInt: return kBigInt;
    case Kind::kDouble: return kDouble;
    case Kind::kString: return kString;
    case Kind::kTimestampLtz: return kTimestampLtz;
    case Kind::kTimestamp: return kTimestamp;
    case Kind::kDate: return kDate;
    case Kind::kInterval: return kInterval;
  }
  return kBigInt;
}

std::vector<int> ColumnsOf(Kind kind) {
  std::vector<int> columns;
  for (int i = 0; i < static_cast<int>(InputTypes().size()); ++i) {
    if (InputTypes()[i].SameShape(TypeOf(kind))) columns.push_back(i);
  }
  return columns;
}

// Edge values the random data favours.
const std::vector<int64_t> kBigIntEdges = {0,         1,         -1,        2,         -2,        3,
                                           7,         -7,        10,        12,        1000,      86'400'000,
                                           INT64_MIN, INT64_MAX, INT64_MIN + 1,       INT64_MAX - 1,
                                           INT32_MIN, INT32_MAX, 1LL << 53,           (1LL << 53) + 1};
const std::vector<int64_t> kIntEdges = {0, 1, -1, 2, -2, 3, 7, -7, 10, 100, INT32_MIN, INT32_MAX, INT32_MAX - 1};
const std::vector<double> kDoubleEdges = {0.0,     -0.0,    1.0,      -1.0,    0.5,     2.5,     -2.5,
                                          3.0,     1000.0,  1e308,    -1e308,  4.9e-324, 9.2e18,  -9.2e18,
                                          9.3e18,  9.223372036854775807e18, 1e15 + 0.5,
                                          std::numeric_limits<double>::quiet_NaN(),
                                          std::numeric_limits<double>::infinity(),
                                          -std::numeric_limits<double>::infinity()};
// Around the interpreter's limit for CAST of a double to an integer, 9.2e18.
const std::vector<double> kCastBoundaries = {9.2e18, -9.2e18, 9.19999999999999e18, 9.2000000000001e18,
                                             -9.2000000000001e18, 9.25e18};
const std::vector<std::string> kStrings = {"",      "a",     "abc",    "ABC",     "aBc",   "Łukasz",    "日本語",
                                           "ß",     "123",   "-42",    " 7",      "+5",    "1e3",       "0x1A",
                                           "inf",   "nan",   "true",   "FALSE",   "TrUe",  "yes",       "a%c",
                                           "a_c",   "%",     "_",      "\\%",     "x\\_y", "ab%c_",     "3.5",
                                           "12abc", "99999999999999999999", std::string("a\0b", 3), "abXcd"};
const std::vector<std::string> kPatterns = {"%", "", "a%", "%c", "a_c", "%b%", "ab%c_", "\\%%", "x\\_y", "Ł%",
                                            "_",  "%%a", "A%", "日%", "%\\_%"};
const std::vector<int64_t> kTimestampEdges = {0,   -1,      1,        999,           -999,           1000, -1001,
                                              86'399'999,   951'782'400'000,  // 2000-02-29
                                              253'402'300'799'999,            // 9999-12-31 23:59:59.999
                                              -62'135'596'800'000,            // 0001-01-01
                                              1'700'000'000'000};
constexpr int64_t kMinTimestamp = -62'135'596'800'000;
constexpr int64_t kMaxTimestamp = 253'402'300'799'999;

class RandomData {
 public:
  explicit RandomData(uint64_t seed) : random_(seed) {}

  bool Chance(double probability) { return std::bernoulli_distribution(probability)(random_); }
  size_t Index(size_t count) { return std::uniform_int_distribution<size_t>(0, count - 1)(random_); }
  int64_t Between(int64_t low, int64_t high) { return std::uniform_int_distribution<int64_t>(low, high)(random_); }
  template <typename T>
  const T& Pick(const std::vector<T>& items) {
    return items[Index(items.size())];
  }

  int64_t BigInt() {
    if (Chance(0.4)) return Pick(kBigIntEdges);
    if (Chance(0.5)) return Between(-100, 100);
    return static_cast<int64_t>(random_());
  }
  int64_t Int() { return Chance(0.5) ? Pick(kIntEdges) : Between(-1000, 1000); }
  double Double() {
    if (Chance(0.1)) return Pick(kCastBoundaries);
    if (Chance(0.4)) return Pick(kDoubleEdges);
    if (Chance(0.3)) return static_cast<double>(Between(-20, 20));
    return std::uniform_real_distribution<double>(-1e3, 1e3)(random_);
  }
  std::string String() { return Pick(kStrings); }
  int64_t Timestamp() { return Chance(0.5) ? Pick(kTimestampEdges) : Between(kMinTimestamp, kMaxTimestamp); }
  int64_t Date() { return Chance(0.5) ? Pick(std::vector<int64_t>{0, -1, 1, 11'016, 2'932'896, -719'162}) : Between(-800'000, 3'000'000); }
  int64_t Interval() {
    return Chance(0.5) ? Pick(std::vector<int64_t>{0, 1, 1000, 60'000, 86'400'000, -3'600'000}) : Between(-1LL << 40, 1LL << 40);
  }

  /// Returns a non-null value of `kind`, in the physical class the interpreter uses.
  Value ValueOf(Kind kind) {
    switch (kind) {
      case Kind::kBoolean: return Value::Boolean(Chance(0.5));
      case Kind::kInt: return Value::Int(Int());
      case Kind::kBigInt: return Value::Int(BigInt());
      case Kind::kDouble: return Value::Double(Double());
      case Kind::kString: return Value::String(String());
      case Kind::kTimestampLtz:
      case Kind::kTimestamp: return Value::Int(Timestamp());
      case Kind::kDate: return Value::Int(Date());
      case Kind::kInterval: return Value::Int(Interval());
    }
    return Value::Null();
  }

  Value ColumnValue(const DataType& type) {
    if (Chance(0.2)) return Value::Null();
    if (type.id == TypeId::kRow) {
      return Value::Row({Chance(0.2) ? Value::Null() : Value::Int(BigInt()),
                         Chance(0.2) ? Value::Null() : Value::String(String()),
                         Chance(0.2) ? Value::Null() : Value::Double(Double())});
    }
    if (type.id == TypeId::kFloat) return Value::Double(Double());
    for (Kind kind : kAllKinds) {
      if (TypeOf(kind).SameShape(type)) return ValueOf(kind);
    }
    return Value::Null();
  }

  Row MakeRow(const std::vector<DataType>& types) {
    RowBuilder builder(static_cast<uint32_t>(types.size()));
    for (uint32_t i = 0; i < types.size(); ++i) builder.SetValue(i, types[i], ColumnValue(types[i]));
    static const std::vector<RowKind> kinds = {RowKind::kInsert, RowKind::kUpdateBefore, RowKind::kUpdateAfter,
                                               RowKind::kDelete};
    return builder.Finish(Pick(kinds), Chance(0.2) ? kNoTime : Timestamp());
  }

 private:
  std::mt19937_64 random_;
};

// ---------------------------------------------------------------------------
// Random expressions, shaped like the binder's output: arguments carry the
// types their operators expect, with CASTs where the binder inserts them.

class ExprGenerator {
 public:
  explicit ExprGenerator(RandomData& data) : data_(data) {}

  ExprPtr Make(Kind kind, int depth) {
    if (depth <= 0 || data_.Chance(0.25)) return Leaf(kind);
    switch (kind) {
      case Kind::kBoolean: return MakeBoolean(depth - 1);
      case Kind::kInt:
      case Kind::kBigInt: return MakeInteger(kind, depth - 1);
      case Kind::kDouble: return MakeDouble(depth - 1);
      case Kind::kString: return MakeString(depth - 1);
      case Kind::kTimestampLtz: return MakeTimestampLtz(depth - 1);
      case Kind::kTimestamp:
        if (data_.Chance(0.5)) return Expr::Cast(Make(Kind::kTimestampLtz, depth - 1), kTimestamp, false);
        return Generic(kind, depth - 1);
      case Kind::kDate:
        if (data_.Chance(0.3)) return Expr::Cast(Make(Kind::kInt, depth - 1), kDate, false);
        return Generic(kind, depth - 1);
      case Kind::kInterval: return Generic(kind, depth - 1);
    }
    return Leaf(kind);
  }

 private:
  ExprPtr Literal(Kind kind) { return Expr::Literal(data_.ValueOf(kind), TypeOf(kind).WithNullable(false)); }

  ExprPtr Leaf(Kind kind) {
    if (data_.Chance(0.1)) return Expr::Literal(Value::Null(), TypeOf(kind));
    if (data_.Chance(0.4)) return Literal(kind);
    if (data_.Chance(0.2)) {
      if (kind == Kind::kBigInt) return NestedField(0, kBigInt);
      if (kind == Kind::kString) return NestedField(1, kString);
      if (kind == Kind::kDouble) return NestedField(2, kDouble);
    }
    std::vector<int> columns = ColumnsOf(kind);
    if (columns.empty()) return Literal(kind);
    int column = data_.Pick(columns);
    return Expr::InputRef(column, InputTypes()[column]);
  }

  ExprPtr NestedField(int field, const DataType& type) {
    return Expr::FieldAccess(Expr::InputRef(kNestedColumn, kNested), field, type);
  }

  Kind ComparableKind() {
    static const std::vector<Kind> kinds = {Kind::kInt,     Kind::kBigInt,       Kind::kDouble, Kind::kString,
                                            Kind::kBoolean, Kind::kTimestampLtz, Kind::kDate};
    return data_.Pick(kinds);
  }

  ExprPtr MakeBoolean(int depth) {
    switch (data_.Index(11)) {
      case 0:
      case 1: {
        static const std::vector<std::string> ops = {"=", "<>", "<", "<=", ">", ">="};
        Kind kind = ComparableKind();
        return Expr::Call(data_.Pick(ops), {Make(kind, depth), Make(kind, depth)}, kBoolean);
      }
      case 2: {
        std::vector<ExprPtr> args;
        size_t count = 2 + data_.Index(2);
        for (size_t i = 0; i < count; ++i) args.push_back(Make(Kind::kBoolean, depth));
        return Expr::Call(data_.Chance(0.5) ? "AND" : "OR", args, kBoolean);
      }
      case 3:
        return Expr::Call("NOT", {Make(Kind::kBoolean, depth)}, kBoolean);
      case 4: {
        ExprPtr operand = data_.Chance(0.1) ? Expr::Literal(Value::Null(), DataType::Of(TypeId::kNull))
                                            : Make(data_.Pick(kAllKinds), depth);
        return Expr::Call(data_.Chance(0.5) ? "IS NULL" : "IS NOT NULL", {operand}, kBoolean.WithNullable(false));
      }
      case 5: {
        static const std::vector<std::string> tests = {"IS TRUE", "IS NOT TRUE", "IS FALSE", "IS NOT FALSE"};
        return Expr::Call(data_.Pick(tests), {Make(Kind::kBoolean, depth)}, kBoolean.WithNullable(false));
      }
      case 6:
        return MakeIn(depth);
      case 7:
        return MakeLike(depth);
      case 8: {
        bool safe = data_.Chance(0.5);
        if (data_.Chance(0.1)) return Expr::Cast(Make(Kind::kDouble, depth), kBoolean, safe);
        Kind from = data_.Chance(0.5) ? Kind::kString : data_.Pick(std::vector<Kind>{Kind::kInt, Kind::kBigInt});
        return Expr::Cast(Make(from, depth), kBoolean, safe);
      }
      default:
        return Generic(Kind::kBoolean, depth);
    }
  }

  ExprPtr MakeIn(int depth) {
    Kind kind = ComparableKind();
    std::vector<ExprPtr> args = {Make(kind, depth)};
    size_t count = 1 + data_.Index(4);
    bool integral = kind == Kind::kInt || kind == Kind::kBigInt;
    for (size_t i = 0; i < count; ++i) {
      // The binder does not coerce IN items, so an integer value can meet a
      // DOUBLE item and the reverse.
      if (data_.Chance(0.15)) {
        args.push_back(Expr::Literal(Value::Null(), DataType::Of(TypeId::kNull)));
      } else if (integral && data_.Chance(0.15)) {
        args.push_back(Expr::Literal(Value::Double(data_.Double()), kDouble.WithNullable(false)));
      } else if (kind == Kind::kDouble && data_.Chance(0.15)) {
        args.push_back(Expr::Literal(Value::Int(data_.BigInt()), kBigInt.WithNullable(false)));
      } else if (data_.Chance(0.3)) {
        args.push_back(Make(kind, depth));
      } else {
        args.push_back(Leaf(kind));
      }
    }
    return Expr::Call(data_.Chance(0.5) ? "IN" : "NOT IN", args, kBoolean);
  }

  ExprPtr MakeLike(int depth) {
    ExprPtr text = Make(Kind::kString, depth);
    ExprPtr pattern = data_.Chance(0.7)
                          ? Expr::Literal(Value::String(data_.Pick(kPatterns)), kString.WithNullable(false))
                          : Make(Kind::kString, depth);
    std::vector<ExprPtr> args = {text, pattern};
    if (data_.Chance(0.3)) {
      static const std::vector<std::string> escapes = {"\\", "", "x", "%"};
      args.push_back(Expr::Literal(Value::String(data_.Pick(escapes)), kString.WithNullable(false)));
    }
    return Expr::Call(data_.Chance(0.7) ? "LIKE" : "NOT LIKE", args, kBoolean);
  }

  ExprPtr MakeInteger(Kind kind, int depth) {
    DataType type = TypeOf(kind);
    switch (data_.Index(11)) {
      case 0:
      case 1:
      case 2: {
        static const std::vector<std::string> ops = {"+", "-", "*", "/", "%"};
        return Expr::Call(data_.Pick(ops), {Make(kind, depth), Make(kind, depth)}, type);
      }
      case 3:
        return Expr::Call("NEGATE", {Make(kind, depth)}, type);
      case 4:
        return Expr::Call("ABS", {Make(kind, depth)}, type);
      case 5:
        return Expr::Cast(Make(Kind::kDouble, depth), type, data_.Chance(0.5));
      case 6:
        return Expr::Cast(Make(Kind::kBoolean, depth), type, false);
      case 7:
        return Expr::Cast(Make(Kind::kString, depth), type, data_.Chance(0.5));
      case 8:
        if (kind == Kind::kBigInt) return Expr::Cast(Make(Kind::kInt, depth), kBigInt, false);
        return Expr::Call("CHAR_LENGTH", {Make(Kind::kString, depth)}, kInt);
      case 9:
        if (kind == Kind::kBigInt) return Expr::Cast(Make(Kind::kTimestampLtz, depth), kBigInt, false);
        return MakeTimestampDiff(depth);
      default:
        return Generic(kind, depth);
    }
  }

  ExprPtr MakeTimestampDiff(int depth) {
    static const std::vector<std::string> units = {"SECOND", "MINUTE", "HOUR",  "DAY",   "WEEK",
                                                   "MONTH",  "YEAR",   "HOURS", "MONTHS", "YEARS"};
    auto call = std::make_shared<Expr>(
        *Expr::Call("TIMESTAMPDIFF", {Make(Kind::kTimestampLtz, depth), Make(Kind::kTimestampLtz, depth)}, kInt));
    call->time_unit = data_.Pick(units);
    return call;
  }

  ExprPtr MakeDouble(int depth) {
    switch (data_.Index(10)) {
      case 0:
      case 1:
      case 2: {
        static const std::vector<std::string> ops = {"+", "-", "*", "/", "%"};
        return Expr::Call(data_.Pick(ops), {Make(Kind::kDouble, depth), Make(Kind::kDouble, depth)}, kDouble);
      }
      case 3:
        return Expr::Call("NEGATE", {Make(Kind::kDouble, depth)}, kDouble);
      case 4:
        return Expr::Call("ABS", {Make(Kind::kDouble, depth)}, kDouble);
      case 5:
        return Expr::Cast(Make(data_.Chance(0.5) ? Kind::kBigInt : Kind::kInt, depth), kDouble, false);
      case 6:
        return Expr::Cast(Expr::InputRef(kFloatColumn, kFloat), kDouble, false);
      case 7:
        return Expr::Cast(Make(Kind::kString, depth), kDouble, data_.Chance(0.5));
      default:
        return Generic(Kind::kDouble, depth);
    }
  }

  ExprPtr MakeString(int depth) {
    switch (data_.Index(8)) {
      case 0:
        return Expr::Call(data_.Chance(0.5) ? "UPPER" : "LOWER", {Make(Kind::kString, depth)}, kString);
      case 1:
        return Expr::Call("||", {Make(Kind::kString, depth), Make(Kind::kString, depth)}, kString);
      case 2: {
        std::vector<ExprPtr> args;
        size_t count = 1 + data_.Index(3);
        for (size_t i = 0; i < count; ++i) args.push_back(Make(Kind::kString, depth));
        return Expr::Call("CONCAT", args, kString);
      }
      case 3: {
        static const std::vector<Kind> kinds = {Kind::kInt,          Kind::kBigInt, Kind::kDouble,
                                                Kind::kBoolean,      Kind::kDate,   Kind::kInterval,
                                                Kind::kTimestampLtz, Kind::kTimestamp};
        return Expr::Cast(Make(data_.Pick(kinds), depth), kString, false);
      }
      case 4:
        return Expr::Cast(Make(Kind::kString, depth), kString, false);
      default:
        return Generic(Kind::kString, depth);
    }
  }

  ExprPtr MakeTimestampLtz(int depth) {
    switch (data_.Index(7)) {
      case 0:
      case 1:
        return Expr::Call(data_.Chance(0.5) ? "+" : "-", {Make(Kind::kTimestampLtz, depth), Make(Kind::kInterval, depth)},
                          kTimestampLtz);
      case 2: {
        ExprPtr precision = data_.Chance(0.1)
                                ? Make(Kind::kInt, depth)
                                : Expr::Literal(Value::Int(data_.Pick(std::vector<int64_t>{3, 3, 0, 0, 6})),
                                                kInt.WithNullable(false));
        ExprPtr epoch = Make(data_.Chance(0.7) ? Kind::kBigInt : Kind::kDouble, depth);
        return Expr::Call("TO_TIMESTAMP_LTZ", {epoch, precision}, kTimestampLtz);
      }
      case 3:
        return Expr::Call("CURRENT_TIMESTAMP", {}, kTimestampLtz.WithNullable(false));
      case 4:
        return Expr::Cast(Make(Kind::kTimestamp, depth), kTimestampLtz, false);
      default:
        return Generic(Kind::kTimestampLtz, depth);
    }
  }

  /// CASE, COALESCE or IF producing `kind`.
  ExprPtr Generic(Kind kind, int depth) {
    DataType type = TypeOf(kind);
    switch (data_.Index(3)) {
      case 0: {
        std::vector<ExprPtr> args;
        size_t pairs = 1 + data_.Index(2);
        for (size_t i = 0; i < pairs; ++i) {
          args.push_back(Make(Kind::kBoolean, depth));
          args.push_back(Make(kind, depth));
        }
        if (data_.Chance(0.6)) args.push_back(Make(kind, depth));
        return Expr::Call("CASE", args, type);
      }
      case 1: {
        std::vector<ExprPtr> args;
        size_t count = 2 + data_.Index(2);
        for (size_t i = 0; i < count; ++i) args.push_back(Make(kind, depth));
        return Expr::Call("COALESCE", args, type);
      }
      default:
        return Expr::Call("IF", {Make(Kind::kBoolean, depth), Make(kind, depth), Make(kind, depth)}, type);
    }
  }

  RandomData& data_;
};

// ---------------------------------------------------------------------------
// Comparing the two engines

int64_t EnvironmentNumber(const char* name, int64_t fallback) {
  const char* text = std::getenv(name);
  return text != nullptr && *text != '\0' ? std::strtoll(text, nullptr, 10) : fallback;
}

int64_t CaseCount() { return EnvironmentNumber("FSQL_DIFF_CASES", 3000); }
uint64_t Seed() { return static_cast<uint64_t>(EnvironmentNumber("FSQL_DIFF_SEED", 20240611)); }

/// A value or the message of the error evaluating it raised.
struct Outcome {
  bool threw = false;
  std::string error;
  Value value;
};

/// Returns `text` with "-nan" written as "nan".
std::string WithoutNanSign(std::string text) {
  for (size_t at = text.find("-nan"); at != std::string::npos; at = text.find("-nan", at)) text.erase(at, 1);
  return text;
}

/// Returns whether two values are equal and of the same physical class. Any
/// two NaNs count as equal, and so do texts that differ only in "-nan" against
/// "nan". LLVM does not keep the sign of a NaN result when it folds or rewrites
/// arithmetic, while x86 computes -nan at run time.
bool SameValue(const Value& a, const Value& b) {
  if (a.is_null() || b.is_null()) return a.is_null() && b.is_null();
  if (a.is_bool() && b.is_bool()) return a.as_bool() == b.as_bool();
  if (a.is_int() && b.is_int()) return a.as_int() == b.as_int();
  if (a.is_string() && b.is_string()) return WithoutNanSign(a.as_string()) == WithoutNanSign(b.as_string());
  if (a.is_decimal() && b.is_decimal()) {
    return a.as_decimal().unscaled == b.as_decimal().unscaled && a.as_decimal().scale == b.as_decimal().scale;
  }
  if (a.is_double() && b.is_double()) {
    double x = a.as_double();
    double y = b.as_double();
    return (std::isnan(x) && std::isnan(y)) || std::bit_cast<uint64_t>(x) == std::bit_cast<uint64_t>(y);
  }
  return false;
}

bool SameOutcome(const Outcome& a, const Outcome& b) {
  if (a.threw || b.threw) return a.threw == b.threw && WithoutNanSign(a.error) == WithoutNanSign(b.error);
  return SameValue(a.value, b.value);
}

std::string Describe(const Outcome& outcome, const DataType& type) {
  if (outcome.threw) return "error: " + outcome.error;
  if (outcome.value.is_double()) return fmt::format("{} (bits {:x})", outcome.value.as_double(),
                                                    std::bit_cast<uint64_t>(outcome.value.as_double()));
  std::string kind = outcome.value.is_bool() ? "bool" : outcome.value.is_int() ? "int" : outcome.value.is_string() ? "string" : "";
  return fmt::format("{} {}", kind, outcome.value.ToString(type));
}

Outcome Interpret(const Expr& expr, RowView row, const EvalContext& context) {
  Outcome outcome;
  try {
    outcome.value = Evaluate(expr, row, context);
  } catch (const Error& error) {
    outcome.threw = true;
    outcome.error = error.what();
  } catch (const std::exception& error) {
    // Not an fsql::Error: the generator built a tree the binder never would.
    outcome.threw = true;
    outcome.error = fmt::format("unexpected {}: {}", typeid(error).name(), error.what());
  }
  return outcome;
}

Outcome RunCompiled(const CompiledCalc& calc, RowView row, const EvalContext& context) {
  Outcome outcome;
  try {
    std::vector<Value> values;
    calc.Evaluate(row, context, values);
    outcome.value = values.at(0);
  } catch (const Error& error) {
    outcome.threw = true;
    outcome.error = error.what();
  }
  return outcome;
}

TEST(CodegenDifferentialTest, ExpressionsMatchInterpreter) {
  RandomData data(Seed());
  ExprGenerator generator(data);
  const int64_t cases = CaseCount();
  constexpr int kRowsPerCase = 16;
  int64_t errors = 0, nulls = 0, values = 0;
  double compile_millis = 0;
  int failures = 0;
  for (int64_t i = 0; i < cases && failures < 10; ++i) {
    ExprPtr expr = generator.Make(data.Pick(kAllKinds), 4);
    auto compiled = CompileCalc(nullptr, {expr});
    if (!compiled.ok()) {
      ADD_FAILURE() << "case " << i << " did not compile: " << compiled.error();
      ++failures;
      continue;
    }
    compile_millis += compiled.value()->compile_millis();
    // Every function returns at least one value, so it has machine code.
    EXPECT_GT(compiled.value()->code_bytes(), 0u) << "case " << i;
    for (int r = 0; r < kRowsPerCase; ++r) {
      Row row = data.MakeRow(InputTypes());
      EvalContext context{data.Timestamp()};
      Outcome expected = Interpret(*expr, row.view(), context);
      Outcome actual = RunCompiled(*compiled.value(), row.view(), context);
      if (!SameOutcome(expected, actual)) {
        ADD_FAILURE() << "case " << i << ": " << expr->ToString() << "\n  row: " << RowToString(row.view(), InputTypes())
                      << "\n  processing time: " << context.processing_time_ms
                      << "\n  interpreter: " << Describe(expected, expr->type)
                      << "\n  compiled:    " << Describe(actual, expr->type);
        ++failures;
        break;
      }
      if (expected.threw) {
        ++errors;
      } else if (expected.value.is_null()) {
        ++nulls;
      } else {
        ++values;
      }
    }
  }
  std::cout << fmt::format("compared {} expressions on {} rows each: {} values, {} NULLs, {} errors; "
                           "mean compile time {:.2f} ms\n",
                           cases, kRowsPerCase, values, nulls, errors, compile_millis / static_cast<double>(cases));
  // A generator that stopped reaching errors or NULLs would weaken the test silently.
  if (cases >= 500) {
    EXPECT_GT(errors, 0);
    EXPECT_GT(nulls, 0);
    EXPECT_GT(values, 0);
  }
}

/// Runs rows through an interpreting CalcOperator, or returns its error.
/// Pushes `rows` through `calc` and collects what it emits, or the error it raises.
Outcome RunCalc(CalcOperator& calc, std::vector<Row> rows, int64_t processing_time, std::vector<Row>& out) {
  CollectSinkOperator sink;
  calc.Connect(&sink, 0);
  calc.SetProcessingTime(processing_time);
  Outcome outcome;
  try {
    calc.ProcessBatch(0, rows);
  } catch (const Error& error) {
    outcome.threw = true;
    outcome.error = error.what();
  } catch (const std::exception& error) {
    outcome.threw = true;
    outcome.error = fmt::format("unexpected exception: {}", error.what());
  }
  out = sink.rows();
  return outcome;
}

Outcome RunInterpretingCalc(const ExprPtr& filter, const std::vector<ExprPtr>& projections, std::vector<Row> rows,
                            int64_t processing_time, std::vector<Row>& out) {
  CalcOperator calc(filter, projections);
  return RunCalc(calc, std::move(rows), processing_time, out);
}

/// Runs `rows` through a CalcOperator that uses `compiled`, as RunInterpretingCalc
/// does with the interpreter, so both see the operator's handling of updates.
Outcome RunCompiledCalc(const ExprPtr& filter, const std::vector<ExprPtr>& projections,
                        std::shared_ptr<const CompiledCalc> compiled, std::vector<Row> rows, int64_t processing_time,
                        std::vector<Row>& out) {
  CalcOperator calc(filter, projections, CalcOperator::CodegenMode::kJit,
                    [compiled](const ExprPtr&, const std::vector<ExprPtr>&) { return compiled; });
  return RunCalc(calc, std::move(rows), processing_time, out);
}

TEST(CodegenDifferentialTest, FusedCalcMatchesInterpreter) {
  RandomData data(Seed() + 1);
  ExprGenerator generator(data);
  const int64_t cases = std::max<int64_t>(1, CaseCount() / 4);
  int failures = 0;
  int64_t rows_kept = 0, rows_dropped = 0, batches_failed = 0;
  for (int64_t i = 0; i < cases && failures < 10; ++i) {
    ExprPtr filter = data.Chance(0.8) ? generator.Make(Kind::kBoolean, 3) : nullptr;
    std::vector<ExprPtr> projections;
    size_t count = 1 + data.Index(4);
    for (size_t p = 0; p < count; ++p) projections.push_back(generator.Make(data.Pick(kAllKinds), 3));
    std::vector<DataType> types;
    for (const ExprPtr& projection : projections) types.push_back(projection->type);

    auto compiled = CompileCalc(filter, projections);
    if (!compiled.ok()) {
      ADD_FAILURE() << "Calc " << i << " did not compile: " << compiled.error();
      ++failures;
      continue;
    }
    std::vector<Row> rows;
    for (int r = 0; r < 24; ++r) rows.push_back(data.MakeRow(InputTypes()));
    int64_t processing_time = data.Timestamp();

    std::vector<Row> expected_rows;
    Outcome expected = RunInterpretingCalc(filter, projections, rows, processing_time, expected_rows);
    std::vector<Row> actual_rows;
    Outcome actual = RunCompiledCalc(filter, projections, compiled.value(), rows, processing_time, actual_rows);

    std::string where = fmt::format("Calc {}: where {}, select {}", i, filter ? filter->ToString() : "-",
                                    projections.size());
    if (expected.threw || actual.threw) {
      ++batches_failed;
      if (!SameOutcome(expected, actual)) {
        ADD_FAILURE() << where << "\n  interpreter: " << expected.error << "\n  compiled: " << actual.error;
        ++failures;
      }
      continue;
    }
    rows_kept += static_cast<int64_t>(expected_rows.size());
    rows_dropped += static_cast<int64_t>(rows.size() - expected_rows.size());
    if (expected_rows.size() != actual_rows.size()) {
      ADD_FAILURE() << where << ": interpreter kept " << expected_rows.size() << " rows, compiled code "
                    << actual_rows.size();
      ++failures;
      continue;
    }
    for (size_t r = 0; r < expected_rows.size(); ++r) {
      const Row& e = expected_rows[r];
      const Row& a = actual_rows[r];
      EXPECT_EQ(e.kind(), a.kind()) << where;
      EXPECT_EQ(e.event_time(), a.event_time()) << where;
      std::vector<Value> e_values = RowToValues(e.view(), types);
      std::vector<Value> a_values = RowToValues(a.view(), types);
      for (size_t c = 0; c < types.size(); ++c) {
        if (!SameValue(e_values[c], a_values[c])) {
          ADD_FAILURE() << where << ", row " << r << ", column " << c << " " << projections[c]->ToString()
                        << "\n  interpreter: " << e_values[c].ToString(types[c])
                        << "\n  compiled:    " << a_values[c].ToString(types[c]);
          ++failures;
        }
      }
    }
  }
  std::cout << fmt::format("compared {} Calcs: {} rows kept, {} filtered out, {} batches raised errors\n", cases,
                           rows_kept, rows_dropped, batches_failed);
}

// ---------------------------------------------------------------------------
// Targeted cases

ExprPtr Column(int index) { return Expr::InputRef(index, InputTypes()[index]); }

Row RowOf(const std::vector<Value>& values) {
  RowBuilder builder(static_cast<uint32_t>(InputTypes().size()));
  for (uint32_t i = 0; i < InputTypes().size(); ++i) {
    builder.SetValue(i, InputTypes()[i], i < values.size() ? values[i] : Value::Null());
  }
  return builder.Finish(RowKind::kInsert, 5);
}

TEST(CodegenTest, DivisionByZeroRaisesInterpreterError) {
  ExprPtr quotient = Expr::Call("/", {Column(2), Column(3)}, kBigInt);
  auto compiled = CompileCalc(nullptr, {quotient});
  ASSERT_TRUE(compiled.ok()) << compiled.error();
  Row row = RowOf({Value::Null(), Value::Null(), Value::Int(7), Value::Int(0)});
  Outcome expected = Interpret(*quotient, row.view(), EvalContext{});
  Outcome actual = RunCompiled(*compiled.value(), row.view(), EvalContext{});
  EXPECT_TRUE(actual.threw);
  EXPECT_EQ(actual.error, "division by zero in 7 / 0");
  EXPECT_EQ(actual.error, expected.error);

  Row overflow = RowOf({Value::Null(), Value::Null(), Value::Int(INT64_MIN), Value::Int(-1)});
  actual = RunCompiled(*compiled.value(), overflow.view(), EvalContext{});
  ASSERT_FALSE(actual.threw) << actual.error;
  EXPECT_EQ(actual.value.as_int(), INT64_MIN);
}

TEST(CodegenTest, RegisteredFunctionErrorMatchesInterpreter) {
  // MOD and JSON_VALUE have no native emitter, so they compile to a call of
  // the interpreter's implementation, which must raise the same message.
  ExprPtr remainder = Expr::Call("MOD", {Column(2), Column(3)}, kBigInt);
  ExprPtr json = Expr::Call("JSON_VALUE", {Column(6), Expr::Literal(Value::String("$["), kString)}, kString);
  Row row = RowOf({Value::Null(), Value::Null(), Value::Int(7), Value::Int(0), Value::Null(), Value::Null(),
                   Value::String("{}")});
  for (const ExprPtr& expr : {remainder, json}) {
    auto compiled = CompileCalc(nullptr, {expr});
    ASSERT_TRUE(compiled.ok()) << compiled.error();
    Outcome expected = Interpret(*expr, row.view(), EvalContext{});
    Outcome actual = RunCompiled(*compiled.value(), row.view(), EvalContext{});
    EXPECT_TRUE(expected.threw) << expr->ToString();
    EXPECT_TRUE(actual.threw) << expr->ToString();
    EXPECT_EQ(actual.error, expected.error);
  }
}

TEST(CodegenTest, RegisteredFunctionsMatchInterpreter) {
  ExprPtr pattern = Expr::Literal(Value::String("a.|[0-9]"), kString);
  ExprPtr star = Expr::Literal(Value::String("*"), kString);
  ExprPtr three = Expr::Literal(Value::Int(3), kInt);
  std::vector<ExprPtr> exprs = {
      Expr::Call("SUBSTRING", {Column(6), Column(1)}, kString),
      Expr::Call("REPLACE", {Column(6), Column(7), star}, kString),
      Expr::Call("LPAD", {Column(6), three, star}, kString),
      Expr::Call("MD5", {Column(6)}, kString),
      Expr::Call("REGEXP", {Column(6), pattern}, kBoolean),
      Expr::Call("REGEXP_REPLACE", {Column(6), pattern, Column(7)}, kString),
      Expr::Call("ROUND", {Column(4), Column(1)}, kDouble),
      Expr::Call("POWER", {Column(4), Column(5)}, kDouble),
      Expr::Call("GREATEST", {Column(2), Column(3)}, kBigInt),
      Expr::Call("IS DISTINCT FROM", {Column(6), Column(7)}, DataType::Of(TypeId::kBoolean, false)),
  };
  RandomData data(11);
  std::vector<Row> rows;
  for (int i = 0; i < 200; ++i) rows.push_back(data.MakeRow(InputTypes()));
  for (const ExprPtr& expr : exprs) {
    auto compiled = CompileCalc(nullptr, {expr});
    ASSERT_TRUE(compiled.ok()) << compiled.error();
    for (const Row& row : rows) {
      Outcome expected = Interpret(*expr, row.view(), EvalContext{});
      Outcome actual = RunCompiled(*compiled.value(), row.view(), EvalContext{});
      ASSERT_TRUE(SameOutcome(expected, actual))
          << expr->ToString() << "\n  interpreter: " << Describe(expected, expr->type)
          << "\n  compiled:    " << Describe(actual, expr->type);
    }
  }
}

TEST(CodegenTest, IrDumpHasNamedValues) {
  ExprPtr filter = Expr::Call(">", {Expr::Call("/", {Column(2), Column(3)}, kBigInt),
                                    Expr::Literal(Value::Int(0), kBigInt)}, kBoolean);
  CompileOptions options;
  options.keep_ir = true;
  auto compiled = CompileCalc(filter, {Column(6), Column(4)}, options);
  ASSERT_TRUE(compiled.ok()) << compiled.error();
  const CompiledCalc& calc = *compiled.value();
  std::string before = calc.ir_before_optimization();
  std::string after = calc.ir_after_optimization();
  EXPECT_NE(before.find("define i32 @" + calc.function_name() + "(ptr"), std::string::npos) << before;
  EXPECT_NE(before.find("%row"), std::string::npos);
  EXPECT_NE(before.find("%processing_time_ms"), std::string::npos);
  EXPECT_NE(before.find("raise_division_by_zero"), std::string::npos);
  EXPECT_NE(before.find("%col2"), std::string::npos);
  EXPECT_FALSE(after.empty());
  EXPECT_NE(before, after);
}

TEST(CodegenTest, UnsupportedFunctionFailsNamingExpression) {
  ExprPtr udf = Expr::Call("MY_UDF", {Column(6)}, kString);
  auto compiled = CompileCalc(nullptr, {Column(2), udf});
  ASSERT_FALSE(compiled.ok());
  EXPECT_NE(compiled.error().find("MY_UDF($6) does not compile"), std::string::npos) << compiled.error();
}

TEST(CodegenTest, RowProjectionMatchesInterpreter) {
  ExprPtr nested = Column(kNestedColumn);
  auto compiled = CompileCalc(nullptr, {nested});
  ASSERT_TRUE(compiled.ok()) << compiled.error();
  RandomData data(7);
  for (int i = 0; i < 50; ++i) {
    Row row = data.MakeRow(InputTypes());
    Value expected = Evaluate(*nested, row.view(), EvalContext{});
    Outcome actual = RunCompiled(*compiled.value(), row.view(), EvalContext{});
    ASSERT_FALSE(actual.threw) << actual.error;
    EXPECT_EQ(actual.value.ToString(kNested), expected.ToString(kNested));
    EXPECT_EQ(actual.value.is_null(), expected.is_null());
  }
}

TEST(CodegenTest, FormattingRowFails) {
  auto compiled = CompileCalc(nullptr, {Expr::Cast(Column(kNestedColumn), kString, false)});
  ASSERT_FALSE(compiled.ok());
  EXPECT_NE(compiled.error().find("CAST($12 AS STRING) does not compile"), std::string::npos) << compiled.error();
}

TEST(CodegenTest, ArrayColumnPassesThrough) {
  DataType array = DataType::Of(TypeId::kArray);
  array.children.push_back(kBigInt);
  RowBuilder builder(1);
  builder.SetValue(0, array, Value::Array({Value::Int(1), Value::Null(), Value::Int(3)}));
  Row row = builder.Finish(RowKind::kInsert);
  ExprPtr column = Expr::InputRef(0, array);
  auto compiled = CompileCalc(Expr::Call("IS NOT NULL", {column}, kBoolean), {column});
  ASSERT_TRUE(compiled.ok()) << compiled.error();
  Outcome outcome = RunCompiled(*compiled.value(), row.view(), EvalContext{});
  ASSERT_FALSE(outcome.threw) << outcome.error;
  EXPECT_EQ(outcome.value.ToString(array), "[1, NULL, 3]");
}

TEST(CodegenTest, WideDecimalArithmeticMatchesInterpreter) {
  DataType wide = DataType::Of(TypeId::kDecimal);
  wide.precision = 38;
  wide.scale = 10;
  DataType quotient = DecimalDivisionType(38, 10, 38, 10);
  RowBuilder builder(2);
  builder.SetValue(0, wide, Value::Decimal(DecimalPow10(30) + 7, 10));
  builder.SetValue(1, wide, Value::Decimal(3 * DecimalPow10(10), 10));
  Row row = builder.Finish(RowKind::kInsert);
  ExprPtr divide = Expr::Call("/", {Expr::InputRef(0, wide), Expr::InputRef(1, wide)}, quotient);
  auto compiled = CompileCalc(nullptr, {divide});
  ASSERT_TRUE(compiled.ok()) << compiled.error();
  Outcome outcome = RunCompiled(*compiled.value(), row.view(), EvalContext{});
  ASSERT_FALSE(outcome.threw) << outcome.error;
  EXPECT_EQ(outcome.value.ToString(quotient), Evaluate(*divide, row.view(), EvalContext{}).ToString(quotient));
  // 10^20 + 7 * 10^-10, divided by 3 and rounded HALF_UP to 6 digits.
  EXPECT_EQ(outcome.value.ToString(quotient), "33333333333333333333.333333");
}

/// DECIMAL columns of several widths, an INT, a DOUBLE and a STRING, for the
/// DECIMAL differential test.
std::vector<DataType> DecimalInputTypes() {
  auto decimal = [](int precision, int scale) {
    DataType type = DataType::Of(TypeId::kDecimal);
    type.precision = precision;
    type.scale = scale;
    return type;
  };
  return {decimal(10, 2), decimal(18, 4), decimal(38, 10), decimal(5, 0), decimal(38, 0), kInt, kDouble, kString};
}

/// Returns a random unscaled value that fits `precision` digits, favouring edges.
Int128 RandomUnscaled(std::mt19937_64& random, int precision) {
  Int128 limit = DecimalPow10(precision) - 1;
  switch (random() % 8) {
    case 0: return 0;
    case 1: return limit;
    case 2: return -limit;
    case 3: return (random() % 2 == 0 ? 1 : -1) * DecimalPow10(static_cast<int>(random() % precision));
    case 4: return static_cast<Int128>(random() % 2000) - 1000;
    default: {
      Int128 value = 0;
      int digits = 1 + static_cast<int>(random() % precision);
      for (int i = 0; i < digits; ++i) value = value * 10 + static_cast<Int128>(random() % 10);
      return random() % 2 == 0 ? value : -value;
    }
  }
}

Row RandomDecimalRow(std::mt19937_64& random) {
  static const std::vector<std::string> texts = {"1.005", "-0.5", "abc", "", "99999999999999999999.5", "1e3",
                                                 " 12.345 ", "0.0000000001", "-"};
  static const std::vector<double> doubles = {0.1, -2.5, 1e20, 123.456, -0.0, 1e-12, std::nan("")};
  std::vector<DataType> types = DecimalInputTypes();
  RowBuilder builder(static_cast<uint32_t>(types.size()));
  for (uint32_t i = 0; i < types.size(); ++i) {
    const DataType& type = types[i];
    if (random() % 10 == 0) {
      builder.SetNull(i);
    } else if (type.id == TypeId::kDecimal) {
      builder.SetValue(i, type, Value::Decimal(RandomUnscaled(random, type.precision), type.scale));
    } else if (type.id == TypeId::kInt) {
      builder.SetValue(i, type, Value::Int(static_cast<int64_t>(random() % 200) - 100));
    } else if (type.id == TypeId::kDouble) {
      builder.SetValue(i, type, Value::Double(doubles[random() % doubles.size()]));
    } else {
      builder.SetValue(i, type, Value::String(texts[random() % texts.size()]));
    }
  }
  return builder.Finish(RowKind::kInsert);
}

/// Expressions over DecimalInputTypes() shaped as the binder builds them.
std::vector<ExprPtr> DecimalExpressions() {
  std::vector<DataType> types = DecimalInputTypes();
  auto column = [&](int index) { return Expr::InputRef(index, types[static_cast<size_t>(index)]); };
  std::vector<ExprPtr> out;
  const std::vector<std::pair<int, int>> pairs = {{0, 0}, {0, 1}, {1, 0}, {0, 2}, {2, 2}, {3, 1}, {4, 4}, {2, 0}};
  for (auto [a, b] : pairs) {
    const DataType& x = types[static_cast<size_t>(a)];
    const DataType& y = types[static_cast<size_t>(b)];
    out.push_back(Expr::Call("+", {column(a), column(b)}, DecimalAdditionType(x.precision, x.scale, y.precision, y.scale)));
    out.push_back(Expr::Call("-", {column(a), column(b)}, DecimalAdditionType(x.precision, x.scale, y.precision, y.scale)));
    out.push_back(
        Expr::Call("*", {column(a), column(b)}, DecimalMultiplicationType(x.precision, x.scale, y.precision, y.scale)));
    out.push_back(Expr::Call("/", {column(a), column(b)}, DecimalDivisionType(x.precision, x.scale, y.precision, y.scale)));
    out.push_back(Expr::Call("%", {column(a), column(b)}, DecimalModuloType(x.precision, x.scale, y.precision, y.scale)));
    DataType common = CommonType(x, y);
    for (const char* op : {"=", "<", ">="}) {
      out.push_back(Expr::Call(op, {Expr::Cast(column(a), common, false), Expr::Cast(column(b), common, false)},
                               kBoolean));
    }
  }

  // An INT operand becomes DECIMAL(10, 0), as the binder casts it.
  DataType int_decimal = DecimalOfExactType(kInt);
  out.push_back(Expr::Call("*", {column(0), Expr::Cast(column(5), int_decimal, false)},
                           DecimalMultiplicationType(10, 2, 10, 0)));
  out.push_back(Expr::Call("IN", {column(0), column(1), column(3), column(5)}, kBoolean));
  out.push_back(Expr::Call("<", {column(2), column(6)}, kBoolean));

  for (int i : {0, 1, 2}) {
    out.push_back(Expr::Call("NEGATE", {column(i)}, types[static_cast<size_t>(i)]));
    out.push_back(Expr::Call("ABS", {column(i)}, types[static_cast<size_t>(i)]));
    for (const DataType& to : {DecimalOfExactType(kBigInt), types[0], types[2], kInt, kBigInt, kDouble, kString,
                               kBoolean}) {
      out.push_back(Expr::Cast(column(i), to, false));
    }
  }
  for (int from : {5, 6, 7}) {
    for (int to : {0, 2, 3}) {
      out.push_back(Expr::Cast(column(from), types[static_cast<size_t>(to)], false));
      out.push_back(Expr::Cast(column(from), types[static_cast<size_t>(to)], true));
    }
  }
  out.push_back(Expr::Call("CASE", {Expr::Call("IS NULL", {column(1)}, kBoolean), Expr::Cast(column(0), types[1], false),
                                    column(1)},
                           types[1]));
  return out;
}

TEST(CodegenTest, DecimalExpressionsMatchInterpreter) {
  std::mt19937_64 random(7);
  std::vector<Row> rows;
  for (int i = 0; i < 300; ++i) rows.push_back(RandomDecimalRow(random));
  for (const ExprPtr& expr : DecimalExpressions()) {
    auto compiled = CompileCalc(nullptr, {expr});
    ASSERT_TRUE(compiled.ok()) << expr->ToString() << ": " << compiled.error();
    for (const Row& row : rows) {
      Outcome expected = Interpret(*expr, row.view(), EvalContext{});
      Outcome actual = RunCompiled(*compiled.value(), row.view(), EvalContext{});
      if (!SameOutcome(expected, actual)) {
        ADD_FAILURE() << expr->ToString() << "\n  row: " << RowToString(row.view(), DecimalInputTypes())
                      << "\n  interpreter: " << Describe(expected, expr->type)
                      << "\n  compiled:    " << Describe(actual, expr->type);
        break;
      }
    }
  }
}

TEST(CodegenTest, FieldOfNullRowIsNull) {
  ExprPtr field = Expr::FieldAccess(Column(kNestedColumn), 1, kString);
  auto compiled = CompileCalc(nullptr, {field});
  ASSERT_TRUE(compiled.ok()) << compiled.error();
  Row row = RowOf({});
  Outcome outcome = RunCompiled(*compiled.value(), row.view(), EvalContext{});
  ASSERT_FALSE(outcome.threw) << outcome.error;
  EXPECT_TRUE(outcome.value.is_null());
}

TEST(CodegenTest, ConcurrentCompileAndRunAgree) {
  // Threads compile their own expressions while all of them also run one
  // shared Calc, as job threads do with a cached Calc.
  ExprPtr shared_expr = Expr::Call("*", {Column(2), Column(3)}, kBigInt);
  auto shared = CompileCalc(nullptr, {shared_expr});
  ASSERT_TRUE(shared.ok()) << shared.error();

  constexpr int kThreads = 4;
  std::atomic<int> compile_failures{0};
  std::atomic<int> mismatches{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      RandomData data(1000 + t);
      ExprGenerator generator(data);
      for (int i = 0; i < 40; ++i) {
        ExprPtr expr = generator.Make(data.Pick(kAllKinds), 3);
        auto compiled = CompileCalc(nullptr, {expr});
        if (!compiled.ok()) {
          ++compile_failures;
          continue;
        }

        for (int r = 0; r < 8; ++r) {
          Row row = data.MakeRow(InputTypes());
          EvalContext context{data.Timestamp()};
          if (!SameOutcome(Interpret(*expr, row.view(), context), RunCompiled(*compiled.value(), row.view(), context))) {
            ++mismatches;
          }
          if (!SameOutcome(Interpret(*shared_expr, row.view(), context),
                           RunCompiled(*shared.value(), row.view(), context))) {
            ++mismatches;
          }
        }
      }
    });
  }
  for (std::thread& thread : threads) thread.join();

  EXPECT_EQ(compile_failures.load(), 0);
  EXPECT_EQ(mismatches.load(), 0);
}

TEST(CompileCacheTest, SecondRequestHits) {
  auto make = [] {
    return Expr::Call("+", {Column(2), Expr::Literal(Value::Int(918'273'645), kBigInt)}, kBigInt);
  };
  CompileCacheStats before = GetCompileCacheStats();
  auto first = CompileCalcCached(nullptr, {make()});
  auto second = CompileCalcCached(nullptr, {make()});
  CompileCacheStats after = GetCompileCacheStats();
  ASSERT_NE(first, nullptr);
  EXPECT_EQ(first.get(), second.get());
  EXPECT_EQ(after.misses - before.misses, 1);
  EXPECT_EQ(after.hits - before.hits, 1);
}

TEST(CompileCacheTest, CodeNoOperatorHoldsIsFreed) {
  auto make = [] {
    return Expr::Call("*", {Column(2), Expr::Literal(Value::Int(5'551'212), kBigInt)}, kBigInt);
  };
  SetCompileCacheRetention(0);
  CompileCacheStats before = GetCompileCacheStats();
  auto first = CompileCalcCached(nullptr, {make()});
  ASSERT_NE(first, nullptr);
  std::weak_ptr<const CompiledCalc> watch = first;
  EXPECT_EQ(GetCompileCacheStats().live - before.live, 1);
  first.reset();
  EXPECT_TRUE(watch.expired()) << "the cache kept code that no operator holds";
  EXPECT_EQ(GetCompileCacheStats().live, before.live);
  auto again = CompileCalcCached(nullptr, {make()});
  ASSERT_NE(again, nullptr);
  EXPECT_EQ(GetCompileCacheStats().misses - before.misses, 2);
  SetCompileCacheRetention(64);
}

TEST(CompileCacheTest, RecentCodeSurvivesAReload) {
  auto make = [] {
    return Expr::Call("-", {Column(2), Expr::Literal(Value::Int(7'770'777), kBigInt)}, kBigInt);
  };
  CompileCacheStats before = GetCompileCacheStats();
  std::weak_ptr<const CompiledCalc> watch = CompileCalcCached(nullptr, {make()});
  // No operator references the code now, as between stopping a rule and starting it again.
  EXPECT_FALSE(watch.expired());
  auto reloaded = CompileCalcCached(nullptr, {make()});
  EXPECT_EQ(reloaded.get(), watch.lock().get());
  EXPECT_EQ(GetCompileCacheStats().misses - before.misses, 1);
}

TEST(CompileCacheTest, FailureIsCachedToo) {
  ExprPtr udf = Expr::Call("ANOTHER_UDF", {Column(6)}, kString);
  CompileCacheStats before = GetCompileCacheStats();
  EXPECT_EQ(CompileCalcCached(nullptr, {udf}), nullptr);
  EXPECT_EQ(CompileCalcCached(nullptr, {udf}), nullptr);
  CompileCacheStats after = GetCompileCacheStats();
  EXPECT_EQ(after.failures - before.failures, 1);
  EXPECT_EQ(after.hits - before.hits, 1);
}

TEST(CompileCacheTest, FingerprintIncludesTypes) {
  ExprPtr as_bigint = Expr::InputRef(2, kBigInt);
  ExprPtr as_double = Expr::InputRef(2, kDouble);
  ASSERT_EQ(as_bigint->ToString(), as_double->ToString());
  EXPECT_NE(CalcFingerprint(nullptr, {as_bigint}), CalcFingerprint(nullptr, {as_double}));
  EXPECT_NE(CalcFingerprint(nullptr, {Expr::Literal(Value::Double(0.0), kDouble)}),
            CalcFingerprint(nullptr, {Expr::Literal(Value::Double(-0.0), kDouble)}));
}

TEST(CodegenModeTest, ParsesSettingValues) {
  EXPECT_EQ(ParseCodegenMode("auto"), CalcOperator::CodegenMode::kAuto);
  EXPECT_EQ(ParseCodegenMode("JIT"), CalcOperator::CodegenMode::kJit);
  EXPECT_EQ(ParseCodegenMode("interpret"), CalcOperator::CodegenMode::kInterpret);
  EXPECT_EQ(ParseCodegenMode("fast"), std::nullopt);
}

// ---------------------------------------------------------------------------
// CalcOperator and the planner

/// A filter and projections covering strings, nested fields, arithmetic and CASE.
struct SampleCalc {
  ExprPtr filter = Expr::Call(
      "OR",
      {Expr::Call(">", {Column(2), Expr::Literal(Value::Int(0), kBigInt)}, kBoolean),
       Expr::Call("IN", {Column(6), Expr::Literal(Value::String("abc"), kString), Expr::Literal(Value::String(""), kString)},
                  kBoolean)},
      kBoolean);
  std::vector<ExprPtr> projections = {
      Column(6),
      Expr::Call("*", {Column(2), Expr::Literal(Value::Int(3), kBigInt)}, kBigInt),
      Expr::FieldAccess(Column(kNestedColumn), 1, kString),
      Expr::Call("CASE", {Expr::Call("IS NULL", {Column(4)}, kBoolean), Expr::Literal(Value::Double(-1), kDouble), Column(4)},
                 kDouble),
      Expr::Call("UPPER", {Column(7)}, kString),
  };
};

std::vector<Row> SampleRows(uint64_t seed, int count) {
  RandomData data(seed);
  std::vector<Row> rows;
  for (int i = 0; i < count; ++i) rows.push_back(data.MakeRow(InputTypes()));
  return rows;
}

/// Expects byte-identical rows. NaN bits could differ if a projection computed
/// a NaN, but these projections only copy doubles.
void ExpectSameRows(const std::vector<Row>& expected, const std::vector<Row>& actual) {
  ASSERT_EQ(expected.size(), actual.size());
  for (size_t i = 0; i < expected.size(); ++i) EXPECT_EQ(expected[i].bytes(), actual[i].bytes()) << "row " << i;
}

TEST(CalcCodegenTest, JitModeMatchesInterpretMode) {
  SampleCalc sample;
  CalcOperator interpreted(sample.filter, sample.projections, CalcOperator::CodegenMode::kInterpret,
                           CachedCalcCompiler());
  CalcOperator compiled(sample.filter, sample.projections, CalcOperator::CodegenMode::kJit, CachedCalcCompiler());
  EXPECT_FALSE(interpreted.uses_compiled_code());
  EXPECT_TRUE(compiled.uses_compiled_code());
  CollectSinkOperator interpreted_sink, compiled_sink;
  interpreted.Connect(&interpreted_sink, 0);
  compiled.Connect(&compiled_sink, 0);
  for (int batch = 0; batch < 5; ++batch) {
    std::vector<Row> rows = SampleRows(100 + batch, 64);
    std::vector<Row> copy = rows;
    interpreted.ProcessBatch(0, rows);
    compiled.ProcessBatch(0, copy);
  }
  EXPECT_FALSE(interpreted_sink.rows().empty());
  ExpectSameRows(interpreted_sink.rows(), compiled_sink.rows());
}

TEST(CalcCodegenTest, AutoModeSwitchesAtBatchBoundary) {
  SampleCalc sample;
  // A distinct literal keeps the compile cache from returning a compiled Calc
  // at once, so the first batches really run on the interpreter.
  sample.projections.push_back(Expr::Literal(Value::Int(5'551'212), kBigInt));
  CalcOperator reference(sample.filter, sample.projections);
  CalcOperator tiered(sample.filter, sample.projections, CalcOperator::CodegenMode::kAuto, CachedCalcCompiler());
  CollectSinkOperator reference_sink, tiered_sink;
  reference.Connect(&reference_sink, 0);
  tiered.Connect(&tiered_sink, 0);

  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  int batches = 0;
  while (!tiered.uses_compiled_code() && std::chrono::steady_clock::now() < deadline) {
    std::vector<Row> rows = SampleRows(200 + batches, 16);
    std::vector<Row> copy = rows;
    reference.ProcessBatch(0, rows);
    tiered.ProcessBatch(0, copy);
    ++batches;
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  ASSERT_TRUE(tiered.uses_compiled_code()) << "no switch after " << batches << " batches";
  std::vector<Row> rows = SampleRows(999, 64);
  std::vector<Row> copy = rows;
  reference.ProcessBatch(0, rows);
  tiered.ProcessBatch(0, copy);
  ExpectSameRows(reference_sink.rows(), tiered_sink.rows());
}

TEST(CalcCodegenTest, UnsupportedCalcStaysOnInterpreter) {
  SampleCalc sample;
  // Formatting a ROW as a string does not compile.
  sample.projections.push_back(Expr::Cast(Column(kNestedColumn), kString, false));
  std::vector<DataType> types;
  for (const ExprPtr& projection : sample.projections) types.push_back(projection->type);
  CalcOperator reference(sample.filter, sample.projections);
  CalcOperator fallback(sample.filter, sample.projections, CalcOperator::CodegenMode::kJit, CachedCalcCompiler());
  EXPECT_FALSE(fallback.uses_compiled_code());
  CollectSinkOperator reference_sink, fallback_sink;
  reference.Connect(&reference_sink, 0);
  fallback.Connect(&fallback_sink, 0);
  std::vector<Row> rows = SampleRows(300, 64);
  std::vector<Row> copy = rows;
  reference.ProcessBatch(0, rows);
  fallback.ProcessBatch(0, copy);
  ExpectSameRows(reference_sink.rows(), fallback_sink.rows());
}

TEST(CalcCodegenTest, RuntimeErrorMatchesInterpreter) {
  std::vector<ExprPtr> projections = {Expr::Cast(Column(6), kBigInt, false)};
  CalcOperator interpreted(nullptr, projections);
  CalcOperator compiled(nullptr, projections, CalcOperator::CodegenMode::kJit, CachedCalcCompiler());
  ASSERT_TRUE(compiled.uses_compiled_code());
  std::vector<Row> rows = {RowOf({Value::Null(), Value::Null(), Value::Null(), Value::Null(), Value::Null(),
                                  Value::Null(), Value::String("12abc")})};
  std::vector<Row> copy = rows;
  std::string expected, actual;
  try {
    interpreted.ProcessBatch(0, rows);
  } catch (const Error& error) {
    expected = error.what();
  }
  try {
    compiled.ProcessBatch(0, copy);
  } catch (const Error& error) {
    actual = error.what();
  }
  EXPECT_EQ(expected, "CAST of '12abc' from STRING to BIGINT failed: not an integer");
  EXPECT_EQ(actual, expected);
}

/// Plans `script`, runs `records` (JSON values of table t) through it and
/// returns the sink rows as text. Sets `all_compiled` to whether every Calc
/// ran on compiled code.
std::vector<std::string> RunScript(const std::string& script, const std::vector<std::string>& records,
                                   bool* all_compiled) {
  Catalog catalog;
  SessionConfig config;
  ScriptPlanner planner(catalog, config);
  std::vector<RulePlan> rules = planner.PlanScript(script, "codegen_test.fsql");
  EXPECT_EQ(rules.size(), 1u);
  Pipeline pipeline = BuildPipeline(rules.at(0));
  auto* sink = pipeline.Add<CollectSinkOperator>();
  pipeline.output->Connect(sink, 0);

  *all_compiled = true;
  for (const auto& op : pipeline.operators) {
    if (auto* calc = dynamic_cast<CalcOperator*>(op.get())) *all_compiled = *all_compiled && calc->uses_compiled_code();
  }
  const TableDefinition& table = *pipeline.sources.at(0).table;
  JsonRowDecoder decoder(table);
  int64_t offset = 0;
  for (const std::string& record : records) {
    std::optional<std::string> key;
    std::optional<std::string> value = record;
    std::vector<Row> rows;
    decoder.Decode(RecordRef{&table.name, 0, offset++, 1000 * offset, &key, &value}, rows);
    pipeline.SetProcessingTime(1'700'000'000'000);
    pipeline.sources.at(0).entry->ProcessBatch(0, rows);
  }
  std::vector<DataType> types;
  for (const auto& column : rules[0].sink->columns) {
    if (column.kind == ColumnKind::kPhysical) types.push_back(column.type);
  }
  std::vector<std::string> out;
  for (const Row& row : sink->rows()) out.push_back(RowToString(row.view(), types));
  return out;
}

const char* kScript = R"sql(
SET 'table.exec.codegen.mode' = '{}';
CREATE TABLE t (id BIGINT, amount DOUBLE, name STRING, ts_ms BIGINT, info ROW<`a` BIGINT, `b` STRING>);
CREATE TABLE o (id BIGINT, big BOOLEAN, label STRING, ts TIMESTAMP_LTZ(3), a BIGINT, b STRING, half DOUBLE,
                age INT);
INSERT INTO o SELECT
  id,
  amount > 100,
  CASE WHEN name LIKE 'a%' THEN UPPER(name) ELSE COALESCE(name, 'none') END,
  TO_TIMESTAMP_LTZ(ts_ms, 3),
  info.a,
  info.b || '!',
  amount / 2,
  TIMESTAMPDIFF(SECOND, TO_TIMESTAMP_LTZ(ts_ms, 3), CURRENT_TIMESTAMP)
FROM t
WHERE id % 2 = 0 OR name IN ('x', 'y') OR amount BETWEEN 1 AND 2;
)sql";

const std::vector<std::string> kRecords = {
    R"({"id":2,"amount":150.5,"name":"abc","ts_ms":1699999999000,"info":{"a":7,"b":"q"}})",
    R"({"id":3,"amount":1.5,"name":"x","ts_ms":0,"info":null})",
    R"({"id":5,"amount":null,"name":"zz","ts_ms":null,"info":{"a":null,"b":null}})",
    R"({"id":4,"amount":-3,"name":null,"ts_ms":-1,"info":{"a":-9223372036854775808,"b":"Łukasz"}})",
    R"({"id":null,"amount":1,"name":"y","ts_ms":1,"info":{"a":1,"b":""}})",
};

TEST(PlannerCodegenTest, SettingReachesCalcOperator) {
  bool interpreted_compiled = true;
  bool jit_compiled = false;
  std::vector<std::string> interpreted = RunScript(fmt::format(fmt::runtime(kScript), "interpret"), kRecords, &interpreted_compiled);
  std::vector<std::string> jit = RunScript(fmt::format(fmt::runtime(kScript), "jit"), kRecords, &jit_compiled);
  EXPECT_FALSE(interpreted_compiled);
  EXPECT_TRUE(jit_compiled);
  EXPECT_EQ(interpreted.size(), 4u);
  EXPECT_EQ(jit, interpreted);
}

TEST(PlannerCodegenTest, InvalidModeIsRejected) {
  bool all_compiled = false;
  try {
    RunScript(fmt::format(fmt::runtime(kScript), "fast"), {}, &all_compiled);
    FAIL() << "expected a SqlError";
  } catch (const SqlError& error) {
    EXPECT_NE(error.message().find("invalid value 'fast' for 'table.exec.codegen.mode'"), std::string::npos)
        << error.message();
  }
}

/// Runs a LEFT join on column 0 with the condition l.v < r.v + 1 over random
/// rows with retractions, in three batches per side, and returns its output.
/// With `switch_after_first_batch`, the condition compiles only after the
/// first batch.
std::vector<std::string> RunConditionJoin(CalcOperator::CodegenMode mode, bool switch_after_first_batch,
                                          bool* used_compiled_code) {
  const DataType bigint = DataType::Of(TypeId::kBigInt);
  std::vector<DataType> side = {bigint, bigint};
  ExprPtr shifted = Expr::Call("+", {Expr::InputRef(3, bigint), Expr::Literal(Value::Int(1), bigint)}, bigint);
  ExprPtr condition = Expr::Call("<", {Expr::InputRef(1, bigint), shifted}, DataType::Of(TypeId::kBoolean));
  JoinOperator join(JoinSpec{JoinKind::kLeft, side, side, {0}, {0}, condition});
  CollectSinkOperator sink;
  join.Connect(&sink, 0);
  std::promise<void> gate;
  std::shared_future<void> released = gate.get_future().share();
  std::atomic<bool> compiled{false};
  CalcOperator::Compiler compiler = CachedCalcCompiler();
  if (switch_after_first_batch) {
    compiler = [released, &compiled](const ExprPtr& filter, const std::vector<ExprPtr>& projections)
        -> std::shared_ptr<const CalcOperator::Compiled> {
      released.wait();
      auto code = CompileCalcCached(filter, projections);
      compiled = true;
      return code;
    };
  }
  join.SetConditionCompiler(mode, compiler);

  std::mt19937_64 random(5);
  auto next = [&](int64_t low, int64_t high) { return std::uniform_int_distribution<int64_t>(low, high)(random); };
  std::vector<Row> added[2];
  for (int batch = 0; batch < 6; ++batch) {
    if (batch == 2 && switch_after_first_batch) {
      gate.set_value();
      while (!compiled) std::this_thread::yield();
    }
    int input = batch % 2;
    std::vector<Row> rows;
    for (int i = 0; i < 40; ++i) {
      if (!added[input].empty() && next(0, 3) == 0) {
        rows.push_back(added[input][static_cast<size_t>(next(0, static_cast<int64_t>(added[input].size()) - 1))]
                           .WithKind(RowKind::kDelete));
        continue;
      }
      RowBuilder builder(2);
      builder.SetInt(0, next(0, 4));
      if (next(0, 5) == 0) {
        builder.SetNull(1);
      } else {
        builder.SetInt(1, next(-10, 10));
      }
      added[input].push_back(builder.Finish(RowKind::kInsert));
      rows.push_back(added[input].back());
    }
    join.ProcessBatch(input, rows);
  }
  *used_compiled_code = join.uses_compiled_condition();
  std::vector<std::string> out;
  for (const Row& row : sink.rows()) out.push_back(RowToString(row.view(), {bigint, bigint, bigint, bigint}));
  return out;
}

TEST(JoinConditionCodegenTest, AgreesInEveryMode) {
  bool used_compiled_code = true;
  std::vector<std::string> interpreted =
      RunConditionJoin(CalcOperator::CodegenMode::kInterpret, false, &used_compiled_code);
  EXPECT_FALSE(used_compiled_code);
  ASSERT_GT(interpreted.size(), 100u);
  EXPECT_EQ(RunConditionJoin(CalcOperator::CodegenMode::kJit, false, &used_compiled_code), interpreted);
  EXPECT_TRUE(used_compiled_code);
  EXPECT_EQ(RunConditionJoin(CalcOperator::CodegenMode::kAuto, true, &used_compiled_code), interpreted);
  EXPECT_TRUE(used_compiled_code);
}

}  // namespace
}  // namespace fsql::codegen
