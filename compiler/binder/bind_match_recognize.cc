// Binding of MATCH_RECOGNIZE into a kMatchRecognize plan node.
//
// DEFINE conditions and MEASURES read rows of the match through pattern
// variables (A.price), navigations (FIRST, LAST, PREV), aggregates (SUM(A.x))
// and the functions MATCH_ROWTIME(), MATCH_PROCTIME() and CLASSIFIER(). Each
// such term becomes a MatchNavigation that the operator computes from the
// match, and the expression reads it as a column after the input columns.
#include <algorithm>
#include <map>
#include <set>

#include "compiler/binder/expression_binder.h"

namespace fsql {

namespace {

std::string NavigationColumnName(size_t index) { return fmt::format("$match{}", index); }

/// Binds the expressions of one MATCH_RECOGNIZE and collects their navigations.
class MatchBinder {
 public:
  MatchBinder(const PlanNode& input, MatchRecognizeSpec& spec)
      : spec_(spec), input_scope_(Scope::FromPlan(input, "")) {}

  /// Binds a DEFINE condition or a measure over the current row and the navigations.
  ExprPtr Bind(const ast::Expr& expr) {
    std::unique_ptr<ast::Expr> rewritten = ast::Clone(expr);
    Rewrite(*rewritten);
    Scope scope = input_scope_;
    for (size_t i = 0; i < spec_.navigations.size(); ++i) {
      scope.columns.push_back(Scope::Entry{"", NavigationColumnName(i), spec_.navigations[i].type});
    }
    return BindScalar(*rewritten, scope);
  }

 private:
  int VariableIndex(const std::string& name) const {
    for (size_t i = 0; i < spec_.variables.size(); ++i) {
      if (spec_.variables[i] == name) return static_cast<int>(i);
    }
    return -1;
  }

  bool IsVariableReference(const ast::Expr& expr) const {
    return expr.kind == ast::ExprKind::kColumnRef && expr.name_parts.size() >= 2 &&
           VariableIndex(expr.name_parts[0]) >= 0;
  }

  /// Replaces each term that reads the match with a reference to its navigation column.
  void Rewrite(ast::Expr& expr) {
    if (IsVariableReference(expr)) {
      // A.price is the price of the last row mapped to A, the current row
      // included while A's own condition runs.
      MatchNavigation navigation;
      navigation.kind = MatchNavigation::Kind::kLast;
      navigation.variable = VariableIndex(expr.name_parts[0]);
      auto column = ast::Clone(expr);
      column->name_parts.erase(column->name_parts.begin());
      navigation.argument = BindScalar(*column, input_scope_);
      navigation.type = navigation.argument->type.WithNullable(true);
      ReplaceWithNavigation(expr, std::move(navigation), fmt::format("LAST({})", expr.text));
      return;
    }
    if (expr.kind == ast::ExprKind::kFunction && RewriteCall(expr)) return;
    for (auto& child : expr.children) Rewrite(*child);
    if (expr.filter) Rewrite(*expr.filter);
  }

  /// Rewrites a call that reads the match. Returns false for any other call.
  bool RewriteCall(ast::Expr& call) {
    const std::string& name = call.name;
    if (name == "FIRST" || name == "LAST" || name == "PREV") {
      RewriteOffsetNavigation(call);
      return true;
    }
    if (name == "NEXT") {
      throw NotSupportedError("NEXT is not supported in MATCH_RECOGNIZE, as in Flink", call.location,
                              "put the condition on the later variable and compare with PREV there");
    }
    if (name == "MATCH_NUMBER") {
      throw NotSupportedError("MATCH_NUMBER() is not supported yet", call.location,
                              "use MATCH_ROWTIME() or FIRST(...) of a unique column to identify a match");
    }
    if (name == "MATCH_ROWTIME" || name == "MATCH_PROCTIME" || name == "CLASSIFIER") {
      RewriteMatchFunction(call);
      return true;
    }
    if (IsAggregateFunctionName(name)) {
      RewriteAggregate(call);
      return true;
    }
    return false;
  }

