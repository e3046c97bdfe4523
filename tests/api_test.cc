// The embedding API (include/fsql) through its public headers only, except
// the Kafka case, which starts the embedded broker.
#include <atomic>
#include <chrono>
#include <thread>

#include <gtest/gtest.h>

#include "fsql/engine.h"
#include "fsql/fsql.h"
#include "runtime/connectors/kafka.h"

namespace {

using fsql::embed::Decision;
using fsql::embed::Engine;
using fsql::embed::EngineOptions;
using fsql::embed::Error;
using fsql::embed::ResultRow;
using fsql::embed::RowKind;
using fsql::embed::Value;

constexpr const char* kPayments = R"sql(
CREATE TABLE payments (
  id BIGINT,
  account BIGINT,
  amount DOUBLE,
  country STRING
) WITH ('connector' = 'embedded');

CREATE TABLE large_payments (
  id BIGINT,
  account BIGINT,
  amount DOUBLE
) WITH ('connector' = 'embedded');

SET 'client.statement-name' = 'large';
INSERT INTO large_payments SELECT id, account, amount FROM payments WHERE amount > 100;
)sql";

/// Calls `call` and returns the kind of the Error it throws; fails the test when it throws none.
template <typename Call>
Error::Kind KindOf(Call&& call) {
  try {
    call();
  } catch (const Error& error) {
    return error.kind();
  }
  ADD_FAILURE() << "expected an fsql::embed::Error";
  return Error::Kind::kRuntime;
}

TEST(ApiTest, PushAndPollFilteredRows) {
  Engine engine;
  EXPECT_EQ(engine.Load(kPayments, "payments.fsql"), std::vector<std::string>{"large"});
  engine.Push("payments", R"({"id": 1, "account": 7, "amount": 50.0, "country": "NL"})");
  engine.Push("payments", R"({"id": 2, "account": 7, "amount": 150.5, "country": "NL"})");
  std::vector<ResultRow> rows = engine.Poll("large_payments");
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].rule(), "large");
  EXPECT_EQ(rows[0].table(), "large_payments");
  EXPECT_EQ(rows[0].kind(), RowKind::kInsert);
  EXPECT_EQ(rows[0].ToJson(), R"({"id":2,"account":7,"amount":150.5})");
  EXPECT_EQ(rows[0].column_names(), (std::vector<std::string>{"id", "account", "amount"}));
  EXPECT_EQ(rows[0].values(), (std::vector<Value>{int64_t{2}, int64_t{7}, 150.5}));
  EXPECT_EQ(rows[0].value("amount"), Value(150.5));
  EXPECT_EQ(KindOf([&] { rows[0].value("missing"); }), Error::Kind::kNotFound);
  EXPECT_TRUE(engine.Poll("large_payments").empty());
}

TEST(ApiTest, PollTakesAtMostMaxRows) {
  Engine engine;
  engine.Load(kPayments);
  for (int i = 0; i < 5; ++i) engine.Push("payments", std::vector<Value>{int64_t{i}, int64_t{1}, 500.0, "NL"});
  EXPECT_EQ(engine.Poll("large_payments", 2).size(), 2u);
  EXPECT_EQ(engine.Poll("large_payments").size(), 3u);
}

TEST(ApiTest, PollQueueDropsOldestRows) {
  EngineOptions options;
  options.max_polled_rows = 2;
  Engine engine(options);
  engine.Load(kPayments);
  for (int i = 1; i <= 5; ++i) engine.Push("payments", std::vector<Value>{int64_t{i}, int64_t{1}, 500.0, "NL"});
  auto rows = engine.Poll("large_payments");
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].value("id"), Value(int64_t{4}));
  EXPECT_EQ(rows[1].value("id"), Value(int64_t{5}));
}

TEST(ApiTest, ConcurrentPushesAndPolls) {
  Engine engine;
  engine.Load(kPayments);
  constexpr int kThreads = 4;
  constexpr int kRowsPerThread = 500;
  std::atomic<bool> pushing{true};
  size_t polled = 0;
  std::thread poller([&] {
    while (pushing) polled += engine.Poll("large_payments").size();
  });
  std::vector<std::thread> pushers;
  for (int t = 0; t < kThreads; ++t) {
    pushers.emplace_back([&, t] {
      for (int i = 0; i < kRowsPerThread; ++i) {
        engine.Push("payments", std::vector<Value>{int64_t{t * kRowsPerThread + i}, int64_t{t}, 200.0, "NL"});
      }
    });
  }
  for (auto& pusher : pushers) pusher.join();
  pushing = false;
  poller.join();
  polled += engine.Poll("large_payments").size();
  EXPECT_EQ(polled, static_cast<size_t>(kThreads * kRowsPerThread));
}

