// The parser on its own. Every statement of the corpus in tests/parser/corpus
// must parse, print back to SQL with ToSql and parse again to the same AST.
// Further tests cover the shapes of selected constructs, syntax errors and
// deeply nested input.
//
// FSQL_CORPUS_FILTER=<substring> restricts the corpus test to files whose name
// contains the substring.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "compiler/parser/ast_printer.h"
#include "compiler/parser/parser.h"

namespace fsql {
namespace {

namespace fs = std::filesystem;

fs::path CorpusDir() { return fs::path(FSQL_SOURCE_DIR) / "tests" / "parser" / "corpus"; }

std::vector<fs::path> CorpusFiles() {
  std::vector<fs::path> files;
  if (!fs::is_directory(CorpusDir())) return files;
  const char* filter = std::getenv("FSQL_CORPUS_FILTER");
  for (const auto& entry : fs::directory_iterator(CorpusDir())) {
    if (entry.path().extension() != ".sql") continue;
    if (filter && entry.path().filename().string().find(filter) == std::string::npos) continue;
    files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  return files;
}

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

/// Puts `statement` at its position in the file, so that error locations from
/// parsing it alone match the file.
std::string AtSourcePosition(const ScriptStatement& statement) {
  return std::string(statement.location.line - 1, '\n') + std::string(statement.location.column - 1, ' ') +
         statement.text;
}

std::string Describe(const SqlError& error, const std::string& text) {
  return error.Render(SourceLine(text, error.location().line));
}

/// Parses one statement; fails the test with `where` on a syntax error.
std::optional<ast::Statement> ParseOne(const std::string& text, const std::string& where) {
  try {
    auto statements = ParseScript(text, where);
    if (statements.size() != 1) {
      ADD_FAILURE() << where << ": expected one statement, got " << statements.size();
      return std::nullopt;
    }
    return std::move(statements[0]);
  } catch (const SqlError& error) {
    ADD_FAILURE() << Describe(error, text);
    return std::nullopt;
  }
}

/// Parses `sql`, prints it, parses the output and compares the two dumps.
/// Returns false after reporting a failure.
bool ExpectRoundTrip(const std::string& sql, const std::string& where) {
  auto first = ParseOne(sql, where);
  if (!first) return false;
  std::string printed = ast::ToSql(*first);
  std::optional<ast::Statement> second;
  try {
    auto statements = ParseScript(printed, "printed");
    if (statements.size() == 1) second = std::move(statements[0]);
  } catch (const SqlError& error) {
    ADD_FAILURE() << where << ": the printed statement does not parse: " << Describe(error, printed)
                  << "\nprinted: " << printed;
    return false;
  }
  if (!second) {
    ADD_FAILURE() << where << ": the printed statement is not one statement\nprinted: " << printed;
    return false;
  }
  std::string dump = ast::DumpAst(*first);
  EXPECT_EQ(dump, ast::DumpAst(*second)) << where << ": the printed statement parses differently\nprinted: "
                                          << printed;
  return dump == ast::DumpAst(*second);
}

TEST(ParserCorpus, EveryStatementRoundTrips) {
  auto files = CorpusFiles();
  int statements = 0;
  int failures = 0;
  for (const auto& file : files) {
    std::string text = ReadFile(file);
    std::string name = file.filename().string();
    std::vector<ScriptStatement> split;
    try {
      split = SplitScript(text, name);
    } catch (const SqlError& error) {
      ADD_FAILURE() << Describe(error, text);
      continue;
    }
    for (const auto& statement : split) {
      ++statements;
      if (!ExpectRoundTrip(AtSourcePosition(statement), name)) ++failures;
    }
  }
  std::cout << "corpus: " << files.size() << " files, " << statements << " statements, " << failures
            << " failed\n";
}

TEST(ParserCorpus, HasAtLeast400Statements) {
  if (std::getenv("FSQL_CORPUS_FILTER")) GTEST_SKIP() << "FSQL_CORPUS_FILTER restricts the corpus";
  size_t count = 0;
  for (const auto& file : CorpusFiles()) count += SplitScript(ReadFile(file), file.filename().string()).size();
  EXPECT_GE(count, 400u) << "statements in " << CorpusDir();
}

TEST(SplitScript, KeepsStatementSetsAndStringsWhole) {
  auto parts = SplitScript(
      "SET 'a' = 'b;c';\n-- x; y\nEXECUTE STATEMENT SET BEGIN\n INSERT INTO t SELECT CASE WHEN a THEN 1 END FROM s;\n"
      " INSERT INTO u SELECT 1;\nEND;\n/* ; */ SELECT 1",
      "f");
  ASSERT_EQ(parts.size(), 3u);
  EXPECT_EQ(parts[0].text, "SET 'a' = 'b;c'");
  EXPECT_EQ(parts[1].location.line, 3);
  EXPECT_EQ(parts[1].text.substr(parts[1].text.size() - 3), "END");
  EXPECT_EQ(parts[2].location.line, 7);
  EXPECT_EQ(parts[2].location.column, 9);
}

// ---- Round trips of constructs the corpus may not cover ----

class RoundTripTest : public ::testing::TestWithParam<const char*> {};

TEST_P(RoundTripTest, PrintsAndParsesBack) { ExpectRoundTrip(GetParam(), "case"); }

INSTANTIATE_TEST_SUITE_P(
    Statements, RoundTripTest,
    ::testing::Values(
        "SELECT a FROM t UNION SELECT b FROM u INTERSECT SELECT c FROM v EXCEPT ALL SELECT d FROM w",
        "(SELECT 1 ORDER BY 1) LIMIT 1",
        "SELECT a FROM t ORDER BY a DESC NULLS LAST OFFSET 5 ROWS FETCH NEXT 10 ROWS ONLY",
        "SELECT a, SUM(b) FROM t GROUP BY GROUPING SETS ((a, b), a, ()), ROLLUP(a, (b, c)), CUBE(a)",
        "SELECT * FROM t WHERE EXISTS (SELECT 1 FROM u WHERE u.k = t.k) AND a NOT IN (SELECT b FROM u)",
        "SELECT tag FROM t CROSS JOIN UNNEST(tags) AS x (tag)",
        "SELECT * FROM t, LATERAL TABLE(split(s)) AS x (word, len)",
        "SELECT * FROM t LEFT JOIN LATERAL TABLE(split(s)) AS x (w) ON TRUE",
        "SELECT * FROM TABLE(SESSION(TABLE bids PARTITION BY item, DESCRIPTOR(ts), INTERVAL '5' MINUTES))",
        "SELECT * FROM t MATCH_RECOGNIZE (PARTITION BY k ORDER BY ts MEASURES FIRST(A.ts) AS s, LAST(B.v) AS e "
        "ONE ROW PER MATCH AFTER MATCH SKIP TO LAST B PATTERN (A B+? (C | D){2,3} E* F{,4}) "
        "WITHIN INTERVAL '1' HOUR DEFINE B AS B.v > PREV(B.v), C AS TRUE) AS m",
        "SELECT DISTINCT a FROM t WINDOW w AS (PARTITION BY a ORDER BY ts ROWS BETWEEN 2 PRECEDING AND CURRENT ROW)",
        "SELECT EXTRACT(DOW FROM ts), FLOOR(ts TO HOUR), CEIL(ts TO DAY), POSITION('a' IN s), "
        "SUBSTRING(s FROM 2 FOR 3), TRIM(LEADING 'x' FROM s), TRIM(s), OVERLAY(s PLACING 'ab' FROM 2 FOR 1) FROM t",
        "SELECT JSON_VALUE(j, '$.a' RETURNING INT DEFAULT 0 ON EMPTY NULL ON ERROR), "
        "JSON_QUERY(j, '$.b' WITH CONDITIONAL ARRAY WRAPPER EMPTY ARRAY ON ERROR), JSON_EXISTS(j, '$.c' FALSE ON ERROR), "
        "JSON_OBJECT(KEY 'a' VALUE 1, 'b' VALUE s ABSENT ON NULL), JSON_ARRAY(1, 2 NULL ON NULL) FROM t",
        "SELECT ARRAY[1, 2][1], MAP['k', 1]['k'], ROW(1, 'a'), a IS NOT DISTINCT FROM b, s SIMILAR TO 'a%', "
        "j IS JSON OBJECT, j IS NOT JSON FROM t",
        "SELECT TIMESTAMPADD(QUARTER, 1, ts), CURRENT_DATE, CURRENT_TIMESTAMP, LOCALTIME, "
        "CAST(x AS INTERVAL DAY TO SECOND(3)), CAST(y AS INTERVAL YEAR TO MONTH) FROM t",
        "SELECT `a``b`, U&'\\0041x', 'it''s', x'0aff', 1e3, 1.5E-2, INTERVAL '10 00:00:00' DAY TO SECOND, "
        "INTERVAL '10' MINUTES FROM t /*+ OPTIONS('scan.startup.mode' = 'latest-offset') */",
        "SELECT /*+ STATE_TTL('t' = '1d'), BROADCAST(u) */ value, `timestamp`, date, time, key, `offset`, partition, "
        "language, comment FROM t",
        "CREATE TABLE t (id BIGINT PRIMARY KEY NOT ENFORCED, ts TIMESTAMP(3) METADATA FROM 'timestamp' VIRTUAL, "
        "tags INT ARRAY, WATERMARK FOR ts AS ts - INTERVAL '5' SECOND) WITH ('connector' = 'kafka') "
        "LIKE base (EXCLUDING ALL INCLUDING GENERATED OVERWRITING OPTIONS)",
        "CREATE OR REPLACE TABLE t WITH ('k' = 'v') AS SELECT 1",
        "INSERT OVERWRITE t /*+ OPTIONS('a' = 'b') */ PARTITION (dt = '2024-01-01') (a, b) SELECT 1, 2",
        "ALTER TABLE t SET ('a' = 'b')", "ALTER TABLE IF EXISTS t RESET ('a', 'b')",
        "ALTER TABLE t RENAME TO u", "ALTER TABLE t RENAME a TO b",
        "ALTER TABLE t ADD (c INT COMMENT 'c' AFTER a, d AS c + 1 FIRST, WATERMARK FOR ts AS ts)",
        "ALTER TABLE t MODIFY PRIMARY KEY (id) NOT ENFORCED", "ALTER TABLE t ADD DISTRIBUTION BY HASH(a) INTO 4 BUCKETS",
        "ALTER TABLE t DROP (a, b)", "ALTER TABLE t DROP WATERMARK", "ALTER TABLE t DROP PRIMARY KEY",
        "ALTER TABLE t DROP CONSTRAINT pk",
        "DROP TABLE IF EXISTS c.d.t", "DROP TEMPORARY VIEW v", "DROP TEMPORARY SYSTEM FUNCTION IF EXISTS f",
        "DROP DATABASE d CASCADE",
        "SHOW TABLES FROM db NOT LIKE 'a%'", "SHOW USER FUNCTIONS", "SHOW CATALOGS", "SHOW DATABASES",
        "SHOW CREATE TABLE t", "SHOW CREATE VIEW v", "SHOW JOBS", "SHOW COLUMNS FROM t LIKE '%id'",
        "SHOW CURRENT DATABASE", "SHOW FULL MODULES", "DESCRIBE t", "DESC EXTENDED c.d.t",
        "DESCRIBE FUNCTION EXTENDED f", "DESCRIBE JOB 'abc'",
        "EXPLAIN PLAN FOR SELECT 1", "EXPLAIN ESTIMATED_COST, CHANGELOG_MODE, JSON_EXECUTION_PLAN, PLAN_ADVICE "
        "INSERT INTO t SELECT 1",
        "EXPLAIN STATEMENT SET BEGIN INSERT INTO t SELECT 1; INSERT INTO u SELECT 2; END",
        "USE CATALOG c", "USE c.db", "USE MODULES core, hive",
        "CREATE TEMPORARY SYSTEM FUNCTION IF NOT EXISTS f AS 'com.example.F' LANGUAGE JAVA USING JAR 'a.jar'",
        "CREATE CATALOG c WITH ('type' = 'generic_in_memory')", "CREATE DATABASE IF NOT EXISTS c.d COMMENT 'x'",
        "ALTER VIEW v RENAME TO w", "ALTER VIEW v AS SELECT 1", "ALTER FUNCTION f AS 'x' LANGUAGE PYTHON",
        "LOAD MODULE hive WITH ('v' = '3')", "UNLOAD MODULE hive",
        "CREATE TEMPORARY VIEW IF NOT EXISTS v (a) COMMENT 'c' AS VALUES (1), (2)"));

// ---- Shapes the binder relies on ----

ast::Expr& FirstSelectExpr(ast::Statement& statement) {
  return *statement.query->select->items.at(0).expr;
}

ast::Statement ParseStatement(const std::string& sql) {
  auto statements = ParseScript(sql, "t.sql");
  EXPECT_EQ(statements.size(), 1u);
  return std::move(statements.at(0));
}

TEST(ParserShapes, IntersectBindsTighterThanUnion) {
  auto statement = ParseStatement("SELECT 1 UNION SELECT 2 INTERSECT SELECT 3 EXCEPT SELECT 4");
  const ast::Query& query = *statement.query;
  ASSERT_EQ(query.kind, ast::QueryKind::kExcept);
  ASSERT_EQ(query.left->kind, ast::QueryKind::kUnion);
  EXPECT_EQ(query.left->right->kind, ast::QueryKind::kIntersect);
}

TEST(ParserShapes, BetweenBindsTighterThanAndAndOr) {
  // Each case: the WHERE clause as written, then as printed with every
  // operator parenthesized.
  const std::pair<const char*, const char*> cases[] = {
      {"v BETWEEN 1 AND 3 AND v <> 2", "((v BETWEEN 1 AND 3) AND (v <> 2))"},
      {"v BETWEEN 1 AND 3 AND a AND b", "(((v BETWEEN 1 AND 3) AND a) AND b)"},
      {"v BETWEEN 1 AND 3 OR a AND b", "((v BETWEEN 1 AND 3) OR (a AND b))"},
      {"a AND v NOT BETWEEN 1 AND 3 OR b", "((a AND (v NOT BETWEEN 1 AND 3)) OR b)"},
      {"v BETWEEN (1 AND x) AND 3", "(v BETWEEN (1 AND x) AND 3)"},
  };
  for (const auto& [written, printed] : cases) {
    auto statement = ParseStatement(std::string("SELECT v FROM t WHERE ") + written);
    std::string sql = ast::ToSql(statement);
    size_t where = sql.find("WHERE ");
    ASSERT_NE(where, std::string::npos) << sql;
    EXPECT_EQ(sql.substr(where + 6), printed) << written;
  }
}

TEST(ParserShapes, KeywordCallsUseTheOrdinaryCallShape) {
  auto extract = ParseStatement("SELECT EXTRACT(YEAR FROM ts)");
  EXPECT_EQ(FirstSelectExpr(extract).name, "EXTRACT");
  EXPECT_EQ(FirstSelectExpr(extract).time_unit, "YEAR");
  EXPECT_EQ(FirstSelectExpr(extract).children.size(), 1u);

  auto substring = ParseStatement("SELECT SUBSTRING(s FROM 2 FOR 3)");
  EXPECT_EQ(ast::DumpAst(substring), ast::DumpAst(ParseStatement("SELECT SUBSTRING(s, 2, 3)")));

  auto trim = ParseStatement("SELECT TRIM(TRAILING 'x' FROM s)");
  EXPECT_EQ(FirstSelectExpr(trim).trim_side, "TRAILING");
  ASSERT_EQ(FirstSelectExpr(trim).children.size(), 2u);
  EXPECT_EQ(FirstSelectExpr(trim).children[0]->name_parts.at(0), "s");

  auto item = ParseStatement("SELECT m['k']");
  EXPECT_EQ(FirstSelectExpr(item).kind, ast::ExprKind::kItem);
  EXPECT_EQ(FirstSelectExpr(item).children.size(), 2u);

  auto json = ParseStatement("SELECT JSON_VALUE(j, '$.a' RETURNING DOUBLE DEFAULT 1.5 ON ERROR)");
  EXPECT_TRUE(FirstSelectExpr(json).has_returning);
  EXPECT_EQ(FirstSelectExpr(json).cast_type.id, TypeId::kDouble);
  EXPECT_EQ(FirstSelectExpr(json).json_on_error, "DEFAULT");
  ASSERT_NE(FirstSelectExpr(json).json_on_error_default, nullptr);

  auto now = ParseStatement("SELECT CURRENT_TIMESTAMP");
  EXPECT_EQ(FirstSelectExpr(now).kind, ast::ExprKind::kFunction);
  EXPECT_EQ(FirstSelectExpr(now).name, "CURRENT_TIMESTAMP");

  auto distinct = ParseStatement("SELECT a IS DISTINCT FROM b");
  EXPECT_EQ(FirstSelectExpr(distinct).kind, ast::ExprKind::kBinary);
  EXPECT_EQ(FirstSelectExpr(distinct).name, "IS DISTINCT FROM");
}

TEST(ParserShapes, UnicodeStringsAndEscapes) {
  auto statement = ParseStatement("SELECT U&'\\0041\\00e9\\\\', 'it''s'");
  EXPECT_EQ(statement.query->select->items[0].expr->literal, "A\xc3\xa9\\");
  EXPECT_EQ(statement.query->select->items[1].expr->literal, "it's");
}

TEST(ParserShapes, HintsAreKept) {
  auto statement = ParseStatement("SELECT /*+ BROADCAST(u) */ * FROM t /*+ OPTIONS('a'='b') */ /* plain */");
  ASSERT_EQ(statement.query->select->hints.size(), 1u);
  EXPECT_EQ(statement.query->select->hints[0].name, "BROADCAST");
  const ast::Relation& table = *statement.query->select->from.at(0);
  ASSERT_EQ(table.hints.size(), 1u);
  EXPECT_EQ(table.hints[0].options.at(0).first, "a");
  EXPECT_EQ(table.hints[0].options.at(0).second, "b");
}

TEST(ParserShapes, DecorativePlusCommentIsNoHint) {
  auto statement = ParseStatement("/*+------ rule 1 ------+*/ SELECT a /*+ not a hint: 100% */ FROM t");
  EXPECT_TRUE(statement.query->select->hints.empty());
  EXPECT_TRUE(statement.query->select->from.at(0)->hints.empty());
}

TEST(ParserShapes, KafkaColumnNamesNeedNoQuotes) {
  auto statement = ParseStatement(
      "CREATE TABLE k (key STRING, value STRING, `timestamp` TIMESTAMP(3), topic STRING, `partition` INT, "
      "`offset` BIGINT, headers MAP<STRING, BYTES>, date DATE, time TIME, language STRING, comment STRING, "
      "count BIGINT)");
  EXPECT_EQ(statement.create_table->columns.size(), 12u);
}

// ---- Syntax errors ----

struct SyntaxErrorCase {
  std::string name;
  std::string sql;
  int line;
  int column;
  std::string message;
  std::string hint;  // substring of the hint
};

void PrintTo(const SyntaxErrorCase& c, std::ostream* os) { *os << c.name; }

class SyntaxErrorTest : public ::testing::TestWithParam<SyntaxErrorCase> {};

TEST_P(SyntaxErrorTest, NamesLocationAndExpectedTokens) {
  const SyntaxErrorCase& c = GetParam();
  try {
    ParseScript(c.sql, "bad.sql");
    FAIL() << "no error for " << c.sql;
  } catch (const SqlError& error) {
    EXPECT_EQ(error.location().file, "bad.sql");
    EXPECT_EQ(error.location().line, c.line) << error.message();
    EXPECT_EQ(error.location().column, c.column) << error.message();
    EXPECT_NE(error.message().find(c.message), std::string::npos) << error.message();
    EXPECT_NE(error.hint().find(c.hint), std::string::npos) << error.hint();
    std::string rendered = error.Render(SourceLine(c.sql, error.location().line));
    EXPECT_NE(rendered.find("bad.sql:"), std::string::npos) << rendered;
    EXPECT_NE(rendered.find('^'), std::string::npos) << rendered;
  }
}

INSTANTIATE_TEST_SUITE_P(
    Cases, SyntaxErrorTest,
    ::testing::Values(
        SyntaxErrorCase{"MissingCommaBetweenColumns", "CREATE TABLE t (\n  a INT\n  b STRING\n)", 3, 3,
                        "syntax error at 'b'", "is a ',' missing before 'b'?"},
        SyntaxErrorCase{"SelectWithoutItems", "SELECT FROM t", 1, 8, "syntax error at 'FROM'", "an expression"},
        SyntaxErrorCase{"UnclosedParenthesis", "SELECT (a + 1 FROM t", 1, 15, "syntax error at 'FROM'",
                        "1 '(' before this point is not closed"},
        SyntaxErrorCase{"MisspeltKeyword", "SELEC a FROM t", 1, 1, "syntax error at 'SELEC'", "SELECT"},
        SyntaxErrorCase{"ReservedWordAsColumn", "SELECT a AS select FROM t", 1, 13, "syntax error at 'select'",
                        "reserved keyword"},
        SyntaxErrorCase{"UnknownExplainDetail", "EXPLAIN FAST SELECT 1", 1, 9, "unknown EXPLAIN detail FAST",
                        "ESTIMATED_COST"},
        SyntaxErrorCase{"IncompleteStatement", "SELECT a FROM", 1, 14, "unexpected end of input", "incomplete"}));

TEST(SyntaxErrors, HintNamesKeywordsNotTokenIds) {
  try {
    ParseScript("CREATE TABLE t (a INT) WITH ('k' 'v')", "bad.sql");
    FAIL();
  } catch (const SqlError& error) {
    EXPECT_EQ(error.hint(), "expected '='");
  }
  try {
    ParseScript("CREATE TABLE t (a INT NOT 5)", "bad.sql");
    FAIL();
  } catch (const SqlError& error) {
    EXPECT_EQ(error.hint(), "expected NULL");
  }
  try {
    ParseScript("SELECT a, b, FROM t", "bad.sql");
    FAIL();
  } catch (const SqlError& error) {
    EXPECT_EQ(error.hint(), "remove the ',' before FROM");
  }
}

// ---- Deep nesting ----

void ExpectNestingError(const std::string& sql) {
  try {
    ParseScript(sql, "deep.sql");
    FAIL() << "no error for deeply nested input";
  } catch (const SqlError& error) {
    EXPECT_NE(error.message().find("levels deep"), std::string::npos) << error.message();
    EXPECT_EQ(error.location().file, "deep.sql");
    EXPECT_EQ(error.location().line, 1);
    EXPECT_GT(error.location().column, 1);
  }
}

TEST(DeepNesting, ManyParenthesesGiveAnError) {
  ExpectNestingError("SELECT " + std::string(100000, '(') + "1" + std::string(100000, ')'));
}

TEST(DeepNesting, ManyNotsGiveAnError) {
  std::string nots;
  for (int i = 0; i < 10000; ++i) nots += "NOT ";
  ExpectNestingError("SELECT " + nots + "TRUE");
}

TEST(DeepNesting, LongOperatorChainGivesAnError) {
  std::string sum = "1";
  for (int i = 0; i < 100000; ++i) sum += " + 1";
  ExpectNestingError("SELECT " + sum);
}

TEST(DeepNesting, NestedCaseAndSubqueriesGiveAnError) {
  std::string cases;
  for (int i = 0; i < 5000; ++i) cases += "CASE WHEN a THEN ";
  cases += "1";
  for (int i = 0; i < 5000; ++i) cases += " END";
  ExpectNestingError("SELECT " + cases + " FROM t");
  std::string subqueries = "SELECT 1";
  for (int i = 0; i < 5000; ++i) subqueries = "SELECT * FROM (" + subqueries + ")";
  ExpectNestingError(subqueries);
}

TEST(DeepNesting, ModerateNestingStillParses) {
  std::string sql = "SELECT " + std::string(100, '(') + "1" + std::string(100, ')');
  std::string chain = "a";
  for (int i = 0; i < 500; ++i) chain += " OR a";
  EXPECT_NO_THROW(ParseScript(sql, "ok.sql"));
  EXPECT_NO_THROW(ParseScript("SELECT * FROM t WHERE " + chain, "ok.sql"));
}

}  // namespace
}  // namespace fsql
