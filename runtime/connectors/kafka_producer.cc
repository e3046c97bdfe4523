// KafkaProducer over librdkafka's producer and Admin C API.
#include <fmt/format.h>
#include <librdkafka/rdkafka.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <climits>
#include <memory>
#include <mutex>

#include "runtime/common/error.h"
#include "runtime/connectors/kafka.h"
#include "runtime/connectors/rdkafka_util.h"

namespace fsql::kafka {
namespace {

using internal::FindProperty;

// How long Produce waits for delivery reports per round while the queue is full.
constexpr int kQueueFullPollMs = 10;

// Bounds the metadata request and the CreateTopics request of EnsureTopic.
// librdkafka 2.0.2's mock cluster never responds to CreateTopics, so on that cluster
// EnsureTopic takes this long before it returns false.
constexpr int kAdminRequestTimeoutMs = 3000;
// The broker-side wait for the new topic. It is shorter than the request timeout, so
// the broker responds before the client gives up.
constexpr int kCreateTopicOperationTimeoutMs = 2000;

// The destructor's last flush. Callers that must not lose records call Flush.
constexpr int kDestructorFlushMs = 5000;

template <typename T, void (*Destroy)(T*)>
struct Deleter {
  void operator()(T* object) const { Destroy(object); }
};
using NewTopicPtr =
    std::unique_ptr<rd_kafka_NewTopic_t, Deleter<rd_kafka_NewTopic_t, rd_kafka_NewTopic_destroy>>;
using AdminOptionsPtr =
    std::unique_ptr<rd_kafka_AdminOptions_t,
                    Deleter<rd_kafka_AdminOptions_t, rd_kafka_AdminOptions_destroy>>;
using QueuePtr =
    std::unique_ptr<rd_kafka_queue_t, Deleter<rd_kafka_queue_t, rd_kafka_queue_destroy>>;
using EventPtr =
    std::unique_ptr<rd_kafka_event_t, Deleter<rd_kafka_event_t, rd_kafka_event_destroy>>;

KafkaProperties DefaultProperties() {
  return {
      // Already librdkafka's default (checked in 2.0.2), set here because latency
      // depends on it.
      {"linger.ms", "5"},
      {"socket.nagle.disable", "true"},
      // The Java client's default partitioner, so a key lands on the same partition
      // whichever client wrote it. Records without a key go to a random partition.
      {"partitioner", "murmur2_random"},
  };
}

int ToTimeoutMs(std::chrono::milliseconds timeout) {
  return static_cast<int>(std::clamp<int64_t>(timeout.count(), 0, INT_MAX));
}

// CreateTopics errors that mean the cluster cannot create topics through the Admin
// API. A timeout counts, because a broker without the API never responds.
bool MeansCreateTopicsUnsupported(rd_kafka_resp_err_t err) {
  return err == RD_KAFKA_RESP_ERR__TIMED_OUT || err == RD_KAFKA_RESP_ERR__UNSUPPORTED_FEATURE ||
         err == RD_KAFKA_RESP_ERR_UNSUPPORTED_VERSION;
}

class RdKafkaProducer final : public KafkaProducer {
 public:
  explicit RdKafkaProducer(const KafkaProperties& properties);
  ~RdKafkaProducer() override;

  void Produce(const std::string& topic, const std::optional<std::string>& key,
               const std::optional<std::string>& value, int64_t timestamp_ms,
               std::optional<int32_t> partition) override;
  void Flush(std::chrono::milliseconds timeout) override;
  bool EnsureTopic(const std::string& topic, int partitions) override;

 private:
  static void DeliveryCallback(rd_kafka_t* handle, const rd_kafka_message_t* message, void* opaque);
  static void ErrorCallback(rd_kafka_t* handle, int err, const char* reason, void* opaque);

  rd_kafka_resp_err_t Enqueue(const std::string& topic, const std::optional<std::string>& key,
                              const std::optional<std::string>& value, int64_t timestamp_ms,
                              std::optional<int32_t> partition);
  std::optional<int> FindPartitionCount(const std::string& topic);
  bool CreateTopic(const std::string& topic, int partitions);
  bool HandleCreateTopicError(const std::string& topic, rd_kafka_resp_err_t err,
                              const char* reason);
  void RecordFailure(std::string failure);
  void ThrowIfFailed();

  std::string bootstrap_servers_;
  rd_kafka_t* handle_ = nullptr;
  internal::TransientErrorLog transient_errors_;

