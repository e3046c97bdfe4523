// Binding of queries into logical plans: FROM and joins, WHERE, the SELECT list
// with OVER aggregates and ROW_NUMBER, CTEs, UNION ALL and VALUES.
#include <algorithm>
#include <map>
#include <optional>
#include <set>

#include "compiler/binder/binder.h"
#include "compiler/binder/expression_binder.h"
#include "compiler/planner/optimizer.h"
#include "runtime/common/duration.h"
#include "runtime/types/decimal.h"
#include "runtime/common/logging.h"

namespace fsql {

namespace {

/// A regular join bound in a FROM clause, with the names a STATE_TTL hint
/// gives its two inputs (empty for an input without one, such as a join).
struct HintedJoin {
  PlanNode* node = nullptr;
  std::string input_names[2];
};

struct BoundRelation {
  PlanPtr plan;
  Scope scope;
  /// The relation's alias, else its table, view or CTE name: what a STATE_TTL hint calls it.
  std::string hint_name = {};
  /// The joins written directly in this FROM clause, not those inside subqueries or views.
  std::vector<HintedJoin> joins = {};
};

/// Reads `expr` as `column + offset` with a constant interval offset.
bool ColumnPlusOffset(const ExprPtr& expr, int& column, int64_t& offset) {
  const Expr* e = expr.get();
  if (e->kind == ExprKind::kCast) e = e->args[0].get();
  if (e->kind == ExprKind::kInputRef) {
    column = e->index;
    offset = 0;
    return true;
  }
  if (e->kind == ExprKind::kCall && (e->function == "+" || e->function == "-") && e->args.size() == 2 &&
      e->args[0]->kind == ExprKind::kInputRef && e->args[1]->kind == ExprKind::kLiteral &&
      e->args[1]->type.id == TypeId::kIntervalDayTime && !e->args[1]->literal.is_null()) {
    column = e->args[0]->index;
    offset = e->function == "+" ? e->args[1]->literal.as_int() : -e->args[1]->literal.as_int();
    return true;
  }
  return false;
}

/// Finds the bounds of an interval join in `conjuncts`: comparisons between a
/// time attribute of each side, such as `l.ts BETWEEN r.ts - INTERVAL '1' HOUR AND r.ts`.
/// On success it records the bounds in `join`, removes those comparisons and
/// makes `join` an interval join.
bool ExtractTimeBounds(std::vector<ExprPtr>& conjuncts, PlanNode& join, const Scope& left, const Scope& right,
                       int left_width) {
  std::optional<int64_t> lower, upper;
  int left_time = -1, right_time = -1;
  std::vector<ExprPtr> other_conjuncts;
  for (const auto& conjunct : conjuncts) {
    static const std::set<std::string> comparisons = {"<", "<=", ">", ">="};
    int a_column = -1, b_column = -1;
    int64_t a_offset = 0, b_offset = 0;
    bool usable = conjunct->kind == ExprKind::kCall && comparisons.count(conjunct->function) &&
                  ColumnPlusOffset(conjunct->args[0], a_column, a_offset) &&
                  ColumnPlusOffset(conjunct->args[1], b_column, b_offset);
    bool a_left = usable && a_column < left_width;
    bool b_left = usable && b_column < left_width;
    if (!usable || a_left == b_left) {
      other_conjuncts.push_back(conjunct);
      continue;
    }
    int l_column = a_left ? a_column : b_column;
    int r_column = (a_left ? b_column : a_column) - left_width;
    if (!left.columns[l_column].rowtime_attribute || !right.columns[r_column].rowtime_attribute ||
        (left_time >= 0 && (left_time != l_column || right_time != r_column))) {
      other_conjuncts.push_back(conjunct);
      continue;
    }
    left_time = l_column;
    right_time = r_column;
    // Rewrite `a + x op b + y` as `l - r op c` with the left side first.
    std::string op = conjunct->function;
    int64_t c = b_offset - a_offset;
    if (!a_left) {
      c = -c;
      static const std::map<std::string, std::string> mirrored = {{"<", ">"}, {"<=", ">="}, {">", "<"}, {">=", "<="}};
      op = mirrored.at(op);
    }
    // Times are whole milliseconds, so strict bounds move by one.
    if (op == ">=") lower = std::max(lower.value_or(INT64_MIN), c);
    if (op == ">") lower = std::max(lower.value_or(INT64_MIN), c + 1);
    if (op == "<=") upper = std::min(upper.value_or(INT64_MAX), c);
    if (op == "<") upper = std::min(upper.value_or(INT64_MAX), c - 1);
  }
  if (!lower || !upper) return false;
  conjuncts = other_conjuncts;
  join.kind = PlanKind::kIntervalJoin;
  join.left_time = left_time;
  join.right_time = right_time;
  join.lower_bound = *lower;
  join.upper_bound = *upper;
  return true;
}

PlanPtr NewNode(PlanKind kind, const SourceLocation& location) {
  auto node = std::make_shared<PlanNode>();
  node->kind = kind;
  node->location = location;
  return node;
}

/// Returns `scan`, or a Calc over it that sets each `AS PROCTIME()` column of
/// the table. The decoder has no processing time, so the Calc evaluates
/// PROCTIME() when the row reaches it, with the time the job gives the batch.
PlanPtr WithProcessingTime(const PlanPtr& scan) {
  const TableDefinition& table = *scan->table;
  bool any = false;
  for (const auto& column : table.columns) any = any || column.is_proctime();
  if (!any) return scan;
  auto calc = NewNode(PlanKind::kCalc, scan->location);
  calc->inputs = {scan};
  calc->schema = scan->schema;
  calc->insert_only = scan->insert_only;
  for (size_t i = 0; i < table.columns.size(); ++i) {
    const CatalogColumn& column = table.columns[i];
    if (column.is_proctime()) {
      calc->projections.push_back(column.computed);
      calc->schema[i].proctime = true;
    } else {
      calc->projections.push_back(Expr::InputRef(static_cast<int>(i), column.type));
    }
  }
  return calc;
}

/// Splits a predicate into its AND-ed parts.
void SplitConjuncts(const ExprPtr& expr, std::vector<ExprPtr>& out) {
  if (expr->kind == ExprKind::kCall && expr->function == "AND") {
    for (const auto& arg : expr->args) SplitConjuncts(arg, out);
  } else {
    out.push_back(expr);
  }
}

ExprPtr CombineConjuncts(const std::vector<ExprPtr>& conjuncts) {
  if (conjuncts.empty()) return nullptr;
  ExprPtr result = conjuncts[0];
  for (size_t i = 1; i < conjuncts.size(); ++i) {
    bool nullable = result->type.nullable || conjuncts[i]->type.nullable;
    result = Expr::Call("AND", {result, conjuncts[i]}, DataType::Of(TypeId::kBoolean, nullable));
  }
  return result;
}

std::string ExprName(const ast::Expr& expr, size_t position) {
  if (expr.kind == ast::ExprKind::kColumnRef) return expr.name_parts.back();
  return fmt::format("EXPR${}", position);
}

}  // namespace

AggregateCall BindAggregateCall(const ast::Expr& call, const Scope& scope) {
  AggregateCall aggregate;
  aggregate.function = call.name;
  // STDDEV and VARIANCE are Flink's names for the sample statistics.
  if (call.name == "STDDEV") aggregate.function = "STDDEV_SAMP";
  if (call.name == "VARIANCE") aggregate.function = "VAR_SAMP";
  const std::string& name = aggregate.function;
  if (call.star) {
    if (call.name != "COUNT") throw SqlError(fmt::format("{}(*) is not valid; only COUNT(*) is", call.name), call.location);
    aggregate.type = DataType::Of(TypeId::kBigInt, false);
    return aggregate;
  }
  size_t max_arguments = name == "LISTAGG" ? 2 : 1;
  if (call.children.empty() || call.children.size() > max_arguments) {
    throw SqlError(fmt::format("{} takes {} argument{}, got {}", call.name, max_arguments == 1 ? "one" : "one or two",
                               max_arguments == 1 ? "" : "s", call.children.size()),
                   call.location, name == "LISTAGG" ? "call it as LISTAGG(value [, separator])" : "");
  }
  aggregate.argument = BindScalar(*call.children[0], scope);
  const DataType& arg = aggregate.argument->type;
  auto require_numeric = [&] {
    if (!arg.IsNumeric()) {
      throw SqlError(fmt::format("{} expects a numeric argument, got {}", call.name, arg.ToString()),
                     call.children[0]->location, "CAST the argument to a numeric type");
    }
  };
  if (name == "COUNT") {
    aggregate.type = DataType::Of(TypeId::kBigInt, false);
  } else if (name == "SUM" || name == "AVG") {
    require_numeric();
    // Flink keeps the argument's type: SUM and AVG of INT are INT, and SUM wraps at that width.
    if (arg.id == TypeId::kDecimal) {
      aggregate.type = name == "SUM" ? DecimalSumType(arg.scale) : DecimalAverageType(arg.scale);
    } else {
      aggregate.type = DataType::Of(arg.id);
    }
  } else if (name == "STDDEV_POP" || name == "STDDEV_SAMP" || name == "VAR_POP" || name == "VAR_SAMP") {
    require_numeric();
    // Flink keeps an integer argument's type, as it does for AVG.
    aggregate.type = arg.IsInteger() ? DataType::Of(arg.id) : DataType::Of(TypeId::kDouble);
  } else if (name == "MIN" || name == "MAX" || name == "FIRST_VALUE" || name == "LAST_VALUE") {
    aggregate.type = arg.WithNullable(true);
  } else if (name == "LISTAGG") {
    if (!arg.IsString() && arg.id != TypeId::kNull) {
      throw SqlError(fmt::format("LISTAGG expects a string argument, got {}", arg.ToString()),
                     call.children[0]->location, "CAST the argument to STRING");
    }
    if (call.children.size() == 2) {
      const ast::Expr& separator = *call.children[1];
      if (separator.kind != ast::ExprKind::kLiteral || separator.literal_kind != ast::LiteralKind::kString) {
        throw SqlError("the LISTAGG separator must be a string literal", separator.location,
                       "write LISTAGG(value, ', ')");
      }
      aggregate.separator = separator.literal;
    }
    aggregate.type = DataType::Of(TypeId::kString);
  } else if (name == "COLLECT") {
    // NULLs are left out, and no values give an empty multiset, so the result is never NULL.
    DataType multiset = DataType::Of(TypeId::kMultiset, false);
    multiset.children.push_back(arg.WithNullable(false));
    aggregate.type = multiset;
  } else {
    throw NotSupportedError(fmt::format("aggregate {} is not supported yet", call.name), call.location);
  }
  return aggregate;
}

namespace {

class QueryBinder {
 public:
  explicit QueryBinder(const Catalog& catalog) : catalog_(catalog) {}

