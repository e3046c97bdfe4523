#include <iostream>

#include "cli/cli_util.h"
#include "cli/commands.h"
#include "runtime/common/logging.h"
#include "runtime/connectors/kafka.h"

namespace fsql::cli {

int Broker(const std::vector<std::string>& args) {
  Arguments parsed = Arguments::Parse(args, {"topics", "brokers", "log-level"});
  SetLogLevel(parsed.Get("log-level", "info"));
  auto broker = kafka::EmbeddedBroker::Start(static_cast<int>(parsed.GetInt("brokers", 1)));
  // The mock cluster has no CreateTopics API, so topics with a set partition
  // count are created here: --topics name:partitions,...
  std::string topics = parsed.Get("topics", "");
  size_t start = 0;
  while (start < topics.size()) {
    size_t end = topics.find(',', start);
    std::string item = topics.substr(start, end == std::string::npos ? std::string::npos : end - start);
    auto colon = item.rfind(':');
    int partitions = 1;
    if (colon != std::string::npos) {
      partitions = std::stoi(item.substr(colon + 1));
      item = item.substr(0, colon);
    }
    broker->CreateTopic(item, partitions);
    spdlog::info("created topic {} with {} partition(s)", item, partitions);
    if (end == std::string::npos) break;
    start = end + 1;
  }
  std::cout << "bootstrap.servers=" << broker->BootstrapServers() << std::endl;
  InstallStopSignals();
  WaitUntil([] { return false; }, std::nullopt);
  spdlog::info("embedded broker stopping");
  return 0;
}

}  // namespace fsql::cli
