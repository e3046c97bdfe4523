// `fsql repl` as a user meets it. The real binary runs in a real terminal
// (tmux): keys are sent with `tmux send-keys` and the screen is read with
// `tmux capture-pane`. Scripts run with -f and -e as separate processes. The
// pure parts (statement splitting, secret masking, completion, cell layout)
// are tested directly.
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include <gtest/gtest.h>

#include <fmt/format.h>

#include "cli/repl_completion.h"
#include "cli/repl_input.h"
#include "cli/repl_table.h"
#include "tests/subprocess.h"

namespace fsql::testing {
namespace {

using namespace std::chrono_literals;
using cli::StatementSplitter;
using cli::StatementText;

const std::string kFsql = FSQL_BINARY;
const std::string kKcat = "/usr/bin/kcat";
constexpr auto kScreenTimeout = 20s;

std::atomic<int> g_unique{0};

std::string UniqueName(const std::string& kind) { return fmt::format("fsql-{}-{}-{}", kind, getpid(), g_unique++); }

/// A directory under the system temp directory, removed with its files at the end of the test.
class TempDirectory {
 public:
  TempDirectory() : path_(std::filesystem::temp_directory_path() / UniqueName("repl-test")) {
    std::filesystem::create_directories(path_);
  }
  ~TempDirectory() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  std::string File(const std::string& name) const { return (path_ / name).string(); }

 private:
  std::filesystem::path path_;
};

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

void WriteFile(const std::string& path, const std::string& text) { std::ofstream(path) << text; }

/// Writes a file and renames it into place, as editors do, so that the watcher never reads half of it.
void ReplaceFile(const std::string& path, const std::string& text) {
  WriteFile(path + ".tmp", text);
  std::filesystem::rename(path + ".tmp", path);
}

/// Runs a command and returns its exit code, without throwing on failure.
int RunQuietly(const std::vector<std::string>& argv) {
  Subprocess process(argv);
  process.CloseStdin();
  return process.Wait(10s).value_or(-1);
}

/// A tmux server of its own (socket `tmux -L <unique>`) with one 160x50 pane
/// running `fsql <fsql_arguments>`. The pane keeps showing the screen after fsql exits.
class Terminal {
 public:
  Terminal(const std::string& fsql_arguments, const std::string& history_file, int width = 160)
      : socket_(UniqueName("repl-tmux")) {
    std::string command = fmt::format(
        "FSQL_HISTORY='{}' '{}' {}; echo \"[fsql exited with status $?]\"; sleep 120", history_file, kFsql,
        fsql_arguments);
    RunCommand(Tmux({"new-session", "-d", "-s", "repl", "-x", std::to_string(width), "-y", "50", command}));
  }

  ~Terminal() { RunQuietly(Tmux({"kill-server"})); }

  /// Types `text` literally, without pressing Enter.
  void Type(const std::string& text) {
    std::string literal = text;
    // tmux reads an argument that ends in ';' as a command separator, so that ';' is escaped.
    if (!literal.empty() && literal.back() == ';') literal.insert(literal.size() - 1, "\\");
    RunCommand(Tmux({"send-keys", "-t", "repl", "-l", literal}));
  }

  /// Presses a key by its tmux name: Enter, Tab, C-c, C-r, ...
  void Press(const std::string& key) { RunCommand(Tmux({"send-keys", "-t", "repl", key})); }

  void TypeLine(const std::string& text) {
    Type(text);
    Press("Enter");
  }

  std::string Screen() { return RunCommand(Tmux({"capture-pane", "-p", "-J", "-t", "repl"})); }

  /// Polls the screen until it contains `text` `count` times or the timeout passes.
  bool WaitFor(const std::string& text, size_t count = 1, std::chrono::milliseconds timeout = kScreenTimeout) {
    auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
      if (Count(Screen(), text) >= count) return true;
      std::this_thread::sleep_for(50ms);
    }
    return false;
  }

  static size_t Count(const std::string& screen, const std::string& text) {
    size_t found = 0;
    for (size_t at = screen.find(text); at != std::string::npos; at = screen.find(text, at + text.size())) ++found;
    return found;
  }

 private:
  std::vector<std::string> Tmux(std::vector<std::string> arguments) const {
    std::vector<std::string> argv = {"/usr/bin/tmux", "-L", socket_, "-f", "/dev/null"};
    argv.insert(argv.end(), arguments.begin(), arguments.end());
    return argv;
  }

