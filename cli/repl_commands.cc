// Client commands of `fsql repl`. The SQL grammar has no SHOW, DESCRIBE,
// EXPLAIN, STOP JOB or HELP, so the REPL recognises them, case-insensitively,
// before the statement reaches the parser.
#include <algorithm>

#include "cli/repl_session.h"
#include "cli/repl_table.h"
#include "compiler/binder/binder.h"
#include "compiler/parser/parser.h"

namespace fsql::cli {

namespace {

constexpr char kHelpText[] = R"(Statements end with ';' and may span lines. Ctrl-C clears the line being typed
or cancels a running query; Ctrl-D or QUIT; leaves.

Client commands:
  HELP;                     this text
  QUIT; or EXIT;            stop the jobs of this session and leave
  CLEAR;                    clear the terminal
  SHOW TABLES;              tables and views of the session and of watched files
  SHOW VIEWS;               views of the session and of watched files
  SHOW FUNCTIONS;           built-in functions
  SHOW JOBS;                background jobs and watched rules, with their status,
                            record counts and latest reload
  DESCRIBE JOB 'name';      a job, and the full report of its latest reload
  STOP JOB 'name';          stop a background job
  DESCRIBE name;            columns, types, keys and watermark of a table or view
  EXPLAIN statement;        syntax tree, logical and physical plan of a SELECT or
                            INSERT INTO
  SET;                      list the session settings
  SET 'key' = 'value';      set a session setting
  RESET ['key'];            remove one or every session setting

SQL statements:
  CREATE TABLE, CREATE VIEW register in this session's catalog.
  SELECT runs against Kafka and prints each change as a row until Ctrl-C.
  INSERT INTO and CREATE TABLE AS start a job that runs in the background.

Client settings:
  'sql-client.execution.result-mode' = 'tableau'     the only mode so far
  'sql-client.execution.max-table-result.rows' = 'N' stop a SELECT after N rows (0: no limit)
  'sql-client.display.max-column-width' = 'N'        cut wider values to N characters (default 30)
)";

bool IsWord(const SqlToken& token, const char* upper) {
  return token.kind == SqlToken::Kind::kWord && token.upper == upper;
}

/// Joins the tokens from `first` into a name such as db.orders or `my table`.
std::string NameFrom(const std::vector<SqlToken>& tokens, size_t first) {
  std::string name;
  for (size_t i = first; i < tokens.size(); ++i) name += tokens[i].text;
  return name;
}

/// Returns the offset in `text` just after its first `count` words, skipping
/// whitespace and comments before each.
size_t OffsetAfterWords(const std::string& text, size_t count) {
  size_t i = 0;
  for (size_t word = 0; word < count; ++word) {
    while (i < text.size()) {
      if (std::isspace(static_cast<unsigned char>(text[i]))) {
        ++i;
      } else if (text.compare(i, 2, "--") == 0) {
        size_t end = text.find('\n', i);
        i = end == std::string::npos ? text.size() : end + 1;
      } else if (text.compare(i, 2, "/*") == 0) {
        size_t end = text.find("*/", i + 2);
        i = end == std::string::npos ? text.size() : end + 2;
      } else {
        break;
      }
    }
    if (i < text.size() && text[i] == ',') {
      ++i;  // the separator of EXPLAIN's details counts as a word
      continue;
    }
    while (i < text.size() && (std::isalnum(static_cast<unsigned char>(text[i])) || text[i] == '_')) ++i;
  }
  return i;
}

/// Returns the part of `statement` after its first `count` words, with its position in the source.
StatementText SkipWords(const StatementText& statement, size_t count) {
  size_t offset = OffsetAfterWords(statement.text, count);
  StatementText rest{statement.text.substr(offset), statement.line, statement.column, statement.line_prefix};
  std::string skipped = statement.text.substr(0, offset);
  size_t newlines = static_cast<size_t>(std::count(skipped.begin(), skipped.end(), '\n'));
  if (newlines == 0) {
    rest.column += static_cast<int>(offset);
    rest.line_prefix += skipped;
  } else {
    rest.line += static_cast<int>(newlines);
    rest.line_prefix = skipped.substr(skipped.rfind('\n') + 1);
    rest.column = static_cast<int>(rest.line_prefix.size()) + 1;
  }
  return rest;
}

std::string WatermarkText(const TableDefinition& table, const TableSourceText* source) {
  if (source && !source->watermark.empty()) return source->watermark;
  double delay_seconds = static_cast<double>(table.watermark_delay_ms) / 1000.0;
  return fmt::format("`$rowtime` - INTERVAL '{}' SECOND (default)", delay_seconds);
}

std::string ExtrasOf(const CatalogColumn& column, const TableSourceText* source) {
  switch (column.kind) {
    case ColumnKind::kPhysical:
      return "";
    case ColumnKind::kComputed: {
      // Tables from CREATE TABLE have their expression as written; others show the bound form.
      bool written = source && source->computed_columns.count(column.name);
      return "AS " + (written ? source->computed_columns.at(column.name) : column.computed->ToString());
    }
    case ColumnKind::kMetadata:
      return fmt::format("METADATA FROM '{}'{}", column.metadata_key, column.is_virtual ? " VIRTUAL" : "");
    case ColumnKind::kSystem:
      return "SYSTEM (Kafka record timestamp)";
  }
  return "";
}

std::string PrimaryKeyText(const TableDefinition& table, const std::string& column) {
  if (std::find(table.primary_key.begin(), table.primary_key.end(), column) == table.primary_key.end()) return "";
  std::string key;
  for (const auto& part : table.primary_key) key += (key.empty() ? "" : ", ") + part;
  return "PRI(" + key + ")";
}

}  // namespace

