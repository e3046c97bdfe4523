// End-to-end: the embedded broker, the rule files from rules/ unchanged, the
// traffic generator with a fixed seed, and a separate consumer reading the
// output topics back.
#include <chrono>
#include <map>
#include <set>
#include <thread>

#include <gtest/gtest.h>
#include <simdjson.h>

#include "cli/cli_util.h"
#include "examples/traffic/traffic_writer.h"

namespace fsql::testing {
namespace {

using namespace std::chrono_literals;
using traffic::FraudKind;
using traffic::InjectedFraud;

const std::string kRules = FSQL_SOURCE_DIR "/rules";

/// The latest value of every key of an upsert topic, and every value of an append topic.
struct TopicContents {
  std::map<std::string, std::string> latest_by_key;
  std::vector<std::string> values;
};

class FraudPipelineTest : public ::testing::Test {
 protected:
  void SetUp() override {
    broker_ = kafka::EmbeddedBroker::Start(1);
    loaded_.config.default_table_options["properties.bootstrap.servers"] = broker_->BootstrapServers();
    ASSERT_TRUE(LoadRuleFiles(ExpandRulePaths({kRules}), loaded_));
    cli::CreateTableTopics(loaded_, *broker_);
    jobs_ = cli::StartRules(loaded_);
    ASSERT_TRUE(cli::WaitForAssignments(jobs_, 30s));
    producer_ = kafka::KafkaProducer::Create({{"bootstrap.servers", broker_->BootstrapServers()}});
  }

  void TearDown() override {
    for (auto& job : jobs_) {
      job->Stop();
      EXPECT_NE(job->status().state, JobState::kFailed) << job->name() << ": " << job->status().error;
    }
  }

  /// Writes normal traffic for `duration` at `rate` transactions per second.
  void NormalTraffic(traffic::TrafficWriter& writer, std::chrono::milliseconds duration, double rate) {
    traffic::TrafficSchedule schedule;
    schedule.transactions_per_second = rate;
    auto end = std::chrono::steady_clock::now() + duration;
    writer.Run(schedule, [&] { return std::chrono::steady_clock::now() >= end; }, nullptr);
  }

  /// Reads `topics` from the beginning until `done` returns true or `timeout` passes,
  /// then goes on for `settle` so that records arriving late are seen too.
  std::map<std::string, TopicContents> ReadOutput(const std::vector<std::string>& topics,
                                                  const std::function<bool(const std::map<std::string, TopicContents>&)>& done,
                                                  std::chrono::milliseconds timeout, std::chrono::milliseconds settle) {
    kafka::ConsumerOptions options;
    options.properties = {{"bootstrap.servers", broker_->BootstrapServers()},
                          {"group.id", fmt::format("e2e-reader-{}", ++readers_)}};
    options.topics = topics;
    options.startup_mode = kafka::StartupMode::kEarliestOffset;
    auto consumer = kafka::KafkaConsumer::Create(options);
    std::map<std::string, TopicContents> contents;
    auto deadline = std::chrono::steady_clock::now() + timeout;
    std::optional<std::chrono::steady_clock::time_point> settled_at;
    while (std::chrono::steady_clock::now() < (settled_at ? *settled_at : deadline)) {
      if (!settled_at && done(contents)) settled_at = std::chrono::steady_clock::now() + settle;
      for (const auto& message : consumer->Poll(500, 100ms).messages) {
        TopicContents& topic = contents[message.topic];
        std::string key = message.key.value_or("");
        if (message.value) {
          topic.latest_by_key[key] = *message.value;
          topic.values.push_back(*message.value);
        } else {
          topic.latest_by_key.erase(key);
        }
      }
    }
    consumer->Close();
    return contents;
  }

