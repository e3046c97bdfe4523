// The `fsql repl` command: option parsing, the interactive loop and the
// script runner behind -i, -f, -e and piped input.
#include <unistd.h>

#include <clocale>
#include <fstream>
#include <iostream>
#include <sstream>
#include <thread>

#include "cli/cli_util.h"
#include "cli/repl.h"
#include "cli/repl_editor.h"
#include "cli/repl_session.h"
#include "cli/repl_signals.h"
#include "cli/rule_watcher.h"
#include "compiler/parser/parser.h"
#include "runtime/common/logging.h"

namespace fsql::cli {

namespace {

constexpr char kUsage[] = R"(usage: fsql repl [options]

Starts an interactive SQL shell: statements end with ';' and may span lines,
SELECT prints its changes as a table while they arrive, and INSERT INTO and
CREATE TABLE AS run as background jobs. Type HELP; at the prompt for the
commands. When stdin is not a terminal, the statements read from it run as
with -f.

  --bootstrap-servers HOSTS   Kafka bootstrap servers for tables that do not set them
  -D KEY=VALUE                a default table option, e.g. -D properties.security.protocol=SASL_SSL
  -i, --init FILE             run the statements of FILE first, then go on
  -f, --file FILE             run the statements of FILE and exit; stop at the first error
  -e, --execute SQL           run the statements in SQL and exit; after FILE when both are given
  --max-rows N                stop each SELECT after N rows; the same as
                              SET 'sql-client.execution.max-table-result.rows' = 'N'
  --watch FILE|DIR...         run the rules of these files (a directory means its *.fsql
                              files) in the background, reloading them as they change, as
                              `fsql run --watch` does; SHOW JOBS lists them, and the tables
                              and views they declare join the session's catalog
  --rules-topic TOPIC         also run rule files sent on TOPIC, as `fsql run --rules-topic` does
  --watch-interval MS         how often to check the watched files and the topic (default 500)
  --log-level LEVEL           trace, debug, info, warn (default) or error

With -f or -e, jobs that INSERT INTO or CREATE TABLE AS started keep running
until SIGINT or SIGTERM, as with `fsql run`. Files may use ${VAR} for
environment variables, as rule files do.

The history is kept in ~/.fsql_history, or in $FSQL_HISTORY (set it to '' for
none). On lines that mention a password, a secret or sasl.jaas.config, quoted
values are masked before they are written.

Exit codes: 0 every statement succeeded and no job failed; 1 a statement or a
job failed, or Ctrl-C ended a script; 2 invalid usage, a file that cannot be
read, or a watched rule file with an error at startup.
)";

constexpr char kPrompt[] = "fsql> ";
constexpr char kContinuationPrompt[] = "    > ";

/// Rewrites -i, -f and -e to their long forms, which Arguments::Parse understands.
std::vector<std::string> ExpandShortOptions(const std::vector<std::string>& args) {
  std::vector<std::string> expanded;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (arg == "-i") {
      expanded.push_back("--init");
    } else if (arg == "-f") {
      expanded.push_back("--file");
    } else if (arg == "-e") {
      expanded.push_back("--execute");
    } else {
      expanded.push_back(arg);
    }
    // A value is never an option, even when it starts with '-'.
    bool takes_value = arg == "-D" || arg == "-i" || arg == "-f" || arg == "-e";
    if (takes_value && i + 1 < args.size()) expanded.push_back(args[++i]);
  }
  return expanded;
}

