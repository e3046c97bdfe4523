// Loads rule text for the fsql command and the embedding API: reads files,
// substitutes ${VAR} from the environment, and plans the statements in order
// against one catalog.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "compiler/planner/planner.h"
#include "runtime/job/rule_job.h"

namespace fsql {

struct LoadedRules {
  Catalog catalog;
  SessionConfig config;
  std::vector<RulePlan> rules;
};

/// Expands a list of files and directories (directories: their *.fsql files in
/// name order) into files.
std::vector<std::string> ExpandRulePaths(const std::vector<std::string>& paths);

/// Replaces ${NAME} with the environment variable NAME. Throws SqlError at the
/// reference when the variable is not set.
std::string SubstituteEnvironment(const std::string& text, const std::string& file);

/// Rule text and the name its diagnostics use: a file path, or a label such as
/// `<command line>` for SQL passed with -e.
struct RuleSource {
  std::string name;
  std::string text;
};

/// Why loading stopped: a statement that failed to plan, or a file that could
/// not be read (then `location.line` is 0).
struct LoadError {
  std::string message;
  SourceLocation location;
  std::string hint;
  bool not_supported = false;  // a Flink feature fsql does not run yet
  std::string rendered;        // file:line:col, the line with a caret, and the hint
};

/// Plans `sources` in order into `loaded`, stopping at the first error. With
/// `allow_queries`, a bare SELECT becomes a rule without a sink.
std::optional<LoadError> LoadRuleSources(const std::vector<RuleSource>& sources, LoadedRules& loaded,
                                         bool allow_queries = false);

/// Reads `files` into sources; a file that cannot be read yields a LoadError.
std::optional<LoadError> ReadRuleFiles(const std::vector<std::string>& files, std::vector<RuleSource>& sources);

/// Reads and plans `files` in order into `loaded`. On an error prints the
/// rendered diagnostic to stderr and returns false.
bool LoadRuleFiles(const std::vector<std::string>& files, LoadedRules& loaded);

/// The job settings of `rule`: 'table.exec.source.idle-timeout' from its SET statements.
JobOptions JobOptionsOf(const RulePlan& rule);

}  // namespace fsql