  std::string socket_;
};

/// Returns the first line of `screen` that contains `text`, or "".
std::string LineWith(const std::string& screen, const std::string& text) {
  std::istringstream lines(screen);
  std::string line;
  while (std::getline(lines, line)) {
    if (line.find(text) != std::string::npos) return line;
  }
  return "";
}

/// Returns the line after the first line of `screen` that contains `text`, or "".
std::string LineAfter(const std::string& screen, const std::string& text) {
  std::istringstream lines(screen);
  std::string line;
  while (std::getline(lines, line)) {
    if (line.find(text) != std::string::npos) {
      std::getline(lines, line);
      return line;
    }
  }
  return "";
}

// ---- Terminal sessions without Kafka ----

class ReplTerminalTest : public ::testing::Test {
 protected:
  TempDirectory temp_;
  std::string history_ = temp_.File("history");
};

TEST_F(ReplTerminalTest, BareFsqlOnTerminalStartsRepl) {
  Terminal terminal("", history_);
  ASSERT_TRUE(terminal.WaitFor("fsql> ")) << terminal.Screen();
  terminal.TypeLine("quit");
  ASSERT_TRUE(terminal.WaitFor("[fsql exited with status 0]")) << terminal.Screen();
}

TEST_F(ReplTerminalTest, ContinuationPromptForMultiLineStatement) {
  Terminal terminal("repl", history_);
  ASSERT_TRUE(terminal.WaitFor("fsql> ")) << terminal.Screen();
  terminal.TypeLine("SELECT n * 6 AS answer");
  ASSERT_TRUE(terminal.WaitFor("    > ")) << terminal.Screen();
  EXPECT_EQ(Terminal::Count(terminal.Screen(), "| op |"), 0u) << "the statement ran before its ';'";

  terminal.TypeLine("FROM (VALUES (7)) AS v(n);");
  ASSERT_TRUE(terminal.WaitFor("Received a total of 1 row")) << terminal.Screen();
  std::string screen = terminal.Screen();
  EXPECT_NE(LineWith(screen, "| op |").find("answer"), std::string::npos) << screen;
  EXPECT_NE(LineWith(screen, "| +I |").find("42"), std::string::npos) << screen;
  EXPECT_TRUE(terminal.WaitFor("fsql> ", 2)) << "no prompt after the result:\n" << screen;
}

TEST_F(ReplTerminalTest, SemicolonInQuotesKeepsStatementOpen) {
  Terminal terminal("repl", history_);
  ASSERT_TRUE(terminal.WaitFor("fsql> ")) << terminal.Screen();
  terminal.TypeLine("SELECT s, `a;b` FROM (VALUES ('x;y', 1)) AS v(s, `a;b`) -- a comment; still open");
  terminal.TypeLine("/* ; */");
  ASSERT_TRUE(terminal.WaitFor("    > ", 2)) << terminal.Screen();
  EXPECT_EQ(Terminal::Count(terminal.Screen(), "[ERROR]"), 0u) << terminal.Screen();
  EXPECT_EQ(Terminal::Count(terminal.Screen(), "| op |"), 0u) << terminal.Screen();

  terminal.TypeLine(";");
  ASSERT_TRUE(terminal.WaitFor("Received a total of 1 row")) << terminal.Screen();
  EXPECT_NE(LineWith(terminal.Screen(), "| +I |").find("x;y"), std::string::npos) << terminal.Screen();
}

TEST_F(ReplTerminalTest, SetThenBareSetListsTheSetting) {
  Terminal terminal("repl", history_);
  ASSERT_TRUE(terminal.WaitFor("fsql> ")) << terminal.Screen();
  terminal.TypeLine("SET 'table.exec.codegen.mode' = 'interpret';");
  ASSERT_TRUE(terminal.WaitFor("[INFO] Execute statement succeeded.")) << terminal.Screen();

  terminal.TypeLine("set;");
  ASSERT_TRUE(terminal.WaitFor("table.exec.codegen.mode")) << terminal.Screen();
  std::string screen = terminal.Screen();
  std::string row = LineWith(screen, "| table.exec.codegen.mode");
  EXPECT_NE(row.find("| interpret"), std::string::npos) << screen;
  EXPECT_NE(LineWith(screen, "| sql-client.execution.result-mode").find("tableau"), std::string::npos) << screen;
}

TEST_F(ReplTerminalTest, TableResultModeIsRejected) {
  Terminal terminal("repl", history_);
  ASSERT_TRUE(terminal.WaitFor("fsql> ")) << terminal.Screen();
  terminal.TypeLine("SET 'sql-client.execution.result-mode' = 'table';");
  ASSERT_TRUE(terminal.WaitFor("[ERROR]")) << terminal.Screen();
  EXPECT_TRUE(terminal.WaitFor("result mode 'table' is not supported yet")) << terminal.Screen();
}

TEST_F(ReplTerminalTest, ErrorShowsCaretUnderTheToken) {
  Terminal terminal("repl", history_);
  ASSERT_TRUE(terminal.WaitFor("fsql> ")) << terminal.Screen();
  terminal.TypeLine("SELECT n, nope FROM (VALUES (1)) AS v(n);");
  ASSERT_TRUE(terminal.WaitFor("[ERROR]")) << terminal.Screen();
  ASSERT_TRUE(terminal.WaitFor("^")) << terminal.Screen();
  std::string screen = terminal.Screen();
  std::string error = LineWith(screen, "[ERROR]");
  EXPECT_NE(error.find("<stdin>:1:11"), std::string::npos) << screen;
  EXPECT_NE(error.find("nope"), std::string::npos) << screen;

  // The quoted line is indented by two spaces, and so is the caret under it.
  std::string quoted = LineAfter(screen, "[ERROR]");
  std::string caret = LineAfter(screen, quoted);
  ASSERT_NE(quoted.find("SELECT n, nope"), std::string::npos) << screen;
  EXPECT_EQ(caret.find('^'), quoted.find("nope")) << screen;
  EXPECT_TRUE(terminal.WaitFor("fsql> ", 2)) << "no prompt after the error:\n" << screen;
}

TEST_F(ReplTerminalTest, TabCompletesTableName) {
  Terminal terminal("repl", history_);
  ASSERT_TRUE(terminal.WaitFor("fsql> ")) << terminal.Screen();
  terminal.TypeLine("CREATE TABLE customer_orders (order_id BIGINT, amount DOUBLE);");
  ASSERT_TRUE(terminal.WaitFor("[INFO] Execute statement succeeded.")) << terminal.Screen();

  terminal.Type("DESCRIBE cust");
  terminal.Press("Tab");
  ASSERT_TRUE(terminal.WaitFor("DESCRIBE customer_orders")) << terminal.Screen();
  terminal.TypeLine(";");
  ASSERT_TRUE(terminal.WaitFor("| order_id")) << terminal.Screen();
  EXPECT_NE(LineWith(terminal.Screen(), "| amount").find("DOUBLE"), std::string::npos) << terminal.Screen();
}

TEST_F(ReplTerminalTest, CtrlCClearsTheStatementBeingTyped) {
  Terminal terminal("repl", history_);
  ASSERT_TRUE(terminal.WaitFor("fsql> ")) << terminal.Screen();
  terminal.TypeLine("SELECT broken");
  ASSERT_TRUE(terminal.WaitFor("    > ")) << terminal.Screen();
  terminal.Press("C-c");
  ASSERT_TRUE(terminal.WaitFor("fsql> ", 2)) << terminal.Screen();

  // Had the first line survived, this would run "SELECT broken SELECT ...", a syntax error.
  terminal.TypeLine("SELECT n FROM (VALUES (5)) AS v(n);");
  ASSERT_TRUE(terminal.WaitFor("Received a total of 1 row")) << terminal.Screen();
  EXPECT_EQ(Terminal::Count(terminal.Screen(), "[ERROR]"), 0u) << terminal.Screen();
}

TEST_F(ReplTerminalTest, HistoryIsSavedWithSecretsMasked) {
  {
    Terminal terminal("repl", history_);
    ASSERT_TRUE(terminal.WaitFor("fsql> ")) << terminal.Screen();
    terminal.TypeLine("SET 'properties.sasl.password' = 'hunter2';");
    ASSERT_TRUE(terminal.WaitFor("[INFO]")) << terminal.Screen();
    terminal.TypeLine("SET 'properties.sasl.jaas.config' =");
    terminal.TypeLine("  'org.apache.kafka.common.security.plain.PlainLoginModule required password=\"s3cret\";';");
    ASSERT_TRUE(terminal.WaitFor("[INFO]", 2)) << terminal.Screen();
    terminal.TypeLine("QUIT;");
    ASSERT_TRUE(terminal.WaitFor("[fsql exited with status 0]")) << terminal.Screen();
  }
  std::string history = ReadFile(history_);
  EXPECT_NE(history.find("SET 'properties.sasl.password' = '******';"), std::string::npos) << history;
  EXPECT_EQ(history.find("hunter2"), std::string::npos) << history;
  EXPECT_EQ(history.find("s3cret"), std::string::npos) << history;
  EXPECT_NE(history.find("QUIT;"), std::string::npos) << history;
  EXPECT_EQ(std::filesystem::status(history_).permissions() & std::filesystem::perms::others_read,
            std::filesystem::perms::none);

  // A new session loads the file: Ctrl-R finds the earlier line.
  Terminal terminal("repl", history_);
  ASSERT_TRUE(terminal.WaitFor("fsql> ")) << terminal.Screen();
  terminal.Press("C-r");
  terminal.Type("sasl.pass");
  ASSERT_TRUE(terminal.WaitFor("SET 'properties.sasl.password' = '******';")) << terminal.Screen();
}

/// Returns a rule file that only declares tables and a view, so that watching
/// it starts no job and needs no broker.
std::string OrdersDeclarations(const std::string& amount_type) {
  return fmt::format(R"(CREATE TABLE watched_orders (id BIGINT, amount {}) WITH ('topic' = 'orders');
CREATE VIEW big_orders AS SELECT id FROM watched_orders WHERE amount > 100;
)",
                     amount_type);
}

