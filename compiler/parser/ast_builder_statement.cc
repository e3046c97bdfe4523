// Statements and DDL: the top-level statement kinds, CREATE / ALTER / DROP, SHOW,
// DESCRIBE, EXPLAIN, USE and INSERT.
#include <algorithm>

#include "compiler/parser/ast_builder.h"

namespace fsql::parser_internal {

std::string Upper(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::toupper(c); });
  return s;
}

std::string Unquote(const std::string& text, char quote) {
  std::string out;
  for (size_t i = 1; i + 1 < text.size(); ++i) {
    out += text[i];
    if (text[i] == quote && i + 2 < text.size() && text[i + 1] == quote) ++i;
  }
  return out;
}

namespace {

/// Appends code point `cp` to `out` as UTF-8.
void AppendUtf8(uint32_t cp, std::string& out) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

/// Decodes the body of U&'...': with the default escape `\`, \XXXX and \+XXXXXX
/// are code points and \\ is a backslash.
std::string DecodeUnicodeString(const std::string& body, char escape, const SourceLocation& location) {
  std::string out;
  for (size_t i = 0; i < body.size(); ++i) {
    if (body[i] != escape) {
      out += body[i];
      continue;
    }
    if (i + 1 < body.size() && body[i + 1] == escape) {
      out += escape;
      ++i;
      continue;
    }
    size_t digits = 4;
    size_t start = i + 1;
    if (start < body.size() && body[start] == '+') {
      digits = 6;
      ++start;
    }
    if (start + digits > body.size() ||
        !std::all_of(body.begin() + start, body.begin() + start + digits,
                     [](unsigned char c) { return std::isxdigit(c); })) {
      throw SqlError("invalid Unicode escape in U&'...' string", location,
                     "write \\XXXX with four hex digits, \\+XXXXXX with six, or \\\\ for a backslash");
    }
    AppendUtf8(static_cast<uint32_t>(std::stoul(body.substr(start, digits), nullptr, 16)), out);
    i = start + digits - 1;
  }
  return out;
}

}  // namespace

AstBuilder::DepthGuard::DepthGuard(AstBuilder& builder, antlr4::ParserRuleContext* ctx) : builder_(builder) {
  if (++builder_.depth_ > kMaxNestingDepth) {
    --builder_.depth_;
    throw SqlError(fmt::format("the statement is nested more than {} levels deep here", kMaxNestingDepth),
                   builder_.Loc(ctx), "split the expression or query into views or simpler parts");
  }
}

std::string AstBuilder::Text(antlr4::ParserRuleContext* ctx) const {
  if (ctx->getStop() == nullptr || ctx->getStop()->getStopIndex() < ctx->getStart()->getStartIndex()) {
    return ctx->getStart()->getText();
  }
  return input_->getText(
      antlr4::misc::Interval(ctx->getStart()->getStartIndex(), ctx->getStop()->getStopIndex()));
}

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

std::string AstBuilder::String(FlinkSqlParser::StringLiteralContext* ctx) {
  if (auto* unicode = ctx->UNICODE_STRING_LITERAL()) {
    char escape = '\\';
    if (ctx->escape) {
      std::string chosen = Unquote(ctx->escape->getText(), '\'');
      if (chosen.size() != 1 || std::isxdigit(static_cast<unsigned char>(chosen[0])) || chosen[0] == '+' ||
          chosen[0] == '\'' || std::isspace(static_cast<unsigned char>(chosen[0]))) {
        throw SqlError(fmt::format("invalid UESCAPE character '{}'", chosen), Loc(ctx->escape),
                       "use one character that is not a hex digit, '+', a quote or a space");
      }
      escape = chosen[0];
    }
    return DecodeUnicodeString(Unquote(unicode->getText().substr(2), '\''), escape, Loc(ctx));
  }
  std::string out;
  for (auto* part : ctx->STRING_LITERAL()) out += Unquote(part->getText(), '\'');
  return out;
}

