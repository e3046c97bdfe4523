// Queries: set operations, SELECT, GROUP BY, FROM items with joins, table
// functions, UNNEST and MATCH_RECOGNIZE, ORDER BY / LIMIT and windows.
#include "compiler/parser/ast_builder.h"

namespace fsql::parser_internal {

std::shared_ptr<ast::Query> AstBuilder::Query(FlinkSqlParser::QueryContext* ctx) {
  DepthGuard guard(*this, ctx);
  auto query = QueryExpression(ctx->queryExpression());
  bool has_modifiers = ctx->withClause() || ctx->orderByClause() || ctx->limitClause();
  if (has_modifiers && (!query->ctes.empty() || !query->order_by.empty() || query->limit || query->offset)) {
    // The inner query already carries modifiers of its own, so wrap it.
    auto outer = std::make_shared<ast::Query>();
    outer->kind = ast::QueryKind::kNested;
    outer->location = query->location;
    outer->nested = query;
    query = outer;
  }
  bool set_operation = query->kind == ast::QueryKind::kUnion || query->kind == ast::QueryKind::kIntersect ||
                       query->kind == ast::QueryKind::kExcept;
  // A set operation keeps the location of its operator, where errors about it point.
  if (!set_operation) query->location = Loc(ctx);
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
  if (auto* limit = ctx->limitClause()) {
    antlr4::Token* count = limit->limit;
    if (limit->fetchClause()) {
      count = limit->fetchClause()->limit;
      // FETCH FIRST ROW ONLY without a count fetches one row.
      if (count == nullptr) query->limit = 1;
    }
    if (count) query->limit = std::stoll(count->getText());
    if (limit->offset) query->offset = std::stoll(limit->offset->getText());
  }
  return query;
}

std::shared_ptr<ast::Query> AstBuilder::QueryExpression(FlinkSqlParser::QueryExpressionContext* ctx) {
  if (auto* primary = dynamic_cast<FlinkSqlParser::PrimaryQueryContext*>(ctx)) {
    return QueryPrimary(primary->queryPrimary());
  }
  DepthGuard guard(*this, ctx);
  auto* set = dynamic_cast<FlinkSqlParser::SetOperationContext*>(ctx);
  auto query = std::make_shared<ast::Query>();
  switch (set->op->getType()) {
    case FlinkSqlLexer::UNION: query->kind = ast::QueryKind::kUnion; break;
    case FlinkSqlLexer::INTERSECT: query->kind = ast::QueryKind::kIntersect; break;
    default: query->kind = ast::QueryKind::kExcept; break;
  }
  query->location = Loc(set->op);
  query->left = QueryExpression(set->left);
  query->right = QueryExpression(set->right);
  query->union_all = set->setQuantifier() && set->setQuantifier()->ALL();
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
    for (auto* row : values->rowConstructor()) query->values.push_back(Exprs(row->expression()));
  }
  return query;
}

std::unique_ptr<ast::SelectCore> AstBuilder::Select(FlinkSqlParser::QuerySpecificationContext* ctx) {
  auto select = std::make_unique<ast::SelectCore>();
  select->location = Loc(ctx);
  select->hints = Hints(ctx->hint());
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

  std::vector<ast::GroupingElement> elements;
  for (auto* element : ctx->groupingElement()) elements.push_back(Grouping(element));
  bool plain = std::all_of(elements.begin(), elements.end(), [](const ast::GroupingElement& e) {
    return e.kind == ast::GroupingElement::Kind::kExpression && e.exprs.size() == 1;
  });
  if (plain) {
    for (auto& element : elements) select->group_by.push_back(std::move(element.exprs[0]));
  } else {
    select->grouping_elements = std::move(elements);
  }

  if (ctx->having) select->having = Expr(ctx->having);
  for (auto* window : ctx->namedWindow()) {
    select->windows.push_back(ast::NamedWindow{Identifier(window->identifier()),
                                               Window(window->windowSpecification())});
  }
  return select;
}

ast::GroupingElement AstBuilder::Grouping(FlinkSqlParser::GroupingElementContext* ctx) {
  using Kind = ast::GroupingElement::Kind;
  DepthGuard guard(*this, ctx);
  if (auto* plain = dynamic_cast<FlinkSqlParser::PlainGroupingContext*>(ctx)) return GroupingItem(plain->groupingItem());
  ast::GroupingElement element;
  element.location = Loc(ctx);
  if (auto* sets = dynamic_cast<FlinkSqlParser::GroupingSetsContext*>(ctx)) {
    element.kind = Kind::kGroupingSets;
    for (auto* inner : sets->groupingElement()) element.sets.push_back(Grouping(inner));
  } else if (auto* rollup = dynamic_cast<FlinkSqlParser::RollupOrCubeContext*>(ctx)) {
    element.kind = rollup->kind->getType() == FlinkSqlLexer::ROLLUP ? Kind::kRollup : Kind::kCube;
    for (auto* item : rollup->groupingItem()) element.sets.push_back(GroupingItem(item));
  } else {
    element.kind = Kind::kEmpty;
  }
  return element;
}

