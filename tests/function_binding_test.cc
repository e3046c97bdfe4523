// Binding of the call shapes that the grammar gives keyword forms
// (EXTRACT(unit FROM x), FLOOR(x TO unit), TRIM(LEADING ...), JSON clauses,
// IS JSON, IS DISTINCT FROM, SIMILAR TO). The cases build the AST documented
// in compiler/parser/ast.h directly, bind it and evaluate it interpreted and
// compiled, so the binder is tested before the parser produces these shapes.
#include <gtest/gtest.h>

#include "compiler/binder/binder.h"
#include "compiler/codegen/calc_compiler.h"
#include "runtime/expr/expr.h"
#include "runtime/expr/functions/function_registry.h"

namespace fsql {
namespace {

using AstPtr = std::unique_ptr<ast::Expr>;

AstPtr String(const std::string& text) {
  auto expr = std::make_unique<ast::Expr>();
  expr->kind = ast::ExprKind::kLiteral;
  expr->literal_kind = ast::LiteralKind::kString;
  expr->literal = text;
  return expr;
}

AstPtr Integer(int64_t value) {
  auto expr = std::make_unique<ast::Expr>();
  expr->kind = ast::ExprKind::kLiteral;
  expr->literal_kind = ast::LiteralKind::kInteger;
  expr->literal = std::to_string(value);
  return expr;
}

AstPtr Call(const std::string& name, std::vector<AstPtr> children) {
  auto expr = std::make_unique<ast::Expr>();
  expr->kind = ast::ExprKind::kFunction;
  expr->name = name;
  for (auto& child : children) expr->children.push_back(std::move(child));
  return expr;
}

template <typename... Args>
std::vector<AstPtr> List(Args... args) {
  std::vector<AstPtr> out;
  (out.push_back(std::move(args)), ...);
  return out;
}

AstPtr Timestamp(const std::string& text) { return Call("TO_TIMESTAMP", List(String(text))); }

/// Binds `expr` without columns, evaluates it interpreted and compiled, checks
/// that both agree and returns the value as text.
std::string EvaluateBoth(const ast::Expr& expr) {
  Scope scope;
  ExprPtr bound = BindScalar(expr, scope);
  Row row = RowBuilder(0).Finish(RowKind::kInsert, 0);
  EvalContext context;
  context.processing_time_ms = 1767225605500;
  Value interpreted = Evaluate(*bound, row.view(), context);
  auto compiled = codegen::CompileCalc(nullptr, {bound});
  EXPECT_TRUE(compiled.ok()) << compiled.error();
  if (compiled.ok()) {
    std::vector<Value> values;
    EXPECT_TRUE(compiled.value()->Evaluate(row.view(), context, values));
    EXPECT_EQ(values.at(0).ToString(bound->type), interpreted.ToString(bound->type)) << bound->ToString();
  }
  return interpreted.ToString(bound->type);
}

TEST(FunctionBindingTest, ExtractWithUnit) {
  AstPtr year = Call("EXTRACT", List(Timestamp("2024-01-15 10:30:45")));
  year->time_unit = "YEAR";
  EXPECT_EQ(EvaluateBoth(*year), "2024");
  AstPtr dow = Call("EXTRACT", List(Timestamp("2024-01-15 10:30:45")));
  dow->time_unit = "DOW";
  EXPECT_EQ(EvaluateBoth(*dow), "2");
  EXPECT_EQ(EvaluateBoth(*Call("HOUR", List(Timestamp("2024-01-15 10:30:45")))), "10");
  EXPECT_EQ(EvaluateBoth(*Call("SECOND", List(Timestamp("2024-01-15 10:30:45")))), "45");
}

TEST(FunctionBindingTest, FloorAndCeilToUnit) {
  AstPtr floor = Call("FLOOR", List(Timestamp("2024-01-15 10:30:45")));
  floor->time_unit = "HOUR";
  EXPECT_EQ(EvaluateBoth(*floor), "2024-01-15 10:00:00.000");
  AstPtr ceil = Call("CEIL", List(Timestamp("2024-01-15 10:30:45")));
  ceil->time_unit = "DAY";
  EXPECT_EQ(EvaluateBoth(*ceil), "2024-01-16 00:00:00.000");
  AstPtr exact = Call("CEIL", List(Timestamp("2024-01-01 00:00:00")));
  exact->time_unit = "MONTH";
  EXPECT_EQ(EvaluateBoth(*exact), "2024-01-01 00:00:00.000");
  AstPtr week = Call("FLOOR", List(Timestamp("2024-01-17 10:00:00")));
  week->time_unit = "WEEK";
  EXPECT_EQ(EvaluateBoth(*week), "2024-01-14 00:00:00.000");  // a Sunday
}

TEST(FunctionBindingTest, TrimSides) {
  AstPtr leading = Call("TRIM", List(String("xxaxx"), String("x")));
  leading->trim_side = "LEADING";
  EXPECT_EQ(EvaluateBoth(*leading), "axx");
  AstPtr trailing = Call("TRIM", List(String("xxaxx"), String("x")));
  trailing->trim_side = "TRAILING";
  EXPECT_EQ(EvaluateBoth(*trailing), "xxa");
  AstPtr both = Call("TRIM", List(String("xxaxx"), String("x")));
  both->trim_side = "BOTH";
  EXPECT_EQ(EvaluateBoth(*both), "a");
}

TEST(FunctionBindingTest, PositionAndSubstringShapes) {
  EXPECT_EQ(EvaluateBoth(*Call("POSITION", List(String("a"), String("xxaxx")))), "3");
  EXPECT_EQ(EvaluateBoth(*Call("SUBSTRING", List(String("xxaxx"), Integer(2), Integer(3)))), "xax");
}

TEST(FunctionBindingTest, JsonValueClauses) {
  AstPtr returning = Call("JSON_VALUE", List(String(R"({"a":5,"s":"x"})"), String("$.a")));
  returning->has_returning = true;
  returning->cast_type = DataType::Of(TypeId::kInt);
  EXPECT_EQ(EvaluateBoth(*returning), "5");

  AstPtr on_empty = Call("JSON_VALUE", List(String(R"({"a":5})"), String("lax $.b")));
  on_empty->has_returning = true;
  on_empty->cast_type = DataType::Of(TypeId::kInt);
  on_empty->json_on_empty = "DEFAULT";
  on_empty->json_on_empty_default = Integer(-1);
  EXPECT_EQ(EvaluateBoth(*on_empty), "-1");

  // Without a mode the path is strict, so a missing key is an error, not an empty result.
  AstPtr strict = Call("JSON_VALUE", List(String(R"({"a":5})"), String("$.b")));
  strict->json_on_empty = "DEFAULT";
  strict->json_on_empty_default = String("empty");
  strict->json_on_error = "DEFAULT";
  strict->json_on_error_default = String("error");
  EXPECT_EQ(EvaluateBoth(*strict), "error");

  AstPtr raise = Call("JSON_VALUE", List(String(R"({"a":[1]})"), String("$.a")));
  raise->json_on_error = "ERROR";
  Scope scope;
  ExprPtr bound = BindScalar(*raise, scope);
  Row row = RowBuilder(0).Finish(RowKind::kInsert, 0);
  EXPECT_THROW(Evaluate(*bound, row.view(), EvalContext{}), Error);
}

TEST(FunctionBindingTest, JsonQueryWrappersAndJsonObjectOnNull) {
  AstPtr conditional = Call("JSON_QUERY", List(String(R"({"a":1,"b":[1,2]})"), String("$.a")));
  conditional->json_wrapper = "CONDITIONAL";
  EXPECT_EQ(EvaluateBoth(*conditional), "[1]");
  AstPtr unconditional = Call("JSON_QUERY", List(String(R"({"a":1,"b":[1,2]})"), String("$.b")));
  unconditional->json_wrapper = "UNCONDITIONAL";
  EXPECT_EQ(EvaluateBoth(*unconditional), "[[1,2]]");
  AstPtr empty = Call("JSON_QUERY", List(String(R"({"a":1})"), String("lax $.z")));
  empty->json_on_empty = "EMPTY ARRAY";
  EXPECT_EQ(EvaluateBoth(*empty), "[]");

  auto null_string = std::make_unique<ast::Expr>();
  null_string->kind = ast::ExprKind::kCast;
  null_string->children.push_back(std::make_unique<ast::Expr>());
  null_string->children[0]->kind = ast::ExprKind::kLiteral;
  null_string->cast_type = DataType::Of(TypeId::kString);
  AstPtr object = Call("JSON_OBJECT", List(String("a"), Integer(1), String("b"), std::move(null_string)));
  object->json_on_null = "ABSENT";
  EXPECT_EQ(EvaluateBoth(*object), R"({"a":1})");
}

TEST(FunctionBindingTest, IsJsonPredicates) {
  auto is_json = [](const std::string& text, const std::string& kind, bool negated) {
    auto expr = std::make_unique<ast::Expr>();
    expr->kind = ast::ExprKind::kIsPredicate;
    expr->name = kind;
    expr->negated = negated;
    expr->children.push_back(String(text));
    return EvaluateBoth(*expr);
  };
  EXPECT_EQ(is_json(R"({"a":1})", "JSON VALUE", false), "TRUE");
  EXPECT_EQ(is_json("[1]", "JSON ARRAY", false), "TRUE");
  EXPECT_EQ(is_json("[1]", "JSON OBJECT", false), "FALSE");
  EXPECT_EQ(is_json("1", "JSON SCALAR", false), "TRUE");
  EXPECT_EQ(is_json("{nope", "JSON VALUE", true), "TRUE");
}

TEST(FunctionBindingTest, DistinctFromAndSimilarTo) {
  auto distinct = [](AstPtr left, AstPtr right, const std::string& op) {
    auto expr = std::make_unique<ast::Expr>();
    expr->kind = ast::ExprKind::kBinary;
    expr->name = op;
    expr->children.push_back(std::move(left));
    expr->children.push_back(std::move(right));
    return EvaluateBoth(*expr);
  };
  auto null_literal = [] {
    auto expr = std::make_unique<ast::Expr>();
    expr->kind = ast::ExprKind::kLiteral;
    return expr;
  };
  EXPECT_EQ(distinct(Integer(1), Integer(1), "IS DISTINCT FROM"), "FALSE");
  EXPECT_EQ(distinct(Integer(1), null_literal(), "IS DISTINCT FROM"), "TRUE");
  EXPECT_EQ(distinct(null_literal(), null_literal(), "IS NOT DISTINCT FROM"), "TRUE");

  auto similar = [](const std::string& text, const std::string& pattern, bool negated) {
    auto expr = std::make_unique<ast::Expr>();
    expr->kind = ast::ExprKind::kLike;
    expr->similar = true;
    expr->negated = negated;
    expr->children.push_back(String(text));
    expr->children.push_back(String(pattern));
    return EvaluateBoth(*expr);
  };
  EXPECT_EQ(similar("abcd", "(ab|cd)+", false), "TRUE");
  EXPECT_EQ(similar("abc", "(ab|cd)+", false), "FALSE");
  EXPECT_EQ(similar("abc", "a_c", true), "FALSE");
  EXPECT_EQ(similar("a.c", "a.c", false), "TRUE");
  EXPECT_EQ(similar("abc", "a.c", false), "FALSE");
}

TEST(FunctionRegistryTest, EveryNameResolvesToACompleteFunction) {
  ASSERT_FALSE(ScalarFunctionNames().empty());
  for (const std::string& name : ScalarFunctionNames()) {
    const ScalarFunction* function = FindScalarFunction(name);
    ASSERT_NE(function, nullptr) << name;
    EXPECT_FALSE(function->internal) << name;
    EXPECT_FALSE(function->signatures.empty()) << name;
    EXPECT_NE(function->impl, nullptr) << name;
    EXPECT_NE(function->result_type, nullptr) << name;
    EXPECT_EQ(DescribeSignatures(*function).rfind(function->name + "(", 0), 0u) << DescribeSignatures(*function);
  }
  EXPECT_EQ(FindScalarFunction("NOW"), FindScalarFunction("CURRENT_TIMESTAMP"));
  EXPECT_EQ(FindScalarFunction("NO_SUCH_FUNCTION"), nullptr);
}

}  // namespace
}  // namespace fsql