std::vector<ast::TableOption> AstBuilder::Options(FlinkSqlParser::TableOptionsContext* ctx) {
  std::vector<ast::TableOption> out;
  if (ctx == nullptr) return out;
  for (auto* option : ctx->tableOption()) {
    out.push_back(ast::TableOption{Loc(option), String(option->key), String(option->value)});
  }
  return out;
}

std::vector<ast::Hint> AstBuilder::Hints(FlinkSqlParser::HintContext* ctx) {
  std::vector<ast::Hint> out;
  if (ctx == nullptr) return out;
  auto value_of = [](FlinkSqlParser::HintValueContext* value) {
    std::string text = value->getText();
    if (value->HINT_STRING()) return Unquote(text, '\'');
    if (value->HINT_QUOTED_NAME()) return Unquote(text, '`');
    return text;
  };
  for (auto* item : ctx->hintItem()) {
    ast::Hint hint;
    hint.location = Loc(item);
    hint.name = Upper(item->name->getText());
    if (auto* options = item->hintOptions()) {
      for (auto* option : options->hintOption()) {
        hint.options.emplace_back(value_of(option->key), value_of(option->value));
      }
    }
    if (auto* arguments = item->hintArguments()) {
      // Positional arguments keep their spelling, quotes included, so that
      // BROADCAST(t) and LOOKUP('x') stay distinguishable.
      for (auto* argument : arguments->hintArgument()) hint.arguments.push_back(argument->getText());
    }
    out.push_back(std::move(hint));
  }
  return out;
}