  PlanPtr BindQuery(const ast::Query& query);

 private:
  BoundRelation BindRelation(const ast::Relation& relation);
  BoundRelation BindTable(const ast::Relation& relation);
  BoundRelation BindJoin(const ast::Relation& relation);
  /// `FROM a, b, ... WHERE ...`: joins the items left to right, each on the
  /// WHERE conjuncts that connect it to the items before it, as inner joins.
  /// Returns the joined relation and leaves the other conjuncts in `remaining`.
  BoundRelation BindCommaJoin(const ast::SelectCore& select, std::vector<ExprPtr>& remaining);
  /// Joins two bound relations on `condition`, bound over their concatenated
  /// scopes: a regular, interval, temporal (`temporal_join` set) or window join.
  BoundRelation JoinBound(BoundRelation left, BoundRelation right, const ExprPtr& condition, JoinType type,
                          const SourceLocation& location, const SourceLocation& condition_location,
                          const ast::JoinClause* temporal_join);
  BoundRelation BindTableFunction(const ast::Relation& relation);
  /// Makes `node` a temporal join when `right` is `t FOR SYSTEM_TIME AS OF ...`: on
  /// event time when the AS OF column is a rowtime attribute, else on processing time.
  void BindTemporalJoin(const ast::JoinClause& join, const BoundRelation& left, const BoundRelation& right,
                        PlanNode& node);
  void BindProcessingTimeTemporalJoin(const ast::JoinClause& join, int as_of_column, const BoundRelation& right,
                                      PlanNode& node);
  PlanPtr BindSelect(const ast::SelectCore& select);
  PlanPtr BindGroupedSelect(const ast::SelectCore& select, PlanPtr input, const Scope& scope);
  PlanPtr BindValues(const ast::Query& query);
  /// `left` CROSS JOIN UNNEST(...), or LEFT JOIN ... ON TRUE with `keep_empty`.
  BoundRelation BindUnnest(const BoundRelation& left, const ast::Relation& unnest, bool keep_empty);
  /// UNION [ALL], INTERSECT [ALL] and EXCEPT [ALL].
  PlanPtr BindSetOperation(const ast::Query& query);
  /// ORDER BY, LIMIT and OFFSET of `query` over its bound result `plan`.
  PlanPtr BindOrderAndLimit(const ast::Query& query, PlanPtr plan);

  struct OverState {
    const ast::SelectCore* select = nullptr;
    PlanPtr input;
    const Scope* scope = nullptr;
    PlanPtr node;  // the kOverAggregate or kRowNumber node, created on first use
    std::string window_text;
  };
  ExprPtr BindOverCall(const ast::Expr& call, OverState& state);
  const ast::WindowSpec& ResolveWindow(const ast::Expr& call, const ast::SelectCore& select);

