#include "bench/nexmark/kafka_bench.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <thread>

#include <fmt/format.h>

#include "bench/nexmark/generator.h"
#include "bench/nexmark/query_runner.h"
#include "cli/cli_util.h"
#include "examples/traffic/generator.h"
#include "runtime/connectors/kafka.h"
#include "runtime/formats/json_format.h"
#include "runtime/job/rule_job.h"

namespace fsql::bench {

namespace {

using Clock = std::chrono::system_clock;

constexpr int64_t kMaxBacklog = 3'000;  // about 3 MB of the fraud traffic's user records

int64_t NowMillis() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now().time_since_epoch()).count();
}

double NowMillisPrecise() {
  return std::chrono::duration<double, std::milli>(Clock::now().time_since_epoch()).count();
}

struct Message {
  const std::string* topic = nullptr;
  std::optional<std::string> value;
  int64_t timestamp_ms = 0;
};

/// Generates the input records of one benchmark. A throughput run calls Next
/// with increasing times without waiting, and a latency run calls it when
/// each record is due.
class Workload {
 public:
  virtual ~Workload() = default;
  virtual std::vector<RuleSource> Sources() const = 0;
  /// Records written before the jobs start, such as a user snapshot.
  virtual std::vector<Message> Preload(int64_t now_ms) = 0;
  /// Called once before the first Next, with the time of the first record.
  virtual void Begin(int64_t start_ms) {}
  /// Appends the records of input step `index`, due at `time_ms`.
  virtual void Next(int64_t index, int64_t time_ms, std::vector<Message>& out) = 0;
  /// The rule whose output is measured, and the number of records it reads
  /// for `inputs` paced records (after the preload).
  virtual std::string MeasuredRule() const = 0;
  virtual int64_t MeasuredReads(int64_t inputs) const = 0;
  /// The time of the input record an output record stems from.
  virtual std::optional<int64_t> OriginMillis(const kafka::KafkaMessage& output) const = 0;
};

class NexmarkWorkload : public Workload {
 public:
  explicit NexmarkWorkload(const KafkaBenchOptions& options) : options_(options) {}

  /// Event time starts at `start_ms` and runs at the input rate, so each
  /// event's dateTime is the time it is due to be written.
  void Begin(int64_t start_ms) override {
    nexmark::NexmarkOptions generator_options;
    generator_options.base_time_ms = start_ms;
    // A throughput run writes all events first; give them a rate that keeps
    // event time within minutes of now.
    generator_options.event_rate = options_.rate > 0 ? options_.rate : 100'000;
    generator_ = std::make_unique<nexmark::NexmarkGenerator>(generator_options);
  }

  std::vector<RuleSource> Sources() const override {
    std::string dir = options_.query.substr(0, options_.query.rfind('/') + 1);
    return {{"<benchmark>", fmt::format("SET 'table.exec.codegen.mode' = '{}';", options_.mode)},
            ReadRuleSource(dir + "../nexmark.sql"), ReadRuleSource(options_.query)};
  }
  std::vector<Message> Preload(int64_t) override { return {}; }
  void Next(int64_t, int64_t, std::vector<Message>& out) override {
    nexmark::Event event = generator_->Next();
    out.push_back({&topic_, std::move(event.json), event.time_ms});
  }
  std::string MeasuredRule() const override {
    std::string name = options_.query.substr(options_.query.rfind('/') + 1);
    return name.substr(0, name.rfind('.'));
  }
  int64_t MeasuredReads(int64_t inputs) const override { return inputs; }
  /// Returns the output record's timestamp. The sink writes each row with its
  /// event time, which for the stateless queries is the bid's dateTime, the time it was due.
  std::optional<int64_t> OriginMillis(const kafka::KafkaMessage& output) const override {
    if (output.timestamp_ms <= 0) return std::nullopt;
    return output.timestamp_ms;
  }

 private:
  KafkaBenchOptions options_;
  std::unique_ptr<nexmark::NexmarkGenerator> generator_;
  const std::string topic_ = "nexmark";
};

/// The fraud demo's CDC traffic through all four rules; the flagged-user rule
/// is measured, from the transaction's CDC record to its flagged_user record.
class FraudWorkload : public Workload {
 public:
  explicit FraudWorkload(const KafkaBenchOptions& options) : options_(options) {
    traffic::GeneratorOptions generator_options;
    generator_options.user_count = static_cast<int>(options.accounts);
    generator_ = std::make_unique<traffic::TrafficGenerator>(generator_options);
  }

