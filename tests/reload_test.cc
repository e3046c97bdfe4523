// `fsql run --watch` under traffic, as separate processes: the embedded
// broker, the generator at a steady rate, and the rules, whose files the test
// edits while records flow. Everything it asserts comes from the topics and the
// log.
#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <atomic>
#include <regex>
#include <set>
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

/// Returns the rule the test edits. The threshold appears twice, so that every output
/// row shows which version produced it.
std::string BigAmountRule(int threshold, const std::string& select_keyword = "SELECT") {
  return fmt::format(R"(SET 'client.statement-name' = 'big-amount';
CREATE TABLE big_amount (
  `ID` BIGINT, `ACCOUNT_ID` BIGINT, `AMOUNT` DOUBLE, `tx_count` BIGINT, `threshold` INT
) WITH ('changelog.mode' = 'append', 'value.format' = 'json-registry');
INSERT INTO big_amount
{1} ID, ACCOUNT_ID, AMOUNT, tx_count, {0} AS threshold
FROM (
  SELECT ID, ACCOUNT_ID, AMOUNT,
    COUNT(*) OVER (PARTITION BY ACCOUNT_ID ORDER BY `$rowtime`
                   ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS tx_count
  FROM user_transaction
)
WHERE AMOUNT > {0};
)",
                     threshold, select_keyword);
}

const char* kAllTransactionsRule = R"(SET 'client.statement-name' = 'all-transactions';
CREATE TABLE all_transactions (`ID` BIGINT, `seen_at` TIMESTAMP_LTZ(3))
WITH ('changelog.mode' = 'append', 'value.format' = 'json-registry');
INSERT INTO all_transactions SELECT ID, CURRENT_TIMESTAMP AS seen_at FROM user_transaction;
)";

const char* kTransactionIdsRule = R"(SET 'client.statement-name' = 'transaction-ids';
CREATE TABLE transaction_ids (`ID` BIGINT) WITH ('changelog.mode' = 'append', 'value.format' = 'json-registry');
INSERT INTO transaction_ids SELECT ID FROM user_transaction;
)";

void WriteFile(const std::string& path, const std::string& text) {
  // Write and rename, as editors do, so the watcher never reads half a file.
  std::string temporary = path + ".tmp";
  std::ofstream(temporary) << text;
  std::filesystem::rename(temporary, path);
}

/// Returns the values of every record of a topic, read with kcat, which assigns
/// partitions directly instead of joining a consumer group.
std::vector<std::string> ReadTopic(const std::string& bootstrap, const std::string& topic) {
  std::string text = RunCommand({"/usr/bin/kcat", "-b", bootstrap, "-C", "-t", topic, "-o", "beginning", "-e", "-q",
                                 "-f", "%s\\n"});
  std::vector<std::string> values;
  size_t start = 0;
  for (size_t end = text.find('\n'); end != std::string::npos; end = text.find('\n', start)) {
    if (end > start) values.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return values;
}

/// Returns the number after "field": in a flat JSON object.
double NumberField(const std::string& json, const std::string& field) {
  size_t at = json.find("\"" + field + "\":");
  if (at == std::string::npos) throw std::runtime_error("no field " + field + " in " + json);
  return std::stod(json.substr(at + field.size() + 3));
}

/// Returns the milliseconds since midnight of a "YYYY-MM-DD HH:MM:SS.mmmZ" timestamp.
int64_t MillisOfDay(const std::string& json, const std::string& field) {
  size_t at = json.find("\"" + field + "\":\"");
  if (at == std::string::npos) throw std::runtime_error("no field " + field + " in " + json);
  std::string text = json.substr(at + field.size() + 4, 23);
  int hours = std::stoi(text.substr(11, 2));
  int minutes = std::stoi(text.substr(14, 2));
  double seconds = std::stod(text.substr(17, 6));
  return (hours * 3600 + minutes * 60) * 1000 + static_cast<int64_t>(seconds * 1000 + 0.5);
}

size_t CountOf(const std::string& text, const std::string& needle) {
  size_t count = 0;
  for (size_t at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) ++count;
  return count;
}

/// Waits until the process's stderr contains `needle` `count` times.
bool WaitForLog(Subprocess& process, const std::string& needle, size_t count, std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (CountOf(process.stderr_text(), needle) >= count) return true;
    std::this_thread::sleep_for(50ms);
  }
  return false;
}

