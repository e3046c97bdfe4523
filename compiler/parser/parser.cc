#include "compiler/parser/parser.h"

#include <algorithm>

#include <antlr4-runtime.h>

#include "FlinkSqlLexer.h"
#include "FlinkSqlParser.h"

namespace fsql {

using grammar::FlinkSqlLexer;
using grammar::FlinkSqlParser;

std::string ast::JoinName(const std::vector<std::string>& parts) {
  std::string out;
  for (const auto& part : parts) {
    if (!out.empty()) out += ".";
    out += part;
  }
  return out;
}

std::string SourceLine(const std::string& text, int line) {
  size_t start = 0;
  for (int i = 1; i < line; ++i) {
    size_t next = text.find('\n', start);
    if (next == std::string::npos) return {};
    start = next + 1;
  }
  size_t end = text.find('\n', start);
  std::string out = text.substr(start, end == std::string::npos ? std::string::npos : end - start);
  if (!out.empty() && out.back() == '\r') out.pop_back();
  return out;
}

namespace {

/// Turns the first syntax error into a SqlError with a readable hint.
class ThrowingErrorListener : public antlr4::BaseErrorListener {
 public:
  explicit ThrowingErrorListener(std::string file) : file_(std::move(file)) {}

  void syntaxError(antlr4::Recognizer* recognizer, antlr4::Token* offending, size_t line,
                   size_t column, const std::string& antlr_message,
                   std::exception_ptr error) override {
    SourceLocation location{file_, static_cast<int>(line), static_cast<int>(column) + 1};
    std::string near = offending ? offending->getText() : std::string();
    if (offending == nullptr) {
      throw SqlError("invalid character in SQL text", location,
                     "check for a stray symbol or an unterminated quote");
    }
    if (offending->getType() == antlr4::Token::EOF) {
      throw SqlError("unexpected end of input", location,
                     "the statement is incomplete; check for a missing ')' or expression");
    }
    std::string hint = ExpectedHint(recognizer, offending);
    if (offending->getType() == FlinkSqlLexer::UNRECOGNIZED) {
      throw SqlError(fmt::format("unexpected character '{}'", near), location,
                     "strings use single quotes and names with special characters use backquotes");
    }
    throw SqlError(fmt::format("syntax error at '{}'", near), location, hint);
  }

 private:
  static std::string ExpectedHint(antlr4::Recognizer* recognizer, antlr4::Token* offending) {
    auto* parser = dynamic_cast<antlr4::Parser*>(recognizer);
    if (parser == nullptr) return {};
    antlr4::misc::IntervalSet expected;
    try {
      expected = parser->getExpectedTokens();
    } catch (...) {
      return {};
    }
    std::vector<std::string> names;
    for (ssize_t type : expected.toList()) {
      std::string name = parser->getVocabulary().getDisplayName(type);
      if (name.size() >= 2 && name.front() == '\'') name = name.substr(1, name.size() - 2);
      if (name == "QUOTED_IDENTIFIER" || name == "IDENTIFIER") name = "a name";
      if (name == "STRING_LITERAL") name = "a string";
      if (name == "INTEGER_VALUE") name = "an integer";
      if (std::find(names.begin(), names.end(), name) == names.end()) names.push_back(name);
    }
    if (names.empty() || names.size() > 8) {
      std::string text = offending->getText();
      if (offending->getType() < FlinkSqlLexer::EQ && offending->getType() > 0) {
        return fmt::format("'{}' is a reserved keyword; quote it with backquotes to use it as a name",
                           text);
      }
      return {};
    }
    return "expected " + fmt::format("{}", fmt::join(names, ", "));
  }

  std::string file_;
};

std::string Unquote(const std::string& text, char quote) {
  std::string out;
  for (size_t i = 1; i + 1 < text.size(); ++i) {
    out += text[i];
    if (text[i] == quote && i + 2 < text.size() && text[i + 1] == quote) ++i;
  }
  return out;
}

std::string Upper(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::toupper(c); });
  return s;
}

/// Builds AST nodes from parse-tree contexts. One method per grammar rule it reads.
class AstBuilder {
 public:
  AstBuilder(const std::string& file, antlr4::CharStream* input) : file_(file), input_(input) {}

  ast::Statement Statement(FlinkSqlParser::StatementContext* ctx);

 private:
  SourceLocation Loc(antlr4::ParserRuleContext* ctx) const {
    return Loc(ctx->getStart());
  }
  SourceLocation Loc(antlr4::Token* token) const {
    return SourceLocation{file_, static_cast<int>(token->getLine()),
                          static_cast<int>(token->getCharPositionInLine()) + 1};
  }
  std::string Text(antlr4::ParserRuleContext* ctx) const {
    if (ctx->getStop() == nullptr || ctx->getStop()->getStopIndex() < ctx->getStart()->getStartIndex()) {
      return ctx->getStart()->getText();
    }
    return input_->getText(antlr4::misc::Interval(ctx->getStart()->getStartIndex(),
                                                  ctx->getStop()->getStopIndex()));
  }

