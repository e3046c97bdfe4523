// The built-in scalar functions: for each, its names, accepted signatures,
// result type and implementation.
//
// The binder checks a call against the signatures and types it with
// `result_type`. The interpreter runs `impl`. Generated code runs natively
// emitted code for a few hot functions and calls `impl` through a runtime
// helper for the rest, so both backends share one definition and one set of
// error messages.
#pragma once

#include <string>
#include <vector>

#include "runtime/expr/expr.h"

namespace fsql {

/// What a parameter accepts. An argument of type NULL (a bare NULL literal)
/// matches every kind.
enum class ParamKind : uint8_t {
  kAny,
  kNumeric,    // TINYINT to BIGINT, FLOAT, DOUBLE, DECIMAL
  kInteger,    // TINYINT to BIGINT
  kString,     // CHAR, VARCHAR, STRING
  kBoolean,
  kTimestamp,  // TIMESTAMP and TIMESTAMP_LTZ
  kDatetime,   // DATE, TIMESTAMP and TIMESTAMP_LTZ
  kTemporal,   // DATE, TIME, TIMESTAMP and TIMESTAMP_LTZ
};

/// The SQL name of a parameter kind for messages, e.g. "STRING".
std::string ParamKindName(ParamKind kind);

/// Returns whether a value of `type` may be passed for a parameter of `kind`.
bool ParamAccepts(ParamKind kind, const DataType& type);

struct Signature {
  std::vector<ParamKind> params;
  bool variadic = false;  // the last parameter repeats any number of times, at least once
};

/// Implementation of one call. `args` holds the evaluated arguments; for
/// functions with NullPolicy::kNullInNullOut none of them is NULL.
using ScalarImpl = Value (*)(const Expr& call, const std::vector<Value>& args, const EvalContext& context);

/// Result type for the argument types, ignoring nullability unless the policy
/// is kCustom.
using ResultTypeFn = DataType (*)(const std::vector<DataType>& args);

enum class NullPolicy : uint8_t {
  kNullInNullOut,  // NULL if any argument is NULL, without calling `impl`
  kCustom,         // `impl` sees NULL arguments; `result_type` sets nullability
};

struct ScalarFunction {
  std::string name;                  // canonical upper-case name, stored in Expr::function
  std::vector<std::string> aliases;  // other spellings that bind to this function
  std::vector<Signature> signatures;
  ResultTypeFn result_type = nullptr;
  ScalarImpl impl = nullptr;
  NullPolicy nulls = NullPolicy::kNullInNullOut;
  bool may_return_null = false;      // NULL also for some non-NULL inputs, e.g. a failed parse
  bool uses_time_zone = false;       // the binder copies the session time zone into the call
  bool special_binding = false;      // bound by the binder's own code (time units, JSON clauses, ...)
  bool internal = false;             // reached only through special syntax, so left out of name hints
};

/// Returns the function a name or alias (upper case) refers to, or nullptr.
const ScalarFunction* FindScalarFunction(const std::string& name);

/// Every name and alias that a call may spell, sorted, for hints and completion.
const std::vector<std::string>& ScalarFunctionNames();

/// Renders the signatures of `function` for messages, e.g.
/// "SUBSTRING(STRING, INTEGER) or SUBSTRING(STRING, INTEGER, INTEGER)".
std::string DescribeSignatures(const ScalarFunction& function);

/// Evaluates a call of a registered function on evaluated arguments, applying
/// its NULL policy. Throws Error for runtime failures. Both backends use it.
Value InvokeScalarFunction(const Expr& call, const std::vector<Value>& args, const EvalContext& context);

// Registration, one function per group of functions (functions/*.cc).
void RegisterMathFunctions(std::vector<ScalarFunction>& out);
void RegisterStringFunctions(std::vector<ScalarFunction>& out);
void RegisterRegexFunctions(std::vector<ScalarFunction>& out);
void RegisterTemporalFunctions(std::vector<ScalarFunction>& out);
void RegisterConditionalFunctions(std::vector<ScalarFunction>& out);
void RegisterJsonFunctions(std::vector<ScalarFunction>& out);
void RegisterHashFunctions(std::vector<ScalarFunction>& out);

}  // namespace fsql

namespace fsql {

/// PCRE2's message for a regular expression that does not compile, with the
/// offset of the problem; empty when it compiles.
std::string RegexCompileError(const std::string& pattern);

}  // namespace fsql

namespace fsql {

/// A message for a 'table.local-time-zone' value that names no time zone;
/// empty when it is valid.
std::string TimeZoneError(const std::string& name);

}  // namespace fsql