constexpr char kRefundsDeclarations[] = R"(CREATE TABLE watched_refunds (id BIGINT) WITH ('topic' = 'refunds');
CREATE TABLE watched_returns (id BIGINT) WITH ('topic' = 'returns');
)";

/// Clears the screen and runs `statement` until the screen contains `text`.
bool RunUntilScreenHas(Terminal& terminal, const std::string& statement, const std::string& text) {
  auto deadline = std::chrono::steady_clock::now() + kScreenTimeout;
  while (std::chrono::steady_clock::now() < deadline) {
    terminal.TypeLine("CLEAR;");
    terminal.TypeLine(statement);
    if (terminal.WaitFor(text, 1, 1s)) return true;
  }
  return false;
}

TEST_F(ReplTerminalTest, WatchedDeclarationsFollowReloads) {
  std::filesystem::create_directories(temp_.File("rules"));
  std::string orders = temp_.File("rules/10_orders.fsql");
  std::string refunds = temp_.File("rules/20_refunds.fsql");
  WriteFile(orders, OrdersDeclarations("DOUBLE"));
  WriteFile(refunds, kRefundsDeclarations);
  Terminal terminal("repl --watch-interval 100 --watch " + temp_.File("rules"), history_);
  ASSERT_TRUE(terminal.WaitFor("fsql> ")) << terminal.Screen();
  terminal.TypeLine("SHOW TABLES;");
  ASSERT_TRUE(terminal.WaitFor("| watched_returns")) << terminal.Screen();
  std::string screen = terminal.Screen();
  EXPECT_NE(screen.find("| big_orders "), std::string::npos) << screen;
  EXPECT_NE(screen.find("| watched_orders "), std::string::npos) << screen;
  EXPECT_NE(screen.find("| watched_refunds "), std::string::npos) << screen;

  // An edited CREATE TABLE replaces the session's entry.
  ReplaceFile(orders, OrdersDeclarations("DECIMAL(10, 2)"));
  ASSERT_TRUE(RunUntilScreenHas(terminal, "DESCRIBE watched_orders;", "| amount   | DECIMAL(10, 2)"))
      << terminal.Screen();

  // A declaration that fails leaves the watched one in place.
  terminal.TypeLine("CLEAR;");
  terminal.TypeLine("CREATE TABLE watched_orders (id BIGINT) WITH ('no.such.option' = 'x');");
  ASSERT_TRUE(terminal.WaitFor("unknown table option 'no.such.option'")) << terminal.Screen();
  terminal.TypeLine("DESCRIBE watched_orders;");
  ASSERT_TRUE(terminal.WaitFor("| amount   | DECIMAL(10, 2)")) << terminal.Screen();

  // A table the session declares hides the watched one of the same name.
  terminal.TypeLine("CLEAR;");
  terminal.TypeLine("CREATE TABLE watched_refunds (id BIGINT, reason STRING);");
  ASSERT_TRUE(terminal.WaitFor("[INFO] watched_refunds hides the declaration in the watched file " + refunds))
      << terminal.Screen();

  // Removing the file removes the tables only it declared, not the session's own.
  std::filesystem::remove(refunds);
  ASSERT_TRUE(RunUntilScreenHas(terminal, "DESCRIBE watched_returns;", "table or view 'watched_returns' not found"))
      << terminal.Screen();
  terminal.TypeLine("CLEAR;");
  terminal.TypeLine("DESCRIBE watched_refunds;");
  ASSERT_TRUE(terminal.WaitFor("| reason ")) << terminal.Screen();

  // A watched table cannot be dropped from the session, because its file declares it.
  terminal.TypeLine("CLEAR;");
  terminal.TypeLine("DROP TABLE watched_orders;");
  ASSERT_TRUE(terminal.WaitFor("cannot drop it")) << terminal.Screen();
  EXPECT_NE(LineWith(terminal.Screen(), "[ERROR]").find("watched_orders is declared in the watched file " + orders),
            std::string::npos)
      << terminal.Screen();
  terminal.TypeLine("QUIT;");
  ASSERT_TRUE(terminal.WaitFor("[fsql exited with status 0]")) << terminal.Screen();
}

// ---- Terminal sessions against an embedded Kafka broker ----