  // Delivery reports run on whichever thread polls, so the failure state is locked.
  std::mutex failure_mutex_;
  std::string first_failure_;
  int64_t failed_deliveries_ = 0;
};

RdKafkaProducer::RdKafkaProducer(const KafkaProperties& properties)
    : bootstrap_servers_(FindProperty(properties, "bootstrap.servers").value_or("")),
      transient_errors_(fmt::format("Kafka producer for '{}'", bootstrap_servers_)) {
  if (bootstrap_servers_.empty() && !FindProperty(properties, "metadata.broker.list")) {
    throw ConnectorError(
        "Kafka producer properties have no 'bootstrap.servers'; set it to the broker list, "
        "e.g. 127.0.0.1:9092");
  }
  internal::ConfPtr conf = internal::BuildConf(DefaultProperties(), properties);
  rd_kafka_conf_set_opaque(conf.get(), this);
  rd_kafka_conf_set_dr_msg_cb(conf.get(), DeliveryCallback);
  rd_kafka_conf_set_error_cb(conf.get(), ErrorCallback);

  char reason[512];
  handle_ = rd_kafka_new(RD_KAFKA_PRODUCER, conf.get(), reason, sizeof(reason));
  if (handle_ == nullptr) {
    throw ConnectorError(
        fmt::format("failed to create a Kafka producer for '{}': {}", bootstrap_servers_, reason));
  }
  conf.release();  // rd_kafka_new took ownership
}

RdKafkaProducer::~RdKafkaProducer() {
  rd_kafka_flush(handle_, kDestructorFlushMs);
  if (int pending = rd_kafka_outq_len(handle_); pending > 0) {
    spdlog::error(
        "Kafka producer for '{}' is closing and dropped {} record(s) that were not "
        "delivered within {} ms; check that the brokers are reachable",
        bootstrap_servers_, pending, kDestructorFlushMs);
    rd_kafka_purge(handle_, RD_KAFKA_PURGE_F_QUEUE | RD_KAFKA_PURGE_F_INFLIGHT);
    rd_kafka_poll(handle_, 0);
  }
  rd_kafka_destroy(handle_);
}

void RdKafkaProducer::Produce(const std::string& topic, const std::optional<std::string>& key,
                              const std::optional<std::string>& value, int64_t timestamp_ms,
                              std::optional<int32_t> partition) {
  ThrowIfFailed();
  rd_kafka_resp_err_t err = Enqueue(topic, key, value, timestamp_ms, partition);
  while (err == RD_KAFKA_RESP_ERR__QUEUE_FULL) {
    // The queue drains only as delivery reports are served.
    rd_kafka_poll(handle_, kQueueFullPollMs);
    ThrowIfFailed();
    err = Enqueue(topic, key, value, timestamp_ms, partition);
  }
  if (err != RD_KAFKA_RESP_ERR_NO_ERROR) {
    throw ConnectorError(
        fmt::format("failed to produce to Kafka topic '{}': {}", topic, rd_kafka_err2str(err)));
  }
  // Serve delivery reports, so a failed delivery surfaces on the next call.
  rd_kafka_poll(handle_, 0);
}

rd_kafka_resp_err_t RdKafkaProducer::Enqueue(const std::string& topic,
                                             const std::optional<std::string>& key,
                                             const std::optional<std::string>& value,
                                             int64_t timestamp_ms,
                                             std::optional<int32_t> partition) {
  // A null pointer writes a null key or value, and an empty string's data() is not
  // null. RD_KAFKA_V_VALUE takes a non-const pointer, but RD_KAFKA_MSG_F_COPY only
  // copies the bytes.
  const char* key_data = key ? key->data() : nullptr;
  size_t key_size = key ? key->size() : 0;
  char* value_data = value ? const_cast<char*>(value->data()) : nullptr;
  size_t value_size = value ? value->size() : 0;
  return rd_kafka_producev(
      handle_, RD_KAFKA_V_TOPIC(topic.c_str()),
      RD_KAFKA_V_PARTITION(partition.value_or(RD_KAFKA_PARTITION_UA)),
      RD_KAFKA_V_KEY(key_data, key_size), RD_KAFKA_V_VALUE(value_data, value_size),
      RD_KAFKA_V_TIMESTAMP(timestamp_ms), RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY), RD_KAFKA_V_END);
}

void RdKafkaProducer::Flush(std::chrono::milliseconds timeout) {
  rd_kafka_resp_err_t err = rd_kafka_flush(handle_, ToTimeoutMs(timeout));
  ThrowIfFailed();
  if (err == RD_KAFKA_RESP_ERR__TIMED_OUT) {
    throw ConnectorError(fmt::format(
        "Kafka producer flush timed out after {} ms with {} record(s) undelivered; check that "
        "the brokers at '{}' are reachable",
        timeout.count(), rd_kafka_outq_len(handle_), bootstrap_servers_));
  }
  if (err != RD_KAFKA_RESP_ERR_NO_ERROR) {
    throw ConnectorError(fmt::format("Kafka producer flush failed: {}", rd_kafka_err2str(err)));
  }
}

namespace {

/// The bootstrap servers of clusters whose CreateTopics error showed they do
/// not support the request, shared by every producer of the process.
class ClusterSet {
 public:
  bool Contains(const std::string& servers) {
    std::lock_guard<std::mutex> lock(mutex_);
    return std::find(servers_.begin(), servers_.end(), servers) != servers_.end();
  }
  void Add(const std::string& servers) {
    std::lock_guard<std::mutex> lock(mutex_);
    if (std::find(servers_.begin(), servers_.end(), servers) == servers_.end()) servers_.push_back(servers);
  }

