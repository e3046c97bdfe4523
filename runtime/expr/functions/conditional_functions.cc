// Conditional functions. The binder coerces their arguments to a common type
// first, so the implementations compare values of one physical class.
#include "runtime/expr/functions/function_util.h"

namespace fsql {

namespace {

using functions::Params;

DataType CommonArgResult(const std::vector<DataType>& args) {
  // The binder has already cast every argument to the common type.
  for (const DataType& type : args) {
    if (type.id != TypeId::kNull) return type.WithNullable(false);
  }
  return args[0].WithNullable(false);
}

Value Extreme(const std::vector<Value>& a, bool greatest) {
  Value best = a[0];
  for (size_t i = 1; i < a.size(); ++i) {
    int c = CompareValues(a[i], best);
    if (greatest ? c > 0 : c < 0) best = a[i];
  }
  return best;
}

}  // namespace

void RegisterConditionalFunctions(std::vector<ScalarFunction>& out) {
  const ParamKind any = ParamKind::kAny;
  out.push_back({"COALESCE", {}, {Signature{{any}, true}}, CommonArgResult,
                 [](const Expr&, const std::vector<Value>& a, const EvalContext&) {
                   for (const Value& v : a) {
                     if (!v.is_null()) return v;
                   }
                   return Value::Null();
                 },
                 NullPolicy::kCustom, false, false, /*special_binding=*/true});
  out.push_back({"IF", {}, {Params({ParamKind::kBoolean, any, any})}, CommonArgResult,
                 [](const Expr&, const std::vector<Value>& a, const EvalContext&) { return IsTrue(a[0]) ? a[1] : a[2]; },
                 NullPolicy::kCustom, false, false, true});
  out.push_back({"NULLIF", {}, {Params({any, any})}, CommonArgResult,
                 [](const Expr&, const std::vector<Value>& a, const EvalContext&) {
                   if (!a[0].is_null() && !a[1].is_null() && ValuesEqual(a[0], a[1])) return Value::Null();
                   return a[0];
                 },
                 NullPolicy::kCustom, false, false, true});
  // Flink returns NULL when any argument of GREATEST or LEAST is NULL.
  out.push_back({"GREATEST", {}, {Signature{{any}, true}}, CommonArgResult,
                 [](const Expr&, const std::vector<Value>& a, const EvalContext&) { return Extreme(a, true); },
                 NullPolicy::kNullInNullOut, false, false, true});
  out.push_back({"LEAST", {}, {Signature{{any}, true}}, CommonArgResult,
                 [](const Expr&, const std::vector<Value>& a, const EvalContext&) { return Extreme(a, false); },
                 NullPolicy::kNullInNullOut, false, false, true});
  for (const char* name : {"IS DISTINCT FROM", "IS NOT DISTINCT FROM"}) {
    out.push_back({name, {}, {Params({any, any})}, functions::BooleanResult,
                   [](const Expr& e, const std::vector<Value>& a, const EvalContext&) {
                     bool same = a[0].is_null() || a[1].is_null() ? a[0].is_null() == a[1].is_null()
                                                                  : ValuesEqual(a[0], a[1]);
                     return Value::Boolean(e.function == "IS DISTINCT FROM" ? !same : same);
                   },
                   NullPolicy::kCustom, false, false, true, /*internal=*/true});
  }
}

}  // namespace fsql