  const Catalog& catalog_;
  std::vector<std::map<std::string, PlanPtr>> ctes_;
};

PlanPtr QueryBinder::BindQuery(const ast::Query& query) {
  ctes_.emplace_back();
  for (const auto& cte : query.ctes) {
    PlanPtr plan = BindQuery(*cte.query);
    if (!cte.column_names.empty()) {
      if (cte.column_names.size() != plan->schema.size()) {
        throw SqlError(fmt::format("WITH {} names {} columns but its query returns {}", cte.name,
                                   cte.column_names.size(), plan->schema.size()),
                       cte.location);
      }
      for (size_t i = 0; i < plan->schema.size(); ++i) plan->schema[i].name = cte.column_names[i];
    }
    ctes_.back()[cte.name] = plan;
  }
  PlanPtr plan;
  switch (query.kind) {
    case ast::QueryKind::kSelect: plan = BindSelect(*query.select); break;
    case ast::QueryKind::kNested: plan = BindQuery(*query.nested); break;
    case ast::QueryKind::kValues: plan = BindValues(query); break;
    case ast::QueryKind::kUnion:
    case ast::QueryKind::kIntersect:
    case ast::QueryKind::kExcept: plan = BindSetOperation(query); break;
  }
  if (!query.order_by.empty() || query.limit || query.offset) plan = BindOrderAndLimit(query, plan);
  ctes_.pop_back();
  return plan;
}

PlanPtr QueryBinder::BindOrderAndLimit(const ast::Query& query, PlanPtr plan) {
  // ORDER BY names columns of the result, by name or position.
  Scope scope = Scope::FromPlan(*plan, "");
  std::vector<SortKey> keys;
  for (const auto& item : query.order_by) {
    ExprPtr bound;
    try {
      bound = BindScalar(*item.expr, scope);
    } catch (const SqlError& error) {
      if (error.message().find("not found") == std::string::npos) throw;
      throw NotSupportedError("ORDER BY names a column that the query does not select; fsql orders by selected "
                              "columns only so far",
                              item.expr->location, "add the column to the SELECT list");
    }
    if (bound->kind != ExprKind::kInputRef) {
      throw NotSupportedError("ORDER BY supports only columns of the result so far", item.expr->location,
                              "select the expression with an alias and order by the alias");
    }
    // NULLs sort first ascending and last descending unless the query states otherwise, as in Flink.
    keys.push_back(SortKey{bound->index, item.descending, item.nulls_first.value_or(!item.descending)});
  }
  if (query.offset && *query.offset < 0) throw SqlError("OFFSET must not be negative", query.location);
  if (query.limit && *query.limit < 0) throw SqlError("LIMIT must not be negative", query.location);
  const SourceLocation& location = query.order_by.empty() ? query.location : query.order_by[0].expr->location;

  if (keys.empty()) {
    auto limit = NewNode(PlanKind::kLimit, query.location);
    limit->inputs = {plan};
    limit->schema = plan->schema;
    limit->limit = query.limit.value_or(INT64_MAX);
    limit->offset = query.offset.value_or(0);
    return limit;
  }
  if (query.limit) {
    // ORDER BY ... LIMIT n is a Top-N over the whole result.
    if (query.offset && *query.offset > 0) {
      throw NotSupportedError("OFFSET together with ORDER BY is not supported yet", query.location,
                              "drop the OFFSET, or number the rows with ROW_NUMBER()");
    }
    if (keys.size() > 1) {
      throw NotSupportedError("ORDER BY ... LIMIT supports one sort column so far", query.order_by[1].expr->location,
                              "order by a single column");
    }
    auto rank = NewNode(PlanKind::kRank, location);
    rank->inputs = {plan};
    rank->schema = plan->schema;
    rank->order_column = keys[0].column;
    rank->order_descending = keys[0].descending;
    rank->limit = *query.limit;
    rank->output_rank_number = false;
    if (*query.limit < 1) throw SqlError("ORDER BY ... LIMIT 0 keeps no rows", query.location, "use LIMIT 1 or more");
    // The rank operator appends its row number; the query does not read it.
    PlanField number{"$rank", DataType::Of(TypeId::kBigInt, false)};
    number.hidden = true;
    rank->schema.push_back(number);
    auto project = NewNode(PlanKind::kCalc, location);
    project->inputs = {rank};
    for (size_t i = 0; i < plan->schema.size(); ++i) {
      project->projections.push_back(Expr::InputRef(static_cast<int>(i), plan->schema[i].type));
      project->schema.push_back(plan->schema[i]);
    }
    return project;
  }
  if (query.offset) {
    throw NotSupportedError("OFFSET together with ORDER BY is not supported yet", query.location,
                            "drop the OFFSET");
  }
  const PlanField& first = plan->schema[static_cast<size_t>(keys[0].column)];
  if (!first.rowtime_attribute || keys[0].descending) {
    throw NotSupportedError(
        "a streaming ORDER BY must start with a time attribute in ascending order", location,
        fmt::format("order by the event-time column first, e.g. ORDER BY {} ASC, or add LIMIT n for a Top-N",
                    plan->schema.empty() ? "ts" : "`$rowtime`"));
  }
  auto sort = NewNode(PlanKind::kTemporalSort, location);
  sort->inputs = {plan};
  sort->schema = plan->schema;
  sort->order_column = keys[0].column;
  sort->sort_keys.assign(keys.begin() + 1, keys.end());
  return sort;
}

PlanPtr QueryBinder::BindValues(const ast::Query& query) {
  auto node = NewNode(PlanKind::kValues, query.location);
  Scope empty;
  size_t width = query.values.at(0).size();
  std::vector<DataType> types(width, DataType::Of(TypeId::kNull));
  for (const auto& row : query.values) {
    if (row.size() != width) {
      throw SqlError(fmt::format("VALUES rows have {} and {} columns", width, row.size()), row[0]->location);
    }
    std::vector<ExprPtr> bound;
    for (size_t i = 0; i < row.size(); ++i) {
      bound.push_back(BindScalar(*row[i], empty));
      DataType common = CommonType(types[i], bound.back()->type);
      if (common.id == TypeId::kNull && bound.back()->type.id != TypeId::kNull) {
        throw SqlError(fmt::format("VALUES column {} mixes {} and {}", i + 1, types[i].ToString(),
                                   bound.back()->type.ToString()),
                       row[i]->location, "CAST the values to one type");
      }
      types[i] = common.id == TypeId::kNull ? types[i] : common;
    }
    node->values.push_back(std::move(bound));
  }
  for (auto& row : node->values) {
    for (size_t i = 0; i < width; ++i) row[i] = CoerceTo(row[i], types[i], query.location, "VALUES");
  }
  for (size_t i = 0; i < width; ++i) node->schema.push_back(PlanField{fmt::format("EXPR${}", i), types[i]});
  return node;
}

PlanPtr QueryBinder::BindSetOperation(const ast::Query& query) {
  const char* name = query.kind == ast::QueryKind::kUnion       ? "UNION"
                     : query.kind == ast::QueryKind::kIntersect ? "INTERSECT"
                                                                : "EXCEPT";
  std::string spelled = fmt::format("{}{}", name, query.union_all ? " ALL" : "");
  PlanPtr left = BindQuery(*query.left);
  PlanPtr right = BindQuery(*query.right);
  if (left->schema.size() != right->schema.size()) {
    throw SqlError(fmt::format("{} inputs have {} and {} columns", spelled, left->schema.size(), right->schema.size()),
                   query.location);
  }
  bool bag_union = query.kind == ast::QueryKind::kUnion && query.union_all;
  auto node = NewNode(bag_union ? PlanKind::kUnion : PlanKind::kSetOperation, query.location);
  node->set_operation = name;
  node->set_all = query.union_all;
  for (size_t i = 0; i < left->schema.size(); ++i) {
    if (!left->schema[i].type.SameShape(right->schema[i].type)) {
      throw SqlError(fmt::format("{} column {} is {} on the left and {} on the right", spelled, left->schema[i].name,
                                 left->schema[i].type.ToString(), right->schema[i].type.ToString()),
                     query.location, "CAST both sides to one type");
    }
    PlanField field = left->schema[i];
    field.type.nullable = left->schema[i].type.nullable || right->schema[i].type.nullable;
    // Only UNION ALL passes rows through with their times; the others emit
    // a row when its count changes, which makes the time a plain value.
    field.rowtime_attribute = bag_union && left->schema[i].rowtime_attribute && right->schema[i].rowtime_attribute;
    node->schema.push_back(field);
  }
  node->inputs = {left, right};
  return node;
}

BoundRelation QueryBinder::BindRelation(const ast::Relation& relation) {
  switch (relation.kind) {
    case ast::RelationKind::kTable: return BindTable(relation);
    case ast::RelationKind::kJoin: return BindJoin(relation);
    case ast::RelationKind::kTableFunction: return BindTableFunction(relation);
    case ast::RelationKind::kSubquery: {
      PlanPtr plan = BindQuery(*relation.subquery);
      if (!relation.column_aliases.empty()) {
        if (relation.column_aliases.size() != plan->schema.size()) {
          throw SqlError(fmt::format("alias {} names {} columns but the subquery returns {}", relation.alias,
                                     relation.column_aliases.size(), plan->schema.size()),
                         relation.location);
        }
        for (size_t i = 0; i < plan->schema.size(); ++i) plan->schema[i].name = relation.column_aliases[i];
      }
      return BoundRelation{plan, Scope::FromPlan(*plan, relation.alias), relation.alias};
    }
    case ast::RelationKind::kUnnest:
      throw NotSupportedError("UNNEST is not supported yet", relation.location,
                              "read the array's elements by index, e.g. tags[1], or flatten it upstream");
    case ast::RelationKind::kLateralTable:
      throw NotSupportedError("LATERAL TABLE is not supported yet: fsql has no user-defined table functions",
                              relation.location, "produce the rows upstream, one record per row");
    case ast::RelationKind::kMatchRecognize: {
      BoundRelation input = BindRelation(*relation.input);
      PlanPtr plan = BindMatchRecognize(*relation.match, input.plan, relation.column_aliases);
      return BoundRelation{plan, Scope::FromPlan(*plan, relation.alias)};
    }
  }
  throw InternalError("unhandled relation kind");
}

BoundRelation QueryBinder::BindTable(const ast::Relation& relation) {
  std::string name = ast::JoinName(relation.table_name);
  std::string qualifier = relation.alias.empty() ? relation.table_name.back() : relation.alias;
  for (auto it = ctes_.rbegin(); it != ctes_.rend(); ++it) {
    auto found = it->find(name);
    if (found != it->end()) {
      return BoundRelation{found->second, Scope::FromPlan(*found->second, qualifier), qualifier};
    }
  }
  if (!relation.hints.empty() && catalog_.FindView(name)) {
    throw SqlError(fmt::format("{} is a view; table hints apply only to tables", name), relation.hints[0].location,
                   "put the OPTIONS hint on the tables inside the view");
  }
  if (const ViewDefinition* view = catalog_.FindView(name)) {
    // A view reads only the catalog, never the CTEs of the query that uses it.
    QueryBinder view_binder(catalog_);
    PlanPtr plan = view_binder.BindQuery(*view->query);
    if (!view->column_names.empty()) {
      if (view->column_names.size() != plan->schema.size()) {
        throw SqlError(fmt::format("view {} names {} columns but its query returns {}", name,
                                   view->column_names.size(), plan->schema.size()),
                       view->location);
      }
      for (size_t i = 0; i < plan->schema.size(); ++i) plan->schema[i].name = view->column_names[i];
    }
    return BoundRelation{plan, Scope::FromPlan(*plan, qualifier), qualifier};
  }
  const TableDefinition& table = catalog_.WithHintOptions(catalog_.Get(name, relation.location), relation.hints);
  auto scan = NewNode(PlanKind::kScan, relation.location);
  scan->table = &table;
  for (size_t i = 0; i < table.columns.size(); ++i) {
    const auto& column = table.columns[i];
    PlanField field{column.name, column.type};
    field.hidden = column.kind == ColumnKind::kSystem;
    field.rowtime_attribute = static_cast<int>(i) == table.rowtime_column;
    scan->schema.push_back(field);
  }
  scan->insert_only = table.changelog_mode == ChangelogMode::kAppend;
  if (!relation.column_aliases.empty()) {
    throw NotSupportedError("column aliases on a table are not supported yet", relation.location);
  }
  PlanPtr plan = WithProcessingTime(scan);
  return BoundRelation{plan, Scope::FromPlan(*plan, qualifier), qualifier};
}

BoundRelation QueryBinder::BindTableFunction(const ast::Relation& relation) {
  const std::string& function = relation.function_name;
  if (function != "TUMBLE" && function != "HOP" && function != "CUMULATE" && function != "SESSION") {
    throw NotSupportedError(fmt::format("table function {} is not supported yet", function), relation.location,
                            "the window TVFs TUMBLE, HOP, CUMULATE and SESSION are supported");
  }
  // Parameter names in positional order, as Flink documents them.
  std::vector<std::string> parameters = {"DATA", "TIMECOL"};
  if (function == "TUMBLE") parameters.insert(parameters.end(), {"SIZE", "OFFSET"});
  if (function == "HOP") parameters.insert(parameters.end(), {"SLIDE", "SIZE", "OFFSET"});
  if (function == "CUMULATE") parameters.insert(parameters.end(), {"STEP", "SIZE", "OFFSET"});
  if (function == "SESSION") parameters.insert(parameters.end(), {"GAP"});
  std::map<std::string, const ast::TableFunctionArg*> args;
  for (size_t i = 0; i < relation.function_args.size(); ++i) {
    const auto& arg = relation.function_args[i];
    std::string name = arg.name;
    if (name.empty()) {
      if (i >= parameters.size()) {
        throw SqlError(fmt::format("{} takes at most {} arguments", function, parameters.size()), arg.location);
      }
      name = parameters[i];
    }
    if (std::find(parameters.begin(), parameters.end(), name) == parameters.end()) {
      throw SqlError(fmt::format("{} has no parameter {}", function, name), arg.location,
                     fmt::format("its parameters are {}", fmt::join(parameters, ", ")));
    }
    if (!args.emplace(name, &arg).second) {
      throw SqlError(fmt::format("parameter {} of {} is given twice", name, function), arg.location);
    }
  }
  auto require = [&](const std::string& name) -> const ast::TableFunctionArg& {
    auto it = args.find(name);
    if (it == args.end()) {
      throw SqlError(fmt::format("{} needs its {} argument", function, name), relation.location,
                     fmt::format("write {}(TABLE t, DESCRIPTOR(ts), ...) with {}", function, fmt::join(parameters, ", ")));
    }
    return *it->second;
  };
  auto interval = [&](const std::string& name) {
    const ast::TableFunctionArg& arg = require(name);
    if (arg.kind != ast::TableFunctionArg::Kind::kExpression || arg.expr->kind != ast::ExprKind::kInterval) {
      throw SqlError(fmt::format("{} of {} must be an interval literal", name, function), arg.location,
                     "e.g. INTERVAL '10' MINUTES");
    }
    return IntervalMillis(*arg.expr);
  };

  const ast::TableFunctionArg& data = require("DATA");
  if (data.kind != ast::TableFunctionArg::Kind::kTable) {
    throw SqlError(fmt::format("the first argument of {} must be TABLE name", function), data.location);
  }
  if ((function != "SESSION" && !data.partition_by.empty()) || !data.order_by.empty()) {
    throw SqlError(fmt::format("{} takes no {} on its table", function,
                               data.order_by.empty() ? "PARTITION BY" : "ORDER BY"),
                   data.location, "only SESSION windows are partitioned, with TABLE t PARTITION BY k");
  }
  ast::Relation input_relation;
  input_relation.kind = ast::RelationKind::kTable;
  input_relation.location = data.location;
  input_relation.table_name = data.table_name;
  BoundRelation input = BindTable(input_relation);
  if (!input.plan->insert_only) {
    throw NotSupportedError(fmt::format("{} over an updating table is not supported yet", function), data.location,
                            "window an append-only table");
  }

  const ast::TableFunctionArg& timecol = require("TIMECOL");
  if (timecol.kind != ast::TableFunctionArg::Kind::kDescriptor) {
    throw SqlError(fmt::format("the time column of {} must be written DESCRIPTOR(column)", function),
                   timecol.location);
  }
  if (timecol.descriptor_columns.size() > 1) {
    throw SqlError(fmt::format("the time column of {} is one column, but DESCRIPTOR lists {}", function,
                               timecol.descriptor_columns.size()),
                   timecol.location, "write DESCRIPTOR(column)");
  }
  int time_column = -1;
  for (size_t i = 0; i < input.plan->schema.size(); ++i) {
    if (input.plan->schema[i].name == timecol.descriptor) time_column = static_cast<int>(i);
  }
  if (time_column < 0) {
    std::vector<std::string> names;
    for (const auto& field : input.plan->schema) names.push_back(field.name);
    throw SqlError(fmt::format("column '{}' not found", timecol.descriptor), timecol.location,
                   DidYouMean(timecol.descriptor, names));
  }
  const bool proctime = input.plan->schema[time_column].proctime;
  if (!input.plan->schema[time_column].rowtime_attribute && !proctime) {
    throw SqlError(fmt::format("the time column of {} must be a time attribute, and '{}' is not one", function,
                               timecol.descriptor),
                   timecol.location,
                   "use `$rowtime`, the column of the table's WATERMARK clause or a column declared AS PROCTIME()");
  }

  auto node = NewNode(PlanKind::kWindowTvf, relation.location);
  node->window_function = function;
  node->time_column = time_column;
  if (function == "SESSION") {
    for (const std::string& key : data.partition_by) {
      int column = -1;
      for (size_t i = 0; i < input.plan->schema.size(); ++i) {
        if (input.plan->schema[i].name == key) column = static_cast<int>(i);
      }
      if (column < 0) {
        std::vector<std::string> names;
        for (const auto& field : input.plan->schema) names.push_back(field.name);
        throw SqlError(fmt::format("PARTITION BY column '{}' not found", key), data.location, DidYouMean(key, names));
      }
      node->partition_columns.push_back(column);
    }
    node->window_size = interval("GAP");
    if (node->window_size <= 0) throw SqlError("SESSION needs a positive GAP", relation.location);
  } else {
    node->window_size = interval("SIZE");
  }
  if (function == "HOP" || function == "CUMULATE") {
    node->window_slide = interval(function == "HOP" ? "SLIDE" : "STEP");
  }
  if (args.count("OFFSET")) node->window_offset = interval("OFFSET");
  if (function != "SESSION" && (node->window_size <= 0 || (function != "TUMBLE" && node->window_slide <= 0))) {
    throw SqlError(fmt::format("{} needs positive intervals", function), relation.location);
  }
  if (function == "CUMULATE" && node->window_size % node->window_slide != 0) {
    throw SqlError("the SIZE of CUMULATE must be a multiple of its STEP", relation.location);
  }
  node->inputs = {input.plan};
  node->schema = input.plan->schema;
  // As in Flink, window_time becomes the time attribute and the input's time
  // columns turn into plain timestamps.
  for (auto& field : node->schema) {
    field.rowtime_attribute = false;
    field.proctime = false;
  }
  node->insert_only = true;
  node->proctime_windows = proctime;
  DataType bound = DataType::Timestamp(3, false, false);
  PlanField start{"window_start", bound};
  start.window_column = 1;
  start.proctime = proctime;
  PlanField end{"window_end", bound};
  end.window_column = 2;
  end.proctime = proctime;
  PlanField time{"window_time", input.plan->schema[time_column].type.WithNullable(false)};
  time.window_column = 3;
  time.rowtime_attribute = !proctime;
  time.proctime = proctime;
  node->schema.insert(node->schema.end(), {start, end, time});
  std::string qualifier = relation.alias.empty() ? data.table_name.back() : relation.alias;
  return BoundRelation{node, Scope::FromPlan(*node, qualifier)};
}

void QueryBinder::BindTemporalJoin(const ast::JoinClause& join, const BoundRelation& left,
                                   const BoundRelation& right, PlanNode& node) {
  const ast::Relation& versioned = *join.right;
  ExprPtr as_of = BindScalar(*versioned.as_of, left.scope);
  if (as_of->kind == ExprKind::kInputRef && left.scope.columns[as_of->index].proctime) {
    BindProcessingTimeTemporalJoin(join, as_of->index, right, node);
    return;
  }
  if (as_of->kind != ExprKind::kInputRef || !left.scope.columns[as_of->index].rowtime_attribute) {
    throw NotSupportedError("FOR SYSTEM_TIME AS OF supports only an event-time attribute of the left input yet",
                            versioned.as_of->location,
                            "write FOR SYSTEM_TIME AS OF o.`$rowtime` or the left table's watermark column");
  }
  if (right.plan->kind != PlanKind::kScan || right.plan->table->primary_key.empty()) {
    throw SqlError(fmt::format("the right side of FOR SYSTEM_TIME AS OF must be a versioned table, with a primary key "
                               "and event time, and {} is not",
                               ast::JoinName(versioned.table_name)),
                   versioned.location, "declare PRIMARY KEY (...) NOT ENFORCED on it");
  }
  if (!left.plan->insert_only) {
    throw NotSupportedError("an event-time temporal join of an updating left input is not supported yet",
                            join.location, "join from an append-only table");
  }
  const TableDefinition& table = *right.plan->table;
  for (int key : table.PrimaryKeyIndexes()) {
    if (std::find(node.right_keys.begin(), node.right_keys.end(), key) == node.right_keys.end()) {
      throw SqlError(fmt::format("a temporal join must use every primary key column of {}; '{}' is missing",
                                 table.name, table.columns[key].name),
                     join.on->location, fmt::format("add AND ... = {}.{}", versioned.alias.empty() ? table.name : versioned.alias,
                                                    table.columns[key].name));
    }
  }
  node.kind = PlanKind::kTemporalJoin;
  node.left_time = as_of->index;
  node.right_time = table.rowtime_column;
}

void QueryBinder::BindProcessingTimeTemporalJoin(const ast::JoinClause& join, int as_of_column,
                                                 const BoundRelation& right, PlanNode& node) {
  const ast::Relation& versioned = *join.right;
  std::string name = versioned.alias.empty() ? ast::JoinName(versioned.table_name) : versioned.alias;
  // The operator keeps one row per join key, so the right side's upsert key
  // must be among the join keys. A primary key, a deduplicating view and a
  // GROUP BY all give one.
  DeriveUpsertKeys(*right.plan);
  const std::optional<std::vector<int>>& key = right.plan->upsert_key;
  if (!key) {
    throw SqlError(fmt::format("the right side of a processing-time temporal join must have a primary key, and {} "
                               "has none",
                               ast::JoinName(versioned.table_name)),
                   versioned.location,
                   "declare PRIMARY KEY (...) NOT ENFORCED on the table, or join a view that keeps one row per key, "
                   "such as a deduplication");
  }
  for (int column : *key) {
    if (std::find(node.right_keys.begin(), node.right_keys.end(), column) == node.right_keys.end()) {
      const std::string& column_name = right.plan->schema[static_cast<size_t>(column)].name;
      throw SqlError(fmt::format("a temporal join must use every primary key column of {}; '{}' is missing",
                                 ast::JoinName(versioned.table_name), column_name),
                     join.on->location, fmt::format("add AND ... = {}.{}", name, column_name));
    }
  }
  node.kind = PlanKind::kTemporalJoin;
  node.left_time = as_of_column;
  node.right_time = -1;
}

BoundRelation QueryBinder::BindUnnest(const BoundRelation& left, const ast::Relation& unnest, bool keep_empty) {
  if (unnest.unnest_args.size() != 1) {
    throw NotSupportedError("UNNEST of several collections at once is not supported yet", unnest.location,
                            "unnest one collection per CROSS JOIN UNNEST");
  }
  const ast::Expr& argument = *unnest.unnest_args[0];
  ExprPtr collection = BindScalar(argument, left.scope);
  const DataType& type = collection->type;
  // The columns each element becomes, with Flink's names when no alias names them.
  std::vector<PlanField> columns;
  if (type.id == TypeId::kArray && type.children[0].id == TypeId::kRow) {
    for (const RowField& field : type.children[0].fields) columns.push_back(PlanField{field.name, field.type});
  } else if (type.id == TypeId::kArray || type.id == TypeId::kMultiset) {
    columns.push_back(PlanField{"f0", type.children[0]});
  } else if (type.id == TypeId::kMap) {
    columns.push_back(PlanField{"f0", type.children[0]});
    columns.push_back(PlanField{"f1", type.children[1]});
  } else {
    throw SqlError(fmt::format("UNNEST expects an ARRAY, MAP or MULTISET, got {}", type.ToString()),
                   argument.location, "unnest a collection column");
  }
  if (unnest.with_ordinality) columns.push_back(PlanField{"ordinality", DataType::Of(TypeId::kInt, false)});
  // A row without elements is padded with NULLs under LEFT JOIN.
  if (keep_empty) {
    for (auto& column : columns) column.type.nullable = true;
  }
  if (!unnest.column_aliases.empty()) {
    if (unnest.column_aliases.size() != columns.size()) {
      throw SqlError(fmt::format("UNNEST gives {} columns but the alias names {}", columns.size(),
                                 unnest.column_aliases.size()),
                     unnest.location,
                     fmt::format("name each column: AS {} ({})", unnest.alias.empty() ? "t" : unnest.alias,
                                 fmt::join(std::vector<std::string>(columns.size(), "..."), ", ")));
    }
    for (size_t i = 0; i < columns.size(); ++i) columns[i].name = unnest.column_aliases[i];
  }
  auto node = NewNode(PlanKind::kUnnest, unnest.location);
  node->inputs = {left.plan};
  node->unnest = collection;
  node->with_ordinality = unnest.with_ordinality;
  node->keep_empty = keep_empty;
  node->schema = left.plan->schema;
  node->schema.insert(node->schema.end(), columns.begin(), columns.end());
  PlanNode element_columns;
  element_columns.schema = columns;
  Scope scope = Scope::Concat(left.scope, Scope::FromPlan(element_columns, unnest.alias));
  return BoundRelation{node, scope, "", left.joins};
}

BoundRelation QueryBinder::BindJoin(const ast::Relation& relation) {
  BoundRelation left = BindRelation(*relation.left);
  for (const auto& join : relation.joins) {
    if (join.right->kind == ast::RelationKind::kUnnest) {
      // UNNEST reads the row it joins, so only CROSS JOIN and [LEFT] JOIN ... ON TRUE make sense.
      bool on_true = join.on && join.on->kind == ast::ExprKind::kLiteral &&
                     join.on->literal_kind == ast::LiteralKind::kBoolean && join.on->literal == "TRUE";
      bool cross = join.kind == ast::JoinKind::kCross || (join.kind == ast::JoinKind::kInner && on_true);
      bool left_outer = join.kind == ast::JoinKind::kLeft && on_true;
      if (!cross && !left_outer) {
        throw NotSupportedError("UNNEST joins only as CROSS JOIN UNNEST(...) or [LEFT] JOIN UNNEST(...) ON TRUE",
                                join.location, "write CROSS JOIN UNNEST(t.items) AS i (item)");
      }
      left = BindUnnest(left, *join.right, left_outer);
      continue;
    }
    BoundRelation right = BindRelation(*join.right);
    if (join.natural) {
      throw NotSupportedError("NATURAL JOIN is not supported yet", join.location,
                              "write JOIN ... ON left.key = right.key");
    }
    if (join.kind == ast::JoinKind::kCross || (!join.on && join.using_columns.empty())) {
      throw NotSupportedError("joins without an equality condition are not supported yet", join.location,
                              "add ON left.key = right.key");
    }
    if (!join.using_columns.empty()) {
      throw NotSupportedError("JOIN ... USING is not supported yet", join.location, "write ON a.k = b.k");
    }
    Scope combined = Scope::Concat(left.scope, right.scope);
    ExprPtr condition = BindScalar(*join.on, combined);
    if (condition->type.id != TypeId::kBoolean) {
      throw SqlError(fmt::format("join condition must be BOOLEAN, got {}", condition->type.ToString()), join.on->location,
                     "compare a column of each side, e.g. ON a.id = b.id");
    }
    JoinType type = join.kind == ast::JoinKind::kLeft    ? JoinType::kLeft
                    : join.kind == ast::JoinKind::kRight ? JoinType::kRight
                    : join.kind == ast::JoinKind::kFull  ? JoinType::kFull
                                                         : JoinType::kInner;
    bool temporal = join.right->kind == ast::RelationKind::kTable && join.right->as_of;
    left = JoinBound(std::move(left), std::move(right), condition, type, join.location, join.on->location,
                     temporal ? &join : nullptr);
  }
  return left;
}

namespace {

/// Returns the largest input column `expr` reads, or -1 when it reads none.
int MaxColumnRead(const Expr& expr) {
  int max = expr.kind == ExprKind::kInputRef ? expr.index : -1;
  for (const auto& arg : expr.args) max = std::max(max, MaxColumnRead(*arg));
  return max;
}

}  // namespace

BoundRelation QueryBinder::BindCommaJoin(const ast::SelectCore& select, std::vector<ExprPtr>& remaining) {
  std::vector<BoundRelation> items;
  Scope all;
  for (const auto& item : select.from) {
    if (item->kind == ast::RelationKind::kUnnest || item->kind == ast::RelationKind::kLateralTable) {
      // UNNEST and LATERAL TABLE read the item before them; give them their own error.
      if (item->kind == ast::RelationKind::kLateralTable) BindRelation(*item);
      throw NotSupportedError("UNNEST after a comma join of several tables is not supported yet", item->location,
                              "join the tables with JOIN ... ON, then CROSS JOIN UNNEST(...)");
    }
    if (item->kind == ast::RelationKind::kTable && item->as_of) {
      throw NotSupportedError("FOR SYSTEM_TIME AS OF in a comma join is not supported yet", item->location,
                              "write JOIN v FOR SYSTEM_TIME AS OF t.ts ON t.k = v.k");
    }
    items.push_back(BindRelation(*item));
    all = Scope::Concat(all, items.back().scope);
  }
  if (select.where) {
    ExprPtr predicate = BindScalar(*select.where, all);
    if (predicate->type.id != TypeId::kBoolean) {
      throw SqlError(fmt::format("WHERE expects a BOOLEAN condition, got {}", predicate->type.ToString()),
                     select.where->location, "compare the value, e.g. x > 0");
    }
    SplitConjuncts(predicate, remaining);
  }
  // The joined columns keep the order of the FROM items, so a conjunct bound
  // over all of them also reads the first k items of a left-deep join alike.
  BoundRelation joined = std::move(items[0]);
  int width = static_cast<int>(joined.plan->schema.size());
  for (size_t i = 1; i < items.size(); ++i) {
    int right_width = static_cast<int>(items[i].plan->schema.size());
    std::vector<ExprPtr> on, later;
    for (auto& conjunct : remaining) {
      int max = MaxColumnRead(*conjunct);
      (max >= width && max < width + right_width ? on : later).push_back(std::move(conjunct));
    }
    remaining = std::move(later);
    if (on.empty()) {
      throw NotSupportedError("a comma join needs a WHERE condition that compares a column of each side",
                              select.from[i]->location, "add WHERE a.key = b.key, or write JOIN ... ON");
    }
    joined = JoinBound(std::move(joined), std::move(items[i]), CombineConjuncts(on), JoinType::kInner,
                       select.from[i]->location, select.where->location, nullptr);
    width += right_width;
  }
  return joined;
}

BoundRelation QueryBinder::JoinBound(BoundRelation left, BoundRelation right, const ExprPtr& condition, JoinType type,
                                     const SourceLocation& location, const SourceLocation& condition_location,
                                     const ast::JoinClause* temporal_join) {
  Scope combined = Scope::Concat(left.scope, right.scope);
  auto node = NewNode(PlanKind::kJoin, location);
  node->join_type = type;
  int left_width = static_cast<int>(left.plan->schema.size());
  std::vector<ExprPtr> conjuncts, remaining;
  SplitConjuncts(condition, conjuncts);
  for (const auto& conjunct : conjuncts) {
    bool equality = conjunct->kind == ExprKind::kCall && conjunct->function == "=";
    if (equality) {
      const auto& a = conjunct->args[0];
      const auto& b = conjunct->args[1];
      if (a->kind == ExprKind::kInputRef && b->kind == ExprKind::kInputRef) {
        if (a->index < left_width && b->index >= left_width) {
          node->left_keys.push_back(a->index);
          node->right_keys.push_back(b->index - left_width);
          continue;
        }
        if (b->index < left_width && a->index >= left_width) {
          node->left_keys.push_back(b->index);
          node->right_keys.push_back(a->index - left_width);
          continue;
        }
      }
    }
    remaining.push_back(conjunct);
  }
  if (node->left_keys.empty()) {
    throw NotSupportedError("joins need at least one equality between a column of each side", condition_location,
                            "join on columns, e.g. ON t.ACCOUNT_ID = u.ID");
  }
  bool temporal = temporal_join != nullptr;
  if (temporal) BindTemporalJoin(*temporal_join, left, right, *node);
  // Equal window_start and window_end on both sides of append-only inputs make a window join.
  int window_bounds[2][3] = {{-1, -1, -1}, {-1, -1, -1}};  // [side][window column kind]
  for (size_t i = 0; i < node->left_keys.size(); ++i) {
    int kind = left.scope.columns[node->left_keys[i]].window_column;
    if (kind != 1 && kind != 2) continue;
    if (right.scope.columns[node->right_keys[i]].window_column != kind) continue;
    window_bounds[0][kind] = node->left_keys[i];
    window_bounds[1][kind] = node->right_keys[i];
  }
  bool windowed = !temporal && left.plan->insert_only && right.plan->insert_only && window_bounds[0][1] >= 0 &&
                  window_bounds[0][2] >= 0;
  if (windowed) {
    node->kind = PlanKind::kWindowJoin;
    node->left_time = window_bounds[0][2];
    node->right_time = window_bounds[1][2];
  }
  bool interval = !temporal && !windowed && left.plan->insert_only && right.plan->insert_only &&
                  ExtractTimeBounds(remaining, *node, left.scope, right.scope, left_width);
  bool right_outer = node->join_type == JoinType::kRight || node->join_type == JoinType::kFull;
  if (temporal && right_outer) {
    throw NotSupportedError("temporal joins support only INNER and LEFT OUTER", location,
                            "use INNER or LEFT; the versioned table is always the right side");
  }
  node->join_condition = CombineConjuncts(remaining);
  for (const auto& field : left.plan->schema) {
    PlanField out = field;
    // A regular join materialises time attributes, as in Flink; interval and
    // temporal joins keep the left ones, and a window join its window bounds.
    out.rowtime_attribute = (interval || temporal) && field.rowtime_attribute;
    if (!windowed) out.window_column = 0;
    if (right_outer) out.type.nullable = true;
    node->schema.push_back(out);
  }
  for (const auto& field : right.plan->schema) {
    PlanField out = field;
    out.rowtime_attribute = interval && field.rowtime_attribute;
    if (!windowed) out.window_column = 0;
    if (node->join_type == JoinType::kLeft || node->join_type == JoinType::kFull) out.type.nullable = true;
    node->schema.push_back(out);
  }
  node->inputs = {left.plan, right.plan};
  std::vector<HintedJoin> joins = std::move(left.joins);
  joins.insert(joins.end(), right.joins.begin(), right.joins.end());
  joins.push_back(HintedJoin{node.get(), {left.hint_name, right.hint_name}});
  BoundRelation joined{node, combined, "", std::move(joins)};
  for (size_t i = 0; i < joined.scope.columns.size(); ++i) {
    joined.scope.columns[i].type = node->schema[i].type;  // the nullable side of an outer join
    joined.scope.columns[i].rowtime_attribute = node->schema[i].rowtime_attribute;
    joined.scope.columns[i].window_column = node->schema[i].window_column;
  }
  return joined;
}

namespace {

/// Identifies a window by its text, so that two OVER clauses spelling out
/// the same window count as one, as in Flink.
std::string WindowKey(const ast::WindowSpec& spec) {
  std::string key = "PARTITION BY";
  for (const auto& e : spec.partition_by) key += " " + e->text + ",";
  key += " ORDER BY";
  for (const auto& item : spec.order_by) {
    key += fmt::format(" {} {} {},", item.expr->text, item.descending ? "DESC" : "ASC",
                       item.nulls_first ? (*item.nulls_first ? "NULLS FIRST" : "NULLS LAST") : "");
  }
  if (spec.has_frame) {
    auto bound = [](const ast::FrameBound& b) {
      return fmt::format("{}:{}", static_cast<int>(b.kind), b.offset ? b.offset->text : "");
    };
    key += fmt::format(" {} {} {}", spec.rows_frame ? "ROWS" : "RANGE", bound(spec.frame_start), bound(spec.frame_end));
  }
  return key;
}

}  // namespace

const ast::WindowSpec& QueryBinder::ResolveWindow(const ast::Expr& call, const ast::SelectCore& select) {
  std::string name = call.over ? call.over->base_window : call.over_window_name;
  if (call.over && name.empty()) return *call.over;
  for (const auto& window : select.windows) {
    if (window.name == name) {
      if (call.over && (!call.over->partition_by.empty() || !call.over->order_by.empty() || call.over->has_frame)) {
        throw NotSupportedError("refining a named window inside OVER (...) is not supported yet", call.location,
                                fmt::format("write OVER {}", name));
      }
      return *window.spec;
    }
  }
  std::vector<std::string> names;
  for (const auto& window : select.windows) names.push_back(window.name);
  throw SqlError(fmt::format("window '{}' is not defined", name), call.location,
                 names.empty() ? "define it with WINDOW " + name + " AS (...) after WHERE" : DidYouMean(name, names));
}

ExprPtr QueryBinder::BindOverCall(const ast::Expr& call, OverState& state) {
  const ast::WindowSpec& spec = ResolveWindow(call, *state.select);
  const Scope& scope = *state.scope;
  bool row_number = call.name == "ROW_NUMBER";
  if (call.name == "RANK" || call.name == "DENSE_RANK") {
    throw NotSupportedError(fmt::format("{}() is not supported yet", call.name), call.location,
                            "use ROW_NUMBER() for Top-N and deduplication");
  }
  std::string window_text = WindowKey(spec);
  if (state.node && state.window_text != window_text) {
    throw NotSupportedError("OVER aggregates over different windows in one SELECT are not supported", call.location,
                            "use one named WINDOW for every aggregate of this SELECT, as Flink requires");
  }
  if (state.node && ((state.node->kind == PlanKind::kRowNumber) != row_number)) {
    throw NotSupportedError("ROW_NUMBER() and OVER aggregates in one SELECT are not supported yet", call.location,
                            "compute them in separate subqueries");
  }
  if (!state.node) {
    auto node = NewNode(row_number ? PlanKind::kRowNumber : PlanKind::kOverAggregate, call.location);
    for (const auto& key : spec.partition_by) {
      ExprPtr bound = BindScalar(*key, scope);
      if (bound->kind != ExprKind::kInputRef) {
        throw NotSupportedError("PARTITION BY supports only column references so far", key->location,
                                "compute the key in a subquery and partition by its column");
      }
      node->partition_columns.push_back(bound->index);
    }
    if (spec.order_by.size() != 1) {
      throw SqlError("OVER windows need exactly one ORDER BY column", spec.location,
                     "order by the time attribute, e.g. ORDER BY `$rowtime`");
    }
    ExprPtr order = BindScalar(*spec.order_by[0].expr, scope);
    if (order->kind != ExprKind::kInputRef) {
      throw NotSupportedError("ORDER BY in OVER supports only a column", spec.order_by[0].expr->location);
    }
    node->order_column = order->index;
    node->order_descending = spec.order_by[0].descending;
    if (!row_number) {
      const Scope::Entry& order_entry = scope.columns[order->index];
      bool proctime = order_entry.proctime && order_entry.window_column != 1 && order_entry.window_column != 2;
      if (!order_entry.rowtime_attribute && !proctime) {
        throw SqlError(fmt::format("OVER windows must be ordered by a time attribute, and '{}' is not one",
                                   spec.order_by[0].expr->text),
                       spec.order_by[0].expr->location,
                       "order by `$rowtime`, the column of the table's WATERMARK clause or a column declared AS "
                       "PROCTIME(); a regular join turns time attributes into plain timestamps");
      }
      if (node->order_descending) {
        throw SqlError("OVER aggregates must be ordered ascending by time", spec.order_by[0].expr->location);
      }
      node->unbounded_preceding = true;
      if (spec.has_frame) {
        node->rows_frame = spec.rows_frame;
        if (spec.frame_end.kind != ast::FrameBoundKind::kCurrentRow &&
            !(spec.frame_start.kind == ast::FrameBoundKind::kCurrentRow)) {
          throw NotSupportedError("OVER frames must end at CURRENT ROW", spec.location,
                                  "Flink supports only frames ending at the current row");
        }
        if (spec.frame_start.kind == ast::FrameBoundKind::kPreceding) {
          node->unbounded_preceding = false;
          const ast::Expr& offset = *spec.frame_start.offset;
          if (spec.rows_frame) {
            if (offset.kind != ast::ExprKind::kLiteral || offset.literal_kind != ast::LiteralKind::kInteger) {
              throw SqlError("ROWS frames need an integer offset", offset.location, "e.g. ROWS BETWEEN 10 PRECEDING AND CURRENT ROW");
            }
            node->preceding = std::stoll(offset.literal);
          } else {
            if (offset.kind != ast::ExprKind::kInterval) {
              throw SqlError("RANGE frames over time need an interval offset", offset.location,
                             "e.g. RANGE BETWEEN INTERVAL '10' MINUTE PRECEDING AND CURRENT ROW");
            }
            node->preceding = IntervalMillis(offset);
          }
        } else if (spec.frame_start.kind == ast::FrameBoundKind::kCurrentRow) {
          node->unbounded_preceding = false;
          node->preceding = 0;
        } else if (spec.frame_start.kind != ast::FrameBoundKind::kUnboundedPreceding) {
          throw NotSupportedError("OVER frames must start at a PRECEDING bound or CURRENT ROW", spec.location);
        }
      }
    }
    node->inputs = {state.input};
    node->schema = state.input->schema;
    node->insert_only = state.input->insert_only;
    state.node = node;
    state.window_text = window_text;
  }

  PlanNode& node = *state.node;
  int column = static_cast<int>(node.schema.size());
  if (row_number) {
    if (!call.children.empty()) throw SqlError("ROW_NUMBER() takes no arguments", call.location);
    DataType type = DataType::Of(TypeId::kBigInt, false);
    node.schema.push_back(PlanField{"ROW_NUMBER", type});
    return Expr::InputRef(column, type);
  }
  if (call.distinct || call.filter) {
    throw NotSupportedError("DISTINCT and FILTER in OVER aggregates are not supported yet", call.location);
  }
  AggregateCall aggregate = BindAggregateCall(call, scope);
  node.aggregates.push_back(aggregate);
  node.schema.push_back(PlanField{call.name, aggregate.type});
  return Expr::InputRef(column, aggregate.type);
}


bool ContainsPlainAggregate(const ast::Expr& expr) {
  if (expr.kind == ast::ExprKind::kFunction && !expr.over && expr.over_window_name.empty() &&
      IsAggregateFunctionName(expr.name)) {
    return true;
  }
  for (const auto& child : expr.children) {
    if (ContainsPlainAggregate(*child)) return true;
  }
  return false;
}

bool HasPlainAggregate(const ast::SelectCore& select) {
  for (const auto& item : select.items) {
    if (item.expr && ContainsPlainAggregate(*item.expr)) return true;
  }
  return false;
}

// Input references of the aggregate binder's output: values at or above this
// mark stand for aggregate results until RewriteGrouped maps them.
constexpr int kAggregateMark = 1 << 24;

/// Rewrites an expression bound over the aggregation's input into one over its
/// output: group-key expressions become key columns and aggregate marks become
/// aggregate columns. A column outside both is an error.
ExprPtr RewriteGrouped(const ExprPtr& expr, const std::vector<ExprPtr>& keys, const Scope& scope,
                       const SourceLocation& location) {
  std::string text = expr->ToString();
  for (size_t i = 0; i < keys.size(); ++i) {
    if (keys[i]->ToString() == text) return Expr::InputRef(static_cast<int>(i), keys[i]->type);
  }
  if (expr->kind == ExprKind::kInputRef) {
    if (expr->index >= kAggregateMark) {
      return Expr::InputRef(static_cast<int>(keys.size()) + expr->index - kAggregateMark, expr->type);
    }
    const std::string& name = scope.columns.at(static_cast<size_t>(expr->index)).name;
    throw SqlError(fmt::format("column '{}' must appear in GROUP BY or inside an aggregate function", name), location,
                   fmt::format("add {} to GROUP BY, or use MIN({}) or MAX({})", name, name, name));
  }
  if (expr->args.empty()) return expr;
  auto copy = std::make_shared<Expr>(*expr);
  for (auto& arg : copy->args) arg = RewriteGrouped(arg, keys, scope, location);
  return copy;
}

/// True when `expr` reads input column `column`.
bool ReadsColumn(const Expr& expr, int column) {
  if (expr.kind == ExprKind::kInputRef && expr.index == column) return true;
  for (const auto& arg : expr.args) {
    if (ReadsColumn(*arg, column)) return true;
  }
  return false;
}

/// A rank node made from ROW_NUMBER, and the column of `input` that carries its number.
struct ExtractedRank {
  PlanNode* node = nullptr;
  int column = -1;
};

/// Replaces ROW_NUMBER with a rank node when one of `conjuncts` bounds its column:
/// `rn = 1`, `rn <= N` or `rn < N`. Returns the conjuncts that remain.
std::vector<ExprPtr> ExtractRank(PlanPtr& input, std::vector<ExprPtr> conjuncts, ExtractedRank& extracted) {
  // The row number column as `input` outputs it, and the node computing it.
  PlanNode* row_number = nullptr;
  int exposed = -1;
  if (input->kind == PlanKind::kRowNumber) {
    row_number = input.get();
    exposed = static_cast<int>(input->schema.size()) - 1;
  } else if (input->kind == PlanKind::kCalc && !input->filter && input->inputs[0]->kind == PlanKind::kRowNumber) {
    row_number = input->inputs[0].get();
    int source = static_cast<int>(row_number->schema.size()) - 1;
    for (size_t i = 0; i < input->projections.size(); ++i) {
      const auto& p = input->projections[i];
      if (p->kind == ExprKind::kInputRef && p->index == source) exposed = static_cast<int>(i);
    }
  }
  if (!row_number || exposed < 0) return conjuncts;
  std::vector<ExprPtr> remaining;
  std::optional<int64_t> limit;
  for (const auto& conjunct : conjuncts) {
    int64_t bound = 0;
    bool matched = false;
    if (conjunct->kind == ExprKind::kCall && conjunct->args.size() == 2) {
      const auto& a = conjunct->args[0];
      const auto& b = conjunct->args[1];
      auto literal_int = [](const ExprPtr& e, int64_t& out) {
        const Expr* inner = e.get();
        if (inner->kind == ExprKind::kCast) inner = inner->args[0].get();
        if (inner->kind != ExprKind::kLiteral || !inner->literal.is_int()) return false;
        out = inner->literal.as_int();
        return true;
      };
      auto is_rank = [&](const ExprPtr& e) {
        const Expr* inner = e.get();
        if (inner->kind == ExprKind::kCast) inner = inner->args[0].get();
        return inner->kind == ExprKind::kInputRef && inner->index == exposed;
      };
      int64_t value = 0;
      if (is_rank(a) && literal_int(b, value)) {
        if (conjunct->function == "=" && value == 1) { bound = 1; matched = true; }
        if (conjunct->function == "<=") { bound = value; matched = true; }
        if (conjunct->function == "<") { bound = value - 1; matched = true; }
      }
    }
    if (matched && !limit) {
      limit = bound;
    } else {
      remaining.push_back(conjunct);
    }
  }
  if (!limit) return conjuncts;
  if (*limit < 1) {
    throw SqlError(fmt::format("the row number filter keeps no rows (N = {})", *limit), row_number->location,
                   "filter with `rownum = 1` or `rownum <= N` for N >= 1");
  }
  row_number->kind = PlanKind::kRank;
  extracted.node = row_number;
  extracted.column = exposed;
  row_number->limit = *limit;
  row_number->insert_only = false;
  // Partitioned by both bounds of a window, the ranking is per window and
  // final once the window closes: Flink's window Top-N and deduplication.
  const auto& input_schema = row_number->inputs[0]->schema;
  int window_start = -1;
  int window_end = -1;
  for (int column : row_number->partition_columns) {
    if (input_schema[column].window_column == 1) window_start = column;
    if (input_schema[column].window_column == 2) window_end = column;
  }
  if (window_start >= 0 && window_end >= 0) {
    row_number->window_end_column = window_end;
    row_number->insert_only = true;
  } else if (input_schema[row_number->order_column].is_proctime_attribute()) {
    // The first rows of a key never change, so keeping them emits only inserts.
    row_number->proctime_order = true;
    row_number->insert_only = !row_number->order_descending;
  }
  return remaining;
}

namespace {

void RejectGroupingSets(const ast::SelectCore& select) {
  using Kind = ast::GroupingElement::Kind;
  for (const auto& element : select.grouping_elements) {
    const char* feature = element.kind == Kind::kRollup         ? "ROLLUP"
                          : element.kind == Kind::kCube         ? "CUBE"
                          : element.kind == Kind::kGroupingSets ? "GROUPING SETS"
                          : element.kind == Kind::kEmpty        ? "the empty grouping set ()"
                                                                : "grouping by a parenthesized list";
    if (element.kind == Kind::kExpression && element.exprs.size() == 1) continue;
    throw NotSupportedError(fmt::format("{} is not supported yet", feature), element.location,
                            "write one GROUP BY query per grouping and combine them with UNION ALL");
  }
}

}  // namespace

namespace {

/// One 'name' = 'duration' entry of a STATE_TTL query hint.
struct StateTtlEntry {
  int64_t ttl_ms = 0;
  SourceLocation location;
  bool used = false;
};

/// Reads the STATE_TTL hints of a SELECT and logs the other query hints, which
/// steer Flink's optimizer (join strategy, lookup options) and change nothing in fsql.
std::map<std::string, StateTtlEntry> ReadStateTtlHints(const std::vector<ast::Hint>& hints) {
  std::map<std::string, StateTtlEntry> entries;
  for (const auto& hint : hints) {
    if (hint.name != "STATE_TTL") {
      spdlog::info("query hint {} at {}:{} has no effect in fsql and is ignored", hint.name, hint.location.file,
                   hint.location.line);
      continue;
    }
    if (!hint.arguments.empty() || hint.options.empty()) {
      throw SqlError("STATE_TTL takes 'input' = 'duration' pairs", hint.location,
                     "write /*+ STATE_TTL('orders' = '1d') */ with a table, view or alias this SELECT reads");
    }
    for (const auto& [name, value] : hint.options) {
      std::optional<int64_t> ttl = ParseDurationMillis(value);
      if (!ttl) {
        throw SqlError(fmt::format("invalid duration '{}' for '{}' in STATE_TTL", value, name), hint.location,
                       "write a duration such as '1d', '12 h' or '30 min'");
      }
      entries[name] = StateTtlEntry{*ttl, hint.location};
    }
  }
  return entries;
}

/// Sets the hinted state TTL of `node`'s input `side` when a hint names it.
void ApplyStateTtl(std::map<std::string, StateTtlEntry>& entries, const std::string& name, PlanNode& node,
                   int side) {
  if (name.empty()) return;
  auto it = entries.find(name);
  if (it == entries.end()) return;
  it->second.used = true;
  if (node.kind == PlanKind::kJoin || node.kind == PlanKind::kGroupAggregate) {
    node.state_ttl_hint_ms[side] = it->second.ttl_ms;
  } else {
    // Interval, temporal and window joins and window aggregations drop their
    // state by event time; Flink's STATE_TTL hint does not apply to them either.
    const char* kind = node.kind == PlanKind::kIntervalJoin   ? "an interval join"
                       : node.kind == PlanKind::kTemporalJoin ? "a temporal join"
                       : node.kind == PlanKind::kWindowJoin   ? "a window join"
                                                              : "a window aggregation";
    spdlog::info("STATE_TTL for '{}' at {}:{} has no effect on {}, whose state is cleaned by time", name,
                 it->second.location.file, it->second.location.line, kind);
  }
}

/// Returns the node in `plan` that reads `input` directly, or null.
PlanNode* FindReader(const PlanPtr& plan, const PlanNode* input) {
  for (const auto& child : plan->inputs) {
    if (child.get() == input) return plan.get();
    if (PlanNode* found = FindReader(child, input)) return found;
  }
  return nullptr;
}

/// Rejects hint names that matched no join or aggregation input, as Flink does.
void RejectUnusedStateTtl(const std::map<std::string, StateTtlEntry>& entries, const BoundRelation& from) {
  std::vector<std::string> unused;
  SourceLocation location;
  for (const auto& [name, entry] : entries) {
    if (entry.used) continue;
    if (unused.empty()) location = entry.location;
    unused.push_back(name);
  }
  if (unused.empty()) return;
  std::vector<std::string> names;
  for (const auto& join : from.joins) {
    for (const auto& name : join.input_names) {
      if (!name.empty()) names.push_back(name);
    }
  }
  if (from.joins.empty() && !from.hint_name.empty()) names.push_back(from.hint_name);
  throw SqlError(fmt::format("STATE_TTL names {}, which is not an input of a join or aggregation in this SELECT",
                             fmt::join(unused, ", ")),
                 location,
                 names.empty() ? std::string("STATE_TTL applies to the inputs of a regular join or GROUP BY")
                               : fmt::format("name one of: {}", fmt::join(names, ", ")));
}

}  // namespace

PlanPtr QueryBinder::BindSelect(const ast::SelectCore& select) {
  RejectGroupingSets(select);
  std::map<std::string, StateTtlEntry> state_ttl = ReadStateTtlHints(select.hints);
  bool comma_unnest = select.from.size() == 2 && select.from[1]->kind == ast::RelationKind::kUnnest;
  std::vector<ExprPtr> where_conjuncts;
  BoundRelation from;
  if (select.from.size() > 1 && !comma_unnest) {
    from = BindCommaJoin(select, where_conjuncts);
  } else if (select.from.empty()) {
    // SELECT without FROM reads one row without columns, as VALUES () would.
    auto single_row = NewNode(PlanKind::kValues, select.location);
    single_row->values.emplace_back();
    from = BoundRelation{single_row, Scope{}};
  } else {
    from = BindRelation(*select.from[0]);
  }
  // `FROM t, UNNEST(t.items)` is CROSS JOIN UNNEST.
  if (comma_unnest) from = BindUnnest(from, *select.from[1], false);
  for (const auto& join : from.joins) {
    for (int side = 0; side < 2; ++side) ApplyStateTtl(state_ttl, join.input_names[side], *join.node, side);
  }
  PlanPtr plan = from.plan;
  ExtractedRank rank;

  if (select.where) {
    std::vector<ExprPtr> conjuncts = std::move(where_conjuncts);
    if (select.from.size() <= 1 || comma_unnest) {
      ExprPtr predicate = BindScalar(*select.where, from.scope);
      if (predicate->type.id != TypeId::kBoolean) {
        throw SqlError(fmt::format("WHERE expects a BOOLEAN condition, got {}", predicate->type.ToString()),
                       select.where->location, "compare the value, e.g. x > 0");
      }
      SplitConjuncts(predicate, conjuncts);
    }
    conjuncts = ExtractRank(plan, conjuncts, rank);
    if (ExprPtr remaining = CombineConjuncts(conjuncts)) {
      auto calc = NewNode(PlanKind::kCalc, select.where->location);
      calc->filter = remaining;
      for (size_t i = 0; i < plan->schema.size(); ++i) {
        calc->projections.push_back(Expr::InputRef(static_cast<int>(i), plan->schema[i].type));
      }
      calc->schema = plan->schema;
      calc->inputs = {plan};
      plan = calc;
    }
  }
  if (!select.group_by.empty() || select.having || select.distinct || HasPlainAggregate(select)) {
    PlanPtr grouped = BindGroupedSelect(select, plan, from.scope);
    if (PlanNode* aggregate = FindReader(grouped, plan.get()); aggregate && from.joins.empty()) {
      ApplyStateTtl(state_ttl, from.hint_name, *aggregate, 0);
    }
    RejectUnusedStateTtl(state_ttl, from);
    return grouped;
  }
  RejectUnusedStateTtl(state_ttl, from);

  OverState over;
  over.select = &select;
  over.input = plan;
  over.scope = &from.scope;
  ExpressionBinder binder(from.scope);
  binder.set_over_hook([&](const ast::Expr& call) { return BindOverCall(call, over); });

  auto project = NewNode(PlanKind::kCalc, select.location);
  for (size_t i = 0; i < select.items.size(); ++i) {
    const auto& item = select.items[i];
    if (item.star) {
      for (size_t c = 0; c < from.scope.columns.size(); ++c) {
        const auto& column = from.scope.columns[c];
        if (column.hidden) continue;
        if (!item.star_qualifier.empty() && column.qualifier != item.star_qualifier.back()) continue;
        project->projections.push_back(Expr::InputRef(static_cast<int>(c), column.type));
        PlanField field{column.name, column.type};
        field.rowtime_attribute = column.rowtime_attribute;
        field.window_column = column.window_column;
        field.proctime = column.proctime;
        project->schema.push_back(field);
      }
      continue;
    }
    ExprPtr bound = binder.Bind(*item.expr);
    PlanField field{item.alias.empty() ? ExprName(*item.expr, i) : item.alias, bound->type};
    if (bound->kind == ExprKind::kInputRef && bound->index < static_cast<int>(from.scope.columns.size())) {
      field.rowtime_attribute = from.scope.columns[bound->index].rowtime_attribute;
      field.window_column = from.scope.columns[bound->index].window_column;
      field.proctime = from.scope.columns[bound->index].proctime;
    }
    // As in Flink, a PROCTIME() call in the SELECT list declares a processing-time attribute.
    if (bound->kind == ExprKind::kCall && bound->function == "PROCTIME") field.proctime = true;
    project->projections.push_back(bound);
    project->schema.push_back(field);
  }
  project->inputs = {over.node ? over.node : plan};
  if (rank.node) {
    // Flink emits only entering and leaving rows when the number is not read.
    bool read = false;
    for (const auto& projection : project->projections) read = read || ReadsColumn(*projection, rank.column);
    if (plan->kind == PlanKind::kCalc && plan->filter) read = read || ReadsColumn(*plan->filter, rank.column);
    rank.node->output_rank_number = read;
  }
  return project;
}


PlanPtr QueryBinder::BindGroupedSelect(const ast::SelectCore& select, PlanPtr input, const Scope& scope) {
  auto aggregate = NewNode(PlanKind::kGroupAggregate, select.location);
  aggregate->inputs = {input};
  for (const auto& key : select.group_by) {
    ExprPtr bound = BindScalar(*key, scope);
    PlanField field{key->kind == ast::ExprKind::kColumnRef ? key->name_parts.back()
                                                            : fmt::format("EXPR${}", aggregate->group_keys.size()),
                    bound->type};
    aggregate->group_keys.push_back(bound);
    aggregate->schema.push_back(field);
  }
  if (select.distinct && select.group_by.empty()) {
    // SELECT DISTINCT a, b groups by the selected expressions.
    for (size_t i = 0; i < select.items.size(); ++i) {
      const auto& item = select.items[i];
      if (item.star) {
        throw NotSupportedError("SELECT DISTINCT * is not supported yet", item.location, "list the columns");
      }
      if (ContainsPlainAggregate(*item.expr)) {
        throw NotSupportedError("SELECT DISTINCT with aggregates is not supported yet", item.location);
      }
      ExprPtr bound = BindScalar(*item.expr, scope);
      aggregate->group_keys.push_back(bound);
      aggregate->schema.push_back(PlanField{ExprName(*item.expr, i), bound->type});
    }
  }

  // Grouping by both bounds of a window TVF makes a window aggregation, which
  // emits one final row per window and key once the watermark passes the window.
  int start_key = -1, end_key = -1;
  for (size_t i = 0; i < aggregate->group_keys.size(); ++i) {
    const ExprPtr& key = aggregate->group_keys[i];
    if (key->kind != ExprKind::kInputRef) continue;
    int window_column = scope.columns.at(static_cast<size_t>(key->index)).window_column;
    if (window_column == 1) start_key = static_cast<int>(i);
    if (window_column == 2) end_key = static_cast<int>(i);
  }
  if (start_key >= 0 && end_key >= 0) {
    aggregate->kind = PlanKind::kWindowAggregate;
    aggregate->window_end_key = end_key;
    const ExprPtr& end_ref = aggregate->group_keys[static_cast<size_t>(end_key)];
    aggregate->proctime_windows = scope.columns.at(static_cast<size_t>(end_ref->index)).proctime;
    // The bounds stay window columns, so a window Top-N can rank the result.
    aggregate->schema[start_key].window_column = 1;
    aggregate->schema[end_key].window_column = 2;
  }

  // Aggregate calls of the SELECT list and HAVING; identical calls share one column.
  std::map<std::string, int> seen;
  ExpressionBinder binder(scope);
  binder.set_over_hook([](const ast::Expr& call) -> ExprPtr {
    throw NotSupportedError("OVER aggregates together with GROUP BY are not supported yet", call.location,
                            "compute the OVER aggregate in a subquery");
  });
  binder.set_aggregate_hook([&](const ast::Expr& call) {
    AggregateCall bound = BindAggregateCall(call, scope);
    bound.distinct = call.distinct;
    if (call.filter) {
      bound.filter = BindScalar(*call.filter, scope);
      if (bound.filter->type.id != TypeId::kBoolean) {
        throw SqlError("FILTER (WHERE ...) needs a BOOLEAN condition", call.filter->location);
      }
    }
    std::string signature = fmt::format("{}|{}|{}|{}|{}", bound.function, bound.separator, bound.distinct,
                                        bound.argument ? bound.argument->ToString() : "*",
                                        bound.filter ? bound.filter->ToString() : "");
    auto [it, inserted] = seen.emplace(signature, static_cast<int>(aggregate->aggregates.size()));
    if (inserted) {
      aggregate->aggregates.push_back(bound);
      aggregate->schema.push_back(PlanField{call.name, bound.type});
    }
    return Expr::InputRef(kAggregateMark + it->second, aggregate->aggregates[it->second].type);
  });

  std::vector<ExprPtr> projections;
  std::vector<PlanField> fields;
  for (size_t i = 0; i < select.items.size(); ++i) {
    const auto& item = select.items[i];
    if (item.star) {
      throw SqlError("SELECT * cannot be used with GROUP BY", item.location, "list the grouped columns");
    }
    ExprPtr bound = binder.Bind(*item.expr);
    projections.push_back(bound);
    fields.push_back(PlanField{item.alias.empty() ? ExprName(*item.expr, i) : item.alias, bound->type});
  }
  ExprPtr having;
  if (select.having) {
    having = binder.Bind(*select.having);
    if (having->type.id != TypeId::kBoolean) {
      throw SqlError(fmt::format("HAVING expects a BOOLEAN condition, got {}", having->type.ToString()),
                     select.having->location);
    }
  }
  // Rewrite only after every aggregate is known, because key columns come first.
  for (size_t i = 0; i < projections.size(); ++i) {
    projections[i] = RewriteGrouped(projections[i], aggregate->group_keys, scope, select.items[i].location);
    if (projections[i]->kind == ExprKind::kInputRef &&
        projections[i]->index < static_cast<int>(aggregate->schema.size())) {
      fields[i].window_column = aggregate->schema[projections[i]->index].window_column;
    }
  }
  PlanPtr plan = aggregate;
  if (having) {
    auto filter = NewNode(PlanKind::kCalc, select.having->location);
    filter->filter = RewriteGrouped(having, aggregate->group_keys, scope, select.having->location);
    for (size_t i = 0; i < aggregate->schema.size(); ++i) {
      filter->projections.push_back(Expr::InputRef(static_cast<int>(i), aggregate->schema[i].type));
    }
    filter->schema = aggregate->schema;
    filter->inputs = {aggregate};
    plan = filter;
  }
  auto project = NewNode(PlanKind::kCalc, select.location);
  project->projections = std::move(projections);
  project->schema = std::move(fields);
  project->inputs = {plan};
  return project;
}

}  // namespace

PlanPtr BindQuery(const ast::Query& query, const Catalog& catalog) {
  QueryBinder binder(catalog);
  return binder.BindQuery(query);
}

}  // namespace fsql