/// One `fsql broker` process for the Kafka tests, with its topics created up front.
class ReplKafkaTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    broker_ = new Subprocess(
        {kFsql, "broker", "--topics", "payments:1,idle:1,transfers:1,big_transfers:1,spend:1,big_spenders:1"});
    auto line = broker_->WaitForLine("bootstrap.servers=", 15s);
    ASSERT_TRUE(line) << broker_->stderr_text();
    bootstrap_ = line->substr(line->find('=') + 1);
  }
  static void TearDownTestSuite() {
    delete broker_;
    broker_ = nullptr;
  }

  void SetUp() override {
    if (bootstrap_.empty()) GTEST_SKIP() << "the embedded broker did not start";
  }

  static void Produce(const std::string& topic, const std::string& records) {
    RunCommand({kKcat, "-b", bootstrap_, "-P", "-t", topic}, records);
  }

  /// Reads `topic` from the beginning to its current end.
  static std::string ConsumeAll(const std::string& topic) {
    Subprocess kcat({kKcat, "-b", bootstrap_, "-C", "-t", topic, "-o", "beginning", "-e", "-q"});
    kcat.CloseStdin();
    kcat.Wait(10s);
    return kcat.stdout_text();
  }

  std::string ReplArguments() const { return "repl --bootstrap-servers " + bootstrap_; }

  static Subprocess* broker_;
  static std::string bootstrap_;
  TempDirectory temp_;
  std::string history_ = temp_.File("history");
};

Subprocess* ReplKafkaTest::broker_ = nullptr;
std::string ReplKafkaTest::bootstrap_;

constexpr char kPaymentsTable[] =
    "CREATE TABLE payments (id BIGINT, payer STRING, amount DOUBLE) WITH ('topic' = 'payments');";

TEST_F(ReplKafkaTest, SelectPrintsRowsAsTheyArrive) {
  Produce("payments", "{\"id\":1,\"payer\":\"ann\",\"amount\":12.5}\n{\"id\":2,\"payer\":\"bob\",\"amount\":99}\n");
  Terminal terminal(ReplArguments(), history_);
  ASSERT_TRUE(terminal.WaitFor("fsql> ")) << terminal.Screen();
  terminal.TypeLine(kPaymentsTable);
  ASSERT_TRUE(terminal.WaitFor("[INFO] Execute statement succeeded.")) << terminal.Screen();
  terminal.TypeLine("SELECT id, UPPER(payer) AS payer, amount FROM payments;");
  ASSERT_TRUE(terminal.WaitFor("| op |")) << terminal.Screen();
  ASSERT_TRUE(terminal.WaitFor("BOB")) << terminal.Screen();

  // A record written while the query runs shows up as a new row.
  Produce("payments", "{\"id\":3,\"payer\":\"cy\",\"amount\":7}\n");
  ASSERT_TRUE(terminal.WaitFor("| CY ")) << terminal.Screen();
  std::string screen = terminal.Screen();
  EXPECT_EQ(Terminal::Count(screen, "| op |"), 1u) << "the header is printed once:\n" << screen;
  std::string first = LineWith(screen, "| ANN ");
  EXPECT_EQ(first.rfind("| +I |", 0), 0u) << screen;
  EXPECT_NE(first.find("12.5"), std::string::npos) << screen;
  EXPECT_NE(LineWith(screen, "| BOB ").find("99"), std::string::npos) << screen;

  terminal.Press("C-c");
  ASSERT_TRUE(terminal.WaitFor("Received a total of 3 rows")) << terminal.Screen();
}

TEST_F(ReplKafkaTest, CtrlCCancelsRunningQuery) {
  Terminal terminal(ReplArguments(), history_);
  ASSERT_TRUE(terminal.WaitFor("fsql> ")) << terminal.Screen();
  terminal.TypeLine("CREATE TABLE idle (id BIGINT) WITH ('topic' = 'idle');");
  ASSERT_TRUE(terminal.WaitFor("[INFO]")) << terminal.Screen();
  terminal.TypeLine("SELECT id FROM idle;");
  ASSERT_TRUE(terminal.WaitFor("| op |")) << terminal.Screen();

  terminal.Press("C-c");
  ASSERT_TRUE(terminal.WaitFor("Received a total of 0 rows; the query was cancelled", 1, 10s)) << terminal.Screen();
  ASSERT_TRUE(terminal.WaitFor("fsql> ", 3)) << terminal.Screen();

  // The session goes on after the cancelled query.
  terminal.TypeLine("SHOW TABLES;");
  ASSERT_TRUE(terminal.WaitFor("| idle")) << terminal.Screen();
}

TEST_F(ReplKafkaTest, InsertRunsAsBackgroundJob) {
  Terminal terminal(ReplArguments(), history_);
  ASSERT_TRUE(terminal.WaitFor("fsql> ")) << terminal.Screen();
  terminal.TypeLine("CREATE TABLE transfers (id BIGINT, amount DOUBLE) WITH ('topic' = 'transfers');");
  terminal.TypeLine("CREATE TABLE big_transfers (id BIGINT, amount DOUBLE) WITH ('topic' = 'big_transfers');");
  ASSERT_TRUE(terminal.WaitFor("[INFO] Execute statement succeeded.", 2)) << terminal.Screen();
  terminal.TypeLine("INSERT INTO big_transfers SELECT id, amount FROM transfers WHERE amount > 1000;");
  ASSERT_TRUE(terminal.WaitFor("Job 'insert-into_big_transfers' is writing table big_transfers")) << terminal.Screen();

  Produce("transfers", "{\"id\":70,\"amount\":5000}\n{\"id\":71,\"amount\":3}\n");
  std::string output;
  auto deadline = std::chrono::steady_clock::now() + kScreenTimeout;
  while (output.find("\"id\":70") == std::string::npos && std::chrono::steady_clock::now() < deadline) {
    output = ConsumeAll("big_transfers");
    std::this_thread::sleep_for(200ms);
  }
  EXPECT_NE(output.find("{\"id\":70,\"amount\":5000"), std::string::npos) << output << terminal.Screen();
  EXPECT_EQ(output.find("\"id\":71"), std::string::npos) << output;

  terminal.TypeLine("SHOW JOBS;");
  ASSERT_TRUE(terminal.WaitFor("| insert-into_big_transfers")) << terminal.Screen();
  EXPECT_NE(LineWith(terminal.Screen(), "| insert-into_big_transfers").find("RUNNING"), std::string::npos)
      << terminal.Screen();

  terminal.TypeLine("STOP JOB 'insert-into_big_transfers';");
  ASSERT_TRUE(terminal.WaitFor("[INFO] Stopped job 'insert-into_big_transfers'")) << terminal.Screen();
  terminal.TypeLine("SHOW JOBS;");
  ASSERT_TRUE(terminal.WaitFor("STOPPED")) << terminal.Screen();
}