  std::vector<RuleSource> Sources() const override {
    std::vector<RuleSource> sources{
        {"<benchmark>", fmt::format("SET 'table.exec.codegen.mode' = '{}';", options_.mode)}};
    if (auto error = ReadRuleFiles(ExpandRulePaths({options_.rules_dir}), sources)) {
      throw std::runtime_error(error->rendered);
    }
    return sources;
  }
  std::vector<Message> Preload(int64_t now_ms) override {
    std::vector<Message> out;
    for (auto& user : generator_->UserSnapshot(now_ms)) out.push_back({&user_topic_, std::move(user.value), now_ms});
    users_ = static_cast<int64_t>(out.size());
    return out;
  }
  void Next(int64_t index, int64_t time_ms, std::vector<Message>& out) override {
    traffic::CdcRecord tx = generator_->NormalTransaction(time_ms);
    out.push_back({&transaction_topic_, std::move(tx.value), time_ms});
    // One fraud every 500 transactions gives the flagged-user rule output to time.
    if (index % 500 == 499) {
      auto fraud = generator_->InjectFraud(traffic::FraudKind::kLargeAmount, time_ms, std::nullopt, 0);
      for (auto& record : fraud.first) out.push_back({&transaction_topic_, std::move(record.value), time_ms});
      ++frauds_;
    }
  }
  std::string MeasuredRule() const override { return "flagged-user-detection"; }
  int64_t MeasuredReads(int64_t inputs) const override { return users_ + inputs + frauds_; }
  /// Returns the `transaction_time` of a flagged_user value, which is the Kafka
  /// timestamp of the transaction that flagged the account.
  std::optional<int64_t> OriginMillis(const kafka::KafkaMessage& output) const override {
    if (!output.value) return std::nullopt;
    size_t at = output.value->find("\"transaction_time\":\"");
    if (at == std::string::npos) return std::nullopt;
    at += 20;
    size_t end = output.value->find('"', at);
    return ParseTimestampMillis(std::string_view(*output.value).substr(at, end - at));
  }

 private:
  KafkaBenchOptions options_;
  std::unique_ptr<traffic::TrafficGenerator> generator_;
  const std::string user_topic_ = "fd.AUTH_USER";
  const std::string transaction_topic_ = "fd.USER_TRANSACTION";
  int64_t users_ = 0;
  int64_t frauds_ = 0;
};

const RuleJob* FindJob(const std::vector<std::unique_ptr<RuleJob>>& jobs, const std::string& name) {
  for (const auto& job : jobs) {
    if (job->name() == name) return job.get();
  }
  throw std::runtime_error("no rule named " + name);
}

