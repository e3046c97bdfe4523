// Tests of the Kafka client layer. Each test starts its own EmbeddedBroker (librdkafka's
// mock cluster) in process, and the interop test also runs kcat against it.
#include "runtime/connectors/kafka.h"

#include <arpa/inet.h>
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <functional>
#include <iostream>
#include <set>
#include <string>
#include <vector>

#include "runtime/common/error.h"

namespace fsql::kafka {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

// librdkafka 2.0.2's mock cluster delays the first join of a group by 3 s to wait for
// more members, and after a member leaves it waits session.timeout.ms - 1 s before the
// next join completes. It drops a member that has been silent for session.timeout.ms,
// even one waiting for that first join, so the session must outlast the 3 s.
constexpr const char* kSessionTimeoutMs = "4000";
constexpr const char* kHeartbeatIntervalMs = "250";

// Long enough for a group join on the mock cluster, plus the work after it.
constexpr auto kJoinDeadline = 10s;

class KafkaTest : public ::testing::Test {
 protected:
  void SetUp() override { broker_ = EmbeddedBroker::Start(); }

  std::unique_ptr<KafkaConsumer> StartConsumer(const std::string& group,
                                               std::vector<std::string> topics, StartupMode mode,
                                               int64_t startup_timestamp_ms = 0,
                                               const KafkaProperties& extra_properties = {}) {
    ConsumerOptions options;
    options.properties = {{"bootstrap.servers", broker_->BootstrapServers()},
                          {"group.id", group},
                          {"session.timeout.ms", kSessionTimeoutMs},
                          {"heartbeat.interval.ms", kHeartbeatIntervalMs}};
    options.properties.insert(extra_properties.begin(), extra_properties.end());
    options.topics = std::move(topics);
    options.startup_mode = mode;
    options.startup_timestamp_ms = startup_timestamp_ms;
    return KafkaConsumer::Create(options);
  }

  std::unique_ptr<KafkaProducer> StartProducer() {
    return KafkaProducer::Create({{"bootstrap.servers", broker_->BootstrapServers()}});
  }

  // Produces `values` to partition 0 of `topic` without keys and waits for delivery.
  void ProduceValues(const std::string& topic, const std::vector<std::string>& values) {
    auto producer = StartProducer();
    for (const std::string& value : values) {
      producer->Produce(topic, std::nullopt, value, 0, 0);
    }
    producer->Flush(5s);
  }

  // Starts two members of one group on a 4-partition topic and expects each to end up
  // with a non-empty share and no partition assigned twice.
  void ExpectMembersSplitPartitions(const std::string& assignment_strategy) {
    broker_->CreateTopic("wide", 4);
    const KafkaProperties strategy = {{"partition.assignment.strategy", assignment_strategy}};
    // Started together, both members join within the mock cluster's first 3 s window.
    auto first = StartConsumer("split", {"wide"}, StartupMode::kEarliestOffset, 0, strategy);
    auto second = StartConsumer("split", {"wide"}, StartupMode::kEarliestOffset, 0, strategy);

    std::vector<TopicPartition> first_assignment;
    std::vector<TopicPartition> second_assignment;
    auto split = [&] {
      std::set<TopicPartition> all(first_assignment.begin(), first_assignment.end());
      all.insert(second_assignment.begin(), second_assignment.end());
      return !first_assignment.empty() && !second_assignment.empty() &&
             first_assignment.size() + second_assignment.size() == 4 && all.size() == 4;
    };
    auto deadline = Clock::now() + 15s;
    while (!split() && Clock::now() < deadline) {
      first->Poll(10, 50ms);
      second->Poll(10, 50ms);
      first_assignment = first->Assignment();
      second_assignment = second->Assignment();
    }

    EXPECT_FALSE(first_assignment.empty());
    EXPECT_FALSE(second_assignment.empty());
    std::vector<TopicPartition> shared;
    std::set_intersection(first_assignment.begin(), first_assignment.end(),
                          second_assignment.begin(), second_assignment.end(),
                          std::back_inserter(shared));
    EXPECT_TRUE(shared.empty()) << "partition " << shared.front().partition << " assigned twice";
    EXPECT_EQ(first_assignment.size() + second_assignment.size(), 4u);
  }

