#include "bench/nexmark/fraud_bench.h"

#include <algorithm>
#include <cstdio>

#include <fmt/format.h>

#include "bench/nexmark/query_runner.h"
#include "examples/traffic/generator.h"
#include "runtime/formats/json_format.h"

namespace fsql::bench {

namespace {

constexpr int64_t kStartMs = 1'767'225'600'000;
constexpr size_t kBatchSize = 1000;
constexpr int kFraudEvery = 500;  // normal transactions between two injected frauds

/// Records of several tables, in the order a consumer would read them.
struct RecordSet {
  std::vector<std::string> tables;  // one entry per table, so InputRecord can point at it
  std::vector<const std::string*> table_of;
  std::vector<std::optional<std::string>> values;
  std::vector<int64_t> times;

  const std::string* Table(const std::string& name) {
    for (const auto& table : tables) {
      if (table == name) return &table;
    }
    throw std::runtime_error("unknown table " + name);
  }
  void Add(const std::string* table, std::optional<std::string> value, int64_t time) {
    table_of.push_back(table);
    values.push_back(std::move(value));
    times.push_back(time);
  }
};

RecordSource SourceOf(const RecordSet& records) {
  return [&records](const std::function<void(const std::vector<InputRecord>&)>& consume) {
    std::vector<InputRecord> batch;
    for (size_t i = 0; i < records.values.size(); ++i) {
      batch.push_back({records.table_of[i], &records.values[i], records.times[i]});
      if (batch.size() == kBatchSize) {
        consume(batch);
        batch.clear();
      }
    }
    if (!batch.empty()) consume(batch);
  };
}

RecordSet CdcTraffic(const FraudBenchOptions& options, int64_t& user_records) {
  traffic::GeneratorOptions generator_options;
  generator_options.user_count = static_cast<int>(options.accounts);
  traffic::TrafficGenerator generator(generator_options);
  RecordSet records;
  records.tables = {generator_options.user_topic, generator_options.transaction_topic};
  const std::string* users = records.Table(generator_options.user_topic);
  const std::string* transactions = records.Table(generator_options.transaction_topic);
  for (auto& user : generator.UserSnapshot(kStartMs)) records.Add(users, std::move(user.value), user.timestamp_ms);
  user_records = static_cast<int64_t>(records.values.size());
  const traffic::FraudKind kinds[] = {traffic::FraudKind::kBurstCount, traffic::FraudKind::kBurstAmount,
                                       traffic::FraudKind::kLargeAmount, traffic::FraudKind::kForeignIp};
  for (int64_t i = 0; i < options.transactions; ++i) {
    int64_t now = kStartMs + i * options.spacing_ms;
    traffic::CdcRecord tx = generator.NormalTransaction(now);
    records.Add(transactions, std::move(tx.value), tx.timestamp_ms);
    if (i % kFraudEvery == kFraudEvery - 1) {
      for (auto& fraud : generator.InjectFraud(kinds[(i / kFraudEvery) % 4], now).first) {
        records.Add(transactions, std::move(fraud.value), fraud.timestamp_ms);
      }
    }
  }
  return records;
}

/// Encodes a cleaning rule's sink rows as the records of its sink table.
void AddSinkRecords(const RulePlan& rule, const std::vector<Row>& rows, RecordSet& out,
                    std::vector<std::tuple<int64_t, size_t>>& order) {
  JsonRowEncoder encoder(*rule.sink);
  const std::string* table = out.Table(rule.sink->name);
  int64_t time = kStartMs;
  for (const Row& row : rows) {
    if (row.kind() == RowKind::kUpdateBefore) continue;
    std::optional<std::string> value;
    if (row.kind() != RowKind::kDelete) value = encoder.EncodeValue(row.view());
    time = row.event_time() == kNoTime ? time : row.event_time();
    order.emplace_back(time, out.values.size());
    out.Add(table, std::move(value), time);
  }
}

void PrintRow(const std::string& rule, const FraudBenchOptions& options, const RunStats& stats) {
  double rate = static_cast<double>(stats.records) / stats.cpu_seconds;
  std::printf("| %s | %lld | %s | %lld | %lld | %.2f M/s | %.2f | %.0f MB |\n", rule.c_str(),
              static_cast<long long>(options.accounts), options.mode.c_str(), static_cast<long long>(stats.records),
              static_cast<long long>(stats.output_rows), rate / 1e6, stats.cpu_seconds / stats.wall_seconds,
              static_cast<double>(stats.state_bytes) / 1e6);
  std::fflush(stdout);
}

}  // namespace

void RunFraudBench(const FraudBenchOptions& options) {
  std::vector<RuleSource> sources{{"<benchmark>", fmt::format("SET 'table.exec.codegen.mode' = '{}';", options.mode)}};
  if (auto error = ReadRuleFiles(ExpandRulePaths({options.rules_dir}), sources)) {
    throw std::runtime_error(error->rendered);
  }
  auto loaded = LoadRules(sources);

  int64_t user_records = 0;
  RecordSet cdc = CdcTraffic(options, user_records);

  RecordSet cleaned;
  cleaned.tables = {"auth_user", "user_transaction"};
  std::vector<std::tuple<int64_t, size_t>> order;
  for (const char* name : {"auth-user-cleaning", "user-transaction-cleaning"}) {
    const RulePlan& rule = FindRule(*loaded, name);
    std::vector<Row> rows;
    RunStats stats = RunRule(rule, SourceOf(cdc), &rows);
    PrintRow(name, options, stats);
    AddSinkRecords(rule, rows, cleaned, order);
  }
  cdc = RecordSet();

  // The detection rules read both cleaned tables in event-time order, users first.
  std::stable_sort(order.begin(), order.end(),
                   [](const auto& a, const auto& b) { return std::get<0>(a) < std::get<0>(b); });
  RecordSet merged;
  merged.tables = cleaned.tables;
  for (const auto& [time, index] : order) {
    merged.Add(merged.Table(*cleaned.table_of[index]), std::move(cleaned.values[index]), time);
  }
  cleaned = RecordSet();

  for (const char* name : {"flagged-user-detection", "foreign-ip-detection"}) {
    RunStats stats = RunRule(FindRule(*loaded, name), SourceOf(merged));
    PrintRow(name, options, stats);
  }
  std::printf("\n%lld user records, %lld transaction records; peak RSS %.0f MB\n",
              static_cast<long long>(user_records),
              static_cast<long long>(merged.values.size()) - static_cast<long long>(user_records),
              static_cast<double>(PeakRssBytes()) / 1e6);
}

}  // namespace fsql::bench