struct Transaction {
  int64_t id = 0;
  int64_t account = 0;
  double amount = 0;
  int64_t count_in_account = 0;  // its position among its account's transactions, from 1
};

struct Alert {
  int64_t id = 0;
  double amount = 0;
  int64_t tx_count = 0;
  int threshold = 0;
};

TEST(ReloadTest, EditsUnderTrafficKeepStateAndOffsets) {
  std::string dir = ::testing::TempDir() + "/reload_rules";
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  std::filesystem::copy_file(kRules + "/00_cdc_sources.fsql", dir + "/00_cdc_sources.fsql");
  std::filesystem::copy_file(kRules + "/10_user_transaction.fsql", dir + "/10_user_transaction.fsql");
  WriteFile(dir + "/50_big_amount.fsql", BigAmountRule(20));
  WriteFile(dir + "/60_all_transactions.fsql", kAllTransactionsRule);

  Subprocess broker({kFsql, "broker", "--topics",
                     "fd.USER_TRANSACTION:1,fd.AUTH_USER:1,user_transaction:1,big_amount:1,all_transactions:1,"
                     "transaction_ids:1"});
  auto line = broker.WaitForLine("bootstrap.servers=", 15s);
  ASSERT_TRUE(line) << broker.stderr_text();
  std::string bootstrap = line->substr(line->find('=') + 1);

  Subprocess run({kFsql, "run", "--watch", "--watch-interval", "100", "--bootstrap-servers", bootstrap, dir});
  ASSERT_TRUE(WaitForLog(run, "reload: started rule all-transactions", 1, 20s)) << run.stderr_text();

  // Normal traffic of 50 users stays far below the fraud limits, with amounts
  // spread between 0 and 50.
  Subprocess gen({kFsql, "gen", "--bootstrap-servers", bootstrap, "--fraud-every", "0", "--users", "50", "--rate",
                  "20", "--duration", "13"});

  // The first edit must come after the first version has alerted, or its
  // alerts would be missing. On a loaded machine a fixed wait was too short.
  bool first_version_alerted = false;
  for (auto deadline = std::chrono::steady_clock::now() + 20s;
       !first_version_alerted && std::chrono::steady_clock::now() < deadline;) {
    first_version_alerted = !ReadTopic(bootstrap, "big_amount").empty();
    if (!first_version_alerted) std::this_thread::sleep_for(200ms);
  }
  ASSERT_TRUE(first_version_alerted) << run.stderr_text();
  WriteFile(dir + "/50_big_amount.fsql", BigAmountRule(30));
  ASSERT_TRUE(WaitForLog(run, "reload: replaced rule big-amount", 1, 10s)) << run.stderr_text();

  std::this_thread::sleep_for(1500ms);
  WriteFile(dir + "/50_big_amount.fsql", BigAmountRule(40, "SELEC"));
  ASSERT_TRUE(WaitForLog(run, "50_big_amount.fsql has an error, so its previous version stays in force", 1, 10s))
      << run.stderr_text();

  // Putting back the running text clears the error without touching the rule.
  std::this_thread::sleep_for(1500ms);
  WriteFile(dir + "/50_big_amount.fsql", BigAmountRule(30));
  ASSERT_TRUE(WaitForLog(run, "50_big_amount.fsql is back to its running version", 1, 10s)) << run.stderr_text();

  std::this_thread::sleep_for(1500ms);
  WriteFile(dir + "/50_big_amount.fsql", BigAmountRule(40));
  ASSERT_TRUE(WaitForLog(run, "reload: replaced rule big-amount", 2, 10s)) << run.stderr_text();

  // A new file starts its rule, which reads its table from the start.
  std::this_thread::sleep_for(1500ms);
  WriteFile(dir + "/70_transaction_ids.fsql", kTransactionIdsRule);
  ASSERT_TRUE(WaitForLog(run, "reload: started rule transaction-ids", 1, 10s)) << run.stderr_text();

  std::this_thread::sleep_for(2000ms);
  std::filesystem::remove(dir + "/50_big_amount.fsql");
  ASSERT_TRUE(WaitForLog(run, "reload: stopped rule big-amount", 1, 10s)) << run.stderr_text();

  auto gen_code = gen.Wait(30s);
  ASSERT_TRUE(gen_code.has_value());
  ASSERT_EQ(*gen_code, 0) << gen.stderr_text();

  // Every transaction the generator wrote reaches the rules that kept running.
  std::vector<std::string> input = ReadTopic(bootstrap, "fd.USER_TRANSACTION");
  ASSERT_GT(input.size(), 150u);
  auto caught_up = [&] {
    return ReadTopic(bootstrap, "all_transactions").size() >= input.size() &&
           ReadTopic(bootstrap, "transaction_ids").size() >= input.size();
  };
  for (auto deadline = std::chrono::steady_clock::now() + 10s;
       !caught_up() && std::chrono::steady_clock::now() < deadline;) {
    std::this_thread::sleep_for(200ms);
  }
  run.Signal(SIGTERM);
  auto run_code = run.Wait(30s);
  ASSERT_TRUE(run_code.has_value());
  EXPECT_EQ(*run_code, 0) << run.stderr_text();
  const std::string& log = run.stderr_text();

  // The error was logged with its location and a caret.
  EXPECT_NE(log.find("50_big_amount.fsql:6:1: error"), std::string::npos) << log;
  // Each replacement kept the OVER aggregation's state and read on from an offset.
  EXPECT_EQ(CountOf(log, "replaced rule big-amount (" + dir + "/50_big_amount.fsql:5): kept state of OverAggregate; "
                         "reset none; reading on: user_transaction from user_transaction[0]@"),
            2u)
      << log;
  // The other rules started once and were never replaced or restarted.
  EXPECT_EQ(CountOf(log, "rule all-transactions: started"), 1u) << log;
  EXPECT_EQ(CountOf(log, "rule user-transaction-cleaning: started"), 1u) << log;
  EXPECT_EQ(CountOf(log, "replaced rule all-transactions"), 0u) << log;
  EXPECT_EQ(CountOf(log, "replaced rule user-transaction-cleaning"), 0u) << log;
  // Every reload declares the tables again; their notices are logged once.
  EXPECT_EQ(CountOf(log, "table all_transactions: 'json-registry' values are read"), 1u) << log;

  // The cleaned transactions, in the order the OVER aggregation counts them.
  std::vector<Transaction> transactions;
  std::map<int64_t, size_t> position_of;
  std::map<int64_t, int64_t> per_account;
  for (const auto& value : ReadTopic(bootstrap, "user_transaction")) {
    Transaction t;
    t.id = static_cast<int64_t>(NumberField(value, "ID"));
    t.account = static_cast<int64_t>(NumberField(value, "ACCOUNT_ID"));
    t.amount = NumberField(value, "AMOUNT");
    t.count_in_account = ++per_account[t.account];
    ASSERT_EQ(position_of.count(t.id), 0u) << "transaction " << t.id << " cleaned twice";
    position_of[t.id] = transactions.size();
    transactions.push_back(t);
  }
  EXPECT_EQ(transactions.size(), input.size());

  // The unchanged rule saw every transaction once and never paused for long.
  std::vector<std::string> all = ReadTopic(bootstrap, "all_transactions");
  std::set<int64_t> seen;
  int64_t longest_gap = 0;
  for (size_t i = 0; i < all.size(); ++i) {
    int64_t id = static_cast<int64_t>(NumberField(all[i], "ID"));
    EXPECT_TRUE(seen.insert(id).second) << "all-transactions wrote " << id << " twice";
    if (i > 0) {
      int64_t gap = MillisOfDay(all[i], "seen_at") - MillisOfDay(all[i - 1], "seen_at");
      longest_gap = std::max(longest_gap, (gap + 86'400'000) % 86'400'000);
    }
  }
  EXPECT_EQ(seen.size(), transactions.size());
  EXPECT_EQ(ReadTopic(bootstrap, "transaction_ids").size(), transactions.size());
  // Records arrive every 50 ms; the reloads must not show up as a stall.
  EXPECT_LT(longest_gap, 1500) << "all-transactions paused";

  // The alerts, grouped by the version that wrote them.
  std::vector<std::string> output = ReadTopic(bootstrap, "big_amount");
  std::map<int, std::vector<Alert>> by_threshold;
  std::vector<int> order;
  std::set<int64_t> alerted;
  for (const auto& value : output) {
    Alert alert;
    alert.id = static_cast<int64_t>(NumberField(value, "ID"));
    alert.amount = NumberField(value, "AMOUNT");
    alert.tx_count = static_cast<int64_t>(NumberField(value, "tx_count"));
    alert.threshold = static_cast<int>(NumberField(value, "threshold"));
    EXPECT_TRUE(alerted.insert(alert.id).second) << "transaction " << alert.id << " alerted twice";
    ASSERT_EQ(position_of.count(alert.id), 1u) << alert.id;
    const Transaction& t = transactions[position_of[alert.id]];
    EXPECT_GT(alert.amount, alert.threshold) << "alert " << alert.id << " breaks its own threshold";
    // The count runs on across both swaps: state neither reset nor doubled.
    EXPECT_EQ(alert.tx_count, t.count_in_account) << "transaction " << alert.id << " of account " << t.account;
    if (order.empty() || order.back() != alert.threshold) order.push_back(alert.threshold);
    by_threshold[alert.threshold].push_back(alert);
  }
  ASSERT_EQ(order, (std::vector<int>{20, 30, 40})) << "the versions' alerts interleave or one is missing";

  // Each version alerted on every transaction above its threshold between its
  // first and its last alert, and the transactions between two versions'
  // alerts went to one version or the other without an alert being due.
  size_t previous_last = 0;
  int previous_threshold = 0;
  for (size_t v = 0; v < order.size(); ++v) {
    int threshold = order[v];
    size_t first = transactions.size(), last = 0;
    for (const Alert& alert : by_threshold[threshold]) {
      first = std::min(first, position_of[alert.id]);
      last = std::max(last, position_of[alert.id]);
    }
    if (v == 0) {
      first = 0;
    } else {
      ASSERT_LT(previous_last, first) << "version " << threshold << " overlaps the one before";
      size_t switch_at = previous_last + 1;
      while (switch_at < first && transactions[switch_at].amount <= previous_threshold) ++switch_at;
      for (size_t i = switch_at; i < first; ++i) {
        EXPECT_LE(transactions[i].amount, threshold) << "transaction " << transactions[i].id << " was never alerted";
      }
    }
    for (size_t i = first; i <= last; ++i) {
      if (transactions[i].amount > threshold) {
        EXPECT_EQ(alerted.count(transactions[i].id), 1u)
            << "transaction " << transactions[i].id << " missing under threshold " << threshold;
      }
    }
    previous_last = last;
    previous_threshold = threshold;
  }
}

