// RuleJob against the embedded broker: bad records stop a rule with the
// record's coordinates, or are skipped and counted when the table's options ask
// for it; and a partition without records stops holding back the watermark
// after 'table.exec.source.idle-timeout'.
#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>

#include <gtest/gtest.h>

#include "cli/cli_util.h"

namespace fsql::testing {
namespace {

using namespace std::chrono_literals;

class BadRecordTest : public ::testing::Test {
 protected:
  void SetUp() override { broker_ = kafka::EmbeddedBroker::Start(1); }

  /// Loads a pass-through rule from `in_t` to `out_t`, with extra options on `in_t`.
  std::unique_ptr<RuleJob> StartRule(const std::string& extra_options) {
    std::string path = ::testing::TempDir() + "/bad_record_rule.fsql";
    std::ofstream(path) << "CREATE TABLE in_t (a BIGINT, b STRING) WITH ('scan.startup.mode' = 'earliest-offset'"
                        << extra_options << ");\n"
                        << "CREATE TABLE out_t (a BIGINT, b STRING);\n"
                        << "SET 'client.statement-name' = 'copy';\n"
                        << "INSERT INTO out_t SELECT a, b FROM in_t;\n";
    loaded_ = std::make_unique<LoadedRules>();
    loaded_->config.default_table_options["properties.bootstrap.servers"] = broker_->BootstrapServers();
    EXPECT_TRUE(LoadRuleFiles({path}, *loaded_));
    cli::CreateTableTopics(*loaded_, *broker_);
    auto jobs = cli::StartRules(*loaded_);
    return std::move(jobs.at(0));
  }

  void Produce(const std::vector<std::string>& values) {
    auto producer = kafka::KafkaProducer::Create({{"bootstrap.servers", broker_->BootstrapServers()}});
    for (const auto& value : values) producer->Produce("in_t", std::nullopt, value, 0);
    producer->Flush(10s);
  }

  /// Waits until `done` holds for the job's status, for at most `timeout`.
  JobStatus WaitForStatus(RuleJob& job, const std::function<bool(const JobStatus&)>& done, std::chrono::seconds timeout) {
    auto deadline = std::chrono::steady_clock::now() + timeout;
    JobStatus status = job.status();
    while (!done(status) && std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(50ms);
      status = job.status();
    }
    return status;
  }

  std::unique_ptr<kafka::EmbeddedBroker> broker_;
  std::unique_ptr<LoadedRules> loaded_;
};

TEST_F(BadRecordTest, StopsRuleWithTopicPartitionOffset) {
  auto job = StartRule("");
  Produce({R"({"a":1,"b":"x"})", R"({"a":2,"b":"y"})", R"({"a":"three"})"});
  JobStatus status = WaitForStatus(*job, [](const JobStatus& s) { return s.state == JobState::kFailed; }, 30s);
  ASSERT_EQ(status.state, JobState::kFailed);
  EXPECT_NE(status.error.find("in_t/0@2"), std::string::npos) << status.error;
  EXPECT_NE(status.error.find("field 'a' is a string (\"three\"), expected BIGINT"), std::string::npos) << status.error;
  job->Stop();
  EXPECT_EQ(job->status().state, JobState::kFailed);
}

TEST_F(BadRecordTest, IgnoreParseErrorsSkipsAndCounts) {
  auto job = StartRule(", 'value.json.ignore-parse-errors' = 'true'");
  Produce({R"({"a":1,"b":"x"})", "not json", R"({"a":2.5})", R"({"a":3,"b":"z"})"});
  JobStatus status = WaitForStatus(*job, [](const JobStatus& s) { return s.records_read >= 4; }, 30s);
  EXPECT_EQ(status.state, JobState::kRunning) << status.error;
  EXPECT_EQ(status.records_read, 4);
  EXPECT_EQ(status.records_skipped, 2);
  EXPECT_EQ(status.records_written, 2);
  job->Stop();
  EXPECT_EQ(job->status().state, JobState::kStopped);
}

TEST_F(BadRecordTest, UnprefixedOptionAlsoSkips) {
  auto job = StartRule(", 'json.ignore-parse-errors' = 'true'");
  Produce({"[]", R"({"a":3})"});
  JobStatus status = WaitForStatus(*job, [](const JobStatus& s) { return s.records_read >= 2; }, 30s);
  EXPECT_EQ(status.records_skipped, 1);
  EXPECT_EQ(status.records_written, 1);
  job->Stop();
}

}  // namespace
}  // namespace fsql::testing

namespace fsql::testing {
namespace {

// A window over a two-partition topic whose records all land on partition 0:
// the window can only fire once partition 1 counts as idle.
class IdleTimeoutTest : public ::testing::Test {
 protected:
  void SetUp() override { broker_ = kafka::EmbeddedBroker::Start(1); }