std::string ReadFileOrThrow(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw UsageError(fmt::format("cannot read the file '{}'; check the path and its permissions", path));
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

bool StopRequestedBySignal() { return InterruptRequested() || TerminationRequested(); }

/// Runs the statements of `text` in order and stops at the first failure, at
/// QUIT (setting `quit`) or at Ctrl-C. Returns false on a failure or Ctrl-C.
bool RunScript(ReplSession& session, const std::string& text, const StatementSource& source, bool& quit) {
  StatementSplitter splitter;
  std::vector<StatementText> statements;
  std::istringstream lines(text);
  std::string line;
  while (std::getline(lines, line)) {
    for (auto& statement : splitter.AddLine(line)) statements.push_back(std::move(statement));
  }
  if (auto rest = splitter.TakeRest()) statements.push_back(std::move(*rest));

  for (const auto& statement : statements) {
    ReplSession::Result result = session.Execute(statement, source);
    if (StopRequestedBySignal()) {
      std::cerr << fmt::format("[ERROR] Interrupted; the statements of {} after line {} did not run.\n", source.name,
                               statement.line);
      return false;
    }
    if (result == ReplSession::Result::kFailed) return false;
    if (result == ReplSession::Result::kQuit) {
      quit = true;
      return true;
    }
  }
  return true;
}

/// Runs a file given with -i or -f; ${VAR} is replaced from the environment first.
bool RunFile(ReplSession& session, const std::string& path, bool& quit) {
  std::string text = ReadFileOrThrow(path);
  try {
    text = SubstituteEnvironment(text, path);
  } catch (const SqlError& error) {
    std::cerr << "[ERROR] " << error.Render(SourceLine(text, error.location().line));
    return false;
  }
  return RunScript(session, text, StatementSource{path, true}, quit);
}

/// Keeps the process alive for the jobs a script started, as `fsql run` does.
/// Returns 1 when a job failed.
int WaitForJobs(ReplSession& session) {
  size_t running = session.RunningJobCount();
  if (running > 0) {
    std::cout << fmt::format("[INFO] {} job(s) running; Ctrl-C or SIGTERM stops them.", running) << std::endl;
    while (!StopRequestedBySignal() && session.RunningJobCount() > 0) {
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
  }
  session.StopAllJobs();
  return session.AnyJobFailed() ? 1 : 0;
}

/// True for the client commands that work without ';' on a line of their own.
bool IsBareCommand(const std::string& line) {
  std::vector<SqlToken> tokens = TokenizeSql(line);
  if (tokens.size() != 1 || tokens[0].kind != SqlToken::Kind::kWord) return false;
  const std::string& word = tokens[0].upper;
  return word == "HELP" || word == "QUIT" || word == "EXIT" || word == "CLEAR";
}

bool IsBlank(const std::string& line) { return line.find_first_not_of(" \t\r") == std::string::npos; }

/// Executes what `line` completes; returns false when a statement was QUIT.
bool ExecuteLine(ReplSession& session, StatementSplitter& splitter, const std::string& line) {
  static const StatementSource kPromptSource{"<stdin>", false};
  std::vector<StatementText> statements;
  if (!splitter.pending() && IsBareCommand(line)) {
    statements.push_back(StatementText{line, 1, 1, ""});
  } else {
    statements = splitter.AddLine(line);
  }
  for (const auto& statement : statements) {
    if (session.Execute(statement, kPromptSource) == ReplSession::Result::kQuit) return false;
    ClearInterrupt();
  }
  return true;
}

void RunInteractive(ReplSession& session) {
  std::setlocale(LC_CTYPE, "");  // libedit reads multibyte input by the locale
  StatementSplitter splitter;
  LineEditor editor(DefaultHistoryPath(), [&](const std::string& before_cursor) {
    std::string statement = splitter.buffer();
    return session.Complete(statement.empty() ? before_cursor : statement + "\n" + before_cursor);
  });
  std::cout << "fsql interactive SQL shell. Statements end with ';'. Type HELP; for the commands, QUIT; to leave.\n\n";
  while (!TerminationRequested()) {
    if (!splitter.pending()) splitter.RestartLineNumbers();
    std::string line;
    LineEditor::ReadResult read = editor.ReadLine(splitter.pending() ? kContinuationPrompt : kPrompt, line);
    if (TerminationRequested()) break;
    if (read == LineEditor::ReadResult::kEndOfInput) {
      std::cout << "\n";
      break;
    }
    if (read == LineEditor::ReadResult::kInterrupted) {
      splitter.Clear();
      continue;
    }
    if (!IsBlank(line)) editor.AddHistory(line);
    if (!ExecuteLine(session, splitter, line)) break;
  }
  if (TerminationRequested()) std::cout << "\n";
  size_t running = session.RunningJobCount();
  if (running > 0) std::cout << fmt::format("[INFO] Stopping {} running job(s).", running) << std::endl;
  session.StopAllJobs();
}

std::map<std::string, std::string> DefaultTableOptions(const Arguments& parsed) {
  std::map<std::string, std::string> options = parsed.definitions;
  if (parsed.Has("bootstrap-servers")) options["properties.bootstrap.servers"] = parsed.Get("bootstrap-servers", "");
  return options;
}

}  // namespace

bool IsInteractiveTerminal() { return isatty(STDIN_FILENO) && isatty(STDOUT_FILENO); }

int Repl(const std::vector<std::string>& args) {
  Arguments parsed = Arguments::Parse(ExpandShortOptions(args),
                                      {"bootstrap-servers", "init", "file", "execute", "max-rows", "log-level",
                                       "rules-topic", "watch-interval"},
                                      {"help", "watch"});
  if (parsed.Has("help")) {
    std::cout << kUsage;
    return 0;
  }
  if (!parsed.positional.empty() && !parsed.Has("watch") && !parsed.Has("rules-topic")) {
    throw UsageError(fmt::format("unexpected argument '{}'; to run rule files in the background, write "
                                 "`fsql repl --watch {}`",
                                 parsed.positional.front(), parsed.positional.front()));
  }
  if (parsed.Has("watch") && parsed.positional.empty()) {
    throw UsageError("--watch needs at least one rule file or directory");
  }
  int64_t watch_interval = parsed.GetInt("watch-interval", 500);
  if (watch_interval <= 0) throw UsageError("--watch-interval must be a positive number of milliseconds");
  int64_t max_rows = parsed.GetInt("max-rows", 0);
  if (max_rows < 0) throw UsageError(fmt::format("--max-rows must be 0 or more, got {}", max_rows));
  SetLogLevel(parsed.Get("log-level", "warn"));

  InstallReplSignalHandlers();
  // Declared before the session, so that it outlives every statement that lists its rules.
  std::unique_ptr<RuleWatcher> watcher;
  if (parsed.Has("watch") || parsed.Has("rules-topic")) {
    SessionConfig config;
    config.default_table_options = DefaultTableOptions(parsed);
    RuleWatcherOptions options;
    options.paths = parsed.positional;
    options.watch_files = parsed.Has("watch");
    if (parsed.Has("rules-topic")) options.rules_topic = parsed.Get("rules-topic", "");
    options.interval = std::chrono::milliseconds(watch_interval);
    watcher = std::make_unique<RuleWatcher>(std::move(config), std::move(options));
    if (auto error = watcher->Start()) {
      std::cerr << "[ERROR] " << error->rendered;
      return 2;
    }
  }
  ReplSession session(std::cout, std::cerr, DefaultTableOptions(parsed));
  session.AttachWatchedRules(watcher.get());
  if (parsed.Has("max-rows")) session.Set(kMaxRowsKey, std::to_string(max_rows));
  bool quit = false;
  if (parsed.Has("init") && !RunFile(session, parsed.Get("init", ""), quit)) return 1;
  if (quit) return 0;

  bool script = parsed.Has("file") || parsed.Has("execute");
  if (parsed.Has("file") && !RunFile(session, parsed.Get("file", ""), quit)) return 1;
  if (!quit && parsed.Has("execute") &&
      !RunScript(session, parsed.Get("execute", ""), StatementSource{"<-e>", false}, quit)) {
    return 1;
  }
  if (script) return quit ? 0 : WaitForJobs(session);

  if (IsInteractiveTerminal()) {
    RunInteractive(session);
    return 0;
  }
  std::stringstream input;
  input << std::cin.rdbuf();
  if (!RunScript(session, input.str(), StatementSource{"<stdin>", false}, quit)) return 1;
  return quit ? 0 : WaitForJobs(session);
}

}  // namespace fsql::cli