  /// Rewrites FIRST(A.x [, n]), LAST(A.x [, n]) or PREV(A.x [, n]).
  void RewriteOffsetNavigation(ast::Expr& call) {
    const std::string& name = call.name;
    if (call.children.empty() || call.children.size() > 2 || call.star) {
      throw SqlError(fmt::format("{} takes a column and an optional offset", name), call.location,
                     fmt::format("write {}(A.price) or {}(A.price, 1)", name, name));
    }
    MatchNavigation navigation;
    navigation.kind = name == "FIRST"  ? MatchNavigation::Kind::kFirst
                      : name == "LAST" ? MatchNavigation::Kind::kLast
                                       : MatchNavigation::Kind::kPrev;
    navigation.offset = name == "PREV" ? 1 : 0;
    if (call.children.size() == 2) {
      const ast::Expr& offset = *call.children[1];
      if (offset.kind != ast::ExprKind::kLiteral || offset.literal_kind != ast::LiteralKind::kInteger) {
        throw SqlError(fmt::format("the offset of {} must be an integer literal", name), offset.location,
                       fmt::format("write {}(A.price, 1)", name));
      }
      navigation.offset = std::stoll(offset.literal);
    }
    auto argument = ast::Clone(*call.children[0]);
    navigation.variable = StripVariable(*argument, call);
    navigation.argument = BindScalar(*argument, input_scope_);
    navigation.type = navigation.argument->type.WithNullable(true);
    ReplaceWithNavigation(call, std::move(navigation), call.text);
  }

  void RewriteMatchFunction(ast::Expr& call) {
    const std::string& name = call.name;
    MatchNavigation navigation;
    if (name == "MATCH_ROWTIME" && call.children.size() == 1) {
      // Flink takes the time attribute as an optional argument, to type the result.
      ExprPtr column = BindScalar(*call.children[0], input_scope_);
      if (column->kind != ExprKind::kInputRef || column->index != spec_.time_column) {
        throw SqlError("MATCH_ROWTIME takes only the time attribute of the ORDER BY", call.children[0]->location,
                       "write MATCH_ROWTIME()");
      }
    } else if (!call.children.empty() || call.star) {
      throw SqlError(fmt::format("{}() takes no arguments", name), call.location, fmt::format("write {}()", name));
    }
    if (name == "MATCH_ROWTIME") {
      navigation.kind = MatchNavigation::Kind::kMatchRowtime;
      navigation.type = spec_.input_types[static_cast<size_t>(spec_.time_column)].WithNullable(false);
    } else if (name == "MATCH_PROCTIME") {
      navigation.kind = MatchNavigation::Kind::kProctime;
      navigation.type = DataType::Of(TypeId::kTimestampLtz, false);
      navigation.type.precision = 3;
    } else {
      navigation.kind = MatchNavigation::Kind::kClassifier;
      navigation.type = DataType::Of(TypeId::kString, false);
    }
    ReplaceWithNavigation(call, std::move(navigation), name + "()");
  }

  /// Rewrites an aggregate such as SUM(A.x), COUNT(*) or AVG(A.x * A.y), which
  /// runs over the rows of one variable, or over all rows of the match.
  void RewriteAggregate(ast::Expr& call) {
    if (call.distinct) {
      throw NotSupportedError(fmt::format("{}(DISTINCT ...) is not supported in MATCH_RECOGNIZE, as in Flink",
                                          call.name),
                              call.location, "drop DISTINCT");
    }
    if (call.filter) {
      throw NotSupportedError("FILTER on an aggregate is not supported in MATCH_RECOGNIZE", call.filter->location,
                              "put the condition into the argument, e.g. SUM(CASE WHEN ... THEN A.x END)");
    }
    if (call.over || !call.over_window_name.empty()) {
      throw SqlError(fmt::format("{} OVER is not allowed in MATCH_RECOGNIZE", call.name), call.location,
                     "aggregate over a pattern variable, e.g. SUM(A.amount)");
    }

    auto stripped = ast::Clone(call);
    int variable = -1;
    if (!stripped->children.empty()) {
      variable = StripVariable(*stripped->children[0], call);
      for (size_t i = 1; i < stripped->children.size(); ++i) StripVariable(*stripped->children[i], call);
    }

    AggregateCall aggregate = BindAggregateCall(*stripped, input_scope_);

    MatchNavigation navigation;
    navigation.kind = MatchNavigation::Kind::kAggregate;
    navigation.variable = variable;
    navigation.argument = aggregate.argument;
    navigation.type = aggregate.type;
    navigation.aggregate.function = aggregate.function;
    navigation.aggregate.type = aggregate.type;
    navigation.aggregate.counts_rows = aggregate.argument == nullptr;
    navigation.aggregate.separator = aggregate.separator;
    ReplaceWithNavigation(call, std::move(navigation), call.text);
  }

