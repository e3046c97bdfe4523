// Bound, typed scalar expressions and their interpreter.
//
// The binder produces these trees; operators evaluate them against rows in the
// layout of runtime/row/row.h. The interpreter here is the reference
// implementation that a compiled backend must agree with.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "runtime/row/row.h"
#include "runtime/types/data_type.h"
#include "runtime/types/value.h"

namespace fsql {

enum class ExprKind {
  kLiteral,
  kInputRef,     // column `index` of the input row
  kFieldAccess,  // field `index` of the ROW value of args[0]
  kCall,         // scalar function or operator `function` over args
  kCast,         // args[0] converted to `type`; `safe` means TRY_CAST
};

struct Expr;
struct ScalarFunction;
using ExprPtr = std::shared_ptr<const Expr>;

struct Expr {
  ExprKind kind = ExprKind::kLiteral;
  DataType type;
  Value literal;
  int index = -1;
  std::string function;  // upper-case name: "+", "=", "AND", "COALESCE", "TIMESTAMPDIFF", ...
  std::string time_unit; // TIMESTAMPDIFF's unit
  std::string time_zone; // the session's 'table.local-time-zone' for functions that read it
  std::vector<std::string> modifiers;  // constant clauses of a call: TRIM side, JSON ON EMPTY, ...
  const ScalarFunction* definition = nullptr;  // the registered function; nullptr for operators
  bool safe = false;
  std::vector<ExprPtr> args;

  static ExprPtr Literal(Value value, DataType type);
  static ExprPtr InputRef(int index, DataType type);
  static ExprPtr FieldAccess(ExprPtr row, int field, DataType type);
  static ExprPtr Call(std::string function, std::vector<ExprPtr> args, DataType type);
  static ExprPtr Cast(ExprPtr input, DataType type, bool safe);

  /// Renders the expression for plans and messages, e.g. `+($1, 1)`.
  std::string ToString() const;
};

/// Inputs of an expression besides the row: the processing time at which the
/// current row is handled, for CURRENT_TIMESTAMP and NOW().
struct EvalContext {
  int64_t processing_time_ms = 0;
};

/// Evaluates `expr` for `row`. Throws Error for runtime failures such as a
/// failed CAST, naming the value.
Value Evaluate(const Expr& expr, RowView row, const EvalContext& context);

/// Converts `value` from `from` to `to` as CAST (`safe` false) or TRY_CAST
/// does. Throws Error naming the value when a CAST fails.
Value CastValue(const Value& value, const DataType& from, const DataType& to, bool safe);

/// True when `value` is a non-null TRUE, as WHERE and ON treat a predicate.
inline bool IsTrue(const Value& value) { return !value.is_null() && value.as_bool(); }

}  // namespace fsql