  std::string Identifier(FlinkSqlParser::IdentifierContext* ctx);
  std::vector<std::string> Identifiers(FlinkSqlParser::IdentifierListContext* ctx);
  std::vector<std::string> Name(FlinkSqlParser::TableNameContext* ctx);
  std::string String(FlinkSqlParser::StringLiteralContext* ctx) {
    return Unquote(ctx->getText(), '\'');
  }

  std::unique_ptr<ast::CreateTable> CreateTable(FlinkSqlParser::CreateTableContext* ctx);
  std::unique_ptr<ast::Insert> Insert(FlinkSqlParser::InsertIntoContext* ctx);
  std::shared_ptr<ast::Query> Query(FlinkSqlParser::QueryContext* ctx);
  std::shared_ptr<ast::Query> QueryExpression(FlinkSqlParser::QueryExpressionContext* ctx);
  std::shared_ptr<ast::Query> QueryPrimary(FlinkSqlParser::QueryPrimaryContext* ctx);
  std::unique_ptr<ast::SelectCore> Select(FlinkSqlParser::QuerySpecificationContext* ctx);
  std::unique_ptr<ast::Relation> Relation(FlinkSqlParser::RelationContext* ctx);
  std::unique_ptr<ast::Relation> RelationPrimary(FlinkSqlParser::RelationPrimaryContext* ctx);
  std::unique_ptr<ast::WindowSpec> Window(FlinkSqlParser::WindowSpecificationContext* ctx);
  ast::FrameBound Bound(FlinkSqlParser::FrameBoundContext* ctx);
  std::vector<ast::SortItem> OrderBy(FlinkSqlParser::OrderByClauseContext* ctx);
  std::unique_ptr<ast::Expr> Expr(FlinkSqlParser::ExpressionContext* ctx);
  std::unique_ptr<ast::Expr> Primary(FlinkSqlParser::PrimaryExpressionContext* ctx);
  std::unique_ptr<ast::Expr> Literal(FlinkSqlParser::LiteralContext* ctx);
  DataType Type(FlinkSqlParser::DataTypeContext* ctx);
  DataType BaseType(FlinkSqlParser::BaseTypeContext* ctx);

  std::unique_ptr<ast::Expr> NewExpr(ast::ExprKind kind, antlr4::ParserRuleContext* ctx) {
    auto expr = std::make_unique<ast::Expr>();
    expr->kind = kind;
    expr->location = Loc(ctx);
    expr->text = Text(ctx);
    return expr;
  }

  std::string file_;
  antlr4::CharStream* input_;
};

std::string AstBuilder::Identifier(FlinkSqlParser::IdentifierContext* ctx) {
  if (ctx->QUOTED_IDENTIFIER()) return Unquote(ctx->getText(), '`');
  return ctx->getText();
}

std::vector<std::string> AstBuilder::Identifiers(FlinkSqlParser::IdentifierListContext* ctx) {
  std::vector<std::string> out;
  for (auto* id : ctx->identifier()) out.push_back(Identifier(id));
  return out;
}

std::vector<std::string> AstBuilder::Name(FlinkSqlParser::TableNameContext* ctx) {
  std::vector<std::string> out;
  for (auto* id : ctx->identifier()) out.push_back(Identifier(id));
  return out;
}

ast::Statement AstBuilder::Statement(FlinkSqlParser::StatementContext* ctx) {
  ast::Statement stmt;
  stmt.location = Loc(ctx);
  stmt.text = Text(ctx);
  if (auto* set = dynamic_cast<FlinkSqlParser::SetStatementContext*>(ctx)) {
    stmt.kind = ast::StatementKind::kSet;
    if (set->key) {
      stmt.key = String(set->key);
      stmt.value = String(set->value);
    }
  } else if (auto* reset = dynamic_cast<FlinkSqlParser::ResetStatementContext*>(ctx)) {
    stmt.kind = ast::StatementKind::kReset;
    if (reset->key) stmt.key = String(reset->key);
  } else if (auto* create = dynamic_cast<FlinkSqlParser::CreateTableStatementContext*>(ctx)) {
    stmt.kind = ast::StatementKind::kCreateTable;
    stmt.create_table = CreateTable(create->createTable());
  } else if (auto* view = dynamic_cast<FlinkSqlParser::CreateViewStatementContext*>(ctx)) {
    stmt.kind = ast::StatementKind::kCreateView;
    stmt.create_view = std::make_unique<ast::CreateView>();
    stmt.create_view->name = Name(view->tableName());
    stmt.create_view->temporary = view->TEMPORARY() != nullptr;
    stmt.create_view->if_not_exists = view->EXISTS() != nullptr;
    if (view->identifierList()) stmt.create_view->column_names = Identifiers(view->identifierList());
    stmt.create_view->query = Query(view->query());
  } else if (auto* insert = dynamic_cast<FlinkSqlParser::InsertStatementContext*>(ctx)) {
    stmt.kind = ast::StatementKind::kInsert;
    stmt.insert = Insert(insert->insertInto());
  } else if (auto* set = dynamic_cast<FlinkSqlParser::StatementSetContext*>(ctx)) {
    stmt.kind = ast::StatementKind::kStatementSet;
    for (auto* insert : set->insertInto()) {
      stmt.statement_set.push_back(Insert(insert));
      stmt.statement_set_locations.push_back(Loc(insert));
    }
  } else if (dynamic_cast<FlinkSqlParser::BeginStatementSetContext*>(ctx)) {
    stmt.kind = ast::StatementKind::kBeginStatementSet;
  } else if (dynamic_cast<FlinkSqlParser::EndStatementSetContext*>(ctx)) {
    stmt.kind = ast::StatementKind::kEndStatementSet;
  } else if (auto* query = dynamic_cast<FlinkSqlParser::QueryStatementContext*>(ctx)) {
    stmt.kind = ast::StatementKind::kQuery;
    stmt.query = Query(query->query());
  } else {
    throw InternalError("unknown statement alternative in the parse tree");
  }
  return stmt;
}

