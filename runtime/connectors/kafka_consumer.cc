// KafkaConsumer over librdkafka's high-level group consumer (C API).
#include <fmt/format.h>
#include <fmt/ranges.h>
#include <librdkafka/rdkafka.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <climits>
#include <map>
#include <set>
#include <string_view>

#include "runtime/common/error.h"
#include "runtime/connectors/kafka.h"
#include "runtime/connectors/rdkafka_util.h"

namespace fsql::kafka {
namespace {

using internal::FindProperty;
using internal::FormatPartitions;
using internal::PartitionListPtr;

// Timestamp lookups run inside the rebalance callback, so they delay Poll.
constexpr int kOffsetLookupTimeoutMs = 5000;

struct MessageDeleter {
  void operator()(rd_kafka_message_t* message) const { rd_kafka_message_destroy(message); }
};
using MessagePtr = std::unique_ptr<rd_kafka_message_t, MessageDeleter>;

struct RequiredProperty {
  const char* name;
  const char* value;
  const char* reason;
};

// The consumer's contract depends on these values, so they replace the caller's.
constexpr RequiredProperty kRequiredProperties[] = {
    {"enable.auto.commit", "false", "offsets are committed by Commit() and Close()"},
    {"enable.auto.offset.store", "false", "offsets are stored by StoreOffset()"},
    {"enable.partition.eof", "true", "Poll() reports reached_end from partition EOF events"},
};

// librdkafka's defaults favour throughput: the broker keeps an empty fetch open for
// up to 500 ms, and a failed fetch backs off 500 ms. A streaming engine wants each
// record as soon as it is written, at the cost of about 100 fetch requests a second
// per broker while partitions are idle. Caller properties override these.
KafkaProperties DefaultProperties(StartupMode mode) {
  // The reset policy covers partitions without a committed offset: at startup in
  // group-offsets mode, and in every mode when a rebalance hands a partition back.
  const char* reset = mode == StartupMode::kLatestOffset ? "latest" : "earliest";
  return {
      {"fetch.wait.max.ms", "10"},
      {"fetch.error.backoff.ms", "20"},
      {"socket.nagle.disable", "true"},
      {"auto.offset.reset", reset},
  };
}

KafkaProperties WithRequiredProperties(KafkaProperties properties) {
  for (const RequiredProperty& required : kRequiredProperties) {
    auto it = properties.find(required.name);
    if (it != properties.end() && it->second != required.value) {
      spdlog::warn("Kafka consumer ignores '{}'='{}' and uses '{}', because {}", required.name,
                   it->second, required.value, required.reason);
    }
    properties[required.name] = required.value;
  }
  return properties;
}

void ValidateOptions(const ConsumerOptions& options) {
  const KafkaProperties& properties = options.properties;
  if (!FindProperty(properties, "bootstrap.servers") &&
      !FindProperty(properties, "metadata.broker.list")) {
    throw ConnectorError(
        "Kafka consumer properties have no 'bootstrap.servers'; set it to the broker "
        "list, e.g. 127.0.0.1:9092");
  }
  std::optional<std::string> group_id = FindProperty(properties, "group.id");
  if (!group_id) {
    throw ConnectorError(
        "Kafka consumer properties have no 'group.id'; set it to the consumer group name");
  }
  if (options.topics.empty()) {
    throw ConnectorError(fmt::format(
        "Kafka consumer for group '{}' has no topics; list at least one topic", *group_id));
  }
}

std::string_view StartupModeName(StartupMode mode) {
  switch (mode) {
    case StartupMode::kEarliestOffset:
      return "earliest-offset";
    case StartupMode::kLatestOffset:
      return "latest-offset";
    case StartupMode::kGroupOffsets:
      return "group-offsets";
    case StartupMode::kTimestamp:
      return "timestamp";
  }
  return "unknown";
}

int RemainingMs(std::chrono::steady_clock::time_point deadline) {
  auto remaining =
      std::chrono::ceil<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
  return static_cast<int>(std::clamp<int64_t>(remaining.count(), 0, INT_MAX));
}

KafkaMessage ToKafkaMessage(const rd_kafka_message_t& message) {
  KafkaMessage out;
  out.topic = rd_kafka_topic_name(message.rkt);
  out.partition = message.partition;
  out.offset = message.offset;
  rd_kafka_timestamp_type_t timestamp_type;
  out.timestamp_ms = rd_kafka_message_timestamp(&message, &timestamp_type);
  // librdkafka gives a null pointer for a null key or value, and a non-null
  // pointer for an empty one.
  if (message.key != nullptr) {
    out.key.emplace(static_cast<const char*>(message.key), message.key_len);
  }
  if (message.payload != nullptr) {
    out.value.emplace(static_cast<const char*>(message.payload), message.len);
  }
  return out;
}

// Errors after which retrying cannot help; librdkafka recovers from the others.
bool IsPermanentConsumerError(rd_kafka_resp_err_t err) {
  switch (err) {
    case RD_KAFKA_RESP_ERR__FATAL:
    case RD_KAFKA_RESP_ERR_TOPIC_AUTHORIZATION_FAILED:
    case RD_KAFKA_RESP_ERR_GROUP_AUTHORIZATION_FAILED:
    case RD_KAFKA_RESP_ERR_SASL_AUTHENTICATION_FAILED:
      return true;
    default:
      return false;
  }
}

// Errors of a commit that raced a rebalance. The commit is lost, and the next
// owner of the partitions re-reads records after the previous commit.
bool IsRebalanceError(rd_kafka_resp_err_t err) {
  return err == RD_KAFKA_RESP_ERR_REBALANCE_IN_PROGRESS ||
         err == RD_KAFKA_RESP_ERR_ILLEGAL_GENERATION ||
         err == RD_KAFKA_RESP_ERR_UNKNOWN_MEMBER_ID || err == RD_KAFKA_RESP_ERR__ASSIGNMENT_LOST;
}

// Sets the offset of each partition in `to` that `from` also contains.
void CopyOffsets(const rd_kafka_topic_partition_list_t& from, rd_kafka_topic_partition_list_t* to) {
  for (int i = 0; i < from.cnt; ++i) {
    const rd_kafka_topic_partition_t& source = from.elems[i];
    if (rd_kafka_topic_partition_t* target =
            rd_kafka_topic_partition_list_find(to, source.topic, source.partition)) {
      target->offset = source.offset;
    }
  }
}

std::string FatalErrorMessage(rd_kafka_t* handle) {
  char reason[512] = "";
  rd_kafka_resp_err_t err = rd_kafka_fatal_error(handle, reason, sizeof(reason));
  return fmt::format("fatal error {}: {}", rd_kafka_err2name(err), reason);
}

class RdKafkaConsumer final : public KafkaConsumer {
 public:
  explicit RdKafkaConsumer(const ConsumerOptions& options);
  ~RdKafkaConsumer() override;

