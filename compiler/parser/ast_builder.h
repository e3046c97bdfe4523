// Converts ANTLR parse trees into the AST of ast.h. Private to compiler/parser:
// the builder is split over ast_builder_statement.cc (statements and DDL),
// ast_builder_query.cc (queries and relations) and ast_builder_expression.cc
// (expressions, literals and types).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include <antlr4-runtime.h>

#include "FlinkSqlLexer.h"
#include "FlinkSqlParser.h"
#include "compiler/parser/ast.h"

namespace fsql::parser_internal {

using grammar::FlinkSqlLexer;
using grammar::FlinkSqlParser;

/// The deepest nesting of expressions, queries and relations the builder accepts.
/// Deeper input gets a SqlError instead of exhausting the stack in the builder,
/// the binder or the AST's destructors.
inline constexpr int kMaxNestingDepth = 1000;

std::string Upper(std::string s);
/// Removes the outer quotes of `text` and turns each doubled quote inside into one.
std::string Unquote(const std::string& text, char quote);

/// Builds AST nodes from parse-tree contexts, one method per grammar rule it reads.
class AstBuilder {
 public:
  AstBuilder(const std::string& file, antlr4::CharStream* input, antlr4::TokenStream* tokens)
      : file_(file), input_(input), token_stream_(tokens) {}

  ast::Statement Statement(FlinkSqlParser::StatementContext* ctx);

 private:
  /// Counts the nesting of the recursive Build methods and rejects input deeper
  /// than kMaxNestingDepth at the node where it happens.
  class DepthGuard {
   public:
    DepthGuard(AstBuilder& builder, antlr4::ParserRuleContext* ctx);
    ~DepthGuard() { --builder_.depth_; }
    DepthGuard(const DepthGuard&) = delete;
    DepthGuard& operator=(const DepthGuard&) = delete;

   private:
    AstBuilder& builder_;
  };

  SourceLocation Loc(antlr4::ParserRuleContext* ctx) const { return Loc(ctx->getStart()); }
  SourceLocation Loc(antlr4::Token* token) const {
    return SourceLocation{file_, static_cast<int>(token->getLine()),
                          static_cast<int>(token->getCharPositionInLine()) + 1};
  }
  std::string Text(antlr4::ParserRuleContext* ctx) const;

  std::string Identifier(FlinkSqlParser::IdentifierContext* ctx);
  std::vector<std::string> Identifiers(FlinkSqlParser::IdentifierListContext* ctx);
  std::vector<std::string> Name(FlinkSqlParser::TableNameContext* ctx);
  std::string String(FlinkSqlParser::StringLiteralContext* ctx);
  std::vector<ast::TableOption> Options(FlinkSqlParser::TableOptionsContext* ctx);
  /// The hints of one /*+ ... */ block; empty when `ctx` is null.
  std::vector<ast::Hint> Hints(FlinkSqlParser::HintContext* ctx);

  // ast_builder_statement.cc
  void ShowStatement(FlinkSqlParser::ShowTargetContext* ctx, ast::Statement& stmt);
  void DescribeStatement(FlinkSqlParser::DescribeTargetContext* ctx, ast::Statement& stmt);
  void ExplainStatement(FlinkSqlParser::ExplainStatementContext* ctx, ast::Statement& stmt);
  bool CatalogStatement(FlinkSqlParser::StatementContext* ctx, ast::Statement& stmt);
  /// Returns the tokens of `ctx` separated by single spaces, and sets
  /// `has_unsupported_type` when they contain RAW or VARIANT.
  std::string TokensText(antlr4::ParserRuleContext* ctx, bool* has_unsupported_type = nullptr);
  std::unique_ptr<ast::OtherStatement> OtherStatement(FlinkSqlParser::UnsupportedStatementContext* ctx);
  std::vector<std::pair<std::string, std::unique_ptr<ast::Expr>>> Partition(FlinkSqlParser::PartitionSpecContext* ctx,
                                                                          bool values_required);
  std::unique_ptr<ast::CreateTable> CreateTable(FlinkSqlParser::CreateTableContext* ctx);
  /// Adds one column, watermark or primary key to `table`.
  void TableElement(FlinkSqlParser::TableElementContext* ctx, ast::CreateTable& table);
  std::unique_ptr<ast::AlterTable> AlterTable(FlinkSqlParser::AlterTableStatementContext* ctx);
  std::unique_ptr<ast::Insert> Insert(FlinkSqlParser::InsertIntoContext* ctx);

