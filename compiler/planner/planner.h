// Plans rule files: runs SET and CREATE TABLE against the session and catalog,
// and turns each INSERT INTO and CREATE TABLE AS into a rule with a logical plan
// and, on request, an executable pipeline.
#pragma once

#include <memory>
#include <string>
#include <string_view>
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
  const TableDefinition* sink = nullptr;  // null for an ad hoc SELECT, whose rows go to the caller
  PlanPtr bound_plan;  // as the binder built it, for EXPLAIN
  PlanPtr plan;        // optimised; outputs the sink's columns in table order
  std::map<std::string, std::string> settings;  // session settings in force for this rule
};

/// The setting after which a source partition without records stops holding
/// back the watermark.
inline constexpr std::string_view kIdleTimeoutKey = "table.exec.source.idle-timeout";
/// A statement that lists or describes something and plans nothing: SHOW,
/// DESCRIBE, EXPLAIN and USE. A rule file may contain them; the planner keeps
/// them in order for the caller and skips them.
struct InformationalStatement {
  std::shared_ptr<const ast::Statement> statement;
  std::string file;
};

class ScriptPlanner {
 public:
  ScriptPlanner(Catalog& catalog, SessionConfig& config) : catalog_(catalog), config_(config) {}

  /// Plans every statement of `text` in order. Throws SqlError (with `file` in its
  /// location) at the first statement that fails; earlier tables stay registered.
  std::vector<RulePlan> PlanScript(const std::string& text, const std::string& file);

  /// Lets a bare SELECT through as a rule without a sink table, for the REPL.
  void set_allow_queries(bool allow) { allow_queries_ = allow; }

  /// The SHOW, DESCRIBE, EXPLAIN and USE statements of every script planned so
  /// far, in order. A rule file logs each as skipped.
  const std::vector<InformationalStatement>& informational_statements() const { return informational_; }

 private:
  /// Plans a CREATE TABLE AS (`create`) or an INSERT INTO (`insert`) as a rule called `name`.
  RulePlan PlanRule(const ast::CreateTable* create, const ast::Insert* insert, const SourceLocation& location,
                    const std::string& text, const std::string& name);
  /// Derives the upsert keys of `rule.bound_plan` and sets `rule.plan` to its optimised form.
  static void FinishPlan(RulePlan& rule);
  /// Throws SqlError when `statement` appears between BEGIN STATEMENT SET and END.
  void RequireNoStatementSet(const ast::Statement& statement) const;
  /// The name of the next rule: the pending 'client.statement-name', else file:line.
  std::string TakeRuleName(const std::string& file, const SourceLocation& location);

  Catalog& catalog_;
  SessionConfig& config_;
  std::string pending_statement_name_;
  bool allow_queries_ = false;
  // Between BEGIN STATEMENT SET and END: the set's name and the rules so far.
  bool in_statement_set_ = false;
  std::string statement_set_name_;
  SourceLocation statement_set_location_;
  std::vector<RulePlan> statement_set_rules_;
  std::vector<InformationalStatement> informational_;
};

/// Derives changelog properties bottom-up and rejects plans Flink rejects, such
/// as an OVER aggregation over updating input. Throws SqlError.
void ValidateChangelog(PlanNode& plan);
/// ValidateChangelog for one node whose inputs are already validated.
void ValidateChangelogOf(PlanNode& node);

/// Returns whether `node` runs as a SlicedWindowAggregateOperator, fused with its
/// input: a window aggregation directly over a HOP or CUMULATE window TVF
/// whose size is a multiple of its slide or step, whose aggregates all merge
/// exactly (RetractableAccumulator::IsMergeable), and whose aggregates and
/// other keys read no window column. Other window aggregations keep a
/// WindowTvfOperator followed by a WindowAggregateOperator.
bool IsSlicedWindowAggregate(const PlanNode& node);

/// Builds the operators of `rule`. The sink operator is not created: the caller
/// connects `pipeline.output` to the sink it wants.
Pipeline BuildPipeline(const RulePlan& rule);

}  // namespace fsql
