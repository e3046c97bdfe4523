#include "cli/repl_session.h"
#include "compiler/binder/binder.h"

#include <iostream>
#include <random>

#include "cli/repl_signals.h"
#include "compiler/codegen/calc_compiler.h"
#include "compiler/parser/parser.h"

namespace fsql::cli {

namespace {

std::string RandomSessionId() {
  std::random_device device;
  return fmt::format("{:08x}", device());
}

/// Parses the value of `set` as an integer of at least `minimum`, or throws SqlError at the SET.
int64_t ParseCount(const ast::Statement& set, int64_t minimum) {
  int64_t value = 0;
  size_t used = 0;
  try {
    value = std::stoll(set.value, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  if (used == 0 || used != set.value.size() || value < minimum) {
    throw SqlError(fmt::format("invalid value '{}' for '{}'", set.value, set.key), set.location,
                   fmt::format("use an integer of {} or more", minimum));
  }
  return value;
}

std::vector<std::string> ClientSettingKeys() { return {kResultModeKey, kMaxRowsKey, kMaxColumnWidthKey}; }

// NOTE: a copy of the keys that compiler/catalog accepts. Completion is its only
// use, so a key missing here still works in a WITH clause.
std::vector<std::string> TableOptionKeys() {
  return {"connector", "topic", "value.format", "key.format", "format", "changelog.mode", "scan.startup.mode",
          "scan.startup.timestamp-millis", "properties.bootstrap.servers", "properties.group.id",
          "value.json.ignore-parse-errors", "json.ignore-parse-errors", "value.fields-include"};
}

}  // namespace

std::string PlaceAtSourcePosition(const StatementText& statement) {
  return std::string(static_cast<size_t>(std::max(0, statement.line - 1)), '\n') +
         std::string(static_cast<size_t>(std::max(0, statement.column - 1)), ' ') + statement.text;
}

std::string QuoteInSource(const StatementText& statement) {
  return std::string(static_cast<size_t>(std::max(0, statement.line - 1)), '\n') + statement.line_prefix +
         statement.text;
}

ReplSession::ReplSession(std::ostream& out, std::ostream& err, std::map<std::string, std::string> default_table_options)
    : out_(out), err_(err), planner_(catalog_, config_), session_id_(RandomSessionId()) {
  config_.default_table_options = std::move(default_table_options);
  planner_.set_allow_queries(true);
}

ReplSession::~ReplSession() { StopAllJobs(); }

ReplSession::Result ReplSession::Execute(const StatementText& statement, const StatementSource& source) {
  SyncWatchedDeclarations();
  Result result = Result::kOk;
  if (!TryClientCommand(statement, source, result)) result = ExecuteSql(statement, source);
  // A statement that hid, dropped or renamed a name may uncover a watched declaration.
  SyncWatchedDeclarations();
  return result;
}

void ReplSession::Set(const std::string& key, const std::string& value) { config_.settings[key] = value; }

ReplSession::Result ReplSession::ExecuteSql(const StatementText& statement, const StatementSource& source) {
  std::string text = PlaceAtSourcePosition(statement);
  std::vector<ast::Statement> parsed;
  // Inside a statement set only INSERTs are accepted, and they change no declaration.
  bool changes_catalog = false;
  Result result = Result::kFailed;
  try {
    parsed = ParseScript(text, source.name);
    if (parsed.empty()) return Result::kOk;
    changes_catalog = !open_set_begin_;
    if (changes_catalog) BeforeCatalogChange(parsed.front());
    result = RunParsedStatement(parsed.front(), statement, source);
  } catch (const SqlError& error) {
    PrintSqlError(error, statement);
  } catch (const std::exception& error) {
    PrintError(error.what());
  }
  // Also after a failure, because a statement can fail after it changed the
  // catalog, as a CREATE TABLE AS whose job does not start does.
  if (changes_catalog) AfterCatalogChange(parsed.front());
  return result;
}

ReplSession::Result ReplSession::RunParsedStatement(const ast::Statement& parsed, const StatementText& statement,
                                                    const StatementSource& source) {
  if (open_set_begin_) return AddToStatementSet(parsed, statement, source);
  std::string text = PlaceAtSourcePosition(statement);
  switch (parsed.kind) {
    case ast::StatementKind::kSet:
      if (parsed.key.empty()) {
        ListSettings();
        return Result::kOk;
      }
      ValidateClientSetting(parsed);
      planner_.PlanScript(text, source.name);
      PrintInfo("Execute statement succeeded.");
      return Result::kOk;
    case ast::StatementKind::kReset:
      planner_.PlanScript(text, source.name);
      PrintInfo("Execute statement succeeded.");
      return Result::kOk;
    case ast::StatementKind::kCreateTable:
      if (parsed.create_table->as_query) break;
      planner_.PlanScript(text, source.name);
      RememberTableSource(*parsed.create_table);
      PrintInfo("Execute statement succeeded.");
      return Result::kOk;
    case ast::StatementKind::kCreateView:
      planner_.PlanScript(text, source.name);
      PrintInfo("Execute statement succeeded.");
      return Result::kOk;
    case ast::StatementKind::kQuery:
      return RunAdHocQuery(planner_.PlanScript(text, source.name).at(0));
    case ast::StatementKind::kAlterTable:
    case ast::StatementKind::kDrop:
      // Catalog changes, as the SQL client reports them.
      planner_.PlanScript(text, source.name);
      PrintInfo("Execute statement succeeded.");
      return Result::kOk;
    case ast::StatementKind::kBeginStatementSet:
      open_set_begin_ = statement;
      open_set_inserts_.clear();
      PrintInfo("Began a statement set: add INSERT INTO statements, then END; starts them.");
      return Result::kOk;
    default:
      break;
  }
  // INSERT INTO, CREATE TABLE AS, EXECUTE STATEMENT SET and a stray END: each
  // planned rule becomes a job.
  return SubmitRules(planner_.PlanScript(text, source.name), source);
}

ReplSession::Result ReplSession::AddToStatementSet(const ast::Statement& parsed, const StatementText& statement,
                                                   const StatementSource& source) {
  if (parsed.kind == ast::StatementKind::kEndStatementSet) return EndStatementSet(source);
  if (parsed.kind != ast::StatementKind::kInsert) {
    throw SqlError("only INSERT INTO statements may appear inside a statement set", parsed.location,
                   "END; starts the set and closes it");
  }
  // Plans the INSERT on its own now, so that an error points at this statement;
  // the copied settings keep a pending 'client.statement-name' for the set.
  SessionConfig scratch = config_;
  ScriptPlanner checker(catalog_, scratch);
  checker.PlanScript(PlaceAtSourcePosition(statement), source.name);
  open_set_inserts_.push_back(statement.text);
  PrintInfo("Added the INSERT to the statement set; END; starts the set.");
  return Result::kOk;
}

ReplSession::Result ReplSession::EndStatementSet(const StatementSource& source) {
  StatementText begin = *open_set_begin_;
  std::vector<std::string> inserts = std::move(open_set_inserts_);
  open_set_begin_.reset();
  open_set_inserts_.clear();
  if (inserts.empty()) {
    PrintInfo("The statement set is empty, so no job was started.");
    return Result::kOk;
  }
  // BEGIN keeps its place in the source, so that the jobs get the names `fsql run` gives them.
  std::string script = PlaceAtSourcePosition(begin) + ";\n";
  for (const auto& insert : inserts) script += insert + ";\n";
  script += "END;";
  try {
    return SubmitRules(planner_.PlanScript(script, source.name), source);
  } catch (const SqlError& error) {
    out_.flush();
    err_ << "[ERROR] " << error.Render(SourceLine(script, error.location().line));
    return Result::kFailed;
  }
}

void ReplSession::ValidateClientSetting(const ast::Statement& set) const {
  if (set.key.rfind("sql-client.", 0) != 0) return;
  if (set.key == kResultModeKey) {
    if (set.value == "tableau") return;
    if (set.value == "table" || set.value == "changelog") {
      throw NotSupportedError(fmt::format("result mode '{}' is not supported yet", set.value), set.location,
                              "use 'tableau', which prints each change as a row while the query runs");
    }
    throw SqlError(fmt::format("invalid value '{}' for '{}'", set.value, set.key), set.location, "use 'tableau'");
  }
  if (set.key == kMaxRowsKey) {
    ParseCount(set, 0);
    return;
  }
  if (set.key == kMaxColumnWidthKey) {
    ParseCount(set, 1);
    return;
  }
  std::string hint = DidYouMean(set.key, ClientSettingKeys());
  throw SqlError(fmt::format("unknown client setting '{}'", set.key), set.location,
                 hint.empty() ? fmt::format("fsql knows {}, {} and {}", kResultModeKey, kMaxRowsKey, kMaxColumnWidthKey)
                              : hint);
}

void ReplSession::RememberTableSource(const ast::CreateTable& create) {
  TableSourceText source;
  for (const auto& column : create.columns) {
    if (column.computed) source.computed_columns[column.name] = column.computed->text;
  }
  if (create.watermark_expr) source.watermark = create.watermark_expr->text;
  table_sources_[ast::JoinName(create.name)] = std::move(source);
}

std::string ReplSession::Setting(const std::string& key, const std::string& fallback) const {
  auto it = config_.settings.find(key);
  return it == config_.settings.end() ? fallback : it->second;
}

QuerySettings ReplSession::CurrentQuerySettings() const {
  QuerySettings settings;
  // The values were checked by ValidateClientSetting or by the command line.
  settings.max_rows = std::stoll(Setting(kMaxRowsKey, "0"));
  settings.max_column_width =
      static_cast<int>(std::stoll(Setting(kMaxColumnWidthKey, std::to_string(kDefaultMaxColumnWidth))));
  settings.max_rows_source = fmt::format("'{}'", kMaxRowsKey);
  return settings;
}

ReplSession::Result ReplSession::RunAdHocQuery(const RulePlan& query) {
  std::string group_prefix = fmt::format("fsql-repl-{}-query-{}", session_id_, ++query_count_);
  ClearInterrupt();
  return RunQuery(query, group_prefix, CurrentQuerySettings(), out_, err_) ? Result::kOk : Result::kFailed;
}

Completion ReplSession::Complete(const std::string& text) {
  SyncWatchedDeclarations();
  CompletionNames names;
  names.tables = catalog_.TableNames();
  std::vector<std::string> views = catalog_.ViewNames();
  names.tables.insert(names.tables.end(), views.begin(), views.end());
  for (const auto& table_name : catalog_.TableNames()) {
    auto& columns = names.columns[table_name];
    for (const auto& column : catalog_.Find(table_name)->columns) {
      if (column.kind != ColumnKind::kSystem) columns.push_back(column.name);
    }
  }
  names.functions = BuiltInFunctionNames();
  names.quoted_keys = ClientSettingKeys();
  names.quoted_keys.push_back("client.statement-name");
  names.quoted_keys.emplace_back(codegen::kCodegenModeKey);
  for (const auto& key : TableOptionKeys()) names.quoted_keys.push_back(key);
  return CompleteSql(text, names);
}

void ReplSession::PrintSqlError(const SqlError& error, const StatementText& statement) {
  out_.flush();
  err_ << "[ERROR] " << error.Render(SourceLine(QuoteInSource(statement), error.location().line));
  err_.flush();
}

void ReplSession::PrintInfo(const std::string& message) {
  out_ << "[INFO] " << message << "\n";
  out_.flush();
}

void ReplSession::PrintError(const std::string& message) {
  out_.flush();
  err_ << "[ERROR] " << message << "\n";
  err_.flush();
}

}  // namespace fsql::cli
