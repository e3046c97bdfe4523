// RuleSet against the embedded broker: a rule replaced between batches reads
// on from the next offset and keeps the state of its aggregation, a rule left
// unchanged by Sync keeps its job, and a removed rule stops.
#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>

#include <gtest/gtest.h>

#include "cli/cli_util.h"
#include "cli/rule_reloader.h"

namespace fsql::testing {
namespace {

using namespace std::chrono_literals;

/// Returns a rule that writes a per-key count to an upsert table. `scale`
/// multiplies the count, so every output value shows which version wrote it.
std::string CountRule(int scale) {
  return fmt::format(
      "CREATE TABLE in_t (k BIGINT) WITH ('scan.startup.mode' = 'earliest-offset');\n"
      "CREATE TABLE out_t (k BIGINT, n BIGINT, PRIMARY KEY (k) NOT ENFORCED) WITH ('changelog.mode' = 'upsert');\n"
      "SET 'client.statement-name' = 'count';\n"
      "INSERT INTO out_t SELECT k, n * {} FROM (SELECT k, COUNT(*) AS n FROM in_t GROUP BY k);\n",
      scale);
}

class RuleSetTest : public ::testing::Test {
 protected:
  void SetUp() override {
    broker_ = kafka::EmbeddedBroker::Start(1);
    broker_->CreateTopic("in_t", 1);
    broker_->CreateTopic("out_t", 1);
  }

  /// Plans `text` and returns its rule versions.
  std::vector<RuleVersion> Versions(const std::string& text) {
    auto loaded = std::make_shared<LoadedRules>();
    loaded->config.default_table_options["properties.bootstrap.servers"] = broker_->BootstrapServers();
    auto error = LoadRuleSources({{"count.fsql", text}}, *loaded);
    EXPECT_FALSE(error.has_value()) << (error ? error->rendered : "");
    return cli::RuleVersionsOf(loaded);
  }

  void Produce(int count) {
    auto producer = kafka::KafkaProducer::Create({{"bootstrap.servers", broker_->BootstrapServers()}});
    for (int i = 0; i < count; ++i) producer->Produce("in_t", std::nullopt, R"({"k":1})", 0);
    producer->Flush(10s);
  }

  /// Waits until the only rule of `rules` has read `count` records.
  bool WaitForRead(const RuleSet& rules, int64_t count) {
    for (auto deadline = std::chrono::steady_clock::now() + 30s; std::chrono::steady_clock::now() < deadline;) {
      std::vector<RuleInfo> list = rules.List();
      if (list.size() == 1 && list[0].status.records_read >= count) return true;
      std::this_thread::sleep_for(50ms);
    }
    return false;
  }

  /// Reads every value of out_t.
  std::vector<std::string> Output() {
    kafka::ConsumerOptions options;
    options.properties = {{"bootstrap.servers", broker_->BootstrapServers()}, {"group.id", "rule-set-test-reader"}};
    options.topics = {"out_t"};
    options.startup_mode = kafka::StartupMode::kEarliestOffset;
    auto consumer = kafka::KafkaConsumer::Create(options);
    std::vector<std::string> values;
    for (auto deadline = std::chrono::steady_clock::now() + 15s; std::chrono::steady_clock::now() < deadline;) {
      kafka::PollResult polled = consumer->Poll(100, 100ms);
      for (const auto& message : polled.messages) values.push_back(message.value.value_or("<tombstone>"));
      if (!polled.reached_end.empty()) break;
    }
    consumer->Close();
    return values;
  }