ast::Statement AstBuilder::Statement(FlinkSqlParser::StatementContext* ctx) {
  using K = ast::StatementKind;
  ast::Statement stmt;
  stmt.location = Loc(ctx);
  stmt.text = Text(ctx);
  if (auto* set = dynamic_cast<FlinkSqlParser::SetStatementContext*>(ctx)) {
    stmt.kind = K::kSet;
    if (set->key) {
      stmt.key = String(set->key);
      stmt.value = String(set->value);
    }
  } else if (auto* reset = dynamic_cast<FlinkSqlParser::ResetStatementContext*>(ctx)) {
    stmt.kind = K::kReset;
    if (reset->key) stmt.key = String(reset->key);
  } else if (auto* create = dynamic_cast<FlinkSqlParser::CreateTableStatementContext*>(ctx)) {
    stmt.kind = K::kCreateTable;
    stmt.create_table = CreateTable(create->createTable());
  } else if (auto* view = dynamic_cast<FlinkSqlParser::CreateViewStatementContext*>(ctx)) {
    stmt.kind = K::kCreateView;
    stmt.create_view = std::make_unique<ast::CreateView>();
    stmt.create_view->name = Name(view->tableName());
    stmt.create_view->temporary = view->TEMPORARY() != nullptr;
    stmt.create_view->if_not_exists = view->EXISTS() != nullptr;
    if (view->identifierList()) stmt.create_view->column_names = Identifiers(view->identifierList());
    if (view->comment) stmt.create_view->comment = String(view->comment);
    stmt.create_view->query = Query(view->query());
  } else if (auto* insert = dynamic_cast<FlinkSqlParser::InsertStatementContext*>(ctx)) {
    stmt.kind = K::kInsert;
    stmt.insert = Insert(insert->insertInto());
  } else if (auto* set = dynamic_cast<FlinkSqlParser::StatementSetContext*>(ctx)) {
    stmt.kind = K::kStatementSet;
    for (auto* insert : set->insertInto()) {
      stmt.statement_set.push_back(Insert(insert));
      stmt.statement_set_locations.push_back(Loc(insert));
    }
  } else if (dynamic_cast<FlinkSqlParser::BeginStatementSetContext*>(ctx)) {
    stmt.kind = K::kBeginStatementSet;
  } else if (dynamic_cast<FlinkSqlParser::EndStatementSetContext*>(ctx)) {
    stmt.kind = K::kEndStatementSet;
  } else if (auto* query = dynamic_cast<FlinkSqlParser::QueryStatementContext*>(ctx)) {
    stmt.kind = K::kQuery;
    stmt.query = Query(query->query());
  } else if (auto* alter = dynamic_cast<FlinkSqlParser::AlterTableStatementContext*>(ctx)) {
    stmt.kind = K::kAlterTable;
    stmt.alter_table = AlterTable(alter);
  } else if (auto* drop = dynamic_cast<FlinkSqlParser::DropStatementContext*>(ctx)) {
    stmt.kind = K::kDrop;
    stmt.drop = std::make_unique<ast::Drop>();
    stmt.drop->object = Upper(drop->object->getText());
    stmt.drop->name = Name(drop->tableName());
    stmt.drop->temporary = drop->TEMPORARY() != nullptr;
    stmt.drop->system = drop->SYSTEM() != nullptr;
    stmt.drop->if_exists = drop->EXISTS() != nullptr;
    if (drop->behavior) stmt.drop->behavior = Upper(drop->behavior->getText());
    if (stmt.drop->system && stmt.drop->object != "FUNCTION") {
      throw SqlError("SYSTEM applies only to DROP TEMPORARY SYSTEM FUNCTION", Loc(drop->SYSTEM()->getSymbol()));
    }
    if (stmt.drop->temporary && (stmt.drop->object == "DATABASE" || stmt.drop->object == "CATALOG")) {
      throw SqlError(fmt::format("a {} cannot be TEMPORARY", stmt.drop->object),
                     Loc(drop->TEMPORARY()->getSymbol()));
    }
    if (!stmt.drop->behavior.empty() && stmt.drop->object != "DATABASE") {
      throw SqlError(fmt::format("{} applies only to DROP DATABASE", stmt.drop->behavior), Loc(drop->behavior));
    }
  } else if (auto* show = dynamic_cast<FlinkSqlParser::ShowStatementContext*>(ctx)) {
    stmt.kind = K::kShow;
    ShowStatement(show->showTarget(), stmt);
  } else if (auto* describe = dynamic_cast<FlinkSqlParser::DescribeStatementContext*>(ctx)) {
    stmt.kind = K::kDescribe;
    DescribeStatement(describe->describeTarget(), stmt);
  } else if (auto* explain = dynamic_cast<FlinkSqlParser::ExplainStatementContext*>(ctx)) {
    stmt.kind = K::kExplain;
    ExplainStatement(explain, stmt);
  } else if (auto* use = dynamic_cast<FlinkSqlParser::UseCatalogContext*>(ctx)) {
    stmt.kind = K::kUse;
    stmt.use = std::make_unique<ast::Use>();
    stmt.use->catalog = true;
    stmt.use->name = {Identifier(use->identifier())};
  } else if (auto* modules = dynamic_cast<FlinkSqlParser::UseModulesContext*>(ctx)) {
    stmt.kind = K::kUse;
    stmt.use = std::make_unique<ast::Use>();
    stmt.use->modules = true;
    for (auto* id : modules->identifier()) stmt.use->modules_list.push_back(Identifier(id));
  } else if (auto* database = dynamic_cast<FlinkSqlParser::UseDatabaseContext*>(ctx)) {
    stmt.kind = K::kUse;
    stmt.use = std::make_unique<ast::Use>();
    stmt.use->name = Name(database->tableName());
  } else if (auto* function = dynamic_cast<FlinkSqlParser::CreateFunctionContext*>(ctx)) {
    stmt.kind = K::kCreateFunction;
    stmt.create_function = std::make_unique<ast::CreateFunction>();
    auto& f = *stmt.create_function;
    f.name = Name(function->tableName());
    f.temporary = function->TEMPORARY() != nullptr;
    f.system = function->SYSTEM() != nullptr;
    f.if_not_exists = function->EXISTS() != nullptr;
    f.class_name = String(function->className);
    if (function->language) f.language = Upper(Identifier(function->language));
    for (auto* jar : function->stringLiteral()) {
      if (jar != function->className) f.jars.push_back(String(jar));
    }
    if (f.system && !f.temporary) {
      throw SqlError("a SYSTEM function must be TEMPORARY", Loc(function->SYSTEM()->getSymbol()),
                     "write CREATE TEMPORARY SYSTEM FUNCTION");
    }
  } else if (auto* other = dynamic_cast<FlinkSqlParser::OtherStatementContext*>(ctx)) {
    stmt.kind = K::kOther;
    stmt.other = OtherStatement(other->unsupportedStatement());
  } else if (!CatalogStatement(ctx, stmt)) {
    throw InternalError("unknown statement alternative in the parse tree");
  }
  return stmt;
}