/// Returns the text of a rule as the rules topic carries it.
std::string LargeAmountRule(int threshold, const std::string& where_keyword = "WHERE") {
  return fmt::format(R"(SET 'client.statement-name' = 'large-amount';
CREATE TABLE large_amount (`ID` BIGINT, `AMOUNT` DOUBLE, `threshold` INT)
WITH ('changelog.mode' = 'append', 'value.format' = 'json-registry');
INSERT INTO large_amount SELECT ID, AMOUNT, {0} AS threshold FROM user_transaction
{1} AMOUNT > {0};
)",
                     threshold, where_keyword);
}

std::string TransactionEnvelope(int64_t id, double amount) {
  return fmt::format(
      R"({{"before":null,"after":{{"ID":{0}.0,"AMOUNT":{1},"RECEIVED_AT":1767225600000.0,"IP_ADDRESS":"192.0.2.10",)"
      R"("ACCOUNT_ID":7.0}},"op":"c","ts_ms":1767225600000,"source":{{"table":"USER_TRANSACTION"}}}})",
      id, amount);
}

/// Waits until `topic` has at least `count` records and returns their values.
std::vector<std::string> WaitForRecords(const std::string& bootstrap, const std::string& topic, size_t count) {
  std::vector<std::string> values;
  for (auto deadline = std::chrono::steady_clock::now() + 15s; std::chrono::steady_clock::now() < deadline;) {
    values = ReadTopic(bootstrap, topic);
    if (values.size() >= count) break;
    std::this_thread::sleep_for(200ms);
  }
  return values;
}