bool ReplSession::TryClientCommand(const StatementText& statement, const StatementSource& source, Result& result) {
  std::vector<SqlToken> tokens = TokenizeSql(statement.text);
  if (tokens.empty() || tokens[0].kind != SqlToken::Kind::kWord) return false;
  const std::string& first = tokens[0].upper;
  result = Result::kOk;
  if (tokens.size() == 1 && first == "HELP") {
    PrintHelp();
  } else if (tokens.size() == 1 && (first == "QUIT" || first == "EXIT")) {
    result = Result::kQuit;
  } else if (tokens.size() == 1 && first == "CLEAR") {
    out_ << "\033[H\033[2J" << std::flush;
  } else if (first == "SHOW") {
    std::string what = tokens.size() == 2 ? tokens[1].upper : "";
    if (what == "TABLES") {
      ShowTables();
    } else if (what == "VIEWS") {
      ShowViews();
    } else if (what == "JOBS") {
      ShowJobs();
    } else if (what == "FUNCTIONS") {
      ShowFunctions();
    } else {
      std::vector<std::string> words;
      for (size_t i = 1; i < tokens.size(); ++i) words.push_back(tokens[i].text);
      PrintError(fmt::format("unknown command 'SHOW {}'; fsql has SHOW TABLES, SHOW VIEWS, SHOW FUNCTIONS and "
                             "SHOW JOBS",
                             fmt::join(words, " ")));
      result = Result::kFailed;
    }
  } else if ((first == "DESCRIBE" || first == "DESC") && tokens.size() > 2 && IsWord(tokens[1], "JOB")) {
    if (tokens.size() == 3 && tokens[2].kind == SqlToken::Kind::kString) {
      result = DescribeJob(tokens[2].text);
    } else {
      PrintError("invalid DESCRIBE JOB command; write DESCRIBE JOB 'name', with a name that SHOW JOBS lists");
      result = Result::kFailed;
    }
  } else if (first == "DESCRIBE" || first == "DESC") {
    result = Describe(NameFrom(tokens, 1));
  } else if (first == "STOP") {
    bool valid = tokens.size() == 3 && IsWord(tokens[1], "JOB") && tokens[2].kind == SqlToken::Kind::kString;
    if (valid) {
      result = StopJob(tokens[2].text);
    } else {
      PrintError("invalid STOP command; write STOP JOB 'name', with a name that SHOW JOBS lists");
      result = Result::kFailed;
    }
  } else if (first == "EXPLAIN") {
    bool plan_for = tokens.size() > 2 && IsWord(tokens[1], "PLAN") && IsWord(tokens[2], "FOR");
    size_t next = plan_for ? 3 : 1;
    // As in Flink, changelog modes (and here upsert keys) appear only when asked for.
    ExplainOptions options;
    options.changelog_mode = false;
    options.upsert_key = false;
    result = Result::kOk;
    for (; next < tokens.size(); ++next) {
      const SqlToken& token = tokens[next];
      if (IsWord(token, "CHANGELOG_MODE")) {
        options.changelog_mode = true;
        options.upsert_key = true;
      } else if (IsWord(token, "ESTIMATED_COST")) {
        out_ << "-- ESTIMATED_COST: fsql has no cost model, so the plans carry no cost estimates\n";
      } else if (IsWord(token, "JSON_EXECUTION_PLAN") || IsWord(token, "PLAN_ADVICE")) {
        PrintError(fmt::format("EXPLAIN {} is not supported yet; use EXPLAIN CHANGELOG_MODE", token.upper));
        result = Result::kFailed;
        break;
      } else if (token.kind != SqlToken::Kind::kSymbol || token.text != ",") {
        break;
      }
    }
    if (result == Result::kOk) result = Explain(statement, next, source, options);
  } else {
    return false;
  }
  return true;
}

void ReplSession::PrintHelp() {
  out_ << kHelpText;
  out_.flush();
}

void ReplSession::ShowTables() {
  std::vector<std::string> names = catalog_.TableNames();
  std::vector<std::string> views = catalog_.ViewNames();
  names.insert(names.end(), views.begin(), views.end());
  std::sort(names.begin(), names.end());
  if (names.empty()) {
    PrintInfo("No tables yet: CREATE TABLE registers one.");
    return;
  }
  std::vector<std::vector<std::string>> rows;
  for (const auto& name : names) rows.push_back({name});
  PrintWholeTable(out_, {"table name"}, rows);
}