std::unique_ptr<ast::OtherStatement> AstBuilder::OtherStatement(FlinkSqlParser::UnsupportedStatementContext* ctx) {
  auto other = std::make_unique<ast::OtherStatement>();
  std::vector<std::string> tokens;
  std::vector<std::string> feature;
  bool leading = true;
  for (size_t i = ctx->getStart()->getTokenIndex(); i <= ctx->getStop()->getTokenIndex(); ++i) {
    antlr4::Token* token = token_stream_->get(i);
    if (token->getChannel() != antlr4::Token::DEFAULT_CHANNEL) continue;
    tokens.push_back(token->getText());
    size_t type = token->getType();
    bool keyword = type > 0 && type < FlinkSqlLexer::EQ;
    if (leading && !keyword) leading = false;
    bool qualifier = type == FlinkSqlLexer::TEMPORARY || type == FlinkSqlLexer::IF ||
                     type == FlinkSqlLexer::NOT || type == FlinkSqlLexer::EXISTS;
    if (leading && !qualifier) feature.push_back(Upper(token->getText()));
  }
  other->feature = fmt::format("{}", fmt::join(feature, " "));
  if (other->feature.rfind("ALTER TABLE", 0) == 0) other->feature = "ALTER TABLE ... PARTITION";
  other->tokens = fmt::format("{}", fmt::join(tokens, " "));
  return other;
}

std::vector<std::pair<std::string, std::unique_ptr<ast::Expr>>> AstBuilder::Partition(
    FlinkSqlParser::PartitionSpecContext* ctx, bool values_required) {
  std::vector<std::pair<std::string, std::unique_ptr<ast::Expr>>> out;
  if (ctx == nullptr) return out;
  for (auto* value : ctx->partitionValue()) {
    if (!value->expression() && values_required) {
      throw SqlError(fmt::format("partition column {} needs a value", Identifier(value->identifier())), Loc(value),
                     "write PARTITION (column = 'value')");
    }
    out.emplace_back(Identifier(value->identifier()), value->expression() ? Expr(value->expression()) : nullptr);
  }
  return out;
}

std::string AstBuilder::TokensText(antlr4::ParserRuleContext* ctx, bool* has_unsupported_type) {
  std::vector<std::string> tokens;
  for (size_t i = ctx->getStart()->getTokenIndex(); i <= ctx->getStop()->getTokenIndex(); ++i) {
    antlr4::Token* token = token_stream_->get(i);
    if (token->getChannel() != antlr4::Token::DEFAULT_CHANNEL) continue;
    tokens.push_back(token->getText());
    if (has_unsupported_type && (token->getType() == FlinkSqlLexer::RAW || token->getType() == FlinkSqlLexer::VARIANT)) {
      *has_unsupported_type = true;
    }
  }
  return fmt::format("{}", fmt::join(tokens, " "));
}

