// Resolves names and types: turns AST expressions and queries into bound
// expressions and logical plans, reporting errors at their source location.
#pragma once

#include <string>
#include <vector>

#include "compiler/catalog/catalog.h"
#include "compiler/parser/ast.h"
#include "compiler/planner/logical_plan.h"

namespace fsql {

/// The columns an expression may refer to: each with the qualifier (table name
/// or alias) it is visible under.
struct Scope {
  struct Entry {
    std::string qualifier;
    std::string name;
    DataType type;
    bool hidden = false;
    bool rowtime_attribute = false;
    int window_column = 0;  // see PlanField::window_column
    bool proctime = false;  // see PlanField::proctime
  };
  std::vector<Entry> columns;

  static Scope FromPlan(const PlanNode& plan, const std::string& qualifier);
  static Scope Concat(const Scope& left, const Scope& right);
};

/// Binds a scalar expression without aggregates or OVER. Throws SqlError.
ExprPtr BindScalar(const ast::Expr& expr, const Scope& scope);

/// Sets the session's 'table.local-time-zone' for the statements bound on
/// this thread while it lives. Functions that depend on the zone copy it into
/// their bound calls, so a later SET does not change running rules.
/// The 'table.local-time-zone' of the statement being bound on this thread.
const std::string& CurrentSessionTimeZone();

class SessionTimeZoneScope {
 public:
  explicit SessionTimeZoneScope(std::string zone);
  ~SessionTimeZoneScope();
  SessionTimeZoneScope(const SessionTimeZoneScope&) = delete;
  SessionTimeZoneScope& operator=(const SessionTimeZoneScope&) = delete;

 private:
  std::string previous_;
};

/// Returns whether `name` (upper case) is a built-in aggregate function.
bool IsAggregateFunctionName(const std::string& name);

/// Every function name a query may call: scalar functions, aggregates, ranking
/// functions, collection functions and window table functions, sorted.
std::vector<std::string> BuiltInFunctionNames();

/// Binds a query against the catalog into a logical plan. Throws SqlError.
PlanPtr BindQuery(const ast::Query& query, const Catalog& catalog);

/// Converts `expr` to `target`, inserting an implicit cast where Flink would,
/// or throws SqlError at `location` naming both types.
ExprPtr CoerceTo(ExprPtr expr, const DataType& target, const SourceLocation& location,
                 const std::string& context);

/// Throws SqlError for a type whose parameters Flink rejects, such as DECIMAL(40, 2).
void ValidateType(const DataType& type, const SourceLocation& location);

/// Whether CAST from `from` to `to` is accepted at plan time. Scalar casts are
/// checked when they run; collections cast element-wise between the same kind
/// of collection, or to a string.
bool CastSupported(const DataType& from, const DataType& to);

}  // namespace fsql
