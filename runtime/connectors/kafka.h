// Kafka client layer over librdkafka: a consumer, a producer and the embedded broker.
//
// These classes know nothing about SQL. The source and sink operators build on
// them, and tests use them directly against the embedded broker.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace fsql::kafka {

/// librdkafka configuration properties, e.g. {"bootstrap.servers", "127.0.0.1:9092"}.
using KafkaProperties = std::map<std::string, std::string>;

struct TopicPartition {
  std::string topic;
  int32_t partition = 0;
  bool operator==(const TopicPartition&) const = default;
  auto operator<=>(const TopicPartition&) const = default;
};

/// One consumed record. A value of nullopt is a tombstone.
struct KafkaMessage {
  std::string topic;
  int32_t partition = 0;
  int64_t offset = 0;
  int64_t timestamp_ms = 0;  // message timestamp (CreateTime or LogAppendTime)
  std::optional<std::string> key;
  std::optional<std::string> value;
};

/// Starting position of a consumer in each partition, named as in Flink's
/// 'scan.startup.mode'. Only kGroupOffsets uses the group's committed offsets, and the
/// other modes ignore them.
enum class StartupMode { kEarliestOffset, kLatestOffset, kGroupOffsets, kTimestamp };

struct ConsumerOptions {
  KafkaProperties properties;  // must contain bootstrap.servers and group.id
  std::vector<std::string> topics;
  StartupMode startup_mode = StartupMode::kGroupOffsets;
  int64_t startup_timestamp_ms = 0;  // used by kTimestamp
};

/// Result of one Poll: records in partition order, plus partitions that reached
/// their current end (high watermark) since the previous poll.
struct PollResult {
  std::vector<KafkaMessage> messages;
  std::vector<TopicPartition> reached_end;
};

/// A group consumer. Not thread-safe: one thread polls, commits and closes.
class KafkaConsumer {
 public:
  /// Connects and subscribes. Throws ConnectorError on invalid configuration.
  static std::unique_ptr<KafkaConsumer> Create(const ConsumerOptions& options);
  virtual ~KafkaConsumer() = default;

  /// Returns up to `max_messages` records, waiting at most `timeout` for the first.
  /// Throws ConnectorError on fatal consumer errors; transient ones are logged.
  virtual PollResult Poll(size_t max_messages, std::chrono::milliseconds timeout) = 0;

  /// Marks everything up to and including `offset` as processed; Commit() sends it.
  virtual void StoreOffset(const std::string& topic, int32_t partition, int64_t offset) = 0;
  /// Commits stored offsets synchronously.
  virtual void Commit() = 0;

  /// The partitions currently assigned to this member of the group.
  virtual std::vector<TopicPartition> Assignment() = 0;

  /// Commits stored offsets and leaves the group. Safe to call twice.
  virtual void Close() = 0;
};

/// An asynchronous producer. Produce may be called from several threads.
class KafkaProducer {
 public:
  /// Throws ConnectorError on invalid configuration.
  static std::unique_ptr<KafkaProducer> Create(const KafkaProperties& properties);
  virtual ~KafkaProducer() = default;

  /// Queues one record; a value of nullopt writes a tombstone. `timestamp_ms` of 0
  /// lets librdkafka use the current time. Blocks while the local queue is full.
  /// Throws ConnectorError once a delivery has failed permanently.
  virtual void Produce(const std::string& topic, const std::optional<std::string>& key,
                       const std::optional<std::string>& value, int64_t timestamp_ms,
                       std::optional<int32_t> partition = std::nullopt) = 0;

  /// Waits until every queued record is delivered or `timeout` passes.
  /// Throws ConnectorError if records remain or a delivery failed.
  virtual void Flush(std::chrono::milliseconds timeout) = 0;

  /// Creates `topic` with `partitions` partitions if it does not exist. Returns
  /// false (and logs why) where the cluster does not support topic creation.
  virtual bool EnsureTopic(const std::string& topic, int partitions) = 0;
};

/// librdkafka's mock cluster serving the Kafka protocol on loopback ports.
/// It lives as long as this object; any Kafka client can connect to it.
class EmbeddedBroker {
 public:
  /// Starts a cluster of `broker_count` brokers. Throws ConnectorError on failure.
  static std::unique_ptr<EmbeddedBroker> Start(int broker_count = 1);
  virtual ~EmbeddedBroker() = default;

  /// The comma-separated bootstrap address list, e.g. "127.0.0.1:40321".
  virtual std::string BootstrapServers() const = 0;

  /// Creates a topic; the mock cluster does not implement the CreateTopics API,
  /// so the process that owns the broker creates topics through this call.
  virtual void CreateTopic(const std::string& topic, int partitions) = 0;
};

}  // namespace fsql::kafka
