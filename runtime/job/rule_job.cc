#include "runtime/job/rule_job.h"

#include <algorithm>
#include <map>

#include "runtime/common/logging.h"
#include "runtime/connectors/kafka.h"
#include "runtime/formats/json_format.h"

namespace fsql {

namespace {

int64_t NowMillis() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

kafka::StartupMode ParseStartupMode(const std::string& mode) {
  if (mode == "earliest-offset") return kafka::StartupMode::kEarliestOffset;
  if (mode == "latest-offset") return kafka::StartupMode::kLatestOffset;
  if (mode == "timestamp") return kafka::StartupMode::kTimestamp;
  return kafka::StartupMode::kGroupOffsets;
}

/// Writes sink rows to the table's topic: JSON values keyed by the primary key
/// or the distribution key. Upsert tables skip -U and write -D as a tombstone.
class KafkaSinkOperator : public SinkOperator {
 public:
  KafkaSinkOperator(const TableDefinition& table, kafka::KafkaProducer& producer)
      : table_(table), producer_(producer), encoder_(table) {}

  void ProcessBatch(int input, std::vector<Row>& rows) override {
    for (const Row& row : rows) {
      RowView view = row.view();
      std::optional<std::string> key;
      if (encoder_.has_key()) key = encoder_.EncodeKey(view);
      int64_t timestamp = row.event_time() == kNoTime ? 0 : row.event_time();
      switch (row.kind()) {
        case RowKind::kInsert:
        case RowKind::kUpdateAfter:
          producer_.Produce(table_.topic, key, encoder_.EncodeValue(view), timestamp);
          break;
        case RowKind::kUpdateBefore:
          break;  // an upsert topic needs only the new row of a key
        case RowKind::kDelete:
          producer_.Produce(table_.topic, key, std::nullopt, timestamp);
          break;
      }
      ++written_;
    }
  }

  int64_t written() const { return written_; }

