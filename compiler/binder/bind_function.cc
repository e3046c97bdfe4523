// Binding of function calls: looks the name up in the function registry
// (runtime/expr/functions/function_registry.h), checks the arguments against
// its signatures, inserts implicit casts and types the result. Functions with
// special syntax (time units, TRIM sides, JSON clauses) or common-type rules
// have their own binders below.
#include <algorithm>
#include <cctype>
#include <set>

#include "compiler/binder/binder.h"
#include "compiler/binder/expression_binder.h"
#include "runtime/expr/functions/function_registry.h"
#include "runtime/formats/json_format.h"

namespace fsql {

namespace {

thread_local std::string session_time_zone = "UTC";

const std::set<std::string>& AggregateNames() {
  static const std::set<std::string> names = {"SUM",        "COUNT",       "MIN",     "MAX",      "AVG",
                                              "FIRST_VALUE", "LAST_VALUE", "LISTAGG", "STDDEV_POP", "STDDEV_SAMP",
                                              "STDDEV",     "VAR_POP",     "VAR_SAMP", "VARIANCE",   "COLLECT"};
  return names;
}

bool IsWindowFunctionName(const std::string& name) {
  return name == "ROW_NUMBER" || name == "RANK" || name == "DENSE_RANK";
}

/// EXTRACT shorthands and the unit each one extracts.
const std::map<std::string, std::string>& ExtractShorthands() {
  static const std::map<std::string, std::string> units = {
      {"YEAR", "YEAR"},     {"QUARTER", "QUARTER"}, {"MONTH", "MONTH"},         {"WEEK", "WEEK"},
      {"DAYOFMONTH", "DAY"}, {"HOUR", "HOUR"},      {"MINUTE", "MINUTE"},       {"SECOND", "SECOND"},
      {"DAYOFWEEK", "DOW"}, {"DAYOFYEAR", "DOY"},   {"MILLISECOND", "MILLISECOND"}};
  return units;
}

bool AnyNullable(const std::vector<ExprPtr>& args) {
  return std::any_of(args.begin(), args.end(), [](const ExprPtr& a) { return a->type.nullable; });
}

/// A call of a registered function with its bind-time settings.
ExprPtr MakeCall(const std::string& name, std::vector<ExprPtr> args, DataType type, std::string time_unit = "",
                 std::vector<std::string> modifiers = {}) {
  auto call = std::make_shared<Expr>(*Expr::Call(name, std::move(args), std::move(type)));
  call->time_unit = std::move(time_unit);
  call->modifiers = std::move(modifiers);
  if (call->definition != nullptr && call->definition->uses_time_zone) call->time_zone = session_time_zone;
  return call;
}

std::string Upper(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(), ::toupper);
  return text;
}

}  // namespace

SessionTimeZoneScope::SessionTimeZoneScope(std::string zone) : previous_(session_time_zone) {
  session_time_zone = zone.empty() ? "UTC" : std::move(zone);
}

SessionTimeZoneScope::~SessionTimeZoneScope() { session_time_zone = previous_; }

const std::string& CurrentSessionTimeZone() { return session_time_zone; }

bool IsAggregateFunctionName(const std::string& name) { return AggregateNames().count(name) > 0; }

std::vector<std::string> BuiltInFunctionNames() {
  std::vector<std::string> names;
  // The registry also contains operators such as "+" and AND, which are not functions.
  static const std::set<std::string> kOperators = {"AND", "OR", "NOT", "LIKE", "IN", "BETWEEN", "IS"};
  for (const auto& name : ScalarFunctionNames()) {
    if (std::isalpha(static_cast<unsigned char>(name[0])) && !kOperators.count(name)) names.push_back(name);
  }
  names.insert(names.end(), AggregateNames().begin(), AggregateNames().end());
  // Calls the binder handles itself rather than through the registry.
  for (const char* name : {"ROW_NUMBER", "RANK", "DENSE_RANK", "TUMBLE", "HOP", "CUMULATE", "SESSION", "CARDINALITY",
                           "ELEMENT", "CAST", "TRY_CAST", "TIMESTAMPDIFF", "CURRENT_TIMESTAMP", "CHARACTER_LENGTH"}) {
    names.push_back(name);
  }
  std::sort(names.begin(), names.end());
  names.erase(std::unique(names.begin(), names.end()), names.end());
  return names;
}