std::unique_ptr<ast::CreateTable> AstBuilder::CreateTable(FlinkSqlParser::CreateTableContext* ctx) {
  auto table = std::make_unique<ast::CreateTable>();
  table->name = Name(ctx->tableName());
  table->temporary = ctx->TEMPORARY() != nullptr;
  table->if_not_exists = ctx->EXISTS() != nullptr;
  for (auto* element : ctx->tableElement()) {
    if (auto* physical = dynamic_cast<FlinkSqlParser::PhysicalColumnContext*>(element)) {
      ast::ColumnDef column;
      column.location = Loc(physical);
      column.name = Identifier(physical->identifier());
      column.type = Type(physical->dataType());
      column.metadata = physical->METADATA() != nullptr;
      column.is_virtual = physical->VIRTUAL() != nullptr;
      auto strings = physical->stringLiteral();
      if (physical->FROM() && !strings.empty()) column.metadata_key = String(strings[0]);
      if (physical->COMMENT()) column.comment = String(strings.back());
      table->columns.push_back(std::move(column));
    } else if (auto* computed = dynamic_cast<FlinkSqlParser::ComputedColumnContext*>(element)) {
      ast::ColumnDef column;
      column.location = Loc(computed);
      column.name = Identifier(computed->identifier());
      column.computed = Expr(computed->expression());
      if (computed->stringLiteral()) column.comment = String(computed->stringLiteral());
      table->columns.push_back(std::move(column));
    } else if (auto* watermark = dynamic_cast<FlinkSqlParser::WatermarkDefinitionContext*>(element)) {
      table->watermark_column = Identifier(watermark->identifier());
      table->watermark_expr = Expr(watermark->expression());
      table->watermark_location = Loc(watermark);
    } else if (auto* key = dynamic_cast<FlinkSqlParser::PrimaryKeyDefinitionContext*>(element)) {
      table->primary_key = Identifiers(key->identifierList());
      table->primary_key_location = Loc(key);
    }
  }
  if (ctx->comment) table->comment = String(ctx->comment);
  if (auto* distribution = ctx->distribution()) {
    if (distribution->identifierList()) table->distribution_keys = Identifiers(distribution->identifierList());
    if (distribution->buckets) table->buckets = std::stoi(distribution->buckets->getText());
  }
  if (ctx->PARTITIONED()) table->partitioned_by = Identifiers(ctx->identifierList());
  if (auto* options = ctx->tableOptions()) {
    for (auto* option : options->tableOption()) {
      table->options.push_back(ast::TableOption{Loc(option), String(option->key), String(option->value)});
    }
  }
  if (ctx->query()) table->as_query = Query(ctx->query());
  return table;
}

std::unique_ptr<ast::Insert> AstBuilder::Insert(FlinkSqlParser::InsertIntoContext* ctx) {
  auto insert = std::make_unique<ast::Insert>();
  insert->table_name = Name(ctx->tableName());
  insert->table_location = Loc(ctx->tableName());
  insert->overwrite = ctx->OVERWRITE() != nullptr;
  if (ctx->identifierList()) insert->columns = Identifiers(ctx->identifierList());
  insert->query = Query(ctx->query());
  return insert;
}

std::shared_ptr<ast::Query> AstBuilder::Query(FlinkSqlParser::QueryContext* ctx) {
  auto query = QueryExpression(ctx->queryExpression());
  bool has_modifiers = ctx->withClause() || ctx->orderByClause() || ctx->limitClause();
  if (has_modifiers && (!query->ctes.empty() || !query->order_by.empty() || query->limit)) {
    // The inner query already carries modifiers of its own, so wrap it.
    auto outer = std::make_shared<ast::Query>();
    outer->kind = ast::QueryKind::kNested;
    outer->location = query->location;
    outer->nested = query;
    query = outer;
  }
  query->location = Loc(ctx);
  if (auto* with = ctx->withClause()) {
    for (auto* cte_ctx : with->commonTableExpression()) {
      ast::CommonTableExpr cte;
      cte.name = Identifier(cte_ctx->identifier());
      cte.location = Loc(cte_ctx);
      if (cte_ctx->identifierList()) cte.column_names = Identifiers(cte_ctx->identifierList());
      cte.query = Query(cte_ctx->query());
      query->ctes.push_back(std::move(cte));
    }
  }
  if (ctx->orderByClause()) query->order_by = OrderBy(ctx->orderByClause());
  if (ctx->limitClause()) query->limit = std::stoll(ctx->limitClause()->INTEGER_VALUE()->getText());
  return query;
}