TEST(ApiTest, EventTimeIsKeptOnResults) {
  Engine engine;
  engine.Load(kPayments);
  engine.Push("payments", R"({"id": 1, "account": 7, "amount": 500, "country": "NL"})", 1'700'000'000'000);
  auto rows = engine.Poll("large_payments");
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].event_time(), std::optional<int64_t>(1'700'000'000'000));
}

TEST(ApiTest, CallbackReplacesPolling) {
  Engine engine;
  engine.Load(kPayments);
  std::vector<std::string> seen;
  engine.Subscribe("large_payments", [&](const ResultRow& row) { seen.push_back(row.ToJson()); });
  engine.Push("payments", R"({"id": 3, "account": 1, "amount": 101, "country": "DE"})");
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[0], R"({"id":3,"account":1,"amount":101})");
  EXPECT_TRUE(engine.Poll("large_payments").empty());

  engine.Subscribe("large_payments", nullptr);
  engine.Push("payments", R"({"id": 4, "account": 1, "amount": 102, "country": "DE"})");
  EXPECT_EQ(seen.size(), 1u);
  EXPECT_EQ(engine.Poll("large_payments").size(), 1u);
}

TEST(ApiTest, CallbackMustNotCallEngine) {
  Engine engine;
  engine.Load(kPayments);
  std::optional<Error::Kind> inner;
  engine.Subscribe("large_payments", [&](const ResultRow&) {
    try {
      engine.Rules();
    } catch (const Error& error) {
      inner = error.kind();
    }
  });
  engine.Push("payments", R"({"id": 1, "account": 1, "amount": 200, "country": "DE"})");
  EXPECT_EQ(inner, Error::Kind::kInvalidArgument);
  EXPECT_EQ(engine.Rules().size(), 1u);
}

TEST(ApiTest, ThrowingCallbackFailsRule) {
  Engine engine;
  engine.Load(kPayments);
  engine.Subscribe("large_payments", [](const ResultRow&) { throw std::runtime_error("downstream is full"); });
  try {
    engine.Push("payments", R"({"id": 1, "account": 1, "amount": 200, "country": "DE"})");
    FAIL() << "expected an error";
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), Error::Kind::kRuntime);
    EXPECT_NE(std::string(error.what()).find("downstream is full"), std::string::npos) << error.what();
  }
  EXPECT_TRUE(engine.Rules()[0].failed);
}

TEST(ApiTest, ComputedColumnOfChainedTable) {
  Engine engine;
  engine.Load(R"sql(
    CREATE TABLE input (a BIGINT) WITH ('connector' = 'embedded');
    CREATE TABLE middle (a BIGINT, doubled AS a * 2, tag STRING) WITH ('connector' = 'embedded');
    CREATE TABLE output (tag STRING, doubled BIGINT) WITH ('connector' = 'embedded');
    INSERT INTO middle SELECT a, 'x' FROM input;
    INSERT INTO output SELECT tag, doubled FROM middle;
  )sql");
  engine.Push("input", R"({"a": 21})");
  auto rows = engine.Poll("output");
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].ToJson(), R"({"tag":"x","doubled":42})");
}

TEST(ApiTest, LoadErrorCarriesDiagnostic) {
  Engine engine;
  try {
    engine.Load("CREATE TABLE t (a BIGINT) WITH ('connector' = 'embedded');\nINSERT INTO t SELECT b FROM t;",
                "bad.fsql");
    FAIL() << "expected an error";
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), Error::Kind::kInvalidRule);
    EXPECT_EQ(error.diagnostic().file, "bad.fsql");
    EXPECT_EQ(error.diagnostic().line, 2);
    EXPECT_EQ(error.diagnostic().column, 22);
    EXPECT_NE(error.diagnostic().rendered.find("bad.fsql:2:22: error:"), std::string::npos)
        << error.diagnostic().rendered;
    EXPECT_NE(error.diagnostic().rendered.find("^"), std::string::npos);
    EXPECT_EQ(std::string(error.what()) + "\n", error.diagnostic().rendered);
  }
  // The table declared before the failing statement stays, and no rule started.
  EXPECT_EQ(engine.Tables(), std::vector<std::string>{"t"});
  EXPECT_TRUE(engine.Rules().empty());
}

TEST(ApiTest, UnknownConnectorIsNotSupported) {
  Engine engine;
  try {
    engine.Load("CREATE TABLE t (a BIGINT) WITH ('connector' = 'filesystem');");
    FAIL() << "expected an error";
  } catch (const Error& error) {
    EXPECT_TRUE(error.diagnostic().not_supported);
    EXPECT_NE(error.diagnostic().hint.find("'embedded'"), std::string::npos);
  }
}