ExprPtr ExpressionBinder::BindFunction(const ast::Expr& expr) {
  if (expr.over || !expr.over_window_name.empty()) {
    if (over_hook_) return over_hook_(expr);
    throw SqlError(fmt::format("{} OVER is not allowed here", expr.name), expr.location,
                   "OVER aggregates may appear only in the SELECT list");
  }
  if (IsAggregateFunctionName(expr.name)) {
    if (aggregate_hook_) return aggregate_hook_(expr);
    throw SqlError(fmt::format("aggregate function {} is not allowed here", expr.name), expr.location,
                            "aggregates may appear in the SELECT list and HAVING of a grouped query, or with OVER");
  }
  if (IsWindowFunctionName(expr.name)) {
    throw SqlError(fmt::format("{}() requires an OVER clause", expr.name), expr.location);
  }
  std::vector<ExprPtr> args;
  for (const auto& child : expr.children) args.push_back(Bind(*child));
  return TypeCall(expr, std::move(args));
}

ExprPtr ExpressionBinder::BindNiladic(const std::string& name, const SourceLocation& location) {
  const ScalarFunction* function = FindScalarFunction(name);
  if (function == nullptr || !function->signatures[0].params.empty()) return nullptr;
  if (function->uses_time_zone) CheckSessionTimeZone(location);
  return MakeCall(function->name, {}, function->result_type({}));
}

void ExpressionBinder::CheckSessionTimeZone(const SourceLocation& location) {
  std::string problem = TimeZoneError(session_time_zone);
  if (!problem.empty()) {
    throw SqlError(fmt::format("'table.local-time-zone' is '{}', which is not a time zone", session_time_zone),
                   location, "SET it to a region such as 'Europe/Berlin', to 'UTC' or to an offset such as '+08:00'");
  }
}

ExprPtr ExpressionBinder::TypeCall(const ast::Expr& expr, std::vector<ExprPtr> args) {
  const std::string& name = expr.name;
  if (std::optional<ExprPtr> collection = BindCollectionCall(expr, args)) return *collection;
  if (name == "COALESCE" || name == "GREATEST" || name == "LEAST") return BindCommonTypeCall(expr, std::move(args));
  if (name == "IF") return BindIf(expr, std::move(args));
  if (name == "NULLIF") return BindNullIf(expr, std::move(args));
  if (name == "TIMESTAMPDIFF" || name == "TIMESTAMPADD") return BindTimestampArithmetic(expr, std::move(args));
  if (name == "EXTRACT" || (ExtractShorthands().count(name) && expr.time_unit.empty())) {
    return BindExtract(expr, std::move(args));
  }
  if ((name == "FLOOR" || name == "CEIL" || name == "CEILING") && !expr.time_unit.empty()) {
    return BindTimeRounding(expr, std::move(args));
  }
  if (name.rfind("JSON_", 0) == 0 && name != "JSON_STRING") return BindJsonCall(expr, std::move(args));
  if (!expr.time_unit.empty()) {
    throw SqlError(fmt::format("function {} does not take a time unit argument", name), expr.location);
  }
  if (name == "TO_TIMESTAMP_LTZ" && args.size() == 1) {
    args.push_back(Expr::Literal(Value::Int(3), DataType::Of(TypeId::kInt, false)));
  }
  if (name == "TRIM" && !expr.trim_side.empty() && expr.trim_side != "BOTH") {
    return BindRegistered(expr, *FindScalarFunction("TRIM"), std::move(args), {expr.trim_side});
  }

  const ScalarFunction* function = FindScalarFunction(name);
  if (function == nullptr || function->special_binding) {
    std::vector<std::string> known = ScalarFunctionNames();
    known.insert(known.end(), AggregateNames().begin(), AggregateNames().end());
    known.push_back("ROW_NUMBER");
    for (const auto& [shorthand, unit] : ExtractShorthands()) known.push_back(shorthand);
    std::string hint = DidYouMean(name, known);
    throw SqlError(fmt::format("function {} not found", name), expr.location,
                   hint.empty() ? "user-defined functions are not supported yet" : hint);
  }
  if (name.rfind("REGEXP", 0) == 0 && args.size() >= 2) CheckConstantRegex(*args[1], expr.children[1]->location);
  return BindRegistered(expr, *function, std::move(args));
}

