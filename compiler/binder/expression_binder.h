// The scalar expression binder, shared by the query binder and the catalog
// (computed columns and watermarks).
#pragma once

#include <functional>
#include <optional>

#include "compiler/binder/binder.h"

namespace fsql {

/// Milliseconds of a day-time interval literal. Throws SqlError.
int64_t IntervalMillis(const ast::Expr& expr);

class ExpressionBinder {
 public:
  /// Called for `f(...) OVER ...` and for plain aggregate calls; returns the
  /// expression that reads the computed value.
  using Hook = std::function<ExprPtr(const ast::Expr&)>;

  explicit ExpressionBinder(const Scope& scope);

  void set_over_hook(Hook hook) { over_hook_ = std::move(hook); }
  void set_aggregate_hook(Hook hook) { aggregate_hook_ = std::move(hook); }

  ExprPtr Bind(const ast::Expr& expr);

 private:
  ExprPtr BindLiteral(const ast::Expr& expr);
  ExprPtr BindDecimalLiteral(const ast::Expr& expr);
  ExprPtr BindCast(const ast::Expr& expr);
  ExprPtr BindColumn(const ast::Expr& expr);
  ExprPtr AccessFields(ExprPtr base, const std::vector<std::string>& parts, size_t first, const ast::Expr& expr);
  ExprPtr BindFunction(const ast::Expr& expr);
  ExprPtr TypeCall(const ast::Expr& expr, std::vector<ExprPtr> args);
  // bind_collection.cc
  ExprPtr BindItem(const ast::Expr& expr);
  /// Binds ARRAY[...], MAP[...], CARDINALITY and ELEMENT; nullopt for other names.
  std::optional<ExprPtr> BindCollectionCall(const ast::Expr& expr, std::vector<ExprPtr>& args);
  ExprPtr BindCase(const ast::Expr& expr);
  ExprPtr BindBinary(const ast::Expr& expr);
  ExprPtr BindInList(const ast::Expr& expr);
  static bool IsExactDecimalComputation(const DataType& left, const DataType& right);
  ExprPtr MakeDecimalArithmetic(const std::string& op, ExprPtr left, ExprPtr right, const SourceLocation& location);
  ExprPtr MakeComparison(const std::string& op, ExprPtr left, ExprPtr right, const SourceLocation& location);
  DataType MergeResult(const DataType& current, const DataType& next, const SourceLocation& location);

  static void CheckArity(const ast::Expr& expr, size_t count, size_t min, size_t max);
  static ExprPtr RequireBoolean(ExprPtr expr, const SourceLocation& location, const std::string& context);
  static void RequireNumeric(const Expr& expr, const SourceLocation& location, const std::string& context);
  static void RequireString(const Expr& expr, const SourceLocation& location, const std::string& context);

  std::vector<std::string> VisibleNames() const;

  const Scope& scope_;
  Hook over_hook_;
  Hook aggregate_hook_;
};

}  // namespace fsql