TEST(ApiTest, LoadFilesReportsUnreadableFile) {
  Engine engine;
  EXPECT_EQ(KindOf([&] { engine.LoadFiles({"/nonexistent/rules.fsql"}); }), Error::Kind::kInvalidRule);
}

TEST(ApiTest, DuplicateRuleNameIsRejected) {
  Engine engine;
  engine.Load(kPayments);
  EXPECT_EQ(KindOf([&] {
              engine.Load("SET 'client.statement-name' = 'large';\n"
                          "INSERT INTO large_payments SELECT id, account, amount FROM payments;");
            }),
            Error::Kind::kInvalidRule);
  EXPECT_EQ(engine.Rules().size(), 1u);
}

TEST(ApiTest, RulesListsTablesAndKind) {
  Engine engine;
  engine.Load(kPayments, "payments.fsql");
  auto rules = engine.Rules();
  ASSERT_EQ(rules.size(), 1u);
  EXPECT_EQ(rules[0].name, "large");
  EXPECT_EQ(rules[0].source, "payments.fsql");
  EXPECT_EQ(rules[0].reads, std::vector<std::string>{"payments"});
  EXPECT_EQ(rules[0].writes, "large_payments");
  EXPECT_TRUE(rules[0].in_process);
  EXPECT_FALSE(rules[0].failed);
}

TEST(ApiTest, ReplaceSwapsRuleAndKeepsOldRows) {
  Engine engine;
  engine.Load(kPayments);
  engine.Push("payments", R"({"id": 1, "account": 7, "amount": 150, "country": "NL"})");
  auto before = engine.Poll("large_payments");
  ASSERT_EQ(before.size(), 1u);

  engine.Replace("large", "INSERT INTO large_payments SELECT id, account, amount FROM payments WHERE amount > 1000;");
  EXPECT_EQ(before[0].ToJson(), R"({"id":1,"account":7,"amount":150})");
  engine.Push("payments", R"({"id": 2, "account": 7, "amount": 150, "country": "NL"})");
  EXPECT_TRUE(engine.Poll("large_payments").empty());
  engine.Push("payments", R"({"id": 3, "account": 7, "amount": 1500, "country": "NL"})");
  auto after = engine.Poll("large_payments");
  ASSERT_EQ(after.size(), 1u);
  EXPECT_EQ(after[0].rule(), "large");

  EXPECT_EQ(KindOf([&] { engine.Replace("missing", "INSERT INTO large_payments SELECT 1, 1, 1.0;"); }),
            Error::Kind::kNotFound);
  EXPECT_EQ(KindOf([&] { engine.Replace("large", "SELEC oops"); }), Error::Kind::kInvalidRule);
  EXPECT_EQ(engine.Rules().size(), 1u);
}

TEST(ApiTest, RemoveStopsRule) {
  Engine engine;
  engine.Load(kPayments);
  engine.Remove("large");
  EXPECT_TRUE(engine.Rules().empty());
  engine.Push("payments", R"({"id": 1, "account": 7, "amount": 150, "country": "NL"})");
  EXPECT_TRUE(engine.Poll("large_payments").empty());
  EXPECT_EQ(KindOf([&] { engine.Remove("large"); }), Error::Kind::kNotFound);
}

TEST(ApiTest, PushMisuseReturnsErrors) {
  Engine engine;
  engine.Load(kPayments);
  EXPECT_EQ(KindOf([&] { engine.Push("paymnts", R"({"id": 1})"); }), Error::Kind::kNotFound);
  try {
    engine.Push("paymnts", R"({"id": 1})");
  } catch (const Error& error) {
    EXPECT_NE(std::string(error.what()).find("payments"), std::string::npos) << error.what();
  }
  EXPECT_EQ(KindOf([&] { engine.Push("payments", "{not json"); }), Error::Kind::kInvalidRow);
  EXPECT_EQ(KindOf([&] { engine.Push("payments", R"({"id": "seven"})"); }), Error::Kind::kInvalidRow);
  EXPECT_EQ(KindOf([&] { engine.Push("payments", std::vector<Value>{int64_t{1}}); }), Error::Kind::kInvalidRow);
  EXPECT_EQ(KindOf([&] {
              engine.Push("payments", std::vector<Value>{std::string("x"), int64_t{1}, 1.0, std::string("NL")});
            }),
            Error::Kind::kInvalidRow);
  EXPECT_EQ(KindOf([&] { engine.Push("large_payments", R"({"id": 1})"); }), Error::Kind::kInvalidArgument);
  EXPECT_EQ(KindOf([&] { engine.Poll("nothing"); }), Error::Kind::kNotFound);
  EXPECT_EQ(KindOf([&] { engine.Subscribe("nothing", nullptr); }), Error::Kind::kNotFound);
  EXPECT_EQ(KindOf([&] { engine.AdvanceWatermark("nothing", 1); }), Error::Kind::kNotFound);
  // The engine still works after each error.
  engine.Push("payments", R"({"id": 9, "account": 7, "amount": 150, "country": "NL"})");
  EXPECT_EQ(engine.Poll("large_payments").size(), 1u);
}