bool AstBuilder::CatalogStatement(FlinkSqlParser::StatementContext* ctx, ast::Statement& stmt) {
  auto catalog = std::make_unique<ast::CatalogStatement>();
  if (auto* create = dynamic_cast<FlinkSqlParser::CreateCatalogObjectContext*>(ctx)) {
    catalog->verb = "CREATE";
    catalog->object = Upper(create->object->getText());
    catalog->name = Name(create->tableName());
    catalog->if_not_exists = create->EXISTS() != nullptr;
    if (create->comment) catalog->comment = String(create->comment);
    catalog->options = Options(create->tableOptions());
  } else if (auto* alter = dynamic_cast<FlinkSqlParser::AlterCatalogObjectContext*>(ctx)) {
    catalog->verb = "ALTER";
    catalog->object = Upper(alter->object->getText());
    catalog->name = Name(alter->tableName());
    catalog->options = Options(alter->tableOptions());
    for (auto* key : alter->stringLiteral()) {
      if (key != alter->comment) catalog->reset_keys.push_back(String(key));
    }
    if (alter->comment) catalog->comment = String(alter->comment);
    if (alter->COMMENT() && catalog->object != "CATALOG") {
      throw SqlError("ALTER DATABASE ... COMMENT is not valid", Loc(alter->COMMENT()->getSymbol()),
                     "set a database's properties with SET ('key' = 'value')");
    }
  } else if (auto* view = dynamic_cast<FlinkSqlParser::AlterViewContext*>(ctx)) {
    catalog->verb = "ALTER";
    catalog->object = "VIEW";
    catalog->temporary = view->TEMPORARY() != nullptr;
    catalog->name = Name(view->tableName(0));
    if (view->newName) catalog->new_name = Name(view->newName);
    if (view->query()) catalog->query = Query(view->query());
  } else if (auto* function = dynamic_cast<FlinkSqlParser::AlterFunctionContext*>(ctx)) {
    catalog->verb = "ALTER";
    catalog->object = "FUNCTION";
    catalog->temporary = function->TEMPORARY() != nullptr;
    catalog->system = function->SYSTEM() != nullptr;
    catalog->if_exists = function->EXISTS() != nullptr;
    catalog->name = Name(function->tableName());
    catalog->class_name = String(function->className);
    if (function->language) catalog->language = Upper(Identifier(function->language));
  } else if (auto* load = dynamic_cast<FlinkSqlParser::LoadModuleContext*>(ctx)) {
    catalog->verb = "LOAD";
    catalog->object = "MODULE";
    catalog->name = {Identifier(load->identifier())};
    catalog->options = Options(load->tableOptions());
  } else if (auto* unload = dynamic_cast<FlinkSqlParser::UnloadModuleContext*>(ctx)) {
    catalog->verb = "UNLOAD";
    catalog->object = "MODULE";
    catalog->name = {Identifier(unload->identifier())};
  } else {
    return false;
  }
  stmt.kind = ast::StatementKind::kCatalogStatement;
  stmt.catalog_statement = std::move(catalog);
  return true;
}

void AstBuilder::ShowStatement(FlinkSqlParser::ShowTargetContext* ctx, ast::Statement& stmt) {
  stmt.show = std::make_unique<ast::Show>();
  ast::Show& show = *stmt.show;
  if (auto* objects = dynamic_cast<FlinkSqlParser::ShowObjectsContext*>(ctx)) {
    // The first keyword names what is listed; FULL and USER qualify it.
    std::vector<std::string> words;
    for (auto* child : objects->children) {
      auto* terminal = dynamic_cast<antlr4::tree::TerminalNode*>(child);
      if (terminal == nullptr) break;
      words.push_back(Upper(terminal->getText()));
    }
    show.what = fmt::format("{}", fmt::join(words, " "));
    if (auto* from = objects->showFrom()) {
      show.from_in = true;
      show.name = Name(from->tableName());
    }
    if (auto* like = objects->likePattern()) {
      show.not_like = like->NOT() != nullptr;
      show.like_keyword = like->ILIKE() ? "ILIKE" : "LIKE";
      show.like_pattern = String(like->stringLiteral());
    }
  } else if (auto* partitions = dynamic_cast<FlinkSqlParser::ShowPartitionsContext*>(ctx)) {
    show.what = "PARTITIONS";
    show.name = Name(partitions->tableName());
    show.partition = Partition(partitions->partitionSpec(), true);
  } else if (auto* current = dynamic_cast<FlinkSqlParser::ShowCurrentContext*>(ctx)) {
    show.what = "CURRENT " + Upper(current->object->getText());
  } else if (auto* create = dynamic_cast<FlinkSqlParser::ShowCreateContext*>(ctx)) {
    show.what = "CREATE " + Upper(create->object->getText());
    show.name = Name(create->tableName());
  }
}

