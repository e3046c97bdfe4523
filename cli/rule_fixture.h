// Rule fixtures for `fsql test`: input records per table and the rows a rule
// must emit for them, kept beside the rule files and run in memory, with no
// broker.
//
// A fixture file `NAME.test` sits next to `NAME.fsql` and contains cases:
//
//   # a comment
//   === flags the eleventh transaction
//   rule flagged-user-detection        (optional when NAME.fsql has one rule)
//   --- input
//   user_transaction 2026-01-01T00:00:00.010 {"ID":1,"AMOUNT":10.0, ...}
//   auth_user 1767225600000 key={"ID":7} {"ID":7, ...}
//   auth_user 1767225600000 key={"ID":7} delete
//   watermark 2026-01-01T00:01:00
//   --- expected
//   +I[7, ada, ada@example.com, 110, 11, 2026-01-01 00:00:00.010]
//
// An input line names a table the rule reads, the record's time (epoch
// milliseconds or an ISO timestamp in UTC), an optional key and the JSON value,
// or `delete` for a tombstone. The time is the record's Kafka timestamp and
// also the processing time (CURRENT_TIMESTAMP) while it is handled. A
// `watermark` line advances the watermark of every source. Expected rows are
// the sink's changelog in order, with the sink table's physical columns.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "api/rule_loader.h"

namespace fsql::cli {

struct FixtureCase {
  std::string file;
  int line = 0;  // of the `===` line
  std::string name;
  std::string rule;  // empty: the only rule of the fixture's rule file
  struct Input {
    int line = 0;
    std::string table;  // empty for a watermark
    int64_t time = 0;
    std::optional<std::string> key;
    std::optional<std::string> value;  // nullopt for a tombstone
  };
  std::vector<Input> inputs;
  std::vector<std::string> expected;
};

/// Parses a fixture file. Throws SqlError at a line that does not parse.
std::vector<FixtureCase> ParseFixtures(const std::string& text, const std::string& file);

struct FixtureResult {
  bool passed = false;
  std::vector<std::string> actual;
  std::string error;  // set when the case could not run, e.g. an unknown table
};

/// Runs one case against `rule`, on a pipeline of its own.
FixtureResult RunFixture(const FixtureCase& fixture, const RulePlan& rule);

/// Lines that turn `expected` into `actual`, each prefixed with "- " (only
/// expected), "+ " (only actual) or "  " (both), from a longest common subsequence.
std::vector<std::string> DiffLines(const std::vector<std::string>& expected, const std::vector<std::string>& actual);

}  // namespace fsql::cli
