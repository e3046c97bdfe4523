// Front-end speed on a large rule file: parsing alone, and parsing with
// binding, validation and optimisation (everything `fsql check` does), in
// statements per second.
//
// The file holds kAccounts groups of statements shaped like the fraud rules: a
// Debezium source, a cleaning INSERT that unwraps the envelope, an upsert user
// table, a 10-minute OVER aggregation joined with the user row and reduced to
// the latest row per account, an IP allow-list filter, and a HOP window count.
// The group is repeated with distinct table names, so the catalog grows as it
// would in a large deployment.
#include <benchmark/benchmark.h>
#include <fmt/format.h>

#include "compiler/parser/parser.h"
#include "compiler/planner/planner.h"

namespace fsql {
namespace {

constexpr int kGroups = 50;

std::string RuleGroup(int n) {
  return fmt::format(R"sql(
CREATE TABLE tx_cdc_{0} (
  `before` ROW<ID DOUBLE, AMOUNT DOUBLE, RECEIVED_AT BIGINT, IP_ADDRESS STRING, ACCOUNT_ID BIGINT>,
  `after` ROW<ID DOUBLE, AMOUNT DOUBLE, RECEIVED_AT BIGINT, IP_ADDRESS STRING, ACCOUNT_ID BIGINT>,
  op STRING,
  ts_ms BIGINT
) WITH ('connector' = 'kafka', 'topic' = 'tx-cdc-{0}', 'value.format' = 'json', 'changelog.mode' = 'append');

CREATE TABLE tx_{0} (
  ID DOUBLE, AMOUNT DOUBLE, RECEIVED_AT BIGINT, IP_ADDRESS STRING, ACCOUNT_ID BIGINT
) WITH ('connector' = 'kafka', 'topic' = 'tx-{0}', 'value.format' = 'json');

CREATE TABLE users_{0} (
  ID BIGINT NOT NULL, USERNAME STRING, EMAIL STRING, IS_ACTIVE BOOLEAN,
  PRIMARY KEY (ID) NOT ENFORCED
) WITH ('connector' = 'kafka', 'topic' = 'users-{0}', 'value.format' = 'json', 'changelog.mode' = 'upsert');

CREATE TABLE flagged_{0} (
  ACCOUNT_ID BIGINT NOT NULL, USERNAME STRING, total_amount DOUBLE, transaction_count BIGINT,
  PRIMARY KEY (ACCOUNT_ID) NOT ENFORCED
) WITH ('connector' = 'kafka', 'topic' = 'flagged-{0}', 'value.format' = 'json', 'changelog.mode' = 'upsert');

CREATE TABLE foreign_{0} (ID DOUBLE, ACCOUNT_ID BIGINT, IP_ADDRESS STRING, LAST_OCTET STRING)
  WITH ('connector' = 'kafka', 'topic' = 'foreign-{0}', 'value.format' = 'json');

CREATE TABLE velocity_{0} (ACCOUNT_ID BIGINT, window_end TIMESTAMP(3), n BIGINT)
  WITH ('connector' = 'kafka', 'topic' = 'velocity-{0}', 'value.format' = 'json');

SET 'client.statement-name' = 'clean-{0}';
INSERT INTO tx_{0}
SELECT after.ID, after.AMOUNT, after.RECEIVED_AT, after.IP_ADDRESS, after.ACCOUNT_ID
FROM tx_cdc_{0} WHERE op IN ('c', 'r') AND after.ACCOUNT_ID IS NOT NULL;

SET 'client.statement-name' = 'flag-{0}';
INSERT INTO flagged_{0}
SELECT ACCOUNT_ID, USERNAME, total_amount, transaction_count FROM (
  SELECT t.ACCOUNT_ID, u.USERNAME, t.total_amount, t.transaction_count,
         ROW_NUMBER() OVER (PARTITION BY t.ACCOUNT_ID ORDER BY t.transaction_time DESC) AS row_num
  FROM (
    SELECT ACCOUNT_ID, `$rowtime` AS transaction_time,
      SUM(AMOUNT) OVER w AS total_amount,
      COUNT(*) OVER w AS transaction_count
    FROM tx_{0}
    WINDOW w AS (PARTITION BY ACCOUNT_ID ORDER BY `$rowtime`
                 RANGE BETWEEN INTERVAL '10' MINUTE PRECEDING AND CURRENT ROW)
  ) AS t
  JOIN users_{0} AS u ON t.ACCOUNT_ID = u.ID
  WHERE (t.total_amount > 1000 OR t.transaction_count > 10) AND u.IS_ACTIVE
) WHERE row_num = 1;

SET 'client.statement-name' = 'foreign-{0}';
INSERT INTO foreign_{0}
SELECT ID, ACCOUNT_ID, IP_ADDRESS,
  CASE WHEN IP_ADDRESS LIKE '192.0.2.%' THEN 'doc' WHEN IP_ADDRESS LIKE '10.%' THEN 'private' ELSE 'other' END
FROM tx_{0}
WHERE IP_ADDRESS NOT IN ('192.0.2.10', '192.0.2.11', '192.0.2.12', '198.51.100.10', '198.51.100.11')
  AND AMOUNT BETWEEN 1 AND 100000;

SET 'client.statement-name' = 'velocity-{0}';
INSERT INTO velocity_{0}
SELECT ACCOUNT_ID, window_end, COUNT(*)
FROM TABLE(HOP(TABLE tx_{0}, DESCRIPTOR(`$rowtime`), INTERVAL '1' MINUTE, INTERVAL '5' MINUTE))
GROUP BY ACCOUNT_ID, window_start, window_end
HAVING COUNT(*) > 3;
)sql",
                     n);
}

const std::string& RuleFile() {
  static const std::string text = [] {
    std::string out;
    for (int i = 0; i < kGroups; ++i) out += RuleGroup(i);
    return out;
  }();
  return text;
}

size_t StatementCount() { return ParseScript(RuleFile(), "rules.fsql").size(); }

void BM_Parse(benchmark::State& state) {
  const std::string& text = RuleFile();
  size_t statements = StatementCount();
  for (auto _ : state) {
    auto parsed = ParseScript(text, "rules.fsql");
    benchmark::DoNotOptimize(parsed);
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * statements));
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * text.size()));
  state.counters["statements"] = static_cast<double>(statements);
}
BENCHMARK(BM_Parse)->Unit(benchmark::kMillisecond);

void BM_ParseBindPlan(benchmark::State& state) {
  const std::string& text = RuleFile();
  size_t statements = StatementCount();
  size_t rules = 0;
  for (auto _ : state) {
    Catalog catalog;
    SessionConfig config;
    ScriptPlanner planner(catalog, config);
    auto planned = planner.PlanScript(text, "rules.fsql");
    rules = planned.size();
    benchmark::DoNotOptimize(planned);
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * statements));
  state.counters["statements"] = static_cast<double>(statements);
  state.counters["rules"] = static_cast<double>(rules);
}
BENCHMARK(BM_ParseBindPlan)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace fsql
