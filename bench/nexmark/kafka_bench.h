// End-to-end runs through the embedded Kafka broker: records are produced to
// the source topics, the rules run as jobs, and a consumer reads the sink
// topic. Either all input is written first and the jobs drain it (throughput),
// or it is written at a fixed rate while the consumer measures how long each
// output record took (latency).
#pragma once

#include <cstdint>
#include <string>

namespace fsql::bench {

struct KafkaBenchOptions {
  /// A Nexmark query file, or empty for the fraud rules of `rules_dir`.
  std::string query;
  std::string rules_dir = "rules";
  std::string mode = "jit";
  /// Input records per second; 0 measures throughput instead of latency.
  int64_t rate = 0;
  /// Seconds of paced input, for a latency run.
  int64_t duration_s = 10;
  /// Input records of a throughput run.
  int64_t events = 1'000'000;
  /// User accounts of the fraud traffic.
  int64_t accounts = 1'000'000;
};

/// Runs the workload and prints one Markdown table row.
void RunKafkaBench(const KafkaBenchOptions& options);

}  // namespace fsql::bench
