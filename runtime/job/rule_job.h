// Runs one rule against Kafka on its own thread: consumes the rule's source
// tables, drives its operators and writes the sink table.
#pragma once

#include <atomic>
#include <chrono>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "runtime/job/pipeline.h"

namespace fsql {

enum class JobState { kCreated, kRunning, kStopped, kFailed };

struct JobStatus {
  JobState state = JobState::kCreated;
  std::string error;           // set when kFailed
  int64_t records_read = 0;    // Kafka records consumed
  int64_t records_skipped = 0; // bad records skipped under 'ignore-parse-errors'
  int64_t records_written = 0; // records produced to the sink topic
  bool assigned = false;       // every source consumer has joined its group and has partitions
};

struct JobOptions {
  /// How long a source partition may go without records before it stops
  /// holding back the watermark (see docs/semantics.md); 0 means never.
  std::chrono::milliseconds idle_timeout{5000};
  /// How often produced records are flushed and consumed offsets committed.
  std::chrono::milliseconds commit_interval{1000};
};

/// Owns a rule's pipeline and the thread that runs it. Start and Stop may be
/// called from any one thread; status() from any thread.
class RuleJob {
 public:
  RuleJob(std::string name, Pipeline pipeline, JobOptions options = {});
  ~RuleJob();

  const std::string& name() const { return name_; }

  /// Connects to Kafka and starts the thread. Throws ConnectorError when a
  /// client cannot be created. A pipeline without a sink table must already
  /// have its output connected to a sink operator of the caller's, which is
  /// then called on the job thread.
  void Start();
  /// Stops the thread at a batch boundary, flushes the sink and commits offsets.
  void Stop();

  JobStatus status() const;

 private:
  struct Runtime;
  void RunLoop();
  void Fail(const std::string& error);

  std::string name_;
  Pipeline pipeline_;
  JobOptions options_;
  std::unique_ptr<Runtime> runtime_;
  std::thread thread_;
  std::atomic<bool> stop_requested_{false};
  mutable std::mutex status_mutex_;
  JobStatus status_;
};

/// Returns the librdkafka properties of a table: its 'properties.*' options
/// without the prefix.
std::map<std::string, std::string> KafkaPropertiesOf(const TableDefinition& table);

}  // namespace fsql
