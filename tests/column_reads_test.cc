// A rule's source decoder converts only the columns and ROW fields the rule
// reads. These tests check what the planner marks, and that a decoder given
// those marks skips the rest but still computes the columns it needs.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include <fmt/format.h>

#include "runtime/common/error.h"
#include "tests/rule_harness.h"

namespace fsql::testing {
namespace {

/// Writes a rule file: a source with a nested ROW, an unread column and an
/// event time computed from a nested field, and a rule named `rule` that runs `select`.
std::string WriteRules(const std::string& select) {
  std::string path = (std::filesystem::temp_directory_path() /
                      fmt::format("fsql_column_reads_{}.fsql", ::testing::UnitTest::GetInstance()->current_test_info()->name()))
                         .string();
  std::ofstream(path) << fmt::format(R"(
CREATE TABLE events (
  kind INT,
  body ROW<id BIGINT, note STRING, inner_part ROW<x INT, y STRING>>,
  other INT,
  ts AS TO_TIMESTAMP_LTZ(body.id, 3),
  WATERMARK FOR ts AS ts
) WITH ('connector' = 'kafka', 'topic' = 'events', 'value.format' = 'json');
CREATE TABLE out (x INT, ts TIMESTAMP_LTZ(3)) WITH ('connector' = 'kafka', 'topic' = 'out', 'value.format' = 'json');
SET 'client.statement-name' = 'rule';
INSERT INTO out {};
)",
                                     select);
  return path;
}

// `other` is not a number and `inner_part.y` is an array: both would fail the
// record if they were converted.
const std::string kRecord =
    R"({"kind":1,"body":{"id":1767225600000,"note":"n","inner_part":{"x":5,"y":[1,2]}},"other":"not a number"})";

TEST(ColumnReadsTest, PlannerMarksOnlyTheFieldsTheRuleReads) {
  RuleHarness harness({WriteRules("SELECT body.inner_part.x, ts FROM events WHERE kind = 1")}, "rule");
  ASSERT_EQ(harness.pipeline().sources.size(), 1u);
  const ColumnReads& reads = harness.pipeline().sources[0].reads;
  ASSERT_EQ(reads.size(), harness.pipeline().sources[0].table->columns.size());
  EXPECT_EQ(reads[0].kind, FieldReads::Kind::kAll);   // kind
  ASSERT_EQ(reads[1].kind, FieldReads::Kind::kSome);  // body
  EXPECT_FALSE(reads[1].fields[0].any());              // body.id is read by the decoder, not the rule
  EXPECT_FALSE(reads[1].fields[1].any());              // body.note
  ASSERT_EQ(reads[1].fields[2].kind, FieldReads::Kind::kSome);
  EXPECT_EQ(reads[1].fields[2].fields[0].kind, FieldReads::Kind::kAll);  // inner_part.x
  EXPECT_FALSE(reads[1].fields[2].fields[1].any());                      // inner_part.y
  EXPECT_FALSE(reads[2].any());                                          // other
  EXPECT_EQ(reads[3].kind, FieldReads::Kind::kAll);                      // ts
}

TEST(ColumnReadsTest, UnreadValuesSkipped) {
  RuleHarness harness({WriteRules("SELECT body.inner_part.x, ts FROM events WHERE kind = 1")}, "rule");
  harness.Push("events", kRecord, 0);
  EXPECT_EQ(harness.Output(), std::vector<std::string>{"+I[5, 2026-01-01 00:00:00.000]"});
}

TEST(ColumnReadsTest, ReadValuesAreStillChecked) {
  RuleHarness harness({WriteRules("SELECT other, ts FROM events")}, "rule");
  try {
    harness.Push("events", kRecord, 0);
    FAIL() << "expected the record to fail";
  } catch (const RecordError& error) {
    EXPECT_NE(std::string(error.what()).find("field 'other'"), std::string::npos) << error.what();
  }
}

TEST(ColumnReadsTest, ARowReadWholeIsConvertedWhole) {
  RuleHarness harness({WriteRules("SELECT CARDINALITY(ARRAY[body.inner_part]), ts FROM events")}, "rule");
  EXPECT_THROW(harness.Push("events", kRecord, 0), RecordError);
}

}  // namespace
}  // namespace fsql::testing
