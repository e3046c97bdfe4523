// The state of one `fsql repl` session: its catalog and settings, the jobs it
// started, and the code that runs each statement and client command.
#pragma once

#include <chrono>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <ostream>
#include <string>
#include <vector>

#include "cli/repl_completion.h"
#include "cli/repl_input.h"
#include "cli/repl_query.h"
#include "api/rule_loader.h"
#include "runtime/job/rule_set.h"
#include "compiler/planner/explain.h"
#include "compiler/planner/planner.h"
#include "runtime/job/rule_job.h"

namespace fsql::cli {

class RuleWatcher;

// Client settings, named as in the Flink SQL client.
inline constexpr char kResultModeKey[] = "sql-client.execution.result-mode";
inline constexpr char kMaxRowsKey[] = "sql-client.execution.max-table-result.rows";
inline constexpr char kMaxColumnWidthKey[] = "sql-client.display.max-column-width";
inline constexpr int kDefaultMaxColumnWidth = 30;

/// The origin of statements: a file, the prompt or -e. Jobs from a file keep the planner's
/// `file:line` names, which `fsql run` gives them too. Jobs typed at the
/// prompt or given with -e are named after their sink table.
struct StatementSource {
  std::string name;  // the file, or "<stdin>" or "<-e>", used in error locations
  bool is_file = false;
};

/// An INSERT INTO or CREATE TABLE AS running in the background.
struct BackgroundJob {
  std::string name;
  std::string sink;
  std::unique_ptr<RuleJob> job;
  std::chrono::system_clock::time_point started;
};

/// The source text of a CREATE TABLE that DESCRIBE shows and the catalog does not keep.
struct TableSourceText {
  std::map<std::string, std::string> computed_columns;  // column name to its expression as written
  std::string watermark;                                // the WATERMARK expression as written, if any
};

class ReplSession {
 public:
  enum class Result { kOk, kFailed, kQuit };

  /// `default_table_options` fill in options a CREATE TABLE does not set, as
  /// --bootstrap-servers and -D do for `fsql run`.
  ReplSession(std::ostream& out, std::ostream& err, std::map<std::string, std::string> default_table_options);
  ~ReplSession();

  /// Runs one statement or client command and prints its result or error.
  Result Execute(const StatementText& statement, const StatementSource& source);

  /// Sets a session setting as SET does, for command-line options such as --max-rows.
  void Set(const std::string& key, const std::string& value);

  /// Completion for `text`, the current statement up to the cursor.
  Completion Complete(const std::string& text);

  /// Lists the rules of `watcher` in SHOW JOBS and DESCRIBE JOB beside the
  /// session's own jobs, and adds the tables and views its rule texts declare
  /// to the session's catalog. The watcher must outlive the session's last statement.
  void AttachWatchedRules(const RuleWatcher* watcher);

  /// The running jobs, counting every watched rule, because a failed one is restarted.
  size_t RunningJobCount() const;
  bool AnyJobFailed() const;
  /// Stops every running job, flushing its output and committing its offsets.
  void StopAllJobs();

 private:
  // repl_session.cc: SQL statements.
  Result ExecuteSql(const StatementText& statement, const StatementSource& source);
  Result RunParsedStatement(const ast::Statement& parsed, const StatementText& statement,
                            const StatementSource& source);
  Result AddToStatementSet(const ast::Statement& parsed, const StatementText& statement,
                           const StatementSource& source);
  Result EndStatementSet(const StatementSource& source);
  void ValidateClientSetting(const ast::Statement& set) const;
  void RememberTableSource(const ast::CreateTable& create);
  Result RunAdHocQuery(const RulePlan& query);
  std::string Setting(const std::string& key, const std::string& fallback) const;
  QuerySettings CurrentQuerySettings() const;
  void PrintSqlError(const SqlError& error, const StatementText& statement);
  void PrintInfo(const std::string& message);
  void PrintError(const std::string& message);

  // repl_watched_catalog.cc: the tables and views of watched rule texts in the session's catalog.
  /// Brings the catalog in step with the watcher's latest reload. Returns at once when nothing was reloaded.
  void SyncWatchedDeclarations();
  void ImportWatchedDeclarations(const LoadedRules& loaded);
  void RemoveImport(const std::string& name);
  /// Hides a watched declaration that `statement` declares again, and throws
  /// SqlError when `statement` drops or alters a watched declaration.
  void BeforeCatalogChange(const ast::Statement& statement);
  /// Records which names `statement` declared, dropped or renamed, judged by
  /// the catalog afterwards, so that a statement that failed halfway counts too.
  void AfterCatalogChange(const ast::Statement& statement);

  // repl_jobs.cc: background jobs.
  Result SubmitRules(std::vector<RulePlan> rules, const StatementSource& source);
  std::string JobNameFor(const RulePlan& rule, const StatementSource& source) const;
  BackgroundJob* FindRunningJob(const std::string& name);
  void ShowJobs();
  std::vector<RuleInfo> WatchedRules() const;
  Result DescribeJob(const std::string& name);
  Result StopJob(const std::string& name);

  // repl_commands.cc: client commands, handled before the SQL parser.
  bool TryClientCommand(const StatementText& statement, const StatementSource& source, Result& result);
  void PrintHelp();
  void ShowTables();
  void ShowViews();
  void ShowFunctions();
  void ListSettings();
  Result Describe(const std::string& name);
  void DescribeTable(const TableDefinition& table);
  void DescribeView(const ViewDefinition& view);
  Result Explain(const StatementText& statement, size_t skipped_words, const StatementSource& source,
                 const ExplainOptions& options);

  std::ostream& out_;
  std::ostream& err_;
  Catalog catalog_;
  SessionConfig config_;
  ScriptPlanner planner_;
  std::map<std::string, TableSourceText> table_sources_;
  // With --watch: the loaded rules whose declarations the catalog contains,
  // the names copied from them, and the names declared in this session, which
  // hide a watched declaration of the same name. A name is in at most one of
  // imported_ and declared_here_.
  struct ImportedDeclaration {
    std::string file;
    std::string text;  // the declaration as SQL, to notice when a reload changes it
  };
  std::shared_ptr<const LoadedRules> imported_from_;
  std::map<std::string, ImportedDeclaration> imported_;
  std::set<std::string> declared_here_;
  // The watched declaration that the statement being run hides: name and file.
  std::optional<std::pair<std::string, std::string>> hidden_import_;
  // Names whose session declaration was dropped or renamed. The next sync
  // reports the watched declaration that takes their place.
  std::set<std::string> uncovered_;
  std::vector<BackgroundJob> jobs_;
  const RuleWatcher* watched_ = nullptr;
  // Between BEGIN STATEMENT SET and END: the BEGIN and the INSERTs so far. The
  // REPL plans them together at END, because the planner rejects a script that
  // ends inside an open set.
  std::optional<StatementText> open_set_begin_;
  std::vector<std::string> open_set_inserts_;
  std::string session_id_;  // random, so that ad hoc queries get consumer groups of their own
  int query_count_ = 0;
};

/// Returns `statement.text` preceded by line breaks and spaces, so that the
/// parser reports locations at the statement's place in its source.
std::string PlaceAtSourcePosition(const StatementText& statement);

/// Like PlaceAtSourcePosition, but with the source's own text before the
/// statement on its first line, for quoting that line under an error.
std::string QuoteInSource(const StatementText& statement);

}  // namespace fsql::cli