void AstBuilder::DescribeStatement(FlinkSqlParser::DescribeTargetContext* ctx, ast::Statement& stmt) {
  stmt.show = std::make_unique<ast::Show>();
  if (auto* job = dynamic_cast<FlinkSqlParser::DescribeJobContext*>(ctx)) {
    stmt.show->what = "JOB";
    stmt.show->job_id = String(job->stringLiteral());
    return;
  }
  auto* object = dynamic_cast<FlinkSqlParser::DescribeObjectContext*>(ctx);
  stmt.show->what = object->object ? Upper(object->object->getText()) : "TABLE";
  stmt.show->extended = object->EXTENDED() != nullptr;
  stmt.show->name = Name(object->tableName());
}

void AstBuilder::ExplainStatement(FlinkSqlParser::ExplainStatementContext* ctx, ast::Statement& stmt) {
  static const std::vector<std::string> kDetails = {"ESTIMATED_COST", "CHANGELOG_MODE", "JSON_EXECUTION_PLAN",
                                                    "PLAN_ADVICE"};
  stmt.explain = std::make_unique<ast::Explain>();
  stmt.explain->plan_for = ctx->PLAN() != nullptr;
  for (auto* detail : ctx->explainDetail()) {
    std::string name = Upper(detail->getText());
    if (std::find(kDetails.begin(), kDetails.end(), name) == kDetails.end()) {
      throw SqlError(fmt::format("unknown EXPLAIN detail {}", detail->getText()), Loc(detail),
                     fmt::format("use {}", fmt::join(kDetails, ", ")));
    }
    stmt.explain->details.push_back(name);
  }
  auto inner = std::make_unique<ast::Statement>(Statement(ctx->statement()));
  bool explainable = inner->kind == ast::StatementKind::kQuery || inner->kind == ast::StatementKind::kInsert ||
                     inner->kind == ast::StatementKind::kStatementSet ||
                     (inner->kind == ast::StatementKind::kCreateTable && inner->create_table->as_query);
  if (!explainable) {
    throw SqlError("EXPLAIN takes a query, an INSERT, a statement set or a CREATE TABLE AS", inner->location);
  }
  stmt.explain->statement = std::move(inner);
}

void AstBuilder::TableElement(FlinkSqlParser::TableElementContext* element, ast::CreateTable& table) {
  if (auto* physical = dynamic_cast<FlinkSqlParser::PhysicalColumnContext*>(element)) {
    ast::ColumnDef column;
    column.location = Loc(physical);
    column.name = Identifier(physical->identifier());
    bool unsupported = false;
    std::string spelled = TokensText(physical->dataType(), &unsupported);
    if (unsupported) {
      // Kept as written so that the statement parses and the catalog rejects the column.
      column.unsupported_type = spelled;
    } else {
      column.type = Type(physical->dataType());
    }
    column.metadata = physical->METADATA() != nullptr;
    column.is_virtual = physical->VIRTUAL() != nullptr;
    auto strings = physical->stringLiteral();
    if (physical->FROM() && !strings.empty()) column.metadata_key = String(strings[0]);
    if (physical->COMMENT()) column.comment = String(strings.back());
    if (auto* constraint = physical->columnConstraint()) {
      if (!table.primary_key.empty()) {
        throw SqlError("the table has two primary keys", Loc(constraint), "declare one PRIMARY KEY");
      }
      table.primary_key = {column.name};
      table.primary_key_location = Loc(constraint);
    }
    table.columns.push_back(std::move(column));
  } else if (auto* computed = dynamic_cast<FlinkSqlParser::ComputedColumnContext*>(element)) {
    ast::ColumnDef column;
    column.location = Loc(computed);
    column.name = Identifier(computed->identifier());
    column.computed = Expr(computed->expression());
    if (computed->stringLiteral()) column.comment = String(computed->stringLiteral());
    table.columns.push_back(std::move(column));
  } else if (auto* watermark = dynamic_cast<FlinkSqlParser::WatermarkDefinitionContext*>(element)) {
    table.watermark_column = Identifier(watermark->identifier());
    table.watermark_expr = Expr(watermark->expression());
    table.watermark_location = Loc(watermark);
  } else if (auto* key = dynamic_cast<FlinkSqlParser::PrimaryKeyDefinitionContext*>(element)) {
    if (!table.primary_key.empty()) {
      throw SqlError("the table has two primary keys", Loc(key), "declare one PRIMARY KEY");
    }
    table.primary_key = Identifiers(key->identifierList());
    table.primary_key_location = Loc(key);
  }
}

