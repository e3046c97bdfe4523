// `fsql test` and its fixture files: parsing, the diff, and the command's
// exit code and output for a passing and a failing fixture.
#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

#include "cli/rule_fixture.h"
#include "tests/subprocess.h"

namespace fsql::testing {
namespace {

using namespace std::chrono_literals;

const std::string kFsql = FSQL_BINARY;

const char* kRule = R"(CREATE TABLE payments (id BIGINT, amount DOUBLE) WITH ('topic' = 'payments');
CREATE TABLE large_payments (id BIGINT, amount DOUBLE) WITH ('topic' = 'large_payments');
INSERT INTO large_payments SELECT id, amount FROM payments WHERE amount > 100;
)";

TEST(RuleFixtureTest, ParsesInputsAndExpectedRows) {
  auto cases = cli::ParseFixtures(R"(# comment
=== first
rule some-rule
--- input
payments 1000 {"id":1}
payments 2026-01-01T00:00:00.250 key={"id":1} delete
watermark 2000
--- expected
+I[1]
=== second
--- input
--- expected
)",
                                  "f.test");
  ASSERT_EQ(cases.size(), 2u);
  EXPECT_EQ(cases[0].name, "first");
  EXPECT_EQ(cases[0].line, 2);
  EXPECT_EQ(cases[0].rule, "some-rule");
  ASSERT_EQ(cases[0].inputs.size(), 3u);
  EXPECT_EQ(cases[0].inputs[0].table, "payments");
  EXPECT_EQ(cases[0].inputs[0].time, 1000);
  EXPECT_EQ(cases[0].inputs[0].value, std::optional<std::string>(R"({"id":1})"));
  EXPECT_EQ(cases[0].inputs[1].time, 1767225600250);
  EXPECT_EQ(cases[0].inputs[1].key, std::optional<std::string>(R"({"id":1})"));
  EXPECT_FALSE(cases[0].inputs[1].value.has_value());
  EXPECT_TRUE(cases[0].inputs[2].table.empty());
  EXPECT_EQ(cases[0].inputs[2].time, 2000);
  EXPECT_EQ(cases[0].expected, std::vector<std::string>{"+I[1]"});
  EXPECT_TRUE(cases[1].expected.empty());
}

TEST(RuleFixtureTest, RejectsInvalidTimeWithLocation) {
  try {
    cli::ParseFixtures("=== a\n--- input\npayments soon {}\n", "f.test");
    FAIL() << "expected a SqlError";
  } catch (const SqlError& error) {
    EXPECT_EQ(error.location().line, 3);
    EXPECT_NE(std::string(error.what()).find("invalid time 'soon'"), std::string::npos) << error.what();
  }
}

TEST(RuleFixtureTest, DiffMarksMissingAndExtraRows) {
  std::vector<std::string> diff = cli::DiffLines({"a", "b", "c"}, {"a", "x", "c", "d"});
  EXPECT_EQ(diff, (std::vector<std::string>{"  a", "- b", "+ x", "  c", "+ d"}));
}

/// Writes the rule and a fixture with `expected` as its only expected row.
std::string WriteRuleDirectory(const std::string& name, const std::string& expected) {
  std::string dir = ::testing::TempDir() + "/" + name;
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  std::ofstream(dir + "/large.fsql") << kRule;
  std::ofstream(dir + "/large.test") << "=== only payments over 100 pass\n"
                                        "--- input\n"
                                        "payments 1000 {\"id\":1,\"amount\":50.0}\n"
                                        "payments 2000 {\"id\":2,\"amount\":150.5}\n"
                                        "--- expected\n"
                                     << expected << "\n";
  return dir;
}

TEST(RuleFixtureTest, CommandPassesMatchingFixture) {
  Subprocess test({kFsql, "test", WriteRuleDirectory("fixture_pass", "+I[2, 150.5]")});
  auto code = test.Wait(30s);
  ASSERT_TRUE(code.has_value());
  EXPECT_EQ(*code, 0) << test.stdout_text() << test.stderr_text();
  EXPECT_NE(test.stdout_text().find("PASS "), std::string::npos) << test.stdout_text();
  EXPECT_NE(test.stdout_text().find("1 passed, 0 failed"), std::string::npos) << test.stdout_text();
}