/// Returns a rule that keeps a running total per account and lists the
/// accounts above `threshold`; `select_keyword` lets a test break its syntax.
std::string BigSpendersRule(int threshold, const std::string& select_keyword = "SELECT") {
  return fmt::format(R"(SET 'client.statement-name' = 'big-spenders';
CREATE TABLE spend (account BIGINT, amount DOUBLE) WITH ('topic' = 'spend');
CREATE TABLE big_spenders (account BIGINT, total DOUBLE, PRIMARY KEY (account) NOT ENFORCED)
WITH ('topic' = 'big_spenders', 'changelog.mode' = 'upsert');
INSERT INTO big_spenders
{1} account, total FROM (SELECT account, SUM(amount) AS total FROM spend GROUP BY account)
WHERE total > {0};
)",
                     threshold, select_keyword);
}

/// Clears the screen and runs SHOW JOBS until its output contains `text`.
bool ShowJobsUntil(Terminal& terminal, const std::string& text) {
  auto deadline = std::chrono::steady_clock::now() + kScreenTimeout;
  while (std::chrono::steady_clock::now() < deadline) {
    terminal.TypeLine("CLEAR;");
    terminal.TypeLine("SHOW JOBS;");
    if (terminal.WaitFor(text, 1, 1s)) return true;
  }
  return false;
}

TEST_F(ReplKafkaTest, WatchedRuleShowsReloadReport) {
  std::string rule_file = temp_.File("50_big_spenders.fsql");
  ReplaceFile(rule_file, BigSpendersRule(100));
  Produce("spend", "{\"account\":1,\"amount\":150}\n");
  // The reload summary makes SHOW JOBS wider than the default pane.
  Terminal terminal(ReplArguments() + " --watch-interval 100 --watch " + temp_.File("50_big_spenders.fsql"), history_,
                    240);
  ASSERT_TRUE(terminal.WaitFor("fsql> ")) << terminal.Screen();
  ASSERT_TRUE(ShowJobsUntil(terminal, "| big-spenders")) << terminal.Screen();
  std::string row = LineWith(terminal.Screen(), "| big-spenders");
  EXPECT_NE(row.find("RUNNING"), std::string::npos) << row;
  EXPECT_NE(row.find("started"), std::string::npos) << row;
  auto output_has = [&](const std::string& record) {
    auto deadline = std::chrono::steady_clock::now() + kScreenTimeout;
    while (std::chrono::steady_clock::now() < deadline) {
      if (ConsumeAll("big_spenders").find(record) != std::string::npos) return true;
      std::this_thread::sleep_for(200ms);
    }
    return false;
  };
  ASSERT_TRUE(output_has("{\"account\":1,\"total\":150")) << ConsumeAll("big_spenders");

  // A new threshold keeps the running totals: 150 + 60 passes 200 only with the old sum.
  ReplaceFile(rule_file, BigSpendersRule(200));
  ASSERT_TRUE(ShowJobsUntil(terminal, "replaced; kept GroupAggregate; reset none")) << terminal.Screen();
  row = LineWith(terminal.Screen(), "| big-spenders");
  EXPECT_NE(row.find("RUNNING"), std::string::npos) << row;
  Produce("spend", "{\"account\":1,\"amount\":60}\n");
  EXPECT_TRUE(output_has("{\"account\":1,\"total\":210")) << ConsumeAll("big_spenders");

  terminal.TypeLine("CLEAR;");
  terminal.TypeLine("DESCRIBE JOB 'big-spenders';");
  ASSERT_TRUE(terminal.WaitFor("What changed in the plan")) << terminal.Screen();
  std::string screen = terminal.Screen();
  EXPECT_NE(screen.find("replaced rule big-spenders (" + rule_file + ":5): kept state of GroupAggregate; reset none"),
            std::string::npos)
      << screen;
  EXPECT_NE(LineWith(screen, "  - ").find("100"), std::string::npos) << screen;
  EXPECT_NE(LineWith(screen, "  + ").find("200"), std::string::npos) << screen;

  // A syntax error leaves the running version in place, and the report points at it.
  ReplaceFile(rule_file, BigSpendersRule(300, "SELEC"));
  ASSERT_TRUE(ShowJobsUntil(terminal, "error at 50_big_spenders.fsql:6:1 ")) << terminal.Screen();
  row = LineWith(terminal.Screen(), "| big-spenders");
  EXPECT_NE(row.find("RUNNING"), std::string::npos) << row;
  Produce("spend", "{\"account\":1,\"amount\":10}\n");
  EXPECT_TRUE(output_has("{\"account\":1,\"total\":220")) << "the rule stopped after the syntax error\n"
                                                               << ConsumeAll("big_spenders");

  terminal.TypeLine("CLEAR;");
  terminal.TypeLine("DESCRIBE JOB 'big-spenders';");
  ASSERT_TRUE(terminal.WaitFor("did not load, so the version above keeps running")) << terminal.Screen();
  screen = terminal.Screen();
  EXPECT_NE(screen.find(rule_file + ":6:1: error: syntax error at 'SELEC'"), std::string::npos) << screen;

  // Fixing the file loads the rule again, the REPL prints a line about it, and SHOW JOBS drops the error.
  ReplaceFile(rule_file, BigSpendersRule(300));
  ASSERT_TRUE(terminal.WaitFor("reload: " + rule_file + " loads again, so its error is gone")) << terminal.Screen();
  ASSERT_TRUE(ShowJobsUntil(terminal, "replaced; kept GroupAggregate; reset none")) << terminal.Screen();
  row = LineWith(terminal.Screen(), "| big-spenders");
  EXPECT_NE(row.find("RUNNING"), std::string::npos) << row;
  EXPECT_EQ(row.find("error at"), std::string::npos) << row;

  // A bad record fails the job, and SHOW JOBS shows when it restarts.
  Produce("spend", "not json\n");
  ASSERT_TRUE(ShowJobsUntil(terminal, "failed; restart ")) << terminal.Screen();
  screen = terminal.Screen();
  EXPECT_NE(LineWith(screen, "| big-spenders").find("FAILED"), std::string::npos) << screen;
  EXPECT_NE(screen.find("job 'big-spenders' failed: bad record"), std::string::npos) << screen;

  // A watched rule is stopped through its file, not with STOP JOB.
  terminal.TypeLine("STOP JOB 'big-spenders';");
  ASSERT_TRUE(terminal.WaitFor("[ERROR] job 'big-spenders' runs a watched rule")) << terminal.Screen();

  // Deleting the file stops the rule, and SHOW JOBS keeps its last row.
  std::filesystem::remove(rule_file);
  ASSERT_TRUE(ShowJobsUntil(terminal, "stopped; its rule was removed")) << terminal.Screen();
  terminal.TypeLine("CLEAR;");
  terminal.TypeLine("DESCRIBE JOB 'big-spenders';");
  ASSERT_TRUE(terminal.WaitFor("Latest change at")) << terminal.Screen();
  EXPECT_NE(terminal.Screen().find("stopped rule big-spenders"), std::string::npos) << terminal.Screen();
  terminal.TypeLine("QUIT;");
  ASSERT_TRUE(terminal.WaitFor("[fsql exited with status 0]")) << terminal.Screen();
}

