// Loads rule files for the fsql command: reads them, substitutes ${VAR} from
// the environment, and plans them in order against one catalog.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "compiler/planner/planner.h"

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

/// Plans `files` in order into `loaded`. On a SQL error prints the rendered
/// diagnostic to stderr and returns false.
bool LoadRuleFiles(const std::vector<std::string>& files, LoadedRules& loaded);

}  // namespace fsql