  void Subscribe();

  PollResult Poll(size_t max_messages, std::chrono::milliseconds timeout) override;
  void StoreOffset(const std::string& topic, int32_t partition, int64_t offset) override;
  void Commit() override;
  std::vector<TopicPartition> Assignment() override;
  void Close() override;

 private:
  static void RebalanceCallback(rd_kafka_t* handle, rd_kafka_resp_err_t err,
                                rd_kafka_topic_partition_list_t* partitions, void* opaque);
  static void ErrorCallback(rd_kafka_t* handle, int err, const char* reason, void* opaque);

  void OnRebalance(rd_kafka_resp_err_t err, rd_kafka_topic_partition_list_t* partitions);
  void OnAssign(rd_kafka_topic_partition_list_t* partitions);
  void OnRevoke(rd_kafka_topic_partition_list_t* partitions);
  bool IsCooperative() const;
  void SetStartOffsets(rd_kafka_topic_partition_list_t* partitions);
  void ResolveTimestampOffsets(rd_kafka_topic_partition_list_t* lookups);
  void ResolveResumeOffsets(rd_kafka_topic_partition_list_t* resumes);
  bool SupportsTimestampLookups(const char* topic, int32_t partition);

  void HandleMessage(const rd_kafka_message_t& message, PollResult& result);
  void HandleConsumerError(const rd_kafka_message_t& message);
  rd_kafka_resp_err_t CommitStoredOffsets();
  void CheckOpen(std::string_view operation) const;
  void ThrowIfFailed() const;

