// Throughput of the fraud rules in rules/, interpreted and compiled, in one run.
//
// The input is the demo's traffic: a snapshot of 5000 users and 20000 normal
// transactions 50 ms apart (seed 42), with one injected fraud of the four
// kinds every 500 transactions, as Debezium envelopes. The two cleaning
// rules read those envelopes; the detection rules read what the cleaning rules
// wrote, encoded as the sink would write it. Each iteration builds the rule's
// operators afresh and pushes every record through JSON decoding, the
// operators and the sink, on one thread, so items per second are records per
// second per core. Building the operators includes compiling their Calcs, but
// the process-wide compile cache makes that a lookup after the first iteration.
//
// Run: build/bench/rules_benchmark [--benchmark_min_time=2]
#include <map>

#include <benchmark/benchmark.h>
#include <fmt/format.h>

#include "api/rule_loader.h"
#include "examples/traffic/generator.h"
#include "runtime/formats/json_format.h"

namespace fsql {
namespace {

constexpr int kTransactions = 20000;
constexpr int64_t kStartMs = 1'700'000'000'000;
constexpr int64_t kSpacingMs = 50;

struct Record {
  std::string table;
  std::optional<std::string> key;
  std::optional<std::string> value;
  int64_t timestamp_ms = 0;
};

/// Loads rules/ with the codegen mode set before the first statement.
std::unique_ptr<LoadedRules> LoadRules(const std::string& mode) {
  std::vector<RuleSource> sources{{"<benchmark>", fmt::format("SET 'table.exec.codegen.mode' = '{}';", mode)}};
  if (auto error = ReadRuleFiles(ExpandRulePaths({FSQL_SOURCE_DIR "/rules"}), sources)) {
    throw std::runtime_error(error->rendered);
  }
  auto loaded = std::make_unique<LoadedRules>();
  if (auto error = LoadRuleSources(sources, *loaded)) throw std::runtime_error(error->rendered);
  return loaded;
}

const RulePlan& FindRule(const LoadedRules& loaded, const std::string& name) {
  for (const auto& rule : loaded.rules) {
    if (rule.name == name) return rule;
  }
  throw std::runtime_error("no rule named " + name);
}

/// Pushes `records` through `rule`'s operators; returns the sink rows.
std::vector<Row> Run(const RulePlan& rule, const std::vector<Record>& records) {
  Pipeline pipeline = BuildPipeline(rule);
  auto* sink = pipeline.Add<CollectSinkOperator>();
  pipeline.output->Connect(sink, 0);
  std::map<std::string, std::unique_ptr<JsonRowDecoder>> decoders;
  for (const auto& source : pipeline.sources) {
    decoders.emplace(source.table->name, std::make_unique<JsonRowDecoder>(*source.table));
  }
  std::vector<Row> rows;
  int64_t offset = 0;
  for (const Record& record : records) {
    auto decoder = decoders.find(record.table);
    if (decoder == decoders.end()) continue;
    rows.clear();
    RecordRef ref{&record.table, 0, offset++, record.timestamp_ms, &record.key, &record.value};
    decoder->second->Decode(ref, rows);
    pipeline.SetProcessingTime(record.timestamp_ms);
    for (const auto& source : pipeline.sources) {
      if (source.table->name == record.table) source.entry->ProcessBatch(0, rows);
    }
  }
  for (const auto& source : pipeline.sources) source.entry->ProcessWatermark(0, INT64_MAX);
  return sink->rows();
}

/// Generates the demo's CDC traffic, by source table name.
std::vector<Record> CdcTraffic() {
  traffic::GeneratorOptions options;
  options.user_count = 5000;  // enough accounts for 20 transactions a second under the rules' limits
  traffic::TrafficGenerator generator(options);
  std::vector<Record> records;
  for (const auto& user : generator.UserSnapshot(kStartMs)) {
    records.push_back({"fd.AUTH_USER", user.key, user.value, user.timestamp_ms});
  }
  const traffic::FraudKind kinds[] = {traffic::FraudKind::kBurstCount, traffic::FraudKind::kBurstAmount,
                                       traffic::FraudKind::kLargeAmount, traffic::FraudKind::kForeignIp};
  for (int i = 0; i < kTransactions; ++i) {
    int64_t now = kStartMs + i * kSpacingMs;
    traffic::CdcRecord tx = generator.NormalTransaction(now);
    records.push_back({"fd.USER_TRANSACTION", tx.key, tx.value, tx.timestamp_ms});
    // One fraud every 500 transactions, so the detection rules have work to emit.
    if (i % 500 == 499) {
      for (const auto& fraud : generator.InjectFraud(kinds[(i / 500) % 4], now).first) {
        records.push_back({"fd.USER_TRANSACTION", fraud.key, fraud.value, fraud.timestamp_ms});
      }
    }
  }
  return records;
}

/// Returns what the cleaning rules write: their sink rows encoded as JSON records of
/// the tables the detection rules read, in the input's order.
std::vector<Record> CleanedTraffic(const LoadedRules& loaded, const std::vector<Record>& cdc) {
  std::vector<Record> out;
  for (const char* name : {"auth-user-cleaning", "user-transaction-cleaning"}) {
    const RulePlan& rule = FindRule(loaded, name);
    JsonRowEncoder encoder(*rule.sink);
    int64_t time = kStartMs;
    for (const Row& row : Run(rule, cdc)) {
      if (row.kind() == RowKind::kUpdateBefore) continue;
      std::optional<std::string> key;
      if (encoder.has_key()) key = encoder.EncodeKey(row.view());
      std::optional<std::string> value;
      if (row.kind() != RowKind::kDelete) value = encoder.EncodeValue(row.view());
      int64_t at = row.event_time() == kNoTime ? time : row.event_time();
      out.push_back({rule.sink->name, key, value, at});
      time = at;
    }
  }
  std::stable_sort(out.begin(), out.end(), [](const Record& a, const Record& b) { return a.timestamp_ms < b.timestamp_ms; });
  return out;
}

struct Inputs {
  std::vector<Record> cdc;
  std::vector<Record> cleaned;
};

const Inputs& TrafficInputs() {
  static const Inputs inputs = [] {
    Inputs built;
    built.cdc = CdcTraffic();
    built.cleaned = CleanedTraffic(*LoadRules("interpret"), built.cdc);
    return built;
  }();
  return inputs;
}

void BM_Rule(benchmark::State& state, const std::string& name, const std::string& mode) {
  auto loaded = LoadRules(mode);
  const RulePlan& rule = FindRule(*loaded, name);
  bool reads_cdc = name == "user-transaction-cleaning" || name == "auth-user-cleaning";
  const std::vector<Record>& records = reads_cdc ? TrafficInputs().cdc : TrafficInputs().cleaned;
  size_t outputs = 0;
  for (auto _ : state) outputs = Run(rule, records).size();
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * records.size()));
  state.counters["records"] = static_cast<double>(records.size());
  state.counters["outputs"] = static_cast<double>(outputs);
}

}  // namespace
}  // namespace fsql

int main(int argc, char** argv) {
  for (const char* rule :
       {"user-transaction-cleaning", "auth-user-cleaning", "flagged-user-detection", "foreign-ip-detection"}) {
    for (const char* mode : {"interpret", "jit"}) {
      benchmark::RegisterBenchmark(fmt::format("{}/{}", rule, mode).c_str(), fsql::BM_Rule, rule, mode)
          ->Unit(benchmark::kMillisecond);
    }
  }
  benchmark::Initialize(&argc, argv);
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
