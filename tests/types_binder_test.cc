// DECIMAL typing, element access (`a[i]`, `m['k']`) and the ARRAY[...] /
// MAP[...] constructors, bound from hand-built AST nodes in the shape that
// compiler/parser/ast.h documents, and evaluated by the interpreter and by
// compiled code.
#include <gtest/gtest.h>

#include "compiler/binder/binder.h"
#include "compiler/codegen/calc_compiler.h"
#include "runtime/common/error.h"

namespace fsql {
namespace {

using AstPtr = std::unique_ptr<ast::Expr>;

AstPtr Node(ast::ExprKind kind) {
  auto node = std::make_unique<ast::Expr>();
  node->kind = kind;
  return node;
}

AstPtr ColumnRef(const std::string& name) {
  AstPtr node = Node(ast::ExprKind::kColumnRef);
  node->name_parts = {name};
  node->text = name;
  return node;
}

AstPtr Literal(ast::LiteralKind kind, const std::string& text) {
  AstPtr node = Node(ast::ExprKind::kLiteral);
  node->literal_kind = kind;
  node->literal = text;
  node->text = text;
  return node;
}

AstPtr Item(AstPtr collection, AstPtr key) {
  AstPtr node = Node(ast::ExprKind::kItem);
  node->children.push_back(std::move(collection));
  node->children.push_back(std::move(key));
  return node;
}

AstPtr Call(const std::string& name, std::vector<AstPtr> args) {
  AstPtr node = Node(ast::ExprKind::kFunction);
  node->name = name;
  node->children = std::move(args);
  return node;
}

template <typename... Args>
std::vector<AstPtr> List(Args... args) {
  std::vector<AstPtr> out;
  (out.push_back(std::move(args)), ...);
  return out;
}

DataType ArrayOf(DataType element) {
  DataType type = DataType::Of(TypeId::kArray);
  type.children.push_back(std::move(element));
  return type;
}

DataType MapOf(DataType key, DataType value) {
  DataType type = DataType::Of(TypeId::kMap);
  type.children = {std::move(key), std::move(value)};
  return type;
}

/// A scope of `a ARRAY<STRING>` and `m MAP<STRING, BIGINT>`, and a row of them.
class CollectionBinderTest : public ::testing::Test {
 protected:
  CollectionBinderTest() {
    scope_.columns.push_back(Scope::Entry{"", "a", ArrayOf(DataType::Of(TypeId::kString))});
    scope_.columns.push_back(Scope::Entry{"", "m", MapOf(DataType::Of(TypeId::kString), DataType::Of(TypeId::kBigInt))});
    RowBuilder builder(2);
    builder.SetValue(0, scope_.columns[0].type, Value::Array({Value::String("x"), Value::Null(), Value::String("z")}));
    builder.SetValue(1, scope_.columns[1].type, Value::Map({Value::String("k")}, {Value::Int(7)}));
    row_ = builder.Finish(RowKind::kInsert);
  }

  /// Evaluates `expr` with the interpreter and with compiled code, which must agree.
  std::string Run(const ast::Expr& expr) {
    ExprPtr bound = BindScalar(expr, scope_);
    std::string interpreted = Evaluate(*bound, row_.view(), EvalContext{}).ToString(bound->type);
    auto compiled = codegen::CompileCalc(nullptr, {bound});
    EXPECT_TRUE(compiled.ok()) << compiled.error();
    if (compiled.ok()) {
      std::vector<Value> values;
      compiled.value()->Evaluate(row_.view(), EvalContext{}, values);
      EXPECT_EQ(values.at(0).ToString(bound->type), interpreted) << bound->ToString();
    }
    return interpreted;
  }