  std::unique_ptr<kafka::EmbeddedBroker> broker_;
};

TEST_F(RuleSetTest, ReplaceKeepsOffsetsAndState) {
  RuleSet rules;
  std::vector<RuleChange> changes = rules.Sync(Versions(CountRule(1)));
  ASSERT_EQ(changes.size(), 1u);
  EXPECT_EQ(changes[0].kind, RuleChange::Kind::kStarted);
  Produce(3);
  ASSERT_TRUE(WaitForRead(rules, 3));

  // An unchanged text changes nothing.
  EXPECT_TRUE(rules.Sync(Versions(CountRule(1))).empty());

  changes = rules.Sync(Versions(CountRule(10)));
  ASSERT_EQ(changes.size(), 1u);
  ASSERT_EQ(changes[0].kind, RuleChange::Kind::kReplaced) << changes[0].error;
  EXPECT_EQ(changes[0].id, "count");
  EXPECT_EQ(changes[0].report.kept_state, std::vector<std::string>{"GroupAggregate"});
  EXPECT_TRUE(changes[0].report.reset_state.empty());
  ASSERT_EQ(changes[0].report.continued_sources.size(), 1u);
  EXPECT_EQ(changes[0].report.continued_sources[0], "in_t from in_t[0]@3");

  Produce(1);
  ASSERT_TRUE(WaitForRead(rules, 4));
  std::vector<RuleInfo> list = rules.List();
  ASSERT_EQ(list.size(), 1u);
  EXPECT_EQ(list[0].status.replacements, 1);
  EXPECT_EQ(list[0].status.records_read, 4) << "a record was read twice";

  changes = rules.Sync({});
  ASSERT_EQ(changes.size(), 1u);
  EXPECT_EQ(changes[0].kind, RuleChange::Kind::kStopped);
  EXPECT_TRUE(rules.empty());
  // The stopped rule stays listed with its final status until it starts again.
  std::vector<RuleInfo> stopped = rules.Stopped();
  ASSERT_EQ(stopped.size(), 1u);
  EXPECT_EQ(stopped[0].id, "count");
  EXPECT_EQ(stopped[0].status.state, JobState::kStopped);
  EXPECT_EQ(stopped[0].status.records_read, 4);
  EXPECT_EQ(stopped[0].change.kind, RuleChange::Kind::kStopped);

  // The fourth record counts on from 3, and the new version scales it.
  std::vector<std::string> expected = {R"({"k":1,"n":1})", R"({"k":1,"n":2})", R"({"k":1,"n":3})",
                                       R"({"k":1,"n":40})"};
  EXPECT_EQ(Output(), expected);

  rules.Sync(Versions(CountRule(1)));
  EXPECT_TRUE(rules.Stopped().empty()) << "a rule that started again is still listed as stopped";
  rules.StopAll();
}

/// Waits until the only rule of `rules` is in `state`.
bool WaitForState(const RuleSet& rules, JobState state) {
  for (auto deadline = std::chrono::steady_clock::now() + 30s; std::chrono::steady_clock::now() < deadline;) {
    std::vector<RuleInfo> list = rules.List();
    if (list.size() == 1 && list[0].status.state == state) return true;
    std::this_thread::sleep_for(20ms);
  }
  return false;
}

TEST_F(RuleSetTest, FailedRuleRestartsWithBackoff) {
  // A record that is not JSON fails the job at every restart, until the
  // group's committed offset is moved past it, as an operator would do.
  auto producer = kafka::KafkaProducer::Create({{"bootstrap.servers", broker_->BootstrapServers()}});
  producer->Produce("in_t", std::nullopt, R"({"k":1})", 0);
  producer->Produce("in_t", std::nullopt, "not json", 0);
  producer->Produce("in_t", std::nullopt, R"({"k":1})", 0);
  producer->Flush(10s);
  // librdkafka 2.0.2's mock cluster completes a join after a member left only
  // after session.timeout.ms - 1 s, so a short session keeps each restart quick.
  const std::string session = "'properties.session.timeout.ms' = '4000', 'properties.heartbeat.interval.ms' = '250'";
  std::string text = CountRule(1);
  std::string earliest = "'scan.startup.mode' = 'earliest-offset'";
  text.replace(text.find(earliest), earliest.size(), "'scan.startup.mode' = 'group-offsets', " + session);

  RestartPolicy policy;
  policy.initial_delay = 100ms;
  policy.max_delay = 1000ms;
  RuleSet rules(policy);
  rules.Sync(Versions(text));
  ASSERT_TRUE(WaitForState(rules, JobState::kFailed));

  // The first call notices the failure and sets the delay, and a later call restarts the job.
  EXPECT_TRUE(rules.RestartFailed().empty());
  std::vector<RuleInfo> list = rules.List();
  ASSERT_TRUE(list.at(0).restart_in.has_value());
  EXPECT_LE(list[0].restart_in->count(), 100);
  EXPECT_EQ(list[0].failed_restarts, 0);
  EXPECT_NE(list[0].status.error.find("in_t"), std::string::npos) << list[0].status.error;
  EXPECT_TRUE(rules.RestartFailed().empty()) << "restarted before the delay passed";

  std::this_thread::sleep_for(150ms);
  std::vector<RuleChange> changes = rules.RestartFailed();
  ASSERT_EQ(changes.size(), 1u);
  EXPECT_EQ(changes[0].kind, RuleChange::Kind::kRetried) << changes[0].error;
  EXPECT_EQ(changes[0].attempt, 1);
  EXPECT_NE(changes[0].error.find("in_t"), std::string::npos) << changes[0].error;

  // The same record fails the new job, and the next delay is twice as long.
  ASSERT_TRUE(WaitForState(rules, JobState::kFailed));
  EXPECT_TRUE(rules.RestartFailed().empty());
  list = rules.List();
  ASSERT_TRUE(list.at(0).restart_in.has_value());
  EXPECT_GT(list[0].restart_in->count(), 100);
  EXPECT_LE(list[0].restart_in->count(), 200);
  EXPECT_EQ(list[0].failed_restarts, 1);

  // Commit the offset after the bad record for the rule's consumer group.
  kafka::ConsumerOptions options;
  options.properties = {{"bootstrap.servers", broker_->BootstrapServers()},
                        {"group.id", "fsql.count.in_t"},
                        {"session.timeout.ms", "4000"},
                        {"heartbeat.interval.ms", "250"}};
  options.topics = {"in_t"};
  options.startup_mode = kafka::StartupMode::kGroupOffsets;
  auto consumer = kafka::KafkaConsumer::Create(options);
  for (auto deadline = std::chrono::steady_clock::now() + 15s;
       consumer->Assignment().empty() && std::chrono::steady_clock::now() < deadline;) {
    consumer->Poll(10, 100ms);
  }
  ASSERT_FALSE(consumer->Assignment().empty());
  consumer->StoreOffset("in_t", 0, 1);
  consumer->Commit();
  consumer->Close();

  std::this_thread::sleep_for(250ms);
  changes = rules.RestartFailed();
  ASSERT_EQ(changes.size(), 1u);
  EXPECT_EQ(changes[0].kind, RuleChange::Kind::kRetried) << changes[0].error;
  EXPECT_EQ(changes[0].attempt, 2);
  Produce(1);
  ASSERT_TRUE(WaitForRead(rules, 2));
  list = rules.List();
  EXPECT_EQ(list.at(0).status.state, JobState::kRunning) << list[0].status.error;
  EXPECT_EQ(list[0].change.kind, RuleChange::Kind::kRetried);
  EXPECT_FALSE(list[0].restart_in.has_value());
  EXPECT_TRUE(rules.RestartFailed().empty());
  EXPECT_TRUE(rules.StopAll());

  // The restarted job read on after the bad record, so the first record is
  // not counted again. A failed job may have written a count of 1 for it
  // before it reached the bad record.
  std::vector<std::string> output = Output();
  ASSERT_GE(output.size(), 2u);
  EXPECT_EQ(output[output.size() - 2], R"({"k":1,"n":1})");
  EXPECT_EQ(output.back(), R"({"k":1,"n":2})");
  for (size_t i = 0; i + 1 < output.size(); ++i) EXPECT_EQ(output[i], R"({"k":1,"n":1})") << i;
}

TEST_F(RuleSetTest, TouchRestartsFailedRuleAtOnce) {
  auto producer = kafka::KafkaProducer::Create({{"bootstrap.servers", broker_->BootstrapServers()}});
  producer->Produce("in_t", std::nullopt, "not json", 0);
  producer->Flush(10s);
  std::string path = ::testing::TempDir() + "/touch_count.fsql";
  std::ofstream(path) << CountRule(1);

  RestartPolicy policy;
  policy.initial_delay = 60s;
  RuleSet rules(policy);
  SessionConfig config;
  config.default_table_options["properties.bootstrap.servers"] = broker_->BootstrapServers();
  cli::RuleReloader reloader(config, {path}, rules);
  auto error = reloader.Start();
  ASSERT_FALSE(error.has_value()) << error->rendered;
  ASSERT_TRUE(WaitForState(rules, JobState::kFailed));
  EXPECT_TRUE(rules.RestartFailed().empty());
  ASSERT_TRUE(rules.List().at(0).restart_in.has_value());
  EXPECT_GT(rules.List()[0].restart_in->count(), 50'000);

  // A poll without a change to the file restarts nothing.
  EXPECT_FALSE(reloader.PollFiles());
  EXPECT_TRUE(rules.RestartFailed().empty());

  std::filesystem::last_write_time(path, std::filesystem::file_time_type::clock::now() + 2s);
  EXPECT_FALSE(reloader.PollFiles()) << "a touch planned the file again";
  std::vector<RuleChange> changes = rules.RestartFailed();
  ASSERT_EQ(changes.size(), 1u);
  EXPECT_EQ(changes[0].kind, RuleChange::Kind::kRetried) << changes[0].error;
  EXPECT_EQ(changes[0].attempt, 1);
  // The restarted job fails on the same record again, so StopAll reports a failure.
  rules.StopAll();
  std::filesystem::remove(path);
}

TEST(DiffLinesTest, MarksRemovedAndAddedLines) {
  std::vector<std::string> expected = {"- b", "+ B", "+ e"};
  EXPECT_EQ(DiffLines("a\nb\nc\nd\n", "a\nB\nc\nd\ne\n"), expected);
  EXPECT_TRUE(DiffLines("same\n", "same\n").empty());
}

TEST_F(RuleSetTest, ReplaceUnknownIdThrows) {
  RuleSet rules;
  std::vector<RuleVersion> versions = Versions(CountRule(1));
  EXPECT_THROW(rules.Replace(versions.at(0)), Error);
  EXPECT_FALSE(rules.Remove("count"));
}

}  // namespace
}  // namespace fsql::testing
