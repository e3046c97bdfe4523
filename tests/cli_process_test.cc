// The fsql command as separate processes: `fsql broker`, `fsql run`, `fsql
// check`, with kcat, a Kafka client fsql did not write, on the other end.
#include <chrono>
#include <fstream>
#include <map>
#include <sstream>
#include <thread>

#include <gtest/gtest.h>

#include <fmt/format.h>

#include "runtime/connectors/kafka.h"
#include "tests/subprocess.h"

namespace fsql::testing {
namespace {

using namespace std::chrono_literals;

const std::string kFsql = FSQL_BINARY;
const std::string kRules = FSQL_SOURCE_DIR "/rules";
const std::string kKcat = "/usr/bin/kcat";

std::string TransactionEnvelope(int64_t id, int64_t account, const std::string& ip, int64_t at) {
  return fmt::format(
      R"({{"before":null,"after":{{"ID":{0}.0,"AMOUNT":12.5,"RECEIVED_AT":{3}.0,"IP_ADDRESS":"{2}","ACCOUNT_ID":{1}.0}},)"
      R"("op":"c","ts_ms":{3},"source":{{"table":"USER_TRANSACTION"}}}})",
      id, account, ip, at);
}

int64_t NowMillis() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

/// Counts the records a fresh member of `group` receives with group offsets.
size_t RecordsLeftForGroup(const std::string& bootstrap, const std::string& group, const std::string& topic) {
  kafka::ConsumerOptions options;
  options.properties = {{"bootstrap.servers", bootstrap}, {"group.id", group}};
  options.topics = {topic};
  options.startup_mode = kafka::StartupMode::kGroupOffsets;
  auto consumer = kafka::KafkaConsumer::Create(options);
  size_t count = 0;
  auto deadline = std::chrono::steady_clock::now() + 8s;
  while (std::chrono::steady_clock::now() < deadline) {
    count += consumer->Poll(100, 100ms).messages.size();
  }
  consumer->Close();
  return count;
}

TEST(CliProcessTest, RunFlagsKcatInputAndCommitsOnSigterm) {
  Subprocess broker({kFsql, "broker", "--topics",
                     "fd.USER_TRANSACTION:1,fd.AUTH_USER:1,user_transaction:1,auth_user:1,flagged_user:1,"
                     "flagged_transaction:1"});
  auto line = broker.WaitForLine("bootstrap.servers=", 15s);
  ASSERT_TRUE(line) << broker.stderr_text();
  std::string bootstrap = line->substr(line->find('=') + 1);

  Subprocess run({kFsql, "run", "--log-level", "warn", "--bootstrap-servers", bootstrap, kRules});

  // kcat writes the input: one allowed and one foreign transaction, key|value per line.
  int64_t now = NowMillis();
  std::string input = fmt::format("{{\"ID\":1.0}}|{}\n{{\"ID\":2.0}}|{}\n",
                                  TransactionEnvelope(1, 5, "192.0.2.10", now),
                                  TransactionEnvelope(2, 5, "203.0.113.77", now));
  RunCommand({kKcat, "-b", bootstrap, "-P", "-t", "fd.USER_TRANSACTION", "-K", "|"}, input);

  // kcat reads the output back until the flagged transaction appears.
  std::string flagged;
  auto deadline = std::chrono::steady_clock::now() + 40s;
  while (flagged.empty() && std::chrono::steady_clock::now() < deadline) {
    flagged = RunCommand({kKcat, "-b", bootstrap, "-C", "-t", "flagged_transaction", "-o", "beginning", "-e", "-q",
                          "-f", "%k|%s\\n"});
    if (flagged.empty()) std::this_thread::sleep_for(500ms);
  }
  ASSERT_FALSE(flagged.empty()) << run.stderr_text();
  EXPECT_EQ(std::count(flagged.begin(), flagged.end(), '\n'), 1) << flagged;
  EXPECT_NE(flagged.find(R"({"ID":2}|{"ID":2,"ACCOUNT_ID":5,"AMOUNT":12.5,"IP_ADDRESS":"203.0.113.77")"),
            std::string::npos)
      << flagged;

  // Give the job a commit interval, then stop it the way an operator would.
  std::this_thread::sleep_for(1500ms);
  run.Signal(SIGTERM);
  auto code = run.Wait(30s);
  ASSERT_TRUE(code.has_value()) << "fsql run did not stop after SIGTERM";
  EXPECT_EQ(*code, 0) << run.stderr_text();

  // The rule committed what it consumed: its group has nothing left to read,
  // while a new group still finds both transactions.
  EXPECT_EQ(RecordsLeftForGroup(bootstrap, "fsql.foreign-ip-detection.user_transaction", "user_transaction"), 0u);
  EXPECT_EQ(RecordsLeftForGroup(bootstrap, "cli-test-fresh-group", "user_transaction"), 2u);
}

TEST(CliProcessTest, CheckReportsLocationCaretAndHint) {
  std::string path = ::testing::TempDir() + "/typo.fsql";
  std::ofstream(path) << "CREATE TABLE t (amount DOUBLE, account BIGINT);\n"
                         "INSERT INTO t\n"
                         "SELECT amount, accont FROM t;\n";
  Subprocess check({kFsql, "check", path});
  auto code = check.Wait(30s);
  ASSERT_TRUE(code.has_value());
  EXPECT_EQ(*code, 1);
  const std::string& err = check.stderr_text();
  EXPECT_NE(err.find(path + ":3:16: error: column 'accont' not found"), std::string::npos) << err;
  EXPECT_NE(err.find("  SELECT amount, accont FROM t;\n                 ^"), std::string::npos) << err;
  EXPECT_NE(err.find("hint: did you mean 'account'?"), std::string::npos) << err;
}

TEST(CliProcessTest, CheckFormatJsonDescribesRulesAndErrors) {
  Subprocess valid({kFsql, "check", "--format", "json", kRules});
  auto code = valid.Wait(30s);
  ASSERT_TRUE(code.has_value());
  EXPECT_EQ(*code, 0) << valid.stderr_text();
  EXPECT_EQ(valid.stdout_text().rfind("{\"valid\": true, ", 0), 0u) << valid.stdout_text();
  EXPECT_NE(valid.stdout_text().find("{\"name\": \"flagged-user-detection\", \"sink\": \"flagged_user\", "
                                     "\"changelog_mode\": \"I,UB,UA,D\""),
            std::string::npos)
      << valid.stdout_text();

  std::string path = ::testing::TempDir() + "/unsupported.fsql";
  std::ofstream(path) << "CREATE TABLE t (a INT, s STRING);\n"
                         "INSERT INTO t SELECT a, \"s\" FROM t;\n";
  Subprocess invalid({kFsql, "check", "--format", "json", path});
  code = invalid.Wait(30s);
  ASSERT_TRUE(code.has_value());
  EXPECT_EQ(*code, 1);
  const std::string& out = invalid.stdout_text();
  EXPECT_EQ(out.rfind("{\"valid\": false, ", 0), 0u) << out;
  EXPECT_NE(out.find(fmt::format("\"errors\": [{{\"file\": \"{}\", \"line\": 2, \"column\": 25, ", path)),
            std::string::npos)
      << out;

  Subprocess usage({kFsql, "check", "--format", "yaml", kRules});
  code = usage.Wait(30s);
  ASSERT_TRUE(code.has_value());
  EXPECT_EQ(*code, 2);
}

TEST(CliProcessTest, CheckLogLevelWarnSilencesInfoLines) {
  Subprocess loud({kFsql, "check", kRules});
  ASSERT_EQ(loud.Wait(30s), std::optional<int>(0)) << loud.stderr_text();
  EXPECT_NE(loud.stderr_text().find(" info "), std::string::npos) << loud.stderr_text();
  Subprocess quiet({kFsql, "check", "--log-level", "warn", kRules});
  ASSERT_EQ(quiet.Wait(30s), std::optional<int>(0)) << quiet.stderr_text();
  EXPECT_EQ(quiet.stderr_text(), "");
}

TEST(CliProcessTest, ExplainShowsPlansWithChangelogModesAndUpsertKeys) {
  Subprocess explain({kFsql, "explain", kRules});
  auto code = explain.Wait(60s);
  ASSERT_TRUE(code.has_value());
  EXPECT_EQ(*code, 0) << explain.stderr_text();
  const std::string& out = explain.stdout_text();
  for (const char* expected : {
           "== flagged-user-detection -> flagged_user\n== Abstract Syntax Tree ==\n",
           "== Optimized Logical Plan ==\nSink(table=[flagged_user], fields=[ACCOUNT_ID, ",
           "Rank(rankType=[ROW_NUMBER], rankRange=[rankStart=1, rankEnd=1], partitionBy=[ACCOUNT_ID], "
           "orderBy=[transaction_time DESC], outputRankNumber=[false], changelogMode=[I,UB,UA,D], "
           "upsertKey=[ACCOUNT_ID])",
           // The upsert source: upserts from Kafka, normalized into a full changelog.
           "+- ChangelogNormalize(key=[ID], changelogMode=[I,UB,UA,D], upsertKey=[ID])\n"
           "               +- TableSourceScan(table=[auth_user], fields=[ID, ",
           "changelogMode=[I,UA,D], upsertKey=[ID])",
           ":- Calc(select=[ACCOUNT_ID, $rowtime AS transaction_time, SUM AS total_amount, COUNT AS "
           "transaction_count], changelogMode=[I])",
       }) {
    EXPECT_NE(out.find(expected), std::string::npos) << "missing: " << expected << "\n" << out;
  }
  // The foreign-IP rule's filter, projections and sink cast run as one Calc.
  size_t rule = out.find("== foreign-ip-detection -> flagged_transaction");
  size_t physical = out.find("== Physical Plan ==", rule);
  ASSERT_NE(physical, std::string::npos) << out;
  std::string plan = out.substr(physical, out.find("\n\n", physical) - physical);
  EXPECT_NE(plan.find("\n+- Calc(select=[ID, ACCOUNT_ID, AMOUNT, IP_ADDRESS, TO_TIMESTAMP_LTZ(RECEIVED_AT, 3) AS "
                      "RECEIVED_AT, "),
            std::string::npos)
      << plan;
  EXPECT_NE(plan.find("where=[NOT IN(IP_ADDRESS, '192.0.2.10', "), std::string::npos) << plan;
  EXPECT_EQ(plan.find("Calc("), plan.rfind("Calc(")) << plan;
}

TEST(CliProcessTest, ExplainShowsSlicedWindowAggregation) {
  const std::string table =
      "CREATE TABLE t (k STRING, v DOUBLE, ts TIMESTAMP(3), WATERMARK FOR ts AS ts) WITH ('connector' = 'kafka', "
      "'topic' = 't', 'properties.bootstrap.servers' = '127.0.0.1:9092', 'format' = 'json');";
  const std::string windows = " FROM TABLE(CUMULATE(TABLE t, DESCRIPTOR(ts), INTERVAL '1' SECOND, INTERVAL '4' SECOND))"
                              " GROUP BY k, window_start, window_end";
  // MAX merges exactly, so the window TVF runs inside the aggregation.
  Subprocess sliced({kFsql, "explain", "--no-ast", "-e", table + "SELECT k, COUNT(*), MAX(v)" + windows});
  auto code = sliced.Wait(60s);
  ASSERT_TRUE(code.has_value());
  EXPECT_EQ(*code, 0) << sliced.stderr_text();
  std::string out = sliced.stdout_text();
  std::string physical = out.substr(out.find("== Physical Plan =="));
  EXPECT_NE(physical.find("+- WindowAggregate(groupBy=[k, window_start, window_end], window=[CUMULATE(time_col=[ts], "
                          "size=[4000 ms], step=[1000 ms])], slices=[true], select=[COUNT(*) AS COUNT, MAX(v) AS MAX], "
                          "changelogMode=[I], upsertKey=[k, window_start, window_end])\n"
                          "   +- TableSourceScan(table=[t]"),
            std::string::npos)
      << out;
  EXPECT_EQ(physical.find("WindowTableFunction"), std::string::npos) << out;

  // A DOUBLE sum depends on the order of additions, so it keeps one accumulator per window.
  Subprocess per_window({kFsql, "explain", "--no-ast", "-e", table + "SELECT k, SUM(v)" + windows});
  code = per_window.Wait(60s);
  ASSERT_TRUE(code.has_value());
  out = per_window.stdout_text();
  physical = out.substr(out.find("== Physical Plan =="));
  EXPECT_NE(physical.find("WindowTableFunction(window=[CUMULATE("), std::string::npos) << out;
  EXPECT_EQ(physical.find("slices=[true]"), std::string::npos) << out;

  Subprocess codegen({kFsql, "explain", "--codegen", "-e", table + "SELECT k, COUNT(*), MAX(v)" + windows});
  code = codegen.Wait(60s);
  ASSERT_TRUE(code.has_value());
  EXPECT_NE(codegen.stdout_text().find("and its slice merge to fsql_merge_"), std::string::npos)
      << codegen.stdout_text();
}

TEST(CliProcessTest, ExplainPlansAnAdHocQueryAgainstRuleTables) {
  Subprocess explain({kFsql, "explain", "--no-ast", std::string(kRules) + "/00_cdc_sources.fsql",
                      std::string(kRules) + "/10_user_transaction.fsql", "-e",
                      "SELECT ACCOUNT_ID, COUNT(*) AS n FROM user_transaction GROUP BY ACCOUNT_ID"});
  auto code = explain.Wait(60s);
  ASSERT_TRUE(code.has_value());
  EXPECT_EQ(*code, 0) << explain.stderr_text();
  const std::string& out = explain.stdout_text();
  EXPECT_EQ(out.find("Abstract Syntax Tree"), std::string::npos) << out;
  EXPECT_EQ(out.find("user-transaction-cleaning"), std::string::npos) << out;
  EXPECT_NE(out.find("+- GroupAggregate(groupBy=[ACCOUNT_ID], select=[COUNT(*) AS COUNT], "
                     "changelogMode=[I,UB,UA], upsertKey=[ACCOUNT_ID])"),
            std::string::npos)
      << out;

  Subprocess bad({kFsql, "explain", "-e", "SELECT nope FROM missing"});
  code = bad.Wait(30s);
  ASSERT_TRUE(code.has_value());
  EXPECT_EQ(*code, 1);
  EXPECT_NE(bad.stderr_text().find("<command line>:1:18: error: table 'missing' not found"), std::string::npos)
      << bad.stderr_text();
}

TEST(CliProcessTest, ExplainCodegenShowsCompiledCalcsAndIr) {
  Subprocess explain({kFsql, "explain", "--codegen", "--ir", kRules});
  auto code = explain.Wait(60s);
  ASSERT_TRUE(code.has_value());
  EXPECT_EQ(*code, 0) << explain.stderr_text();
  const std::string& out = explain.stdout_text();
  EXPECT_NE(out.find("== flagged-user-detection -> flagged_user"), std::string::npos) << out;
  EXPECT_NE(out.find("Calc: compiled to fsql_calc_"), std::string::npos) << out;
  EXPECT_NE(out.find("OverAggregate: key compiled to fsql_key_"), std::string::npos) << out;
  EXPECT_NE(out.find("arguments compiled to fsql_calc_"), std::string::npos) << out;
  EXPECT_NE(out.find("accumulate compiled to fsql_accumulate_"), std::string::npos) << out;
  EXPECT_NE(out.find("Join: left key compiled to fsql_key_"), std::string::npos) << out;
  // auth_user is an upsert table, so its scan is followed by ChangelogNormalize.
  EXPECT_NE(out.find("ChangelogNormalize: key compiled to fsql_key_"), std::string::npos) << out;
  EXPECT_NE(out.find("define i64 @fsql_key_"), std::string::npos);
  EXPECT_NE(out.find("; IR before optimisation"), std::string::npos);
  EXPECT_NE(out.find("; IR after optimisation"), std::string::npos);
  EXPECT_NE(out.find("define "), std::string::npos);
  EXPECT_EQ(out.find("interpreted, because"), std::string::npos) << out;
}

TEST(CliProcessTest, ExplainCodegenListsKeysOfEveryKeyedOperator) {
  const std::string tumble_a = "TABLE(TUMBLE(TABLE a, DESCRIPTOR(`$rowtime`), INTERVAL '1' MINUTE))";
  const std::string tumble_b = "TABLE(TUMBLE(TABLE b, DESCRIPTOR(`$rowtime`), INTERVAL '1' MINUTE))";
  const std::string sql =
      "CREATE TABLE a (k BIGINT, s STRING, v BIGINT);\n"
      "CREATE TABLE b (k BIGINT, s STRING, v BIGINT);\n"
      "CREATE TABLE rates (s STRING NOT NULL, rate DOUBLE, PRIMARY KEY (s) NOT ENFORCED);\n"
      "SELECT * FROM a JOIN b ON a.k = b.k AND a.`$rowtime` BETWEEN b.`$rowtime` - INTERVAL '1' MINUTE AND "
      "b.`$rowtime`;\n"
      "SELECT * FROM " + tumble_a + " l JOIN " + tumble_b +
      " r ON l.window_start = r.window_start AND l.window_end = r.window_end AND l.k = r.k;\n"
      "SELECT * FROM (SELECT *, ROW_NUMBER() OVER (PARTITION BY window_start, window_end, k ORDER BY v DESC) AS rn "
      "FROM " + tumble_a + ") WHERE rn <= 2;\n"
      "SELECT a.k, r.rate FROM a JOIN rates FOR SYSTEM_TIME AS OF a.`$rowtime` AS r ON a.s = r.s;\n"
      "SELECT * FROM TABLE(SESSION(TABLE a PARTITION BY k, DESCRIPTOR(`$rowtime`), INTERVAL '1' MINUTE));\n"
      "SELECT * FROM a MATCH_RECOGNIZE (PARTITION BY k ORDER BY `$rowtime` MEASURES A.v AS av PATTERN (A B) "
      "DEFINE B AS B.v > A.v);\n"
      "SELECT k, s FROM a INTERSECT SELECT k, s FROM b;\n"
      "SELECT * FROM a JOIN b ON a.k = b.k AND a.v < b.v + 1;\n";

  Subprocess explain({kFsql, "explain", "--codegen", "-e", sql});
  auto code = explain.Wait(60s);
  ASSERT_TRUE(code.has_value());
  EXPECT_EQ(*code, 0) << explain.stderr_text();
  const std::string& out = explain.stdout_text();

  for (const char* line : {"IntervalJoin: left key compiled to fsql_key_", "WindowJoin: left key compiled to fsql_key_",
                           "Rank: key compiled to fsql_key_", "TemporalJoin: left key compiled to fsql_key_",
                           "ChangelogNormalize: key compiled to fsql_key_", "SessionWindow: key compiled to fsql_key_",
                           "MatchRecognize: key compiled to fsql_key_", "INTERSECT: key compiled to fsql_key_"}) {
    EXPECT_NE(out.find(line), std::string::npos) << line << " missing from:\n" << out;
  }
  EXPECT_NE(out.find("; right key compiled to fsql_key_"), std::string::npos) << out;
  EXPECT_NE(out.find("; condition compiled to fsql_calc_"), std::string::npos) << out;
  EXPECT_NE(out.find(" bytes"), std::string::npos) << out;
  // The TUMBLE TVFs under the window join have no keys of their own.
  EXPECT_NE(out.find("WindowTvf: interpreted"), std::string::npos) << out;
  EXPECT_EQ(out.find("SessionWindow: interpreted"), std::string::npos) << out;
  EXPECT_EQ(out.find("interpreted, because"), std::string::npos) << out;
}

TEST(CliProcessTest, RunWithoutBootstrapServersExplainsWhatToPass) {
  Subprocess run({kFsql, "run", kRules});
  auto code = run.Wait(30s);
  ASSERT_TRUE(code.has_value());
  EXPECT_EQ(*code, 2);
  EXPECT_NE(run.stderr_text().find("has no 'properties.bootstrap.servers'; pass --bootstrap-servers"),
            std::string::npos)
      << run.stderr_text();
}

TEST(CliProcessTest, GenInjectsOnlyTheGivenKinds) {
  Subprocess broker({kFsql, "broker", "--topics", "fd.USER_TRANSACTION:1,fd.AUTH_USER:1"});
  auto line = broker.WaitForLine("bootstrap.servers=", 15s);
  ASSERT_TRUE(line) << broker.stderr_text();
  std::string bootstrap = line->substr(line->find('=') + 1);

  // Over 2 s a fraud every 0.25 s cycles through every listed kind several times.
  Subprocess gen({kFsql, "gen", "--bootstrap-servers", bootstrap, "--log-level", "warn", "--users", "200", "--rate",
                  "5", "--fraud-every", "0.25", "--duration", "2", "--inject", "large-amount,foreign-ip"});
  gen.CloseStdin();
  ASSERT_EQ(gen.Wait(30s), std::optional<int>(0)) << gen.stderr_text();

  // Each injection prints "injected KIND into account ...".
  const std::string prefix = "injected ";
  std::map<std::string, int> injected;
  std::istringstream lines(gen.stdout_text());
  std::string output_line;
  while (std::getline(lines, output_line)) {
    if (output_line.rfind(prefix, 0) != 0) continue;
    size_t kind_end = output_line.find(' ', prefix.size());
    ++injected[output_line.substr(prefix.size(), kind_end - prefix.size())];
  }
  EXPECT_GE(injected["large-amount"], 2) << gen.stdout_text();
  EXPECT_GE(injected["foreign-ip"], 2) << gen.stdout_text();
  EXPECT_EQ(injected.size(), 2u) << "a kind that --inject does not list was injected:\n" << gen.stdout_text();
}

}  // namespace
}  // namespace fsql::testing
