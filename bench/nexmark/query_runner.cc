#include "bench/nexmark/query_runner.h"

#include <malloc.h>
#include <sys/resource.h>

#include <chrono>
#include <ctime>
#include <fstream>
#include <map>
#include <sstream>

#include "runtime/formats/json_format.h"
#include "runtime/job/pipeline.h"

namespace fsql::bench {

namespace {

/// Counts rows and drops them, like Flink's blackhole connector, unless it
/// is given a vector to keep them in.
class CountingSinkOperator : public SinkOperator {
 public:
  explicit CountingSinkOperator(std::vector<Row>* collected) : collected_(collected) {}

  void ProcessBatch(int input, std::vector<Row>& rows) override {
    count_ += static_cast<int64_t>(rows.size());
    if (collected_ != nullptr) {
      for (Row& row : rows) collected_->push_back(std::move(row));
    }
  }
  int64_t count() const { return count_; }

 private:
  std::vector<Row>* collected_;
  int64_t count_ = 0;
};

int64_t WallMillis() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

/// The decoder and watermark of one source table, shared by every pipeline
/// source that reads it (a self-join reads one table twice).
struct TableInput {
  std::unique_ptr<JsonRowDecoder> decoder;
  std::vector<Operator*> entries;
  int64_t delay_ms = 0;
  int64_t max_event_time = kNoTime;
  int64_t watermark = kNoTime;
};

}  // namespace

std::unique_ptr<LoadedRules> LoadRules(const std::vector<RuleSource>& sources,
                                       const std::map<std::string, std::string>& default_table_options) {
  auto loaded = std::make_unique<LoadedRules>();
  loaded->config.default_table_options = default_table_options;
  if (auto error = LoadRuleSources(sources, *loaded)) throw std::runtime_error(error->rendered);
  return loaded;
}

const RulePlan& FindRule(const LoadedRules& loaded, const std::string& rule_name) {
  if (rule_name.empty() && loaded.rules.size() == 1) return loaded.rules.front();
  for (const auto& rule : loaded.rules) {
    if (rule.name == rule_name) return rule;
  }
  throw std::runtime_error("no rule named '" + rule_name + "'");
}

RuleSource ReadRuleSource(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw std::runtime_error("cannot read " + path);
  std::stringstream text;
  text << in.rdbuf();
  return {path, text.str()};
}

double ProcessCpuSeconds() {
  timespec ts{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

int64_t PeakRssBytes() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<int64_t>(usage.ru_maxrss) * 1024;
}

int64_t HeapBytesInUse() {
  struct mallinfo2 info = mallinfo2();
  return static_cast<int64_t>(info.uordblks + info.hblkhd);
}

RunStats RunRule(const RulePlan& rule, const RecordSource& source, std::vector<Row>* collected) {
  RunStats stats;
  int64_t heap_before = HeapBytesInUse();
  Pipeline pipeline = BuildPipeline(rule);
  auto* sink = pipeline.Add<CountingSinkOperator>(collected);
  pipeline.output->Connect(sink, 0);

  std::map<std::string, TableInput> tables;
  for (const auto& spec : pipeline.sources) {
    TableInput& input = tables[spec.table->name];
    if (!input.decoder) input.decoder = std::make_unique<JsonRowDecoder>(*spec.table, pipeline.ReadsOf(*spec.table));
    input.delay_ms = spec.table->watermark_delay_ms;
    input.entries.push_back(spec.entry);
  }
  for (auto& values : pipeline.values) {
    std::vector<Row> rows = values.rows;
    values.entry->ProcessBatch(0, rows);
    values.entry->ProcessWatermark(0, INT64_MAX);
  }

  auto wall_start = std::chrono::steady_clock::now();
  double cpu_start = ProcessCpuSeconds();
  std::map<const std::string*, TableInput*> by_name;  // the caller's table pointers are stable
  std::vector<Row> rows;
  std::vector<Row> copy;
  const std::optional<std::string> no_key;
  std::vector<std::pair<TableInput*, size_t>> batch_tables;
  source([&](const std::vector<InputRecord>& batch) {
    pipeline.SetProcessingTime(WallMillis());
    // Records of one table are decoded into one batch of rows, in order.
    size_t i = 0;
    while (i < batch.size()) {
      const std::string* table_name = batch[i].table;
      auto found = by_name.find(table_name);
      if (found == by_name.end()) {
        auto table = tables.find(*table_name);
        found = by_name.emplace(table_name, table == tables.end() ? nullptr : &table->second).first;
      }
      TableInput* input = found->second;
      size_t end = i;
      while (end < batch.size() && batch[end].table == table_name) ++end;
      if (input == nullptr) {  // the rule does not read this table
        i = end;
        continue;
      }
      rows.clear();
      for (; i < end; ++i) {
        RecordRef ref{table_name, 0, stats.records, batch[i].timestamp_ms, &no_key, batch[i].value};
        size_t before = rows.size();
        input->decoder->Decode(ref, rows);
        for (size_t r = before; r < rows.size(); ++r) {
          input->max_event_time = std::max(input->max_event_time, rows[r].event_time());
        }
        ++stats.records;
      }
      for (size_t e = 0; e < input->entries.size(); ++e) {
        if (e + 1 < input->entries.size()) {
          copy = rows;
          input->entries[e]->ProcessBatch(0, copy);
        } else {
          input->entries[e]->ProcessBatch(0, rows);
        }
      }
      if (input->max_event_time != kNoTime) {
        int64_t watermark = input->max_event_time - input->delay_ms;
        if (input->watermark == kNoTime || watermark > input->watermark) {
          input->watermark = watermark;
          for (Operator* entry : input->entries) entry->ProcessWatermark(0, watermark);
        }
      }
    }
  });
  stats.state_bytes = HeapBytesInUse() - heap_before;
  // A bounded input ends with the largest watermark, which fires every open
  // event-time window. Processing-time windows (q12) ignore watermarks, so the
  // runner also moves processing time to its maximum to close them.
  for (auto& [name, input] : tables) {
    for (Operator* entry : input.entries) entry->ProcessWatermark(0, INT64_MAX);
  }
  pipeline.SetProcessingTime(INT64_MAX);
  stats.cpu_seconds = ProcessCpuSeconds() - cpu_start;
  stats.wall_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - wall_start).count();
  stats.output_rows = sink->count();
  for (const auto& op : pipeline.operators) stats.late_rows += op->late_rows();
  return stats;
}

}  // namespace fsql::bench