  std::unique_ptr<EmbeddedBroker> broker_;
};

// Everything that a series of polls returned.
struct Polled {
  std::vector<KafkaMessage> messages;
  std::set<TopicPartition> reached_end;
  // Number of messages received before the first end-of-partition event.
  std::optional<size_t> messages_at_first_end;
};

// Polls until `done` returns true or `limit` passes, and returns what arrived.
Polled PollUntil(KafkaConsumer& consumer, const std::function<bool(const Polled&)>& done,
                 Clock::duration limit = kJoinDeadline) {
  Polled polled;
  auto deadline = Clock::now() + limit;
  while (!done(polled) && Clock::now() < deadline) {
    PollResult result = consumer.Poll(100, 50ms);
    polled.messages.insert(polled.messages.end(), result.messages.begin(), result.messages.end());
    if (!result.reached_end.empty() && !polled.messages_at_first_end) {
      polled.messages_at_first_end = polled.messages.size();
    }
    polled.reached_end.insert(result.reached_end.begin(), result.reached_end.end());
  }
  return polled;
}

std::function<bool(const Polled&)> HasMessages(size_t count) {
  return [count](const Polled& polled) { return polled.messages.size() >= count; };
}

std::function<bool(const Polled&)> ReachedEnd(const std::string& topic, int32_t partition) {
  return [tp = TopicPartition{topic, partition}](const Polled& polled) {
    return polled.reached_end.contains(tp);
  };
}

std::vector<std::string> Values(const std::vector<KafkaMessage>& messages) {
  std::vector<std::string> values;
  for (const KafkaMessage& message : messages) {
    values.push_back(message.value.value_or("<null>"));
  }
  return values;
}

std::vector<int64_t> Offsets(const std::vector<KafkaMessage>& messages) {
  std::vector<int64_t> offsets;
  for (const KafkaMessage& message : messages) {
    offsets.push_back(message.offset);
  }
  return offsets;
}

// Returns a loopback port on which nothing listens: the kernel hands out a free port,
// the socket closes, and a connection attempt must then be refused.
int ClosedLoopbackPort() {
  int listener = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = 0;
  bind(listener, reinterpret_cast<sockaddr*>(&address), sizeof(address));
  socklen_t length = sizeof(address);
  getsockname(listener, reinterpret_cast<sockaddr*>(&address), &length);
  close(listener);

  int probe = socket(AF_INET, SOCK_STREAM, 0);
  int result = connect(probe, reinterpret_cast<sockaddr*>(&address), sizeof(address));
  int connect_errno = errno;
  close(probe);
  EXPECT_EQ(result, -1) << "port " << ntohs(address.sin_port) << " unexpectedly accepted";
  EXPECT_EQ(connect_errno, ECONNREFUSED);
  return ntohs(address.sin_port);
}

// Runs `command` with /bin/sh, writing `input` to its standard input, and returns
// its exit status.
int RunWithInput(const std::string& command, const std::string& input) {
  FILE* pipe = popen(command.c_str(), "w");
  if (pipe == nullptr) {
    return -1;
  }
  fwrite(input.data(), 1, input.size(), pipe);
  int status = pclose(pipe);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

// Runs `command` with /bin/sh and returns its exit status and standard output.
std::pair<int, std::string> RunForOutput(const std::string& command) {
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) {
    return {-1, ""};
  }
  std::string output;
  char buffer[4096];
  while (size_t count = fread(buffer, 1, sizeof(buffer), pipe)) {
    output.append(buffer, count);
  }
  int status = pclose(pipe);
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, output};
}

TEST_F(KafkaTest, RoundTripKeepsRecordFields) {
  broker_->CreateTopic("orders", 2);
  struct Record {
    int32_t partition;
    int64_t expected_offset;
    std::optional<std::string> key;
    std::optional<std::string> value;
    int64_t timestamp_ms;
  };
  const std::vector<Record> records = {
      {0, 0, "k1", "v1", 1'700'000'000'001},         {1, 0, "k2", "v2", 1'700'000'000'002},
      {0, 1, "k1", std::nullopt, 1'700'000'000'003},  // tombstone
      {1, 1, std::nullopt, "", 1'700'000'000'004},    // no key, empty value
      {0, 2, "", "v5", 1'700'000'000'005},            // empty key
  };
  auto producer = StartProducer();
  for (const Record& record : records) {
    producer->Produce("orders", record.key, record.value, record.timestamp_ms, record.partition);
  }
  producer->Flush(5s);

  auto consumer = StartConsumer("round-trip", {"orders"}, StartupMode::kEarliestOffset);
  Polled polled = PollUntil(*consumer, HasMessages(records.size()));
  ASSERT_EQ(polled.messages.size(), records.size());

  for (const Record& record : records) {
    auto it = std::find_if(polled.messages.begin(), polled.messages.end(), [&](const auto& m) {
      return m.partition == record.partition && m.offset == record.expected_offset;
    });
    ASSERT_NE(it, polled.messages.end())
        << "no message at partition " << record.partition << " offset " << record.expected_offset;
    EXPECT_EQ(it->topic, "orders");
    EXPECT_EQ(it->timestamp_ms, record.timestamp_ms);
    EXPECT_EQ(it->key, record.key);
    EXPECT_EQ(it->value, record.value);
  }
}

