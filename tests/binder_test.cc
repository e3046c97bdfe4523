// Parser and binder errors: each case is a script and the error it must give,
// with its line and column. The scripts start from the rule files' tables.
#include <gtest/gtest.h>

#include "compiler/parser/parser.h"
#include "compiler/planner/planner.h"

namespace fsql {
namespace {

const char* kTables = R"(
CREATE TABLE tx (ID BIGINT, AMOUNT DOUBLE, ACCOUNT_ID BIGINT, IP STRING) WITH ('changelog.mode' = 'append');
CREATE TABLE users (ID BIGINT NOT NULL, NAME STRING, PRIMARY KEY (ID) NOT ENFORCED) WITH ('changelog.mode' = 'upsert');
CREATE TABLE out_append (ACCOUNT_ID BIGINT, TOTAL DOUBLE) WITH ('changelog.mode' = 'append');
)";
constexpr int kTableLines = 4;  // the script under test starts on this line

struct ErrorCase {
  std::string name;
  std::string sql;
  std::string message;  // substring of the error message
  int line;             // relative to the script under test, 1-based
  int column;
  std::string hint = "";  // substring of the hint, when set
};

// Names the case in test listings instead of dumping its bytes.
void PrintTo(const ErrorCase& c, std::ostream* os) { *os << c.name; }

class BinderErrorTest : public ::testing::TestWithParam<ErrorCase> {};

TEST_P(BinderErrorTest, ReportsLocationAndMessage) {
  const ErrorCase& c = GetParam();
  Catalog catalog;
  SessionConfig config;
  ScriptPlanner planner(catalog, config);
  try {
    planner.PlanScript(std::string(kTables) + c.sql, "case.fsql");
    FAIL() << "no error for: " << c.sql;
  } catch (const SqlError& error) {
    EXPECT_NE(error.message().find(c.message), std::string::npos) << error.message();
    EXPECT_EQ(error.location().file, "case.fsql");
    EXPECT_EQ(error.location().line, kTableLines + c.line) << error.message();
    EXPECT_EQ(error.location().column, c.column) << error.message();
    if (!c.hint.empty()) {
      EXPECT_NE(error.hint().find(c.hint), std::string::npos) << error.hint();
    }
  }
}

INSTANTIATE_TEST_SUITE_P(
    Cases, BinderErrorTest,
    ::testing::Values(
        ErrorCase{"UnknownTable",
                  "INSERT INTO out_append SELECT ACCOUNT_ID, AMOUNT FROM txx;", "table 'txx' not found",
                  1, 55, "did you mean 'tx'"},
        ErrorCase{"UnknownColumn", "INSERT INTO out_append SELECT ACCOUNT_ID, AMOUNTT FROM tx;",
                  "column 'AMOUNTT' not found", 1, 43, "did you mean 'AMOUNT'"},
        ErrorCase{"UnknownFunction", "INSERT INTO out_append SELECT ACCOUNT_ID, ABBS(AMOUNT) FROM tx;",
                  "function ABBS not found", 1, 43, "did you mean 'ABS'"},
        ErrorCase{"FunctionArgumentCount", "INSERT INTO out_append SELECT ACCOUNT_ID, CAST(SUBSTRING(IP) AS DOUBLE) FROM tx;",
                  "SUBSTRING does not take 1 argument", 1, 48,
                  "SUBSTRING(STRING, INTEGER) or SUBSTRING(STRING, INTEGER, INTEGER)"},
        ErrorCase{"FunctionArgumentType", "INSERT INTO out_append SELECT ACCOUNT_ID, CAST(UPPER(AMOUNT) AS DOUBLE) FROM tx;",
                  "argument 1 of UPPER has type DOUBLE, but UPPER expects STRING there", 1, 54, "CAST(... AS STRING)"},
        ErrorCase{"FunctionSecondArgumentType",
                  "INSERT INTO out_append SELECT ACCOUNT_ID, CAST(LPAD(IP, IP, '*') AS DOUBLE) FROM tx;",
                  "argument 2 of LPAD has type STRING, but LPAD expects INTEGER there", 1, 57},
        ErrorCase{"UnknownFunctionSuggestion",
                  "INSERT INTO out_append SELECT ACCOUNT_ID, CAST(REGEXP_EXTRAC(IP, 'a') AS DOUBLE) FROM tx;",
                  "function REGEXP_EXTRAC not found", 1, 48, "did you mean 'REGEXP_EXTRACT'"},
        ErrorCase{"InvalidRegexLiteral", "INSERT INTO out_append SELECT ACCOUNT_ID, AMOUNT FROM tx WHERE REGEXP(IP, '[0-9');",
                  "invalid regular expression '[0-9'", 1, 75, "Java regular expression syntax"},
        ErrorCase{"TimestampDiffOfStrings",
                  "INSERT INTO out_append SELECT ACCOUNT_ID, AMOUNT FROM tx WHERE TIMESTAMPDIFF(SECOND, IP, IP) > 0;",
                  "TIMESTAMPDIFF expects timestamps, got STRING", 1, 86, "TO_TIMESTAMP_LTZ"},
        ErrorCase{"TypeMismatch", "INSERT INTO out_append SELECT ACCOUNT_ID, AMOUNT FROM tx WHERE IP > 5;",
                  "cannot compare STRING with INT", 1, 64, "CAST"},
        ErrorCase{"SumOfString",
                  "INSERT INTO out_append SELECT ACCOUNT_ID, SUM(IP) OVER (PARTITION BY ACCOUNT_ID ORDER BY "
                  "`$rowtime`) FROM tx;",
                  "SUM expects a numeric argument, got STRING", 1, 47},
        ErrorCase{"SyntaxError", "INSERT INTO out_append SELEC ACCOUNT_ID FROM tx;", "syntax error at 'SELEC'", 1, 24},
        ErrorCase{"ReservedWordAsName", "INSERT INTO out_append SELECT ACCOUNT_ID, AMOUNT AS table FROM tx;",
                  "syntax error at 'table'", 1, 53},
        ErrorCase{"UnknownOption", "CREATE TABLE t2 (a INT) WITH ('scan.startup.mod' = 'earliest-offset');",
                  "unknown table option 'scan.startup.mod'", 1, 31, "did you mean 'scan.startup.mode'"},
        ErrorCase{"BadStartupMode", "CREATE TABLE t2 (a INT) WITH ('scan.startup.mode' = 'earliest');",
                  "invalid 'scan.startup.mode' = 'earliest'", 1, 31, "earliest-offset"},
        ErrorCase{"UpdatesIntoAppendSink",
                  "INSERT INTO out_append SELECT t.ACCOUNT_ID, t.AMOUNT FROM tx AS t JOIN users AS u ON t.ACCOUNT_ID = u.ID;",
                  "table out_append is append-only but the query produces update and delete changes", 1, 1,
                  "PRIMARY KEY"},
        ErrorCase{"OverOnUpdatingInput",
                  "INSERT INTO out_append SELECT ID, CAST(COUNT(*) OVER (PARTITION BY ID ORDER BY `$rowtime`) AS "
                  "DOUBLE) FROM users;",
                  "OVER aggregation cannot consume update and delete changes", 1, 40},
        ErrorCase{"OverNotOnTime",
                  "INSERT INTO out_append SELECT ACCOUNT_ID, SUM(AMOUNT) OVER (PARTITION BY ACCOUNT_ID ORDER BY ID) "
                  "FROM tx;",
                  "must be ordered by a time attribute", 1, 94},
        ErrorCase{"UndefinedWindow", "INSERT INTO out_append SELECT ACCOUNT_ID, SUM(AMOUNT) OVER w FROM tx;",
                  "window 'w' is not defined", 1, 43},
        ErrorCase{"RowNumberWithoutFilter",
                  "INSERT INTO out_append SELECT ACCOUNT_ID, CAST(ROW_NUMBER() OVER (PARTITION BY ACCOUNT_ID ORDER "
                  "BY AMOUNT) AS DOUBLE) FROM tx;",
                  "ROW_NUMBER() needs a filter", 1, 48},
        ErrorCase{"TopZeroKeepsNothing",
                  "INSERT INTO out_append SELECT ACCOUNT_ID, AMOUNT FROM (SELECT ACCOUNT_ID, AMOUNT, ROW_NUMBER() "
                  "OVER (PARTITION BY ACCOUNT_ID ORDER BY AMOUNT DESC) AS rn FROM tx) WHERE rn <= 0;",
                  "the row number filter keeps no rows (N = 0)", 1, 83},
        ErrorCase{"ColumnCountMismatch", "INSERT INTO out_append SELECT ACCOUNT_ID FROM tx;",
                  "table out_append expects 2 columns but the query returns 1", 1, 1},
        ErrorCase{"IncompatibleInsertType", "INSERT INTO out_append SELECT ACCOUNT_ID, IP FROM tx;",
                  "cannot use a value of type STRING as DOUBLE", 1, 1, "CAST"},
        ErrorCase{"NullablePrimaryKey",
                  "CREATE TABLE flagged (PRIMARY KEY (ACCOUNT_ID) NOT ENFORCED) AS SELECT ACCOUNT_ID FROM tx;",
                  "primary key column 'ACCOUNT_ID' is nullable", 1, 23, "COALESCE"},
        ErrorCase{"OrderByNotTime", "INSERT INTO out_append SELECT ACCOUNT_ID, AMOUNT FROM tx ORDER BY AMOUNT;",
                  "a streaming ORDER BY must start with a time attribute in ascending order", 1, 67, "LIMIT"},
        ErrorCase{"IntersectWidths",
                  "INSERT INTO out_append SELECT ACCOUNT_ID, AMOUNT FROM tx INTERSECT SELECT ACCOUNT_ID "
                  "FROM tx;",
                  "INTERSECT inputs have 2 and 1 columns", 1, 58},
        ErrorCase{"ExceptIntoAppendOnly",
                  "INSERT INTO out_append SELECT ACCOUNT_ID, AMOUNT FROM tx EXCEPT ALL SELECT ACCOUNT_ID, AMOUNT "
                  "FROM tx;",
                  "table out_append is append-only but the query produces update and delete changes", 1, 1,
                  "PRIMARY KEY"},
        ErrorCase{"LimitOnUpdates",
                  "INSERT INTO out_append SELECT ACCOUNT_ID, SUM(AMOUNT) FROM tx GROUP BY ACCOUNT_ID LIMIT 10;",
                  "LIMIT without ORDER BY cannot consume update and delete changes yet", 1, 24, "append-only"},
        ErrorCase{"GroupingSets",
                  "INSERT INTO out_append SELECT ACCOUNT_ID, SUM(AMOUNT) FROM tx GROUP BY GROUPING SETS "
                  "((ACCOUNT_ID), ());",
                  "GROUPING SETS is not supported yet", 1, 72, "UNION ALL"},
        ErrorCase{"Rollup",
                  "INSERT INTO out_append SELECT ACCOUNT_ID, SUM(AMOUNT) FROM tx GROUP BY ROLLUP (ACCOUNT_ID);",
                  "ROLLUP is not supported yet", 1, 72, "UNION ALL"},
        ErrorCase{"Cube", "INSERT INTO out_append SELECT ACCOUNT_ID, SUM(AMOUNT) FROM tx GROUP BY CUBE (ACCOUNT_ID);",
                  "CUBE is not supported yet", 1, 72, "UNION ALL"},
        ErrorCase{"UnnestOfScalar",
                  "INSERT INTO out_append SELECT ACCOUNT_ID, AMOUNT FROM tx CROSS JOIN UNNEST(IP) AS t (x);",
                  "UNNEST expects an ARRAY, MAP or MULTISET, got STRING", 1, 76},
        ErrorCase{"UnnestJoinedOnAColumn",
                  "INSERT INTO out_append SELECT ACCOUNT_ID, AMOUNT FROM tx JOIN UNNEST(ARRAY[1]) AS t (x) "
                  "ON t.x = tx.ID;",
                  "UNNEST joins only as CROSS JOIN UNNEST(...) or [LEFT] JOIN UNNEST(...) ON TRUE", 1, 58,
                  "CROSS JOIN UNNEST"},
        ErrorCase{"LateralTable",
                  "INSERT INTO out_append SELECT ACCOUNT_ID, AMOUNT FROM tx JOIN LATERAL TABLE(split(IP)) AS t "
                  "(part) ON TRUE;",
                  "LATERAL TABLE is not supported yet", 1, 63, "upstream"},
        ErrorCase{"SessionWithoutGap",
                  "INSERT INTO out_append SELECT ACCOUNT_ID, COUNT(*) FROM TABLE(SESSION(TABLE tx PARTITION BY "
                  "ACCOUNT_ID, DESCRIPTOR(`$rowtime`))) GROUP BY ACCOUNT_ID, window_start, window_end;",
                  "SESSION needs its GAP argument", 1, 57},
        ErrorCase{"MatchRecognizeAlternation",
                  "INSERT INTO out_append SELECT * FROM tx MATCH_RECOGNIZE (ORDER BY `$rowtime` MEASURES A.AMOUNT "
                  "AS a PATTERN (A B | C) DEFINE B AS B.AMOUNT > A.AMOUNT) AS m;",
                  "only single variables may be grouped or alternated", 1, 114, "UNION ALL"},
        ErrorCase{"MatchRecognizeGroup",
                  "INSERT INTO out_append SELECT * FROM tx MATCH_RECOGNIZE (ORDER BY `$rowtime` MEASURES A.AMOUNT "
                  "AS a PATTERN (A (B C)+) DEFINE B AS B.AMOUNT > A.AMOUNT) AS m;",
                  "only single variables may be grouped or alternated", 1, 112, "alternate single variables"},
        ErrorCase{"MatchRecognizeNext",
                  "INSERT INTO out_append SELECT * FROM tx MATCH_RECOGNIZE (ORDER BY `$rowtime` MEASURES A.AMOUNT "
                  "AS a PATTERN (A B) DEFINE A AS A.AMOUNT < NEXT(A.AMOUNT)) AS m;",
                  "NEXT is not supported", 1, 138, "PREV"},
        ErrorCase{"CreateFunction", "CREATE TEMPORARY FUNCTION f AS 'com.example.F';",
                  "user-defined functions are not supported", 1, 1, "built-in"},
        ErrorCase{"DropFunction", "DROP FUNCTION IF EXISTS f;",
                  "DROP FUNCTION is not supported", 1, 1},
        ErrorCase{"CreateCatalog", "CREATE CATALOG c WITH ('type' = 'generic_in_memory');",
                  "CREATE CATALOG is not supported", 1, 1},
        ErrorCase{"InsertPartition", "INSERT INTO out_append PARTITION (ACCOUNT_ID = 1) SELECT AMOUNT FROM tx;",
                  "Kafka tables have no partitions", 1, 13},
        ErrorCase{"DropMissingTable", "DROP TABLE nope;",
                  "table 'nope' not found", 1, 1, "IF EXISTS"},
        ErrorCase{"AlterMissingColumn", "ALTER TABLE tx DROP (NOPE);",
                  "column 'NOPE' not found", 1, 13},
        ErrorCase{"AlterBadOption", "ALTER TABLE tx SET ('scan.startup.mod' = 'latest-offset');",
                  "unknown table option 'scan.startup.mod'", 1, 21, "did you mean"},
        ErrorCase{"HintBadOption",
                  "INSERT INTO out_append SELECT ACCOUNT_ID, AMOUNT FROM tx /*+ OPTIONS('scan.startup.mode' = "
                  "'soon') */;",
                  "invalid 'scan.startup.mode' = 'soon'", 1, 62},
        ErrorCase{"LikeConflict",
                  "CREATE TABLE tx2 (PRIMARY KEY (ID) NOT ENFORCED) WITH ('changelog.mode' = 'upsert') LIKE users;",
                  "the primary key is defined both here and in users", 1, 19, "EXCLUDING"},
        ErrorCase{"VariantColumn", "CREATE TABLE r (A INT, P MAP<STRING, VARIANT>);",
                  "column type MAP < STRING , VARIANT > is not supported", 1, 24, "STRING"},
        ErrorCase{"AmbiguousColumn",
                  "CREATE TABLE o (PRIMARY KEY (ID) NOT ENFORCED) AS SELECT ID FROM tx JOIN users ON tx.ACCOUNT_ID = users.ID;",
                  "column 'ID' is ambiguous", 1, 58}),
    [](const ::testing::TestParamInfo<ErrorCase>& info) { return info.param.name; });

TEST(ParserTest, KeywordsAreCaseInsensitiveAndNamesKeepCase) {
  auto statements = ParseScript("select `after`.ID, x FrOm `fd.T` -- comment\n /* block */ where X <> 'it''s';", "f");
  ASSERT_EQ(statements.size(), 1u);
  const auto& select = *statements[0].query->select;
  ASSERT_EQ(select.items.size(), 2u);
  EXPECT_EQ(select.items[0].expr->name_parts, (std::vector<std::string>{"after", "ID"}));
  EXPECT_EQ(select.from[0]->table_name, (std::vector<std::string>{"fd.T"}));
  EXPECT_EQ(select.where->children[1]->literal, "it's");
}

TEST(ParserTest, SplitsStatementsAndKeepsLocations) {
  auto statements = ParseScript("SET 'a' = 'b';\n\nRESET;\nSET;", "f");
  ASSERT_EQ(statements.size(), 3u);
  EXPECT_EQ(statements[0].key, "a");
  EXPECT_EQ(statements[0].value, "b");
  EXPECT_EQ(statements[1].location.line, 3);
  EXPECT_EQ(statements[2].kind, ast::StatementKind::kSet);
  EXPECT_TRUE(statements[2].key.empty());
}

TEST(ParserTest, ParsesNumbersIntervalsAndTypes) {
  auto statements = ParseScript(
      "CREATE TABLE t (a DECIMAL(10, 2), b TIMESTAMP_LTZ(3), c ROW<x INT, `y z` STRING> NOT NULL, "
      "d TIMESTAMP(3) WITH LOCAL TIME ZONE, WATERMARK FOR b AS b - INTERVAL '5' SECOND)",
      "f");
  const auto& table = *statements[0].create_table;
  ASSERT_EQ(table.columns.size(), 4u);
  EXPECT_EQ(table.columns[0].type.ToString(), "DECIMAL(10, 2)");
  EXPECT_EQ(table.columns[1].type.ToString(), "TIMESTAMP_LTZ(3)");
  EXPECT_EQ(table.columns[2].type.ToString(), "ROW<`x` INT, `y z` STRING> NOT NULL");
  EXPECT_EQ(table.columns[3].type.ToString(), "TIMESTAMP_LTZ(3)");
  EXPECT_EQ(table.watermark_column, "b");
  EXPECT_EQ(table.watermark_expr->children[1]->interval_from_unit, "SECOND");
}

TEST(ParserTest, UnterminatedStringPointsAtIt) {
  try {
    ParseScript("SELECT 'abc FROM t", "f");
    FAIL();
  } catch (const SqlError& error) {
    EXPECT_EQ(error.location().line, 1);
    EXPECT_EQ(error.location().column, 8);
  }
}

}  // namespace
}  // namespace fsql