TEST(ApiTest, FailedLoadStartsNoRuleOfItsText) {
  Engine engine;
  engine.Load(kPayments);
  // The second rule reads an embedded table and writes a Kafka table, which is
  // rejected after the first rule of the text has been checked.
  EXPECT_EQ(KindOf([&] {
              engine.Load("CREATE TABLE copies (id BIGINT) WITH ('connector' = 'embedded');\n"
                          "CREATE TABLE k (id BIGINT);\n"
                          "SET 'client.statement-name' = 'copy';\n"
                          "INSERT INTO copies SELECT id FROM payments;\n"
                          "SET 'client.statement-name' = 'to-kafka';\n"
                          "INSERT INTO k SELECT id FROM payments;\n");
            }),
            Error::Kind::kInvalidRule);
  ASSERT_EQ(engine.Rules().size(), 1u);
  engine.Push("payments", R"({"id": 1, "account": 7, "amount": 150, "country": "NL"})");
  EXPECT_TRUE(engine.Poll("copies").empty());
  EXPECT_EQ(engine.Poll("large_payments").size(), 1u);
}

TEST(ApiTest, KafkaTableRejectsPush) {
  Engine engine;
  engine.Load("CREATE TABLE k (a BIGINT) WITH ('topic' = 'k');");
  EXPECT_EQ(KindOf([&] { engine.Push("k", R"({"a": 1})"); }), Error::Kind::kInvalidArgument);
}

TEST(ApiTest, InProcessRuleCannotWriteKafka) {
  Engine engine;
  EXPECT_EQ(KindOf([&] {
              engine.Load("CREATE TABLE e (a BIGINT) WITH ('connector' = 'embedded');\n"
                          "CREATE TABLE k (a BIGINT) WITH ('topic' = 'k');\n"
                          "INSERT INTO k SELECT a FROM e;");
            }),
            Error::Kind::kInvalidRule);
}

TEST(ApiTest, CallsAfterStopFail) {
  Engine engine;
  engine.Load(kPayments);
  engine.Stop();
  engine.Stop();
  EXPECT_EQ(KindOf([&] { engine.Push("payments", R"({"id": 1})"); }), Error::Kind::kStopped);
  EXPECT_EQ(KindOf([&] { engine.Load(kPayments); }), Error::Kind::kStopped);
  EXPECT_EQ(KindOf([&] { engine.Rules(); }), Error::Kind::kStopped);
  EXPECT_EQ(KindOf([&] { engine.Poll("large_payments"); }), Error::Kind::kStopped);
  EXPECT_EQ(KindOf([&] { engine.Decide("payments", R"({"id": 1})"); }), Error::Kind::kStopped);
  EXPECT_EQ(KindOf([&] { engine.Remove("large"); }), Error::Kind::kStopped);
}

TEST(ApiTest, TypedRetractionUpdatesAggregate) {
  Engine engine;
  engine.Load(R"sql(
    CREATE TABLE payments (account BIGINT, amount DOUBLE) WITH ('connector' = 'embedded');
    CREATE TABLE totals (account BIGINT, total DOUBLE, PRIMARY KEY (account) NOT ENFORCED)
      WITH ('connector' = 'embedded');
    INSERT INTO totals SELECT account, SUM(amount) FROM payments GROUP BY account;
  )sql");
  engine.Push("payments", std::vector<Value>{int64_t{1}, 10.0});
  engine.Push("payments", std::vector<Value>{int64_t{1}, 5.0});
  engine.Push("payments", std::vector<Value>{int64_t{1}, 10.0}, std::nullopt, RowKind::kDelete);
  std::vector<std::string> changes;
  for (const auto& row : engine.Poll("totals")) changes.push_back(fsql::embed::RowKindName(row.kind()) + row.ToJson());
  EXPECT_EQ(changes, (std::vector<std::string>{R"(+I{"account":1,"total":10})", R"(-U{"account":1,"total":10})",
                                               R"(+U{"account":1,"total":15})", R"(-U{"account":1,"total":15})",
                                               R"(+U{"account":1,"total":5})"}));
}