/// Waits until `job` has read `count` records; throws when it fails or stalls for 60 s.
void WaitForReads(const RuleJob& job, int64_t count) {
  int64_t last = -1;
  auto last_progress = std::chrono::steady_clock::now();
  while (true) {
    JobStatus status = job.status();
    if (status.state == JobState::kFailed) throw std::runtime_error("rule " + job.name() + " failed: " + status.error);
    if (status.records_read >= count) return;
    if (status.records_read != last) {
      last = status.records_read;
      last_progress = std::chrono::steady_clock::now();
    } else if (std::chrono::steady_clock::now() - last_progress > std::chrono::seconds(60)) {
      throw std::runtime_error(fmt::format("rule {} stalled after reading {} of {} records", job.name(), last, count));
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
}

double Percentile(std::vector<double>& values, double p) {
  if (values.empty()) return 0;
  size_t index = std::min(values.size() - 1, static_cast<size_t>(p * static_cast<double>(values.size())));
  std::nth_element(values.begin(), values.begin() + static_cast<long>(index), values.end());
  return values[index];
}

}  // namespace

void RunKafkaBench(const KafkaBenchOptions& options) {
  auto broker = kafka::EmbeddedBroker::Start(1);
  std::string bootstrap = broker->BootstrapServers();
  int64_t start_ms = NowMillis();
  std::unique_ptr<Workload> workload;
  if (options.query.empty()) {
    workload = std::make_unique<FraudWorkload>(options);
  } else {
    workload = std::make_unique<NexmarkWorkload>(options);
  }
  std::map<std::string, std::string> table_defaults{{"properties.bootstrap.servers", bootstrap}};
  if (const char* debug = std::getenv("FSQL_BENCH_KAFKA_DEBUG")) table_defaults["properties.debug"] = debug;
  auto loaded = LoadRules(workload->Sources(), table_defaults);
  cli::CreateTableTopics(*loaded, *broker);
  auto producer = kafka::KafkaProducer::Create({{"bootstrap.servers", bootstrap}});
  std::string measured = workload->MeasuredRule();
  const RulePlan& measured_rule = FindRule(*loaded, measured);

  auto jobs = cli::StartRules(*loaded);
  if (!cli::WaitForAssignments(jobs, std::chrono::seconds(30))) throw std::runtime_error("rules did not join their groups");
  const RuleJob& measured_job = *FindJob(jobs, measured);

  // The mock cluster keeps only the newest 5 MB or so of each partition, so a
  // backlog larger than that loses records. Writers therefore stay at most
  // kMaxBacklog records ahead of what the measured rule has read.
  int64_t produced = 0;
  auto produce = [&](const Message& message, int64_t timestamp_ms) {
    producer->Produce(*message.topic, std::nullopt, message.value, timestamp_ms);
    if (++produced % 1000 == 0 && produced - measured_job.status().records_read > kMaxBacklog) {
      producer->Flush(std::chrono::seconds(30));
      WaitForReads(measured_job, produced - kMaxBacklog / 2);
    }
  };
  for (const Message& message : workload->Preload(start_ms)) produce(message, message.timestamp_ms);
  producer->Flush(std::chrono::seconds(120));
  WaitForReads(measured_job, workload->MeasuredReads(0));

  if (options.rate == 0) {
    // Throughput: write as fast as the rules read, and time both.
    std::vector<Message> batch;
    workload->Begin(start_ms);
    int64_t reads_before = measured_job.status().records_read;
    double cpu_start = ProcessCpuSeconds();
    auto wall_start = std::chrono::steady_clock::now();
    for (int64_t i = 0; i < options.events; ++i) {
      batch.clear();
      workload->Next(i, start_ms + i / 100, batch);
      for (const Message& message : batch) produce(message, message.timestamp_ms);
    }
    producer->Flush(std::chrono::seconds(300));
    int64_t target = workload->MeasuredReads(options.events);
    WaitForReads(measured_job, target);
    double cpu = ProcessCpuSeconds() - cpu_start;
    double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - wall_start).count();
    double reads = static_cast<double>(target - reads_before);
    JobStatus status = measured_job.status();
    for (auto& job : jobs) job->Stop();
    std::printf("| %s | kafka, %zu rule(s) | throughput | %.0f | %lld | %.2f M/s | %.2f M/s | %.2f | %.0f MB |\n",
                measured.c_str(), jobs.size(), reads, static_cast<long long>(status.records_written),
                reads / cpu / 1e6, reads / wall / 1e6, cpu / wall, static_cast<double>(PeakRssBytes()) / 1e6);
    std::fflush(stdout);
    return;
  }

  // The consumer of the sink topic records each output's delay.
  std::atomic<bool> stop_watch{false};
  std::mutex latencies_mutex;
  std::vector<double> latencies;
  kafka::ConsumerOptions watch;
  watch.properties = {{"bootstrap.servers", bootstrap}, {"group.id", "nexmark-bench-watch"}};
  watch.topics = {measured_rule.sink->topic};
  watch.startup_mode = kafka::StartupMode::kEarliestOffset;
  auto consumer = kafka::KafkaConsumer::Create(watch);
  std::thread watcher([&] {
    while (!stop_watch) {
      kafka::PollResult polled = consumer->Poll(10'000, std::chrono::milliseconds(5));
      double now = NowMillisPrecise();
      std::lock_guard<std::mutex> lock(latencies_mutex);
      for (const auto& message : polled.messages) {
        std::optional<int64_t> origin = workload->OriginMillis(message);
        if (origin) latencies.push_back(now - static_cast<double>(*origin));
      }
    }
    consumer->Close();
  });
  while (consumer == nullptr || consumer->Assignment().empty()) std::this_thread::sleep_for(std::chrono::milliseconds(10));

  // Input record i is due at `paced_start + i / rate`; its Kafka timestamp is that time.
  int64_t paced_start = NowMillis() + 100;
  int64_t total = options.rate * options.duration_s;
  double cpu_start = ProcessCpuSeconds();
  auto wall_start = std::chrono::steady_clock::now();
  std::vector<Message> batch;
  int64_t behind_ms = 0;
  workload->Begin(paced_start);
  for (int64_t i = 0; i < total; ++i) {
    int64_t due = paced_start + i * 1000 / options.rate;
    int64_t now = NowMillis();
    if (due > now) std::this_thread::sleep_for(std::chrono::milliseconds(due - now));
    behind_ms = std::max(behind_ms, NowMillis() - due);
    batch.clear();
    workload->Next(i, due, batch);
    for (const Message& message : batch) produce(message, due);
  }
  producer->Flush(std::chrono::seconds(30));
  WaitForReads(*FindJob(jobs, measured), workload->MeasuredReads(total));
  double cpu = ProcessCpuSeconds() - cpu_start;
  double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - wall_start).count();
  // Outputs wait for the watermark, which follows the data; give the last ones time to arrive.
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));
  stop_watch = true;
  watcher.join();
  for (auto& job : jobs) job->Stop();

  std::lock_guard<std::mutex> lock(latencies_mutex);
  size_t outputs = latencies.size();
  double max = latencies.empty() ? 0 : *std::max_element(latencies.begin(), latencies.end());
  double p50 = Percentile(latencies, 0.50);
  double p99 = Percentile(latencies, 0.99);
  std::printf("| %s | kafka, %zu rule(s) | %lld/s for %llds | %zu | %.1f ms | %.1f ms | %.1f ms | %.2f | %lld ms |\n",
              measured.c_str(), jobs.size(), static_cast<long long>(options.rate),
              static_cast<long long>(options.duration_s), outputs, p50, p99, max, cpu / wall,
              static_cast<long long>(behind_ms));
  std::fflush(stdout);
}

}  // namespace fsql::bench