 private:
  const TableDefinition& table_;
  kafka::KafkaProducer& producer_;
  JsonRowEncoder encoder_;
  int64_t written_ = 0;
};

/// Per-partition event time of one source, combined into its watermark.
struct PartitionClock {
  int64_t max_event_time = kNoTime;
  std::chrono::steady_clock::time_point last_record = std::chrono::steady_clock::now();
};

}  // namespace

std::map<std::string, std::string> KafkaPropertiesOf(const TableDefinition& table) {
  std::map<std::string, std::string> properties;
  for (const auto& [key, value] : table.options) {
    if (key.rfind("properties.", 0) == 0) properties[key.substr(11)] = value;
  }
  return properties;
}

struct RuleJob::Runtime {
  struct Source {
    const Pipeline::Source* spec = nullptr;
    std::unique_ptr<kafka::KafkaConsumer> consumer;
    std::unique_ptr<JsonRowDecoder> decoder;
    std::map<std::pair<std::string, int32_t>, PartitionClock> partitions;
    int64_t watermark = kNoTime;
    int64_t skipped = 0;
    std::chrono::steady_clock::time_point last_skip_log;
    std::map<std::pair<std::string, int32_t>, int64_t> next_offsets;  // after the last record pushed
  };
  std::vector<Source> sources;
  std::unique_ptr<kafka::KafkaProducer> producer;
  KafkaSinkOperator* sink = nullptr;
};

RuleJob::RuleJob(std::string name, Pipeline pipeline, JobOptions options)
    : name_(std::move(name)), pipeline_(std::move(pipeline)), options_(options) {}

RuleJob::~RuleJob() { Stop(); }

JobStatus RuleJob::status() const {
  std::lock_guard<std::mutex> lock(status_mutex_);
  return status_;
}

void RuleJob::Start() {
  // Only an application linking the fsql library can feed or read an embedded table.
  for (const auto& source : pipeline_.sources) {
    if (source.table->is_embedded()) {
      throw ConnectorError(fmt::format("rule {} reads table {}, which has 'connector' = 'embedded'; only an "
                                       "application using the fsql library can feed it",
                                       name_, source.table->name));
    }
  }
  if (pipeline_.sink_table != nullptr && pipeline_.sink_table->is_embedded()) {
    throw ConnectorError(fmt::format("rule {} writes table {}, which has 'connector' = 'embedded'; only an "
                                     "application using the fsql library can read it",
                                     name_, pipeline_.sink_table->name));
  }
  runtime_ = std::make_unique<Runtime>();
  // Without a sink table the caller has connected pipeline.output to a sink of
  // its own, as an ad hoc query does.
  if (pipeline_.sink_table != nullptr) {
    const TableDefinition& sink_table = *pipeline_.sink_table;
    runtime_->producer = kafka::KafkaProducer::Create(KafkaPropertiesOf(sink_table));
    runtime_->producer->EnsureTopic(sink_table.topic, sink_table.buckets > 0 ? sink_table.buckets : 1);
    runtime_->sink = pipeline_.Add<KafkaSinkOperator>(sink_table, *runtime_->producer);
    pipeline_.output->Connect(runtime_->sink, 0);
  }

  for (const auto& spec : pipeline_.sources) {
    Runtime::Source source;
    source.spec = &spec;
    source.consumer = CreateConsumer(*spec.table);
    source.decoder = std::make_unique<JsonRowDecoder>(*spec.table, spec.reads);
    runtime_->sources.push_back(std::move(source));
  }
  {
    std::lock_guard<std::mutex> lock(status_mutex_);
    status_.state = JobState::kRunning;
  }
  spdlog::info("rule {}: started, reading {} table(s), writing {}", name_, pipeline_.sources.size(),
               pipeline_.sink_table ? pipeline_.sink_table->name : std::string("to the caller"));
  thread_ = std::thread([this] { RunLoop(); });
}

std::unique_ptr<kafka::KafkaConsumer> RuleJob::CreateConsumer(const TableDefinition& table) const {
  kafka::ConsumerOptions options;
  options.properties = KafkaPropertiesOf(table);
  // Each rule reads each table in a group of its own, so rules never split a topic's partitions.
  options.properties.emplace("group.id", fmt::format("fsql.{}.{}", name_, table.name));
  options.topics = {table.topic};
  options.startup_mode = ParseStartupMode(table.startup_mode);
  auto timestamp = table.options.find("scan.startup.timestamp-millis");
  if (timestamp != table.options.end()) options.startup_timestamp_ms = std::stoll(timestamp->second);
  return kafka::KafkaConsumer::Create(options);
}

void RuleJob::Stop() {
  stop_requested_ = true;
  if (thread_.joinable()) thread_.join();
}

void RuleJob::Fail(const std::string& error) {
  spdlog::error("rule {}: stopped: {}", name_, error);
  std::lock_guard<std::mutex> lock(status_mutex_);
  status_.state = JobState::kFailed;
  status_.error = error;
}

void RuleJob::RunLoop() {
  Runtime& rt = *runtime_;
  auto last_commit = std::chrono::steady_clock::now();
  bool failed = false;

  for (auto& values : pipeline_.values) {
    std::vector<Row> rows = values.rows;
    values.entry->ProcessBatch(0, rows);
    values.entry->ProcessWatermark(0, INT64_MAX);
  }

  try {
    while (!stop_requested_) {
      std::unique_ptr<PendingReplacement> replacement;
      {
        std::lock_guard<std::mutex> lock(replace_mutex_);
        replacement = std::move(pending_replacement_);
      }
      if (replacement) ApplyReplacement(*replacement);

      bool any = false;
      bool all_assigned = true;
      for (auto& source : rt.sources) {
        // Wait only when nothing else had data, so one quiet table does not slow the others.
        auto timeout = std::chrono::milliseconds(any ? 0 : 20 / static_cast<int>(rt.sources.size()) + 1);
        kafka::PollResult polled = source.consumer->Poll(1000, timeout);
        auto now = std::chrono::steady_clock::now();
        std::vector<Row> rows;
        for (const auto& message : polled.messages) {
          RecordRef record{&message.topic, message.partition, message.offset, message.timestamp_ms, &message.key,
                           &message.value};
          size_t before = rows.size();
          try {
            source.decoder->Decode(record, rows);
          } catch (const RecordError& error) {
            if (!source.spec->table->ignore_parse_errors) throw;
            ++source.skipped;
            if (source.skipped == 1 || now - source.last_skip_log > std::chrono::seconds(10)) {
              spdlog::warn("rule {}: skipped {} bad record(s) of table {} so far; latest: {}", name_, source.skipped,
                           source.spec->table->name, error.what());
              source.last_skip_log = now;
            }
          }
          PartitionClock& clock = source.partitions[{message.topic, message.partition}];
          clock.last_record = now;
          for (size_t i = before; i < rows.size(); ++i) {
            clock.max_event_time = std::max(clock.max_event_time, rows[i].event_time());
          }
        }
        if (!polled.messages.empty()) {
          any = true;
          pipeline_.SetProcessingTime(NowMillis());
          source.spec->entry->ProcessBatch(0, rows);
          std::map<std::pair<std::string, int32_t>, int64_t> last_offsets;
          for (const auto& message : polled.messages) last_offsets[{message.topic, message.partition}] = message.offset;
          for (const auto& [partition, offset] : last_offsets) {
            source.consumer->StoreOffset(partition.first, partition.second, offset);
            source.next_offsets[partition] = offset + 1;
          }
        }

        // The watermark is the smallest event time over the partitions that are
        // not idle, less the table's delay. When every partition has gone idle,
        // it is the smallest over those that have seen data: partitions go idle
        // one after another, and the last active one would have set it so.
        int64_t candidate = INT64_MAX;
        int64_t idle_candidate = INT64_MAX;
        bool any_active = false;
        std::vector<kafka::TopicPartition> assignment = source.consumer->Assignment();
        all_assigned = all_assigned && !assignment.empty();
        for (const auto& assigned : assignment) {
          auto& clock = source.partitions[{assigned.topic, assigned.partition}];
          bool idle = options_.idle_timeout.count() > 0 && now - clock.last_record > options_.idle_timeout;
          if (idle) {
            if (clock.max_event_time != kNoTime) {
              idle_candidate = std::min(idle_candidate, clock.max_event_time - source.spec->table->watermark_delay_ms);
            }
            continue;
          }
          any_active = true;
          if (clock.max_event_time == kNoTime) {
            candidate = kNoTime;
            break;
          }
          candidate = std::min(candidate, clock.max_event_time - source.spec->table->watermark_delay_ms);
        }
        if (!any_active) candidate = idle_candidate;
        if (candidate != kNoTime && candidate != INT64_MAX &&
            (source.watermark == kNoTime || candidate > source.watermark)) {
          source.watermark = candidate;
          source.spec->entry->ProcessWatermark(0, candidate);
        }
        {
          std::lock_guard<std::mutex> lock(status_mutex_);
          status_.records_read += static_cast<int64_t>(polled.messages.size());
          status_.records_skipped = 0;
          for (const auto& s : rt.sources) status_.records_skipped += s.skipped;
          status_.records_written = written_before_replacement_ + (rt.sink ? rt.sink->written() : 0);
          status_.late_rows = 0;
          for (const auto& op : pipeline_.operators) status_.late_rows += op->late_rows();
        }
      }
      // Processing-time windows must close while the sources are quiet too.
      if (!any) pipeline_.SetProcessingTime(NowMillis());
      if (all_assigned && !status_.assigned) {
        std::lock_guard<std::mutex> lock(status_mutex_);
        status_.assigned = true;
      }
      if (std::chrono::steady_clock::now() - last_commit > options_.commit_interval) {
        // Offsets are committed only after the rows they produced are delivered.
        if (rt.producer) rt.producer->Flush(std::chrono::seconds(30));
        for (auto& source : rt.sources) source.consumer->Commit();
        last_commit = std::chrono::steady_clock::now();
      }
    }
  } catch (const Error& error) {
    Fail(error.what());
    failed = true;
  }

  try {
    if (rt.producer) rt.producer->Flush(std::chrono::seconds(30));
    for (auto& source : rt.sources) {
      if (!failed) source.consumer->Commit();
      source.consumer->Close();
    }
  } catch (const Error& error) {
    if (!failed) Fail(fmt::format("while stopping: {}", error.what()));
    failed = true;
  }
  {
    std::lock_guard<std::mutex> lock(replace_mutex_);
    if (pending_replacement_) {
      pending_replacement_->done.set_exception(
          std::make_exception_ptr(Error(fmt::format("rule {} stopped before the new version could start", name_))));
      pending_replacement_.reset();
    }
  }
  if (!failed) {
    std::lock_guard<std::mutex> lock(status_mutex_);
    status_.state = JobState::kStopped;
    spdlog::info("rule {}: stopped after reading {} and writing {} record(s)", name_, status_.records_read,
                 status_.records_written);
  }
}

namespace {

/// True when a consumer created for `before` reads what one for `after` would,
/// from the same position.
bool SameSource(const TableDefinition& before, const TableDefinition& after) {
  auto timestamp = [](const TableDefinition& table) {
    auto it = table.options.find("scan.startup.timestamp-millis");
    return it == table.options.end() ? std::string() : it->second;
  };
  return before.topic == after.topic && before.startup_mode == after.startup_mode &&
         timestamp(before) == timestamp(after) && KafkaPropertiesOf(before) == KafkaPropertiesOf(after);
}

std::string DescribeOffsets(const std::map<std::pair<std::string, int32_t>, int64_t>& offsets) {
  std::vector<std::string> parts;
  for (const auto& [partition, offset] : offsets) {
    parts.push_back(fmt::format("{}[{}]@{}", partition.first, partition.second, offset));
  }
  return parts.empty() ? std::string("its committed or startup position") : fmt::format("{}", fmt::join(parts, ", "));
}

}  // namespace

ReplaceReport RuleJob::Replace(Pipeline pipeline, JobOptions options) {
  if (status().state != JobState::kRunning) {
    throw Error(fmt::format("rule {} is not running, so it cannot be replaced", name_));
  }
  auto pending = std::make_unique<PendingReplacement>();
  pending->pipeline = std::move(pipeline);
  pending->options = options;
  std::future<ReplaceReport> done = pending->done.get_future();
  {
    std::lock_guard<std::mutex> lock(replace_mutex_);
    if (pending_replacement_) throw Error(fmt::format("rule {} is already being replaced", name_));
    pending_replacement_ = std::move(pending);
  }
  // The job thread takes the request between batches. A batch may wait up to
  // 30 s for the producer to flush, so allow for that and some.
  if (done.wait_for(std::chrono::seconds(60)) != std::future_status::ready) {
    std::lock_guard<std::mutex> lock(replace_mutex_);
    if (pending_replacement_) {
      pending_replacement_.reset();
      throw Error(fmt::format("rule {} did not reach a batch boundary within 60 s; the old version keeps running",
                              name_));
    }
  }
  return done.get();
}

void RuleJob::ApplyReplacement(PendingReplacement& next) {
  Runtime& rt = *runtime_;
  Pipeline& incoming = next.pipeline;
  ReplaceReport report;

  // Create the Kafka clients first: when that fails, nothing has changed yet.
  std::vector<int> reused(incoming.sources.size(), -1);
  std::vector<bool> taken(rt.sources.size(), false);
  std::vector<std::unique_ptr<kafka::KafkaConsumer>> consumers(incoming.sources.size());
  std::unique_ptr<kafka::KafkaProducer> producer;
  bool keep_producer = false;
  try {
    for (size_t i = 0; i < incoming.sources.size(); ++i) {
      for (size_t j = 0; j < rt.sources.size(); ++j) {
        if (!taken[j] && SameSource(*rt.sources[j].spec->table, *incoming.sources[i].table)) {
          reused[i] = static_cast<int>(j);
          taken[j] = true;
          break;
        }
      }
      if (reused[i] < 0) consumers[i] = CreateConsumer(*incoming.sources[i].table);
    }
    if (incoming.sink_table != nullptr) {
      const TableDefinition& sink = *incoming.sink_table;
      keep_producer = rt.producer != nullptr && pipeline_.sink_table != nullptr &&
                      pipeline_.sink_table->topic == sink.topic &&
                      KafkaPropertiesOf(*pipeline_.sink_table) == KafkaPropertiesOf(sink);
      if (!keep_producer) {
        producer = kafka::KafkaProducer::Create(KafkaPropertiesOf(sink));
        producer->EnsureTopic(sink.topic, sink.buckets > 0 ? sink.buckets : 1);
      }
    }
    // Everything the old pipeline produced is delivered before a consumer it
    // used commits for the last time or the producer goes away.
    if (rt.producer) rt.producer->Flush(std::chrono::seconds(30));
  } catch (const Error& error) {
    spdlog::error("rule {}: the new version did not start, the old one keeps running: {}", name_, error.what());
    next.done.set_exception(std::current_exception());
    return;
  }

  try {
    Pipeline old = std::move(pipeline_);
    pipeline_ = std::move(incoming);
    options_ = next.options;

    // State: each stateful new operator takes the state of the first unused
    // old operator with the same shape, so a rule with two equal aggregates
    // pairs them in pipeline order.
    std::vector<bool> state_taken(old.operators.size(), false);
    for (auto& op : pipeline_.operators) {
      if (op->state_shape().empty()) continue;
      bool kept = false;
      for (size_t j = 0; j < old.operators.size() && !kept; ++j) {
        if (state_taken[j] || old.operators[j]->state_shape() != op->state_shape()) continue;
        state_taken[j] = true;
        kept = op->TakeStateFrom(*old.operators[j]);
      }
      (kept ? report.kept_state : report.reset_state).push_back(op->name());
      spdlog::debug("rule {}: {} state of {}", name_, kept ? "kept" : "reset", op->state_shape());
    }
    for (size_t j = 0; j < old.operators.size(); ++j) {
      if (!state_taken[j] && !old.operators[j]->state_shape().empty()) {
        report.dropped_state.push_back(old.operators[j]->name());
      }
    }

    // Sink.
    written_before_replacement_ += rt.sink ? rt.sink->written() : 0;
    rt.sink = nullptr;
    if (pipeline_.sink_table != nullptr) {
      if (!keep_producer) rt.producer = std::move(producer);
      rt.sink = pipeline_.Add<KafkaSinkOperator>(*pipeline_.sink_table, *rt.producer);
      pipeline_.output->Connect(rt.sink, 0);
    } else {
      rt.producer.reset();
    }

    // Sources: a kept consumer continues after the last record it pushed.
    std::vector<Runtime::Source> sources;
    for (size_t i = 0; i < pipeline_.sources.size(); ++i) {
      Runtime::Source source;
      const TableDefinition& table = *pipeline_.sources[i].table;
      if (reused[i] >= 0) {
        source = std::move(rt.sources[static_cast<size_t>(reused[i])]);
        report.continued_sources.push_back(fmt::format("{} from {}", table.name, DescribeOffsets(source.next_offsets)));
      } else {
        source.consumer = std::move(consumers[i]);
        report.new_sources.push_back(table.name);
      }
      source.spec = &pipeline_.sources[i];
      source.decoder = std::make_unique<JsonRowDecoder>(table, pipeline_.sources[i].reads);
      sources.push_back(std::move(source));
    }
    for (size_t j = 0; j < rt.sources.size(); ++j) {
      if (taken[j]) continue;
      report.stopped_sources.push_back(rt.sources[j].spec->table->name);
      rt.sources[j].consumer->Commit();
      rt.sources[j].consumer->Close();
    }
    rt.sources = std::move(sources);

    // The new operators have seen no watermark yet; kept state already
    // reflects the current one, so sending it again fires nothing twice.
    for (auto& source : rt.sources) {
      if (source.watermark != kNoTime) source.spec->entry->ProcessWatermark(0, source.watermark);
    }
    {
      std::lock_guard<std::mutex> lock(status_mutex_);
      ++status_.replacements;
    }
  } catch (...) {
    next.done.set_exception(std::current_exception());
    throw;
  }
  next.done.set_value(std::move(report));
}

}  // namespace fsql