  Scope scope_;
  Row row_;
};

TEST_F(CollectionBinderTest, ArrayIndexIsOneBased) {
  EXPECT_EQ(Run(*Item(ColumnRef("a"), Literal(ast::LiteralKind::kInteger, "1"))), "x");
  EXPECT_EQ(Run(*Item(ColumnRef("a"), Literal(ast::LiteralKind::kInteger, "3"))), "z");
}

TEST_F(CollectionBinderTest, ArrayIndexOutOfRangeIsNull) {
  EXPECT_EQ(Run(*Item(ColumnRef("a"), Literal(ast::LiteralKind::kInteger, "0"))), "NULL");
  EXPECT_EQ(Run(*Item(ColumnRef("a"), Literal(ast::LiteralKind::kInteger, "4"))), "NULL");
  EXPECT_EQ(Run(*Item(ColumnRef("a"), Literal(ast::LiteralKind::kInteger, "2"))), "NULL");
}

TEST_F(CollectionBinderTest, MapKeyLooksUpTheValue) {
  EXPECT_EQ(Run(*Item(ColumnRef("m"), Literal(ast::LiteralKind::kString, "k"))), "7");
  EXPECT_EQ(Run(*Item(ColumnRef("m"), Literal(ast::LiteralKind::kString, "missing"))), "NULL");
}

TEST_F(CollectionBinderTest, ElementTypeIsNullable) {
  ExprPtr bound = BindScalar(*Item(ColumnRef("a"), Literal(ast::LiteralKind::kInteger, "1")), scope_);
  EXPECT_EQ(bound->type.ToString(), "STRING");
}

TEST_F(CollectionBinderTest, ConstructorsTakeTheCommonType) {
  AstPtr array = Call("ARRAY", List(Literal(ast::LiteralKind::kInteger, "1"), Literal(ast::LiteralKind::kDecimal, "2.5")));
  ExprPtr bound = BindScalar(*array, scope_);
  EXPECT_EQ(bound->type.ToString(), "ARRAY<DECIMAL(11, 1) NOT NULL> NOT NULL");
  EXPECT_EQ(Run(*array), "[1.0, 2.5]");

  AstPtr map = Call("MAP", List(Literal(ast::LiteralKind::kString, "a"), Literal(ast::LiteralKind::kInteger, "1"),
                                Literal(ast::LiteralKind::kString, "b"), Literal(ast::LiteralKind::kInteger, "2"),
                                Literal(ast::LiteralKind::kString, "a"), Literal(ast::LiteralKind::kInteger, "3")));
  EXPECT_EQ(BindScalar(*map, scope_)->type.ToString(), "MAP<STRING NOT NULL, INT NOT NULL> NOT NULL");
  EXPECT_EQ(Run(*map), "{a=3, b=2}");
}

TEST_F(CollectionBinderTest, ItemOfConstructedArray) {
  AstPtr array = Call("ARRAY", List(Literal(ast::LiteralKind::kInteger, "10"), Literal(ast::LiteralKind::kInteger, "20")));
  EXPECT_EQ(Run(*Item(std::move(array), Literal(ast::LiteralKind::kInteger, "2"))), "20");
}

TEST_F(CollectionBinderTest, ElementOfLongerArrayRaises) {
  ExprPtr bound = BindScalar(*Call("ELEMENT", List(ColumnRef("a"))), scope_);
  try {
    Evaluate(*bound, row_.view(), EvalContext{});
    FAIL() << "expected an error";
  } catch (const Error& error) {
    EXPECT_NE(std::string(error.what()).find("ELEMENT of an ARRAY with 3 elements"), std::string::npos);
  }
  auto compiled = codegen::CompileCalc(nullptr, {bound});
  ASSERT_TRUE(compiled.ok()) << compiled.error();
  std::vector<Value> values;
  EXPECT_THROW(compiled.value()->Evaluate(row_.view(), EvalContext{}, values), Error);
}

TEST_F(CollectionBinderTest, IndexMustBeAnInteger) {
  try {
    BindScalar(*Item(ColumnRef("a"), Literal(ast::LiteralKind::kString, "1")), scope_);
    FAIL() << "expected an error";
  } catch (const SqlError& error) {
    EXPECT_EQ(error.message(), "an ARRAY index must be an integer, got STRING NOT NULL");
  }
}

TEST_F(CollectionBinderTest, ItemOfScalarIsRejected) {
  scope_.columns.push_back(Scope::Entry{"", "v", DataType::Of(TypeId::kInt)});
  try {
    BindScalar(*Item(ColumnRef("v"), Literal(ast::LiteralKind::kInteger, "1")), scope_);
    FAIL() << "expected an error";
  } catch (const SqlError& error) {
    EXPECT_NE(error.message().find("has type INT, which has no elements"), std::string::npos) << error.message();
  }
}

AstPtr Binary(const std::string& op, AstPtr left, AstPtr right) {
  AstPtr node = Node(ast::ExprKind::kBinary);
  node->name = op;
  node->children.push_back(std::move(left));
  node->children.push_back(std::move(right));
  return node;
}

struct DecimalTypeCase {
  std::string op;
  std::string left;   // a column name or a literal
  std::string right;
  std::string type;   // the bound type, as Flink derives it
};

TEST(DecimalBindingTest, ResultTypesFollowFlink) {
  auto decimal = [](int precision, int scale, bool nullable) {
    DataType type = DataType::Of(TypeId::kDecimal, nullable);
    type.precision = precision;
    type.scale = scale;
    return type;
  };
  Scope scope;
  scope.columns.push_back(Scope::Entry{"", "a", decimal(10, 2, false)});
  scope.columns.push_back(Scope::Entry{"", "b", decimal(38, 10, true)});
  scope.columns.push_back(Scope::Entry{"", "i", DataType::Of(TypeId::kInt, false)});
  scope.columns.push_back(Scope::Entry{"", "x", DataType::Of(TypeId::kDouble, false)});
  auto operand = [](const std::string& text) -> AstPtr {
    if (text[0] >= '0' && text[0] <= '9') {
      return Literal(text.find('.') == std::string::npos ? ast::LiteralKind::kInteger : ast::LiteralKind::kDecimal,
                     text);
    }
    return ColumnRef(text);
  };
  const std::vector<DecimalTypeCase> cases = {
      {"+", "0.1", "0.2", "DECIMAL(3, 1) NOT NULL"},
      {"+", "a", "a", "DECIMAL(11, 2) NOT NULL"},
      {"-", "a", "i", "DECIMAL(13, 2) NOT NULL"},
      {"*", "a", "a", "DECIMAL(21, 4) NOT NULL"},
      {"/", "a", "a", "DECIMAL(23, 13) NOT NULL"},
      {"/", "i", "2.0", "DECIMAL(17, 6) NOT NULL"},
      {"%", "a", "0.3", "DECIMAL(3, 2) NOT NULL"},
      {"%", "a", "i", "DECIMAL(10, 2) NOT NULL"},
      {"/", "b", "b", "DECIMAL(38, 6)"},
      {"*", "b", "b", "DECIMAL(38, 6)"},
      {"+", "b", "a", "DECIMAL(38, 9)"},
      {"+", "a", "x", "DOUBLE NOT NULL"},
      {"+", "99999999999999999999", "1", "DECIMAL(21, 0) NOT NULL"},
  };
  for (const DecimalTypeCase& c : cases) {
    ExprPtr bound = BindScalar(*Binary(c.op, operand(c.left), operand(c.right)), scope);
    EXPECT_EQ(bound->type.ToString(), c.type) << c.left << " " << c.op << " " << c.right;
  }
  // An integral remainder takes the divisor's type.
  scope.columns.push_back(Scope::Entry{"", "d", decimal(12, 0, false)});
  EXPECT_EQ(BindScalar(*Binary("%", ColumnRef("d"), ColumnRef("i")), scope)->type.ToString(), "INT NOT NULL");
}

}  // namespace
}  // namespace fsql