const Signature& ExpressionBinder::MatchSignature(const ast::Expr& expr, const ScalarFunction& function,
                                                 const std::vector<ExprPtr>& args) {
  auto fits_count = [&](const Signature& s) {
    return s.variadic ? args.size() >= s.params.size() : args.size() == s.params.size();
  };
  auto param_at = [](const Signature& s, size_t i) { return i < s.params.size() ? s.params[i] : s.params.back(); };
  const Signature* candidate = nullptr;
  for (const Signature& signature : function.signatures) {
    if (!fits_count(signature)) continue;
    candidate = candidate ? candidate : &signature;
    bool all = true;
    for (size_t i = 0; i < args.size(); ++i) all = all && ParamAccepts(param_at(signature, i), args[i]->type);
    if (all) return signature;
  }
  if (candidate == nullptr) {
    throw SqlError(fmt::format("{} does not take {} argument{}", expr.name, args.size(), args.size() == 1 ? "" : "s"),
                   expr.location, fmt::format("call it as {}", DescribeSignatures(function)));
  }
  // Report the first argument that no signature of this arity accepts.
  for (size_t i = 0; i < args.size(); ++i) {
    std::vector<std::string> accepted;
    bool ok = false;
    for (const Signature& signature : function.signatures) {
      if (!fits_count(signature)) continue;
      ParamKind kind = param_at(signature, i);
      ok = ok || ParamAccepts(kind, args[i]->type);
      std::string kind_name = ParamKindName(kind);
      if (std::find(accepted.begin(), accepted.end(), kind_name) == accepted.end()) accepted.push_back(kind_name);
    }
    if (!ok) {
      const SourceLocation& location = i < expr.children.size() ? expr.children[i]->location : expr.location;
      throw SqlError(fmt::format("argument {} of {} has type {}, but {} expects {} there", i + 1, expr.name,
                                 args[i]->type.ToString(), expr.name, fmt::join(accepted, " or ")),
                     location, fmt::format("CAST the argument, e.g. CAST(... AS {})", accepted.front()));
    }
  }
  throw SqlError(fmt::format("no signature of {} accepts these argument types", expr.name), expr.location,
                 fmt::format("call it as {}", DescribeSignatures(function)));
}

ExprPtr ExpressionBinder::BindRegistered(const ast::Expr& expr, const ScalarFunction& function,
                                         std::vector<ExprPtr> args, std::vector<std::string> modifiers) {
  MatchSignature(expr, function, args);
  std::vector<DataType> types;
  for (const ExprPtr& arg : args) types.push_back(arg->type);
  DataType type = function.result_type(types);
  if (function.nulls == NullPolicy::kNullInNullOut) type.nullable = AnyNullable(args) || function.may_return_null;
  if (function.uses_time_zone) CheckSessionTimeZone(expr.location);
  return MakeCall(function.name, std::move(args), type, Upper(expr.time_unit), std::move(modifiers));
}