TEST_F(KafkaTest, ReachedEndFollowsLastRecord) {
  broker_->CreateTopic("events", 1);
  ProduceValues("events", {"a", "b", "c"});
  auto consumer = StartConsumer("end", {"events"}, StartupMode::kEarliestOffset);

  Polled first = PollUntil(*consumer, ReachedEnd("events", 0));
  ASSERT_TRUE(first.messages_at_first_end.has_value()) << "no end-of-partition event";
  EXPECT_EQ(*first.messages_at_first_end, 3u);
  EXPECT_EQ(Values(first.messages), (std::vector<std::string>{"a", "b", "c"}));

  // A record written after the end was reported yields a new end-of-partition event.
  ProduceValues("events", {"d"});
  Polled second = PollUntil(*consumer, ReachedEnd("events", 0), 5s);
  ASSERT_TRUE(second.messages_at_first_end.has_value()) << "no second end-of-partition event";
  EXPECT_EQ(*second.messages_at_first_end, 1u);
  EXPECT_EQ(Values(second.messages), (std::vector<std::string>{"d"}));
}

TEST_F(KafkaTest, LatestSkipsExistingRecords) {
  broker_->CreateTopic("events", 1);
  ProduceValues("events", {"old-1", "old-2", "old-3"});
  auto consumer = StartConsumer("latest", {"events"}, StartupMode::kLatestOffset);

  // The end-of-partition event shows the consumer is positioned, so later records count.
  Polled positioned = PollUntil(*consumer, ReachedEnd("events", 0));
  ASSERT_TRUE(positioned.reached_end.contains({"events", 0}));
  EXPECT_TRUE(positioned.messages.empty())
      << "read an old record: " << positioned.messages.front().value.value_or("");

  ProduceValues("events", {"new-1", "new-2"});
  Polled polled = PollUntil(*consumer, HasMessages(2), 5s);
  EXPECT_EQ(Values(polled.messages), (std::vector<std::string>{"new-1", "new-2"}));
  EXPECT_EQ(Offsets(polled.messages), (std::vector<int64_t>{3, 4}));
}

TEST_F(KafkaTest, EarliestIgnoresCommittedOffsets) {
  broker_->CreateTopic("events", 1);
  ProduceValues("events", {"a", "b", "c"});

  auto first = StartConsumer("shared", {"events"}, StartupMode::kGroupOffsets);
  Polled read = PollUntil(*first, HasMessages(3));
  ASSERT_EQ(read.messages.size(), 3u);
  first->StoreOffset("events", 0, read.messages.back().offset);
  first->Commit();
  first->Close();

  auto second = StartConsumer("shared", {"events"}, StartupMode::kEarliestOffset);
  Polled reread = PollUntil(*second, ReachedEnd("events", 0));
  EXPECT_EQ(Values(reread.messages), (std::vector<std::string>{"a", "b", "c"}));
  EXPECT_EQ(Offsets(reread.messages), (std::vector<int64_t>{0, 1, 2}));
}

TEST_F(KafkaTest, GroupOffsetsResumeAfterCommit) {
  broker_->CreateTopic("events", 1);
  ProduceValues("events", {"a", "b", "c", "d", "e"});

  auto first = StartConsumer("resume", {"events"}, StartupMode::kGroupOffsets);
  Polled read = PollUntil(*first, HasMessages(5));
  ASSERT_EQ(read.messages.size(), 5u);
  // The argument is the last processed offset, so the next consumer starts after it.
  first->StoreOffset("events", 0, read.messages.back().offset);
  first->Commit();
  first->Close();
  first->Close();  // a second call does nothing

  ProduceValues("events", {"f", "g", "h"});
  auto second = StartConsumer("resume", {"events"}, StartupMode::kGroupOffsets);
  Polled resumed = PollUntil(*second, ReachedEnd("events", 0));
  EXPECT_EQ(Values(resumed.messages), (std::vector<std::string>{"f", "g", "h"}));
  EXPECT_EQ(Offsets(resumed.messages), (std::vector<int64_t>{5, 6, 7}));
}

