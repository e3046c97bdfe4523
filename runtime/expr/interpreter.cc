#include <algorithm>
#include <cmath>
#include <ctime>
#include <functional>
#include <unordered_map>

#include <fmt/format.h>

#include "runtime/common/error.h"
#include "runtime/expr/collection_functions.h"
#include "runtime/expr/expr.h"
#include "runtime/expr/functions/function_registry.h"
#include "runtime/expr/sql_functions.h"

namespace fsql {

ExprPtr Expr::Literal(Value value, DataType type) {
  auto expr = std::make_shared<Expr>();
  expr->kind = ExprKind::kLiteral;
  expr->literal = std::move(value);
  expr->type = std::move(type);
  return expr;
}

ExprPtr Expr::InputRef(int index, DataType type) {
  auto expr = std::make_shared<Expr>();
  expr->kind = ExprKind::kInputRef;
  expr->index = index;
  expr->type = std::move(type);
  return expr;
}

ExprPtr Expr::FieldAccess(ExprPtr row, int field, DataType type) {
  auto expr = std::make_shared<Expr>();
  expr->kind = ExprKind::kFieldAccess;
  expr->index = field;
  expr->args.push_back(std::move(row));
  expr->type = std::move(type);
  return expr;
}

ExprPtr Expr::Call(std::string function, std::vector<ExprPtr> args, DataType type) {
  auto expr = std::make_shared<Expr>();
  expr->kind = ExprKind::kCall;
  expr->function = std::move(function);
  expr->definition = FindScalarFunction(expr->function);
  expr->args = std::move(args);
  expr->type = std::move(type);
  return expr;
}

ExprPtr Expr::Cast(ExprPtr input, DataType type, bool safe) {
  auto expr = std::make_shared<Expr>();
  expr->kind = ExprKind::kCast;
  expr->args.push_back(std::move(input));
  expr->type = std::move(type);
  expr->safe = safe;
  return expr;
}

std::string Expr::ToString() const {
  switch (kind) {
    case ExprKind::kLiteral:
      return type.IsString() && !literal.is_null() ? fmt::format("'{}'", literal.as_string())
                                                   : literal.ToString(type);
    case ExprKind::kInputRef:
      return fmt::format("${}", index);
    case ExprKind::kFieldAccess:
      return fmt::format("{}.${}", args[0]->ToString(), index);
    case ExprKind::kCast:
      return fmt::format("{}({} AS {})", safe ? "TRY_CAST" : "CAST", args[0]->ToString(), type.ToString());
    case ExprKind::kCall: {
      std::vector<std::string> parts;
      if (!time_unit.empty()) parts.push_back(time_unit);
      for (const auto& arg : args) parts.push_back(arg->ToString());
      return fmt::format("{}({})", function, fmt::join(parts, ", "));
    }
  }
  return "?";
}

namespace {

double AsDouble(const Value& v) {
  if (v.is_decimal()) return DecimalToDouble(v.as_decimal().unscaled, v.as_decimal().scale);
  return v.is_int() ? static_cast<double>(v.as_int()) : v.as_double();
}

int64_t WrapAdd(int64_t a, int64_t b) { return static_cast<int64_t>(static_cast<uint64_t>(a) + static_cast<uint64_t>(b)); }
int64_t WrapSub(int64_t a, int64_t b) { return static_cast<int64_t>(static_cast<uint64_t>(a) - static_cast<uint64_t>(b)); }
int64_t WrapMul(int64_t a, int64_t b) { return static_cast<int64_t>(static_cast<uint64_t>(a) * static_cast<uint64_t>(b)); }

DecimalValue AsDecimal(const Value& v) { return v.is_decimal() ? v.as_decimal() : DecimalValue{v.as_int(), 0}; }

/// DECIMAL arithmetic is exact; a result beyond the type's precision is NULL, as in Flink.
Value DecimalArithmeticValue(const std::string& op, const Value& a, const Value& b, const DataType& type) {
  DecimalValue x = AsDecimal(a);
  DecimalValue y = AsDecimal(b);
  Int128 result = 0;
  switch (DecimalArithmetic(op[0], x.unscaled, x.scale, y.unscaled, y.scale, type.precision, type.scale, &result)) {
    case DecimalStatus::kOk:
      return Value::Decimal(result, type.scale);
    case DecimalStatus::kDivisionByZero:
      throw Error(fmt::format("division by zero in {} {} {}", DecimalToString(x.unscaled, x.scale), op,
                              DecimalToString(y.unscaled, y.scale)));
    default:
      return Value::Null();
  }
}

/// Integer arithmetic wraps on overflow as Java's long does, which is what Flink does.
Value Arithmetic(const std::string& op, const Value& a, const Value& b, const DataType& type) {
  if (a.is_null() || b.is_null()) return Value::Null();
  if (type.id == TypeId::kDecimal) return DecimalArithmeticValue(op, a, b, type);
  bool integral = type.IsInteger() || type.IsTimestamp() || type.id == TypeId::kIntervalDayTime;
  if (integral && a.is_int() && b.is_int()) {
    int64_t x = a.as_int(), y = b.as_int();
    if (op == "+") return Value::Int(WrapAdd(x, y));
    if (op == "-") return Value::Int(WrapSub(x, y));
    if (op == "*") return Value::Int(WrapMul(x, y));
    if (y == 0) throw Error(fmt::format("division by zero in {} {} {}", x, op, y));
    if (op == "/") return Value::Int(x == INT64_MIN && y == -1 ? x : x / y);
    return Value::Int(x == INT64_MIN && y == -1 ? 0 : x % y);
  }
  double x = AsDouble(a), y = AsDouble(b);
  if (op == "+") return Value::Double(x + y);
  if (op == "-") return Value::Double(x - y);
  if (op == "*") return Value::Double(x * y);
  if (op == "/") return Value::Double(x / y);
  return Value::Double(std::fmod(x, y));
}

Value Compare(const std::string& op, const Value& a, const Value& b) {
  if (a.is_null() || b.is_null()) return Value::Null();
  int c = CompareValues(a, b);
  if (op == "=") return Value::Boolean(c == 0);
  if (op == "<>") return Value::Boolean(c != 0);
  if (op == "<") return Value::Boolean(c < 0);
  if (op == "<=") return Value::Boolean(c <= 0);
  if (op == ">") return Value::Boolean(c > 0);
  return Value::Boolean(c >= 0);
}

}  // namespace

namespace {

/// CAST to DECIMAL: HALF_UP rounding, and NULL when the value does not fit,
/// as Flink does for CAST and TRY_CAST alike. Only text that is not a number
/// fails.
Value CastToDecimal(const Value& v, const DataType& to, const std::function<Value(const std::string&)>& fail) {
  Int128 unscaled = 0;
  DecimalStatus status;
  if (v.is_decimal()) {
    status = DecimalRescale(v.as_decimal().unscaled, v.as_decimal().scale, to.scale, to.precision, &unscaled);
  } else if (v.is_int() || v.is_bool()) {
    status = DecimalRescale(v.is_int() ? v.as_int() : v.as_bool(), 0, to.scale, to.precision, &unscaled);
  } else if (v.is_double()) {
    status = DecimalFromDouble(v.as_double(), to.precision, to.scale, &unscaled);
    if (status == DecimalStatus::kInvalid) return Value::Null();
  } else if (v.is_string()) {
    status = DecimalParse(v.as_string(), to.precision, to.scale, &unscaled);
    if (status == DecimalStatus::kInvalid) return fail("not a number");
  } else {
    return fail("unsupported conversion");
  }
  if (status != DecimalStatus::kOk) return Value::Null();
  return Value::Decimal(unscaled, to.scale);
}

}  // namespace

/// Casts every element of a collection to the element types of `to`.
static Value CastCollection(const Value& v, const DataType& from, const DataType& to, bool safe) {
  if (v.is_array()) {
    std::vector<Value> elements;
    for (const Value& element : v.as_array().elements) {
      elements.push_back(CastValue(element, from.children.at(0), to.children.at(0), safe));
    }
    return Value::Array(std::move(elements));
  }
  const MapValues& map = v.as_map();
  std::vector<Value> keys, values;
  DataType from_values = CollectionValueType(from);
  DataType to_values = CollectionValueType(to);
  for (size_t i = 0; i < map.keys.size(); ++i) {
    keys.push_back(CastValue(map.keys[i], from.children.at(0), to.children.at(0), safe));
    values.push_back(CastValue(map.values[i], from_values, to_values, safe));
  }
  return Value::Map(std::move(keys), std::move(values));
}

Value CastValue(const Value& v, const DataType& from, const DataType& to, bool safe) {
  if (v.is_null()) return v;
  auto fail = [&](const std::string& why) -> Value {
    if (safe) return Value::Null();
    throw Error(fmt::format("CAST of '{}' from {} to {} failed: {}", v.ToString(from),
                            from.ToString(), to.ToString(), why));
  };
  if (to.IsString()) {
    if (from.IsString()) return v;
    return Value::String(v.ToString(from));
  }
  if (to.id == TypeId::kDecimal) return CastToDecimal(v, to, fail);
  if (v.is_array() || v.is_map()) {
    if (from.id == to.id && from.children.size() == to.children.size()) return CastCollection(v, from, to, safe);
    return fail("unsupported conversion");
  }
  if (to.id == TypeId::kBoolean) {
    if (v.is_bool()) return v;
    if (v.is_string()) {
      std::string s = v.as_string();
      std::transform(s.begin(), s.end(), s.begin(), ::tolower);
      if (s == "true") return Value::Boolean(true);
      if (s == "false") return Value::Boolean(false);
      return fail("not a boolean");
    }
    if (v.is_int()) return Value::Boolean(v.as_int() != 0);
    if (v.is_decimal()) return Value::Boolean(v.as_decimal().unscaled != 0);
    return fail("unsupported conversion");
  }
  if (to.IsInteger() || to.IsTimestamp() || to.id == TypeId::kDate) {
    if (from.IsTimestamp() && to.IsTimestamp()) return v;
    if (v.is_int()) return v;
    if (v.is_bool()) return Value::Int(v.as_bool());
    if (v.is_decimal() && to.IsInteger()) {
      // Truncates toward zero and keeps the low bits, as Flink's (int) of BigDecimal.longValue().
      return Value::Int(NarrowInteger(DecimalToInt64(v.as_decimal().unscaled, v.as_decimal().scale), to));
    }
    if (v.is_double()) {
      double d = v.as_double();
      if (!std::isfinite(d) || std::fabs(d) >= 9.2e18) return fail("out of range");
      return Value::Int(static_cast<int64_t>(d));
    }
    if (v.is_string() && to.IsInteger()) {
      const std::string& s = v.as_string();
      char* end = nullptr;
      errno = 0;
      long long parsed = std::strtoll(s.c_str(), &end, 10);
      if (s.empty() || *end != '\0' || errno == ERANGE) return fail("not an integer");
      return Value::Int(parsed);
    }
    return fail("unsupported conversion");
  }
  if (to.id == TypeId::kDouble || to.id == TypeId::kFloat) {
    if (v.is_double()) return v;
    if (v.is_int()) return Value::Double(static_cast<double>(v.as_int()));
    if (v.is_decimal()) return Value::Double(DecimalToDouble(v.as_decimal().unscaled, v.as_decimal().scale));
    if (v.is_string()) {
      const std::string& s = v.as_string();
      char* end = nullptr;
      double parsed = std::strtod(s.c_str(), &end);
      if (s.empty() || *end != '\0') return fail("not a number");
      return Value::Double(parsed);
    }
    return fail("unsupported conversion");
  }
  if (from.SameShape(to)) return v;
  return fail("unsupported conversion");
}


Value Evaluate(const Expr& expr, RowView row, const EvalContext& context) {
  switch (expr.kind) {
    case ExprKind::kLiteral:
      return expr.literal;
    case ExprKind::kInputRef:
      return row.GetValue(static_cast<uint32_t>(expr.index), expr.type);
    case ExprKind::kFieldAccess: {
      Value base = Evaluate(*expr.args[0], row, context);
      if (base.is_null()) return Value::Null();
      return base.as_row().at(static_cast<size_t>(expr.index));
    }
    case ExprKind::kCast:
      return CastValue(Evaluate(*expr.args[0], row, context), expr.args[0]->type, expr.type, expr.safe);
    case ExprKind::kCall:
      break;
  }

  const std::string& fn = expr.function;
  // Operators that must not evaluate every argument first.
  if (fn == "AND" || fn == "OR") {
    bool is_and = fn == "AND";
    bool saw_null = false;
    for (const auto& arg : expr.args) {
      Value v = Evaluate(*arg, row, context);
      if (v.is_null()) {
        saw_null = true;
      } else if (v.as_bool() != is_and) {
        return Value::Boolean(!is_and);
      }
    }
    return saw_null ? Value::Null() : Value::Boolean(is_and);
  }
  if (fn == "CASE") {
    size_t n = expr.args.size();
    for (size_t i = 0; i + 1 < n; i += 2) {
      if (IsTrue(Evaluate(*expr.args[i], row, context))) return Evaluate(*expr.args[i + 1], row, context);
    }
    return n % 2 == 1 ? Evaluate(*expr.args[n - 1], row, context) : Value::Null();
  }

  std::vector<Value> args;
  args.reserve(expr.args.size());
  for (const auto& arg : expr.args) args.push_back(Evaluate(*arg, row, context));

  if (fn == "+" || fn == "-" || fn == "*" || fn == "/" || fn == "%") {
    return Arithmetic(fn, args[0], args[1], expr.type);
  }
  if (fn == "=" || fn == "<>" || fn == "<" || fn == "<=" || fn == ">" || fn == ">=") {
    return Compare(fn, args[0], args[1]);
  }
  if (fn == "NEGATE") {
    if (args[0].is_null()) return args[0];
    // Negating a DECIMAL cannot overflow, because its range is symmetric.
    if (args[0].is_decimal()) return Value::Decimal(-args[0].as_decimal().unscaled, args[0].as_decimal().scale);
    return args[0].is_int() ? Value::Int(WrapSub(0, args[0].as_int())) : Value::Double(-args[0].as_double());
  }
  if (fn == "NOT") return args[0].is_null() ? args[0] : Value::Boolean(!args[0].as_bool());
  if (fn == "IS NULL") return Value::Boolean(args[0].is_null());
  if (fn == "IS NOT NULL") return Value::Boolean(!args[0].is_null());
  if (fn == "IS TRUE") return Value::Boolean(IsTrue(args[0]));
  if (fn == "IS NOT TRUE") return Value::Boolean(!IsTrue(args[0]));
  if (fn == "IS FALSE") return Value::Boolean(!args[0].is_null() && !args[0].as_bool());
  if (fn == "IS NOT FALSE") return Value::Boolean(args[0].is_null() || args[0].as_bool());
  if (fn == "IN" || fn == "NOT IN") {
    if (args[0].is_null()) return Value::Null();
    bool saw_null = false;
    for (size_t i = 1; i < args.size(); ++i) {
      if (args[i].is_null()) {
        saw_null = true;
      } else if (ValuesEqual(args[0], args[i])) {
        return Value::Boolean(fn == "IN");
      }
    }
    return saw_null ? Value::Null() : Value::Boolean(fn != "IN");
  }
  if (fn == "LIKE" || fn == "NOT LIKE") {
    if (args[0].is_null() || args[1].is_null()) return Value::Null();
    char escape = args.size() > 2 && !args[2].is_null() && !args[2].as_string().empty() ? args[2].as_string()[0] : 0;
    bool match = LikeMatch(args[0].as_string(), args[1].as_string(), escape);
    return Value::Boolean(fn == "LIKE" ? match : !match);
  }
  if (fn == "||") {
    if (args[0].is_null() || args[1].is_null()) return Value::Null();
    return Value::String(args[0].as_string() + args[1].as_string());
  }
  if (IsCollectionFunction(fn)) return EvaluateCollectionFunction(expr, args);
  return InvokeScalarFunction(expr, args, context);
}

}  // namespace fsql