// ---- Scripts: -f, -e and piped input, without a terminal ----

TEST(ReplScriptTest, FileStopsAtFirstErrorWithExitOne) {
  TempDirectory temp;
  std::string script = temp.File("script.sql");
  WriteFile(script,
            "CREATE TABLE t (a INT);\n"
            "SELECT b\n"
            "  FROM t;\n"
            "SET 'after' = 'the error';\n");
  Subprocess repl({kFsql, "repl", "-f", script});
  repl.CloseStdin();
  EXPECT_EQ(repl.Wait(20s), std::optional<int>(1)) << repl.stderr_text();
  std::string errors = repl.stderr_text();
  EXPECT_NE(errors.find(fmt::format("[ERROR] {}:2:8: error: column 'b' not found", script)), std::string::npos)
      << errors;
  EXPECT_NE(errors.find("  SELECT b\n         ^\n"), std::string::npos) << errors;
  EXPECT_EQ(Terminal::Count(repl.stdout_text(), "[INFO] Execute statement succeeded."), 1u)
      << "the statement after the error ran:\n" << repl.stdout_text();
}

TEST(ReplScriptTest, ExecuteRunsStatementsWithExitZero) {
  Subprocess repl({kFsql, "repl", "-e", "SET 'a' = 'b'; SELECT n FROM (VALUES (1), (2), (3)) AS v(n)", "--max-rows",
                   "2"});
  repl.CloseStdin();
  EXPECT_EQ(repl.Wait(20s), std::optional<int>(0)) << repl.stderr_text();
  std::string output = repl.stdout_text();
  EXPECT_NE(output.find("[INFO] Execute statement succeeded."), std::string::npos) << output;
  EXPECT_NE(output.find("Received a total of 2 rows"), std::string::npos) << output;
  EXPECT_EQ(output.find("|           3 |"), std::string::npos) << output;
}

TEST(ReplScriptTest, ExplainShowsChangelogModesOnlyWhenAsked) {
  Subprocess repl({kFsql, "repl", "-e",
                   "CREATE TABLE t (k STRING, v INT);\n"
                   "EXPLAIN SELECT k, SUM(v) FROM t GROUP BY k;\n"
                   "EXPLAIN PLAN FOR CHANGELOG_MODE, ESTIMATED_COST SELECT k, SUM(v) AS s FROM t GROUP BY k;\n"});
  repl.CloseStdin();
  EXPECT_EQ(repl.Wait(20s), std::optional<int>(0)) << repl.stderr_text();
  const std::string& output = repl.stdout_text();
  EXPECT_EQ(Terminal::Count(output, "== Optimized Logical Plan =="), 2u) << output;
  EXPECT_NE(output.find("+- GroupAggregate(groupBy=[k], select=[SUM(v) AS SUM])\n"), std::string::npos) << output;
  EXPECT_NE(output.find("+- GroupAggregate(groupBy=[k], select=[SUM(v) AS SUM], changelogMode=[I,UB,UA], "
                        "upsertKey=[k])\n"),
            std::string::npos)
      << output;
  EXPECT_NE(output.find("ESTIMATED_COST: fsql has no cost model"), std::string::npos) << output;
}

TEST(ReplScriptTest, AlterAndDropChangeTheCatalog) {
  Subprocess repl({kFsql, "repl", "-e",
                   "CREATE TABLE t (a INT); ALTER TABLE t ADD b BIGINT; DESCRIBE t; DROP TABLE t; SHOW TABLES;"});
  repl.CloseStdin();
  EXPECT_EQ(repl.Wait(20s), std::optional<int>(0)) << repl.stderr_text();
  const std::string& output = repl.stdout_text();
  EXPECT_EQ(Terminal::Count(output, "[INFO] Execute statement succeeded."), 3u) << output;
  EXPECT_NE(output.find("| b        | BIGINT "), std::string::npos) << output;
  EXPECT_NE(output.find("No tables yet"), std::string::npos) << output;
}

TEST(ReplScriptTest, StatementSetPlansInsertsAtEnd) {
  Subprocess repl({kFsql, "repl", "-e",
                   "CREATE TABLE a (id INT); CREATE TABLE b (id INT);\n"
                   "BEGIN STATEMENT SET;\n"
                   "INSERT INTO b SELECT id FROM a;\n"
                   "END;"});
  repl.CloseStdin();
  EXPECT_EQ(repl.Wait(20s), std::optional<int>(1)) << repl.stderr_text();
  EXPECT_NE(repl.stdout_text().find("[INFO] Added the INSERT to the statement set"), std::string::npos)
      << repl.stdout_text();
  // The set reaches the job start, which needs a broker address that this test does not give.
  EXPECT_NE(repl.stderr_text().find("[ERROR] table a has no 'properties.bootstrap.servers'"), std::string::npos)
      << repl.stderr_text();
}

TEST(ReplScriptTest, StatementSetRejectsSelect) {
  Subprocess repl({kFsql, "repl", "-e", "BEGIN STATEMENT SET;\nSELECT n FROM (VALUES (1)) AS v(n);"});
  repl.CloseStdin();
  EXPECT_EQ(repl.Wait(20s), std::optional<int>(1)) << repl.stderr_text();
  EXPECT_NE(repl.stderr_text().find("<-e>:2:1: error: only INSERT INTO statements may appear inside a statement set"),
            std::string::npos)
      << repl.stderr_text();
}

