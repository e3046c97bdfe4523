#include "compiler/planner/explain.h"

#include <fmt/format.h>

#include "compiler/planner/planner.h"

namespace fsql {

namespace {

/// Renders a bound expression with the names of the columns it reads.
std::string RenderExpr(const Expr& expr, const std::vector<PlanField>& input) {
  switch (expr.kind) {
    case ExprKind::kLiteral:
      return expr.type.IsString() && !expr.literal.is_null() ? fmt::format("'{}'", expr.literal.as_string())
                                                             : expr.literal.ToString(expr.type);
    case ExprKind::kInputRef: {
      auto index = static_cast<size_t>(expr.index);
      return index < input.size() ? input[index].name : fmt::format("${}", expr.index);
    }
    case ExprKind::kFieldAccess: {
      const DataType& row = expr.args[0]->type;
      auto field = static_cast<size_t>(expr.index);
      std::string name = field < row.fields.size() ? row.fields[field].name : fmt::format("${}", expr.index);
      return fmt::format("{}.{}", RenderExpr(*expr.args[0], input), name);
    }
    case ExprKind::kCast:
      return fmt::format("{}({} AS {})", expr.safe ? "TRY_CAST" : "CAST", RenderExpr(*expr.args[0], input),
                         expr.type.ToString());
    case ExprKind::kCall: {
      std::vector<std::string> parts;
      if (!expr.time_unit.empty()) parts.push_back(expr.time_unit);
      for (const auto& arg : expr.args) parts.push_back(RenderExpr(*arg, input));
      return fmt::format("{}({})", expr.function, fmt::join(parts, ", "));
    }
  }
  return "?";
}

std::string ColumnNames(const std::vector<int>& columns, const std::vector<PlanField>& schema) {
  std::vector<std::string> names;
  for (int c : columns) {
    auto index = static_cast<size_t>(c);
    names.push_back(index < schema.size() ? schema[index].name : fmt::format("${}", c));
  }
  return fmt::format("[{}]", fmt::join(names, ", "));
}

std::string FieldNames(const std::vector<PlanField>& schema) {
  std::vector<std::string> names;
  for (const auto& field : schema) names.push_back(field.name);
  return fmt::format("[{}]", fmt::join(names, ", "));
}

std::vector<PlanField> JoinedSchema(const PlanNode& join) {
  std::vector<PlanField> both = join.inputs[0]->schema;
  both.insert(both.end(), join.inputs[1]->schema.begin(), join.inputs[1]->schema.end());
  return both;
}

std::string Millis(int64_t millis) { return fmt::format("{} ms", millis); }

std::string Aggregates(const PlanNode& node, const std::vector<PlanField>& input, size_t first_output) {
  std::vector<std::string> parts;
  for (size_t i = 0; i < node.aggregates.size(); ++i) {
    const AggregateCall& call = node.aggregates[i];
    std::string text = fmt::format("{}({}{})", call.function, call.distinct ? "DISTINCT " : "",
                                   call.argument ? RenderExpr(*call.argument, input) : "*");
    if (call.filter) text += fmt::format(" FILTER (WHERE {})", RenderExpr(*call.filter, input));
    size_t output = first_output + i;
    if (output < node.schema.size()) text += " AS " + node.schema[output].name;
    parts.push_back(text);
  }
  return fmt::format("{}", fmt::join(parts, ", "));
}

const char* JoinTypeName(JoinType type) {
  switch (type) {
    case JoinType::kInner: return "InnerJoin";
    case JoinType::kLeft: return "LeftOuterJoin";
    case JoinType::kRight: return "RightOuterJoin";
    case JoinType::kFull: return "FullOuterJoin";
  }
  return "?";
}

/// Describes one node by its name and attributes, leaving out changelog mode
/// and upsert key. With `physical`, names the operator that runs instead of the
/// logical node.
/// Renders a MATCH_RECOGNIZE navigation the way it is written, e.g. LAST(A.price, 1).
std::string NavigationName(const MatchRecognizeSpec& spec, const MatchNavigation& navigation,
                           const std::vector<PlanField>& input) {
  std::string variable = navigation.variable < 0 ? "" : spec.variables[static_cast<size_t>(navigation.variable)];
  std::string argument = navigation.argument ? RenderExpr(*navigation.argument, input) : "*";
  if (!variable.empty()) {
    argument = navigation.argument && navigation.argument->kind == ExprKind::kInputRef
                   ? variable + "." + argument
                   : fmt::format("{}: {}", variable, argument);
  }
  switch (navigation.kind) {
    case MatchNavigation::Kind::kLast: return fmt::format("LAST({}, {})", argument, navigation.offset);
    case MatchNavigation::Kind::kFirst: return fmt::format("FIRST({}, {})", argument, navigation.offset);
    case MatchNavigation::Kind::kPrev: return fmt::format("PREV({}, {})", argument, navigation.offset);
    case MatchNavigation::Kind::kAggregate: return fmt::format("{}({})", navigation.aggregate.function, argument);
    case MatchNavigation::Kind::kMatchRowtime: return "MATCH_ROWTIME()";
    case MatchNavigation::Kind::kClassifier: return "CLASSIFIER()";
    case MatchNavigation::Kind::kProctime: return "MATCH_PROCTIME()";
  }
  return "?";
}

std::string DescribeMatch(const PlanNode& node, const std::vector<PlanField>& input) {
  const MatchRecognizeSpec& spec = *node.match;
  // Conditions and measures read the input row followed by the navigations.
  std::vector<PlanField> columns = input;
  for (const MatchNavigation& navigation : spec.navigations) {
    columns.push_back(PlanField{NavigationName(spec, navigation, input), navigation.type});
  }
  std::vector<std::string> order{input[static_cast<size_t>(spec.time_column)].name + " ASC"};
  for (const SortKeySpec& key : spec.then_by) {
    order.push_back(fmt::format("{} {}", input[static_cast<size_t>(key.column)].name, key.descending ? "DESC" : "ASC"));
  }
  std::vector<std::string> measures;
  size_t first_measure = spec.partition_columns.size();
  for (size_t i = 0; i < spec.measures.size(); ++i) {
    measures.push_back(
        fmt::format("{} AS {}", RenderExpr(*spec.measures[i], columns), node.schema[first_measure + i].name));
  }
  std::vector<std::string> define;
  for (size_t v = 0; v < spec.variables.size(); ++v) {
    if (!spec.conditions[v]) continue;
    define.push_back(fmt::format("{}={}", spec.variables[v], RenderExpr(*spec.conditions[v], columns)));
  }
  return fmt::format("Match(partitionBy={}, orderBy=[{}], measures=[{}], rowsPerMatch=[ONE ROW PER MATCH], "
                     "after=[{}], pattern=[{}]{}, define=[{}])",
                     ColumnNames(spec.partition_columns, input), fmt::join(order, ", "), fmt::join(measures, ", "),
                     SkipToString(spec), PatternToString(spec),
                     spec.within_ms >= 0 ? fmt::format(", within=[{}]", Millis(spec.within_ms)) : "",
                     fmt::join(define, ", "));
}

/// Renders the window of a TUMBLE, HOP or CUMULATE window TVF node, e.g.
/// HOP(time_col=[ts], size=[10000 ms], slide=[2000 ms]).
std::string WindowDescription(const PlanNode& node) {
  const std::vector<PlanField>& input = node.inputs[0]->schema;
  std::string extra;
  if (node.window_function == "HOP") extra = ", slide=[" + Millis(node.window_slide) + "]";
  if (node.window_function == "CUMULATE") extra = ", step=[" + Millis(node.window_slide) + "]";
  if (node.window_offset != 0) extra += ", offset=[" + Millis(node.window_offset) + "]";
  return fmt::format("{}(time_col=[{}], size=[{}]{})", node.window_function, input[node.time_column].name,
                     Millis(node.window_size), extra);
}

std::string DescribeNode(const PlanNode& node, bool physical) {
  const std::vector<PlanField> no_input;
  const std::vector<PlanField>& input = node.inputs.empty() ? no_input : node.inputs[0]->schema;
  switch (node.kind) {
    case PlanKind::kScan:
      return fmt::format("{}(table=[{}], fields={})", physical ? "TableSourceScan" : "Scan", node.table->name,
                         FieldNames(node.schema));
    case PlanKind::kValues: {
      std::vector<std::string> rows;
      for (const auto& row : node.values) {
        std::vector<std::string> values;
        for (const auto& value : row) values.push_back(RenderExpr(*value, no_input));
        rows.push_back(fmt::format("{{ {} }}", fmt::join(values, ", ")));
      }
      return fmt::format("Values(tuples=[{}])", fmt::join(rows, ", "));
    }
    case PlanKind::kCalc: {
      std::vector<std::string> select;
      for (size_t i = 0; i < node.projections.size(); ++i) {
        std::string value = RenderExpr(*node.projections[i], input);
        select.push_back(value == node.schema[i].name ? value : fmt::format("{} AS {}", value, node.schema[i].name));
      }
      std::string where = node.filter ? fmt::format(", where=[{}]", RenderExpr(*node.filter, input)) : "";
      return fmt::format("Calc(select=[{}]{})", fmt::join(select, ", "), where);
    }
    case PlanKind::kOverAggregate: {
      std::string frame = node.unbounded_preceding ? "UNBOUNDED PRECEDING"
                          : node.rows_frame        ? fmt::format("{} PRECEDING", node.preceding)
                                                   : fmt::format("{} PRECEDING", Millis(node.preceding));
      return fmt::format("OverAggregate(partitionBy={}, orderBy=[{} ASC], window=[{} BETWEEN {} AND CURRENT ROW], "
                         "select=[{}])",
                         ColumnNames(node.partition_columns, input), input[node.order_column].name,
                         node.rows_frame ? "ROWS" : "RANGE", frame, Aggregates(node, input, input.size()));
    }
    case PlanKind::kRowNumber:
      return fmt::format("RowNumber(partitionBy={}, orderBy=[{} {}])", ColumnNames(node.partition_columns, input),
                         input[node.order_column].name, node.order_descending ? "DESC" : "ASC");
    case PlanKind::kRank:
      if (node.window_end_column >= 0) {
        return fmt::format("WindowRank(window=[{}], rankType=[ROW_NUMBER], rankRange=[rankStart=1, rankEnd={}], "
                           "partitionBy={}, orderBy=[{} {}], outputRankNumber=[{}])",
                           input[node.window_end_column].name, node.limit, ColumnNames(node.partition_columns, input),
                           input[node.order_column].name, node.order_descending ? "DESC" : "ASC",
                           node.output_rank_number ? "true" : "false");
      }
      if (node.proctime_order && node.limit == 1) {
        return fmt::format("Deduplicate(keep=[{}], key={}, order=[PROCTIME])",
                           node.order_descending ? "LastRow" : "FirstRow", ColumnNames(node.partition_columns, input));
      }
      return fmt::format("Rank(rankType=[ROW_NUMBER], rankRange=[rankStart=1, rankEnd={}], partitionBy={}, "
                         "orderBy=[{} {}], outputRankNumber=[{}])",
                         node.limit, ColumnNames(node.partition_columns, input), input[node.order_column].name,
                         node.order_descending ? "DESC" : "ASC", node.output_rank_number ? "true" : "false");
    case PlanKind::kGroupAggregate:
    case PlanKind::kWindowAggregate: {
      std::vector<std::string> keys;
      for (size_t i = 0; i < node.group_keys.size(); ++i) {
        std::string value = RenderExpr(*node.group_keys[i], input);
        keys.push_back(value == node.schema[i].name ? value : fmt::format("{} AS {}", value, node.schema[i].name));
      }
      // A sliced window aggregation runs its window TVF itself, as Flink's
      // physical WindowAggregate does.
      std::string window = physical && IsSlicedWindowAggregate(node)
                               ? fmt::format(", window=[{}], slices=[true]", WindowDescription(*node.inputs[0]))
                               : "";
      return fmt::format("{}(groupBy=[{}]{}, select=[{}])",
                         node.kind == PlanKind::kGroupAggregate ? "GroupAggregate" : "WindowAggregate",
                         fmt::join(keys, ", "), window, Aggregates(node, input, node.group_keys.size()));
    }
    case PlanKind::kWindowTvf: {
      if (node.window_function == "SESSION") {
        return fmt::format("WindowTableFunction(window=[SESSION(time_col=[{}], gap=[{}]{})])",
                           input[node.time_column].name, Millis(node.window_size),
                           node.partition_columns.empty()
                               ? ""
                               : ", partition keys=" + ColumnNames(node.partition_columns, input));
      }
      return fmt::format("WindowTableFunction(window=[{}])", WindowDescription(node));
    }
    case PlanKind::kJoin:
    case PlanKind::kIntervalJoin:
    case PlanKind::kTemporalJoin:
    case PlanKind::kWindowJoin: {
      std::vector<PlanField> both = JoinedSchema(node);
      const std::vector<PlanField>& right = node.inputs[1]->schema;
      std::vector<std::string> conditions;
      for (size_t i = 0; i < node.left_keys.size(); ++i) {
        conditions.push_back(fmt::format("=({}, {})", input[node.left_keys[i]].name, right[node.right_keys[i]].name));
      }
      if (node.join_condition) conditions.push_back(RenderExpr(*node.join_condition, both));
      std::string where = conditions.size() == 1 ? conditions[0]
                                                 : fmt::format("AND({})", fmt::join(conditions, ", "));
      if (node.kind == PlanKind::kJoin) {
        return fmt::format("Join(joinType=[{}], where=[{}])", JoinTypeName(node.join_type), where);
      }
      if (node.kind == PlanKind::kWindowJoin) {
        return fmt::format("WindowJoin(joinType=[{}], leftWindow=[{}], rightWindow=[{}], where=[{}])",
                           JoinTypeName(node.join_type), input[node.left_time].name, right[node.right_time].name,
                           where);
      }
      if (node.kind == PlanKind::kIntervalJoin) {
        return fmt::format("IntervalJoin(joinType=[{}], windowBounds=[{} - {} BETWEEN {} AND {}], where=[{}])",
                           JoinTypeName(node.join_type), input[node.left_time].name, right[node.right_time].name,
                           Millis(node.lower_bound), Millis(node.upper_bound), where);
      }
      if (node.right_time < 0) {
        return fmt::format("TemporalJoin(joinType=[{}], asOf=[{}], processingTime=[true], where=[{}])",
                           JoinTypeName(node.join_type), input[node.left_time].name, where);
      }
      return fmt::format("TemporalJoin(joinType=[{}], asOf=[{}], versionTime=[{}], where=[{}])",
                         JoinTypeName(node.join_type), input[node.left_time].name, right[node.right_time].name,
                         where);
    }
    case PlanKind::kUnion:
      return "Union(all=[true])";
    case PlanKind::kUnnest:
      return fmt::format("Unnest(collection=[{}]{}{})", RenderExpr(*node.unnest, input),
                         node.with_ordinality ? ", ordinality=[true]" : "", node.keep_empty ? ", joinType=[LeftOuterJoin]" : "");
    case PlanKind::kSetOperation: {
      // Flink names EXCEPT Minus in its plans.
      std::string name = "Minus";
      if (node.set_operation == "UNION") name = "Union";
      if (node.set_operation == "INTERSECT") name = "Intersect";
      return fmt::format("{}(all=[{}])", name, node.set_all ? "true" : "false");
    }
    case PlanKind::kLimit:
      return fmt::format("Limit(offset=[{}], fetch=[{}])", node.offset, node.limit);
    case PlanKind::kMatchRecognize:
      return DescribeMatch(node, input);
    case PlanKind::kTemporalSort: {
      std::vector<std::string> keys{input[node.order_column].name + " ASC"};
      for (const SortKey& key : node.sort_keys) {
        keys.push_back(fmt::format("{} {}", input[key.column].name, key.descending ? "DESC" : "ASC"));
      }
      return fmt::format("TemporalSort(orderBy=[{}])", fmt::join(keys, ", "));
    }
  }
  return "?";
}

struct Line {
  std::string text;
  std::vector<Line> children;
};

std::string Properties(const std::string& mode, const std::optional<std::vector<int>>& key,
                       const std::vector<PlanField>& schema, const ExplainOptions& options) {
  std::string out;
  if (options.changelog_mode) out += fmt::format(", changelogMode=[{}]", mode);
  if (options.upsert_key && key) out += fmt::format(", upsertKey={}", ColumnNames(*key, schema));
  return out;
}

/// Appends the properties inside the node's closing parenthesis, as Flink does.
std::string WithProperties(std::string description, const std::string& properties) {
  if (!description.empty() && description.back() == ')') {
    description.insert(description.size() - 1, properties);
  }
  return description;
}

Line BuildLine(const PlanNode& node, bool physical, bool properties, const ExplainOptions& options) {
  Line line;
  std::string description = DescribeNode(node, physical);
  if (physical && node.kind == PlanKind::kScan && node.table->changelog_mode == ChangelogMode::kUpsert) {
    // An upsert source emits only the latest row per key, without the previous
    // version; ChangelogNormalize keeps the last row per key to restore -U.
    std::string scan_mode = "I,UA,D";
    Line scan{WithProperties(description, properties ? Properties(scan_mode, node.upsert_key, node.schema, options)
                                                     : ""),
              {}};
    std::string normalize =
        fmt::format("ChangelogNormalize(key={})", ColumnNames(node.table->PrimaryKeyIndexes(), node.schema));
    line.text = WithProperties(normalize, properties ? Properties(node.changelog_mode, node.upsert_key, node.schema,
                                                                  options)
                                                     : "");
    line.children.push_back(std::move(scan));
    return line;
  }
  line.text = WithProperties(description,
                             properties ? Properties(node.changelog_mode, node.upsert_key, node.schema, options) : "");
  if (physical && IsSlicedWindowAggregate(node)) {
    line.children.push_back(BuildLine(*node.inputs[0]->inputs[0], physical, properties, options));
    return line;
  }
  for (const auto& input : node.inputs) line.children.push_back(BuildLine(*input, physical, properties, options));
  return line;
}

/// Draws the tree with Flink's connectors: `+- ` before the last child and
/// `:- ` before the others, with `:  ` continuing the earlier siblings' branches.
void Draw(const Line& line, const std::string& prefix, std::string& out) {
  out += line.text + "\n";
  for (size_t i = 0; i < line.children.size(); ++i) {
    bool last = i + 1 == line.children.size();
    out += prefix + (last ? "+- " : ":- ");
    Draw(line.children[i], prefix + (last ? "   " : ":  "), out);
  }
}

std::string Section(const RulePlan& rule, const PlanNode& plan, bool physical, bool properties,
                    const ExplainOptions& options) {
  Line root = BuildLine(plan, physical, properties, options);
  if (rule.sink) {
    std::string sink = fmt::format("Sink(table=[{}], fields={})", rule.sink->name, FieldNames(plan.schema));
    std::string sink_properties = properties && options.changelog_mode ? ", changelogMode=[NONE]" : "";
    root = Line{WithProperties(sink, sink_properties), {std::move(root)}};
  }
  std::string out;
  Draw(root, "", out);
  return out;
}

}  // namespace

std::string DescribePhysicalNode(const PlanNode& node) { return DescribeNode(node, true); }

std::string ExplainRule(const RulePlan& rule, const ExplainOptions& options) {
  std::vector<std::string> sections;
  if (options.abstract_syntax_tree) {
    const PlanNode& bound = rule.bound_plan ? *rule.bound_plan : *rule.plan;
    sections.push_back("== Abstract Syntax Tree ==\n" + Section(rule, bound, false, false, options));
  }
  if (options.logical_plan) {
    sections.push_back("== Optimized Logical Plan ==\n" + Section(rule, *rule.plan, false, true, options));
  }
  if (options.physical_plan) {
    sections.push_back("== Physical Plan ==\n" + Section(rule, *rule.plan, true, true, options));
  }
  return fmt::format("{}", fmt::join(sections, "\n"));
}

}  // namespace fsql