// librdkafka 2.0.2's mock cluster returns "no such record" for every ListOffsets lookup
// by timestamp, so the consumer detects that and starts at the earliest offset.
// A real broker would start this consumer at offset 2, the first record at 3000 ms.
TEST_F(KafkaTest, TimestampFallsBackToEarliestOnMock) {
  broker_->CreateTopic("events", 1);
  auto producer = StartProducer();
  for (int i = 1; i <= 5; ++i) {
    producer->Produce("events", std::nullopt, fmt::format("at-{}", i * 1000), i * 1000, 0);
  }
  producer->Flush(5s);

  auto consumer = StartConsumer("timestamp", {"events"}, StartupMode::kTimestamp, 2500);
  Polled polled = PollUntil(*consumer, ReachedEnd("events", 0));
  EXPECT_EQ(Offsets(polled.messages), (std::vector<int64_t>{0, 1, 2, 3, 4}));
}

TEST_F(KafkaTest, GroupMembersSplitPartitions) { ExpectMembersSplitPartitions("range,roundrobin"); }

TEST_F(KafkaTest, CooperativeMembersSplitPartitions) {
  ExpectMembersSplitPartitions("cooperative-sticky");
}

// The startup mode positions a partition only the first time a member gets it. A member
// that keeps partitions through a rebalance resumes them after the offsets it stored,
// while the newcomer starts its share at the startup position, here the earliest.
TEST_F(KafkaTest, RebalanceDoesNotReplayKeptPartitions) {
  broker_->CreateTopic("wide", 4);
  auto producer = StartProducer();
  for (int32_t partition = 0; partition < 4; ++partition) {
    producer->Produce("wide", std::nullopt, fmt::format("p{}", partition), 0, partition);
  }
  producer->Flush(5s);

  auto first = StartConsumer("rebalance", {"wide"}, StartupMode::kEarliestOffset);
  Polled before = PollUntil(*first, HasMessages(4));
  ASSERT_EQ(before.messages.size(), 4u);
  for (const KafkaMessage& message : before.messages) {
    first->StoreOffset(message.topic, message.partition, message.offset);
  }

  auto second = StartConsumer("rebalance", {"wide"}, StartupMode::kEarliestOffset);
  std::vector<KafkaMessage> first_after;
  std::vector<KafkaMessage> second_after;
  std::vector<TopicPartition> second_assignment;
  auto deadline = Clock::now() + 15s;
  // Done once the newcomer has read one record from each partition it was given.
  while ((second_assignment.empty() || second_after.size() < second_assignment.size()) &&
         Clock::now() < deadline) {
    PollResult first_result = first->Poll(10, 50ms);
    first_after.insert(first_after.end(), first_result.messages.begin(),
                       first_result.messages.end());
    PollResult second_result = second->Poll(10, 50ms);
    second_after.insert(second_after.end(), second_result.messages.begin(),
                        second_result.messages.end());
    second_assignment = second->Assignment();
  }
  // Give a replay to the first member time to show up.
  PollResult late = first->Poll(10, 200ms);
  first_after.insert(first_after.end(), late.messages.begin(), late.messages.end());

  ASSERT_FALSE(second_assignment.empty()) << "the second member was never assigned";
  EXPECT_FALSE(first->Assignment().empty());
  EXPECT_TRUE(first_after.empty())
      << "first member read " << Values(first_after).front() << " again after the rebalance";
  EXPECT_EQ(second_after.size(), second_assignment.size());
}