constexpr const char* kWindowed = R"sql(
CREATE TABLE clicks (
  user_id BIGINT,
  ts TIMESTAMP(3),
  WATERMARK FOR ts AS ts
) WITH ('connector' = 'embedded');
CREATE TABLE per_minute (user_id BIGINT, window_end TIMESTAMP(3), clicks BIGINT) WITH ('connector' = 'embedded');
SET 'client.statement-name' = 'per-minute';
INSERT INTO per_minute
SELECT user_id, window_end, COUNT(*)
FROM TABLE(TUMBLE(TABLE clicks, DESCRIPTOR(ts), INTERVAL '1' MINUTE))
GROUP BY user_id, window_start, window_end;
)sql";

TEST(ApiTest, WatermarkFollowsPushedTimes) {
  Engine engine;
  engine.Load(kWindowed);
  engine.Push("clicks", R"({"user_id": 1, "ts": "2024-01-01 00:00:10"})");
  engine.Push("clicks", R"({"user_id": 1, "ts": "2024-01-01 00:00:20"})");
  EXPECT_TRUE(engine.Poll("per_minute").empty());
  engine.Push("clicks", R"({"user_id": 2, "ts": "2024-01-01 00:01:05"})");
  auto rows = engine.Poll("per_minute");
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].ToJson(), R"({"user_id":1,"window_end":"2024-01-01 00:01:00.000","clicks":2})");
}

TEST(ApiTest, ExplicitWatermarkTakesOver) {
  Engine engine;
  engine.Load(kWindowed);
  engine.AdvanceWatermark("clicks", 0);
  engine.Push("clicks", R"({"user_id": 1, "ts": "2024-01-01 00:00:10"})");
  engine.Push("clicks", R"({"user_id": 1, "ts": "2024-01-01 00:05:00"})");
  EXPECT_TRUE(engine.Poll("per_minute").empty());
  engine.AdvanceWatermark("clicks", 1'704'067'260'000);  // 2024-01-01 00:01:00
  EXPECT_EQ(engine.Poll("per_minute").size(), 1u);
}

constexpr const char* kBursts = R"sql(
CREATE TABLE payments (
  account BIGINT,
  amount DOUBLE
) WITH ('connector' = 'embedded');
CREATE TABLE bursts (account BIGINT, amount DOUBLE, recent BIGINT) WITH ('connector' = 'embedded');
SET 'client.statement-name' = 'bursts';
INSERT INTO bursts
SELECT account, amount, recent FROM (
  SELECT account, amount,
         COUNT(*) OVER (PARTITION BY account ORDER BY `$rowtime`
                        RANGE BETWEEN INTERVAL '1' MINUTE PRECEDING AND CURRENT ROW) AS recent
  FROM payments)
WHERE recent >= 3;
)sql";

TEST(ApiTest, DecideReturnsRowsOfThePushedRow) {
  Engine engine;
  engine.Load(kBursts);
  EXPECT_TRUE(engine.CheckDecision("payments").allowed);
  int64_t t = 1'700'000'000'000;
  EXPECT_TRUE(engine.Decide("payments", R"({"account": 1, "amount": 5})", t).rows.empty());
  EXPECT_TRUE(engine.Decide("payments", R"({"account": 2, "amount": 5})", t + 1).rows.empty());
  EXPECT_TRUE(engine.Decide("payments", R"({"account": 1, "amount": 6})", t + 2).rows.empty());
  Decision third = engine.Decide("payments", R"({"account": 1, "amount": 7})", t + 3);
  ASSERT_EQ(third.rows.size(), 1u);
  EXPECT_EQ(third.rows[0].ToJson(), R"({"account":1,"amount":7,"recent":3})");
  EXPECT_EQ(third.RowsOf("bursts").size(), 1u);
  EXPECT_TRUE(third.RowsOf("other").empty());
  // Decided rows are not queued for Poll.
  EXPECT_TRUE(engine.Poll("bursts").empty());
  Decision typed = engine.Decide("payments", std::vector<Value>{int64_t{1}, 8.0}, t + 4);
  ASSERT_EQ(typed.rows.size(), 1u);
  EXPECT_EQ(typed.rows[0].value("recent"), Value(int64_t{4}));
  // A row at or before the last decision's time would be dropped as late.
  EXPECT_EQ(KindOf([&] { engine.Decide("payments", R"({"account": 1, "amount": 9})", t + 4); }),
            Error::Kind::kInvalidRow);
}

TEST(ApiTest, DecideAcceptsOldTimeWithoutEventTimeOperator) {
  Engine engine;
  engine.Load(kPayments);
  engine.Decide("payments", R"({"id": 1, "account": 1, "amount": 500, "country": "NL"})", 2000);
  Decision older = engine.Decide("payments", R"({"id": 2, "account": 1, "amount": 500, "country": "NL"})", 1000);
  EXPECT_EQ(older.rows.size(), 1u);
}