void ExpressionBinder::CheckConstantRegex(const Expr& pattern, const SourceLocation& location) {
  if (pattern.kind != ExprKind::kLiteral || !pattern.literal.is_string()) return;
  std::string problem = RegexCompileError(pattern.literal.as_string());
  if (!problem.empty()) {
    throw SqlError(fmt::format("invalid regular expression '{}': {}", pattern.literal.as_string(), problem), location,
                   "fix the pattern; it uses Java regular expression syntax, e.g. '^a.*b$'");
  }
}

DataType ExpressionBinder::CommonArgumentType(const ast::Expr& expr, const std::vector<ExprPtr>& args, size_t first) {
  DataType common = DataType::Of(TypeId::kNull);
  for (size_t i = first; i < args.size(); ++i) {
    DataType next = CommonType(common, args[i]->type);
    if (next.id == TypeId::kNull && args[i]->type.id != TypeId::kNull) {
      throw SqlError(fmt::format("{} arguments have incompatible types {} and {}", expr.name, common.ToString(),
                                 args[i]->type.ToString()),
                     expr.children[i]->location, "CAST the arguments to one type");
    }
    common = next;
  }
  return common;
}

ExprPtr ExpressionBinder::BindCommonTypeCall(const ast::Expr& expr, std::vector<ExprPtr> args) {
  if (args.empty()) {
    throw SqlError(fmt::format("{} takes at least one argument", expr.name), expr.location,
                   fmt::format("call it as {}(value, ...)", expr.name));
  }
  DataType common = CommonArgumentType(expr, args, 0);
  if (expr.name == "COALESCE") {
    common.nullable = std::all_of(args.begin(), args.end(), [](const ExprPtr& a) { return a->type.nullable; });
  } else {
    common.nullable = AnyNullable(args);
  }
  for (size_t i = 0; i < args.size(); ++i) args[i] = CoerceTo(args[i], common, expr.children[i]->location, expr.name);
  return MakeCall(expr.name, std::move(args), common);
}

ExprPtr ExpressionBinder::BindIf(const ast::Expr& expr, std::vector<ExprPtr> args) {
  MatchSignature(expr, *FindScalarFunction("IF"), args);
  args[0] = RequireBoolean(args[0], expr.children[0]->location, "IF");
  DataType common = CommonType(args[1]->type, args[2]->type);
  if (common.id == TypeId::kNull && args[1]->type.id != TypeId::kNull && args[2]->type.id != TypeId::kNull) {
    throw SqlError(fmt::format("IF branches have incompatible types {} and {}", args[1]->type.ToString(),
                               args[2]->type.ToString()),
                   expr.location, "CAST the branches to one type");
  }
  args[1] = CoerceTo(args[1], common, expr.children[1]->location, "IF");
  args[2] = CoerceTo(args[2], common, expr.children[2]->location, "IF");
  return MakeCall("IF", std::move(args), common);
}

ExprPtr ExpressionBinder::BindNullIf(const ast::Expr& expr, std::vector<ExprPtr> args) {
  MatchSignature(expr, *FindScalarFunction("NULLIF"), args);
  DataType common = CommonArgumentType(expr, args, 0);
  args[0] = CoerceTo(args[0], common.WithNullable(args[0]->type.nullable), expr.children[0]->location, "NULLIF");
  args[1] = CoerceTo(args[1], common.WithNullable(args[1]->type.nullable), expr.children[1]->location, "NULLIF");
  return MakeCall("NULLIF", std::move(args), common.WithNullable(true));
}

ExprPtr ExpressionBinder::BindDistinctFrom(const ast::Expr& expr, ExprPtr left, ExprPtr right) {
  ExprPtr comparison = MakeComparison("=", left, right, expr.location);  // checks and casts to a common type
  std::vector<ExprPtr> args = comparison->args;
  return MakeCall(expr.name, std::move(args), DataType::Of(TypeId::kBoolean, false));
}

