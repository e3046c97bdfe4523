#include "runtime/expr/functions/function_registry.h"

#include <algorithm>
#include <unordered_map>

#include <fmt/format.h>

#include "runtime/common/error.h"

namespace fsql {

namespace {

struct Registry {
  std::vector<ScalarFunction> functions;
  std::unordered_map<std::string, const ScalarFunction*> by_name;
  std::vector<std::string> names;
};

const Registry& GetRegistry() {
  static const Registry* registry = [] {
    auto* out = new Registry;
    RegisterMathFunctions(out->functions);
    RegisterStringFunctions(out->functions);
    RegisterRegexFunctions(out->functions);
    RegisterTemporalFunctions(out->functions);
    RegisterConditionalFunctions(out->functions);
    RegisterJsonFunctions(out->functions);
    RegisterHashFunctions(out->functions);
    for (const ScalarFunction& function : out->functions) {
      FSQL_CHECK(function.impl != nullptr && function.result_type != nullptr, "function {} is incomplete",
                 function.name);
      out->by_name.emplace(function.name, &function);
      for (const std::string& alias : function.aliases) out->by_name.emplace(alias, &function);
    }
    for (const auto& [name, function] : out->by_name) {
      if (!function->internal) out->names.push_back(name);
    }
    std::sort(out->names.begin(), out->names.end());
    return out;
  }();
  return *registry;
}

}  // namespace

std::string ParamKindName(ParamKind kind) {
  switch (kind) {
    case ParamKind::kAny: return "ANY";
    case ParamKind::kNumeric: return "NUMERIC";
    case ParamKind::kInteger: return "INTEGER";
    case ParamKind::kString: return "STRING";
    case ParamKind::kBoolean: return "BOOLEAN";
    case ParamKind::kTimestamp: return "TIMESTAMP";
    case ParamKind::kDatetime: return "DATE or TIMESTAMP";
    case ParamKind::kTemporal: return "DATE, TIME or TIMESTAMP";
  }
  return "?";
}

bool ParamAccepts(ParamKind kind, const DataType& type) {
  if (type.id == TypeId::kNull) return true;
  switch (kind) {
    case ParamKind::kAny: return true;
    case ParamKind::kNumeric: return type.IsNumeric();
    case ParamKind::kInteger: return type.IsInteger();
    case ParamKind::kString: return type.IsString();
    case ParamKind::kBoolean: return type.id == TypeId::kBoolean;
    case ParamKind::kTimestamp: return type.IsTimestamp();
    case ParamKind::kDatetime: return type.IsTimestamp() || type.id == TypeId::kDate;
    case ParamKind::kTemporal: return type.IsTimestamp() || type.id == TypeId::kDate || type.id == TypeId::kTime;
  }
  return false;
}

const ScalarFunction* FindScalarFunction(const std::string& name) {
  const Registry& registry = GetRegistry();
  auto it = registry.by_name.find(name);
  return it == registry.by_name.end() ? nullptr : it->second;
}

const std::vector<std::string>& ScalarFunctionNames() { return GetRegistry().names; }

std::string DescribeSignatures(const ScalarFunction& function) {
  std::vector<std::string> forms;
  for (const Signature& signature : function.signatures) {
    std::vector<std::string> params;
    for (ParamKind kind : signature.params) params.push_back(ParamKindName(kind));
    if (signature.variadic) params.push_back("...");
    forms.push_back(fmt::format("{}({})", function.name, fmt::join(params, ", ")));
  }
  return fmt::format("{}", fmt::join(forms, " or "));
}

Value InvokeScalarFunction(const Expr& call, const std::vector<Value>& args, const EvalContext& context) {
  const ScalarFunction* function = call.definition;
  if (function == nullptr) throw InternalError(fmt::format("no implementation for function {}", call.function));
  if (function->nulls == NullPolicy::kNullInNullOut) {
    for (const Value& arg : args) {
      if (arg.is_null()) return Value::Null();
    }
  }
  return function->impl(call, args, context);
}

}  // namespace fsql
