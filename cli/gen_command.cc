#include <iostream>

#include "cli/cli_util.h"
#include "cli/commands.h"
#include "examples/traffic/traffic_writer.h"
#include "runtime/common/logging.h"

namespace fsql::cli {

namespace {

void PrintGenUsage(std::ostream& out) {
  out << R"(usage: fsql gen --bootstrap-servers HOSTS [options]

Writes Debezium-style CDC envelopes to fd.AUTH_USER and fd.USER_TRANSACTION:
the user snapshot first, then normal transactions with fraud injected.

  --seed N             random seed (default 42); equal seeds give equal traffic
  --users N            number of users (default 5000, enough for 60 normal
                       transactions a second under the fraud rules' limits)
  --rate N             normal transactions per second (default 20)
  --duration SECONDS   stop after this long (default: until SIGINT or SIGTERM)
  --fraud-every SECS   inject a fraud every SECS seconds, cycling through the kinds (default 5, 0 = never)
  --inject KINDS       inject only these kinds (comma-separated): burst-count, burst-amount,
                       large-amount, foreign-ip. Each is injected once at the start, then
                       --fraud-every cycles through these kinds only; with --fraud-every 0
                       they are injected once
  -D KEY=VALUE         a librdkafka producer property, e.g. -D security.protocol=SASL_SSL
)";
}

std::vector<traffic::FraudKind> ParseKinds(const std::string& list) {
  std::vector<traffic::FraudKind> kinds;
  size_t start = 0;
  while (start <= list.size() && !list.empty()) {
    size_t end = list.find(',', start);
    std::string name = list.substr(start, end == std::string::npos ? std::string::npos : end - start);
    auto kind = traffic::ParseFraudKind(name);
    if (!kind) {
      throw UsageError(fmt::format("unknown fraud kind '{}'; use burst-count, burst-amount, large-amount or foreign-ip", name));
    }
    kinds.push_back(*kind);
    if (end == std::string::npos) break;
    start = end + 1;
  }
  return kinds;
}

}  // namespace

int Generate(const std::vector<std::string>& args) {
  Arguments parsed = Arguments::Parse(args, {"bootstrap-servers", "seed", "users", "rate", "duration", "fraud-every",
                                             "inject", "log-level"},
                                      {"help"});
  if (parsed.Has("help") || !parsed.Has("bootstrap-servers")) {
    // --help goes to stdout, like every command's; a usage error to stderr.
    PrintGenUsage(parsed.Has("help") ? std::cout : std::cerr);
    return parsed.Has("help") ? 0 : 2;
  }
  SetLogLevel(parsed.Get("log-level", "info"));
  // Every option is checked before anything is written to Kafka.
  std::vector<traffic::FraudKind> inject = ParseKinds(parsed.Get("inject", ""));
  double rate = parsed.GetDouble("rate", 20);
  double fraud_every = parsed.GetDouble("fraud-every", 5);
  double duration = parsed.GetDouble("duration", 1e9);
  int64_t users = parsed.GetInt("users", 5000);
  if (rate <= 0) throw UsageError(fmt::format("--rate must be positive, got {}", rate));
  if (fraud_every < 0) throw UsageError(fmt::format("--fraud-every must be 0 or more, got {}", fraud_every));
  if (duration < 0) throw UsageError(fmt::format("--duration must be 0 or more, got {}", duration));
  if (users < 1) throw UsageError(fmt::format("--users must be at least 1, got {}", users));
  kafka::KafkaProperties properties(parsed.definitions.begin(), parsed.definitions.end());
  properties["bootstrap.servers"] = parsed.Get("bootstrap-servers", "");
  auto producer = kafka::KafkaProducer::Create(properties);

  traffic::GeneratorOptions options;
  options.seed = static_cast<uint64_t>(parsed.GetInt("seed", 42));
  options.user_count = static_cast<int>(users);
  traffic::TrafficGenerator generator(options);
  traffic::TrafficWriter writer(generator, *producer);
  writer.WriteSnapshot();
  spdlog::info("wrote {} users to {}", options.user_count, options.user_topic);

  auto report = [](const traffic::InjectedFraud& fraud, int64_t) {
    std::cout << fmt::format("injected {} into account {}: {} transaction(s), total {:.2f}", FraudKindName(fraud.kind),
                             fraud.account_id, fraud.transactions.size(), fraud.total_amount)
              << std::endl;
  };
  for (auto kind : inject) report(writer.InjectNow(kind), 0);

  traffic::TrafficSchedule schedule;
  schedule.transactions_per_second = rate;
  schedule.fraud_interval = std::chrono::milliseconds(static_cast<int64_t>(fraud_every * 1000));
  if (!inject.empty()) schedule.fraud_kinds = inject;
  InstallStopSignals();
  auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(static_cast<int64_t>(duration * 1000));
  writer.Run(schedule, [&] { return StopRequested() || std::chrono::steady_clock::now() >= deadline; }, report);
  producer->Flush(std::chrono::seconds(30));
  spdlog::info("wrote {} records", writer.records_written());
  return 0;
}

}  // namespace fsql::cli