  /// Removes the pattern variable from the column references of `argument`,
  /// which must name at most one variable, and returns it (-1 for none:
  /// every row of the match).
  int StripVariable(ast::Expr& argument, const ast::Expr& call) {
    std::set<std::string> variables;
    bool unqualified = false;
    std::vector<ast::Expr*> stack{&argument};
    while (!stack.empty()) {
      ast::Expr* e = stack.back();
      stack.pop_back();
      if (e->kind == ast::ExprKind::kFunction &&
          (e->name == "FIRST" || e->name == "LAST" || e->name == "PREV" || e->name == "NEXT" ||
           IsAggregateFunctionName(e->name))) {
        throw SqlError(fmt::format("{} cannot be nested inside {}", e->name, call.name), e->location,
                       "navigate or aggregate over a column of a pattern variable, e.g. LAST(A.price)");
      }
      if (IsVariableReference(*e)) {
        variables.insert(e->name_parts[0]);
        e->name_parts.erase(e->name_parts.begin());
        continue;
      }
      if (e->kind == ast::ExprKind::kColumnRef) unqualified = true;
      for (auto& child : e->children) stack.push_back(child.get());
    }
    if (variables.size() > 1 || (variables.size() == 1 && unqualified)) {
      throw NotSupportedError(fmt::format("{} may read only one pattern variable, as in Flink", call.name),
                              call.location,
                              "compute the value per variable, e.g. SUM(A.price) + SUM(B.price), or qualify "
                              "every column with the same variable");
    }
    return variables.empty() ? -1 : VariableIndex(*variables.begin());
  }

  /// Records `navigation`, sharing an equal one, and turns `expr` into a reference to it.
  void ReplaceWithNavigation(ast::Expr& expr, MatchNavigation navigation, std::string text) {
    std::string key = fmt::format("{}|{}|{}|{}|{}", static_cast<int>(navigation.kind), navigation.variable,
                                  navigation.offset, navigation.aggregate.function,
                                  navigation.argument ? navigation.argument->ToString() : "");
    auto [it, inserted] = keys_.emplace(key, static_cast<int>(spec_.navigations.size()));
    if (inserted) spec_.navigations.push_back(std::move(navigation));
    SourceLocation location = expr.location;
    expr = ast::Expr{};
    expr.kind = ast::ExprKind::kColumnRef;
    expr.location = location;
    expr.text = text;
    expr.name_parts = {NavigationColumnName(static_cast<size_t>(it->second))};
  }