  // ast_builder_query.cc
  std::shared_ptr<ast::Query> Query(FlinkSqlParser::QueryContext* ctx);
  std::shared_ptr<ast::Query> QueryExpression(FlinkSqlParser::QueryExpressionContext* ctx);
  std::shared_ptr<ast::Query> QueryPrimary(FlinkSqlParser::QueryPrimaryContext* ctx);
  std::unique_ptr<ast::SelectCore> Select(FlinkSqlParser::QuerySpecificationContext* ctx);
  ast::GroupingElement Grouping(FlinkSqlParser::GroupingElementContext* ctx);
  ast::GroupingElement GroupingItem(FlinkSqlParser::GroupingItemContext* ctx);
  std::unique_ptr<ast::Relation> Relation(FlinkSqlParser::RelationContext* ctx);
  std::unique_ptr<ast::Relation> RelationPrimary(FlinkSqlParser::RelationPrimaryContext* ctx);
  ast::TableFunctionArg TableFunctionArg(FlinkSqlParser::TableFunctionArgumentContext* ctx);
  /// Wraps `input` in a MATCH_RECOGNIZE relation when `ctx` is set.
  std::unique_ptr<ast::Relation> MatchRecognize(FlinkSqlParser::MatchRecognizeContext* ctx,
                                                std::unique_ptr<ast::Relation> input);
  ast::PatternTerm Pattern(FlinkSqlParser::PatternAlternationContext* ctx);
  void ApplyAlias(FlinkSqlParser::TableAliasContext* ctx, ast::Relation& relation);
  std::unique_ptr<ast::WindowSpec> Window(FlinkSqlParser::WindowSpecificationContext* ctx);
  ast::FrameBound Bound(FlinkSqlParser::FrameBoundContext* ctx);
  std::vector<ast::SortItem> OrderBy(FlinkSqlParser::OrderByClauseContext* ctx);

  // ast_builder_expression.cc
  std::unique_ptr<ast::Expr> Expr(FlinkSqlParser::ExpressionContext* ctx);
  /// A bound of BETWEEN: arithmetic over primary expressions.
  std::unique_ptr<ast::Expr> Bound(FlinkSqlParser::BetweenBoundContext* ctx);
  std::unique_ptr<ast::Expr> Primary(FlinkSqlParser::PrimaryExpressionContext* ctx);
  /// The calls whose parentheses contain keywords: EXTRACT, TRIM, JSON_VALUE, ...
  std::unique_ptr<ast::Expr> KeywordCall(FlinkSqlParser::PrimaryExpressionContext* ctx);
  std::unique_ptr<ast::Expr> JsonCall(FlinkSqlParser::PrimaryExpressionContext* ctx);
  void JsonBehavior(FlinkSqlParser::JsonBehaviorContext* ctx, std::string& behavior,
                    std::unique_ptr<ast::Expr>& default_value);
  std::unique_ptr<ast::Expr> Literal(FlinkSqlParser::LiteralContext* ctx);
  DataType Type(FlinkSqlParser::DataTypeContext* ctx);
  DataType BaseType(FlinkSqlParser::BaseTypeContext* ctx);
  std::string Unit(antlr4::ParserRuleContext* ctx);
  /// Sets the upper-cased name, and the name parts of a qualified name, of a call.
  void FunctionName(FlinkSqlParser::FunctionNameContext* ctx, ast::Expr& expr);

  std::unique_ptr<ast::Expr> NewExpr(ast::ExprKind kind, antlr4::ParserRuleContext* ctx) {
    auto expr = std::make_unique<ast::Expr>();
    expr->kind = kind;
    expr->location = Loc(ctx);
    expr->text = Text(ctx);
    return expr;
  }
  std::vector<std::unique_ptr<ast::Expr>> Exprs(const std::vector<FlinkSqlParser::ExpressionContext*>& list) {
    std::vector<std::unique_ptr<ast::Expr>> out;
    for (auto* e : list) out.push_back(Expr(e));
    return out;
  }

  std::string file_;
  antlr4::CharStream* input_;
  antlr4::TokenStream* token_stream_;
  int depth_ = 0;
};

}  // namespace fsql::parser_internal
