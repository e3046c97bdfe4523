// Helpers shared by the librdkafka-based consumer, producer and embedded broker.
#pragma once

#include <librdkafka/rdkafka.h>

#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "runtime/connectors/kafka.h"

namespace fsql::kafka::internal {

struct ConfDeleter {
  void operator()(rd_kafka_conf_t* conf) const { rd_kafka_conf_destroy(conf); }
};
using ConfPtr = std::unique_ptr<rd_kafka_conf_t, ConfDeleter>;

struct PartitionListDeleter {
  void operator()(rd_kafka_topic_partition_list_t* list) const {
    rd_kafka_topic_partition_list_destroy(list);
  }
};
using PartitionListPtr = std::unique_ptr<rd_kafka_topic_partition_list_t, PartitionListDeleter>;

/// Builds a librdkafka configuration from `defaults` overridden by `properties`,
/// with librdkafka's log lines routed to spdlog. Throws ConnectorError naming the
/// first property that librdkafka rejects.
ConfPtr BuildConf(const KafkaProperties& defaults, const KafkaProperties& properties);

/// Formats partitions for log lines as "orders[0,1] payments[3]".
std::string FormatPartitions(const rd_kafka_topic_partition_list_t& partitions);

/// Returns the value of `name` in `properties`, or nullopt when absent or empty.
std::optional<std::string> FindProperty(const KafkaProperties& properties, const std::string& name);

/// Rate-limited warning log for errors that librdkafka recovers from by itself
/// (broker disconnects, leader changes). It logs the first error at once and then
/// at most one line per interval with the number of errors since the last line,
/// so an outage does not flood the log. Thread-safe.
class TransientErrorLog {
 public:
  explicit TransientErrorLog(std::string client);

  void Record(std::string_view reason);

 private:
  static constexpr std::chrono::seconds kReportInterval{10};

  std::mutex mutex_;
  std::string client_;
  int64_t unreported_count_ = 0;
  std::optional<std::chrono::steady_clock::time_point> last_report_;
};

}  // namespace fsql::kafka::internal