  MatchRecognizeSpec& spec_;
  Scope input_scope_;
  std::map<std::string, int> keys_;  // a description of each navigation, to share equal ones
};

/// Returns the variables of `term` when it is one variable or an alternation
/// of single variables, such as A or (A | B), without quantifiers inside.
/// Returns an empty list for other terms.
std::vector<const ast::PatternTerm*> AlternativeVariables(const ast::PatternTerm& term) {
  using Kind = ast::PatternTerm::Kind;
  if (term.kind == Kind::kVariable) return {&term};
  const ast::PatternTerm* inner = &term;
  if (term.kind == Kind::kGroup) inner = &term.children[0];
  if (inner->kind == Kind::kVariable && inner->min == 1 && inner->max == 1 && !inner->reluctant) return {inner};
  if (inner->kind != Kind::kAlternation) return {};
  std::vector<const ast::PatternTerm*> variables;
  for (const auto& child : inner->children) {
    if (child.kind != Kind::kVariable || child.min != 1 || child.max != 1 || child.reluctant) return {};
    variables.push_back(&child);
  }
  return variables;
}

/// Flattens the pattern into factors, collecting the variables in order of appearance.
void BindPattern(const ast::PatternTerm& pattern, MatchRecognizeSpec& spec) {
  using Kind = ast::PatternTerm::Kind;
  std::vector<const ast::PatternTerm*> factors;
  if (pattern.kind == Kind::kSequence) {
    for (const auto& child : pattern.children) factors.push_back(&child);
  } else {
    factors.push_back(&pattern);
  }
  for (const ast::PatternTerm* factor : factors) {
    std::vector<const ast::PatternTerm*> alternatives = AlternativeVariables(*factor);
    if (alternatives.empty()) {
      throw NotSupportedError("only single variables may be grouped or alternated in a MATCH_RECOGNIZE pattern yet",
                              factor->location,
                              "alternate single variables, e.g. PATTERN (A (B | C)+ D), or write one query per "
                              "alternative and combine them with UNION ALL");
    }
    if (factor->max == 0) {
      throw SqlError(fmt::format("the quantifier of {} allows no row", alternatives[0]->variable), factor->location,
                     "remove the variable from the pattern, or allow at least one row");
    }
    MatchPatternFactor bound{{}, factor->min, factor->max, factor->reluctant};
    for (const ast::PatternTerm* alternative : alternatives) {
      auto found = std::find(spec.variables.begin(), spec.variables.end(), alternative->variable);
      int variable = static_cast<int>(found - spec.variables.begin());
      if (found == spec.variables.end()) spec.variables.push_back(alternative->variable);
      if (std::find(bound.variables.begin(), bound.variables.end(), variable) != bound.variables.end()) {
        throw SqlError(fmt::format("the alternation names {} twice", alternative->variable), alternative->location,
                       "name each variable once per alternation");
      }
      bound.variables.push_back(variable);
    }
    spec.pattern.push_back(std::move(bound));
  }
  bool matches_rows = std::any_of(spec.pattern.begin(), spec.pattern.end(),
                                  [](const MatchPatternFactor& f) { return f.min > 0; });
  if (!matches_rows) {
    throw SqlError("the pattern can match zero rows", pattern.location,
                   "require at least one row, e.g. A+ in place of A*");
  }
}

void BindOrder(const ast::MatchRecognize& match, const PlanNode& input, const Scope& scope, MatchRecognizeSpec& spec) {
  if (match.order_by.empty()) {
    throw SqlError("MATCH_RECOGNIZE needs ORDER BY its input's time attribute", match.location,
                   "add ORDER BY `$rowtime`, or the column of the table's WATERMARK clause");
  }
  const ast::SortItem& first = match.order_by[0];
  ExprPtr time = BindScalar(*first.expr, scope);
  if (time->kind != ExprKind::kInputRef || !input.schema[static_cast<size_t>(time->index)].rowtime_attribute) {
    throw SqlError(fmt::format("MATCH_RECOGNIZE must be ordered first by a time attribute, and '{}' is not one",
                               first.expr->text),
                   first.expr->location,
                   "order by `$rowtime` or the column of the table's WATERMARK clause first");
  }
  if (first.descending) {
    throw SqlError("MATCH_RECOGNIZE must be ordered by time ascending", first.expr->location,
                   fmt::format("write ORDER BY {} ASC", first.expr->text));
  }
  spec.time_column = time->index;
  for (size_t i = 1; i < match.order_by.size(); ++i) {
    const ast::SortItem& item = match.order_by[i];
    ExprPtr key = BindScalar(*item.expr, scope);
    if (key->kind != ExprKind::kInputRef) {
      throw NotSupportedError("ORDER BY in MATCH_RECOGNIZE supports only columns", item.expr->location,
                              "compute the value in a subquery and order by its column");
    }
    spec.then_by.push_back(SortKeySpec{key->index, item.descending, item.nulls_first.value_or(!item.descending)});
  }
}

MatchSkip BindSkip(const ast::MatchRecognize& match, MatchRecognizeSpec& spec) {
  const std::string& skip = match.after_match_skip;
  // Flink's planner (through Calcite) resumes at the next row when AFTER MATCH is not written.
  if (skip.empty() || skip == "TO NEXT ROW") return MatchSkip::kToNextRow;
  if (skip == "PAST LAST ROW") return MatchSkip::kPastLastRow;
  auto found = std::find(spec.variables.begin(), spec.variables.end(), match.skip_variable);
  if (found == spec.variables.end()) {
    throw SqlError(fmt::format("AFTER MATCH SKIP {} {} names no variable of the PATTERN", skip, match.skip_variable),
                   match.skip_location, fmt::format("the pattern's variables are {}", fmt::join(spec.variables, ", ")));
  }
  spec.skip_variable = static_cast<int>(found - spec.variables.begin());
  // SKIP TO var means SKIP TO LAST var in the SQL standard.
  return skip == "TO FIRST" ? MatchSkip::kToFirst : MatchSkip::kToLast;
}

}  // namespace

PlanPtr BindMatchRecognize(const ast::MatchRecognize& match, const PlanPtr& input,
                           const std::vector<std::string>& column_aliases) {
  if (match.all_rows_per_match) {
    throw NotSupportedError("ALL ROWS PER MATCH is not supported, as in Flink", match.rows_per_match_location,
                            "use ONE ROW PER MATCH and put the values you need into MEASURES");
  }
  MatchRecognizeSpec spec;
  spec.input_types = input->Types();
  Scope scope = Scope::FromPlan(*input, "");

  auto node = std::make_shared<PlanNode>();
  node->kind = PlanKind::kMatchRecognize;
  node->location = match.location;
  node->inputs = {input};
  for (const auto& expr : match.partition_by) {
    ExprPtr key = BindScalar(*expr, scope);
    if (key->kind != ExprKind::kInputRef) {
      throw NotSupportedError("PARTITION BY in MATCH_RECOGNIZE supports only columns", expr->location,
                              "compute the key in a subquery and partition by its column");
    }
    spec.partition_columns.push_back(key->index);
    PlanField field = input->schema[static_cast<size_t>(key->index)];
    field.rowtime_attribute = false;
    field.hidden = false;
    field.window_column = 0;
    node->schema.push_back(field);
  }
  BindOrder(match, *input, scope, spec);
  BindPattern(match.pattern, spec);
  spec.skip = BindSkip(match, spec);
  if (match.within) {
    spec.within_ms = IntervalMillis(*match.within);
    if (spec.within_ms <= 0) {
      throw SqlError("WITHIN needs a positive interval", match.within->location, "write WITHIN INTERVAL '10' MINUTE");
    }
  }

  MatchBinder binder(*input, spec);
  spec.conditions.assign(spec.variables.size(), nullptr);
  for (const auto& definition : match.define) {
    auto found = std::find(spec.variables.begin(), spec.variables.end(), definition.variable);
    if (found == spec.variables.end()) {
      throw SqlError(fmt::format("DEFINE {} names no variable of the PATTERN", definition.variable),
                     definition.location,
                     fmt::format("the pattern's variables are {}", fmt::join(spec.variables, ", ")));
    }
    auto index = static_cast<size_t>(found - spec.variables.begin());
    if (spec.conditions[index]) {
      throw SqlError(fmt::format("DEFINE has two conditions for {}", definition.variable), definition.location,
                     "combine them with AND");
    }
    ExprPtr condition = binder.Bind(*definition.condition);
    if (condition->type.id != TypeId::kBoolean) {
      throw SqlError(fmt::format("the DEFINE condition of {} is {}, not BOOLEAN", definition.variable,
                                 condition->type.ToString()),
                     definition.condition->location, "compare the value, e.g. A.amount > 0");
    }
    spec.conditions[index] = condition;
  }

  std::set<std::string> names;
  for (const auto& field : node->schema) names.insert(field.name);
  for (const auto& measure : match.measures) {
    ExprPtr bound = binder.Bind(*measure.expr);
    if (!names.insert(measure.alias).second) {
      throw SqlError(fmt::format("MATCH_RECOGNIZE returns two columns named {}", measure.alias),
                     measure.expr->location, "give the measure another alias");
    }
    PlanField field{measure.alias, bound->type};
    // A measure that is MATCH_ROWTIME() or MATCH_PROCTIME() itself stays a
    // time attribute, as in Flink.
    int width = static_cast<int>(spec.input_types.size());
    bool navigation = bound->kind == ExprKind::kInputRef && bound->index >= width;
    MatchNavigation::Kind kind =
        navigation ? spec.navigations[static_cast<size_t>(bound->index - width)].kind : MatchNavigation::Kind::kLast;
    field.rowtime_attribute = navigation && kind == MatchNavigation::Kind::kMatchRowtime;
    field.proctime = navigation && kind == MatchNavigation::Kind::kProctime;
    spec.measures.push_back(bound);
    node->schema.push_back(field);
  }
  if (!column_aliases.empty()) {
    if (column_aliases.size() != node->schema.size()) {
      throw SqlError(fmt::format("the alias names {} columns but MATCH_RECOGNIZE returns {}", column_aliases.size(),
                                 node->schema.size()),
                     match.location, "name every PARTITION BY column and measure, in that order");
    }
    for (size_t i = 0; i < column_aliases.size(); ++i) node->schema[i].name = column_aliases[i];
  }
  node->match = std::make_shared<const MatchRecognizeSpec>(std::move(spec));
  return node;
}

}  // namespace fsql