  std::unique_ptr<kafka::EmbeddedBroker> broker_;
  LoadedRules loaded_;
  std::vector<std::unique_ptr<RuleJob>> jobs_;
  std::unique_ptr<kafka::KafkaProducer> producer_;
  int readers_ = 0;
};

TEST_F(FraudPipelineTest, FlagsExactlyTheInjectedFraud) {
  traffic::GeneratorOptions options;
  options.seed = 7;
  traffic::TrafficGenerator generator(options);
  traffic::TrafficWriter writer(generator, *producer_);
  writer.WriteSnapshot();
  NormalTraffic(writer, 1000ms, 100);

  // Accounts whose id is a multiple of 10 never get normal traffic, so each
  // fraud's totals are exactly its own transactions.
  std::map<int64_t, InjectedFraud> user_frauds;
  InjectedFraud foreign;
  for (auto [kind, account] : std::vector<std::pair<FraudKind, int64_t>>{{FraudKind::kBurstCount, 10},
                                                                          {FraudKind::kBurstAmount, 20},
                                                                          {FraudKind::kLargeAmount, 30},
                                                                          {FraudKind::kForeignIp, 40}}) {
    auto [records, fraud] = generator.InjectFraud(kind, traffic::WallClockMillis(), account);
    writer.WriteAll(records);
    if (kind == FraudKind::kForeignIp) {
      foreign = fraud;
    } else {
      user_frauds[account] = fraud;
    }
    NormalTraffic(writer, 300ms, 100);
  }
  // Later traffic moves the watermark past the last fraud.
  NormalTraffic(writer, 1500ms, 100);
  producer_->Flush(10s);

  auto settled = ReadOutput(
      {"flagged_user", "flagged_transaction"},
      [&](const auto& contents) {
        auto users = contents.find("flagged_user");
        auto transactions = contents.find("flagged_transaction");
        return users != contents.end() && users->second.latest_by_key.size() >= user_frauds.size() &&
               transactions != contents.end() && !transactions->second.values.empty();
      },
      30s, 2000ms);

  simdjson::dom::parser parser;
  std::set<int64_t> flagged_accounts;
  for (const auto& [key, value] : settled["flagged_user"].latest_by_key) {
    simdjson::dom::element row = parser.parse(value);
    int64_t account = row["ACCOUNT_ID"].get_int64();
    flagged_accounts.insert(account);
    ASSERT_TRUE(user_frauds.count(account)) << "normal traffic flagged account " << account << ": " << value;
    const InjectedFraud& fraud = user_frauds[account];
    EXPECT_EQ(key, fmt::format(R"({{"ACCOUNT_ID":{}}})", account));
    EXPECT_EQ(int64_t(row["transaction_count"].get_int64()), static_cast<int64_t>(fraud.transactions.size()))
        << traffic::FraudKindName(fraud.kind) << ": " << value;
    EXPECT_NEAR(double(row["total_amount"].get_double()), fraud.total_amount, 1e-6) << value;
    EXPECT_FALSE(std::string_view(row["USERNAME"].get_string()).empty()) << value;
  }
  EXPECT_EQ(flagged_accounts, (std::set<int64_t>{10, 20, 30}));

  ASSERT_EQ(settled["flagged_transaction"].values.size(), 1u);
  simdjson::dom::element flagged = parser.parse(settled["flagged_transaction"].values[0]);
  EXPECT_EQ(int64_t(flagged["ID"].get_int64()), foreign.transactions.at(0).id);
  EXPECT_EQ(int64_t(flagged["ACCOUNT_ID"].get_int64()), 40);
  EXPECT_EQ(std::string_view(flagged["IP_ADDRESS"].get_string()), foreign.transactions.at(0).ip_address);
  EXPECT_GE(int64_t(flagged["SECONDS_TO_DETECT"].get_int64()), 0);
}

TEST_F(FraudPipelineTest, NormalTrafficFlagsNothing) {
  traffic::GeneratorOptions options;
  options.seed = 11;
  traffic::TrafficGenerator generator(options);
  traffic::TrafficWriter writer(generator, *producer_);
  writer.WriteSnapshot();
  NormalTraffic(writer, 3000ms, 200);
  producer_->Flush(10s);
  auto output = ReadOutput(
      {"flagged_user", "flagged_transaction", "user_transaction"},
      [](const auto& contents) {
        auto cleaned = contents.find("user_transaction");
        return cleaned != contents.end() && cleaned->second.values.size() > 300;
      },
      30s, 1500ms);
  EXPECT_TRUE(output["flagged_user"].values.empty());
  EXPECT_TRUE(output["flagged_transaction"].values.empty());
  // The cleaning rule did see the traffic, so the silence above means something.
  EXPECT_GT(output["user_transaction"].values.size(), 300u);
}

}  // namespace
}  // namespace fsql::testing
