// `fsql demo`: the embedded broker, the traffic generator and the fraud rules
// in one process, printing each detection as it appears in the output topics.
#include <algorithm>
#include <iostream>
#include <map>
#include <mutex>
#include <thread>

#include <simdjson.h>

#include "cli/cli_util.h"
#include "cli/commands.h"
#include "examples/traffic/traffic_writer.h"
#include "runtime/common/logging.h"

namespace fsql::cli {

namespace {

using traffic::FraudKind;
using traffic::InjectedFraud;

struct Injection {
  InjectedFraud fraud;
  int64_t written_at_ms = 0;
  int64_t detected_at_ms = 0;  // 0 until detected
};

/// Matches detections read from the output topics against injected frauds.
class DetectionLedger {
 public:
  void Injected(const InjectedFraud& fraud, int64_t written_at_ms) {
    std::lock_guard<std::mutex> lock(mutex_);
    injections_.push_back(Injection{fraud, written_at_ms, 0});
  }

  /// Returns the injection a flagged account or transaction belongs to, marking
  /// it detected at `now_ms`; nullptr for a false positive.
  const Injection* Detect(bool user_rule, int64_t account_id, int64_t transaction_id, int64_t now_ms) {
    std::lock_guard<std::mutex> lock(mutex_);
    for (auto& injection : injections_) {
      bool foreign = injection.fraud.kind == FraudKind::kForeignIp;
      if (foreign == user_rule) continue;
      bool match = user_rule ? injection.fraud.account_id == account_id
                             : injection.fraud.transactions.front().id == transaction_id;
      if (!match) continue;
      if (injection.detected_at_ms == 0) injection.detected_at_ms = now_ms;
      return &injection;
    }
    ++false_positives_;
    return nullptr;
  }

  std::vector<Injection> injections() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return injections_;
  }
  int false_positives() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return false_positives_;
  }

 private:
  mutable std::mutex mutex_;
  std::vector<Injection> injections_;
  int false_positives_ = 0;
};

/// Reads a field into `out`, leaving it unchanged when the field is missing or of another type.
template <typename T>
void Read(simdjson::dom::element row, const char* field, T& out) {
  T value;
  if (!row[field].get(value)) out = value;
}

double Seconds(int64_t millis) { return static_cast<double>(millis) / 1000.0; }

/// Prints one flagged_user or flagged_transaction record.
void Report(const kafka::KafkaMessage& message, DetectionLedger& ledger, int64_t start_ms) {
  int64_t now = traffic::WallClockMillis();
  std::string clock = fmt::format("[{:6.2f}s]", Seconds(now - start_ms));
  if (!message.value) {
    std::cout << fmt::format("{} {} cleared for key {}", clock, message.topic, message.key.value_or("")) << std::endl;
    return;
  }
  simdjson::dom::parser parser;
  simdjson::dom::element row;
  if (parser.parse(*message.value).get(row)) {
    std::cout << clock << " unreadable output record: " << *message.value << std::endl;
    return;
  }
  bool user_rule = message.topic == "flagged_user";
  int64_t account = 0, transaction = 0;
  Read(row, "ACCOUNT_ID", account);
  if (!user_rule) Read(row, "ID", transaction);
  const Injection* injection = ledger.Detect(user_rule, account, transaction, now);
  std::string latency = injection ? fmt::format("{:.3f} s after injection", Seconds(now - injection->written_at_ms))
                                  : "NOT INJECTED (false positive)";
  if (user_rule) {
    std::string_view username;
    double total = 0;
    int64_t count = 0;
    Read(row, "USERNAME", username);
    Read(row, "total_amount", total);
    Read(row, "transaction_count", count);
    std::cout << fmt::format("{} FLAGGED USER account {} ({}): {} transaction(s) totalling {:.2f} in 10 min; {}", clock,
                             account, username, count, total, latency)
              << std::endl;
  } else {
    std::string_view ip;
    double amount = 0;
    Read(row, "IP_ADDRESS", ip);
    Read(row, "AMOUNT", amount);
    std::cout << fmt::format("{} FLAGGED TRANSACTION {} of account {}: {:.2f} from {}; {}", clock, transaction,
                             account, amount, ip, latency)
              << std::endl;
  }
}

void PrintDemoUsage() {
  std::cout << R"(usage: fsql demo [options]

Starts the embedded Kafka broker, the traffic generator and the rules, and
prints every flagged user and transaction as it appears.

  --duration SECONDS   run this long, then print a summary (default 30)
  --rate N             normal transactions per second (default 20)
  --fraud-every SECS   inject a fraud every SECS seconds, cycling through the four kinds (default 2)
  --seed N             generator seed (default 42)
  --rules DIR          rule files (default: rules/)
)";
}

}  // namespace

