// Runs one planned rule in memory, as a job would but without Kafka: decodes
// JSON records of the rule's source tables in batches, derives each table's
// watermark from the largest event time seen, and counts the sink rows
// without keeping them (a blackhole sink).
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "api/rule_loader.h"

namespace fsql::bench {

/// One input record: the source table it belongs to, its JSON value and its
/// Kafka message timestamp. Both pointers point into storage the caller owns,
/// as a Kafka consumer's messages would.
struct InputRecord {
  const std::string* table = nullptr;
  const std::optional<std::string>* value = nullptr;
  int64_t timestamp_ms = 0;
};

/// Calls `consume` with batches of records until the input is exhausted.
using RecordSource = std::function<void(const std::function<void(const std::vector<InputRecord>&)>& consume)>;

struct RunStats {
  int64_t records = 0;
  int64_t output_rows = 0;
  double cpu_seconds = 0;   // CPU time of the whole process while the rule ran
  double wall_seconds = 0;
  /// Heap bytes in use after the last record, less those in use before the
  /// first: the operators' state, plus what the sink and decoders keep.
  int64_t state_bytes = 0;
  int64_t late_rows = 0;
};

/// Plans `sources` (rule text in order) and returns the rule named `rule_name`,
/// or the only rule when `rule_name` is empty. Throws std::runtime_error with
/// fsql's rendered error when planning fails.
std::unique_ptr<LoadedRules> LoadRules(const std::vector<RuleSource>& sources,
                                       const std::map<std::string, std::string>& default_table_options = {});
const RulePlan& FindRule(const LoadedRules& loaded, const std::string& rule_name);

/// Reads a file into a RuleSource, or throws std::runtime_error.
RuleSource ReadRuleSource(const std::string& path);

/// Pushes every record from `source` through `rule` and ends with a final
/// watermark, as a bounded source does at its end. The sink rows are dropped,
/// or appended to `collected` when it is given.
RunStats RunRule(const RulePlan& rule, const RecordSource& source, std::vector<Row>* collected = nullptr);

/// CPU time of this process so far, in seconds.
double ProcessCpuSeconds();
/// Peak resident set size of this process so far, in bytes.
int64_t PeakRssBytes();
/// Heap bytes currently allocated through malloc.
int64_t HeapBytesInUse();

}  // namespace fsql::bench