TEST(ApiTest, DecideWithoutTimeKeepsRowsInOneMillisecond) {
  Engine engine;
  engine.Load(kBursts);
  size_t flagged = 0;
  for (int i = 0; i < 5; ++i) flagged += engine.Decide("payments", R"({"account": 3, "amount": 1})").rows.size();
  EXPECT_EQ(flagged, 3u);  // the third, fourth and fifth rows count 3, 4 and 5 recent payments
}

TEST(ApiTest, DecideRejectsGlobalAggregate) {
  Engine engine;
  engine.Load(R"sql(
    CREATE TABLE payments (account BIGINT, amount DOUBLE) WITH ('connector' = 'embedded');
    CREATE TABLE total (n BIGINT, PRIMARY KEY (n) NOT ENFORCED) WITH ('connector' = 'embedded');
    SET 'client.statement-name' = 'count-all';
    INSERT INTO total SELECT COUNT(*) FROM payments;
  )sql");
  auto check = engine.CheckDecision("payments");
  EXPECT_FALSE(check.allowed);
  ASSERT_EQ(check.rules.size(), 1u);
  EXPECT_EQ(check.rules[0].first, "count-all");
  EXPECT_NE(check.rules[0].second.find("no GROUP BY"), std::string::npos) << check.rules[0].second;
  try {
    engine.Decide("payments", R"({"account": 1, "amount": 5})");
    FAIL() << "expected an error";
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), Error::Kind::kNotDecidable);
    EXPECT_NE(std::string(error.what()).find("count-all"), std::string::npos) << error.what();
  }
  // Push still works for the same table.
  engine.Push("payments", R"({"account": 1, "amount": 5})");
  EXPECT_EQ(engine.Poll("total").size(), 1u);
}

TEST(ApiTest, DecideRejectsWindowAggregate) {
  Engine engine;
  engine.Load(kWindowed);
  auto check = engine.CheckDecision("clicks");
  EXPECT_FALSE(check.allowed);
  ASSERT_EQ(check.rules.size(), 1u);
  EXPECT_NE(check.rules[0].second.find("window"), std::string::npos) << check.rules[0].second;
}

TEST(ApiTest, DecideThroughJoinOnPushedKey) {
  Engine engine;
  engine.Load(R"sql(
    CREATE TABLE payments (account BIGINT, amount DOUBLE) WITH ('connector' = 'embedded');
    CREATE TABLE limits (account BIGINT, cap DOUBLE, PRIMARY KEY (account) NOT ENFORCED)
      WITH ('connector' = 'embedded');
    CREATE TABLE over_limit (account BIGINT, amount DOUBLE, cap DOUBLE, PRIMARY KEY (account) NOT ENFORCED)
      WITH ('connector' = 'embedded');
    SET 'client.statement-name' = 'over-limit';
    INSERT INTO over_limit
    SELECT p.account, p.amount, l.cap FROM payments AS p JOIN limits AS l ON p.account = l.account
    WHERE p.amount > l.cap;
  )sql");
  EXPECT_TRUE(engine.CheckDecision("payments").allowed);
  EXPECT_TRUE(engine.CheckDecision("limits").allowed);
  engine.Push("limits", R"({"account": 1, "cap": 100})");
  Decision decision = engine.Decide("payments", R"({"account": 1, "amount": 150})");
  ASSERT_EQ(decision.rows.size(), 1u);
  EXPECT_EQ(decision.rows[0].ToJson(), R"({"account":1,"amount":150,"cap":100})");
}

TEST(ApiTest, DecideRejectsKeyFromOtherTable) {
  Engine engine;
  engine.Load(R"sql(
    CREATE TABLE payments (account BIGINT, amount DOUBLE) WITH ('connector' = 'embedded');
    CREATE TABLE accounts (account BIGINT, region STRING, PRIMARY KEY (account) NOT ENFORCED)
      WITH ('connector' = 'embedded');
    CREATE TABLE per_region (region STRING, total DOUBLE, PRIMARY KEY (region) NOT ENFORCED)
      WITH ('connector' = 'embedded');
    SET 'client.statement-name' = 'per-region';
    INSERT INTO per_region
    SELECT a.region, SUM(p.amount) FROM payments AS p JOIN accounts AS a ON p.account = a.account
    GROUP BY a.region;
  )sql");
  auto check = engine.CheckDecision("payments");
  EXPECT_FALSE(check.allowed);
  ASSERT_EQ(check.rules.size(), 1u);
  EXPECT_NE(check.rules[0].second.find("not computed from the pushed row"), std::string::npos)
      << check.rules[0].second;
  EXPECT_EQ(KindOf([&] { engine.Decide("payments", R"({"account": 1, "amount": 5})"); }),
            Error::Kind::kNotDecidable);
}