TEST(RuleFixtureTest, CommandFailsWrongExpectationWithDiff) {
  std::string dir = WriteRuleDirectory("fixture_fail", "+I[2, 99.0]");
  Subprocess test({kFsql, "test", dir});
  auto code = test.Wait(30s);
  ASSERT_TRUE(code.has_value());
  EXPECT_EQ(*code, 1) << test.stdout_text() << test.stderr_text();
  const std::string& out = test.stdout_text();
  EXPECT_NE(out.find("FAIL " + dir + "/large.test:1  only payments over 100 pass"), std::string::npos) << out;
  EXPECT_NE(out.find("  - +I[2, 99.0]\n  + +I[2, 150.5]\n"), std::string::npos) << out;
  EXPECT_NE(out.find("0 passed, 1 failed"), std::string::npos) << out;
}

/// Writes a rule directory in which 10_sources.fsql declares the source table,
/// 20_large.fsql the rule `large-payments` with two passing cases, and
/// 30_small.fsql the rule `small-payments` with one failing case.
std::string WriteSplitRuleDirectory(const std::string& name) {
  std::string dir = ::testing::TempDir() + "/" + name;
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  std::ofstream(dir + "/10_sources.fsql")
      << "CREATE TABLE payments (id BIGINT, amount DOUBLE) WITH ('topic' = 'payments');\n";
  std::ofstream(dir + "/20_large.fsql")
      << "CREATE TABLE large_payments (id BIGINT, amount DOUBLE) WITH ('topic' = 'large_payments');\n"
         "SET 'client.statement-name' = 'large-payments';\n"
         "INSERT INTO large_payments SELECT id, amount FROM payments WHERE amount > 100;\n";
  std::ofstream(dir + "/20_large.test") << "=== only payments over 100 pass\n"
                                           "--- input\n"
                                           "payments 1000 {\"id\":1,\"amount\":50.0}\n"
                                           "payments 2000 {\"id\":2,\"amount\":150.5}\n"
                                           "--- expected\n"
                                           "+I[2, 150.5]\n"
                                           "=== no input gives no rows\n"
                                           "--- input\n"
                                           "--- expected\n";
  std::ofstream(dir + "/30_small.fsql")
      << "CREATE TABLE small_payments (id BIGINT) WITH ('topic' = 'small_payments');\n"
         "SET 'client.statement-name' = 'small-payments';\n"
         "INSERT INTO small_payments SELECT id FROM payments WHERE amount < 10;\n";
  std::ofstream(dir + "/30_small.test") << "=== a wrong expectation\n"
                                           "--- input\n"
                                           "payments 1000 {\"id\":3,\"amount\":5.0}\n"
                                           "--- expected\n"
                                           "+I[4]\n";
  return dir;
}

TEST(RuleFixtureTest, RuleFileLoadsSiblingDeclarations) {
  std::string dir = WriteSplitRuleDirectory("fixture_siblings");
  Subprocess test({kFsql, "test", dir + "/20_large.fsql"});
  auto code = test.Wait(30s);
  ASSERT_TRUE(code.has_value());
  EXPECT_EQ(*code, 0) << test.stdout_text() << test.stderr_text();
  const std::string& out = test.stdout_text();
  EXPECT_NE(out.find("PASS " + dir + "/20_large.test:1  only payments over 100 pass"), std::string::npos) << out;
  EXPECT_NE(out.find("2 passed, 0 failed\n"), std::string::npos) << out;
  EXPECT_EQ(out.find("30_small"), std::string::npos) << "a case of a sibling file ran:\n" << out;
  EXPECT_EQ(out.find("rules without a fixture"), std::string::npos) << out;
}

