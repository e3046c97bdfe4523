// Runs one rule against Kafka on its own thread: consumes the rule's source
// tables, drives its operators and writes the sink table.
#pragma once

#include <atomic>
#include <chrono>
#include <future>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "runtime/job/pipeline.h"

namespace fsql {

namespace kafka {
class KafkaConsumer;
}

enum class JobState { kCreated, kRunning, kStopped, kFailed };

struct JobStatus {
  JobState state = JobState::kCreated;
  std::string error;           // set when kFailed
  int64_t records_read = 0;    // Kafka records consumed
  int64_t records_skipped = 0; // bad records skipped under 'ignore-parse-errors'
  int64_t late_rows = 0;       // rows the running version's operators dropped behind the watermark
  int64_t records_written = 0; // records produced to the sink topic
  bool assigned = false;       // every source consumer has joined its group and has partitions
  int64_t replacements = 0;    // pipelines swapped in by Replace
};

struct JobOptions {
  /// How long a source partition may go without records before it stops
  /// holding back the watermark (see docs/semantics.md); 0 means never.
  std::chrono::milliseconds idle_timeout{5000};
  /// How often produced records are flushed and consumed offsets committed.
  std::chrono::milliseconds commit_interval{1000};
};

/// The outcome of RuleJob::Replace: the parts of the old pipeline it kept and those that start afresh.
struct ReplaceReport {
  std::vector<std::string> kept_state;   // operators that continue from the old pipeline's state
  std::vector<std::string> reset_state;  // stateful operators that start empty
  std::vector<std::string> dropped_state;  // old operators whose state no new operator took
  /// Sources read on by the same consumer, as "table from topic[partition]@next offset".
  std::vector<std::string> continued_sources;
  std::vector<std::string> new_sources;      // tables read by a new consumer from their startup position
  std::vector<std::string> stopped_sources;  // tables the new pipeline no longer reads
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

  /// Swaps in a new version of the rule at the next batch boundary and waits
  /// until it runs. Sources whose topic and client settings are unchanged keep
  /// their consumer, so reading continues at the next unread offset. The
  /// producer stays when the sink topic and its settings are unchanged. Each
  /// stateful operator of `pipeline` takes the state of an unused old operator
  /// with an equal state shape, in pipeline order, and the others start empty.
  /// The sources' current watermarks are then sent into the new pipeline.
  /// Rows of VALUES sources are not emitted again. Throws Error when the job
  /// is not running or a Kafka client cannot be created; the old pipeline then
  /// keeps running.
  ReplaceReport Replace(Pipeline pipeline, JobOptions options);

  JobStatus status() const;

 private:
  struct Runtime;
  struct PendingReplacement {
    Pipeline pipeline;
    JobOptions options;
    std::promise<ReplaceReport> done;
  };
  void RunLoop();
  void Fail(const std::string& error);
  std::unique_ptr<kafka::KafkaConsumer> CreateConsumer(const TableDefinition& table) const;
  /// Runs on the job thread between batches.
  void ApplyReplacement(PendingReplacement& next);

  std::string name_;
  Pipeline pipeline_;
  JobOptions options_;
  std::unique_ptr<Runtime> runtime_;
  std::thread thread_;
  std::atomic<bool> stop_requested_{false};
  mutable std::mutex status_mutex_;
  JobStatus status_;
  int64_t written_before_replacement_ = 0;  // records the sinks of earlier pipelines wrote
  std::mutex replace_mutex_;
  std::unique_ptr<PendingReplacement> pending_replacement_;
};

/// Returns the librdkafka properties of a table: its 'properties.*' options
/// without the prefix.
std::map<std::string, std::string> KafkaPropertiesOf(const TableDefinition& table);

}  // namespace fsql