ExprPtr ExpressionBinder::BindTimestampArithmetic(const ast::Expr& expr, std::vector<ExprPtr> args) {
  const std::string& name = expr.name;
  std::string unit = Upper(expr.time_unit);
  if (unit.empty()) {
    throw SqlError(fmt::format("{} needs a time unit as its first argument", name), expr.location,
                   fmt::format("write {}(SECOND, ...)", name));
  }
  static const std::set<std::string> units = {"MILLISECOND", "SECOND",  "MINUTE", "HOUR",    "DAY",    "WEEK",
                                              "MONTH",       "QUARTER", "YEAR",   "SECONDS", "MINUTES", "HOURS",
                                              "DAYS",        "MONTHS",  "YEARS"};
  if (!units.count(unit) || (name == "TIMESTAMPDIFF" && unit == "MILLISECOND")) {
    throw SqlError(fmt::format("{} does not support the unit {}", name, unit), expr.location,
                   "use SECOND, MINUTE, HOUR, DAY, WEEK, MONTH or YEAR");
  }
  const ScalarFunction& function = *FindScalarFunction(name);
  if (name == "TIMESTAMPDIFF") {
    for (size_t i = 0; i < args.size() && i < 2; ++i) {
      if (!ParamAccepts(ParamKind::kDatetime, args[i]->type)) {
        throw SqlError(fmt::format("TIMESTAMPDIFF expects timestamps, got {}", args[i]->type.ToString()),
                       expr.children[i]->location, "convert epoch milliseconds with TO_TIMESTAMP_LTZ(x, 3)");
      }
    }
  }
  MatchSignature(expr, function, args);
  std::vector<DataType> types;
  for (const ExprPtr& arg : args) types.push_back(arg->type);
  DataType type = function.result_type(types);
  type.nullable = AnyNullable(args);
  if (function.uses_time_zone) CheckSessionTimeZone(expr.location);
  return MakeCall(name, std::move(args), type, unit);
}

ExprPtr ExpressionBinder::BindExtract(const ast::Expr& expr, std::vector<ExprPtr> args) {
  std::string unit = expr.name == "EXTRACT" ? Upper(expr.time_unit) : ExtractShorthands().at(expr.name);
  if (unit == "DAYOFMONTH") unit = "DAY";
  if (unit == "DAYOFWEEK") unit = "DOW";
  if (unit == "DAYOFYEAR") unit = "DOY";
  static const std::set<std::string> units = {"YEAR", "QUARTER", "MONTH",  "WEEK",        "DAY", "HOUR",
                                              "MINUTE", "SECOND", "MILLISECOND", "DOW", "DOY"};
  if (unit.empty()) {
    throw SqlError("EXTRACT needs a unit", expr.location, "write EXTRACT(YEAR FROM ts)");
  }
  if (!units.count(unit)) {
    throw SqlError(fmt::format("EXTRACT does not support the unit {}", unit), expr.location,
                   "use YEAR, QUARTER, MONTH, WEEK, DAY, HOUR, MINUTE, SECOND, MILLISECOND, DOW or DOY");
  }
  const ScalarFunction& function = *FindScalarFunction("EXTRACT");
  MatchSignature(expr, function, args);
  if (args[0]->type.IsTimestamp() || args[0]->type.id == TypeId::kTimestampLtz) CheckSessionTimeZone(expr.location);
  return MakeCall("EXTRACT", std::move(args), DataType::Of(TypeId::kBigInt, AnyNullable(args)), unit);
}