std::shared_ptr<ast::Query> AstBuilder::QueryExpression(FlinkSqlParser::QueryExpressionContext* ctx) {
  if (auto* primary = dynamic_cast<FlinkSqlParser::PrimaryQueryContext*>(ctx)) {
    return QueryPrimary(primary->queryPrimary());
  }
  auto* union_ctx = dynamic_cast<FlinkSqlParser::UnionQueryContext*>(ctx);
  auto query = std::make_shared<ast::Query>();
  query->kind = ast::QueryKind::kUnion;
  query->location = Loc(ctx);
  query->left = QueryExpression(union_ctx->left);
  query->right = QueryExpression(union_ctx->right);
  query->union_all = union_ctx->setQuantifier() && union_ctx->setQuantifier()->ALL();
  return query;
}

std::shared_ptr<ast::Query> AstBuilder::QueryPrimary(FlinkSqlParser::QueryPrimaryContext* ctx) {
  auto query = std::make_shared<ast::Query>();
  query->location = Loc(ctx);
  if (auto* select = dynamic_cast<FlinkSqlParser::SelectQueryContext*>(ctx)) {
    query->kind = ast::QueryKind::kSelect;
    query->select = Select(select->querySpecification());
  } else if (auto* nested = dynamic_cast<FlinkSqlParser::ParenthesizedQueryContext*>(ctx)) {
    query->kind = ast::QueryKind::kNested;
    query->nested = Query(nested->query());
  } else if (auto* values = dynamic_cast<FlinkSqlParser::ValuesQueryContext*>(ctx)) {
    query->kind = ast::QueryKind::kValues;
    for (auto* row : values->rowConstructor()) {
      std::vector<std::unique_ptr<ast::Expr>> exprs;
      for (auto* e : row->expression()) exprs.push_back(Expr(e));
      query->values.push_back(std::move(exprs));
    }
  }
  return query;
}

std::unique_ptr<ast::SelectCore> AstBuilder::Select(FlinkSqlParser::QuerySpecificationContext* ctx) {
  auto select = std::make_unique<ast::SelectCore>();
  select->location = Loc(ctx);
  select->distinct = ctx->setQuantifier() && ctx->setQuantifier()->DISTINCT();
  for (auto* item_ctx : ctx->selectItem()) {
    ast::SelectItem item;
    item.location = Loc(item_ctx);
    if (auto* all = dynamic_cast<FlinkSqlParser::SelectAllContext*>(item_ctx)) {
      item.star = true;
      if (all->qualifiedName()) {
        for (auto* id : all->qualifiedName()->identifier()) item.star_qualifier.push_back(Identifier(id));
      }
    } else {
      auto* expr = dynamic_cast<FlinkSqlParser::SelectExpressionContext*>(item_ctx);
      item.expr = Expr(expr->expression());
      if (expr->identifier()) item.alias = Identifier(expr->identifier());
    }
    select->items.push_back(std::move(item));
  }
  for (auto* relation : ctx->relation()) select->from.push_back(Relation(relation));
  if (ctx->where) select->where = Expr(ctx->where);
  if (ctx->GROUP()) {
    // The grammar lists group keys before HAVING's expression.
    auto exprs = ctx->expression();
    for (auto* e : exprs) {
      if (e == ctx->where || e == ctx->having) continue;
      select->group_by.push_back(Expr(e));
    }
  }
  if (ctx->having) select->having = Expr(ctx->having);
  for (auto* window : ctx->namedWindow()) {
    select->windows.push_back(ast::NamedWindow{Identifier(window->identifier()),
                                               Window(window->windowSpecification())});
  }
  return select;
}

std::unique_ptr<ast::Relation> AstBuilder::Relation(FlinkSqlParser::RelationContext* ctx) {
  auto first = RelationPrimary(ctx->relationPrimary());
  if (ctx->joinClause().empty()) return first;
  auto relation = std::make_unique<ast::Relation>();
  relation->kind = ast::RelationKind::kJoin;
  relation->location = Loc(ctx);
  relation->left = std::move(first);
  for (auto* join_ctx : ctx->joinClause()) {
    ast::JoinClause join;
    join.location = Loc(join_ctx);
    if (join_ctx->CROSS()) {
      join.kind = ast::JoinKind::kCross;
    } else if (auto* type = join_ctx->joinType()) {
      if (type->LEFT()) join.kind = ast::JoinKind::kLeft;
      else if (type->RIGHT()) join.kind = ast::JoinKind::kRight;
      else if (type->FULL()) join.kind = ast::JoinKind::kFull;
    }
    join.right = RelationPrimary(join_ctx->relationPrimary());
    if (auto* condition = join_ctx->joinCondition()) {
      if (condition->ON()) join.on = Expr(condition->expression());
      else join.using_columns = Identifiers(condition->identifierList());
    }
    relation->joins.push_back(std::move(join));
  }
  return relation;
}

