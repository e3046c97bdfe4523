// The fraud rules of rules/ on the fraud demo's generated traffic, in memory.
#pragma once

#include <cstdint>
#include <string>

namespace fsql::bench {

struct FraudBenchOptions {
  std::string rules_dir = "rules";
  int64_t accounts = 10'000;
  int64_t transactions = 200'000;
  /// Event time between two normal transactions. The generator keeps every
  /// account under the rules' limits, so fewer accounts need a wider spacing.
  int64_t spacing_ms = 50;
  std::string mode = "jit";
};

/// Runs the cleaning rules on the CDC envelopes and the detection rules on
/// what the cleaning rules wrote, and prints one Markdown table row per rule.
void RunFraudBench(const FraudBenchOptions& options);

}  // namespace fsql::bench
