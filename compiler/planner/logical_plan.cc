#include "compiler/planner/logical_plan.h"

#include <fmt/format.h>

namespace fsql {

std::vector<DataType> PlanNode::Types() const {
  std::vector<DataType> types;
  for (const auto& field : schema) types.push_back(field.type);
  return types;
}

std::vector<RowField> PlanNode::Fields() const {
  std::vector<RowField> fields;
  for (const auto& field : schema) fields.push_back(RowField{field.name, field.type});
  return fields;
}

namespace {

std::string Columns(const std::vector<int>& columns) {
  std::vector<std::string> names;
  for (int c : columns) names.push_back(fmt::format("${}", c));
  return fmt::format("[{}]", fmt::join(names, ", "));
}

const char* JoinName(JoinType type) {
  switch (type) {
    case JoinType::kInner: return "INNER";
    case JoinType::kLeft: return "LEFT";
    case JoinType::kRight: return "RIGHT";
    case JoinType::kFull: return "FULL";
  }
  return "?";
}

std::string Describe(const PlanNode& node) {
  switch (node.kind) {
    case PlanKind::kScan:
      return fmt::format("Scan(table={}, changelog={})", node.table->name,
                         ChangelogModeName(node.table->changelog_mode));
    case PlanKind::kValues:
      return fmt::format("Values(rows={})", node.values.size());
    case PlanKind::kCalc: {
      std::vector<std::string> projections;
      for (size_t i = 0; i < node.projections.size(); ++i) {
        projections.push_back(fmt::format("{}={}", node.schema[i].name, node.projections[i]->ToString()));
      }
      return fmt::format("Calc({}{})", node.filter ? "where=" + node.filter->ToString() + ", " : "",
                         fmt::join(projections, ", "));
    }
    case PlanKind::kOverAggregate: {
      std::vector<std::string> aggregates;
      for (const auto& a : node.aggregates) {
        aggregates.push_back(fmt::format("{}({})", a.function, a.argument ? a.argument->ToString() : "*"));
      }
      std::string frame = node.unbounded_preceding ? "UNBOUNDED PRECEDING"
                          : node.rows_frame        ? fmt::format("{} ROWS PRECEDING", node.preceding)
                                                   : fmt::format("{} ms PRECEDING", node.preceding);
      return fmt::format("OverAggregate(partition={}, order=${}, frame={}, {})", Columns(node.partition_columns),
                         node.order_column, frame, fmt::join(aggregates, ", "));
    }
    case PlanKind::kGroupAggregate: {
      std::vector<std::string> keys, aggregates;
      for (const auto& key : node.group_keys) keys.push_back(key->ToString());
      for (const auto& a : node.aggregates) {
        aggregates.push_back(fmt::format("{}({}{}){}", a.function, a.distinct ? "DISTINCT " : "",
                                         a.argument ? a.argument->ToString() : "*",
                                         a.filter ? " FILTER " + a.filter->ToString() : ""));
      }
      return fmt::format("GroupAggregate(keys=[{}], {})", fmt::join(keys, ", "), fmt::join(aggregates, ", "));
    }
    case PlanKind::kWindowTvf:
      return fmt::format("WindowTvf({}, time=${}, size={} ms{}{})", node.window_function, node.time_column,
                         node.window_size,
                         node.window_slide ? fmt::format(", {}={} ms", node.window_function == "HOP" ? "slide" : "step",
                                                         node.window_slide)
                                           : "",
                         node.window_offset ? fmt::format(", offset={} ms", node.window_offset) : "");
    case PlanKind::kWindowAggregate: {
      std::vector<std::string> keys, aggregates;
      for (const auto& key : node.group_keys) keys.push_back(key->ToString());
      for (const auto& a : node.aggregates) {
        aggregates.push_back(fmt::format("{}({}{})", a.function, a.distinct ? "DISTINCT " : "",
                                         a.argument ? a.argument->ToString() : "*"));
      }
      return fmt::format("WindowAggregate(keys=[{}], {})", fmt::join(keys, ", "), fmt::join(aggregates, ", "));
    }
    case PlanKind::kRowNumber:
      return fmt::format("RowNumber(partition={}, order=${}{})", Columns(node.partition_columns), node.order_column,
                         node.order_descending ? " DESC" : "");
    case PlanKind::kRank:
      return fmt::format("Rank(partition={}, order=${}{}, limit={})", Columns(node.partition_columns),
                         node.order_column, node.order_descending ? " DESC" : "", node.limit);
    case PlanKind::kJoin:
      return fmt::format("Join(type={}, left_keys={}, right_keys={}{})",
                         JoinName(node.join_type), Columns(node.left_keys),
                         Columns(node.right_keys),
                         node.join_condition ? ", where=" + node.join_condition->ToString() : "");
    case PlanKind::kWindowJoin:
      return fmt::format("WindowJoin(type={}, left_keys={}, right_keys={}, window_end=${}/${}{})",
                         JoinName(node.join_type), Columns(node.left_keys), Columns(node.right_keys), node.left_time,
                         node.right_time, node.join_condition ? ", where=" + node.join_condition->ToString() : "");
    case PlanKind::kUnion:
      return "UnionAll";
    case PlanKind::kSetOperation:
      return fmt::format("{}{}", node.set_operation, node.set_all ? "All" : "");
    case PlanKind::kLimit:
      return fmt::format("Limit(offset={}, fetch={})", node.offset, node.limit);
    case PlanKind::kTemporalSort:
      return fmt::format("TemporalSort(time=${})", node.order_column);
    case PlanKind::kUnnest:
      return fmt::format("Unnest({}{})", node.unnest->ToString(), node.with_ordinality ? ", ordinality" : "");
    case PlanKind::kMatchRecognize: {
      std::vector<std::string> measures;
      for (const auto& measure : node.match->measures) measures.push_back(measure->ToString());
      return fmt::format("MatchRecognize(partition={}, order=${}, pattern=[{}], {}{}, measures=[{}])",
                         Columns(node.match->partition_columns), node.match->time_column,
                         PatternToString(*node.match), SkipToString(*node.match),
                         node.match->within_ms >= 0 ? fmt::format(", within={} ms", node.match->within_ms) : "",
                         fmt::join(measures, ", "));
    }
    case PlanKind::kTemporalJoin:
      if (node.right_time < 0) {
        return fmt::format("ProcTimeTemporalJoin(type={}, left_keys={}, right_keys={}, as_of=${}{})",
                           JoinName(node.join_type), Columns(node.left_keys), Columns(node.right_keys),
                           node.left_time, node.join_condition ? ", where=" + node.join_condition->ToString() : "");
      }
      return fmt::format("TemporalJoin(type={}, left_keys={}, right_keys={}, as_of=${}, version_time=${}{})",
                         JoinName(node.join_type), Columns(node.left_keys),
                         Columns(node.right_keys), node.left_time, node.right_time,
                         node.join_condition ? ", where=" + node.join_condition->ToString() : "");
    case PlanKind::kIntervalJoin:
      return fmt::format("IntervalJoin(type={}, left_keys={}, right_keys={}, ${} - ${} in [{}, {}] ms{})",
                         JoinName(node.join_type), Columns(node.left_keys),
                         Columns(node.right_keys), node.left_time, node.right_time + static_cast<int>(node.inputs[0]->schema.size()),
                         node.lower_bound, node.upper_bound,
                         node.join_condition ? ", where=" + node.join_condition->ToString() : "");
  }
  return "?";
}

}  // namespace

std::string PlanNode::Explain(int indent) const {
  std::string out = std::string(static_cast<size_t>(indent) * 2, ' ') + Describe(*this);
  out += fmt::format(" changelogMode=[{}]", changelog_mode);
  out += "\n";
  for (const auto& input : inputs) out += input->Explain(indent + 1);
  return out;
}

}  // namespace fsql