ExprPtr ExpressionBinder::BindTimeRounding(const ast::Expr& expr, std::vector<ExprPtr> args) {
  std::string name = expr.name == "FLOOR" ? "FLOOR_TIME" : "CEIL_TIME";
  std::string unit = Upper(expr.time_unit);
  static const std::set<std::string> units = {"YEAR", "QUARTER", "MONTH", "WEEK", "DAY",
                                              "HOUR", "MINUTE",  "SECOND", "MILLISECOND"};
  if (!units.count(unit)) {
    throw SqlError(fmt::format("{}(... TO {}) is not supported", expr.name, unit), expr.location,
                   "use YEAR, QUARTER, MONTH, WEEK, DAY, HOUR, MINUTE or SECOND");
  }
  const ScalarFunction& function = *FindScalarFunction(name);
  if (args.size() != 1) {
    throw SqlError(fmt::format("{}(x TO unit) takes one value", expr.name), expr.location,
                   fmt::format("write {}(ts TO {})", expr.name, unit));
  }
  if (!ParamAccepts(ParamKind::kDatetime, args[0]->type)) {
    throw SqlError(fmt::format("argument 1 of {} has type {}, but {}(x TO {}) expects DATE or TIMESTAMP there",
                               expr.name, args[0]->type.ToString(), expr.name, unit),
                   expr.children[0]->location, "CAST the argument, e.g. CAST(... AS TIMESTAMP(3))");
  }
  CheckSessionTimeZone(expr.location);
  DataType type = args[0]->type;
  return MakeCall(function.name, std::move(args), type, unit);
}

ExprPtr ExpressionBinder::BindSimilarTo(const ast::Expr& expr) {
  std::vector<ExprPtr> args;
  for (const auto& child : expr.children) args.push_back(Bind(*child));
  if (!expr.literal.empty()) {
    args.push_back(Expr::Literal(Value::String(expr.literal), DataType::Of(TypeId::kString, false)));
  }
  std::string name = expr.negated ? "NOT SIMILAR TO" : "SIMILAR TO";
  const ScalarFunction& function = *FindScalarFunction(name);
  ast::Expr named_call;  // MatchSignature's messages name the call by ast::Expr::name
  named_call.location = expr.location;
  named_call.name = "SIMILAR TO";
  MatchSignature(named_call, function, args);
  return MakeCall(name, std::move(args), DataType::Of(TypeId::kBoolean, AnyNullable(args)));
}

ExprPtr ExpressionBinder::BindIsJson(const ast::Expr& expr, ExprPtr operand) {
  RequireString(*operand, expr.children[0]->location, "IS JSON");
  std::string name = std::string("IS ") + (expr.negated ? "NOT " : "") + expr.name;
  return MakeCall(name, {operand}, DataType::Of(TypeId::kBoolean, false));
}

ExprPtr ExpressionBinder::BindJsonCall(const ast::Expr& expr, std::vector<ExprPtr> args) {
  const std::string& name = expr.name;
  const ScalarFunction* function = FindScalarFunction(name);
  if (function == nullptr) {
    throw SqlError(fmt::format("function {} not found", name), expr.location,
                   DidYouMean(name, ScalarFunctionNames()));
  }

  std::vector<std::string> modifiers;
  if (name == "JSON_OBJECT" || name == "JSON_ARRAY") {
    if (name == "JSON_OBJECT") {
      if (args.size() % 2 != 0) {
        throw SqlError("JSON_OBJECT takes key and value pairs", expr.location,
                       "write JSON_OBJECT(KEY 'k' VALUE v, ...) or JSON_OBJECT('k', v, ...)");
      }
      for (size_t i = 0; i < args.size(); i += 2) RequireString(*args[i], expr.children[i]->location, "a JSON_OBJECT key");
    }
    if (!expr.json_on_null.empty()) modifiers.push_back("NULL=" + expr.json_on_null);
    return MakeCall(name, std::move(args), DataType::Of(TypeId::kString, false), "", std::move(modifiers));
  }

  if (args.size() != 2) {
    throw SqlError(fmt::format("{} does not take {} arguments", name, args.size()), expr.location,
                   fmt::format("call it as {}(json, path)", name));
  }
  MatchSignature(expr, *function, args);
  if (!expr.json_on_empty.empty()) modifiers.push_back("EMPTY=" + expr.json_on_empty);
  if (!expr.json_on_error.empty()) modifiers.push_back("ERROR=" + expr.json_on_error);

  if (name == "JSON_EXISTS") {
    return MakeCall(name, std::move(args), DataType::Of(TypeId::kBoolean, true), "", std::move(modifiers));
  }
  if (name == "JSON_QUERY") {
    if (!expr.json_wrapper.empty()) modifiers.push_back("WRAPPER=" + expr.json_wrapper);
    return MakeCall(name, std::move(args), DataType::Of(TypeId::kString, true), "", std::move(modifiers));
  }

  // JSON_VALUE: RETURNING sets the result type, and DEFAULT values become arguments.
  DataType type = expr.has_returning ? expr.cast_type : DataType::Of(TypeId::kString);
  type.nullable = true;
  if (!(type.IsString() || type.IsNumeric() || type.id == TypeId::kBoolean)) {
    throw NotSupportedError(fmt::format("JSON_VALUE ... RETURNING {} is not supported yet", type.ToString()),
                            expr.location, "return STRING, BOOLEAN or a numeric type and CAST the result");
  }

  for (const auto* fallback : {&expr.json_on_empty_default, &expr.json_on_error_default}) {
    bool used = fallback == &expr.json_on_empty_default ? expr.json_on_empty == "DEFAULT" : expr.json_on_error == "DEFAULT";
    if (!used || !*fallback) continue;
    ExprPtr value = Bind(**fallback);
    args.push_back(CoerceTo(value, type, (*fallback)->location, "JSON_VALUE DEFAULT"));
  }
  return MakeCall(name, std::move(args), type, "", std::move(modifiers));
}

