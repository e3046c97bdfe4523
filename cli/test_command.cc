// `fsql test`: runs the fixtures kept beside rule files (see rule_fixture.h)
// and prints a diff for every case whose output differs.
#include <algorithm>
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

/// Returns a key under which two spellings of the same file compare equal.
std::string FileKey(const std::string& path) {
  std::error_code error;
  std::filesystem::path canonical = std::filesystem::weakly_canonical(path, error);
  return error ? std::filesystem::path(path).lexically_normal().string() : canonical.string();
}

/// Lists the rule files to load for `paths`: a directory's *.fsql files, and
/// for a rule file every *.fsql file of its directory, in name order, as
/// `fsql run DIR` plans them, because the sibling files declare the tables the
/// rule reads. A named file keeps the spelling it was given, so that its
/// fixture file finds its rules.
std::vector<std::string> FilesToLoad(const std::vector<std::string>& paths) {
  std::vector<std::string> files;
  std::set<std::string> seen;
  auto add = [&](const std::string& file) {
    if (seen.insert(FileKey(file)).second) files.push_back(file);
  };
  for (const auto& path : paths) {
    if (std::filesystem::is_directory(path)) {
      for (const auto& file : ExpandRulePaths({path})) add(file);
      continue;
    }
    std::filesystem::path directory = std::filesystem::path(path).parent_path();
    std::vector<std::string> siblings;
    std::error_code error;
    for (const auto& entry : std::filesystem::directory_iterator(directory.empty() ? "." : directory, error)) {
      if (entry.path().extension() == ".fsql") siblings.push_back((directory / entry.path().filename()).string());
    }
    std::sort(siblings.begin(), siblings.end());
    std::string key = FileKey(path);
    bool listed = false;
    for (const auto& sibling : siblings) {
      bool named = FileKey(sibling) == key;
      listed = listed || named;
      add(named ? path : sibling);
    }
    // A file that is missing or not named *.fsql loads after its directory's
    // files, so that a missing one is reported as unreadable.
    if (!listed) add(path);
  }
  return files;
}

/// Returns the keys of the rule files whose rules `fsql test` reports on: all
/// *.fsql files of a named directory, and each named file.
std::set<std::string> SelectedFiles(const std::vector<std::string>& paths) {
  std::set<std::string> keys;
  for (const auto& file : ExpandRulePaths(paths)) keys.insert(FileKey(file));
  return keys;
}

/// The --rule and --case options: which cases of the fixture files run.
struct CaseFilter {
  std::optional<std::string> rule;       // the rule's 'client.statement-name'
  std::optional<std::string> case_text;  // a substring of the case title

  bool empty() const { return !rule && !case_text; }

  /// Returns true when `fixture`, which runs `planned` (null when its rule is
  /// not found), passes the filter.
  bool Selects(const FixtureCase& fixture, const RulePlan* planned) const {
    if (case_text && fixture.name.find(*case_text) == std::string::npos) return false;
    if (!rule) return true;
    if (planned != nullptr) return planned->name == *rule;
    return fixture.rule == *rule;
  }

  std::string Describe() const {
    std::vector<std::string> parts;
    if (rule) parts.push_back(fmt::format("--rule '{}'", *rule));
    if (case_text) parts.push_back(fmt::format("--case '{}'", *case_text));
    return fmt::format("{}", fmt::join(parts, " and "));
  }
};

}  // namespace