std::unique_ptr<ast::Relation> AstBuilder::RelationPrimary(FlinkSqlParser::RelationPrimaryContext* ctx) {
  std::unique_ptr<ast::Relation> relation;
  FlinkSqlParser::TableAliasContext* alias = nullptr;
  if (auto* table = dynamic_cast<FlinkSqlParser::TableRelationContext*>(ctx)) {
    relation = std::make_unique<ast::Relation>();
    relation->kind = ast::RelationKind::kTable;
    relation->table_name = Name(table->tableName());
    if (table->asOf) relation->as_of = Expr(table->asOf);
    alias = table->tableAlias();
  } else if (auto* sub = dynamic_cast<FlinkSqlParser::SubqueryRelationContext*>(ctx)) {
    relation = std::make_unique<ast::Relation>();
    relation->kind = ast::RelationKind::kSubquery;
    relation->subquery = Query(sub->query());
    alias = sub->tableAlias();
  } else if (auto* function = dynamic_cast<FlinkSqlParser::TableFunctionRelationContext*>(ctx)) {
    relation = std::make_unique<ast::Relation>();
    relation->kind = ast::RelationKind::kTableFunction;
    relation->function_name = Upper(function->functionName()->getText());
    for (auto* arg_ctx : function->tableFunctionArgument()) {
      ast::TableFunctionArg arg;
      arg.location = Loc(arg_ctx);
      if (arg_ctx->identifier()) arg.name = Upper(Identifier(arg_ctx->identifier()));
      auto* value = arg_ctx->tableFunctionArgumentValue();
      if (auto* table = dynamic_cast<FlinkSqlParser::TableArgumentContext*>(value)) {
        arg.kind = ast::TableFunctionArg::Kind::kTable;
        arg.table_name = Name(table->tableName());
      } else if (auto* descriptor = dynamic_cast<FlinkSqlParser::DescriptorArgumentContext*>(value)) {
        arg.kind = ast::TableFunctionArg::Kind::kDescriptor;
        arg.descriptor = Identifier(descriptor->identifier());
      } else {
        arg.kind = ast::TableFunctionArg::Kind::kExpression;
        arg.expr = Expr(dynamic_cast<FlinkSqlParser::ExpressionArgumentContext*>(value)->expression());
      }
      relation->function_args.push_back(std::move(arg));
    }
    alias = function->tableAlias();
  } else {
    auto* paren = dynamic_cast<FlinkSqlParser::ParenthesizedRelationContext*>(ctx);
    return Relation(paren->relation());
  }
  relation->location = Loc(ctx);
  if (alias) {
    relation->alias = Identifier(alias->identifier());
    if (alias->identifierList()) relation->column_aliases = Identifiers(alias->identifierList());
  }
  return relation;
}

std::vector<ast::SortItem> AstBuilder::OrderBy(FlinkSqlParser::OrderByClauseContext* ctx) {
  std::vector<ast::SortItem> items;
  for (auto* sort : ctx->sortItem()) {
    ast::SortItem item;
    item.expr = Expr(sort->expression());
    item.descending = sort->ordering && sort->ordering->getType() == FlinkSqlLexer::DESC;
    if (sort->nullOrder) item.nulls_first = sort->nullOrder->getType() == FlinkSqlLexer::FIRST;
    items.push_back(std::move(item));
  }
  return items;
}

std::unique_ptr<ast::WindowSpec> AstBuilder::Window(FlinkSqlParser::WindowSpecificationContext* ctx) {
  auto spec = std::make_unique<ast::WindowSpec>();
  spec->location = Loc(ctx);
  if (ctx->baseWindow) spec->base_window = Identifier(ctx->baseWindow);
  for (auto* e : ctx->expression()) spec->partition_by.push_back(Expr(e));
  if (ctx->orderByClause()) spec->order_by = OrderBy(ctx->orderByClause());
  if (auto* frame = ctx->windowFrame()) {
    spec->has_frame = true;
    spec->rows_frame = frame->frameType->getType() == FlinkSqlLexer::ROWS;
    spec->frame_start = Bound(frame->start);
    if (frame->end) spec->frame_end = Bound(frame->end);
  }
  return spec;
}

ast::FrameBound AstBuilder::Bound(FlinkSqlParser::FrameBoundContext* ctx) {
  ast::FrameBound bound;
  if (dynamic_cast<FlinkSqlParser::UnboundedPrecedingContext*>(ctx)) {
    bound.kind = ast::FrameBoundKind::kUnboundedPreceding;
  } else if (dynamic_cast<FlinkSqlParser::UnboundedFollowingContext*>(ctx)) {
    bound.kind = ast::FrameBoundKind::kUnboundedFollowing;
  } else if (auto* preceding = dynamic_cast<FlinkSqlParser::BoundedPrecedingContext*>(ctx)) {
    bound.kind = ast::FrameBoundKind::kPreceding;
    bound.offset = Expr(preceding->expression());
  } else if (auto* following = dynamic_cast<FlinkSqlParser::BoundedFollowingContext*>(ctx)) {
    bound.kind = ast::FrameBoundKind::kFollowing;
    bound.offset = Expr(following->expression());
  }
  return bound;
}