  std::unique_ptr<RuleJob> StartWindowRule(const std::string& idle_timeout) {
    std::string path = ::testing::TempDir() + "/idle_rule.fsql";
    std::ofstream(path) << "SET 'table.exec.source.idle-timeout' = '" << idle_timeout << "';\n"
                        << "CREATE TABLE clicks (id BIGINT) DISTRIBUTED INTO 2 BUCKETS\n"
                        << "  WITH ('scan.startup.mode' = 'earliest-offset');\n"
                        << "CREATE TABLE counts (window_end TIMESTAMP(3), n BIGINT);\n"
                        << "SET 'client.statement-name' = 'count-clicks';\n"
                        << "INSERT INTO counts SELECT window_end, COUNT(*)\n"
                        << "FROM TABLE(TUMBLE(TABLE clicks, DESCRIPTOR(`$rowtime`), INTERVAL '1' SECOND))\n"
                        << "GROUP BY window_start, window_end;\n";
    loaded_ = std::make_unique<LoadedRules>();
    loaded_->config.default_table_options["properties.bootstrap.servers"] = broker_->BootstrapServers();
    EXPECT_TRUE(LoadRuleFiles({path}, *loaded_));
    cli::CreateTableTopics(*loaded_, *broker_);
    auto jobs = cli::StartRules(*loaded_);
    return std::move(jobs.at(0));
  }

  void ProduceToFirstPartition() {
    auto producer = kafka::KafkaProducer::Create({{"bootstrap.servers", broker_->BootstrapServers()}});
    for (int64_t time : {1'000, 1'500, 3'000}) {
      producer->Produce("clicks", std::nullopt, "{\"id\":1}", 1'700'000'000'000 + time, 0);
    }
    producer->Flush(10s);
  }

  /// Waits up to `timeout` for the job to write `count` records; returns what it wrote.
  int64_t WaitForWritten(RuleJob& job, int64_t count, std::chrono::milliseconds timeout) {
    auto deadline = std::chrono::steady_clock::now() + timeout;
    while (job.status().records_written < count && std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(50ms);
    }
    return job.status().records_written;
  }

  std::unique_ptr<kafka::EmbeddedBroker> broker_;
  std::unique_ptr<LoadedRules> loaded_;
};

TEST_F(IdleTimeoutTest, IdlePartitionStopsHoldingBackTheWatermark) {
  auto job = StartWindowRule("200 ms");
  ProduceToFirstPartition();
  EXPECT_EQ(WaitForWritten(*job, 1, 20s), 1) << "the window [1.0 s, 2.0 s) never fired";
  job->Stop();
}

TEST_F(IdleTimeoutTest, ZeroNeverMarksAPartitionIdle) {
  auto job = StartWindowRule("0");
  ProduceToFirstPartition();
  // Once the records have been read, the empty partition still has no event
  // time, so the watermark cannot pass the window's end.
  auto deadline = std::chrono::steady_clock::now() + 20s;
  while (job->status().records_read < 3 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(50ms);
  }
  ASSERT_EQ(job->status().records_read, 3);
  EXPECT_EQ(WaitForWritten(*job, 1, 2s), 0);
  job->Stop();
}

TEST(IdleTimeoutSetting, InvalidValueFailsAtItsSetStatement) {
  Catalog catalog;
  SessionConfig config;
  ScriptPlanner planner(catalog, config);
  try {
    planner.PlanScript("SET 'table.exec.source.idle-timeout' = 'soon';", "idle.fsql");
    FAIL() << "the invalid duration was accepted";
  } catch (const SqlError& error) {
    EXPECT_EQ(error.message(), "invalid value 'soon' for 'table.exec.source.idle-timeout'");
    EXPECT_EQ(error.location().line, 1);
  }
}

}  // namespace
}  // namespace fsql::testing

namespace fsql::testing {
namespace {

// `fsql run` cannot feed a table that only an application linking the library feeds.
TEST(EmbeddedTableJob, StartRejectsEmbeddedTables) {
  LoadedRules loaded;
  auto error = LoadRuleSources({RuleSource{"embedded.fsql",
                                           "CREATE TABLE e (a BIGINT) WITH ('connector' = 'embedded');\n"
                                           "CREATE TABLE k (a BIGINT);\n"
                                           "INSERT INTO k SELECT a FROM e;\n"}},
                               loaded);
  ASSERT_FALSE(error.has_value()) << error->rendered;
  ASSERT_EQ(loaded.rules.size(), 1u);
  RuleJob job("embedded", BuildPipeline(loaded.rules[0]));
  try {
    job.Start();
    FAIL() << "expected a ConnectorError";
  } catch (const ConnectorError& failure) {
    EXPECT_NE(std::string(failure.what()).find("'connector' = 'embedded'"), std::string::npos) << failure.what();
  }
}

TEST_F(IdleTimeoutTest, LateRowsAreCountedInTheJobStatus) {
  auto job = StartWindowRule("0 ms");
  auto producer = kafka::KafkaProducer::Create({{"bootstrap.servers", broker_->BootstrapServers()}});
  // Both partitions get records, so the watermark moves without idleness; the
  // last record belongs to a window that has already fired.
  for (int32_t partition : {0, 1}) {
    for (int64_t time : {1'000, 9'000}) {
      producer->Produce("clicks", std::nullopt, "{\"id\":1}", 1'700'000'000'000 + time, partition);
    }
  }
  producer->Flush(10s);
  ASSERT_GE(WaitForWritten(*job, 1, 30s), 1) << job->status().error;
  producer->Produce("clicks", std::nullopt, "{\"id\":2}", 1'700'000'000'000 + 1'200, 0);
  producer->Flush(10s);
  auto deadline = std::chrono::steady_clock::now() + 30s;
  while (job->status().late_rows < 1 && std::chrono::steady_clock::now() < deadline) std::this_thread::sleep_for(50ms);
  EXPECT_EQ(job->status().late_rows, 1);
  job->Stop();
}

}  // namespace
}  // namespace fsql::testing