int Test(const std::vector<std::string>& args) {
  Arguments parsed = Arguments::Parse(args, {"log-level", "rule", "case"}, {"help"});
  if (parsed.Has("help") || parsed.positional.empty()) {
    (parsed.Has("help") ? std::cout : std::cerr) << R"(usage: fsql test [--rule NAME] [--case TEXT] [--log-level LEVEL] DIR|FILE...

Runs each rule against the fixtures kept beside the rule files, in memory and
without a broker: for X.fsql, the cases in X.test. A case lists input records
per table and the rows the rule must emit; a case whose output differs prints a
diff of the expected (-) and actual (+) rows. The fixture format is described
in docs/working-with-rules.md.

For a directory, the cases of all its fixture files run. For a rule file, only
the cases of its own fixture file run, but every *.fsql file of its directory
is loaded first, in name order as `fsql run DIR` loads them, because those
files declare the tables the rule reads.

  --rule NAME         run only the cases of the rule named NAME, the value of
                      its SET 'client.statement-name'
  --case TEXT         run only the cases whose title (the text after ===)
                      contains TEXT; case-sensitive
  --log-level LEVEL   trace, debug, info, warn (default) or error

Exit codes: 0 every case passed, 1 a case failed, 2 invalid usage, rule files
that do not load, a fixture file that does not parse, or filters that select
no case.
)";
    return parsed.Has("help") ? 0 : 2;
  }
  SetLogLevel(parsed.Get("log-level", "warn"));
  for (const std::string& path : parsed.positional) {
    if (std::filesystem::path(path).extension() != ".test") continue;
    std::cerr << fmt::format("error: {} is a fixture file; fsql test takes rule files and directories, so run `fsql test {}`\n",
                             path, std::filesystem::path(path).replace_extension(".fsql").string());
    return 2;
  }
  CaseFilter filter;
  if (parsed.Has("rule")) filter.rule = parsed.Get("rule", "");
  if (parsed.Has("case")) filter.case_text = parsed.Get("case", "");

  LoadedRules loaded;
  if (!LoadRuleFiles(FilesToLoad(parsed.positional), loaded)) return 2;
  if (filter.rule) {
    std::vector<std::string> names;
    for (const RulePlan& rule : loaded.rules) names.push_back(rule.name);
    if (std::find(names.begin(), names.end(), *filter.rule) == names.end()) {
      std::string hint = DidYouMean(*filter.rule, names);
      std::cerr << fmt::format("error: --rule '{}' names no loaded rule; {}\n", *filter.rule,
                               hint.empty() ? fmt::format("the rules are {}", fmt::join(names, ", ")) : hint);
      return 2;
    }
  }
  std::vector<std::string> fixture_files;
  std::set<std::string> fixture_keys;
  // A fixture file reached twice, as through a rule file and its directory, runs once.
  for (const auto& file : FixtureFiles(parsed.positional)) {
    if (fixture_keys.insert(FileKey(file)).second) fixture_files.push_back(file);
  }
  if (fixture_files.empty()) {
    std::vector<std::string> expected;
    for (const std::string& path : parsed.positional) {
      expected.push_back(std::filesystem::is_directory(path)
                             ? fmt::format("*.test in {}", path)
                             : std::filesystem::path(path).replace_extension(".test").string());
    }
    std::cerr << fmt::format("error: no fixture files found; expected {}\n", fmt::join(expected, ", "));
    return 2;
  }

  int passed = 0, failed = 0, filtered_out = 0;
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
      if (!filter.Selects(fixture, rule)) {
        ++filtered_out;
        continue;
      }
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
  if (passed + failed == 0 && !filter.empty()) {
    std::cerr << fmt::format("error: no case of {} matches {}\n", fmt::join(fixture_files, ", "), filter.Describe());
    return 2;
  }

  // With a filter most rules are left out on purpose, so only a full run lists the rules nothing tests.
  if (filter.empty()) {
    std::set<std::string> selected = SelectedFiles(parsed.positional);
    std::vector<std::string> untested;
    for (const RulePlan& rule : loaded.rules) {
      if (!tested.count(rule.name) && selected.count(FileKey(rule.location.file))) untested.push_back(rule.name);
    }
    if (!untested.empty()) {
      std::cout << "rules without a fixture: " << fmt::format("{}", fmt::join(untested, ", ")) << "\n";
    }
  }
  std::cout << passed << " passed, " << failed << " failed";
  if (filtered_out > 0) std::cout << ", " << filtered_out << " left out by " << filter.Describe();
  std::cout << "\n";
  return failed == 0 ? 0 : 1;
}

}  // namespace fsql::cli