  ConsumerOptions options_;
  // "Kafka consumer group 'orders' (rdkafka#consumer-1)", the prefix of log lines and
  // error messages.
  std::string description_;
  rd_kafka_t* handle_ = nullptr;
  // Partitions this consumer has been assigned before. When a rebalance returns one,
  // it resumes where processing stopped instead of at the startup position.
  std::set<TopicPartition> started_partitions_;
  // The next offset to read of each partition, as of the last StoreOffset.
  std::map<TopicPartition, int64_t> stored_offsets_;
  // First permanent error, raised by every later Poll. Callbacks run on the
  // polling thread, so no lock is needed.
  std::string failure_;
  internal::TransientErrorLog transient_errors_;
};

RdKafkaConsumer::RdKafkaConsumer(const ConsumerOptions& options)
    : options_(options),
      description_(
          fmt::format("Kafka consumer group '{}'", *FindProperty(options.properties, "group.id"))),
      transient_errors_(description_) {
  internal::ConfPtr conf = internal::BuildConf(DefaultProperties(options.startup_mode),
                                               WithRequiredProperties(options.properties));
  rd_kafka_conf_set_opaque(conf.get(), this);
  rd_kafka_conf_set_rebalance_cb(conf.get(), RebalanceCallback);
  rd_kafka_conf_set_error_cb(conf.get(), ErrorCallback);

  char reason[512];
  handle_ = rd_kafka_new(RD_KAFKA_CONSUMER, conf.get(), reason, sizeof(reason));
  if (handle_ == nullptr) {
    throw ConnectorError(
        fmt::format("{}: failed to create the consumer: {}", description_, reason));
  }
  conf.release();  // rd_kafka_new took ownership
  rd_kafka_poll_set_consumer(handle_);
  // The handle name distinguishes members of one group in this process.
  description_ += fmt::format(" ({})", rd_kafka_name(handle_));
}

RdKafkaConsumer::~RdKafkaConsumer() {
  try {
    Close();
  } catch (const std::exception& e) {
    spdlog::error("{}", e.what());
  }
}

void RdKafkaConsumer::Subscribe() {
  PartitionListPtr topics(rd_kafka_topic_partition_list_new(options_.topics.size()));
  for (const std::string& topic : options_.topics) {
    rd_kafka_topic_partition_list_add(topics.get(), topic.c_str(), RD_KAFKA_PARTITION_UA);
  }
  rd_kafka_resp_err_t err = rd_kafka_subscribe(handle_, topics.get());
  if (err != RD_KAFKA_RESP_ERR_NO_ERROR) {
    throw ConnectorError(fmt::format("{}: failed to subscribe to topics {}: {}", description_,
                                     fmt::join(options_.topics, ","), rd_kafka_err2str(err)));
  }
  spdlog::info("{}: subscribed to {} with startup mode {}", description_,
               fmt::join(options_.topics, ","), StartupModeName(options_.startup_mode));
}

PollResult RdKafkaConsumer::Poll(size_t max_messages, std::chrono::milliseconds timeout) {
  CheckOpen("Poll");
  FSQL_CHECK(max_messages > 0, "Poll got max_messages 0; pass at least 1");
  ThrowIfFailed();

  PollResult result;
  auto has_output = [&result] { return !result.messages.empty() || !result.reached_end.empty(); };
  auto deadline = std::chrono::steady_clock::now() + timeout;

  // Wait for the first record or end-of-partition event. Rebalance callbacks and
  // transient errors are served on the way without ending the wait early.
  while (!has_output()) {
    int wait_ms = RemainingMs(deadline);
    MessagePtr message(rd_kafka_consumer_poll(handle_, wait_ms));
    ThrowIfFailed();
    if (message) {
      HandleMessage(*message, result);
    }
    if (wait_ms == 0) {
      break;
    }
  }

  // Then take only what librdkafka has already fetched.
  while (result.messages.size() < max_messages) {
    MessagePtr message(rd_kafka_consumer_poll(handle_, 0));
    ThrowIfFailed();
    if (!message) {
      break;
    }
    HandleMessage(*message, result);
  }
  return result;
}

void RdKafkaConsumer::HandleMessage(const rd_kafka_message_t& message, PollResult& result) {
  if (message.err == RD_KAFKA_RESP_ERR_NO_ERROR) {
    result.messages.push_back(ToKafkaMessage(message));
    return;
  }
  if (message.err == RD_KAFKA_RESP_ERR__PARTITION_EOF) {
    TopicPartition end{rd_kafka_topic_name(message.rkt), message.partition};
    if (std::find(result.reached_end.begin(), result.reached_end.end(), end) ==
        result.reached_end.end()) {
      result.reached_end.push_back(std::move(end));
    }
    return;
  }
  HandleConsumerError(message);
  ThrowIfFailed();
}

void RdKafkaConsumer::HandleConsumerError(const rd_kafka_message_t& message) {
  std::string where =
      message.rkt != nullptr
          ? fmt::format(" on {}[{}]", rd_kafka_topic_name(message.rkt), message.partition)
          : "";
  if (message.err == RD_KAFKA_RESP_ERR__FATAL) {
    failure_ = fmt::format("{}: {}", description_, FatalErrorMessage(handle_));
  } else if (IsPermanentConsumerError(message.err)) {
    failure_ = fmt::format("{}: {}{}: {}", description_, rd_kafka_err2name(message.err), where,
                           rd_kafka_message_errstr(&message));
  } else {
    transient_errors_.Record(fmt::format("{}{}: {}", rd_kafka_err2name(message.err), where,
                                         rd_kafka_message_errstr(&message)));
  }
}

void RdKafkaConsumer::StoreOffset(const std::string& topic, int32_t partition, int64_t offset) {
  CheckOpen("StoreOffset");
  FSQL_CHECK(offset >= 0, "StoreOffset got negative offset {} for {}[{}]", offset, topic,
             partition);

  PartitionListPtr list(rd_kafka_topic_partition_list_new(1));
  // Kafka commits the offset of the next record to read, not of the last one read.
  rd_kafka_topic_partition_list_add(list.get(), topic.c_str(), partition)->offset = offset + 1;
  rd_kafka_resp_err_t err = rd_kafka_offsets_store(handle_, list.get());
  if (err == RD_KAFKA_RESP_ERR_NO_ERROR) {
    err = list->elems[0].err;
  }
  if (err == RD_KAFKA_RESP_ERR_NO_ERROR) {
    stored_offsets_[{topic, partition}] = offset + 1;
    return;
  }
  if (err == RD_KAFKA_RESP_ERR__STATE || err == RD_KAFKA_RESP_ERR__UNKNOWN_PARTITION) {
    // A rebalance took the partition away after its records were polled. Its next
    // owner reads them again from the last commit.
    transient_errors_.Record(fmt::format(
        "offset {} of {}[{}] not stored: the partition is no longer assigned to this consumer",
        offset, topic, partition));
    return;
  }
  throw ConnectorError(fmt::format("{}: failed to store offset {} of {}[{}]: {}", description_,
                                   offset, topic, partition, rd_kafka_err2str(err)));
}

rd_kafka_resp_err_t RdKafkaConsumer::CommitStoredOffsets() {
  rd_kafka_resp_err_t err = rd_kafka_commit(handle_, nullptr, /*async=*/0);
  // _NO_OFFSET means nothing was stored since the last commit.
  return err == RD_KAFKA_RESP_ERR__NO_OFFSET ? RD_KAFKA_RESP_ERR_NO_ERROR : err;
}

void RdKafkaConsumer::Commit() {
  CheckOpen("Commit");
  rd_kafka_resp_err_t err = CommitStoredOffsets();
  if (err == RD_KAFKA_RESP_ERR_NO_ERROR) {
    return;
  }
  if (IsRebalanceError(err)) {
    spdlog::warn(
        "{}: offset commit lost to a rebalance ({}); records after the previous "
        "commit will be read again",
        description_, rd_kafka_err2str(err));
    return;
  }
  throw ConnectorError(
      fmt::format("{}: offset commit failed: {}", description_, rd_kafka_err2str(err)));
}

std::vector<TopicPartition> RdKafkaConsumer::Assignment() {
  CheckOpen("Assignment");
  rd_kafka_topic_partition_list_t* raw = nullptr;
  rd_kafka_resp_err_t err = rd_kafka_assignment(handle_, &raw);
  PartitionListPtr list(raw);
  if (err != RD_KAFKA_RESP_ERR_NO_ERROR) {
    throw ConnectorError(
        fmt::format("{}: failed to read the assignment: {}", description_, rd_kafka_err2str(err)));
  }
  std::vector<TopicPartition> assignment;
  for (int i = 0; i < list->cnt; ++i) {
    assignment.push_back({list->elems[i].topic, list->elems[i].partition});
  }
  std::sort(assignment.begin(), assignment.end());
  return assignment;
}

void RdKafkaConsumer::Close() {
  if (handle_ == nullptr) {
    return;
  }
  rd_kafka_resp_err_t commit_err = CommitStoredOffsets();
  // Leaving the group runs the revocation callback before the handle stops.
  rd_kafka_resp_err_t close_err = rd_kafka_consumer_close(handle_);
  rd_kafka_destroy(handle_);
  handle_ = nullptr;

  if (close_err != RD_KAFKA_RESP_ERR_NO_ERROR) {
    spdlog::warn("{}: leaving the group failed: {}", description_, rd_kafka_err2str(close_err));
  }
  spdlog::info("{}: closed", description_);
  if (IsRebalanceError(commit_err)) {
    spdlog::warn("{}: final offset commit lost to a rebalance ({})", description_,
                 rd_kafka_err2str(commit_err));
  } else if (commit_err != RD_KAFKA_RESP_ERR_NO_ERROR) {
    throw ConnectorError(
        fmt::format("{}: final offset commit failed: {}; records after the previous commit will be "
                    "read again",
                    description_, rd_kafka_err2str(commit_err)));
  }
}

void RdKafkaConsumer::RebalanceCallback(rd_kafka_t* handle, rd_kafka_resp_err_t err,
                                        rd_kafka_topic_partition_list_t* partitions, void* opaque) {
  auto* self = static_cast<RdKafkaConsumer*>(opaque);
  // Exceptions must not unwind through librdkafka's C frames, so Poll raises them.
  try {
    self->OnRebalance(err, partitions);
  } catch (const std::exception& e) {
    if (self->failure_.empty()) {
      self->failure_ = e.what();
    }
  }
}

void RdKafkaConsumer::ErrorCallback(rd_kafka_t* handle, int err, const char* reason, void* opaque) {
  auto* self = static_cast<RdKafkaConsumer*>(opaque);
  auto code = static_cast<rd_kafka_resp_err_t>(err);
  if (code == RD_KAFKA_RESP_ERR__FATAL) {
    if (self->failure_.empty()) {
      self->failure_ = fmt::format("{}: {}", self->description_, FatalErrorMessage(handle));
    }
    return;
  }
  self->transient_errors_.Record(fmt::format("{}: {}", rd_kafka_err2name(code), reason));
}

void RdKafkaConsumer::OnRebalance(rd_kafka_resp_err_t err,
                                  rd_kafka_topic_partition_list_t* partitions) {
  switch (err) {
    case RD_KAFKA_RESP_ERR__ASSIGN_PARTITIONS:
      OnAssign(partitions);
      break;
    case RD_KAFKA_RESP_ERR__REVOKE_PARTITIONS:
      OnRevoke(partitions);
      break;
    default:
      spdlog::error("{}: rebalance failed: {}; dropping the assignment", description_,
                    rd_kafka_err2str(err));
      rd_kafka_assign(handle_, nullptr);
      break;
  }
}

bool RdKafkaConsumer::IsCooperative() const {
  return std::string_view(rd_kafka_rebalance_protocol(handle_)) == "COOPERATIVE";
}

void RdKafkaConsumer::OnAssign(rd_kafka_topic_partition_list_t* partitions) {
  SetStartOffsets(partitions);
  spdlog::info("{}: assigned {}", description_, FormatPartitions(*partitions));

  std::string reason;
  if (IsCooperative()) {
    if (rd_kafka_error_t* error = rd_kafka_incremental_assign(handle_, partitions)) {
      reason = rd_kafka_error_string(error);
      rd_kafka_error_destroy(error);
    }
  } else if (rd_kafka_resp_err_t err = rd_kafka_assign(handle_, partitions)) {
    reason = rd_kafka_err2str(err);
  }
  if (!reason.empty()) {
    throw ConnectorError(fmt::format("{}: failed to assign {}: {}", description_,
                                     FormatPartitions(*partitions), reason));
  }
}

void RdKafkaConsumer::OnRevoke(rd_kafka_topic_partition_list_t* partitions) {
  bool lost = rd_kafka_assignment_lost(handle_);
  spdlog::info("{}: {} {}", description_, lost ? "lost" : "revoked", FormatPartitions(*partitions));
  // Commit what was processed, so the partitions' next owner starts after it. A
  // lost assignment belongs to a newer generation, which would reject the commit.
  if (!lost) {
    if (rd_kafka_resp_err_t err = CommitStoredOffsets()) {
      spdlog::warn("{}: offset commit before revocation failed: {}", description_,
                   rd_kafka_err2str(err));
    }
  }
  if (IsCooperative()) {
    if (rd_kafka_error_t* error = rd_kafka_incremental_unassign(handle_, partitions)) {
      spdlog::warn("{}: failed to unassign {}: {}", description_, FormatPartitions(*partitions),
                   rd_kafka_error_string(error));
      rd_kafka_error_destroy(error);
    }
  } else {
    rd_kafka_assign(handle_, nullptr);
  }
}

// The startup mode positions a partition the first time this consumer gets it.
// Applying it again after every rebalance would replay (earliest) or skip (latest)
// records, so a partition that comes back resumes where processing stopped.
// NOTE: a partition that moves to another member of the group is positioned by that
// member's startup mode, which may read records this member has already read.
void RdKafkaConsumer::SetStartOffsets(rd_kafka_topic_partition_list_t* partitions) {
  PartitionListPtr lookups(rd_kafka_topic_partition_list_new(partitions->cnt));
  PartitionListPtr resumes(rd_kafka_topic_partition_list_new(partitions->cnt));
  for (int i = 0; i < partitions->cnt; ++i) {
    rd_kafka_topic_partition_t& partition = partitions->elems[i];
    partition.offset = RD_KAFKA_OFFSET_INVALID;  // the committed offset
    if (!started_partitions_.insert({partition.topic, partition.partition}).second) {
      rd_kafka_topic_partition_list_add(resumes.get(), partition.topic, partition.partition);
      continue;
    }
    switch (options_.startup_mode) {
      case StartupMode::kEarliestOffset:
        partition.offset = RD_KAFKA_OFFSET_BEGINNING;
        break;
      case StartupMode::kLatestOffset:
        partition.offset = RD_KAFKA_OFFSET_END;
        break;
      case StartupMode::kGroupOffsets:
        break;
      case StartupMode::kTimestamp:
        rd_kafka_topic_partition_list_add(lookups.get(), partition.topic, partition.partition)
            ->offset = options_.startup_timestamp_ms;
        break;
    }
  }
  if (lookups->cnt > 0) {
    ResolveTimestampOffsets(lookups.get());
    CopyOffsets(*lookups, partitions);
  }
  if (resumes->cnt > 0) {
    ResolveResumeOffsets(resumes.get());
    CopyOffsets(*resumes, partitions);
  }
}

// Resumes each partition after the last record this consumer stored, or after the
// group's commit if another member got further while it held the partition. The
// stored offset matters because a commit during a rebalance may fail: librdkafka
// 2.0.2's mock cluster rejects it with REBALANCE_IN_PROGRESS.
void RdKafkaConsumer::ResolveResumeOffsets(rd_kafka_topic_partition_list_t* resumes) {
  rd_kafka_resp_err_t err = rd_kafka_committed(handle_, resumes, kOffsetLookupTimeoutMs);
  if (err != RD_KAFKA_RESP_ERR_NO_ERROR) {
    spdlog::warn(
        "{}: reading the committed offsets of {} failed ({}); resuming from the offsets "
        "this consumer stored",
        description_, FormatPartitions(*resumes), rd_kafka_err2str(err));
  }
  for (int i = 0; i < resumes->cnt; ++i) {
    rd_kafka_topic_partition_t& resume = resumes->elems[i];
    int64_t committed =
        err == RD_KAFKA_RESP_ERR_NO_ERROR && resume.err == RD_KAFKA_RESP_ERR_NO_ERROR
            ? resume.offset
            : RD_KAFKA_OFFSET_INVALID;
    auto stored = stored_offsets_.find({resume.topic, resume.partition});
    // RD_KAFKA_OFFSET_INVALID (-1001) is below every real offset, and assigning it
    // falls back to auto.offset.reset.
    resume.offset = std::max(
        committed, stored == stored_offsets_.end() ? RD_KAFKA_OFFSET_INVALID : stored->second);
  }
}

// Replaces each partition's offset, which contains the startup timestamp on input,
// with the first offset whose timestamp is at or after it.
void RdKafkaConsumer::ResolveTimestampOffsets(rd_kafka_topic_partition_list_t* lookups) {
  rd_kafka_resp_err_t err = rd_kafka_offsets_for_times(handle_, lookups, kOffsetLookupTimeoutMs);
  if (err != RD_KAFKA_RESP_ERR_NO_ERROR) {
    spdlog::warn("{}: offset lookup for timestamp {} failed ({}); {} start at the earliest offset",
                 description_, options_.startup_timestamp_ms, rd_kafka_err2str(err),
                 FormatPartitions(*lookups));
    for (int i = 0; i < lookups->cnt; ++i) {
      lookups->elems[i].offset = RD_KAFKA_OFFSET_BEGINNING;
    }
    return;
  }
  for (int i = 0; i < lookups->cnt; ++i) {
    rd_kafka_topic_partition_t& lookup = lookups->elems[i];
    if (lookup.err != RD_KAFKA_RESP_ERR_NO_ERROR) {
      spdlog::warn(
          "{}: offset lookup for timestamp {} on {}[{}] failed ({}); starting at the "
          "earliest offset",
          description_, options_.startup_timestamp_ms, lookup.topic, lookup.partition,
          rd_kafka_err2str(lookup.err));
      lookup.offset = RD_KAFKA_OFFSET_BEGINNING;
    } else if (lookup.offset < 0) {
      // No record at or after the timestamp, so start at the end, unless the broker
      // cannot look up timestamps at all.
      bool supported = SupportsTimestampLookups(lookup.topic, lookup.partition);
      lookup.offset = supported ? RD_KAFKA_OFFSET_END : RD_KAFKA_OFFSET_BEGINNING;
    }
  }
}

// A broker with a time index returns an offset for timestamp 0 on a non-empty
// partition. librdkafka 2.0.2's mock cluster returns -1 ("no record") for every
// timestamp, and so does a real broker whose records have no timestamps.
bool RdKafkaConsumer::SupportsTimestampLookups(const char* topic, int32_t partition) {
  PartitionListPtr probe(rd_kafka_topic_partition_list_new(1));
  rd_kafka_topic_partition_list_add(probe.get(), topic, partition)->offset = 0;
  rd_kafka_resp_err_t err =
      rd_kafka_offsets_for_times(handle_, probe.get(), kOffsetLookupTimeoutMs);
  int64_t low = 0;
  int64_t high = 0;
  if (err == RD_KAFKA_RESP_ERR_NO_ERROR && probe->elems[0].offset < 0) {
    err = rd_kafka_query_watermark_offsets(handle_, topic, partition, &low, &high,
                                           kOffsetLookupTimeoutMs);
  }
  if (err != RD_KAFKA_RESP_ERR_NO_ERROR) {
    spdlog::warn(
        "{}: could not check whether the broker supports lookups by timestamp on "
        "{}[{}] ({}); starting at the latest offset",
        description_, topic, partition, rd_kafka_err2str(err));
    return true;
  }
  if (probe->elems[0].offset >= 0 || high <= low) {
    return true;
  }
  spdlog::warn(
      "{}: the broker found no record at or after timestamp 0 in {}[{}], which "
      "contains offsets {} to {}, so it does not support lookups by timestamp; "
      "starting at the earliest offset",
      description_, topic, partition, low, high - 1);
  return false;
}

void RdKafkaConsumer::CheckOpen(std::string_view operation) const {
  FSQL_CHECK(handle_ != nullptr, "{} called on a closed Kafka consumer", operation);
}

void RdKafkaConsumer::ThrowIfFailed() const {
  if (!failure_.empty()) {
    throw ConnectorError(failure_);
  }
}

}  // namespace

std::unique_ptr<KafkaConsumer> KafkaConsumer::Create(const ConsumerOptions& options) {
  ValidateOptions(options);
  auto consumer = std::make_unique<RdKafkaConsumer>(options);
  consumer->Subscribe();
  return consumer;
}

}  // namespace fsql::kafka