std::unique_ptr<ast::Expr> AstBuilder::Expr(FlinkSqlParser::ExpressionContext* ctx) {
  using K = ast::ExprKind;
  if (auto* primary = dynamic_cast<FlinkSqlParser::PrimaryContext*>(ctx)) {
    return Primary(primary->primaryExpression());
  }
  if (auto* unary = dynamic_cast<FlinkSqlParser::UnaryContext*>(ctx)) {
    auto expr = NewExpr(K::kUnary, ctx);
    expr->name = unary->op->getText();
    expr->children.push_back(Expr(unary->expression()));
    return expr;
  }
  if (auto* binary = dynamic_cast<FlinkSqlParser::ArithmeticContext*>(ctx)) {
    auto expr = NewExpr(K::kBinary, ctx);
    expr->name = binary->op->getText();
    expr->children.push_back(Expr(binary->left));
    expr->children.push_back(Expr(binary->right));
    return expr;
  }
  if (auto* comparison = dynamic_cast<FlinkSqlParser::ComparisonContext*>(ctx)) {
    auto expr = NewExpr(K::kBinary, ctx);
    expr->name = comparison->comparisonOperator()->getText();
    if (expr->name == "!=") expr->name = "<>";
    expr->children.push_back(Expr(comparison->left));
    expr->children.push_back(Expr(comparison->right));
    return expr;
  }
  if (auto* logical = dynamic_cast<FlinkSqlParser::LogicalContext*>(ctx)) {
    auto expr = NewExpr(K::kBinary, ctx);
    expr->name = Upper(logical->op->getText());
    expr->children.push_back(Expr(logical->left));
    expr->children.push_back(Expr(logical->right));
    return expr;
  }
  if (auto* negation = dynamic_cast<FlinkSqlParser::LogicalNotContext*>(ctx)) {
    auto expr = NewExpr(K::kNot, ctx);
    expr->children.push_back(Expr(negation->expression()));
    return expr;
  }
  if (auto* is = dynamic_cast<FlinkSqlParser::IsPredicateContext*>(ctx)) {
    auto expr = NewExpr(K::kIsPredicate, ctx);
    expr->negated = is->NOT() != nullptr;
    expr->name = is->NULL_() ? "NULL" : is->TRUE() ? "TRUE" : is->FALSE() ? "FALSE" : "UNKNOWN";
    expr->children.push_back(Expr(is->expression()));
    return expr;
  }
  if (auto* in = dynamic_cast<FlinkSqlParser::InListContext*>(ctx)) {
    auto expr = NewExpr(K::kInList, ctx);
    expr->negated = in->NOT() != nullptr;
    for (auto* e : in->expression()) expr->children.push_back(Expr(e));
    return expr;
  }
  if (auto* between = dynamic_cast<FlinkSqlParser::BetweenContext*>(ctx)) {
    auto expr = NewExpr(K::kBetween, ctx);
    expr->negated = between->NOT() != nullptr;
    expr->children.push_back(Expr(between->expression(0)));
    expr->children.push_back(Expr(between->lower));
    expr->children.push_back(Expr(between->upper));
    return expr;
  }
  if (auto* like = dynamic_cast<FlinkSqlParser::LikeContext*>(ctx)) {
    auto expr = NewExpr(K::kLike, ctx);
    expr->negated = like->NOT() != nullptr;
    expr->children.push_back(Expr(like->expression(0)));
    expr->children.push_back(Expr(like->pattern));
    if (like->escape) expr->literal = String(like->escape);
    return expr;
  }
  throw InternalError("unknown expression alternative in the parse tree");
}

