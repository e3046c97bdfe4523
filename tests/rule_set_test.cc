// RuleSet against the embedded broker: a rule replaced between batches reads
// on from the next offset and keeps the state of its aggregation, a rule left
// unchanged by Sync keeps its job, and a removed rule stops.
#include <chrono>
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

  // The fourth record counts on from 3, and the new version scales it.
  std::vector<std::string> expected = {R"({"k":1,"n":1})", R"({"k":1,"n":2})", R"({"k":1,"n":3})",
                                       R"({"k":1,"n":40})"};
  EXPECT_EQ(Output(), expected);
}

TEST_F(RuleSetTest, ReplaceUnknownIdThrows) {
  RuleSet rules;
  std::vector<RuleVersion> versions = Versions(CountRule(1));
  EXPECT_THROW(rules.Replace(versions.at(0)), Error);
  EXPECT_FALSE(rules.Remove("count"));
}

}  // namespace
}  // namespace fsql::testing
