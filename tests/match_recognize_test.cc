// MATCH_RECOGNIZE checks that tests/sql/match_recognize.test cannot express:
// runtime failures of the rule, the state the operator keeps, and late-row counts.
#include <gtest/gtest.h>

#include "compiler/planner/planner.h"
#include "runtime/formats/json_format.h"
#include "runtime/operators/match_recognize.h"

namespace fsql {
namespace {

/// One rule planned from SQL, with its sink and its MATCH_RECOGNIZE operator.
class MatchRule {
 public:
  explicit MatchRule(const std::string& match_clause) {
    std::string script =
        "CREATE TABLE t (k STRING, id BIGINT, v BIGINT);\n"
        "CREATE TABLE o (k STRING, a_id BIGINT);\n"
        "INSERT INTO o SELECT * FROM t MATCH_RECOGNIZE (\n" +
        match_clause + "\n);\n";
    rules_ = ScriptPlanner(catalog_, config_).PlanScript(script, "match.sql");
    pipeline_ = BuildPipeline(rules_.at(0));
    sink_ = pipeline_.Add<CollectSinkOperator>();
    pipeline_.output->Connect(sink_, 0);
    for (const auto& op : pipeline_.operators) {
      if (auto* match = dynamic_cast<MatchRecognizeOperator*>(op.get())) match_ = match;
    }
    decoder_ = std::make_unique<JsonRowDecoder>(*pipeline_.sources.at(0).table);
  }

  void Push(int64_t time, const std::string& json) {
    std::string topic = "t";
    std::optional<std::string> key;
    std::optional<std::string> value = json;
    RecordRef record{&topic, 0, offset_++, time, &key, &value};
    std::vector<Row> rows;
    decoder_->Decode(record, rows);
    pipeline_.sources.at(0).entry->ProcessBatch(0, rows);
  }

  void Watermark(int64_t watermark) { pipeline_.sources.at(0).entry->ProcessWatermark(0, watermark); }

  size_t matches() const { return sink_->rows().size(); }
  /// The a_id column of the first output row.
  int64_t match_count_of_first() const { return sink_->rows().at(0).view().GetInt(1); }
  const MatchRecognizeOperator& match() const { return *match_; }

 private:
  Catalog catalog_;
  SessionConfig config_;
  std::vector<RulePlan> rules_;
  Pipeline pipeline_;
  CollectSinkOperator* sink_ = nullptr;
  MatchRecognizeOperator* match_ = nullptr;
  std::unique_ptr<JsonRowDecoder> decoder_;
  int64_t offset_ = 0;
};

TEST(MatchRecognizeTest, SkipToVariableWithoutRowFailsRule) {
  MatchRule rule(
      "PARTITION BY k ORDER BY `$rowtime` MEASURES A.id AS a_id AFTER MATCH SKIP TO LAST B "
      "PATTERN (A B? C) DEFINE B AS B.v = 2, C AS C.v = 3");
  rule.Push(1, R"({"k":"x","id":1,"v":1})");
  rule.Push(2, R"({"k":"x","id":2,"v":3})");
  try {
    rule.Watermark(10);
    FAIL() << "expected the rule to fail";
  } catch (const Error& error) {
    EXPECT_NE(std::string(error.what()).find("no row of the match is mapped to B"), std::string::npos)
        << error.what();
  }
}

TEST(MatchRecognizeTest, SkipToFirstRowOfMatchFailsRule) {
  MatchRule rule(
      "PARTITION BY k ORDER BY `$rowtime` MEASURES A.id AS a_id AFTER MATCH SKIP TO FIRST A "
      "PATTERN (A B) DEFINE B AS B.v = 2");
  rule.Push(1, R"({"k":"x","id":1,"v":1})");
  rule.Push(2, R"({"k":"x","id":2,"v":2})");
  EXPECT_THROW(rule.Watermark(10), Error);
}

TEST(MatchRecognizeTest, WithinReleasesRowsOfUndecidedMatches) {
  MatchRule rule(
      "PARTITION BY k ORDER BY `$rowtime` MEASURES A.id AS a_id AFTER MATCH SKIP PAST LAST ROW "
      "PATTERN (A B+) WITHIN INTERVAL '1' SECOND DEFINE A AS A.v = 1, B AS B.v = 2");
  rule.Push(0, R"({"k":"x","id":1,"v":1})");
  rule.Push(100, R"({"k":"x","id":2,"v":2})");
  rule.Push(200, R"({"k":"y","id":3,"v":2})");
  rule.Watermark(500);
  // B+ could still take a row of x. The row of y can start no match, so it is gone.
  EXPECT_EQ(rule.match().buffered_rows(), 2u);
  EXPECT_EQ(rule.matches(), 0u);
  rule.Watermark(999);
  EXPECT_EQ(rule.matches(), 1u);
  EXPECT_EQ(rule.match().buffered_rows(), 0u);
}

TEST(MatchRecognizeTest, LateRowsAreCounted) {
  MatchRule rule(
      "PARTITION BY k ORDER BY `$rowtime` MEASURES A.id AS a_id PATTERN (A B) "
      "DEFINE A AS A.v = 1, B AS B.v = 2");
  rule.Watermark(100);
  rule.Push(50, R"({"k":"x","id":1,"v":1})");
  rule.Push(100, R"({"k":"x","id":2,"v":2})");
  rule.Push(101, R"({"k":"x","id":3,"v":2})");
  EXPECT_EQ(rule.match().late_rows(), 2);
  EXPECT_EQ(rule.match().buffered_rows(), 1u);
}

TEST(MatchRecognizeTest, LongUndecidedMatchContinuesSearch) {
  // Each watermark releases one row that the greedy S{2,} takes. The search
  // continues where it stopped and SUM runs along, because starting over or
  // summing the whole match at every row would make this test quadratic in its
  // row count.
  MatchRule rule(
      "PARTITION BY k ORDER BY `$rowtime` MEASURES COUNT(S.id) AS a_id AFTER MATCH SKIP PAST LAST ROW "
      "PATTERN (S{2,} L) DEFINE S AS S.v < 1 AND SUM(S.v) < 1, L AS L.v > 500");
  const int small_rows = 5000;
  for (int i = 0; i < small_rows; ++i) {
    rule.Push(i, R"({"k":"c","v":0,"id":)" + std::to_string(i) + "}");
    rule.Watermark(i);
  }
  EXPECT_EQ(rule.matches(), 0u);
  EXPECT_EQ(rule.match().buffered_rows(), static_cast<size_t>(small_rows));
  rule.Push(small_rows, R"({"k":"c","v":900,"id":0})");
  rule.Watermark(small_rows);
  ASSERT_EQ(rule.matches(), 1u);
  EXPECT_EQ(rule.match_count_of_first(), small_rows);
  EXPECT_EQ(rule.match().buffered_rows(), 0u);
}

}  // namespace
}  // namespace fsql
