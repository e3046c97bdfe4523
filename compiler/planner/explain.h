// EXPLAIN output for rules: the plan as bound, the optimised logical plan and
// the operators that run, drawn as Flink draws plans, with column names in
// place of column positions.
#pragma once

#include <string>

#include "compiler/planner/planner.h"

namespace fsql {

struct ExplainOptions {
  bool abstract_syntax_tree = true;  // the plan as the binder built it
  bool logical_plan = true;          // after OptimizePlan
  bool physical_plan = true;         // the operators BuildPipeline creates
  bool changelog_mode = true;        // changelogMode=[...] on each node of the last two
  bool upsert_key = true;            // upsertKey=[...] where one is known
};

/// Renders `rule` in the sections `options` selects, each under a Flink-style
/// `== Title ==` heading and separated by a blank line.
std::string ExplainRule(const RulePlan& rule, const ExplainOptions& options);

/// One line of the physical plan for `node` alone, without its inputs,
/// changelog mode or upsert key, e.g. "OverAggregate(partitionBy=[...], ...)".
std::string DescribePhysicalNode(const PlanNode& node);

}  // namespace fsql
