// The scalar expression binder, shared by the query binder and the catalog
// (computed columns and watermarks).
#pragma once

#include <functional>
#include <optional>

#include "compiler/binder/binder.h"

namespace fsql {

struct ScalarFunction;
struct Signature;

/// Milliseconds of a day-time interval literal. Throws SqlError.
int64_t IntervalMillis(const ast::Expr& expr);

/// Binds an aggregate call's argument against `scope` and types its result.
/// Throws SqlError.
AggregateCall BindAggregateCall(const ast::Expr& call, const Scope& scope);

/// Binds `input` MATCH_RECOGNIZE (...) into a kMatchRecognize node whose
/// columns are the PARTITION BY columns, then the measures, renamed by
/// `column_aliases` when there are any. Throws SqlError.
PlanPtr BindMatchRecognize(const ast::MatchRecognize& match, const PlanPtr& input,
                           const std::vector<std::string>& column_aliases);

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

  // bind_function.cc: function calls through the function registry.
  ExprPtr BindFunction(const ast::Expr& expr);
  ExprPtr TypeCall(const ast::Expr& expr, std::vector<ExprPtr> args);
  /// Binds a niladic function written without parentheses (CURRENT_DATE);
  /// returns nullptr when `name` is none.
  ExprPtr BindNiladic(const std::string& name, const SourceLocation& location);
  /// Returns the signature that accepts `args`, or throws SqlError naming the
  /// expected signatures or the first argument of a wrong type.
  const Signature& MatchSignature(const ast::Expr& expr, const ScalarFunction& function,
                                  const std::vector<ExprPtr>& args);
  ExprPtr BindRegistered(const ast::Expr& expr, const ScalarFunction& function, std::vector<ExprPtr> args,
                         std::vector<std::string> modifiers = {});
  DataType CommonArgumentType(const ast::Expr& expr, const std::vector<ExprPtr>& args, size_t first);
  ExprPtr BindCommonTypeCall(const ast::Expr& expr, std::vector<ExprPtr> args);
  ExprPtr BindIf(const ast::Expr& expr, std::vector<ExprPtr> args);
  ExprPtr BindNullIf(const ast::Expr& expr, std::vector<ExprPtr> args);
  ExprPtr BindDistinctFrom(const ast::Expr& expr, ExprPtr left, ExprPtr right);
  ExprPtr BindTimestampArithmetic(const ast::Expr& expr, std::vector<ExprPtr> args);
  ExprPtr BindExtract(const ast::Expr& expr, std::vector<ExprPtr> args);
  ExprPtr BindTimeRounding(const ast::Expr& expr, std::vector<ExprPtr> args);
  ExprPtr BindSimilarTo(const ast::Expr& expr);
  ExprPtr BindIsJson(const ast::Expr& expr, ExprPtr operand);
  ExprPtr BindJsonCall(const ast::Expr& expr, std::vector<ExprPtr> args);
  /// DATE '2024-01-31', TIME '10:00:00' and TIMESTAMP '2024-01-31 10:00:00.123'.
  ExprPtr BindTypedLiteral(const ast::Expr& expr);
  /// DATE + or - a day-time interval, which Flink types as DATE.
  ExprPtr BindDateArithmetic(const ast::Expr& expr, ExprPtr date, ExprPtr interval);
  static void CheckConstantRegex(const Expr& pattern, const SourceLocation& location);
  static void CheckSessionTimeZone(const SourceLocation& location);
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

  static ExprPtr RequireBoolean(ExprPtr expr, const SourceLocation& location, const std::string& context);
  static void RequireNumeric(const Expr& expr, const SourceLocation& location, const std::string& context);
  static void RequireString(const Expr& expr, const SourceLocation& location, const std::string& context);

  std::vector<std::string> VisibleNames() const;

  const Scope& scope_;
  Hook over_hook_;
  Hook aggregate_hook_;
};

}  // namespace fsql