void ReplSession::ShowViews() {
  std::vector<std::string> names = catalog_.ViewNames();
  if (names.empty()) {
    PrintInfo("No views yet: CREATE VIEW registers one.");
    return;
  }
  std::vector<std::vector<std::string>> rows;
  for (const auto& name : names) rows.push_back({name});
  PrintWholeTable(out_, {"view name"}, rows);
}

void ReplSession::ShowFunctions() {
  std::vector<std::vector<std::string>> rows;
  for (const auto& name : BuiltInFunctionNames()) rows.push_back({name});
  PrintWholeTable(out_, {"function name"}, rows);
}

void ReplSession::ListSettings() {
  std::map<std::string, std::string> settings = {{kResultModeKey, "tableau"},
                                                 {kMaxRowsKey, "0"},
                                                 {kMaxColumnWidthKey, std::to_string(kDefaultMaxColumnWidth)}};
  for (const auto& [key, value] : config_.settings) settings[key] = value;
  std::vector<std::vector<std::string>> rows;
  for (const auto& [key, value] : settings) rows.push_back({key, value});
  PrintWholeTable(out_, {"key", "value"}, rows);
}

ReplSession::Result ReplSession::Describe(const std::string& name) {
  if (name.empty()) {
    PrintError("DESCRIBE needs the name of a table or view, e.g. DESCRIBE orders;");
    return Result::kFailed;
  }
  if (const TableDefinition* table = catalog_.Find(name)) {
    DescribeTable(*table);
    return Result::kOk;
  }
  if (const ViewDefinition* view = catalog_.FindView(name)) {
    try {
      DescribeView(*view);
    } catch (const SqlError& error) {
      PrintError(fmt::format("view {} no longer binds: {}", name, error.what()));
      return Result::kFailed;
    }
    return Result::kOk;
  }
  std::vector<std::string> known = catalog_.TableNames();
  std::vector<std::string> views = catalog_.ViewNames();
  known.insert(known.end(), views.begin(), views.end());
  std::string hint = DidYouMean(name, known);
  PrintError(fmt::format("table or view '{}' not found; {}", name, hint.empty() ? "SHOW TABLES lists them" : hint));
  return Result::kFailed;
}

void ReplSession::DescribeTable(const TableDefinition& table) {
  auto found = table_sources_.find(table.name);
  const TableSourceText* source = found == table_sources_.end() ? nullptr : &found->second;
  std::vector<std::vector<std::string>> rows;
  for (size_t i = 0; i < table.columns.size(); ++i) {
    const CatalogColumn& column = table.columns[i];
    bool rowtime = static_cast<int>(i) == table.rowtime_column;
    std::string type = column.type.WithNullable(true).ToString() + (column.is_proctime() ? " *PROCTIME*" : "");
    rows.push_back({column.name, type, column.type.nullable ? "TRUE" : "FALSE",
                    PrimaryKeyText(table, column.name), ExtrasOf(column, source),
                    rowtime ? WatermarkText(table, source) : ""});
  }
  PrintWholeTable(out_, {"name", "type", "null", "key", "extras", "watermark"}, rows);
}

void ReplSession::DescribeView(const ViewDefinition& view) {
  PlanPtr plan = BindQuery(*view.query, catalog_);
  std::vector<std::vector<std::string>> rows;
  size_t visible = 0;
  for (const auto& field : plan->schema) {
    if (field.hidden) continue;
    std::string name = visible < view.column_names.size() ? view.column_names[visible] : field.name;
    rows.push_back({name, field.type.WithNullable(true).ToString(), field.type.nullable ? "TRUE" : "FALSE"});
    ++visible;
  }
  PrintWholeTable(out_, {"name", "type", "null"}, rows);
}

ReplSession::Result ReplSession::Explain(const StatementText& statement, size_t skipped_words,
                                         const StatementSource& source, const ExplainOptions& options) {
  StatementText rest = SkipWords(statement, skipped_words);
  std::string text = PlaceAtSourcePosition(rest);
  try {
    std::vector<ast::Statement> parsed = ParseScript(text, source.name);
    bool explainable = parsed.size() == 1 && (parsed[0].kind == ast::StatementKind::kQuery ||
                                              parsed[0].kind == ast::StatementKind::kInsert);
    if (!explainable) {
      PrintError("EXPLAIN takes one SELECT or INSERT INTO statement");
      return Result::kFailed;
    }
    // A copy of the settings, so that planning here leaves no pending statement name behind.
    SessionConfig config = config_;
    ScriptPlanner planner(catalog_, config);
    planner.set_allow_queries(true);
    for (const auto& rule : planner.PlanScript(text, source.name)) out_ << ExplainRule(rule, options) << "\n";
    out_.flush();
    return Result::kOk;
  } catch (const SqlError& error) {
    PrintSqlError(error, rest);
  } catch (const std::exception& error) {
    PrintError(error.what());
  }
  return Result::kFailed;
}

}  // namespace fsql::cli