TEST(ReloadTest, RulesTopicAddsChangesAndDeletesRule) {
  Subprocess broker({kFsql, "broker", "--topics",
                     "fd.USER_TRANSACTION:1,fd.AUTH_USER:1,user_transaction:1,large_amount:1,fsql.rules:1"});
  auto line = broker.WaitForLine("bootstrap.servers=", 15s);
  ASSERT_TRUE(line) << broker.stderr_text();
  std::string bootstrap = line->substr(line->find('=') + 1);
  auto producer = kafka::KafkaProducer::Create({{"bootstrap.servers", bootstrap}});
  auto send = [&](const std::string& topic, const std::string& key, const std::optional<std::string>& value) {
    producer->Produce(topic, key, value, 0);
    producer->Flush(10s);
  };

  // The table files come from disk, the rule from the topic.
  std::string dir = ::testing::TempDir() + "/topic_rules";
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  std::filesystem::copy_file(kRules + "/00_cdc_sources.fsql", dir + "/00_cdc_sources.fsql");
  std::filesystem::copy_file(kRules + "/10_user_transaction.fsql", dir + "/10_user_transaction.fsql");
  send("fsql.rules", "50_large_amount.fsql", LargeAmountRule(20));

  Subprocess run({kFsql, "run", "--rules-topic", "fsql.rules", "--watch-interval", "100", "--bootstrap-servers",
                  bootstrap, dir});
  ASSERT_TRUE(WaitForLog(run, "reload: started rule large-amount (50_large_amount.fsql:4)", 1, 20s))
      << run.stderr_text();
  for (int i = 0; i < 3; ++i) send("fd.USER_TRANSACTION", "", TransactionEnvelope(1 + i, 15.0 + 10 * i));
  std::vector<std::string> rows = WaitForRecords(bootstrap, "large_amount", 2);
  ASSERT_EQ(rows.size(), 2u) << run.stderr_text();
  EXPECT_EQ(rows[0], R"({"ID":2,"AMOUNT":25,"threshold":20})");
  EXPECT_EQ(rows[1], R"({"ID":3,"AMOUNT":35,"threshold":20})");

  send("fsql.rules", "50_large_amount.fsql", LargeAmountRule(30));
  ASSERT_TRUE(WaitForLog(run, "reload: replaced rule large-amount", 1, 10s)) << run.stderr_text();
  for (int i = 0; i < 3; ++i) send("fd.USER_TRANSACTION", "", TransactionEnvelope(11 + i, 15.0 + 10 * i));
  rows = WaitForRecords(bootstrap, "large_amount", 3);
  ASSERT_EQ(rows.size(), 3u) << run.stderr_text();
  EXPECT_EQ(rows[2], R"({"ID":13,"AMOUNT":35,"threshold":30})");

  // A text with an error is skipped with its location; the rule runs on.
  send("fsql.rules", "50_large_amount.fsql", LargeAmountRule(40, "WHER"));
  ASSERT_TRUE(WaitForLog(run, "50_large_amount.fsql has an error", 1, 10s)) << run.stderr_text();
  EXPECT_NE(run.stderr_text().find("50_large_amount.fsql:5:6: error"), std::string::npos) << run.stderr_text();

  // An empty value deletes the rule.
  send("fsql.rules", "50_large_amount.fsql", std::nullopt);
  ASSERT_TRUE(WaitForLog(run, "reload: stopped rule large-amount", 1, 10s)) << run.stderr_text();
  for (int i = 0; i < 3; ++i) send("fd.USER_TRANSACTION", "", TransactionEnvelope(21 + i, 15.0 + 10 * i));
  std::vector<std::string> cleaned = WaitForRecords(bootstrap, "user_transaction", 9);
  EXPECT_EQ(cleaned.size(), 9u) << "the file rules keep running";
  EXPECT_EQ(ReadTopic(bootstrap, "large_amount").size(), 3u);

  run.Signal(SIGTERM);
  auto code = run.Wait(30s);
  ASSERT_TRUE(code.has_value());
  EXPECT_EQ(*code, 0) << run.stderr_text();
}

