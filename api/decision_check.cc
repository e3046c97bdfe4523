#include "api/decision_check.h"

#include <optional>

namespace fsql::embed {

namespace {

/// Thrown inside the walk to stop at the first operator that does not qualify.
struct NotDecidable {
  std::string reason;
};

/// True when `expr` reads at least one column and only columns derived from the pushed row.
bool IsDerived(const Expr& expr, const ColumnLineage& input) {
  bool any_column = false;
  bool all_derived = true;
  auto visit = [&](const Expr& node, auto& self) -> void {
    if (node.kind == ExprKind::kInputRef) {
      any_column = true;
      if (node.index < 0 || node.index >= static_cast<int>(input.size()) || !input[node.index]) all_derived = false;
    }
    for (const auto& arg : node.args) self(*arg, self);
  };
  visit(expr, visit);
  return any_column && all_derived;
}

/// Requires `columns` to be a non-empty key of derived columns of `input`.
void RequireDerivedKey(const std::vector<int>& columns, const ColumnLineage& input, const std::string& what) {
  if (columns.empty()) throw NotDecidable{what + " keeps one state for all rows, as it has no key"};
  for (int column : columns) {
    if (column < 0 || column >= static_cast<int>(input.size()) || !input[column]) {
      throw NotDecidable{what + " keeps its state by a key that is not computed from the pushed row"};
    }
  }
}

std::string Describe(const PlanNode& node, const std::string& kind) {
  if (node.location.line > 0) return kind + " at line " + std::to_string(node.location.line);
  return kind;
}

/// Returns the lineage of `node`'s output columns, or nullopt when no input of
/// the node reads a table downstream of the pushed one.
std::optional<ColumnLineage> Walk(const PlanNode& node, const std::map<std::string, ColumnLineage>& tables) {
  if (node.kind == PlanKind::kScan) {
    auto it = tables.find(node.table->name);
    if (it == tables.end()) return std::nullopt;
    ColumnLineage lineage = it->second;
    lineage.resize(node.schema.size(), false);
    // An upsert table's ChangelogNormalize keeps the last row per primary key.
    if (node.table->changelog_mode == ChangelogMode::kUpsert) {
      RequireDerivedKey(node.table->PrimaryKeyIndexes(), lineage, "the upsert table " + node.table->name);
    }
    return lineage;
  }

  std::vector<std::optional<ColumnLineage>> inputs;
  bool any_on_path = false;
  for (const auto& input : node.inputs) {
    inputs.push_back(Walk(*input, tables));
    any_on_path = any_on_path || inputs.back().has_value();
  }
  if (!any_on_path) return std::nullopt;
  auto input_or_unknown = [&](size_t i) {
    return inputs[i] ? *inputs[i] : ColumnLineage(node.inputs[i]->schema.size(), false);
  };

  switch (node.kind) {
    case PlanKind::kCalc: {
      ColumnLineage out;
      for (const auto& projection : node.projections) out.push_back(IsDerived(*projection, *inputs[0]));
      return out;
    }
    case PlanKind::kOverAggregate: {
      RequireDerivedKey(node.partition_columns, *inputs[0], Describe(node, "the OVER aggregation"));
      ColumnLineage out = *inputs[0];
      out.resize(node.schema.size(), false);
      return out;
    }
    case PlanKind::kRank: {
      if (node.window_end_column >= 0) {
        throw NotDecidable{Describe(node, "the window Top-N") +
                           " emits when the watermark passes a window's end, not when a row arrives"};
      }
      RequireDerivedKey(node.partition_columns, *inputs[0], Describe(node, "the Top-N (ROW_NUMBER)"));
      ColumnLineage out = *inputs[0];
      out.resize(node.schema.size(), false);
      return out;
    }
    case PlanKind::kGroupAggregate: {
      if (node.group_keys.empty()) {
        throw NotDecidable{Describe(node, "the aggregation") + " keeps one state for all rows, as it has no GROUP BY"};
      }
      ColumnLineage out;
      for (const auto& key : node.group_keys) {
        if (!IsDerived(*key, *inputs[0])) {
          throw NotDecidable{Describe(node, "the aggregation") +
                             " groups by a key that is not computed from the pushed row"};
        }
        out.push_back(true);
      }
      out.resize(node.schema.size(), false);
      return out;
    }
    case PlanKind::kJoin:
    case PlanKind::kIntervalJoin:
    case PlanKind::kTemporalJoin: {
      if (inputs[0] && inputs[1]) {
        throw NotDecidable{Describe(node, "the join") + " reads rows derived from the pushed table on both sides"};
      }
      ColumnLineage left = input_or_unknown(0);
      ColumnLineage right = input_or_unknown(1);
      if (inputs[0]) {
        RequireDerivedKey(node.left_keys, left, Describe(node, "the join"));
      } else {
        RequireDerivedKey(node.right_keys, right, Describe(node, "the join"));
      }
      // An inner join's equi-key columns hold equal values on both sides.
      if (node.kind != PlanKind::kJoin || node.join_type == JoinType::kInner) {
        for (size_t i = 0; i < node.left_keys.size() && i < node.right_keys.size(); ++i) {
          bool derived = left[node.left_keys[i]] || right[node.right_keys[i]];
          left[node.left_keys[i]] = derived;
          right[node.right_keys[i]] = derived;
        }
      }
      ColumnLineage out = left;
      out.insert(out.end(), right.begin(), right.end());
      out.resize(node.schema.size(), false);
      return out;
    }
    case PlanKind::kWindowTvf: {
      ColumnLineage out = *inputs[0];
      bool time_derived = node.time_column >= 0 && (*inputs[0])[node.time_column];
      out.resize(node.schema.size(), time_derived);
      return out;
    }
    case PlanKind::kUnnest: {
      ColumnLineage out = *inputs[0];
      bool derived = node.unnest && IsDerived(*node.unnest, *inputs[0]);
      out.resize(node.schema.size(), derived);
      return out;
    }
    case PlanKind::kUnion: {
      ColumnLineage out(node.schema.size(), true);
      for (size_t i = 0; i < inputs.size(); ++i) {
        ColumnLineage input = input_or_unknown(i);
        for (size_t c = 0; c < out.size(); ++c) out[c] = out[c] && c < input.size() && input[c];
      }
      return out;
    }
    case PlanKind::kWindowAggregate:
      throw NotDecidable{Describe(node, "the window aggregation") +
                         " emits when the watermark passes a window's end, not when a row arrives"};
    case PlanKind::kMatchRecognize:
      throw NotDecidable{Describe(node, "MATCH_RECOGNIZE") +
                         " orders each partition's rows by event time and matches them once the watermark passes"};
    case PlanKind::kWindowJoin:
      throw NotDecidable{Describe(node, "the window join") +
                         " emits when the watermark passes a window's end, not when a row arrives"};
    case PlanKind::kSetOperation:
      throw NotDecidable{Describe(node, "the " + node.set_operation) + " keeps its state by whole rows of both inputs"};
    case PlanKind::kLimit:
      throw NotDecidable{Describe(node, "LIMIT") + " counts rows over the whole stream"};
    case PlanKind::kTemporalSort:
      throw NotDecidable{Describe(node, "ORDER BY") + " releases the rows of all keys in time order"};
    case PlanKind::kScan:
    case PlanKind::kValues:
    case PlanKind::kRowNumber:
      break;
  }
  throw NotDecidable{"the plan has an operator the decision check does not know"};
}

}  // namespace

std::string CheckDecisionRule(const RulePlan& rule, const std::map<std::string, ColumnLineage>& lineage_by_table,
                              ColumnLineage& sink_lineage) {
  try {
    std::optional<ColumnLineage> lineage = Walk(*rule.plan, lineage_by_table);
    sink_lineage = lineage ? *lineage : ColumnLineage(rule.plan->schema.size(), false);
    return "";
  } catch (const NotDecidable& error) {
    return error.reason;
  }
}

}  // namespace fsql::embed
