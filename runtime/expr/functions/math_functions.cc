// Numeric functions: MOD, POWER, ROUND, TRUNCATE, ABS, SIGN, FLOOR, CEIL,
// SQRT, EXP and the logarithms.
#include <charconv>
#include <cmath>
#include <cstdlib>

#include <fmt/format.h>

#include "runtime/common/error.h"
#include "runtime/expr/functions/function_util.h"

namespace fsql {

namespace {

using functions::AsDouble;
using functions::Params;

int64_t WrapNegate(int64_t v) { return static_cast<int64_t>(0 - static_cast<uint64_t>(v)); }

/// Rounds (or truncates) the shortest decimal text of `x` at `digits` places
/// after the point, half away from zero. Flink rounds a DOUBLE through
/// BigDecimal.valueOf, which starts from that same shortest text, so
/// ROUND(1.005, 2) is 1.01 and not the binary neighbour 1.0.
double RoundDecimal(double x, int64_t digits, bool truncate) {
  if (!std::isfinite(x)) return x;
  char buffer[400];
  auto [end, error] = std::to_chars(buffer, buffer + sizeof(buffer), std::fabs(x), std::chars_format::fixed);
  if (error != std::errc()) return x;
  std::string text(buffer, end);
  size_t point = text.find('.');
  std::string integral = point == std::string::npos ? text : text.substr(0, point);
  std::string fraction = point == std::string::npos ? "" : text.substr(point + 1);
  std::string all = integral + fraction;  // digits, with the point after integral.size()
  int64_t keep = static_cast<int64_t>(integral.size()) + digits;  // digits kept from the left
  if (keep >= static_cast<int64_t>(all.size())) return x;
  if (keep < 0) return 0.0;
  bool round_up = !truncate && all[static_cast<size_t>(keep)] >= '5';
  std::string kept = all.substr(0, static_cast<size_t>(keep));
  if (round_up) {
    int64_t i = keep - 1;
    while (i >= 0 && kept[static_cast<size_t>(i)] == '9') kept[static_cast<size_t>(i--)] = '0';
    if (i >= 0) {
      ++kept[static_cast<size_t>(i)];
    } else {
      kept.insert(kept.begin(), '1');
      ++keep;
      integral.insert(integral.begin(), '0');
    }
  }
  // Scale back: the kept digits are followed by (integral.size() - keep) zeros before the point.
  std::string rebuilt = kept.empty() ? "0" : kept;
  int64_t exponent = static_cast<int64_t>(integral.size()) - keep;
  rebuilt += fmt::format("e{}", exponent);
  double magnitude = std::strtod(rebuilt.c_str(), nullptr);
  return x < 0 ? -magnitude : magnitude;
}

/// Rounds or truncates an integer at `digits` places (only negative places change it).
int64_t RoundInteger(int64_t x, int64_t digits, bool truncate) {
  if (digits >= 0) return x;
  if (digits < -18) return 0;
  int64_t scale = 1;
  for (int64_t i = 0; i < -digits; ++i) scale *= 10;
  int64_t remainder = x % scale;
  int64_t base = x - remainder;
  if (!truncate && std::llabs(remainder) * 2 >= scale) base += x < 0 ? -scale : scale;
  return base;
}

enum class DecimalRounding { kHalfUp, kTruncate, kFloor, kCeil };

/// Rounds an exact DECIMAL at `digits` places after the point and keeps its
/// scale, so the digits dropped become zeros.
Value RoundExact(const DecimalValue& d, int64_t digits, DecimalRounding mode) {
  if (digits >= d.scale) return Value::Decimal(d.unscaled, d.scale);
  int64_t dropped = d.scale - digits;
  if (dropped > 38) return Value::Decimal(0, d.scale);
  Int128 factor = DecimalPow10(static_cast<int>(dropped));
  Int128 remainder = d.unscaled % factor;  // carries the dividend's sign
  Int128 base = d.unscaled - remainder;
  switch (mode) {
    case DecimalRounding::kHalfUp:
      if ((remainder < 0 ? -remainder : remainder) * 2 >= factor) base += d.unscaled < 0 ? -factor : factor;
      break;
    case DecimalRounding::kTruncate: break;
    case DecimalRounding::kFloor:
      if (remainder < 0) base -= factor;
      break;
    case DecimalRounding::kCeil:
      if (remainder > 0) base += factor;
      break;
  }
  return Value::Decimal(base, d.scale);
}

Value Round(const Expr& call, const std::vector<Value>& a, bool truncate) {
  int64_t digits = a.size() > 1 ? a[1].as_int() : 0;
  if (a[0].is_int()) return Value::Int(RoundInteger(a[0].as_int(), digits, truncate));
  if (a[0].is_decimal()) {
    return RoundExact(a[0].as_decimal(), digits, truncate ? DecimalRounding::kTruncate : DecimalRounding::kHalfUp);
  }
  return Value::Double(RoundDecimal(a[0].as_double(), digits, truncate));
}

DataType ModResult(const std::vector<DataType>& args) {
  if (args[0].IsInteger() && args[1].IsInteger()) return args[1].WithNullable(false);
  if (args[0].id == TypeId::kNull && args[1].IsInteger()) return args[1].WithNullable(false);
  return DataType::Of(TypeId::kDouble, false);
}

Value Mod(const Expr& call, const std::vector<Value>& a, const EvalContext&) {
  if (a[0].is_int() && a[1].is_int()) {
    int64_t x = a[0].as_int(), y = a[1].as_int();
    if (y == 0) throw Error(fmt::format("division by zero in MOD({}, {})", x, y));
    return Value::Int(y == -1 ? 0 : x % y);
  }
  return Value::Double(std::fmod(AsDouble(a[0]), AsDouble(a[1])));
}

/// LOG(x) is the natural logarithm. LOG(base, x) divides natural logarithms,
/// as Flink does, so a base of 1 or less gives infinity, NaN or a negative value.
Value Log(const Expr&, const std::vector<Value>& a, const EvalContext&) {
  if (a.size() == 1) return Value::Double(std::log(AsDouble(a[0])));
  return Value::Double(std::log(AsDouble(a[1])) / std::log(AsDouble(a[0])));
}

}  // namespace

void RegisterMathFunctions(std::vector<ScalarFunction>& out) {
  const ParamKind num = ParamKind::kNumeric;
  const ParamKind integer = ParamKind::kInteger;

  out.push_back({"ABS", {}, {Params({num})}, functions::FirstArgResult,
                 [](const Expr&, const std::vector<Value>& a, const EvalContext&) {
                   // ABS of the smallest BIGINT wraps to itself, as Java's Math.abs does.
                   if (a[0].is_int()) return Value::Int(a[0].as_int() < 0 ? WrapNegate(a[0].as_int()) : a[0].as_int());
                   if (a[0].is_decimal()) {
                     const DecimalValue& d = a[0].as_decimal();
                     return Value::Decimal(d.unscaled < 0 ? -d.unscaled : d.unscaled, d.scale);
                   }
                   return Value::Double(std::fabs(a[0].as_double()));
                 }});
  out.push_back({"MOD", {}, {Params({num, num})}, ModResult, Mod});
  out.push_back({"POWER", {}, {Params({num, num})}, functions::DoubleResult,
                 [](const Expr&, const std::vector<Value>& a, const EvalContext&) {
                   return Value::Double(std::pow(AsDouble(a[0]), AsDouble(a[1])));
                 }});
  out.push_back({"ROUND", {}, {Params({num}), Params({num, integer})}, functions::FirstArgResult,
                 [](const Expr& e, const std::vector<Value>& a, const EvalContext&) { return Round(e, a, false); }});
  out.push_back({"TRUNCATE", {}, {Params({num}), Params({num, integer})}, functions::FirstArgResult,
                 [](const Expr& e, const std::vector<Value>& a, const EvalContext&) { return Round(e, a, true); }});
  out.push_back({"SIGN", {}, {Params({num})}, functions::FirstArgResult,
                 [](const Expr&, const std::vector<Value>& a, const EvalContext&) {
                   if (a[0].is_int()) return Value::Int((a[0].as_int() > 0) - (a[0].as_int() < 0));
                   if (a[0].is_decimal()) {
                     const DecimalValue& d = a[0].as_decimal();
                     Int128 one = DecimalPow10(d.scale);
                     return Value::Decimal(d.unscaled > 0 ? one : d.unscaled < 0 ? -one : 0, d.scale);
                   }
                   double d = a[0].as_double();
                   return Value::Double(d > 0 ? 1.0 : d < 0 ? -1.0 : d);
                 }});
  // FLOOR(ts TO unit) and CEIL(ts TO unit) share these names; the binder sends
  // calls with a time unit to the temporal implementations.
  out.push_back({"FLOOR", {}, {Params({num})}, functions::FirstArgResult,
                 [](const Expr&, const std::vector<Value>& a, const EvalContext&) {
                   if (a[0].is_decimal()) return RoundExact(a[0].as_decimal(), 0, DecimalRounding::kFloor);
                   return a[0].is_int() ? a[0] : Value::Double(std::floor(a[0].as_double()));
                 }});
  out.push_back({"CEIL", {"CEILING"}, {Params({num})}, functions::FirstArgResult,
                 [](const Expr&, const std::vector<Value>& a, const EvalContext&) {
                   if (a[0].is_decimal()) return RoundExact(a[0].as_decimal(), 0, DecimalRounding::kCeil);
                   return a[0].is_int() ? a[0] : Value::Double(std::ceil(a[0].as_double()));
                 }});
  auto unary = [&](const char* name, ScalarImpl impl) {
    out.push_back({name, {}, {Params({num})}, functions::DoubleResult, impl});
  };
  unary("SQRT", [](const Expr&, const std::vector<Value>& a, const EvalContext&) {
    return Value::Double(std::sqrt(AsDouble(a[0])));
  });
  unary("EXP", [](const Expr&, const std::vector<Value>& a, const EvalContext&) {
    return Value::Double(std::exp(AsDouble(a[0])));
  });
  unary("LN", [](const Expr&, const std::vector<Value>& a, const EvalContext&) {
    return Value::Double(std::log(AsDouble(a[0])));
  });
  unary("LOG10", [](const Expr&, const std::vector<Value>& a, const EvalContext&) {
    return Value::Double(std::log10(AsDouble(a[0])));
  });
  unary("LOG2", [](const Expr&, const std::vector<Value>& a, const EvalContext&) {
    // Flink divides natural logarithms here too, which can differ from log2 in the last bit.
    return Value::Double(std::log(AsDouble(a[0])) / std::log(2.0));
  });
  out.push_back({"LOG", {}, {Params({num}), Params({num, num})}, functions::DoubleResult, Log});
}

}  // namespace fsql