 private:
  std::mutex mutex_;
  std::vector<std::string> servers_;
};

ClusterSet& ClustersWithoutCreateTopics() {
  static ClusterSet clusters;
  return clusters;
}

}  // namespace

bool RdKafkaProducer::EnsureTopic(const std::string& topic, int partitions) {
  if (partitions < 1) {
    throw ConnectorError(fmt::format(
        "cannot create Kafka topic '{}' with {} partitions; the count must be at least 1", topic,
        partitions));
  }
  if (std::optional<int> existing = FindPartitionCount(topic)) {
    if (*existing != partitions) {
      spdlog::info(
          "Kafka topic '{}' already exists with {} partition(s), not the requested {}; "
          "keeping it as it is",
          topic, *existing, partitions);
    }
    return true;
  }
  // A cluster that failed CreateTopics once fails it again after the same
  // timeout, so later topics skip the request and rely on creation at first write.
  if (ClustersWithoutCreateTopics().Contains(bootstrap_servers_)) return false;
  return CreateTopic(topic, partitions);
}

// Returns the partition count of `topic`, or nullopt if the cluster has no such topic.
std::optional<int> RdKafkaProducer::FindPartitionCount(const std::string& topic) {
  const rd_kafka_metadata_t* metadata = nullptr;
  // Ask for all topics, because a request that names the topic lets the broker
  // auto-create it with its default partition count (the mock cluster does, with 4).
  rd_kafka_resp_err_t err =
      rd_kafka_metadata(handle_, /*all_topics=*/1, nullptr, &metadata, kAdminRequestTimeoutMs);
  if (err != RD_KAFKA_RESP_ERR_NO_ERROR) {
    throw ConnectorError(fmt::format(
        "failed to read Kafka metadata from '{}' within {} ms: {}; check that the brokers are "
        "reachable",
        bootstrap_servers_, kAdminRequestTimeoutMs, rd_kafka_err2str(err)));
  }
  std::unique_ptr<const rd_kafka_metadata_t, void (*)(const rd_kafka_metadata_t*)> guard(
      metadata, rd_kafka_metadata_destroy);
  for (int i = 0; i < metadata->topic_cnt; ++i) {
    const rd_kafka_metadata_topic_t& entry = metadata->topics[i];
    if (topic == entry.topic && entry.err != RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART) {
      return entry.partition_cnt;
    }
  }
  return std::nullopt;
}

bool RdKafkaProducer::CreateTopic(const std::string& topic, int partitions) {
  char reason[512];
  // A replication factor of -1 takes the broker's default.
  NewTopicPtr new_topic(rd_kafka_NewTopic_new(topic.c_str(), partitions,
                                              /*replication_factor=*/-1, reason, sizeof(reason)));
  if (!new_topic) {
    throw ConnectorError(fmt::format("invalid Kafka topic '{}': {}", topic, reason));
  }
  AdminOptionsPtr options(rd_kafka_AdminOptions_new(handle_, RD_KAFKA_ADMIN_OP_CREATETOPICS));
  rd_kafka_AdminOptions_set_request_timeout(options.get(), kAdminRequestTimeoutMs, reason,
                                            sizeof(reason));
  rd_kafka_AdminOptions_set_operation_timeout(options.get(), kCreateTopicOperationTimeoutMs, reason,
                                              sizeof(reason));
  QueuePtr queue(rd_kafka_queue_new(handle_));
  rd_kafka_NewTopic_t* new_topics[] = {new_topic.get()};
  rd_kafka_CreateTopics(handle_, new_topics, 1, options.get(), queue.get());

  // librdkafka ends the request at its timeout; the extra second is a safety margin.
  EventPtr event(rd_kafka_queue_poll(queue.get(), kAdminRequestTimeoutMs + 1000));
  if (!event) {
    return HandleCreateTopicError(topic, RD_KAFKA_RESP_ERR__TIMED_OUT, "no response");
  }
  if (rd_kafka_resp_err_t err = rd_kafka_event_error(event.get())) {
    return HandleCreateTopicError(topic, err, rd_kafka_event_error_string(event.get()));
  }

  size_t count = 0;
  const rd_kafka_topic_result_t** results =
      rd_kafka_CreateTopics_result_topics(rd_kafka_event_CreateTopics_result(event.get()), &count);
  for (size_t i = 0; i < count; ++i) {
    rd_kafka_resp_err_t err = rd_kafka_topic_result_error(results[i]);
    if (err == RD_KAFKA_RESP_ERR_TOPIC_ALREADY_EXISTS) {
      return true;
    }
    if (err == RD_KAFKA_RESP_ERR_REQUEST_TIMED_OUT) {
      // The broker accepted the request, and it keeps creating the topic after the
      // operation timeout.
      spdlog::info("Kafka topic '{}' is still being created", topic);
      return true;
    }
    if (err != RD_KAFKA_RESP_ERR_NO_ERROR) {
      const char* message = rd_kafka_topic_result_error_string(results[i]);
      return HandleCreateTopicError(topic, err, message ? message : rd_kafka_err2str(err));
    }
  }
  spdlog::info("created Kafka topic '{}' with {} partition(s)", topic, partitions);
  return true;
}

bool RdKafkaProducer::HandleCreateTopicError(const std::string& topic, rd_kafka_resp_err_t err,
                                             const char* reason) {
  if (MeansCreateTopicsUnsupported(err)) {
    ClustersWithoutCreateTopics().Add(bootstrap_servers_);
    spdlog::warn(
        "could not create Kafka topic '{}' through the Admin API ({}); the cluster at "
        "'{}' may not support CreateTopics, as librdkafka's mock cluster does not. "
        "A broker that creates topics on first write, such as fsql's embedded broker, needs nothing more, "
        "and fsql does not try again for other topics on it. On another broker, create the topic first, "
        "e.g. with kafka-topics.",
        topic, reason, bootstrap_servers_);
    return false;
  }
  throw ConnectorError(fmt::format("failed to create Kafka topic '{}': {}", topic, reason));
}

void RdKafkaProducer::DeliveryCallback(rd_kafka_t* handle, const rd_kafka_message_t* message,
                                       void* opaque) {
  if (message->err == RD_KAFKA_RESP_ERR_NO_ERROR) {
    return;
  }
  // librdkafka has already retried, so a failed delivery is final. The reason comes
  // from the error code: rd_kafka_message_errstr would return the record's value here.
  static_cast<RdKafkaProducer*>(opaque)->RecordFailure(
      fmt::format("delivery to Kafka topic '{}' failed: {}", rd_kafka_topic_name(message->rkt),
                  rd_kafka_err2str(message->err)));
}

void RdKafkaProducer::ErrorCallback(rd_kafka_t* handle, int err, const char* reason, void* opaque) {
  auto* self = static_cast<RdKafkaProducer*>(opaque);
  auto code = static_cast<rd_kafka_resp_err_t>(err);
  if (code == RD_KAFKA_RESP_ERR__FATAL) {
    char fatal_reason[512] = "";
    rd_kafka_resp_err_t fatal = rd_kafka_fatal_error(handle, fatal_reason, sizeof(fatal_reason));
    self->RecordFailure(fmt::format("Kafka producer for '{}' failed: fatal error {}: {}",
                                    self->bootstrap_servers_, rd_kafka_err2name(fatal),
                                    fatal_reason));
    return;
  }
  self->transient_errors_.Record(fmt::format("{}: {}", rd_kafka_err2name(code), reason));
}

void RdKafkaProducer::RecordFailure(std::string failure) {
  std::lock_guard lock(failure_mutex_);
  ++failed_deliveries_;
  if (first_failure_.empty()) {
    spdlog::error("{}", failure);
    first_failure_ = std::move(failure);
  }
}

void RdKafkaProducer::ThrowIfFailed() {
  std::lock_guard lock(failure_mutex_);
  if (!first_failure_.empty()) {
    throw ConnectorError(
        fmt::format("{} ({} failure(s) in total); the producer cannot be used "
                    "any more",
                    first_failure_, failed_deliveries_));
  }
}

}  // namespace

std::unique_ptr<KafkaProducer> KafkaProducer::Create(const KafkaProperties& properties) {
  return std::make_unique<RdKafkaProducer>(properties);
}

}  // namespace fsql::kafka