std::unique_ptr<ast::Expr> AstBuilder::Primary(FlinkSqlParser::PrimaryExpressionContext* ctx) {
  using K = ast::ExprKind;
  if (auto* literal = dynamic_cast<FlinkSqlParser::LiteralExpressionContext*>(ctx)) {
    return Literal(literal->literal());
  }
  if (auto* column = dynamic_cast<FlinkSqlParser::ColumnReferenceContext*>(ctx)) {
    auto expr = NewExpr(K::kColumnRef, ctx);
    for (auto* id : column->qualifiedName()->identifier()) expr->name_parts.push_back(Identifier(id));
    return expr;
  }
  if (auto* paren = dynamic_cast<FlinkSqlParser::ParenthesizedContext*>(ctx)) {
    return Expr(paren->expression());
  }
  if (auto* cast = dynamic_cast<FlinkSqlParser::CastContext*>(ctx)) {
    auto expr = NewExpr(K::kCast, ctx);
    expr->try_cast = cast->TRY_CAST() != nullptr;
    expr->cast_type = Type(cast->dataType());
    expr->children.push_back(Expr(cast->expression()));
    return expr;
  }
  if (auto* case_ctx = dynamic_cast<FlinkSqlParser::CaseExpressionContext*>(ctx)) {
    auto expr = NewExpr(K::kCase, ctx);
    if (case_ctx->operand) {
      expr->has_operand = true;
      expr->children.push_back(Expr(case_ctx->operand));
    }
    for (auto* when : case_ctx->whenClause()) {
      expr->children.push_back(Expr(when->condition));
      expr->children.push_back(Expr(when->result));
    }
    if (case_ctx->elseValue) {
      expr->has_else = true;
      expr->children.push_back(Expr(case_ctx->elseValue));
    }
    return expr;
  }
  auto attach_window = [this](ast::Expr& expr, FlinkSqlParser::FilterClauseContext* filter,
                               FlinkSqlParser::OverClauseContext* over) {
    if (filter) expr.filter = Expr(filter->expression());
    if (over) {
      if (over->identifier()) expr.over_window_name = Identifier(over->identifier());
      else expr.over = Window(over->windowSpecification());
    }
  };
  if (auto* call = dynamic_cast<FlinkSqlParser::FunctionCallContext*>(ctx)) {
    auto expr = NewExpr(K::kFunction, ctx);
    expr->name = Upper(call->functionName()->getText());
    if (call->functionName()->identifier() && call->functionName()->identifier()->QUOTED_IDENTIFIER()) {
      expr->name = Upper(Identifier(call->functionName()->identifier()));
    }
    expr->distinct = call->setQuantifier() && call->setQuantifier()->DISTINCT();
    for (auto* e : call->expression()) expr->children.push_back(Expr(e));
    attach_window(*expr, call->filterClause(), call->overClause());
    return expr;
  }
  if (auto* count = dynamic_cast<FlinkSqlParser::CountStarContext*>(ctx)) {
    auto expr = NewExpr(K::kFunction, ctx);
    expr->name = Upper(count->functionName()->getText());
    expr->star = true;
    attach_window(*expr, count->filterClause(), count->overClause());
    return expr;
  }
  if (auto* unit_call = dynamic_cast<FlinkSqlParser::TimeUnitCallContext*>(ctx)) {
    auto expr = NewExpr(K::kFunction, ctx);
    expr->name = Upper(unit_call->timeUnitFunction()->getText());
    expr->time_unit = Upper(unit_call->timeUnit()->getText());
    for (auto* e : unit_call->expression()) expr->children.push_back(Expr(e));
    return expr;
  }
  if (auto* sub = dynamic_cast<FlinkSqlParser::ScalarSubqueryContext*>(ctx)) {
    auto expr = NewExpr(K::kSubquery, ctx);
    expr->subquery = Query(sub->query());
    return expr;
  }
  throw InternalError("unknown primary expression alternative in the parse tree");
}

std::unique_ptr<ast::Expr> AstBuilder::Literal(FlinkSqlParser::LiteralContext* ctx) {
  using L = ast::LiteralKind;
  auto expr = NewExpr(ast::ExprKind::kLiteral, ctx);
  if (dynamic_cast<FlinkSqlParser::NullLiteralContext*>(ctx)) {
    expr->literal_kind = L::kNull;
  } else if (dynamic_cast<FlinkSqlParser::BooleanLiteralContext*>(ctx)) {
    expr->literal_kind = L::kBoolean;
    expr->literal = Upper(ctx->getText());
  } else if (dynamic_cast<FlinkSqlParser::IntegerLiteralContext*>(ctx)) {
    expr->literal_kind = L::kInteger;
    expr->literal = ctx->getText();
  } else if (dynamic_cast<FlinkSqlParser::DecimalLiteralContext*>(ctx)) {
    expr->literal_kind = L::kDecimal;
    expr->literal = ctx->getText();
  } else if (auto* str = dynamic_cast<FlinkSqlParser::StringLiteralValueContext*>(ctx)) {
    expr->literal_kind = L::kString;
    expr->literal = String(str->stringLiteral());
  } else if (dynamic_cast<FlinkSqlParser::BinaryLiteralContext*>(ctx)) {
    expr->literal_kind = L::kBinary;
    std::string text = ctx->getText();
    expr->literal = text.substr(2, text.size() - 3);
  } else if (auto* interval = dynamic_cast<FlinkSqlParser::IntervalLiteralContext*>(ctx)) {
    expr->kind = ast::ExprKind::kInterval;
    expr->literal = String(interval->stringLiteral());
    expr->interval_negative = interval->sign && interval->sign->getType() == FlinkSqlLexer::MINUS;
    if (interval->from) expr->interval_from_unit = Upper(interval->from->getText());
    if (interval->to) expr->interval_to_unit = Upper(interval->to->getText());
  } else if (auto* typed = dynamic_cast<FlinkSqlParser::TypedLiteralContext*>(ctx)) {
    expr->literal = String(typed->stringLiteral());
    expr->literal_kind = typed->DATE() ? L::kDate : typed->TIME() ? L::kTime : L::kTimestamp;
  }
  return expr;
}

DataType AstBuilder::Type(FlinkSqlParser::DataTypeContext* ctx) {
  DataType type = BaseType(ctx->baseType());
  type.nullable = ctx->NOT() == nullptr;
  return type;
}