namespace fsql {
namespace {

/// A planned script; the rules point into its catalog.
struct PlannedScript {
  std::unique_ptr<Catalog> catalog = std::make_unique<Catalog>();
  SessionConfig config;
  std::vector<RulePlan> rules;
};

PlannedScript PlanText(const std::string& text) {
  PlannedScript planned;
  ScriptPlanner planner(*planned.catalog, planned.config);
  planned.rules = planner.PlanScript(text, "set.fsql");
  return planned;
}

TEST(StatementSetTest, ExecuteFormNamesEachInsert) {
  PlannedScript planned = PlanText(
      "CREATE TABLE t (k BIGINT); CREATE TABLE a (k BIGINT); CREATE TABLE b (k BIGINT);\n"
      "SET 'client.statement-name' = 'fan-out';\n"
      "EXECUTE STATEMENT SET BEGIN\n"
      "  INSERT INTO a SELECT k FROM t;\n"
      "  INSERT INTO b SELECT k FROM t WHERE k > 1;\n"
      "END;");
  const auto& rules = planned.rules;
  ASSERT_EQ(rules.size(), 2u);
  EXPECT_EQ(rules[0].name, "fan-out-1");
  EXPECT_EQ(rules[0].sink->name, "a");
  EXPECT_EQ(rules[1].name, "fan-out-2");
  EXPECT_EQ(rules[1].sink->name, "b");
  EXPECT_EQ(rules[1].location.line, 5);
}

TEST(StatementSetTest, ClientFormCollectsUntilEnd) {
  PlannedScript planned = PlanText(
      "CREATE TABLE t (k BIGINT); CREATE TABLE a (k BIGINT);\n"
      "BEGIN STATEMENT SET;\n"
      "INSERT INTO a SELECT k FROM t;\n"
      "INSERT INTO a SELECT k + 1 FROM t;\n"
      "END;\n"
      "INSERT INTO a SELECT k FROM t;");
  const auto& rules = planned.rules;
  ASSERT_EQ(rules.size(), 3u);
  EXPECT_EQ(rules[0].name, "set.fsql:2-1");
  EXPECT_EQ(rules[1].name, "set.fsql:2-2");
  EXPECT_EQ(rules[2].name, "set.fsql:6");
}

TEST(StatementSetTest, MissingEndIsAnError) {
  try {
    PlanText("CREATE TABLE t (k BIGINT);\nBEGIN STATEMENT SET;\nINSERT INTO t SELECT k FROM t;");
    FAIL() << "no error";
  } catch (const SqlError& error) {
    EXPECT_EQ(error.message(), "BEGIN STATEMENT SET has no END");
    EXPECT_EQ(error.location().line, 2);
  }
}

}  // namespace
}  // namespace fsql

