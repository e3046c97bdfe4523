// Binder and planner cases as data: tests/binder/*.test.
//
// A case is
//
//   === name
//   statements, the last of which is a query or an INSERT
//   ---
//   the expected result
//
// The statements are planned as one script named `input.sql`, with bare
// SELECTs allowed. When planning succeeds, the result is the last rule's
// visible output columns, one `name TYPE` per line, then `changelog [modes]`
// and, when the plan has one, `upsert key [columns]`. When it fails, the result
// is the rendered diagnostic: `input.sql:line:col: error: message`, the source
// line, the caret line and the hint. Lines are compared exactly, except for
// trailing spaces.
#include <filesystem>
#include <fstream>
#include <sstream>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "compiler/parser/parser.h"
#include "compiler/planner/planner.h"

namespace fsql::testing {
namespace {

struct BinderCase {
  std::string file;
  int line = 0;
  std::string name;
  std::string statements;
  std::string expected;
};

std::string TrimRight(const std::string& s) {
  size_t end = s.find_last_not_of(" \t\r\n");
  return end == std::string::npos ? std::string() : s.substr(0, end + 1);
}

std::vector<BinderCase> LoadCases() {
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::directory_iterator(FSQL_SOURCE_DIR "/tests/binder")) {
    if (entry.path().extension() == ".test") files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  std::vector<BinderCase> cases;
  for (const auto& path : files) {
    std::ifstream in(path);
    std::string line;
    int number = 0;
    bool in_expected = false;
    while (std::getline(in, line)) {
      ++number;
      if (line.rfind("===", 0) == 0) {
        BinderCase next;
        next.file = path.filename().string();
        next.line = number;
        next.name = TrimRight(line.substr(4));
        cases.push_back(std::move(next));
        in_expected = false;
        continue;
      }
      if (cases.empty() || (line.rfind("#", 0) == 0 && !in_expected)) continue;
      if (TrimRight(line) == "---") {
        in_expected = true;
        continue;
      }
      std::string& target = in_expected ? cases.back().expected : cases.back().statements;
      target += TrimRight(line) + "\n";
    }
  }
  for (auto& c : cases) c.expected = TrimRight(c.expected);
  return cases;
}

std::string Describe(const RulePlan& rule) {
  std::string out;
  const PlanNode& plan = *rule.plan;
  for (const auto& field : plan.schema) {
    if (field.hidden) continue;
    // Flink's DESCRIBE marks time attributes the same way.
    const char* marker = field.rowtime_attribute ? " *ROWTIME*" : field.is_proctime_attribute() ? " *PROCTIME*" : "";
    out += fmt::format("{} {}{}\n", field.name, field.type.ToString(), marker);
  }
  out += fmt::format("changelog [{}]", plan.changelog_mode);
  if (plan.upsert_key) {
    std::vector<std::string> names;
    for (int column : *plan.upsert_key) names.push_back(plan.schema[static_cast<size_t>(column)].name);
    out += fmt::format("\nupsert key [{}]", fmt::join(names, ", "));
  }
  return out;
}

std::string PlanCase(const BinderCase& c) {
  Catalog catalog;
  SessionConfig config;
  ScriptPlanner planner(catalog, config);
  planner.set_allow_queries(true);
  try {
    std::vector<RulePlan> rules = planner.PlanScript(c.statements, "input.sql");
    if (rules.empty()) return "(no rule)";
    return Describe(rules.back());
  } catch (const SqlError& error) {
    // Each rendered line loses its trailing spaces, as the expected text does.
    std::istringstream rendered(error.Render(SourceLine(c.statements, error.location().line)));
    std::string out, line;
    while (std::getline(rendered, line)) out += TrimRight(line) + "\n";
    return TrimRight(out);
  }
}

// Names the case in test listings instead of dumping its bytes.
void PrintTo(const BinderCase& c, std::ostream* os) { *os << c.file << ":" << c.line << " " << c.name; }

class BinderDataTest : public ::testing::TestWithParam<BinderCase> {};

TEST_P(BinderDataTest, MatchesExpected) {
  const BinderCase& c = GetParam();
  EXPECT_EQ(PlanCase(c), c.expected) << c.file << ":" << c.line << " " << c.name;
}

std::string CaseName(const ::testing::TestParamInfo<BinderCase>& info) {
  std::string name = std::filesystem::path(info.param.file).stem().string() + "_" + std::to_string(info.param.line);
  for (char& ch : name) {
    if (!std::isalnum(static_cast<unsigned char>(ch))) ch = '_';
  }
  return name;
}

INSTANTIATE_TEST_SUITE_P(Cases, BinderDataTest, ::testing::ValuesIn(LoadCases()), CaseName);

TEST(BinderDataFiles, HaveCases) { EXPECT_GE(LoadCases().size(), 40u); }

}  // namespace
}  // namespace fsql::testing
