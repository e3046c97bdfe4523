// Plans rule files: runs SET and CREATE TABLE against the session and catalog,
// and turns each INSERT INTO and CREATE TABLE AS into a rule with a logical plan
// and, on request, an executable pipeline.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "compiler/catalog/catalog.h"
#include "compiler/planner/logical_plan.h"
#include "runtime/job/pipeline.h"

namespace fsql {

/// One continuously running statement: INSERT INTO or CREATE TABLE AS.
struct RulePlan {
  std::string name;  // 'client.statement-name', else "<file>:<line>"
  SourceLocation location;
  std::string statement_text;
  const TableDefinition* sink = nullptr;
  PlanPtr plan;  // outputs the sink's columns in table order
  std::map<std::string, std::string> settings;  // session settings in force for this rule
};

class ScriptPlanner {
 public:
  ScriptPlanner(Catalog& catalog, SessionConfig& config) : catalog_(catalog), config_(config) {}

  /// Plans every statement of `text` in order. Throws SqlError (with `file` in its
  /// location) at the first statement that fails; earlier tables stay registered.
  std::vector<RulePlan> PlanScript(const std::string& text, const std::string& file);

 private:
  RulePlan PlanRule(const ast::Statement& statement, const std::string& file);

  Catalog& catalog_;
  SessionConfig& config_;
  std::string pending_statement_name_;
};

/// Derives changelog properties bottom-up and rejects plans Flink rejects, such
/// as an OVER aggregation over updating input. Throws SqlError.
void ValidateChangelog(PlanNode& plan);

/// Builds the operators of `rule`. The sink operator is not created: the caller
/// connects `pipeline.output` to the sink it wants.
Pipeline BuildPipeline(const RulePlan& rule);

}  // namespace fsql