std::unique_ptr<ast::CreateTable> AstBuilder::CreateTable(FlinkSqlParser::CreateTableContext* ctx) {
  auto table = std::make_unique<ast::CreateTable>();
  table->name = Name(ctx->tableName());
  table->name_location = Loc(ctx->tableName());
  table->temporary = ctx->TEMPORARY() != nullptr;
  table->if_not_exists = ctx->EXISTS() != nullptr;
  table->or_replace = ctx->CREATE() != nullptr && ctx->REPLACE() != nullptr;
  table->replace = ctx->CREATE() == nullptr;
  for (auto* element : ctx->tableElement()) TableElement(element, *table);
  if (ctx->comment) table->comment = String(ctx->comment);
  if (auto* distribution = ctx->distribution()) {
    table->distribution_location = Loc(distribution);
    if (distribution->kind) table->distribution_kind = Upper(distribution->kind->getText());
    if (distribution->identifierList()) table->distribution_keys = Identifiers(distribution->identifierList());
    if (distribution->buckets) table->buckets = std::stoi(distribution->buckets->getText());
  }
  if (ctx->PARTITIONED()) table->partitioned_by = Identifiers(ctx->identifierList());
  table->options = Options(ctx->tableOptions());
  if (auto* like = ctx->likeClause()) {
    table->like_table = Name(like->tableName());
    table->like_location = Loc(like->tableName());
    for (auto* option : like->likeOption()) {
      std::string strategy = Upper(option->strategy->getText());
      std::string feature = Upper(option->feature->getText());
      // Flink overwrites only what can be merged field by field.
      if (strategy == "OVERWRITING" && (feature == "ALL" || feature == "CONSTRAINTS" || feature == "PARTITIONS" ||
                                        feature == "DISTRIBUTION")) {
        throw SqlError(fmt::format("OVERWRITING {} is not valid in CREATE TABLE ... LIKE", feature), Loc(option),
                       "OVERWRITING applies to GENERATED, METADATA, OPTIONS and WATERMARKS; use INCLUDING or "
                       "EXCLUDING");
      }
      table->like_options.emplace_back(strategy, feature);
    }
  }
  if (ctx->query()) table->as_query = Query(ctx->query());
  if ((table->or_replace || table->replace) && !table->as_query) {
    throw SqlError("CREATE OR REPLACE TABLE and REPLACE TABLE need AS followed by a query", Loc(ctx),
                   "append AS SELECT ...");
  }
  if (table->as_query && !table->like_table.empty()) {
    throw SqlError("CREATE TABLE cannot have both LIKE and AS", table->like_location);
  }
  return table;
}

