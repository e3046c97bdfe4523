#include "cli/rule_loader.h"

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "compiler/parser/parser.h"

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

bool LoadRuleFiles(const std::vector<std::string>& files, LoadedRules& loaded) {
  ScriptPlanner planner(loaded.catalog, loaded.config);
  for (const auto& file : files) {
    std::ifstream in(file);
    if (!in) {
      std::cerr << fmt::format("error: cannot read rule file '{}'\n", file);
      return false;
    }
    std::stringstream buffer;
    buffer << in.rdbuf();
    std::string text = buffer.str();
    try {
      std::string expanded = SubstituteEnvironment(text, file);
      auto rules = planner.PlanScript(expanded, file);
      for (auto& rule : rules) loaded.rules.push_back(std::move(rule));
    } catch (const SqlError& error) {
      std::cerr << error.Render(SourceLine(text, error.location().line));
      return false;
    }
  }
  return true;
}

}  // namespace fsql
