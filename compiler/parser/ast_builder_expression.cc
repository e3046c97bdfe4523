// Expressions, literals and data types.
#include "compiler/parser/ast_builder.h"

namespace fsql::parser_internal {

std::unique_ptr<ast::Expr> AstBuilder::Bound(FlinkSqlParser::BetweenBoundContext* ctx) {
  using K = ast::ExprKind;
  if (auto* primary = dynamic_cast<FlinkSqlParser::BoundPrimaryContext*>(ctx)) {
    return Primary(primary->primaryExpression());
  }
  DepthGuard guard(*this, ctx);
  if (auto* unary = dynamic_cast<FlinkSqlParser::BoundUnaryContext*>(ctx)) {
    auto expr = NewExpr(K::kUnary, ctx);
    expr->name = unary->op->getText();
    expr->children.push_back(Bound(unary->betweenBound()));
    return expr;
  }
  auto* binary = dynamic_cast<FlinkSqlParser::BoundArithmeticContext*>(ctx);
  auto expr = NewExpr(K::kBinary, ctx);
  expr->name = binary->op->getText();
  expr->children.push_back(Bound(binary->left));
  expr->children.push_back(Bound(binary->right));
  return expr;
}

std::unique_ptr<ast::Expr> AstBuilder::Expr(FlinkSqlParser::ExpressionContext* ctx) {
  using K = ast::ExprKind;
  if (auto* primary = dynamic_cast<FlinkSqlParser::PrimaryContext*>(ctx)) {
    return Primary(primary->primaryExpression());
  }
  DepthGuard guard(*this, ctx);
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
  if (auto* quantified = dynamic_cast<FlinkSqlParser::QuantifiedComparisonContext*>(ctx)) {
    auto expr = NewExpr(K::kInSubquery, ctx);
    std::string op = quantified->comparisonOperator()->getText();
    if (op == "!=") op = "<>";
    std::string quantifier = Upper(quantified->quantifier->getText());
    expr->name = op + " " + (quantifier == "SOME" ? "ANY" : quantifier);
    expr->children.push_back(Expr(quantified->expression()));
    expr->subquery = Query(quantified->query());
    return expr;
  }
  if (auto* overlaps = dynamic_cast<FlinkSqlParser::OverlapsContext*>(ctx)) {
    auto expr = NewExpr(K::kFunction, ctx);
    expr->name = "OVERLAPS";
    expr->children.push_back(Expr(overlaps->left));
    expr->children.push_back(Expr(overlaps->right));
    return expr;
  }
  if (auto* distinct = dynamic_cast<FlinkSqlParser::DistinctFromContext*>(ctx)) {
    auto expr = NewExpr(K::kBinary, ctx);
    expr->name = distinct->NOT() ? "IS NOT DISTINCT FROM" : "IS DISTINCT FROM";
    expr->children.push_back(Expr(distinct->left));
    expr->children.push_back(Expr(distinct->right));
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
  if (auto* json = dynamic_cast<FlinkSqlParser::IsJsonContext*>(ctx)) {
    auto expr = NewExpr(K::kIsPredicate, ctx);
    expr->negated = json->NOT() != nullptr;
    expr->name = "JSON " + (json->jsonType ? Upper(json->jsonType->getText()) : std::string("VALUE"));
    expr->children.push_back(Expr(json->expression()));
    return expr;
  }
  if (auto* in = dynamic_cast<FlinkSqlParser::InSubqueryContext*>(ctx)) {
    auto expr = NewExpr(K::kInSubquery, ctx);
    expr->negated = in->NOT() != nullptr;
    expr->children.push_back(Expr(in->expression()));
    expr->subquery = Query(in->query());
    return expr;
  }
  if (auto* in = dynamic_cast<FlinkSqlParser::InListContext*>(ctx)) {
    auto expr = NewExpr(K::kInList, ctx);
    expr->negated = in->NOT() != nullptr;
    expr->children = Exprs(in->expression());
    return expr;
  }
  if (auto* between = dynamic_cast<FlinkSqlParser::BetweenContext*>(ctx)) {
    auto make = [&](FlinkSqlParser::BetweenBoundContext* lower, FlinkSqlParser::BetweenBoundContext* upper) {
      auto expr = NewExpr(K::kBetween, ctx);
      expr->negated = between->NOT() != nullptr;
      expr->children.push_back(Expr(between->expression()));
      expr->children.push_back(Bound(lower));
      expr->children.push_back(Bound(upper));
      return expr;
    };
    if (!between->symmetry || between->symmetry->getType() != FlinkSqlLexer::SYMMETRIC) {
      return make(between->lower, between->upper);
    }
    // SYMMETRIC accepts the bounds in either order; NOT BETWEEN SYMMETRIC rejects both orders.
    auto expr = NewExpr(K::kBinary, ctx);
    expr->name = between->NOT() ? "AND" : "OR";
    expr->children.push_back(make(between->lower, between->upper));
    expr->children.push_back(make(between->upper, between->lower));
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
  if (auto* similar = dynamic_cast<FlinkSqlParser::SimilarToContext*>(ctx)) {
    auto expr = NewExpr(K::kLike, ctx);
    expr->similar = true;
    expr->negated = similar->NOT() != nullptr;
    expr->children.push_back(Expr(similar->expression(0)));
    expr->children.push_back(Expr(similar->pattern));
    if (similar->escape) expr->literal = String(similar->escape);
    return expr;
  }
  throw InternalError("unknown expression alternative in the parse tree");
}

std::unique_ptr<ast::Expr> AstBuilder::Primary(FlinkSqlParser::PrimaryExpressionContext* ctx) {
  using K = ast::ExprKind;
  DepthGuard guard(*this, ctx);
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
    FunctionName(call->functionName(), *expr);
    expr->distinct = call->setQuantifier() && call->setQuantifier()->DISTINCT();
    bool named = false;
    for (auto* argument : call->functionArgument()) {
      expr->children.push_back(Expr(argument->expression()));
      expr->argument_names.push_back(argument->identifier() ? Identifier(argument->identifier()) : "");
      named = named || argument->identifier();
    }
    if (!named) expr->argument_names.clear();
    attach_window(*expr, call->filterClause(), call->overClause());
    return expr;
  }
  if (auto* count = dynamic_cast<FlinkSqlParser::CountStarContext*>(ctx)) {
    auto expr = NewExpr(K::kFunction, ctx);
    FunctionName(count->functionName(), *expr);
    expr->star = true;
    attach_window(*expr, count->filterClause(), count->overClause());
    return expr;
  }
  if (auto* niladic = dynamic_cast<FlinkSqlParser::NiladicCallContext*>(ctx)) {
    auto expr = NewExpr(K::kFunction, ctx);
    expr->name = Upper(niladic->name->getText());
    return expr;
  }
  if (auto* sub = dynamic_cast<FlinkSqlParser::ScalarSubqueryContext*>(ctx)) {
    auto expr = NewExpr(K::kSubquery, ctx);
    expr->subquery = Query(sub->query());
    return expr;
  }
  if (auto* exists = dynamic_cast<FlinkSqlParser::ExistsContext*>(ctx)) {
    auto expr = NewExpr(K::kExists, ctx);
    expr->subquery = Query(exists->query());
    return expr;
  }
  if (auto* item = dynamic_cast<FlinkSqlParser::ItemContext*>(ctx)) {
    auto expr = NewExpr(K::kItem, ctx);
    expr->location = Loc(item->LBRACKET()->getSymbol());
    expr->children.push_back(Primary(item->collection));
    expr->children.push_back(Expr(item->index));
    for (auto* field : item->identifier()) {
      auto access = NewExpr(K::kItem, ctx);
      access->location = Loc(field);
      access->name = ".";
      auto name = NewExpr(K::kLiteral, field);
      name->literal_kind = ast::LiteralKind::kString;
      name->literal = Identifier(field);
      access->children.push_back(std::move(expr));
      access->children.push_back(std::move(name));
      expr = std::move(access);
    }
    return expr;
  }
  if (auto* row = dynamic_cast<FlinkSqlParser::ImplicitRowContext*>(ctx)) {
    auto expr = NewExpr(K::kFunction, ctx);
    expr->name = "ROW";
    expr->children = Exprs(row->expression());
    return expr;
  }
  auto constructor = [&](const char* name, const std::vector<FlinkSqlParser::ExpressionContext*>& args) {
    auto expr = NewExpr(K::kFunction, ctx);
    expr->name = name;
    expr->children = Exprs(args);
    return expr;
  };
  if (auto* array = dynamic_cast<FlinkSqlParser::ArrayConstructorContext*>(ctx)) {
    return constructor("ARRAY", array->expression());
  }
  if (auto* map = dynamic_cast<FlinkSqlParser::MapConstructorContext*>(ctx)) {
    if (map->expression().size() % 2 != 0) {
      throw SqlError("MAP[...] needs an even number of values, alternating keys and values", Loc(ctx),
                     "write MAP['k1', v1, 'k2', v2]");
    }
    return constructor("MAP", map->expression());
  }
  if (auto* row = dynamic_cast<FlinkSqlParser::RowConstructorExpressionContext*>(ctx)) {
    return constructor("ROW", row->expression());
  }
  return KeywordCall(ctx);
}

std::unique_ptr<ast::Expr> AstBuilder::KeywordCall(FlinkSqlParser::PrimaryExpressionContext* ctx) {
  using K = ast::ExprKind;
  auto expr = NewExpr(K::kFunction, ctx);
  if (auto* extract = dynamic_cast<FlinkSqlParser::ExtractContext*>(ctx)) {
    expr->name = "EXTRACT";
    expr->time_unit = Unit(extract->extractUnit());
    expr->children.push_back(Expr(extract->expression()));
  } else if (auto* floor = dynamic_cast<FlinkSqlParser::FloorCeilContext*>(ctx)) {
    expr->name = Upper(floor->name->getText());
    expr->time_unit = Unit(floor->extractUnit());
    expr->children.push_back(Expr(floor->expression()));
  } else if (auto* position = dynamic_cast<FlinkSqlParser::PositionContext*>(ctx)) {
    expr->name = "POSITION";
    expr->children.push_back(Expr(position->needle));
    expr->children.push_back(Expr(position->haystack));
  } else if (auto* substring = dynamic_cast<FlinkSqlParser::SubstringContext*>(ctx)) {
    expr->name = "SUBSTRING";
    expr->children = Exprs(substring->expression());
  } else if (auto* overlay = dynamic_cast<FlinkSqlParser::OverlayContext*>(ctx)) {
    expr->name = "OVERLAY";
    expr->children = Exprs(overlay->expression());
  } else if (auto* trim = dynamic_cast<FlinkSqlParser::TrimContext*>(ctx)) {
    expr->name = "TRIM";
    expr->trim_side = trim->side ? Upper(trim->side->getText()) : "BOTH";
    expr->children.push_back(Expr(trim->source));
    if (trim->chars) expr->children.push_back(Expr(trim->chars));
  } else if (auto* unit_call = dynamic_cast<FlinkSqlParser::TimeUnitCallContext*>(ctx)) {
    expr->name = Upper(unit_call->name->getText());
    expr->time_unit = Unit(unit_call->extractUnit());
    expr->children = Exprs(unit_call->expression());
  } else {
    return JsonCall(ctx);
  }
  return expr;
}

std::unique_ptr<ast::Expr> AstBuilder::JsonCall(FlinkSqlParser::PrimaryExpressionContext* ctx) {
  auto expr = NewExpr(ast::ExprKind::kFunction, ctx);
  auto null_clause = [&](FlinkSqlParser::JsonNullClauseContext* clause) {
    if (clause) expr->json_on_null = clause->ABSENT() ? "ABSENT" : "NULL";
  };
  if (auto* value = dynamic_cast<FlinkSqlParser::JsonValueContext*>(ctx)) {
    expr->name = "JSON_VALUE";
    expr->children = Exprs(value->expression());
    if (value->dataType()) {
      expr->has_returning = true;
      expr->cast_type = Type(value->dataType());
    }
    if (auto* empty = value->jsonEmptyClause()) JsonBehavior(empty->jsonBehavior(), expr->json_on_empty, expr->json_on_empty_default);
    if (auto* error = value->jsonErrorClause()) JsonBehavior(error->jsonBehavior(), expr->json_on_error, expr->json_on_error_default);
  } else if (auto* query = dynamic_cast<FlinkSqlParser::JsonQueryContext*>(ctx)) {
    expr->name = "JSON_QUERY";
    expr->children = Exprs(query->expression());
    if (query->dataType()) {
      expr->has_returning = true;
      expr->cast_type = Type(query->dataType());
    }
    if (auto* wrapper = query->jsonWrapper()) {
      expr->json_wrapper = wrapper->WITHOUT() ? "WITHOUT" : wrapper->CONDITIONAL() ? "CONDITIONAL" : "UNCONDITIONAL";
    }
    if (auto* empty = query->jsonEmptyClause()) JsonBehavior(empty->jsonBehavior(), expr->json_on_empty, expr->json_on_empty_default);
    if (auto* error = query->jsonErrorClause()) JsonBehavior(error->jsonBehavior(), expr->json_on_error, expr->json_on_error_default);
    for (const std::string* behavior : {&expr->json_on_empty, &expr->json_on_error}) {
      if (*behavior == "DEFAULT") {
        throw SqlError("JSON_QUERY does not take DEFAULT ... ON EMPTY or ON ERROR", expr->location,
                       "use NULL, ERROR, EMPTY ARRAY or EMPTY OBJECT");
      }
    }
  } else if (auto* exists = dynamic_cast<FlinkSqlParser::JsonExistsContext*>(ctx)) {
    expr->name = "JSON_EXISTS";
    expr->children = Exprs(exists->expression());
    if (exists->onError) expr->json_on_error = Upper(exists->onError->getText());
  } else if (auto* object = dynamic_cast<FlinkSqlParser::JsonObjectContext*>(ctx)) {
    expr->name = Upper(object->name->getText());
    for (auto* pair : object->jsonKeyValue()) {
      expr->children.push_back(Expr(pair->key));
      expr->children.push_back(Expr(pair->value));
    }
    if (expr->name == "JSON_OBJECTAGG" && expr->children.size() != 2) {
      throw SqlError("JSON_OBJECTAGG takes one KEY ... VALUE pair", expr->location);
    }
    null_clause(object->jsonNullClause());
  } else if (auto* array = dynamic_cast<FlinkSqlParser::JsonArrayContext*>(ctx)) {
    expr->name = Upper(array->name->getText());
    expr->children = Exprs(array->expression());
    if (expr->name == "JSON_ARRAYAGG" && expr->children.size() != 1) {
      throw SqlError("JSON_ARRAYAGG takes one value", expr->location);
    }
    null_clause(array->jsonNullClause());
  } else {
    throw InternalError("unknown primary expression alternative in the parse tree");
  }
  return expr;
}

void AstBuilder::JsonBehavior(FlinkSqlParser::JsonBehaviorContext* ctx, std::string& behavior,
                              std::unique_ptr<ast::Expr>& default_value) {
  if (ctx->NULL_()) {
    behavior = "NULL";
  } else if (ctx->ERROR()) {
    behavior = "ERROR";
  } else if (ctx->EMPTY()) {
    behavior = ctx->ARRAY() ? "EMPTY ARRAY" : "EMPTY OBJECT";
  } else {
    behavior = "DEFAULT";
    default_value = Expr(ctx->expression());
  }
}

void AstBuilder::FunctionName(FlinkSqlParser::FunctionNameContext* ctx, ast::Expr& expr) {
  if (auto* qualified = ctx->qualifiedName()) {
    for (auto* id : qualified->identifier()) expr.name_parts.push_back(Identifier(id));
    expr.name = Upper(ast::JoinName(expr.name_parts));
    if (expr.name_parts.size() == 1) expr.name_parts.clear();
  } else {
    expr.name = Upper(ctx->getText());
  }
}

std::string AstBuilder::Unit(antlr4::ParserRuleContext* ctx) {
  std::string unit = Upper(ctx->getText());
  // Plural spellings are the same unit, so the binder gets one name for each.
  if (unit.size() > 1 && unit.back() == 'S') unit.pop_back();
  return unit;
}

std::unique_ptr<ast::Expr> AstBuilder::Literal(FlinkSqlParser::LiteralContext* ctx) {
  using L = ast::LiteralKind;
  auto expr = NewExpr(ast::ExprKind::kLiteral, ctx);
  if (dynamic_cast<FlinkSqlParser::NullLiteralContext*>(ctx)) {
    expr->literal_kind = L::kNull;
  } else if (dynamic_cast<FlinkSqlParser::BooleanLiteralContext*>(ctx)) {
    expr->literal_kind = L::kBoolean;
    expr->literal = Upper(ctx->getText());
  } else if (dynamic_cast<FlinkSqlParser::UnknownLiteralContext*>(ctx)) {
    auto cast = NewExpr(ast::ExprKind::kCast, ctx);
    cast->cast_type = DataType::Of(TypeId::kBoolean);
    expr->literal_kind = L::kNull;
    cast->children.push_back(std::move(expr));
    return cast;
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
    if (expr->literal.size() % 2 != 0) {
      throw SqlError("a binary literal needs an even number of hex digits", expr->location,
                     "write two hex digits per byte, e.g. x'0a'");
    }
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
  // Postfix collection types: `INT ARRAY` is ARRAY<INT>, `INT ARRAY MULTISET` is MULTISET<ARRAY<INT>>.
  for (auto* child : ctx->children) {
    auto* terminal = dynamic_cast<antlr4::tree::TerminalNode*>(child);
    if (terminal == nullptr) continue;
    size_t token = terminal->getSymbol()->getType();
    if (token != FlinkSqlLexer::ARRAY && token != FlinkSqlLexer::MULTISET) continue;
    DataType outer = DataType::Of(token == FlinkSqlLexer::ARRAY ? TypeId::kArray : TypeId::kMultiset);
    outer.children.push_back(std::move(type));
    type = std::move(outer);
  }
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
  if (auto* interval = dynamic_cast<FlinkSqlParser::IntervalTypeContext*>(ctx)) {
    std::string from = Unit(interval->from);
    std::string to = interval->to ? Unit(interval->to) : from;
    bool year_month = from == "YEAR" || from == "MONTH";
    if (year_month != (to == "YEAR" || to == "MONTH")) {
      throw SqlError(fmt::format("INTERVAL {} TO {} mixes year-month and day-time units", from, to), Loc(ctx),
                     "use INTERVAL YEAR TO MONTH or INTERVAL DAY TO SECOND");
    }
    // NOTE: DataType keeps only the interval family and, for day-time intervals,
    // the fractional-second precision; the leading field and its precision are dropped.
    DataType type = DataType::Of(year_month ? TypeId::kIntervalYearMonth : TypeId::kIntervalDayTime);
    if (!year_month) {
      antlr4::Token* seconds_precision = interval->to ? interval->toPrecision : interval->fromPrecision;
      type.precision = to == "SECOND" ? int_or(seconds_precision, 6) : 0;
    }
    return type;
  }
  if (auto* raw = dynamic_cast<FlinkSqlParser::RawTypeContext*>(ctx)) {
    // TODO: RAW and VARIANT need type ids in runtime/types before tables can declare them.
    throw NotSupportedError(fmt::format("the RAW type ({}) is not supported", String(raw->className)), Loc(ctx),
                            "declare the column as BYTES or STRING");
  }
  if (dynamic_cast<FlinkSqlParser::VariantTypeContext*>(ctx)) {
    throw NotSupportedError("the VARIANT type is not supported", Loc(ctx),
                            "declare the column as STRING and parse it with JSON_VALUE");
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

}  // namespace fsql::parser_internal