TEST(ReplScriptTest, InitFileRunsBeforeExecute) {
  TempDirectory temp;
  std::string init = temp.File("init.sql");
  WriteFile(init, "CREATE TABLE t (a INT, b STRING);\n");
  Subprocess repl({kFsql, "repl", "-i", init, "-e", "DESCRIBE t;"});
  repl.CloseStdin();
  EXPECT_EQ(repl.Wait(20s), std::optional<int>(0)) << repl.stderr_text();
  EXPECT_NE(repl.stdout_text().find("| b "), std::string::npos) << repl.stdout_text();
}

TEST(ReplScriptTest, PipedStdinRunsAsScript) {
  Subprocess repl({kFsql, "repl"});
  repl.WriteStdin("SET 'k' = 'v';\nSET;\nSHOW CREATE TABLE t;\nSET 'never' = 'run';\n");
  repl.CloseStdin();
  EXPECT_EQ(repl.Wait(20s), std::optional<int>(1)) << repl.stderr_text();
  EXPECT_NE(repl.stdout_text().find("| k "), std::string::npos) << repl.stdout_text();
  EXPECT_NE(repl.stderr_text().find("[ERROR] unknown command 'SHOW CREATE TABLE t'"), std::string::npos)
      << repl.stderr_text();
  EXPECT_EQ(repl.stdout_text().find("never"), std::string::npos) << repl.stdout_text();
}

TEST(ReplScriptTest, InvalidUsageExitsTwo) {
  EXPECT_EQ(RunQuietly({kFsql, "repl", "--no-such-option"}), 2);
  EXPECT_EQ(RunQuietly({kFsql, "repl", "-f", "/nonexistent/script.sql"}), 2);
  EXPECT_EQ(RunQuietly({kFsql, "repl", "--max-rows", "-1"}), 2);
  EXPECT_EQ(RunQuietly({kFsql, "repl", "--watch"}), 2);
  EXPECT_EQ(RunQuietly({kFsql, "repl", "rules/"}), 2);
  EXPECT_EQ(RunQuietly({kFsql, "repl", "--watch", "--watch-interval", "0", "rules/"}), 2);
}

TEST(ReplScriptTest, WatchedFileWithErrorExitsTwo) {
  TempDirectory temp;
  std::string rule_file = temp.File("bad.fsql");
  WriteFile(rule_file, "CREATE TABLE t (a BIGINT);\nINSERT INTO t SELEC a FROM t;\n");
  Subprocess repl({kFsql, "repl", "--bootstrap-servers", "127.0.0.1:9", "--watch", rule_file, "-e", "SHOW JOBS;"});
  repl.CloseStdin();
  EXPECT_EQ(repl.Wait(20s), std::optional<int>(2)) << repl.stderr_text();
  EXPECT_NE(repl.stderr_text().find("[ERROR] " + rule_file + ":2:15: error"), std::string::npos) << repl.stderr_text();
  EXPECT_EQ(repl.stdout_text().find("job name"), std::string::npos) << "a statement ran:\n" << repl.stdout_text();
}

TEST(ReplScriptTest, WatchedDeclarationsAreInTheCatalog) {
  TempDirectory temp;
  std::string orders = temp.File("10_orders.fsql");
  WriteFile(orders, OrdersDeclarations("DOUBLE"));
  Subprocess repl({kFsql, "repl", "--watch", orders, "-e",
                   "SHOW VIEWS; DESCRIBE watched_orders; EXPLAIN SELECT id FROM big_orders;\n"
                   "ALTER TABLE watched_orders ADD note STRING;"});
  repl.CloseStdin();
  EXPECT_EQ(repl.Wait(20s), std::optional<int>(1)) << repl.stderr_text();
  const std::string& output = repl.stdout_text();
  EXPECT_NE(output.find("| big_orders "), std::string::npos) << output;
  EXPECT_NE(output.find("| amount   | DOUBLE "), std::string::npos) << output;
  EXPECT_NE(output.find("== Optimized Logical Plan =="), std::string::npos) << repl.stderr_text();
  EXPECT_NE(repl.stderr_text().find("[ERROR] <-e>:2:13: error: watched_orders is declared in the watched file " +
                                    orders + ", so this session cannot alter it"),
            std::string::npos)
      << repl.stderr_text();
}

TEST(ReplScriptTest, SessionDeclarationHidesWatchedOne) {
  TempDirectory temp;
  std::string orders = temp.File("10_orders.fsql");
  WriteFile(orders, OrdersDeclarations("DOUBLE"));
  Subprocess repl({kFsql, "repl", "--watch", orders, "-e",
                   "CREATE TABLE watched_orders (id BIGINT, note STRING); DESCRIBE watched_orders;\n"
                   "DROP TABLE watched_orders; DESCRIBE watched_orders;"});
  repl.CloseStdin();
  EXPECT_EQ(repl.Wait(20s), std::optional<int>(0)) << repl.stderr_text();
  const std::string& output = repl.stdout_text();
  size_t hidden = output.find("[INFO] watched_orders hides the declaration in the watched file " + orders);
  size_t session_column = output.find("| note ");
  size_t back = output.find("[INFO] watched_orders is declared in the watched file " + orders +
                            ", so that declaration applies again.");
  size_t watched_column = output.find("| amount ");
  ASSERT_NE(hidden, std::string::npos) << output;
  ASSERT_NE(session_column, std::string::npos) << output;
  ASSERT_NE(back, std::string::npos) << output;
  ASSERT_NE(watched_column, std::string::npos) << output;
  EXPECT_LT(hidden, session_column) << output;
  EXPECT_LT(session_column, back) << output;
  EXPECT_LT(back, watched_column) << output;
}

// ---- The parts that need no process ----

std::vector<std::string> Texts(const std::vector<StatementText>& statements) {
  std::vector<std::string> texts;
  for (const auto& statement : statements) texts.push_back(statement.text);
  return texts;
}

TEST(StatementSplitterTest, EndsOnlyAtSemicolonInCode) {
  StatementSplitter splitter;
  EXPECT_TRUE(splitter.AddLine("SELECT 'a;b', `c;d` -- e;f").empty());
  EXPECT_TRUE(splitter.pending());
  EXPECT_TRUE(splitter.AddLine("/* g;").empty());
  EXPECT_TRUE(splitter.AddLine("h; */ FROM t").empty());
  auto statements = splitter.AddLine("; SET 'x' = 'y';");
  ASSERT_EQ(statements.size(), 2u);
  EXPECT_EQ(statements[0].text, "SELECT 'a;b', `c;d` -- e;f\n/* g;\nh; */ FROM t\n");
  EXPECT_EQ(statements[0].line, 1);
  EXPECT_EQ(statements[1].text, "SET 'x' = 'y'");
  EXPECT_EQ(statements[1].line, 4);
  EXPECT_EQ(statements[1].column, 3);
  EXPECT_EQ(statements[1].line_prefix, "; ");
  EXPECT_FALSE(splitter.pending());
}