/// Returns the text of a rule as the rules topic carries it, for the two-process test.
std::string LargePaymentsRule(int threshold) {
  return fmt::format(R"(SET 'client.statement-name' = 'large-payments';
CREATE TABLE large_payments (id BIGINT, amount DOUBLE, threshold INT) WITH ('topic' = 'large_payments');
INSERT INTO large_payments SELECT id, amount, {0} AS threshold FROM payments WHERE amount > {0};
)",
                     threshold);
}

/// Returns the partitions assigned to consumer group `group` by its latest
/// "assigned" log line, or "" when a revocation came after it.
std::string LatestAssignment(const std::string& log, const std::string& group) {
  std::regex line("consumer group '" + group + "' \\(rdkafka#consumer-[0-9]+\\): (assigned|revoked|lost) ([^\\n]*)");
  std::string latest;
  for (auto it = std::sregex_iterator(log.begin(), log.end(), line); it != std::sregex_iterator(); ++it) {
    latest = (*it)[1] == "assigned" ? (*it)[2].str() : "";
  }
  return latest;
}

TEST(ReloadTest, TwoProcessesSwitchTogetherOnRulesTopic) {
  Subprocess broker({kFsql, "broker", "--topics", "payments:2,large_payments:1,fsql.rules:1"});
  auto line = broker.WaitForLine("bootstrap.servers=", 15s);
  ASSERT_TRUE(line) << broker.stderr_text();
  std::string bootstrap = line->substr(line->find('=') + 1);
  auto producer = kafka::KafkaProducer::Create({{"bootstrap.servers", bootstrap}});
  producer->Produce("fsql.rules", "50_large_payments.fsql", LargePaymentsRule(20), 0);
  producer->Flush(10s);

  // Both processes read `payments` in one consumer group, so each owns one of
  // its partitions. 'group-offsets' makes a partition that moves between them
  // in a rebalance start at the committed offset, not at the beginning.
  std::string dir = ::testing::TempDir() + "/fleet_rules";
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  WriteFile(dir + "/00_payments.fsql", R"(CREATE TABLE payments (id BIGINT, amount DOUBLE)
WITH ('topic' = 'payments', 'scan.startup.mode' = 'group-offsets');
)");
  // librdkafka 2.0.2's mock cluster completes a rejoin after a member left only
  // after session.timeout.ms - 1 s, so a short session keeps rebalances quick.
  std::vector<std::string> arguments = {kFsql, "run", "--rules-topic", "fsql.rules", "--watch-interval", "100",
                                        "--bootstrap-servers", bootstrap, "-D", "properties.session.timeout.ms=4000",
                                        "-D", "properties.heartbeat.interval.ms=250", dir};
  Subprocess first(arguments);
  Subprocess second(arguments);
  const std::string group = "fsql.large-payments.payments";
  auto settled = [&] {
    std::string first_partitions = LatestAssignment(first.stderr_text(), group);
    std::string second_partitions = LatestAssignment(second.stderr_text(), group);
    bool one_each = first_partitions.find(',') == std::string::npos && second_partitions.find(',') == std::string::npos;
    return !first_partitions.empty() && !second_partitions.empty() && first_partitions != second_partitions &&
           one_each;
  };
  for (auto deadline = std::chrono::steady_clock::now() + 20s;
       !settled() && std::chrono::steady_clock::now() < deadline;) {
    std::this_thread::sleep_for(100ms);
  }
  ASSERT_TRUE(settled()) << "the two processes did not split the partitions of payments\n"
                         << first.stderr_text() << "\n----\n" << second.stderr_text();

  // Payments flow at a steady rate while the rule changes: amounts of 15 pass
  // neither threshold, 25 only the old one, 35 both.
  const std::vector<double> amounts = {15, 25, 35};
  std::atomic<bool> stop{false};
  std::atomic<int> sent{0};
  std::thread traffic([&] {
    for (int id = 1; !stop; ++id) {
      double amount = amounts[static_cast<size_t>(id) % amounts.size()];
      producer->Produce("payments", std::to_string(id), fmt::format(R"({{"id":{},"amount":{}}})", id, amount), 0,
                        id % 2);
      producer->Flush(10s);
      sent = id;
      std::this_thread::sleep_for(20ms);
    }
  });
  std::this_thread::sleep_for(1500ms);
  producer->Produce("fsql.rules", "50_large_payments.fsql", LargePaymentsRule(30), 0);
  bool first_switched = WaitForLog(first, "reload: replaced rule large-payments", 1, 10s);
  bool second_switched = WaitForLog(second, "reload: replaced rule large-payments", 1, 10s);
  std::this_thread::sleep_for(1500ms);
  stop = true;
  traffic.join();
  ASSERT_TRUE(first_switched) << first.stderr_text();
  ASSERT_TRUE(second_switched) << second.stderr_text();

  // Each process read on from an offset of its own partition.
  std::regex report("replaced rule large-payments \\(50_large_payments\\.fsql:3\\): kept state of none; reset none; "
                    "reading on: payments from payments\\[([01])\\]@[0-9]+");
  std::smatch first_report;
  std::smatch second_report;
  std::string first_log = first.stderr_text();
  std::string second_log = second.stderr_text();
  ASSERT_TRUE(std::regex_search(first_log, first_report, report)) << first_log;
  ASSERT_TRUE(std::regex_search(second_log, second_report, report)) << second_log;
  EXPECT_NE(first_report[1].str(), second_report[1].str());

  // Every payment above both thresholds is alerted, so wait for the last of them.
  int total = sent;
  std::set<int> due;
  for (int id = 1; id <= total; ++id) {
    if (amounts[static_cast<size_t>(id) % amounts.size()] > 30) due.insert(id);
  }
  std::vector<std::string> output;
  for (auto deadline = std::chrono::steady_clock::now() + 15s; std::chrono::steady_clock::now() < deadline;) {
    output = ReadTopic(bootstrap, "large_payments");
    size_t found = 0;
    for (const auto& value : output) found += due.count(static_cast<int>(NumberField(value, "id")));
    if (found >= due.size()) break;
    std::this_thread::sleep_for(200ms);
  }
  first.Signal(SIGTERM);
  second.Signal(SIGTERM);
  auto first_code = first.Wait(30s);
  auto second_code = second.Wait(30s);
  ASSERT_TRUE(first_code.has_value());
  ASSERT_TRUE(second_code.has_value());
  EXPECT_EQ(*first_code, 0) << first.stderr_text();
  EXPECT_EQ(*second_code, 0) << second.stderr_text();
  output = ReadTopic(bootstrap, "large_payments");

  // No payment is alerted twice, each alert follows its own threshold, and in
  // each partition the old version's alerts all come before the new one's.
  std::map<int, int> threshold_of;
  for (const auto& value : output) {
    int id = static_cast<int>(NumberField(value, "id"));
    int threshold = static_cast<int>(NumberField(value, "threshold"));
    EXPECT_TRUE(threshold_of.emplace(id, threshold).second) << "payment " << id << " alerted twice";
    EXPECT_GT(NumberField(value, "amount"), threshold) << value;
  }
  for (int id : due) EXPECT_EQ(threshold_of.count(id), 1u) << "payment " << id << " was never alerted";
  for (int partition = 0; partition < 2; ++partition) {
    int last_old = 0;
    int first_new = total + 1;
    for (const auto& [id, threshold] : threshold_of) {
      if (id % 2 != partition) continue;
      if (threshold == 20) last_old = std::max(last_old, id);
      if (threshold == 30) first_new = std::min(first_new, id);
    }
    EXPECT_LT(last_old, first_new) << "partition " << partition << " went back to the old version";
    EXPECT_GT(last_old, 0) << "partition " << partition << " has no alert of the old version";
    EXPECT_LE(first_new, total) << "partition " << partition << " has no alert of the new version";
    // Up to the switch, the old version alerted every payment above 20, so no input was skipped.
    for (int id = 1; id <= last_old; ++id) {
      if (id % 2 == partition && amounts[static_cast<size_t>(id) % amounts.size()] > 20) {
        EXPECT_EQ(threshold_of.count(id), 1u) << "payment " << id << " was lost before the switch";
      }
    }
  }
}

}  // namespace
}  // namespace fsql::testing