ast::GroupingElement AstBuilder::GroupingItem(FlinkSqlParser::GroupingItemContext* ctx) {
  ast::GroupingElement element;
  element.location = Loc(ctx);
  element.exprs = Exprs(ctx->expression());
  return element;
}

std::unique_ptr<ast::Relation> AstBuilder::Relation(FlinkSqlParser::RelationContext* ctx) {
  DepthGuard guard(*this, ctx);
  auto first = RelationPrimary(ctx->relationPrimary());
  if (ctx->joinClause().empty()) return first;
  auto relation = std::make_unique<ast::Relation>();
  relation->kind = ast::RelationKind::kJoin;
  relation->location = Loc(ctx);
  relation->left = std::move(first);
  for (auto* join_ctx : ctx->joinClause()) {
    ast::JoinClause join;
    join.location = Loc(join_ctx);
    join.natural = join_ctx->NATURAL() != nullptr;
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
  auto relation = std::make_unique<ast::Relation>();
  relation->location = Loc(ctx);
  if (auto* table = dynamic_cast<FlinkSqlParser::TableRelationContext*>(ctx)) {
    relation->kind = ast::RelationKind::kTable;
    relation->table_name = Name(table->tableName());
    relation->hints = Hints(table->hint());
    if (table->asOf) relation->as_of = Expr(table->asOf);
    relation = MatchRecognize(table->matchRecognize(), std::move(relation));
    ApplyAlias(table->tableAlias(), *relation);
  } else if (auto* sub = dynamic_cast<FlinkSqlParser::SubqueryRelationContext*>(ctx)) {
    relation->kind = ast::RelationKind::kSubquery;
    relation->lateral = sub->LATERAL() != nullptr;
    relation->subquery = Query(sub->query());
    relation = MatchRecognize(sub->matchRecognize(), std::move(relation));
    ApplyAlias(sub->tableAlias(), *relation);
  } else if (auto* function = dynamic_cast<FlinkSqlParser::TableFunctionRelationContext*>(ctx)) {
    relation->kind = ast::RelationKind::kTableFunction;
    ast::Expr name;
    FunctionName(function->functionName(), name);
    relation->function_name = name.name;
    for (auto* arg : function->tableFunctionArgument()) relation->function_args.push_back(TableFunctionArg(arg));
    ApplyAlias(function->tableAlias(), *relation);
  } else if (auto* unnest = dynamic_cast<FlinkSqlParser::UnnestRelationContext*>(ctx)) {
    relation->kind = ast::RelationKind::kUnnest;
    relation->unnest_args = Exprs(unnest->expression());
    relation->with_ordinality = unnest->ORDINALITY() != nullptr;
    ApplyAlias(unnest->tableAlias(), *relation);
  } else if (auto* lateral = dynamic_cast<FlinkSqlParser::LateralTableRelationContext*>(ctx)) {
    relation->kind = ast::RelationKind::kLateralTable;
    relation->lateral_call = Primary(lateral->primaryExpression());
    if (relation->lateral_call->kind != ast::ExprKind::kFunction) {
      throw SqlError("LATERAL TABLE expects a table function call", relation->lateral_call->location,
                     "write LATERAL TABLE(f(x))");
    }
    ApplyAlias(lateral->tableAlias(), *relation);
  } else {
    auto* paren = dynamic_cast<FlinkSqlParser::ParenthesizedRelationContext*>(ctx);
    return Relation(paren->relation());
  }
  return relation;
}

ast::TableFunctionArg AstBuilder::TableFunctionArg(FlinkSqlParser::TableFunctionArgumentContext* ctx) {
  ast::TableFunctionArg arg;
  arg.location = Loc(ctx);
  if (ctx->identifier()) arg.name = Upper(Identifier(ctx->identifier()));
  auto* value = ctx->tableFunctionArgumentValue();
  if (auto* table = dynamic_cast<FlinkSqlParser::TableArgumentContext*>(value)) {
    arg.kind = ast::TableFunctionArg::Kind::kTable;
    arg.table_name = Name(table->tableName());
    if (table->identifierList()) arg.partition_by = Identifiers(table->identifierList());
    if (table->orderByClause()) arg.order_by = OrderBy(table->orderByClause());
  } else if (auto* model = dynamic_cast<FlinkSqlParser::ModelArgumentContext*>(value)) {
    arg.kind = ast::TableFunctionArg::Kind::kModel;
    arg.table_name = Name(model->tableName());
  } else if (auto* descriptor = dynamic_cast<FlinkSqlParser::DescriptorArgumentContext*>(value)) {
    arg.kind = ast::TableFunctionArg::Kind::kDescriptor;
    arg.descriptor_columns = Identifiers(descriptor->identifierList());
    arg.descriptor = arg.descriptor_columns.front();
  } else {
    arg.kind = ast::TableFunctionArg::Kind::kExpression;
    arg.expr = Expr(dynamic_cast<FlinkSqlParser::ExpressionArgumentContext*>(value)->expression());
  }
  return arg;
}

void AstBuilder::ApplyAlias(FlinkSqlParser::TableAliasContext* ctx, ast::Relation& relation) {
  if (ctx == nullptr) return;
  relation.alias = Identifier(ctx->identifier());
  if (ctx->identifierList()) relation.column_aliases = Identifiers(ctx->identifierList());
}

std::unique_ptr<ast::Relation> AstBuilder::MatchRecognize(FlinkSqlParser::MatchRecognizeContext* ctx,
                                                          std::unique_ptr<ast::Relation> input) {
  if (ctx == nullptr) return input;
  auto relation = std::make_unique<ast::Relation>();
  relation->kind = ast::RelationKind::kMatchRecognize;
  relation->location = Loc(ctx);
  relation->input = std::move(input);
  relation->match = std::make_unique<ast::MatchRecognize>();
  ast::MatchRecognize& match = *relation->match;
  match.location = Loc(ctx);
  if (ctx->PARTITION()) match.partition_by = Exprs(ctx->expression());
  if (ctx->orderByClause()) match.order_by = OrderBy(ctx->orderByClause());
  for (auto* measure : ctx->measure()) {
    match.measures.push_back({Expr(measure->expression()), Identifier(measure->identifier())});
  }
  if (auto* rows = ctx->rowsPerMatch()) {
    match.all_rows_per_match = rows->ALL() != nullptr;
    match.rows_per_match_location = Loc(rows);
  }
  if (auto* skip = ctx->skipTo()) {
    if (dynamic_cast<FlinkSqlParser::SkipPastLastRowContext*>(skip)) {
      match.after_match_skip = "PAST LAST ROW";
    } else if (dynamic_cast<FlinkSqlParser::SkipToNextRowContext*>(skip)) {
      match.after_match_skip = "TO NEXT ROW";
    } else {
      auto* to = dynamic_cast<FlinkSqlParser::SkipToVariableContext*>(skip);
      match.after_match_skip = to->position ? "TO " + Upper(to->position->getText()) : "TO";
      match.skip_variable = Identifier(to->identifier());
      match.skip_location = Loc(to->identifier());
    }
  }
  match.pattern = Pattern(ctx->patternAlternation());
  if (ctx->within) {
    match.within = Literal(ctx->within);
    if (match.within->kind != ast::ExprKind::kInterval) {
      throw SqlError("WITHIN expects an interval", match.within->location, "write WITHIN INTERVAL '1' HOUR");
    }
  }
  for (auto* definition : ctx->patternDefinition()) {
    match.define.push_back(
        {Identifier(definition->identifier()), Expr(definition->expression()), Loc(definition->identifier())});
  }
  return relation;
}

ast::PatternTerm AstBuilder::Pattern(FlinkSqlParser::PatternAlternationContext* ctx) {
  using Kind = ast::PatternTerm::Kind;
  DepthGuard guard(*this, ctx);
  auto sequence = [&](FlinkSqlParser::PatternSequenceContext* seq) {
    ast::PatternTerm out;
    out.kind = Kind::kSequence;
    out.location = Loc(seq);
    for (auto* factor : seq->patternFactor()) {
      ast::PatternTerm term;
      term.location = Loc(factor);
      auto* primary = factor->patternPrimary();
      if (primary->identifier()) {
        term.kind = Kind::kVariable;
        term.variable = Identifier(primary->identifier());
      } else {
        term.kind = Kind::kGroup;
        term.children.push_back(Pattern(primary->patternAlternation()));
      }
      if (auto* q = factor->patternQuantifier()) {
        if (q->STAR()) {
          term.min = 0;
          term.max = -1;
        } else if (q->PLUS()) {
          term.min = 1;
          term.max = -1;
        } else if (q->LBRACE()) {
          term.min = q->min ? std::stoll(q->min->getText()) : 0;
          term.max = term.min;  // {n}
          if (q->comma) term.max = q->max ? std::stoll(q->max->getText()) : -1;  // {n,m} or {n,}
          if (!q->min && !q->comma) throw SqlError("a quantifier {} needs a count", Loc(q), "write {n}, {n,}, {,m} or {n,m}");
          if (term.max >= 0 && term.max < term.min) {
            throw SqlError(fmt::format("the quantifier's maximum {} is below its minimum {}", term.max, term.min),
                           Loc(q));
          }
        } else {
          term.min = 0;
          term.max = 1;
        }
        term.reluctant = q->reluctant != nullptr;
      }
      out.children.push_back(std::move(term));
    }
    if (out.children.size() == 1) return std::move(out.children[0]);
    return out;
  };
  auto sequences = ctx->patternSequence();
  if (sequences.size() == 1) return sequence(sequences[0]);
  ast::PatternTerm alternation;
  alternation.kind = Kind::kAlternation;
  alternation.location = Loc(ctx->PIPE(0)->getSymbol());
  for (auto* seq : sequences) alternation.children.push_back(sequence(seq));
  return alternation;
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
  spec->partition_by = Exprs(ctx->expression());
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

}  // namespace fsql::parser_internal