TEST(RuleFixtureTest, RuleAndCaseFiltersSelectCases) {
  std::string dir = WriteSplitRuleDirectory("fixture_filters");
  Subprocess test({kFsql, "test", "--rule", "large-payments", "--case", "over 100", dir});
  auto code = test.Wait(30s);
  ASSERT_TRUE(code.has_value());
  EXPECT_EQ(*code, 0) << test.stdout_text() << test.stderr_text();
  const std::string& out = test.stdout_text();
  EXPECT_NE(out.find("PASS " + dir + "/20_large.test:1  only payments over 100 pass"), std::string::npos) << out;
  EXPECT_EQ(out.find("no input gives no rows"), std::string::npos) << out;
  EXPECT_EQ(out.find("a wrong expectation"), std::string::npos) << out;
  EXPECT_NE(out.find("1 passed, 0 failed, 2 left out by --rule 'large-payments' and --case 'over 100'"),
            std::string::npos)
      << out;

  // The failing case of the other rule still fails when the filter selects it.
  Subprocess small({kFsql, "test", "--rule", "small-payments", dir});
  code = small.Wait(30s);
  ASSERT_TRUE(code.has_value());
  EXPECT_EQ(*code, 1) << small.stdout_text() << small.stderr_text();
  EXPECT_NE(small.stdout_text().find("0 passed, 1 failed, 2 left out by --rule 'small-payments'"), std::string::npos)
      << small.stdout_text();
}

TEST(RuleFixtureTest, FiltersSelectingNothingExitTwo) {
  std::string dir = WriteSplitRuleDirectory("fixture_no_match");
  Subprocess unknown_rule({kFsql, "test", "--rule", "large-payment", dir});
  auto code = unknown_rule.Wait(30s);
  ASSERT_TRUE(code.has_value());
  EXPECT_EQ(*code, 2) << unknown_rule.stdout_text() << unknown_rule.stderr_text();
  EXPECT_NE(unknown_rule.stderr_text().find("error: --rule 'large-payment' names no loaded rule; did you mean "
                                            "'large-payments'?"),
            std::string::npos)
      << unknown_rule.stderr_text();

  Subprocess no_case({kFsql, "test", "--case", "no such case", dir + "/20_large.fsql"});
  code = no_case.Wait(30s);
  ASSERT_TRUE(code.has_value());
  EXPECT_EQ(*code, 2) << no_case.stdout_text() << no_case.stderr_text();
  EXPECT_NE(no_case.stderr_text().find("error: no case of " + dir + "/20_large.test matches --case 'no such case'"),
            std::string::npos)
      << no_case.stderr_text();
}

TEST(RuleFixtureTest, MissingFixtureFileIsNamed) {
  std::string dir = WriteSplitRuleDirectory("fixture_missing");
  std::filesystem::remove(dir + "/20_large.test");
  Subprocess missing({kFsql, "test", dir + "/20_large.fsql"});
  auto code = missing.Wait(30s);
  ASSERT_TRUE(code.has_value());
  EXPECT_EQ(*code, 2) << missing.stdout_text() << missing.stderr_text();
  EXPECT_NE(missing.stderr_text().find("error: no fixture files found; expected " + dir + "/20_large.test"),
            std::string::npos)
      << missing.stderr_text();
}

TEST(RuleFixtureTest, FixtureFileNamesItsRuleFile) {
  std::string dir = WriteSplitRuleDirectory("fixture_given_test_file");
  Subprocess given_fixture({kFsql, "test", dir + "/20_large.test"});
  auto code = given_fixture.Wait(30s);
  ASSERT_TRUE(code.has_value());
  EXPECT_EQ(*code, 2) << given_fixture.stdout_text() << given_fixture.stderr_text();
  EXPECT_NE(given_fixture.stderr_text().find("is a fixture file; fsql test takes rule files and directories, so run "
                                             "`fsql test " + dir + "/20_large.fsql`"),
            std::string::npos)
      << given_fixture.stderr_text();
}

}  // namespace
}  // namespace fsql::testing