namespace fsql {
namespace {

/// Plans `script` after the shared tables and returns the catalog it leaves.
struct DdlScript {
  Catalog catalog;
  SessionConfig config;
  std::vector<RulePlan> rules;
  std::vector<InformationalStatement> informational;
};

std::unique_ptr<DdlScript> Plan(const std::string& script) {
  auto out = std::make_unique<DdlScript>();
  ScriptPlanner planner(out->catalog, out->config);
  out->rules = planner.PlanScript(std::string(kTables) + script, "ddl.fsql");
  out->informational = planner.informational_statements();
  return out;
}

TEST(CatalogDdlTest, AlterTableSetsAndResetsOptions) {
  auto planned = Plan(
      "ALTER TABLE tx SET ('scan.startup.mode' = 'latest-offset', 'topic' = 'transactions');\n"
      "ALTER TABLE tx RESET ('topic');");
  const TableDefinition* tx = planned->catalog.Find("tx");
  ASSERT_NE(tx, nullptr);
  EXPECT_EQ(tx->startup_mode, "latest-offset");
  EXPECT_EQ(tx->topic, "tx");
}

TEST(CatalogDdlTest, AlterTableRenamesAndChangesColumns) {
  auto planned = Plan(
      "ALTER TABLE tx RENAME TO payments;\n"
      "ALTER TABLE payments ADD (CURRENCY STRING FIRST, DOUBLED AS AMOUNT * 2 AFTER AMOUNT);\n"
      "ALTER TABLE payments MODIFY IP BYTES;\n"
      "ALTER TABLE payments DROP ACCOUNT_ID;\n"
      "ALTER TABLE payments RENAME CURRENCY TO CCY;");
  EXPECT_EQ(planned->catalog.Find("tx"), nullptr);
  const TableDefinition* payments = planned->catalog.Find("payments");
  ASSERT_NE(payments, nullptr);
  std::vector<std::string> names;
  for (const auto& column : payments->columns) {
    if (column.kind != ColumnKind::kSystem) names.push_back(column.name);
  }
  EXPECT_EQ(names, (std::vector<std::string>{"CCY", "ID", "AMOUNT", "DOUBLED", "IP"}));
  EXPECT_EQ(payments->columns[payments->FindColumn("IP")].type.id, TypeId::kBytes);
  EXPECT_EQ(payments->columns[payments->FindColumn("DOUBLED")].kind, ColumnKind::kComputed);
}

TEST(CatalogDdlTest, AlterTableKeepsPlannedRulesValid) {
  auto planned = Plan(
      "INSERT INTO out_append SELECT ACCOUNT_ID, AMOUNT FROM tx;\n"
      "ALTER TABLE tx SET ('scan.startup.mode' = 'latest-offset');\n"
      "INSERT INTO out_append SELECT ACCOUNT_ID, AMOUNT FROM tx;");
  ASSERT_EQ(planned->rules.size(), 2u);
  const PlanNode* first = planned->rules[0].plan->inputs[0].get();
  while (first->kind != PlanKind::kScan) first = first->inputs[0].get();
  const PlanNode* second = planned->rules[1].plan->inputs[0].get();
  while (second->kind != PlanKind::kScan) second = second->inputs[0].get();
  EXPECT_EQ(first->table->startup_mode, "earliest-offset");
  EXPECT_EQ(second->table->startup_mode, "latest-offset");
}

TEST(CatalogDdlTest, DropTableAndView) {
  auto planned = Plan(
      "CREATE VIEW v AS SELECT ID FROM tx;\n"
      "DROP VIEW v;\n"
      "DROP TABLE out_append;\n"
      "DROP TABLE IF EXISTS out_append;\n"
      "DROP VIEW IF EXISTS v;");
  EXPECT_EQ(planned->catalog.FindView("v"), nullptr);
  EXPECT_EQ(planned->catalog.Find("out_append"), nullptr);
  EXPECT_NE(planned->catalog.Find("tx"), nullptr);
}

TEST(CatalogDdlTest, CreateTableLikeMergesTheSource) {
  auto planned = Plan(
      "CREATE TABLE tx_late (EXTRA INT) WITH ('scan.startup.mode' = 'latest-offset') LIKE tx;\n"
      "CREATE TABLE users_copy WITH ('topic' = 'u2') LIKE users (EXCLUDING CONSTRAINTS EXCLUDING OPTIONS);");
  const TableDefinition* late = planned->catalog.Find("tx_late");
  ASSERT_NE(late, nullptr);
  EXPECT_GE(late->FindColumn("AMOUNT"), 0);
  EXPECT_GE(late->FindColumn("EXTRA"), 0);
  EXPECT_EQ(late->startup_mode, "latest-offset");
  EXPECT_EQ(late->changelog_mode, ChangelogMode::kAppend);
  const TableDefinition* copy = planned->catalog.Find("users_copy");
  ASSERT_NE(copy, nullptr);
  EXPECT_TRUE(copy->primary_key.empty());
  EXPECT_EQ(copy->topic, "u2");
  EXPECT_EQ(copy->changelog_mode, ChangelogMode::kAppend);
}

TEST(CatalogDdlTest, OptionsHintChangesTheScannedTable) {
  auto planned = Plan(
      "INSERT INTO out_append SELECT ACCOUNT_ID, AMOUNT FROM tx /*+ OPTIONS('scan.startup.mode' = "
      "'latest-offset') */;");
  ASSERT_EQ(planned->rules.size(), 1u);
  const PlanNode* node = planned->rules[0].plan.get();
  while (node->kind != PlanKind::kScan) node = node->inputs[0].get();
  EXPECT_EQ(node->table->startup_mode, "latest-offset");
  EXPECT_EQ(planned->catalog.Find("tx")->startup_mode, "earliest-offset");
}

TEST(CatalogDdlTest, CreateOrReplaceTableAsReplaces) {
  auto planned = Plan(
      "CREATE TABLE totals WITH ('changelog.mode' = 'append') AS SELECT ACCOUNT_ID FROM tx;\n"
      "CREATE OR REPLACE TABLE totals WITH ('changelog.mode' = 'append') AS SELECT ACCOUNT_ID, AMOUNT FROM tx;");
  ASSERT_EQ(planned->rules.size(), 2u);
  const TableDefinition* totals = planned->catalog.Find("totals");
  ASSERT_NE(totals, nullptr);
  EXPECT_GE(totals->FindColumn("AMOUNT"), 0);
  EXPECT_EQ(planned->rules[0].sink->FindColumn("AMOUNT"), -1);
}

TEST(CatalogDdlTest, InformationalStatementsAreKeptAndSkipped) {
  auto planned = Plan(
      "SHOW TABLES;\n"
      "DESCRIBE tx;\n"
      "EXPLAIN SELECT ID FROM tx;\n"
      "USE CATALOG default_catalog;\n"
      "INSERT INTO out_append SELECT ACCOUNT_ID, AMOUNT FROM tx;");
  EXPECT_EQ(planned->rules.size(), 1u);
  ASSERT_EQ(planned->informational.size(), 4u);
  EXPECT_EQ(planned->informational[0].statement->kind, ast::StatementKind::kShow);
  EXPECT_EQ(planned->informational[1].statement->kind, ast::StatementKind::kDescribe);
  EXPECT_EQ(planned->informational[2].statement->kind, ast::StatementKind::kExplain);
  EXPECT_EQ(planned->informational[3].statement->kind, ast::StatementKind::kUse);
  EXPECT_EQ(planned->informational[3].file, "ddl.fsql");
}

}  // namespace
}  // namespace fsql