TEST(StatementSplitterTest, EscapedQuoteStaysInString) {
  StatementSplitter splitter;
  EXPECT_EQ(Texts(splitter.AddLine("SELECT 'it''s; fine';")), std::vector<std::string>{"SELECT 'it''s; fine'"});
}

TEST(StatementSplitterTest, CommentOnlyLineOpensNothing) {
  StatementSplitter splitter;
  EXPECT_TRUE(splitter.AddLine("-- just a note;").empty());
  EXPECT_FALSE(splitter.pending());
  EXPECT_TRUE(splitter.AddLine(";").empty());
  EXPECT_FALSE(splitter.TakeRest());
}

TEST(StatementSplitterTest, StatementSetEndsAtEnd) {
  StatementSplitter splitter;
  EXPECT_TRUE(splitter.AddLine("EXECUTE STATEMENT SET BEGIN").empty());
  EXPECT_TRUE(splitter.AddLine("INSERT INTO a SELECT * FROM t;").empty());
  EXPECT_TRUE(splitter.AddLine("INSERT INTO b SELECT * FROM t;").empty());
  auto statements = splitter.AddLine("END;");
  ASSERT_EQ(statements.size(), 1u);
  EXPECT_EQ(statements[0].text,
            "EXECUTE STATEMENT SET BEGIN\nINSERT INTO a SELECT * FROM t;\nINSERT INTO b SELECT * FROM t;\nEND");
}

TEST(StatementSplitterTest, RestWithoutSemicolonIsReturned) {
  StatementSplitter splitter;
  EXPECT_TRUE(splitter.AddLine("SELECT 1").empty());
  auto rest = splitter.TakeRest();
  ASSERT_TRUE(rest);
  EXPECT_EQ(rest->text, "SELECT 1");
}

TEST(MaskSecretsTest, MasksValuesAndKeepsKeys) {
  EXPECT_EQ(cli::MaskSecrets("SET 'properties.sasl.password' = 'hunter2';"),
            "SET 'properties.sasl.password' = '******';");
  EXPECT_EQ(cli::MaskSecrets("'properties.sasl.jaas.config' = 'x required password=\"p\";',"),
            "'properties.sasl.jaas.config' = '******',");
  EXPECT_EQ(cli::MaskSecrets("  'client.Secret'='a''b', 'topic' = 'orders'"),
            "  'client.Secret'='******', 'topic' = '******'");
  EXPECT_EQ(cli::MaskSecrets("  required password=\"p\";'"), "  required password=\"******\";'******");
}

TEST(MaskSecretsTest, LeavesOtherLinesAlone) {
  EXPECT_EQ(cli::MaskSecrets("SELECT 'topic' = 'orders' FROM t;"), "SELECT 'topic' = 'orders' FROM t;");
}

cli::CompletionNames SampleNames() {
  cli::CompletionNames names;
  names.tables = {"orders", "order_lines", "users"};
  names.columns = {{"orders", {"order_id", "amount"}}, {"users", {"user_id", "name"}},
                   {"order_lines", {"line_no"}}};
  names.functions = {"UPPER", "COUNT"};
  names.quoted_keys = {"sql-client.execution.result-mode", "sql-client.display.max-column-width"};
  return names;
}

TEST(CompletionTest, OffersTablesAfterFrom) {
  cli::Completion completion = cli::CompleteSql("SELECT * FROM ord", SampleNames());
  EXPECT_EQ(completion.word_length, 3u);
  EXPECT_EQ(completion.candidates, (std::vector<std::string>{"order_lines", "orders"}));
  EXPECT_EQ(cli::CommonPrefix(completion.candidates), "order");
}

TEST(CompletionTest, KeywordsFollowTypedCase) {
  EXPECT_EQ(cli::CompleteSql("sel", SampleNames()).candidates, std::vector<std::string>{"select"});
  EXPECT_EQ(cli::CompleteSql("SEL", SampleNames()).candidates, std::vector<std::string>{"SELECT"});
  EXPECT_EQ(cli::CompleteSql("SELECT upp", SampleNames()).candidates, std::vector<std::string>{"upper"});
}

TEST(CompletionTest, ColumnsOfMentionedTables) {
  cli::Completion completion = cli::CompleteSql("SELECT * FROM users WHERE user_i", SampleNames());
  EXPECT_EQ(completion.candidates, std::vector<std::string>{"user_id"});
  EXPECT_TRUE(cli::CompleteSql("SELECT * FROM users WHERE order_i", SampleNames()).candidates.empty());
}

TEST(CompletionTest, SettingKeysInsideQuotes) {
  cli::Completion completion = cli::CompleteSql("SET 'sql-client.exe", SampleNames());
  EXPECT_EQ(completion.candidates, std::vector<std::string>{"sql-client.execution.result-mode"});
  EXPECT_EQ(completion.word_length, std::string("sql-client.exe").size());
  EXPECT_EQ(completion.suffix, "'");
}

TEST(CompletionTest, NothingInsideComments) {
  EXPECT_TRUE(cli::CompleteSql("SELECT 1 -- ord", SampleNames()).candidates.empty());
}

TEST(TableCellTest, CutsWideValuesOnCodePoints) {
  EXPECT_EQ(cli::FitToWidth("abcdefgh", 6), "abc...");
  EXPECT_EQ(cli::FitToWidth("abc", 6), "abc");
  EXPECT_EQ(cli::DisplayWidth("grüße"), 5);
  EXPECT_EQ(cli::FitToWidth("grüße und mehr", 7), "grüß...");
}

TEST(TableCellTest, FormatsNullsDatesAndControlCharacters) {
  EXPECT_EQ(cli::FormatCell(Value::Null(), DataType::Of(TypeId::kInt)), "<NULL>");
  EXPECT_EQ(cli::FormatCell(Value::Int(19000), DataType::Of(TypeId::kDate)), "2022-01-08");
  EXPECT_EQ(cli::FormatCell(Value::String("a\nb"), DataType::Of(TypeId::kString)), "a\\nb");
}

}  // namespace
}  // namespace fsql::testing