int Demo(const std::vector<std::string>& args) {
  Arguments parsed =
      Arguments::Parse(args, {"duration", "rate", "fraud-every", "seed", "rules", "log-level"}, {"help"});
  if (parsed.Has("help")) {
    PrintDemoUsage();
    return 0;
  }
  SetLogLevel(parsed.Get("log-level", "warn"));
  // Every option is checked before the broker and threads start.
  double rate = parsed.GetDouble("rate", 20);
  double fraud_every = parsed.GetDouble("fraud-every", 2);
  double duration = parsed.GetDouble("duration", 30);
  uint64_t seed = static_cast<uint64_t>(parsed.GetInt("seed", 42));
  if (rate <= 0) throw UsageError(fmt::format("--rate must be positive, got {}", rate));
  if (fraud_every < 0) throw UsageError(fmt::format("--fraud-every must be 0 or more, got {}", fraud_every));
  if (duration < 0) throw UsageError(fmt::format("--duration must be 0 or more, got {}", duration));
  auto broker = kafka::EmbeddedBroker::Start(1);
  std::string bootstrap = broker->BootstrapServers();
  std::cout << "embedded Kafka broker at " << bootstrap << std::endl;

  LoadedRules loaded;
  loaded.config.default_table_options["properties.bootstrap.servers"] = bootstrap;
  if (!LoadRuleFiles(ExpandRulePaths({parsed.Get("rules", DefaultRulesDirectory())}), loaded)) return 2;
  CreateTableTopics(loaded, *broker);

  InstallStopSignals();
  auto jobs = StartRules(loaded);
  for (const auto& job : jobs) std::cout << "rule running: " << job->name() << std::endl;
  if (!WaitForAssignments(jobs, std::chrono::seconds(30))) {
    spdlog::warn("some rules have no partitions after 30 s; detections may start late");
  }

  int64_t start_ms = traffic::WallClockMillis();
  DetectionLedger ledger;
  std::atomic<bool> done{false};

  kafka::ConsumerOptions watch;
  watch.properties = {{"bootstrap.servers", bootstrap}, {"group.id", "fsql-demo-watch"}};
  watch.topics = {"flagged_user", "flagged_transaction"};
  watch.startup_mode = kafka::StartupMode::kEarliestOffset;
  auto watcher_consumer = kafka::KafkaConsumer::Create(watch);
  std::atomic<bool> watching{false};
  std::thread watcher([&] {
    while (!done) {
      for (const auto& message : watcher_consumer->Poll(100, std::chrono::milliseconds(50)).messages) {
        Report(message, ledger, start_ms);
      }
      if (!watching && !watcher_consumer->Assignment().empty()) watching = true;
    }
  });
  WaitUntil([&] { return watching.load(); }, std::chrono::seconds(30));
  std::cout << "traffic starting" << std::endl;

  auto producer = kafka::KafkaProducer::Create({{"bootstrap.servers", bootstrap}});
  traffic::GeneratorOptions generator_options;
  generator_options.seed = seed;
  traffic::TrafficGenerator generator(generator_options);
  traffic::TrafficWriter writer(generator, *producer);
  writer.WriteSnapshot();

  traffic::TrafficSchedule schedule;
  schedule.transactions_per_second = rate;
  schedule.fraud_interval = std::chrono::milliseconds(static_cast<int64_t>(fraud_every * 1000));
  auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(static_cast<int64_t>(duration * 1000));
  writer.Run(
      schedule, [&] { return StopRequested() || std::chrono::steady_clock::now() >= deadline; },
      [&](const InjectedFraud& fraud, int64_t written_at) {
        ledger.Injected(fraud, written_at);
        std::cout << fmt::format("[{:6.2f}s] injected {} into account {}: {} transaction(s), total {:.2f}",
                                 Seconds(written_at - start_ms), FraudKindName(fraud.kind), fraud.account_id,
                                 fraud.transactions.size(), fraud.total_amount)
                  << std::endl;
      });
  producer->Flush(std::chrono::seconds(10));
  // Keep normal traffic out; give the last detections a moment to arrive.
  std::this_thread::sleep_for(std::chrono::seconds(2));
  done = true;
  watcher.join();
  watcher_consumer->Close();
  for (auto& job : jobs) job->Stop();

  std::vector<Injection> injections = ledger.injections();
  std::vector<double> latencies;
  int missed = 0;
  std::map<std::string, std::pair<int, int>> by_kind;  // injected, detected
  for (const auto& injection : injections) {
    auto& counts = by_kind[FraudKindName(injection.fraud.kind)];
    ++counts.first;
    if (injection.detected_at_ms > 0) {
      ++counts.second;
      latencies.push_back(Seconds(injection.detected_at_ms - injection.written_at_ms));
    } else {
      ++missed;
    }
  }
  std::sort(latencies.begin(), latencies.end());
  std::cout << "\nsummary\n";
  std::cout << fmt::format("  normal and fraud records written: {}\n", writer.records_written());
  for (const auto& [kind, counts] : by_kind) {
    std::cout << fmt::format("  {:<13} injected {:3}  detected {:3}\n", kind, counts.first, counts.second);
  }
  if (!latencies.empty()) {
    std::cout << fmt::format("  detection latency: median {:.3f} s, max {:.3f} s\n", latencies[latencies.size() / 2],
                             latencies.back());
  }
  std::cout << fmt::format("  false positives: {}\n", ledger.false_positives());
  int failed_jobs = 0;
  for (const auto& job : jobs) {
    JobStatus status = job->status();
    if (status.state == JobState::kFailed) {
      ++failed_jobs;
      std::cout << fmt::format("  rule {} failed: {}\n", job->name(), status.error);
    }
  }
  bool ok = missed == 0 && ledger.false_positives() == 0 && failed_jobs == 0;
  std::cout << (ok ? "  every injected fraud was flagged, and nothing else\n" : "  DEMO FAILED\n");
  return ok ? 0 : 1;
}

}  // namespace fsql::cli
