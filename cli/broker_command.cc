#include <iostream>

#include "cli/cli_util.h"
#include "cli/commands.h"
#include "runtime/common/logging.h"
#include "runtime/connectors/kafka.h"

namespace fsql::cli {

int Broker(const std::vector<std::string>& args) {
  Arguments parsed = Arguments::Parse(args, {"topics", "brokers", "log-level"}, {"help"});
  if (parsed.Has("help")) {
    std::cout << R"(usage: fsql broker [--topics NAME:PARTITIONS,...] [--brokers N]

Serves librdkafka's mock Kafka cluster on loopback ports and prints
`bootstrap.servers=HOST:PORT` once it is ready; runs until SIGINT or SIGTERM.
The mock cluster cannot create topics over the protocol: --topics creates them
at start-up, and any other topic is created with 4 partitions on first use.
)";
    return 0;
  }
  SetLogLevel(parsed.Get("log-level", "info"));
  // The mock cluster has no CreateTopics API, so topics with a set partition
  // count are created here: --topics name:partitions,...
  std::string topics = parsed.Get("topics", "");
  std::vector<std::pair<std::string, int>> topic_partitions;
  size_t start = 0;
  while (start < topics.size()) {
    size_t end = topics.find(',', start);
    std::string item = topics.substr(start, end == std::string::npos ? std::string::npos : end - start);
    auto colon = item.rfind(':');
    int partitions = 1;
    if (colon != std::string::npos) {
      std::string count = item.substr(colon + 1);
      if (count.empty() || count.find_first_not_of("0123456789") != std::string::npos || std::stoi(count) < 1) {
        throw UsageError(fmt::format("--topics item '{}' needs a positive partition count after ':'", item));
      }
      partitions = std::stoi(count);
      item = item.substr(0, colon);
    }
    topic_partitions.emplace_back(item, partitions);
    if (end == std::string::npos) break;
    start = end + 1;
  }
  auto broker = kafka::EmbeddedBroker::Start(static_cast<int>(parsed.GetInt("brokers", 1)));
  for (const auto& [topic, partitions] : topic_partitions) {
    broker->CreateTopic(topic, partitions);
    spdlog::info("created topic {} with {} partition(s)", topic, partitions);
  }
  std::cout << "bootstrap.servers=" << broker->BootstrapServers() << std::endl;
  InstallStopSignals();
  WaitUntil([] { return false; }, std::nullopt);
  spdlog::info("embedded broker stopping");
  return 0;
}

}  // namespace fsql::cli
