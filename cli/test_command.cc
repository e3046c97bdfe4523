// `fsql test`: runs the fixtures kept beside rule files (see rule_fixture.h)
// and prints a diff for every case whose output differs.
#include <filesystem>
#include <fstream>
#include <iostream>
#include <set>
#include <sstream>

#include "cli/cli_util.h"
#include "cli/commands.h"
#include "cli/rule_fixture.h"
#include "compiler/parser/parser.h"
#include "runtime/common/logging.h"

namespace fsql::cli {

namespace {

/// Lists the fixture files of `paths`: a directory's *.test files in name order, and
/// for a rule file X.fsql the file X.test when it exists.
std::vector<std::string> FixtureFiles(const std::vector<std::string>& paths) {
  std::vector<std::string> files;
  for (const auto& path : paths) {
    if (std::filesystem::is_directory(path)) {
      std::vector<std::string> found;
      for (const auto& entry : std::filesystem::directory_iterator(path)) {
        if (entry.path().extension() == ".test") found.push_back(entry.path().string());
      }
      std::sort(found.begin(), found.end());
      files.insert(files.end(), found.begin(), found.end());
    } else {
      std::filesystem::path fixture = std::filesystem::path(path).replace_extension(".test");
      if (std::filesystem::exists(fixture)) files.push_back(fixture.string());
    }
  }
  return files;
}

/// Finds the rule a case runs: the one it names, else the only rule of the
/// .fsql file beside the fixture file.
const RulePlan* FindRule(const LoadedRules& loaded, const FixtureCase& fixture, std::string& error) {
  std::string rule_file = std::filesystem::path(fixture.file).replace_extension(".fsql").string();
  std::vector<const RulePlan*> candidates;
  for (const RulePlan& rule : loaded.rules) {
    bool match = fixture.rule.empty() ? std::filesystem::path(rule.location.file) == std::filesystem::path(rule_file)
                                      : rule.name == fixture.rule;
    if (match) candidates.push_back(&rule);
  }
  if (candidates.size() == 1) return candidates[0];
  if (!fixture.rule.empty()) {
    std::vector<std::string> names;
    for (const RulePlan& rule : loaded.rules) names.push_back(rule.name);
    error = fmt::format("no rule is named '{}'; the rules are {}", fixture.rule, fmt::join(names, ", "));
  } else if (candidates.empty()) {
    error = fmt::format("{} defines no rule; name one with a `rule NAME` line", rule_file);
  } else {
    error = fmt::format("{} defines {} rules; name one with a `rule NAME` line", rule_file, candidates.size());
  }
  return nullptr;
}

}  // namespace

int Test(const std::vector<std::string>& args) {
  Arguments parsed = Arguments::Parse(args, {"log-level"}, {"help"});
  if (parsed.Has("help") || parsed.positional.empty()) {
    (parsed.Has("help") ? std::cout : std::cerr) << R"(usage: fsql test [--log-level LEVEL] DIR|FILE...

Runs each rule against the fixtures kept beside the rule files, in memory and
without a broker: for X.fsql, the cases in X.test. A case lists input records
per table and the rows the rule must emit; a case whose output differs prints a
diff of the expected (-) and actual (+) rows. The fixture format is described
in docs/working-with-rules.md.

  --log-level LEVEL   trace, debug, info, warn (default) or error

Exit codes: 0 every case passed, 1 a case failed, 2 invalid usage, rule files
that do not load or a fixture file that does not parse.
)";
    return parsed.Has("help") ? 0 : 2;
  }
  SetLogLevel(parsed.Get("log-level", "warn"));

  LoadedRules loaded;
  if (!LoadRuleFiles(ExpandRulePaths(parsed.positional), loaded)) return 2;
  std::vector<std::string> fixture_files = FixtureFiles(parsed.positional);
  if (fixture_files.empty()) {
    std::cerr << "error: no fixture files (*.test) found beside the rule files\n";
    return 2;
  }

  int passed = 0, failed = 0;
  std::set<std::string> tested;
  for (const auto& file : fixture_files) {
    std::ifstream in(file);
    std::stringstream buffer;
    buffer << in.rdbuf();
    std::vector<FixtureCase> cases;
    try {
      cases = ParseFixtures(buffer.str(), file);
    } catch (const SqlError& error) {
      std::cerr << error.Render(SourceLine(buffer.str(), error.location().line));
      return 2;
    }
    for (const auto& fixture : cases) {
      std::string error;
      const RulePlan* rule = FindRule(loaded, fixture, error);
      FixtureResult result;
      if (rule != nullptr) {
        tested.insert(rule->name);
        result = RunFixture(fixture, *rule);
        error = result.error;
      }
      std::cout << (result.passed ? "PASS " : "FAIL ") << file << ":" << fixture.line << "  " << fixture.name << "\n";
      if (result.passed) {
        ++passed;
        continue;
      }
      ++failed;
      if (!error.empty()) {
        std::cout << "  error: " << error << "\n";
        continue;
      }
      std::cout << "  expected (-) and actual (+) rows:\n";
      for (const auto& line : DiffLines(fixture.expected, result.actual)) std::cout << "  " << line << "\n";
    }
  }
  std::vector<std::string> untested;
  for (const RulePlan& rule : loaded.rules) {
    if (!tested.count(rule.name)) untested.push_back(rule.name);
  }
  if (!untested.empty()) std::cout << "rules without a fixture: " << fmt::format("{}", fmt::join(untested, ", ")) << "\n";
  std::cout << passed << " passed, " << failed << " failed\n";
  return failed == 0 ? 0 : 1;
}

}  // namespace fsql::cli
