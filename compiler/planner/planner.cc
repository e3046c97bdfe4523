#include "compiler/planner/planner.h"

#include "compiler/binder/binder.h"
#include "compiler/codegen/aggregate_compiler.h"
#include "compiler/codegen/calc_compiler.h"
#include "compiler/codegen/key_compiler.h"
#include "compiler/parser/parser.h"
#include "compiler/planner/explain.h"
#include "compiler/planner/optimizer.h"
#include "runtime/common/duration.h"
#include "runtime/common/logging.h"

namespace fsql {

namespace {

std::string NodeName(const PlanNode& node) {
  switch (node.kind) {
    case PlanKind::kScan: return fmt::format("the scan of {}", node.table->name);
    case PlanKind::kJoin: return "a regular join";
    case PlanKind::kGroupAggregate: return "a GROUP BY aggregation";
    case PlanKind::kRank: return "a Top-N (ROW_NUMBER) filter";
    case PlanKind::kOverAggregate: return "an OVER aggregation";
    default: return "a query";
  }
}

const PlanNode* FirstUpdatingSource(const PlanNode& node) {
  if (!node.insert_only && (node.kind == PlanKind::kScan || node.kind == PlanKind::kRank ||
                            node.kind == PlanKind::kJoin || node.kind == PlanKind::kGroupAggregate)) {
    for (const auto& input : node.inputs) {
      if (const PlanNode* found = FirstUpdatingSource(*input)) return found;
    }
    return &node;
  }
  for (const auto& input : node.inputs) {
    if (const PlanNode* found = FirstUpdatingSource(*input)) return found;
  }
  return nullptr;
}

}  // namespace

namespace {

/// Returns the row kinds `node` emits, from its kind and its inputs' kinds.
std::string DeriveChangelogMode(const PlanNode& node) {
  const std::string kUpdates = "I,UB,UA,D";
  switch (node.kind) {
    case PlanKind::kScan:
      return node.table->changelog_mode == ChangelogMode::kAppend ? "I" : kUpdates;
    case PlanKind::kCalc: {
      // A filter that drops one half of an update turns the other into -D or +I.
      const std::string& input = node.inputs[0]->changelog_mode;
      bool splits_updates = node.filter && input.find("UB") != std::string::npos && input.find(",D") == std::string::npos;
      return splits_updates ? input + ",D" : input;
    }
    case PlanKind::kUnion: {
      bool all_insert = true;
      for (const auto& input : node.inputs) all_insert = all_insert && input->insert_only;
      return all_insert ? "I" : kUpdates;
    }
    case PlanKind::kJoin:
    case PlanKind::kSetOperation:
      return node.insert_only ? "I" : "I,D";  // these emit +I and -D only
    case PlanKind::kLimit:
    case PlanKind::kTemporalSort:
    case PlanKind::kUnnest:
      return node.inputs[0]->changelog_mode;
    case PlanKind::kRank:
      if (node.proctime_order) {
        if (!node.order_descending) return "I";
        // Keeping the last N rows replaces rows: in place with row numbers, else by -D and +I.
        return node.limit == 1 || node.output_rank_number ? "I,UB,UA" : "I,D";
      }
      return node.window_end_column >= 0 ? "I" : kUpdates;
    case PlanKind::kGroupAggregate:
      // A group whose rows are never retracted never disappears, as Flink's
      // planner derives too.
      return node.inputs[0]->insert_only ? "I,UB,UA" : kUpdates;
    default:
      return node.insert_only ? "I" : kUpdates;
  }
}

}  // namespace

void ValidateChangelog(PlanNode& node) {
  for (auto& input : node.inputs) ValidateChangelog(*input);
  ValidateChangelogOf(node);
  node.changelog_mode = DeriveChangelogMode(node);
}

void ValidateChangelogOf(PlanNode& node) {
  switch (node.kind) {
    case PlanKind::kScan:
    case PlanKind::kValues:
      break;  // set by the binder from the table's changelog mode
    case PlanKind::kCalc:
    case PlanKind::kUnnest:
      node.insert_only = node.inputs[0]->insert_only;
      break;
    case PlanKind::kOverAggregate:
      if (!node.inputs[0]->insert_only) {
        const PlanNode* source = FirstUpdatingSource(*node.inputs[0]);
        throw SqlError(fmt::format("OVER aggregation cannot consume update and delete changes, which {} produces",
                                   source ? NodeName(*source) : "its input"),
                       node.location, "aggregate over an append-only table, such as one with 'changelog.mode' = 'append'");
      }
      node.insert_only = true;
      break;
    case PlanKind::kRowNumber:
      throw NotSupportedError("ROW_NUMBER() needs a filter on its result in the enclosing query", node.location,
                              "wrap the query and add WHERE row_num = 1 to keep the first row per key");
    case PlanKind::kRank:
      if (node.proctime_order && !node.inputs[0]->insert_only) {
        const PlanNode* source = FirstUpdatingSource(*node.inputs[0]);
        throw NotSupportedError(fmt::format("a Top-N or deduplication on processing time of update and delete changes, "
                                            "which {} produces, is not supported yet",
                                            source ? NodeName(*source) : "its input"),
                                node.location, "deduplicate the rows of an append-only table");
      }
      if (node.window_end_column >= 0) {
        if (!node.inputs[0]->insert_only) {
          const PlanNode* source = FirstUpdatingSource(*node.inputs[0]);
          throw SqlError(fmt::format("window Top-N cannot consume update and delete changes, which {} produces",
                                     source ? NodeName(*source) : "its input"),
                         node.location, "rank the rows of a window TVF or a window aggregation over an append-only table");
        }
        node.insert_only = true;
      } else {
        // Keeping each key's first row by processing time never revises it.
        node.insert_only = node.proctime_order && !node.order_descending;
      }
      break;
    case PlanKind::kGroupAggregate:
      node.insert_only = false;
      break;
    case PlanKind::kWindowTvf:
      node.insert_only = true;
      break;
    case PlanKind::kWindowAggregate:
      if (!node.inputs[0]->insert_only) {
        const PlanNode* source = FirstUpdatingSource(*node.inputs[0]);
        throw SqlError(fmt::format("window aggregation cannot consume update and delete changes, which {} produces",
                                   source ? NodeName(*source) : "its input"),
                       node.location, "window an append-only table");
      }
      node.insert_only = true;
      break;
    case PlanKind::kJoin:
      node.insert_only = node.join_type == JoinType::kInner && node.inputs[0]->insert_only && node.inputs[1]->insert_only;
      break;
    case PlanKind::kUnion:
      node.insert_only = node.inputs[0]->insert_only && node.inputs[1]->insert_only;
      break;
    case PlanKind::kSetOperation:
      // Over append-only inputs a row's count only grows, so UNION and
      // INTERSECT only ever add copies; EXCEPT loses a row when the right
      // input catches up with it.
      node.insert_only = node.inputs[0]->insert_only && node.inputs[1]->insert_only &&
                         node.set_operation != "EXCEPT";
      break;
    case PlanKind::kLimit:
    case PlanKind::kTemporalSort:
      if (!node.inputs[0]->insert_only) {
        const PlanNode* source = FirstUpdatingSource(*node.inputs[0]);
        throw NotSupportedError(
            fmt::format("{} cannot consume update and delete changes yet, which {} produces",
                        node.kind == PlanKind::kLimit ? "LIMIT without ORDER BY" : "ORDER BY a time attribute",
                        source ? NodeName(*source) : "its input"),
            node.location, "apply it to an append-only table");
      }
      node.insert_only = true;
      break;
    case PlanKind::kTemporalJoin:
      if (!node.inputs[0]->insert_only) {
        const PlanNode* source = FirstUpdatingSource(*node.inputs[0]);
        throw NotSupportedError(fmt::format("a temporal join of update and delete changes on its left side, which {} "
                                            "produces, is not supported yet",
                                            source ? NodeName(*source) : "its input"),
                                node.location, "join from an append-only table");
      }
      node.insert_only = true;  // right-side changes never revise rows already joined
      break;
    case PlanKind::kIntervalJoin:
    case PlanKind::kWindowJoin:
      node.insert_only = true;  // the binder makes these joins only of append-only inputs
      break;
    case PlanKind::kMatchRecognize:
      if (!node.inputs[0]->insert_only) {
        const PlanNode* source = FirstUpdatingSource(*node.inputs[0]);
        throw SqlError(fmt::format("MATCH_RECOGNIZE cannot consume update and delete changes, which {} produces",
                                   source ? NodeName(*source) : "its input"),
                       node.location, "match over an append-only table, such as one with 'changelog.mode' = 'append'");
      }
      node.insert_only = true;
      break;
  }
}

namespace {

/// Returns the name of a statement that is parsed but never run, for messages.
std::string UnsupportedStatementName(const ast::Statement& statement) {
  if (statement.kind == ast::StatementKind::kDrop) return "DROP " + statement.drop->object;
  const ast::CatalogStatement& c = *statement.catalog_statement;
  return c.verb + " " + c.object;
}

}  // namespace

std::vector<RulePlan> ScriptPlanner::PlanScript(const std::string& text, const std::string& file) {
  std::vector<RulePlan> rules;
  for (ast::Statement& statement : ParseScript(text, file)) {
    auto zone = config_.settings.find("table.local-time-zone");
    SessionTimeZoneScope zone_scope(zone == config_.settings.end() ? "UTC" : zone->second);
    if (statement.kind != ast::StatementKind::kInsert && statement.kind != ast::StatementKind::kEndStatementSet) {
      RequireNoStatementSet(statement);
    }
    switch (statement.kind) {
      case ast::StatementKind::kSet:
        if (statement.key.empty()) break;
        if (statement.key == "client.statement-name") {
          pending_statement_name_ = statement.value;
        } else {
          if ((statement.key == kStateTtlKey || statement.key == kIdleTimeoutKey) &&
              !ParseDurationMillis(statement.value)) {
            throw SqlError(fmt::format("invalid value '{}' for '{}'", statement.value, statement.key),
                           statement.location,
                           statement.key == kStateTtlKey
                               ? "write a duration such as '1 h', '30 min' or '86400000 ms'; '0' keeps state forever"
                               : "write a duration such as '5 s' or '1 min'; '0' never marks a partition idle");
          }
          config_.settings[statement.key] = statement.value;
        }
        break;
      case ast::StatementKind::kReset:
        if (statement.key.empty()) {
          config_.settings.clear();
        } else {
          config_.settings.erase(statement.key);
        }
        break;
      case ast::StatementKind::kCreateTable:
        if (statement.create_table->as_query) {
          rules.push_back(PlanRule(statement.create_table.get(), nullptr, statement.location, statement.text,
                                   TakeRuleName(file, statement.location)));
        } else {
          const TableDefinition& table = catalog_.CreateTable(*statement.create_table, config_);
          spdlog::debug("registered table {} (topic {}, changelog {})", table.name, table.topic,
                        ChangelogModeName(table.changelog_mode));
        }
        break;
      case ast::StatementKind::kInsert:
        if (in_statement_set_) {
          std::string name = fmt::format("{}-{}", statement_set_name_, statement_set_rules_.size() + 1);
          statement_set_rules_.push_back(
              PlanRule(nullptr, statement.insert.get(), statement.location, statement.text, name));
        } else {
          rules.push_back(PlanRule(nullptr, statement.insert.get(), statement.location, statement.text,
                                   TakeRuleName(file, statement.location)));
        }
        break;
      case ast::StatementKind::kStatementSet: {
        // fsql runs each INSERT of a set as its own rule, named <set name>-<position>.
        std::string base = TakeRuleName(file, statement.location);
        for (size_t i = 0; i < statement.statement_set.size(); ++i) {
          rules.push_back(PlanRule(nullptr, statement.statement_set[i].get(), statement.statement_set_locations[i],
                                   statement.text, fmt::format("{}-{}", base, i + 1)));
        }
        break;
      }
      case ast::StatementKind::kBeginStatementSet:
        in_statement_set_ = true;
        statement_set_location_ = statement.location;
        statement_set_name_ = TakeRuleName(file, statement.location);
        statement_set_rules_.clear();
        break;
      case ast::StatementKind::kEndStatementSet:
        if (!in_statement_set_) {
          throw SqlError("END without BEGIN STATEMENT SET", statement.location,
                         "start the set with BEGIN STATEMENT SET;");
        }
        in_statement_set_ = false;
        for (auto& rule : statement_set_rules_) rules.push_back(std::move(rule));
        statement_set_rules_.clear();
        break;
      case ast::StatementKind::kCreateView:
        catalog_.CreateView(*statement.create_view, statement.location);
        break;
      case ast::StatementKind::kAlterTable:
        catalog_.AlterTable(*statement.alter_table, config_);
        break;
      case ast::StatementKind::kDrop:
        if (statement.drop->object != "TABLE" && statement.drop->object != "VIEW") {
          throw NotSupportedError(fmt::format("{} is not supported: fsql has no user-defined functions, catalogs, "
                                              "databases or models",
                                              UnsupportedStatementName(statement)),
                                  statement.location, "remove the statement");
        }
        catalog_.Drop(*statement.drop, statement.location);
        break;
      case ast::StatementKind::kCreateFunction:
        throw NotSupportedError("user-defined functions are not supported", statement.location,
                                "use the built-in functions; see docs/semantics.md");
      case ast::StatementKind::kCatalogStatement:
        throw NotSupportedError(fmt::format("{} is not supported: fsql has one in-memory catalog of tables and views",
                                            UnsupportedStatementName(statement)),
                                statement.location, "remove the statement");
      case ast::StatementKind::kOther:
        throw NotSupportedError(fmt::format("{} is not supported", statement.other->feature), statement.location,
                                "fsql runs CREATE TABLE, CREATE VIEW, ALTER TABLE, DROP, SET, RESET, INSERT INTO and "
                                "CREATE TABLE AS");
      case ast::StatementKind::kShow:
      case ast::StatementKind::kDescribe:
      case ast::StatementKind::kExplain:
      case ast::StatementKind::kUse: {
        if (!allow_queries_) {
          spdlog::info("{}:{}: skipped '{}', which plans nothing in a rule file", file, statement.location.line,
                       statement.text);
        }
        auto kept = std::make_shared<ast::Statement>(std::move(statement));
        informational_.push_back(InformationalStatement{std::move(kept), file});
        break;
      }
      case ast::StatementKind::kQuery: {
        if (!allow_queries_) {
          throw NotSupportedError("a bare SELECT in a rule file has no sink", statement.location,
                                  "write INSERT INTO <table> SELECT ... or CREATE TABLE <name> AS SELECT ...");
        }
        RulePlan rule;
        rule.location = statement.location;
        rule.statement_text = statement.text;
        rule.name = TakeRuleName(file, statement.location);
        rule.settings = config_.settings;
        rule.bound_plan = BindQuery(*statement.query, catalog_);
        ValidateChangelog(*rule.bound_plan);
        FinishPlan(rule);
        rules.push_back(std::move(rule));
        break;
      }
    }
  }
  if (in_statement_set_) {
    throw SqlError("BEGIN STATEMENT SET has no END", statement_set_location_, "close the set with END;");
  }
  return rules;
}

void ScriptPlanner::RequireNoStatementSet(const ast::Statement& statement) const {
  if (in_statement_set_) {
    throw SqlError("only INSERT INTO statements may appear inside a statement set", statement.location,
                   "close the set with END; first");
  }
}

std::string ScriptPlanner::TakeRuleName(const std::string& file, const SourceLocation& location) {
  std::string name =
      pending_statement_name_.empty() ? fmt::format("{}:{}", file, location.line) : pending_statement_name_;
  pending_statement_name_.clear();
  return name;
}

RulePlan ScriptPlanner::PlanRule(const ast::CreateTable* create, const ast::Insert* insert,
                                 const SourceLocation& location, const std::string& text, const std::string& name) {
  RulePlan rule;
  rule.location = location;
  rule.statement_text = text;
  rule.name = name;
  rule.settings = config_.settings;
  PlanPtr query;
  if (create) {
    query = BindQuery(*create->as_query, catalog_);
    ValidateChangelog(*query);
    rule.sink = &catalog_.CreateTableFromSchema(*create, query->Fields(), config_);
  } else {
    if (insert->overwrite) {
      throw NotSupportedError("INSERT OVERWRITE is not supported on Kafka tables", location, "use INSERT INTO");
    }
    if (!insert->partition.empty()) {
      throw NotSupportedError("INSERT ... PARTITION (...) is not supported: Kafka tables have no partitions",
                              insert->table_location, "remove the PARTITION clause");
    }
    rule.sink = &catalog_.WithHintOptions(catalog_.Get(ast::JoinName(insert->table_name), insert->table_location),
                                          insert->hints);
    query = BindQuery(*insert->query, catalog_);
    ValidateChangelog(*query);
  }
  const TableDefinition& sink = *rule.sink;

  if (sink.changelog_mode == ChangelogMode::kAppend && !query->insert_only) {
    const PlanNode* source = FirstUpdatingSource(*query);
    throw SqlError(fmt::format("table {} is append-only but the query produces update and delete changes (from {})",
                               sink.name, source ? NodeName(*source) : "the query"),
                   location,
                   "declare the table with PRIMARY KEY (...) NOT ENFORCED and 'changelog.mode' = 'upsert'");
  }
  if (sink.changelog_mode == ChangelogMode::kRetract) {
    throw NotSupportedError(fmt::format("writing to table {} with 'changelog.mode' = 'retract' is not supported yet",
                                        sink.name),
                            location, "use 'upsert' with a primary key, or 'append'");
  }

  // Map query columns to the table's physical columns, by position as Flink does
  // or by the INSERT column list.
  std::vector<int> targets;
  for (size_t i = 0; i < sink.columns.size(); ++i) {
    if (sink.columns[i].kind == ColumnKind::kPhysical) targets.push_back(static_cast<int>(i));
  }
  if (insert && !insert->columns.empty()) {
    targets.clear();
    for (const auto& column_name : insert->columns) {
      int index = sink.FindColumn(column_name);
      if (index < 0 || sink.columns[index].kind != ColumnKind::kPhysical) {
        throw SqlError(fmt::format("column '{}' not found in table {}", column_name, sink.name),
                       insert->table_location);
      }
      targets.push_back(index);
    }
  }
  if (targets.size() != query->schema.size()) {
    throw SqlError(fmt::format("table {} expects {} columns but the query returns {}", sink.name, targets.size(),
                               query->schema.size()),
                   location, "list the columns in the order of the table, or give INSERT a column list");
  }
  auto output = std::make_shared<PlanNode>();
  output->kind = PlanKind::kCalc;
  output->location = location;
  output->inputs = {query};
  output->insert_only = query->insert_only;
  output->changelog_mode = query->changelog_mode;
  for (const auto& column : sink.columns) {
    output->projections.push_back(Expr::Literal(Value::Null(), column.type.WithNullable(true)));
    PlanField field{column.name, column.type};
    field.hidden = column.kind == ColumnKind::kSystem;
    output->schema.push_back(field);
  }
  for (size_t i = 0; i < targets.size(); ++i) {
    const CatalogColumn& column = sink.columns[targets[i]];
    ExprPtr value = Expr::InputRef(static_cast<int>(i), query->schema[i].type);
    output->projections[targets[i]] =
        CoerceTo(value, column.type, location, fmt::format("column {} of table {}", column.name, sink.name));
  }
  rule.bound_plan = output;
  FinishPlan(rule);
  return rule;
}

void ScriptPlanner::FinishPlan(RulePlan& rule) {
  DeriveUpsertKeys(*rule.bound_plan);
  rule.plan = OptimizePlan(rule.bound_plan);
  DeriveUpsertKeys(*rule.plan);
}

namespace {

std::vector<DataType> TypesOf(const PlanNode& node) { return node.Types(); }

std::string TypeList(const std::vector<DataType>& types) {
  std::vector<std::string> names;
  for (const DataType& type : types) names.push_back(type.ToString());
  return fmt::format("[{}]", fmt::join(names, ", "));
}


/// Settings of the rule that apply to every operator BuildNode creates.
struct BuildOptions {
  CalcOperator::CodegenMode codegen_mode = CalcOperator::CodegenMode::kAuto;
  int64_t state_ttl_ms = 0;
  std::map<const PlanNode*, ColumnReads> scan_reads;  // from CollectScanReads
};

/// Records, for every scan under `node`, what its consumers read of it. Only
/// a Calc lists exactly the columns and fields it reads, so any other
/// consumer counts as reading every column.
void CollectScanReads(const PlanNode& node, std::map<const PlanNode*, ColumnReads>& reads) {
  for (const auto& input : node.inputs) {
    if (input->kind == PlanKind::kScan) {
      ColumnReads used(input->table->columns.size());
      if (node.kind == PlanKind::kCalc) {
        if (node.filter) AddExpressionReads(*node.filter, used);
        for (const auto& projection : node.projections) AddExpressionReads(*projection, used);
      } else {
        used.clear();
      }
      auto [it, inserted] = reads.emplace(input.get(), used);
      if (!inserted) MergeColumnReads(it->second, used);
    }
    CollectScanReads(*input, reads);
  }
}

/// Reads 'table.exec.codegen.mode' from the rule's settings; 'auto' when unset.
CalcOperator::CodegenMode CodegenModeOf(const RulePlan& rule) {
  auto it = rule.settings.find(std::string(codegen::kCodegenModeKey));
  if (it == rule.settings.end()) return CalcOperator::CodegenMode::kAuto;
  if (auto mode = codegen::ParseCodegenMode(it->second)) return *mode;
  throw SqlError(fmt::format("invalid value '{}' for '{}'", it->second, codegen::kCodegenModeKey), rule.location,
                 "use 'auto', 'jit' or 'interpret'");
}

/// Reads 'table.exec.state.ttl' from the rule's settings; 0 (keep state forever) when unset.
int64_t StateTtlOf(const RulePlan& rule) {
  auto it = rule.settings.find(std::string(kStateTtlKey));
  if (it == rule.settings.end()) return 0;
  if (auto millis = ParseDurationMillis(it->second)) return *millis;
  throw SqlError(fmt::format("invalid value '{}' for '{}'", it->second, kStateTtlKey), rule.location,
                 "write a duration such as '1 h', '30 min' or '86400000 ms'; '0' keeps state forever");
}

/// Builds the operator spec of a group or window aggregation node.
GroupAggregateSpec GroupAggregateSpecOf(const PlanNode& node) {
  GroupAggregateSpec spec;
  spec.keys = node.group_keys;
  for (const auto& aggregate : node.aggregates) {
    spec.aggregates.push_back(
        {aggregate.function, aggregate.argument, aggregate.filter, aggregate.distinct, aggregate.type,
         aggregate.separator});
  }
  return spec;
}

/// Returns whether `expr` reads an input column at `first_column` or after it.
bool ReadsColumnsFrom(const Expr& expr, int first_column) {
  if (expr.kind == ExprKind::kInputRef && expr.index >= first_column) return true;
  return std::any_of(expr.args.begin(), expr.args.end(),
                     [&](const ExprPtr& arg) { return ReadsColumnsFrom(*arg, first_column); });
}

/// Builds the spec of a window aggregation that IsSlicedWindowAggregate accepts.
SlicedWindowAggregateSpec SlicedWindowAggregateSpecOf(const PlanNode& node) {
  const PlanNode& windows = *node.inputs[0];
  const auto width = static_cast<int>(windows.inputs[0]->schema.size());
  SlicedWindowAggregateSpec spec;
  spec.windows.input_types = TypesOf(*windows.inputs[0]);
  spec.windows.function = windows.window_function == "HOP" ? WindowFunction::kHop : WindowFunction::kCumulate;
  spec.windows.time_column = windows.time_column;
  spec.windows.size = windows.window_size;
  spec.windows.slide = windows.window_slide;
  spec.windows.offset = windows.window_offset;
  for (const ExprPtr& key : node.group_keys) {
    spec.key_types.push_back(key->type);
    if (key->kind == ExprKind::kInputRef && key->index >= width) {
      int window_column = windows.schema[static_cast<size_t>(key->index)].window_column;
      spec.key_sources.push_back(window_column == 1   ? SlicedWindowAggregateSpec::KeySource::kWindowStart
                                 : window_column == 2 ? SlicedWindowAggregateSpec::KeySource::kWindowEnd
                                                      : SlicedWindowAggregateSpec::KeySource::kWindowTime);
      continue;
    }
    spec.key_sources.push_back(SlicedWindowAggregateSpec::KeySource::kExpression);
    spec.aggregate.keys.push_back(key);
  }
  spec.aggregate.aggregates = GroupAggregateSpecOf(node).aggregates;
  spec.proctime_windows = node.proctime_windows;
  return spec;
}

/// Builds the operator spec of a join node's keys, types and residual condition.
JoinSpec JoinSpecOf(const PlanNode& node) {
  JoinSpec spec;
  switch (node.join_type) {
    case JoinType::kInner: spec.kind = JoinKind::kInner; break;
    case JoinType::kLeft: spec.kind = JoinKind::kLeft; break;
    case JoinType::kRight: spec.kind = JoinKind::kRight; break;
    case JoinType::kFull: spec.kind = JoinKind::kFull; break;
  }
  spec.left_types = TypesOf(*node.inputs[0]);
  spec.right_types = TypesOf(*node.inputs[1]);
  spec.left_keys = node.left_keys;
  spec.right_keys = node.right_keys;
  spec.condition = node.join_condition;
  return spec;
}

/// Builds the operator spec of an interval or temporal join node.
IntervalJoinSpec TimedJoinSpecOf(const PlanNode& node) {
  IntervalJoinSpec spec;
  spec.join = JoinSpecOf(node);
  spec.left_time = node.left_time;
  spec.right_time = node.right_time;
  spec.lower_bound = node.lower_bound;
  spec.upper_bound = node.upper_bound;
  return spec;
}

Operator* BuildNode(const PlanNode& node, const BuildOptions& options, Pipeline& pipeline);
Operator* BuildOperator(const PlanNode& node, const BuildOptions& options, Pipeline& pipeline);

/// Builds the state shape (Operator::state_shape) of the operator for `node`
/// from its physical description, the types of its inputs and the settings
/// that change how it keeps state.
std::string StateShapeOf(const PlanNode& node, const BuildOptions& options) {
  std::string shape = DescribePhysicalNode(node);
  if (node.kind == PlanKind::kScan) shape = "ChangelogNormalize " + shape + " types=" + TypeList(node.Types());
  for (const auto& input : node.inputs) shape += " input=" + TypeList(input->Types());
  if (node.proctime_order) shape += " proctime_order";
  if (node.kind == PlanKind::kWindowAggregate) {
    shape += fmt::format(" window_end_key={}{}", node.window_end_key, node.proctime_windows ? " proctime" : "");
  }
  if (node.kind == PlanKind::kWindowTvf && node.proctime_windows) shape += " proctime";
  shape += fmt::format(" ttl={}", options.state_ttl_ms);
  for (const auto& hint : node.state_ttl_hint_ms) {
    if (hint) shape += fmt::format(" ttl_hint={}", *hint);
  }
  return shape;
}

Operator* BuildNode(const PlanNode& node, const BuildOptions& options, Pipeline& pipeline) {
  Operator* op = BuildOperator(node, options, pipeline);
  op->SetKeyCompiler(options.codegen_mode, codegen::CachedKeyCompiler());
  if (auto* join = dynamic_cast<JoinCodeOperator*>(op)) {
    join->SetConditionCompiler(options.codegen_mode, codegen::CachedCalcCompiler());
  }
  switch (node.kind) {
    case PlanKind::kScan:
      if (node.table->changelog_mode == ChangelogMode::kUpsert) op->set_state_shape(StateShapeOf(node, options));
      break;
    case PlanKind::kWindowTvf:
      if (node.window_function == "SESSION") op->set_state_shape(StateShapeOf(node, options));
      break;
    case PlanKind::kOverAggregate:
    case PlanKind::kRank:
    case PlanKind::kGroupAggregate:
    case PlanKind::kWindowAggregate:
    case PlanKind::kTemporalJoin:
    case PlanKind::kIntervalJoin:
    case PlanKind::kJoin:
    case PlanKind::kWindowJoin:
    case PlanKind::kMatchRecognize:
    case PlanKind::kSetOperation:
    case PlanKind::kLimit:
    case PlanKind::kTemporalSort:
      op->set_state_shape(StateShapeOf(node, options));
      break;
    case PlanKind::kValues:
    case PlanKind::kCalc:
    case PlanKind::kUnnest:
    case PlanKind::kUnion:
    case PlanKind::kRowNumber:
      break;
  }
  return op;
}

Operator* BuildOperator(const PlanNode& node, const BuildOptions& options, Pipeline& pipeline) {
  switch (node.kind) {
    case PlanKind::kScan: {
      Operator* entry = nullptr;
      if (node.table->changelog_mode == ChangelogMode::kUpsert) {
        entry = pipeline.Add<ChangelogNormalizeOperator>(node.table->ColumnTypes(), node.table->PrimaryKeyIndexes(),
                                                         options.state_ttl_ms);
      } else {
        entry = pipeline.Add<SourceEntryOperator>();
      }
      auto reads = options.scan_reads.find(&node);
      pipeline.sources.push_back(
          Pipeline::Source{node.table, entry, reads != options.scan_reads.end() ? reads->second : ColumnReads{}});
      return entry;
    }
    case PlanKind::kValues: {
      auto* entry = pipeline.Add<SourceEntryOperator>();
      Pipeline::Values values;
      RowBuilder builder(static_cast<uint32_t>(node.schema.size()));
      for (const auto& row : node.values) {
        for (size_t i = 0; i < row.size(); ++i) {
          builder.SetValue(static_cast<uint32_t>(i), node.schema[i].type, Evaluate(*row[i], RowView(), EvalContext{}));
        }
        values.rows.push_back(builder.Finish(RowKind::kInsert));
      }
      values.entry = entry;
      pipeline.values.push_back(std::move(values));
      return entry;
    }
    case PlanKind::kCalc: {
      Operator* input = BuildNode(*node.inputs[0], options, pipeline);
      auto* calc = pipeline.Add<CalcOperator>(node.filter, node.projections, options.codegen_mode,
                                              codegen::CachedCalcCompiler());
      input->Connect(calc, 0);
      return calc;
    }
    case PlanKind::kOverAggregate: {
      Operator* input = BuildNode(*node.inputs[0], options, pipeline);
      OverAggregateSpec spec;
      spec.input_types = TypesOf(*node.inputs[0]);
      spec.partition_columns = node.partition_columns;
      spec.order_column = node.order_column;
      spec.rows_frame = node.rows_frame;
      spec.unbounded_preceding = node.unbounded_preceding;
      spec.preceding = node.preceding;
      spec.proctime = node.inputs[0]->schema[static_cast<size_t>(node.order_column)].is_proctime_attribute();
      for (const auto& aggregate : node.aggregates) {
        spec.aggregates.push_back({aggregate.function, aggregate.argument, aggregate.type, aggregate.separator});
      }
      auto* over = pipeline.Add<OverAggregateOperator>(std::move(spec));
      over->SetFrameCompilers(options.codegen_mode, codegen::CachedCalcCompiler(), codegen::CachedAccumulateCompiler());
      input->Connect(over, 0);
      return over;
    }
    case PlanKind::kRank: {
      Operator* input = BuildNode(*node.inputs[0], options, pipeline);
      RankSpec spec{TypesOf(*node.inputs[0]), node.partition_columns, node.order_column, node.order_descending,
                    node.limit, node.output_rank_number, options.state_ttl_ms, node.proctime_order};
      if (node.window_end_column >= 0) {
        bool by_time = spec.input_types[spec.order_column].IsTimestamp();
        WindowRankSpec window{std::move(spec), node.window_end_column, false};
        window.later_row_wins_ties = by_time && window.rank.descending && window.rank.limit == 1;
        auto* rank = pipeline.Add<WindowRankOperator>(std::move(window));
        input->Connect(rank, 0);
        return rank;
      }
      auto* rank = pipeline.Add<RankOperator>(std::move(spec));
      input->Connect(rank, 0);
      return rank;
    }
    case PlanKind::kGroupAggregate: {
      Operator* input = BuildNode(*node.inputs[0], options, pipeline);
      GroupAggregateSpec spec = GroupAggregateSpecOf(node);
      spec.state_ttl_ms = node.state_ttl_hint_ms[0].value_or(options.state_ttl_ms);
      auto* group = pipeline.Add<GroupAggregateOperator>(std::move(spec));
      group->SetAccumulateCompiler(options.codegen_mode, codegen::CachedAccumulateCompiler());
      input->Connect(group, 0);
      return group;
    }
    case PlanKind::kWindowTvf: {
      Operator* input = BuildNode(*node.inputs[0], options, pipeline);
      if (node.window_function == "SESSION") {
        SessionWindowSpec spec{TypesOf(*node.inputs[0]), node.partition_columns, node.time_column, node.window_size,
                               node.proctime_windows};
        auto* sessions = pipeline.Add<SessionWindowOperator>(std::move(spec));
        input->Connect(sessions, 0);
        return sessions;
      }
      WindowTvfSpec spec;
      spec.input_types = TypesOf(*node.inputs[0]);
      spec.function = node.window_function == "HOP"        ? WindowFunction::kHop
                      : node.window_function == "CUMULATE" ? WindowFunction::kCumulate
                                                           : WindowFunction::kTumble;
      spec.time_column = node.time_column;
      spec.size = node.window_size;
      spec.slide = node.window_slide;
      spec.offset = node.window_offset;
      auto* windows = pipeline.Add<WindowTvfOperator>(std::move(spec));
      input->Connect(windows, 0);
      return windows;
    }
    case PlanKind::kWindowAggregate: {
      if (IsSlicedWindowAggregate(node)) {
        // The window TVF is fused into the aggregation, so its input feeds it.
        Operator* input = BuildNode(*node.inputs[0]->inputs[0], options, pipeline);
        auto* sliced = pipeline.Add<SlicedWindowAggregateOperator>(SlicedWindowAggregateSpecOf(node));
        sliced->SetAccumulateCompiler(options.codegen_mode, codegen::CachedAccumulateCompiler());
        input->Connect(sliced, 0);
        return sliced;
      }
      Operator* input = BuildNode(*node.inputs[0], options, pipeline);
      auto* window =
          pipeline.Add<WindowAggregateOperator>(GroupAggregateSpecOf(node), node.window_end_key, node.proctime_windows);
      window->SetAccumulateCompiler(options.codegen_mode, codegen::CachedAccumulateCompiler());
      input->Connect(window, 0);
      return window;
    }
    case PlanKind::kTemporalJoin: {
      Operator* left = BuildNode(*node.inputs[0], options, pipeline);
      Operator* right = BuildNode(*node.inputs[1], options, pipeline);
      Operator* join = nullptr;
      if (node.right_time < 0) {
        JoinSpec spec = JoinSpecOf(node);
        spec.state_ttl_ms[1] = options.state_ttl_ms;  // Flink's STATE_TTL hint does not cover temporal joins
        join = pipeline.Add<ProcTimeTemporalJoinOperator>(std::move(spec));
      } else {
        join = pipeline.Add<TemporalJoinOperator>(TimedJoinSpecOf(node));
      }
      left->Connect(join, 0);
      right->Connect(join, 1);
      return join;
    }
    case PlanKind::kIntervalJoin: {
      Operator* left = BuildNode(*node.inputs[0], options, pipeline);
      Operator* right = BuildNode(*node.inputs[1], options, pipeline);
      auto* join = pipeline.Add<IntervalJoinOperator>(TimedJoinSpecOf(node));
      left->Connect(join, 0);
      right->Connect(join, 1);
      return join;
    }
    case PlanKind::kJoin: {
      Operator* left = BuildNode(*node.inputs[0], options, pipeline);
      Operator* right = BuildNode(*node.inputs[1], options, pipeline);
      JoinSpec spec = JoinSpecOf(node);
      for (int side = 0; side < 2; ++side) {
        spec.state_ttl_ms[side] = node.state_ttl_hint_ms[side].value_or(options.state_ttl_ms);
      }
      auto* join = pipeline.Add<JoinOperator>(std::move(spec));
      left->Connect(join, 0);
      right->Connect(join, 1);
      return join;
    }
    case PlanKind::kWindowJoin: {
      Operator* left = BuildNode(*node.inputs[0], options, pipeline);
      Operator* right = BuildNode(*node.inputs[1], options, pipeline);
      auto* join = pipeline.Add<WindowJoinOperator>(WindowJoinSpec{JoinSpecOf(node), node.left_time, node.right_time});
      left->Connect(join, 0);
      right->Connect(join, 1);
      return join;
    }
    case PlanKind::kSetOperation: {
      SetOperationSpec spec;
      spec.types = TypesOf(*node.inputs[0]);
      spec.operation = node.set_operation == "UNION"       ? SetOperation::kUnion
                       : node.set_operation == "INTERSECT" ? SetOperation::kIntersect
                                                           : SetOperation::kExcept;
      spec.all = node.set_all;
      spec.state_ttl_ms = options.state_ttl_ms;
      auto* set = pipeline.Add<SetOperationOperator>(std::move(spec));
      BuildNode(*node.inputs[0], options, pipeline)->Connect(set, 0);
      BuildNode(*node.inputs[1], options, pipeline)->Connect(set, 1);
      return set;
    }
    case PlanKind::kLimit: {
      Operator* input = BuildNode(*node.inputs[0], options, pipeline);
      auto* limit = pipeline.Add<LimitOperator>(node.limit, node.offset);
      input->Connect(limit, 0);
      return limit;
    }
    case PlanKind::kTemporalSort: {
      Operator* input = BuildNode(*node.inputs[0], options, pipeline);
      TemporalSortSpec spec;
      spec.types = TypesOf(*node.inputs[0]);
      spec.time_column = node.order_column;
      for (const SortKey& key : node.sort_keys) spec.then_by.push_back({key.column, key.descending, key.nulls_first});
      auto* sort = pipeline.Add<TemporalSortOperator>(std::move(spec));
      input->Connect(sort, 0);
      return sort;
    }
    case PlanKind::kUnnest: {
      Operator* input = BuildNode(*node.inputs[0], options, pipeline);
      UnnestSpec spec;
      spec.input_types = TypesOf(*node.inputs[0]);
      spec.collection = node.unnest;
      size_t input_width = node.inputs[0]->schema.size();
      size_t element_width = node.schema.size() - input_width - (node.with_ordinality ? 1 : 0);
      for (size_t i = 0; i < element_width; ++i) spec.element_types.push_back(node.schema[input_width + i].type);
      spec.with_ordinality = node.with_ordinality;
      spec.keep_empty = node.keep_empty;
      auto* unnest = pipeline.Add<UnnestOperator>(std::move(spec));
      input->Connect(unnest, 0);
      return unnest;
    }
    case PlanKind::kUnion: {
      auto* merge = pipeline.Add<UnionOperator>(static_cast<int>(node.inputs.size()));
      for (size_t i = 0; i < node.inputs.size(); ++i) {
        BuildNode(*node.inputs[i], options, pipeline)->Connect(merge, static_cast<int>(i));
      }
      return merge;
    }
    case PlanKind::kMatchRecognize: {
      Operator* input = BuildNode(*node.inputs[0], options, pipeline);
      auto* match = pipeline.Add<MatchRecognizeOperator>(*node.match);
      input->Connect(match, 0);
      return match;
    }
    case PlanKind::kRowNumber:
      break;
  }
  throw InternalError("plan node kind has no operator");
}

}  // namespace

bool IsSlicedWindowAggregate(const PlanNode& node) {
  if (node.kind != PlanKind::kWindowAggregate || node.inputs.size() != 1) return false;
  const PlanNode& windows = *node.inputs[0];
  if (windows.kind != PlanKind::kWindowTvf || (windows.window_function != "HOP" && windows.window_function != "CUMULATE")) {
    return false;
  }
  if (windows.window_slide <= 0 || windows.window_size % windows.window_slide != 0) return false;
  const auto width = static_cast<int>(windows.inputs[0]->schema.size());
  for (const ExprPtr& key : node.group_keys) {
    if (key->kind == ExprKind::kInputRef) continue;  // a window column or an input column
    if (ReadsColumnsFrom(*key, width)) return false;
  }
  for (const AggregateCall& call : node.aggregates) {
    if (call.argument && ReadsColumnsFrom(*call.argument, width)) return false;
    if (call.filter && ReadsColumnsFrom(*call.filter, width)) return false;
    AccumulatorSpec spec{call.function, call.type, call.argument == nullptr, call.distinct, call.separator};
    if (!RetractableAccumulator::IsMergeable(spec)) return false;
  }
  return true;
}

Pipeline BuildPipeline(const RulePlan& rule) {
  Pipeline pipeline;
  pipeline.sink_table = rule.sink;
  BuildOptions options;
  options.codegen_mode = CodegenModeOf(rule);
  options.state_ttl_ms = StateTtlOf(rule);
  CollectScanReads(*rule.plan, options.scan_reads);
  pipeline.output = BuildNode(*rule.plan, options, pipeline);
  for (auto& op : pipeline.operators) op->set_rule_name(rule.name);
  return pipeline;
}

}  // namespace fsql