ExprPtr ExpressionBinder::BindTypedLiteral(const ast::Expr& expr) {
  constexpr int64_t kMillisPerDay = 86'400'000;
  const std::string& text = expr.literal;
  auto invalid = [&](const char* kind, const char* example) -> ExprPtr {
    throw SqlError(fmt::format("invalid {} literal '{}'", kind, text), expr.location,
                   fmt::format("write it as {} '{}'", kind, example));
  };
  if (expr.literal_kind == ast::LiteralKind::kDate) {
    auto millis = text.size() == 10 ? ParseTimestampMillis(text + " 00:00:00") : std::nullopt;
    if (!millis) return invalid("DATE", "2024-01-31");
    int64_t days = *millis / kMillisPerDay - (*millis % kMillisPerDay < 0 ? 1 : 0);
    return Expr::Literal(Value::Int(days), DataType::Of(TypeId::kDate, false));
  }
  if (expr.literal_kind == ast::LiteralKind::kTime) {
    auto millis = ParseTimestampMillis("1970-01-01 " + text);
    if (!millis || *millis < 0 || *millis >= kMillisPerDay) return invalid("TIME", "10:30:00");
    DataType type = DataType::Of(TypeId::kTime, false);
    return Expr::Literal(Value::Int(*millis), type);
  }
  auto millis = ParseTimestampMillis(text);
  if (!millis) return invalid("TIMESTAMP", "2024-01-31 10:30:00.000");
  // The precision is the number of fraction digits written, at most the 3 fsql keeps.
  size_t point = text.find('.');
  int precision = point == std::string::npos ? 0 : static_cast<int>(std::min<size_t>(text.size() - point - 1, 3));
  return Expr::Literal(Value::Int(*millis), DataType::Timestamp(precision, false, false));
}

ExprPtr ExpressionBinder::BindDateArithmetic(const ast::Expr& expr, ExprPtr date, ExprPtr interval) {
  // TIMESTAMPADD(MILLISECOND, n, date) moves a DATE by whole days, flooring
  // partial days, which is what DATE +/- INTERVAL does in Flink.
  if (expr.name == "-") interval = Expr::Call("NEGATE", {interval}, interval->type);
  bool nullable = date->type.nullable || interval->type.nullable;
  return MakeCall("TIMESTAMPADD", {interval, date}, DataType::Of(TypeId::kDate, nullable), "MILLISECOND");
}

}  // namespace fsql
