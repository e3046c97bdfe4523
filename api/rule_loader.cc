#include "api/rule_loader.h"

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "compiler/parser/parser.h"
#include "runtime/common/duration.h"

namespace fsql {

std::vector<std::string> ExpandRulePaths(const std::vector<std::string>& paths) {
  std::vector<std::string> files;
  for (const auto& path : paths) {
    if (std::filesystem::is_directory(path)) {
      std::vector<std::string> found;
      for (const auto& entry : std::filesystem::directory_iterator(path)) {
        if (entry.path().extension() == ".fsql") found.push_back(entry.path().string());
      }
      std::sort(found.begin(), found.end());
      files.insert(files.end(), found.begin(), found.end());
    } else {
      files.push_back(path);
    }
  }
  return files;
}

std::string SubstituteEnvironment(const std::string& text, const std::string& file) {
  std::string out;
  int line = 1, column = 1;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '$' && i + 1 < text.size() && text[i + 1] == '{') {
      size_t end = text.find('}', i + 2);
      if (end != std::string::npos) {
        std::string name = text.substr(i + 2, end - i - 2);
        const char* value = std::getenv(name.c_str());
        if (value == nullptr) {
          throw SqlError(fmt::format("environment variable '{}' is not set", name), SourceLocation{file, line, column},
                         fmt::format("export {}=... before starting fsql", name));
        }
        out += value;
        column += static_cast<int>(end - i + 1);
        i = end;
        continue;
      }
    }
    out += text[i];
    if (text[i] == '\n') {
      ++line;
      column = 1;
    } else {
      ++column;
    }
  }
  return out;
}

std::optional<LoadError> ReadRuleFiles(const std::vector<std::string>& files, std::vector<RuleSource>& sources) {
  for (const auto& file : files) {
    std::ifstream in(file);
    if (!in) {
      LoadError error;
      error.message = fmt::format("cannot read rule file '{}'", file);
      error.location.file = file;
      error.rendered = fmt::format("error: {}\n", error.message);
      return error;
    }
    std::stringstream buffer;
    buffer << in.rdbuf();
    sources.push_back(RuleSource{file, buffer.str()});
  }
  return std::nullopt;
}

std::optional<LoadError> LoadRuleSources(const std::vector<RuleSource>& sources, LoadedRules& loaded,
                                         bool allow_queries) {
  ScriptPlanner planner(loaded.catalog, loaded.config);
  planner.set_allow_queries(allow_queries);
  for (const auto& source : sources) {
    try {
      std::string expanded = SubstituteEnvironment(source.text, source.name);
      auto rules = planner.PlanScript(expanded, source.name);
      for (auto& rule : rules) loaded.rules.push_back(std::move(rule));
    } catch (const SqlError& error) {
      LoadError failure;
      failure.message = error.message();
      failure.location = error.location();
      failure.hint = error.hint();
      failure.not_supported = dynamic_cast<const NotSupportedError*>(&error) != nullptr;
      failure.rendered = error.Render(SourceLine(source.text, error.location().line));
      return failure;
    }
  }
  return std::nullopt;
}

bool LoadRuleFiles(const std::vector<std::string>& files, LoadedRules& loaded) {
  std::vector<RuleSource> sources;
  auto error = ReadRuleFiles(files, sources);
  if (!error) error = LoadRuleSources(sources, loaded);
  if (error) std::cerr << error->rendered;
  return !error;
}

JobOptions JobOptionsOf(const RulePlan& rule) {
  JobOptions options;
  auto it = rule.settings.find(std::string(kIdleTimeoutKey));
  if (it != rule.settings.end()) {
    // The planner has checked the value when the SET statement ran.
    options.idle_timeout = std::chrono::milliseconds(ParseDurationMillis(it->second).value_or(0));
  }
  return options;
}

}  // namespace fsql
