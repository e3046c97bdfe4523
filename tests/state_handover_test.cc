// State carried from one version of a rule to the next: which operators get
// equal state shapes, and an operator that takes over its predecessor's state
// goes on counting where that one stopped.
#include <algorithm>
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>

#include "api/rule_loader.h"
#include "runtime/formats/json_format.h"

namespace fsql::testing {
namespace {

const std::string kRules = FSQL_SOURCE_DIR "/rules";

std::string ReadText(const std::string& path) {
  std::ifstream in(path);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

/// Plans the rule files of rules/, with `edit` applied to the flagged-user
/// rule, and returns the pipeline of that rule.
Pipeline FlaggedUserPipeline(LoadedRules& loaded, const std::function<std::string(std::string)>& edit) {
  std::vector<RuleSource> sources;
  for (const auto& file : ExpandRulePaths({kRules})) {
    std::string text = ReadText(file);
    if (file.find("30_flagged_user") != std::string::npos) text = edit(text);
    sources.push_back({file, text});
  }
  auto error = LoadRuleSources(sources, loaded);
  EXPECT_FALSE(error.has_value()) << (error ? error->rendered : "");
  for (const auto& rule : loaded.rules) {
    if (rule.name == "flagged-user-detection") return BuildPipeline(rule);
  }
  ADD_FAILURE() << "no flagged-user-detection rule";
  return {};
}

std::string Replace(std::string text, const std::string& from, const std::string& to) {
  size_t at = text.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  if (at != std::string::npos) text.replace(at, from.size(), to);
  return text;
}

/// Returns the state shapes of the pipeline's stateful operators, by operator name.
std::map<std::string, std::string> Shapes(const Pipeline& pipeline) {
  std::map<std::string, std::string> shapes;
  for (const auto& op : pipeline.operators) {
    if (!op->state_shape().empty()) shapes[op->name()] = op->state_shape();
  }
  return shapes;
}

TEST(StateHandoverTest, ThresholdChangeKeepsEveryShape) {
  LoadedRules before_rules, after_rules;
  Pipeline before = FlaggedUserPipeline(before_rules, [](std::string text) { return text; });
  Pipeline after = FlaggedUserPipeline(after_rules, [](std::string text) {
    return Replace(text, "t.total_amount > 1000", "t.total_amount > 2000");
  });
  std::map<std::string, std::string> shapes = Shapes(before);
  EXPECT_EQ(shapes.size(), 4u);
  EXPECT_TRUE(shapes.count("OverAggregate"));
  EXPECT_TRUE(shapes.count("Join"));
  EXPECT_TRUE(shapes.count("Rank"));
  EXPECT_TRUE(shapes.count("ChangelogNormalize"));
  EXPECT_EQ(Shapes(after), shapes);
}

TEST(StateHandoverTest, WiderFrameChangesOverShape) {
  LoadedRules before_rules, after_rules;
  Pipeline before = FlaggedUserPipeline(before_rules, [](std::string text) { return text; });
  Pipeline after = FlaggedUserPipeline(after_rules, [](std::string text) {
    return Replace(text, "INTERVAL '10' MINUTE PRECEDING", "INTERVAL '30' MINUTE PRECEDING");
  });
  std::map<std::string, std::string> old_shapes = Shapes(before);
  std::map<std::string, std::string> new_shapes = Shapes(after);
  EXPECT_NE(new_shapes["OverAggregate"], old_shapes["OverAggregate"]);
  EXPECT_EQ(new_shapes["Join"], old_shapes["Join"]);
  EXPECT_EQ(new_shapes["ChangelogNormalize"], old_shapes["ChangelogNormalize"]);
}

/// Returns the state shape of a HOP window count sliding by `slide` seconds.
std::string SlicedWindowShape(const std::string& slide, int threshold) {
  std::string text = fmt::format(
      "CREATE TABLE t (k BIGINT);\n"
      "CREATE TABLE o (k BIGINT, n BIGINT);\n"
      "INSERT INTO o SELECT k, COUNT(*) FROM TABLE(HOP(TABLE t, DESCRIPTOR(`$rowtime`), INTERVAL '{}' SECOND, "
      "INTERVAL '10' SECOND)) GROUP BY k, window_start, window_end HAVING COUNT(*) > {};\n",
      slide, threshold);
  LoadedRules loaded;
  auto error = LoadRuleSources({{"hop.fsql", text}}, loaded);
  EXPECT_FALSE(error.has_value()) << (error ? error->rendered : "");
  if (error) return "";
  std::map<std::string, std::string> shapes = Shapes(BuildPipeline(loaded.rules.at(0)));
  EXPECT_EQ(shapes.size(), 1u);
  return shapes["SlicedWindowAggregate"];
}

TEST(StateHandoverTest, SlicedWindowShapeNamesItsWindow) {
  std::string shape = SlicedWindowShape("2", 1);
  EXPECT_NE(shape.find("window=[HOP("), std::string::npos) << shape;
  EXPECT_EQ(SlicedWindowShape("2", 5), shape);
  // Slices of 2 s cannot serve windows that slide by 5 s.
  EXPECT_NE(SlicedWindowShape("5", 1), shape);
}

/// A GROUP BY count whose HAVING threshold the test changes.
struct CountRule {
  explicit CountRule(int threshold) {
    std::string text = fmt::format(
        "CREATE TABLE t (k BIGINT);\n"
        "CREATE TABLE o (k BIGINT, n BIGINT, PRIMARY KEY (k) NOT ENFORCED) WITH ('changelog.mode' = 'upsert');\n"
        "INSERT INTO o SELECT k, COUNT(*) FROM t GROUP BY k HAVING COUNT(*) > {};\n",
        threshold);
    auto error = LoadRuleSources({{"count.fsql", text}}, loaded);
    EXPECT_FALSE(error.has_value()) << (error ? error->rendered : "");
    pipeline = BuildPipeline(loaded.rules.at(0));
    sink = pipeline.Add<CollectSinkOperator>();
    pipeline.output->Connect(sink, 0);
    decoder = std::make_unique<JsonRowDecoder>(*pipeline.sources.at(0).table);
  }

  void Push(int64_t key) {
    std::string topic = "t";
    std::optional<std::string> value = fmt::format(R"({{"k":{}}})", key);
    std::optional<std::string> no_key;
    RecordRef record{&topic, 0, 0, 1000, &no_key, &value};
    std::vector<Row> rows;
    decoder->Decode(record, rows);
    pipeline.sources.at(0).entry->ProcessBatch(0, rows);
  }

  std::vector<std::string> Output() const {
    std::vector<std::string> out;
    for (const Row& row : sink->rows()) out.push_back(RowToString(row.view(), {DataType::Of(TypeId::kBigInt), DataType::Of(TypeId::kBigInt)}));
    return out;
  }

  Operator* Find(const std::string& name) const {
    for (const auto& op : pipeline.operators) {
      if (op->name() == name) return op.get();
    }
    return nullptr;
  }

  LoadedRules loaded;
  Pipeline pipeline;
  CollectSinkOperator* sink = nullptr;
  std::unique_ptr<JsonRowDecoder> decoder;
};

TEST(StateHandoverTest, TakenStateContinuesCounting) {
  CountRule before(2);
  for (int i = 0; i < 2; ++i) before.Push(7);
  EXPECT_TRUE(before.Output().empty());

  CountRule after(2);
  Operator* old_aggregate = before.Find("GroupAggregate");
  Operator* new_aggregate = after.Find("GroupAggregate");
  ASSERT_NE(old_aggregate, nullptr);
  ASSERT_NE(new_aggregate, nullptr);
  ASSERT_EQ(new_aggregate->state_shape(), old_aggregate->state_shape());
  ASSERT_TRUE(new_aggregate->TakeStateFrom(*old_aggregate));

  after.Push(7);
  EXPECT_EQ(after.Output(), std::vector<std::string>{"+I[7, 3]"});
}

TEST(StateHandoverTest, FreshStateStartsFromZero) {
  CountRule fresh(2);
  fresh.Push(7);
  EXPECT_TRUE(fresh.Output().empty());
}

}  // namespace
}  // namespace fsql::testing