std::unique_ptr<ast::AlterTable> AstBuilder::AlterTable(FlinkSqlParser::AlterTableStatementContext* ctx) {
  using A = ast::AlterTable::Action;
  auto alter = std::make_unique<ast::AlterTable>();
  alter->name = Name(ctx->tableName());
  alter->name_location = Loc(ctx->tableName());
  alter->if_exists = ctx->EXISTS() != nullptr;
  auto* action = ctx->alterTableAction();
  if (auto* set = dynamic_cast<FlinkSqlParser::AlterSetOptionsContext*>(action)) {
    alter->action = A::kSetOptions;
    alter->options = Options(set->tableOptions());
  } else if (auto* reset = dynamic_cast<FlinkSqlParser::AlterResetOptionsContext*>(action)) {
    alter->action = A::kResetOptions;
    for (auto* key : reset->stringLiteral()) alter->reset_keys.push_back(String(key));
  } else if (auto* rename = dynamic_cast<FlinkSqlParser::AlterRenameContext*>(action)) {
    alter->action = A::kRename;
    alter->new_name = Name(rename->tableName());
  } else if (auto* column = dynamic_cast<FlinkSqlParser::AlterRenameColumnContext*>(action)) {
    alter->action = A::kRenameColumn;
    alter->old_column = Identifier(column->from);
    alter->new_column = Identifier(column->to);
  } else if (auto* change = dynamic_cast<FlinkSqlParser::AlterAddOrModifyContext*>(action)) {
    alter->action = change->verb->getType() == FlinkSqlLexer::ADD ? A::kAdd : A::kModify;
    alter->schema = std::make_unique<ast::CreateTable>();
    alter->schema->name = alter->name;
    for (auto* part : change->alterSchemaPart()) {
      if (auto* element = part->tableElement()) {
        size_t before = alter->schema->columns.size();
        TableElement(element, *alter->schema);
        if (auto* position = part->columnPosition()) {
          if (alter->schema->columns.size() == before) {
            throw SqlError("FIRST and AFTER apply only to columns", Loc(position));
          }
          ast::ColumnDef& added = alter->schema->columns.back();
          added.position_first = position->FIRST() != nullptr;
          if (position->identifier()) added.position_after = Identifier(position->identifier());
        }
      } else {
        alter->schema->distribution_location = Loc(part);
        if (part->kind) alter->schema->distribution_kind = Upper(part->kind->getText());
        if (part->identifierList()) alter->schema->distribution_keys = Identifiers(part->identifierList());
        if (part->buckets) alter->schema->buckets = std::stoi(part->buckets->getText());
        if (alter->schema->distribution_keys.empty() && !alter->schema->buckets) {
          throw InternalError("DISTRIBUTION without keys or buckets in the parse tree");
        }
      }
    }
  } else if (auto* key = dynamic_cast<FlinkSqlParser::AlterDropPrimaryKeyContext*>(action)) {
    alter->action = A::kDropPrimaryKey;
    if (key->identifier()) alter->constraint_name = Identifier(key->identifier());
  } else if (dynamic_cast<FlinkSqlParser::AlterDropWatermarkContext*>(action)) {
    alter->action = A::kDropWatermark;
  } else if (dynamic_cast<FlinkSqlParser::AlterDropDistributionContext*>(action)) {
    alter->action = A::kDropDistribution;
  } else if (auto* drop = dynamic_cast<FlinkSqlParser::AlterDropColumnsContext*>(action)) {
    alter->action = A::kDropColumns;
    if (drop->identifier()) alter->columns_to_drop = {Identifier(drop->identifier())};
    else alter->columns_to_drop = Identifiers(drop->identifierList());
  } else {
    throw InternalError("unknown ALTER TABLE alternative in the parse tree");
  }
  return alter;
}

std::unique_ptr<ast::Insert> AstBuilder::Insert(FlinkSqlParser::InsertIntoContext* ctx) {
  auto insert = std::make_unique<ast::Insert>();
  insert->table_name = Name(ctx->tableName());
  insert->table_location = Loc(ctx->tableName());
  insert->overwrite = ctx->OVERWRITE() != nullptr;
  insert->hints = Hints(ctx->hint());
  insert->partition = Partition(ctx->partitionSpec(), true);
  if (ctx->identifierList()) insert->columns = Identifiers(ctx->identifierList());
  insert->query = Query(ctx->query());
  return insert;
}

}  // namespace fsql::parser_internal