TEST_F(KafkaTest, ProducerFailureRaisesConnectorError) {
  int port = ClosedLoopbackPort();
  auto producer = KafkaProducer::Create(
      {{"bootstrap.servers", fmt::format("127.0.0.1:{}", port)}, {"message.timeout.ms", "500"}});
  producer->Produce("orders", "k", "v", 0);

  try {
    producer->Flush(5s);
    FAIL() << "Flush succeeded although nothing listens on port " << port;
  } catch (const ConnectorError& e) {
    EXPECT_NE(std::string(e.what()).find("'orders'"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("timed out"), std::string::npos) << e.what();
  }
  // The failure is sticky: later calls report it too.
  EXPECT_THROW(producer->Produce("orders", "k", "v", 0), ConnectorError);
  EXPECT_THROW(producer->Flush(1s), ConnectorError);
}

TEST_F(KafkaTest, EnsureTopicOnMockReturnsFalse) {
  auto producer = StartProducer();
  auto start = Clock::now();
  EXPECT_FALSE(producer->EnsureTopic("missing", 3));
  EXPECT_LT(Clock::now() - start, 6s);
}

TEST_F(KafkaTest, EnsureTopicFindsExistingTopic) {
  broker_->CreateTopic("existing", 2);
  auto producer = StartProducer();
  auto start = Clock::now();
  EXPECT_TRUE(producer->EnsureTopic("existing", 2));
  EXPECT_LT(Clock::now() - start, 2s);
  EXPECT_THROW(producer->EnsureTopic("existing", 0), ConnectorError);
}

TEST_F(KafkaTest, ConsumerRejectsInvalidOptions) {
  ConsumerOptions options;
  options.properties = {{"bootstrap.servers", broker_->BootstrapServers()}};
  options.topics = {"events"};
  EXPECT_THROW(KafkaConsumer::Create(options), ConnectorError);  // no group.id

  options.properties["group.id"] = "invalid";
  options.properties["no.such.property"] = "1";
  EXPECT_THROW(KafkaConsumer::Create(options), ConnectorError);

  options.properties.erase("no.such.property");
  options.topics.clear();
  EXPECT_THROW(KafkaConsumer::Create(options), ConnectorError);
}

TEST_F(KafkaTest, KcatExchangesRecordsBothWays) {
  ASSERT_EQ(access("/usr/bin/kcat", X_OK), 0) << "kcat is missing; scripts/install-deps.sh "
                                                 "installs it";
  broker_->CreateTopic("interop", 1);
  const std::string address = broker_->BootstrapServers();

  // kcat writes, our consumer reads.
  int produce_status = RunWithInput(fmt::format("timeout 10 kcat -b {} -P -t interop -K:", address),
                                    "k1:v1\nk2:v2\n");
  ASSERT_EQ(produce_status, 0);
  auto consumer = StartConsumer("interop", {"interop"}, StartupMode::kEarliestOffset);
  Polled polled = PollUntil(*consumer, HasMessages(2));
  ASSERT_EQ(polled.messages.size(), 2u);
  EXPECT_EQ(polled.messages[0].key, "k1");
  EXPECT_EQ(polled.messages[0].value, "v1");
  EXPECT_EQ(polled.messages[1].key, "k2");
  EXPECT_EQ(polled.messages[1].value, "v2");

  // Our producer writes, kcat reads everything back and exits at the end.
  auto producer = StartProducer();
  producer->Produce("interop", "k3", "v3", 0);
  producer->Produce("interop", "k4", "v4", 0);
  producer->Flush(5s);
  auto [consume_status, output] =
      RunForOutput(fmt::format("timeout 10 kcat -b {} -C -t interop -e -q -f '%k=%s\\n'", address));
  EXPECT_EQ(consume_status, 0);
  EXPECT_EQ(output, "k1=v1\nk2=v2\nk3=v3\nk4=v4\n");
}

// Measures the time from Produce to the record leaving Poll, one record at a time,
// with the default low-latency settings. The bound is loose, and the test prints the
// numbers.
TEST_F(KafkaTest, ProduceToConsumeLatencyIsLow) {
  broker_->CreateTopic("latency", 1);
  auto consumer = StartConsumer("latency", {"latency"}, StartupMode::kEarliestOffset);
  ASSERT_TRUE(PollUntil(*consumer, ReachedEnd("latency", 0)).reached_end.size() == 1)
      << "the consumer never reached the end of the empty partition";

  auto producer = StartProducer();
  std::vector<double> latencies_ms;
  for (int i = 0; i < 50; ++i) {
    auto sent = Clock::now();
    producer->Produce("latency", std::nullopt, std::to_string(i), 0, 0);
    Polled polled = PollUntil(*consumer, HasMessages(1), 2s);
    ASSERT_EQ(polled.messages.size(), 1u) << "record " << i << " did not arrive within 2 s";
    latencies_ms.push_back(std::chrono::duration<double, std::milli>(Clock::now() - sent).count());
  }

  std::sort(latencies_ms.begin(), latencies_ms.end());
  double median = latencies_ms[latencies_ms.size() / 2];
  double p90 = latencies_ms[latencies_ms.size() * 9 / 10];
  std::cout << fmt::format(
      "produce-to-consume latency over {} records: min {:.1f} ms, "
      "median {:.1f} ms, p90 {:.1f} ms, max {:.1f} ms\n",
      latencies_ms.size(), latencies_ms.front(), median, p90, latencies_ms.back());
  EXPECT_LT(median, 200.0);
}

}  // namespace
}  // namespace fsql::kafka