TEST(ApiTest, ChainedRulesFeedEachOther) {
  Engine engine;
  engine.Load(kPayments);
  engine.Load(R"sql(
    CREATE TABLE big_accounts (account BIGINT, n BIGINT, PRIMARY KEY (account) NOT ENFORCED)
      WITH ('connector' = 'embedded');
    SET 'client.statement-name' = 'big-accounts';
    INSERT INTO big_accounts SELECT account, COUNT(*) FROM large_payments GROUP BY account;
  )sql");
  Decision decision = engine.Decide("payments", R"({"id": 1, "account": 4, "amount": 500, "country": "NL"})");
  ASSERT_EQ(decision.rows.size(), 2u);
  EXPECT_EQ(decision.rows[0].table(), "large_payments");
  EXPECT_EQ(decision.rows[1].table(), "big_accounts");
  EXPECT_EQ(decision.rows[1].ToJson(), R"({"account":4,"n":1})");
  // An intermediate table that a rule reads is not queued.
  engine.Push("payments", R"({"id": 2, "account": 4, "amount": 500, "country": "NL"})");
  EXPECT_TRUE(engine.Poll("large_payments").empty());
  EXPECT_EQ(engine.Poll("big_accounts").size(), 2u);
}

TEST(ApiTest, RuntimeErrorFailsRule) {
  Engine engine;
  engine.Load(R"sql(
    CREATE TABLE input (s STRING) WITH ('connector' = 'embedded');
    CREATE TABLE output (n INT) WITH ('connector' = 'embedded');
    SET 'client.statement-name' = 'cast';
    INSERT INTO output SELECT CAST(s AS INT) FROM input;
  )sql");
  engine.Push("input", R"({"s": "12"})");
  EXPECT_EQ(engine.Poll("output").size(), 1u);
  EXPECT_EQ(KindOf([&] { engine.Push("input", R"({"s": "twelve"})"); }), Error::Kind::kRuntime);
  auto rules = engine.Rules();
  ASSERT_EQ(rules.size(), 1u);
  EXPECT_TRUE(rules[0].failed);
  EXPECT_FALSE(rules[0].error.empty());
}

/// The fraud rules of rules/, run in process by making every table embedded.
TEST(ApiTest, FraudRulesFlagBurstInline) {
  EngineOptions options;
  options.table_defaults["connector"] = "embedded";
  Engine engine(options);
  engine.LoadFiles({FSQL_SOURCE_DIR "/rules"});
  EXPECT_EQ(engine.Rules().size(), 4u);
  EXPECT_TRUE(engine.CheckDecision("fd.USER_TRANSACTION").allowed);
  int64_t t = 1'700'000'000'000;
  engine.Push("fd.AUTH_USER",
              R"({"before": null, "after": {"ID": 42, "USERNAME": "ada", "EMAIL": "ada@example.com"}, "op": "r"})", t);
  int flagged_at = 0;
  for (int i = 1; i <= 12 && flagged_at == 0; ++i) {
    std::string envelope = R"({"before": null, "after": {"ID": )" + std::to_string(i) +
                           R"(, "AMOUNT": 10.0, "RECEIVED_AT": 0, "IP_ADDRESS": "192.0.2.10", "ACCOUNT_ID": 42},)"
                           R"( "op": "c"})";
    Decision decision = engine.Decide("fd.USER_TRANSACTION", envelope, t + i * 1000);
    if (!decision.RowsOf("flagged_user").empty()) {
      flagged_at = i;
      EXPECT_EQ(decision.RowsOf("flagged_user")[0]->value("USERNAME"), Value(std::string("ada")));
    }
  }
  EXPECT_EQ(flagged_at, 11);
}

/// A rule reading Kafka runs on its own thread and writes an embedded table.
TEST(ApiTest, KafkaRuleWritesEmbeddedTable) {
  auto broker = fsql::kafka::EmbeddedBroker::Start();
  broker->CreateTopic("orders", 1);
  EngineOptions options;
  options.table_defaults["properties.bootstrap.servers"] = broker->BootstrapServers();
  Engine engine(options);
  engine.Load(R"sql(
    CREATE TABLE orders (id BIGINT, item STRING) WITH ('topic' = 'orders');
    CREATE TABLE order_items (item STRING) WITH ('connector' = 'embedded');
    SET 'client.statement-name' = 'items';
    INSERT INTO order_items SELECT UPPER(item) FROM orders;
  )sql");
  ASSERT_FALSE(engine.Rules()[0].in_process);
  auto producer = fsql::kafka::KafkaProducer::Create({{"bootstrap.servers", broker->BootstrapServers()}});
  producer->Produce("orders", std::nullopt, R"({"id": 1, "item": "book"})", 0);
  producer->Flush(std::chrono::seconds(10));
  std::vector<ResultRow> rows;
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (rows.empty() && std::chrono::steady_clock::now() < deadline) {
    rows = engine.Poll("order_items");
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].ToJson(), R"({"item":"BOOK"})");
  engine.Stop();
}