DataType AstBuilder::BaseType(FlinkSqlParser::BaseTypeContext* ctx) {
  auto int_or = [](antlr4::Token* token, int fallback) {
    return token ? std::stoi(token->getText()) : fallback;
  };
  if (auto* simple = dynamic_cast<FlinkSqlParser::SimpleTypeContext*>(ctx)) {
    std::string name = Upper(simple->getStart()->getText());
    if (name == "BOOLEAN") return DataType::Of(TypeId::kBoolean);
    if (name == "TINYINT") return DataType::Of(TypeId::kTinyInt);
    if (name == "SMALLINT") return DataType::Of(TypeId::kSmallInt);
    if (name == "INT" || name == "INTEGER") return DataType::Of(TypeId::kInt);
    if (name == "BIGINT") return DataType::Of(TypeId::kBigInt);
    if (name == "FLOAT") return DataType::Of(TypeId::kFloat);
    if (name == "DOUBLE") return DataType::Of(TypeId::kDouble);
    if (name == "STRING") return DataType::Of(TypeId::kString);
    if (name == "BYTES") return DataType::Of(TypeId::kBytes);
    if (name == "DATE") return DataType::Of(TypeId::kDate);
  }
  if (auto* decimal = dynamic_cast<FlinkSqlParser::DecimalTypeContext*>(ctx)) {
    DataType type = DataType::Of(TypeId::kDecimal);
    type.precision = int_or(decimal->precision, 10);
    type.scale = int_or(decimal->scale, 0);
    return type;
  }
  if (auto* sized = dynamic_cast<FlinkSqlParser::LengthTypeContext*>(ctx)) {
    std::string name = Upper(sized->getStart()->getText());
    bool binary = name == "BINARY" || name == "VARBINARY";
    DataType type = DataType::Of(binary ? TypeId::kBytes : TypeId::kString);
    type.length = int_or(sized->length, (name == "CHAR" || name == "CHARACTER" || name == "BINARY") ? 1 : -1);
    return type;
  }
  if (auto* time = dynamic_cast<FlinkSqlParser::TimeTypeContext*>(ctx)) {
    DataType type = DataType::Of(TypeId::kTime);
    type.precision = int_or(time->precision, 0);
    return type;
  }
  if (auto* ts = dynamic_cast<FlinkSqlParser::TimestampTypeContext*>(ctx)) {
    return DataType::Timestamp(int_or(ts->precision, 6), false);
  }
  if (auto* ltz = dynamic_cast<FlinkSqlParser::TimestampLtzTypeContext*>(ctx)) {
    return DataType::Timestamp(int_or(ltz->precision, 6), true);
  }
  if (auto* array = dynamic_cast<FlinkSqlParser::ArrayTypeContext*>(ctx)) {
    DataType type = DataType::Of(TypeId::kArray);
    type.children.push_back(Type(array->dataType()));
    return type;
  }
  if (auto* multiset = dynamic_cast<FlinkSqlParser::MultisetTypeContext*>(ctx)) {
    DataType type = DataType::Of(TypeId::kMultiset);
    type.children.push_back(Type(multiset->dataType()));
    return type;
  }
  if (auto* map = dynamic_cast<FlinkSqlParser::MapTypeContext*>(ctx)) {
    DataType type = DataType::Of(TypeId::kMap);
    type.children.push_back(Type(map->keyType));
    type.children.push_back(Type(map->valueType));
    return type;
  }
  if (auto* row = dynamic_cast<FlinkSqlParser::RowTypeContext*>(ctx)) {
    std::vector<RowField> fields;
    for (auto* field : row->rowField()) {
      fields.push_back(RowField{Identifier(field->identifier()), Type(field->dataType())});
    }
    return DataType::Row(std::move(fields));
  }
  throw InternalError("unknown type alternative in the parse tree");
}

}  // namespace

std::vector<ast::Statement> ParseScript(const std::string& text, const std::string& file) {
  antlr4::ANTLRInputStream input(text);
  FlinkSqlLexer lexer(&input);
  ThrowingErrorListener listener(file);
  lexer.removeErrorListeners();
  lexer.addErrorListener(&listener);
  antlr4::CommonTokenStream tokens(&lexer);
  FlinkSqlParser parser(&tokens);
  parser.removeErrorListeners();
  parser.addErrorListener(&listener);

  // SLL prediction is much faster and almost always enough; fall back to full LL
  // only when SLL reports an error, as the ANTLR documentation recommends.
  parser.getInterpreter<antlr4::atn::ParserATNSimulator>()->setPredictionMode(
      antlr4::atn::PredictionMode::SLL);
  FlinkSqlParser::ScriptContext* script = nullptr;
  try {
    script = parser.script();
  } catch (const SqlError&) {
    tokens.seek(0);
    parser.reset();
    parser.getInterpreter<antlr4::atn::ParserATNSimulator>()->setPredictionMode(
        antlr4::atn::PredictionMode::LL);
    script = parser.script();
  }

  AstBuilder builder(file, &input);
  std::vector<ast::Statement> statements;
  for (auto* statement : script->statement()) statements.push_back(builder.Statement(statement));
  return statements;
}

}  // namespace fsql