TEST(ApiTest, KafkaWrittenTableCannotFeedInProcessRule) {
  auto broker = fsql::kafka::EmbeddedBroker::Start();
  broker->CreateTopic("orders", 1);
  EngineOptions options;
  options.table_defaults["properties.bootstrap.servers"] = broker->BootstrapServers();
  Engine engine(options);
  // The Kafka rule starts first, then the in-process rule that reads its table
  // is rejected, and the Kafka rule of the same text is stopped again.
  EXPECT_EQ(KindOf([&] {
              engine.Load(R"sql(
                CREATE TABLE orders (id BIGINT, item STRING) WITH ('topic' = 'orders');
                CREATE TABLE order_items (item STRING) WITH ('connector' = 'embedded');
                CREATE TABLE item_lengths (n INT) WITH ('connector' = 'embedded');
                SET 'client.statement-name' = 'items';
                INSERT INTO order_items SELECT item FROM orders;
                SET 'client.statement-name' = 'lengths';
                INSERT INTO item_lengths SELECT CHAR_LENGTH(item) FROM order_items;
              )sql");
            }),
            Error::Kind::kInvalidRule);
  EXPECT_TRUE(engine.Rules().empty());
}

TEST(CApiTest, EveryCallAndItsErrors) {
  EXPECT_EQ(fsql_create("no equals sign"), nullptr);
  EXPECT_NE(std::string(fsql_last_error()).find("key=value"), std::string::npos);

  fsql_engine* engine = fsql_create("connector=embedded\n");
  ASSERT_NE(engine, nullptr);
  EXPECT_EQ(fsql_load(engine, "CREATE TABLE t (a BIGINT);\nINSERT INTO t SELECT b FROM t;", "c.fsql"),
            FSQL_ERR_INVALID_RULE);
  EXPECT_NE(std::string(fsql_last_error()).find("c.fsql:2:"), std::string::npos) << fsql_last_error();
  EXPECT_EQ(fsql_load(engine, kPayments, nullptr), FSQL_OK);
  EXPECT_STREQ(fsql_last_error(), "");
  EXPECT_EQ(fsql_load_file(engine, "/nonexistent.fsql"), FSQL_ERR_INVALID_RULE);

  EXPECT_EQ(fsql_push_json(engine, "payments", R"({"id": 1, "account": 2, "amount": 300, "country": "NL"})",
                           FSQL_NO_EVENT_TIME),
            FSQL_OK);
  EXPECT_EQ(fsql_push_json(engine, "nope", "{}", FSQL_NO_EVENT_TIME), FSQL_ERR_NOT_FOUND);
  EXPECT_EQ(fsql_push_json(engine, "payments", "[1,", FSQL_NO_EVENT_TIME), FSQL_ERR_INVALID_ROW);
  EXPECT_EQ(fsql_push_json(engine, nullptr, "{}", 0), FSQL_ERR_INVALID_ARGUMENT);

  char* polled = fsql_poll_json(engine, "large_payments", 0);
  ASSERT_NE(polled, nullptr);
  EXPECT_STREQ(polled,
               "{\"rule\":\"large\",\"table\":\"large_payments\",\"kind\":\"+I\",\"row\":"
               "{\"id\":1,\"account\":2,\"amount\":300}}\n");
  fsql_free_string(polled);
  EXPECT_EQ(fsql_poll_json(engine, "nope", 0), nullptr);

  char* decided = fsql_decide_json(engine, "payments", R"({"id": 2, "account": 2, "amount": 1, "country": "NL"})",
                                   FSQL_NO_EVENT_TIME);
  ASSERT_NE(decided, nullptr);
  EXPECT_STREQ(decided, "");
  fsql_free_string(decided);
  EXPECT_EQ(fsql_decide_json(engine, "nope", "{}", FSQL_NO_EVENT_TIME), nullptr);
  EXPECT_NE(std::string(fsql_last_error()).find("not found"), std::string::npos) << fsql_last_error();
  EXPECT_EQ(fsql_advance_watermark(engine, "payments", 4'000'000'000'000), FSQL_OK);

  EXPECT_EQ(fsql_stop(engine), FSQL_OK);
  EXPECT_EQ(fsql_push_json(engine, "payments", "{}", FSQL_NO_EVENT_TIME), FSQL_ERR_STOPPED);
  EXPECT_EQ(fsql_decide_json(engine, "payments", "{}", FSQL_NO_EVENT_TIME), nullptr);
  fsql_destroy(engine);
  fsql_destroy(nullptr);
  fsql_free_string(nullptr);
}

}  // namespace
