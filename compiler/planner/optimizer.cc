#include "compiler/planner/optimizer.h"

#include <algorithm>
#include <set>

namespace fsql {

namespace {

/// Functions whose every evaluation may return a different value. A Calc merge
/// must not copy them into several places, or one input row would see two values.
bool IsNondeterministic(const Expr& expr) {
  static const std::set<std::string> kNames = {"RAND", "RAND_INTEGER", "UUID"};
  if (expr.kind == ExprKind::kCall && kNames.count(expr.function)) return true;
  return std::any_of(expr.args.begin(), expr.args.end(), [](const ExprPtr& arg) { return IsNondeterministic(*arg); });
}

/// True for expressions as cheap to repeat as to read from a column.
bool IsTrivial(const Expr& expr) {
  switch (expr.kind) {
    case ExprKind::kInputRef:
    case ExprKind::kLiteral:
      return true;
    case ExprKind::kFieldAccess:
      return IsTrivial(*expr.args[0]);
    default:
      return false;
  }
}

void CountReferences(const Expr& expr, std::vector<int>& counts) {
  if (expr.kind == ExprKind::kInputRef) ++counts[static_cast<size_t>(expr.index)];
  for (const auto& arg : expr.args) CountReferences(*arg, counts);
}

/// `expr` with every column reference replaced by the expression that computes
/// that column in `inputs`.
ExprPtr Substitute(const ExprPtr& expr, const std::vector<ExprPtr>& inputs) {
  if (expr->kind == ExprKind::kInputRef) return inputs[static_cast<size_t>(expr->index)];
  if (expr->args.empty()) return expr;
  auto copy = std::make_shared<Expr>(*expr);
  for (auto& arg : copy->args) arg = Substitute(arg, inputs);
  return copy;
}

/// Whether `outer` may be fused with the Calc below it: fusing must not repeat
/// work, so an input column that `outer` reads more than once must be cheap to
/// compute, and must not repeat a nondeterministic expression.
bool CanFuse(const PlanNode& outer, const PlanNode& inner) {
  std::vector<int> counts(inner.projections.size(), 0);
  for (const auto& projection : outer.projections) CountReferences(*projection, counts);
  if (outer.filter) CountReferences(*outer.filter, counts);
  for (size_t i = 0; i < counts.size(); ++i) {
    const Expr& computed = *inner.projections[i];
    if (counts[i] > 1 && (!IsTrivial(computed) || IsNondeterministic(computed))) return false;
  }
  return true;
}

PlanPtr FuseCalcs(const PlanNode& outer, const PlanNode& inner) {
  auto fused = std::make_shared<PlanNode>(outer);
  fused->inputs = inner.inputs;
  fused->projections.clear();
  for (const auto& projection : outer.projections) {
    fused->projections.push_back(Substitute(projection, inner.projections));
  }
  // The inner filter goes first: AND stops at the first FALSE, so a row the
  // inner filter drops never reaches the outer one, as before the fusion.
  ExprPtr outer_filter = outer.filter ? Substitute(outer.filter, inner.projections) : nullptr;
  if (inner.filter && outer_filter) {
    bool nullable = inner.filter->type.nullable || outer_filter->type.nullable;
    fused->filter = Expr::Call("AND", {inner.filter, outer_filter}, DataType::Of(TypeId::kBoolean, nullable));
  } else {
    fused->filter = inner.filter ? inner.filter : outer_filter;
  }
  return fused;
}

/// Tells whether `node` is a Calc that passes every input column through in order and filters nothing.
bool IsIdentityCalc(const PlanNode& node) {
  if (node.kind != PlanKind::kCalc || node.filter) return false;
  if (node.projections.size() != node.inputs[0]->schema.size()) return false;
  for (size_t i = 0; i < node.projections.size(); ++i) {
    const Expr& projection = *node.projections[i];
    if (projection.kind != ExprKind::kInputRef || projection.index != static_cast<int>(i)) return false;
  }
  return true;
}

PlanPtr Optimize(const PlanPtr& node, bool is_root) {
  std::vector<PlanPtr> inputs;
  bool changed = false;
  for (const auto& input : node->inputs) {
    inputs.push_back(Optimize(input, false));
    changed = changed || inputs.back() != input;
  }
  PlanPtr result = node;
  if (changed) {
    auto copy = std::make_shared<PlanNode>(*node);
    copy->inputs = std::move(inputs);
    result = copy;
  }
  // The root keeps its schema, because the sink reads its column names; below
  // the root, parents read columns by position.
  if (!is_root && IsIdentityCalc(*result)) return result->inputs[0];
  while (result->kind == PlanKind::kCalc && result->inputs[0]->kind == PlanKind::kCalc &&
         CanFuse(*result, *result->inputs[0])) {
    result = FuseCalcs(*result, *result->inputs[0]);
  }
  return result;
}

std::optional<std::vector<int>> MapThroughCalc(const PlanNode& calc, const std::vector<int>& key) {
  std::vector<int> mapped;
  for (int column : key) {
    int found = -1;
    for (size_t i = 0; i < calc.projections.size() && found < 0; ++i) {
      const Expr& projection = *calc.projections[i];
      if (projection.kind == ExprKind::kInputRef && projection.index == column) found = static_cast<int>(i);
    }
    if (found < 0) return std::nullopt;
    mapped.push_back(found);
  }
  return mapped;
}

bool Contains(const std::vector<int>& columns, const std::vector<int>& subset) {
  return std::all_of(subset.begin(), subset.end(), [&](int c) {
    return std::find(columns.begin(), columns.end(), c) != columns.end();
  });
}

std::vector<int> Prefix(size_t count) {
  std::vector<int> columns(count);
  for (size_t i = 0; i < count; ++i) columns[i] = static_cast<int>(i);
  return columns;
}

std::optional<std::vector<int>> UpsertKeyOf(const PlanNode& node) {
  switch (node.kind) {
    case PlanKind::kScan: {
      std::vector<int> key = node.table->PrimaryKeyIndexes();
      if (key.empty()) return std::nullopt;
      return key;
    }
    case PlanKind::kCalc: {
      const auto& input = node.inputs[0]->upsert_key;
      if (!input) return std::nullopt;
      return MapThroughCalc(node, *input);
    }
    case PlanKind::kOverAggregate:
      return node.inputs[0]->upsert_key;
    case PlanKind::kRank: {
      if (node.limit == 1) return node.partition_columns;
      if (node.output_rank_number) {
        std::vector<int> key = node.partition_columns;
        key.push_back(static_cast<int>(node.schema.size()) - 1);
        return key;
      }
      return node.inputs[0]->upsert_key;
    }
    case PlanKind::kGroupAggregate:
    case PlanKind::kWindowAggregate:
      return Prefix(node.group_keys.size());
    case PlanKind::kJoin:
    case PlanKind::kIntervalJoin:
    case PlanKind::kTemporalJoin: {
      const auto& left = node.inputs[0]->upsert_key;
      const auto& right = node.inputs[1]->upsert_key;
      // A temporal join matches each left row with at most one version.
      if (node.kind == PlanKind::kTemporalJoin) return left;
      if (!left || !right) return std::nullopt;
      // When the join key covers one side's key, each row of the other side
      // matches at most one row, so the other side's key stays unique, as long
      // as that side is never padded with NULLs.
      bool left_padded = node.join_type == JoinType::kRight || node.join_type == JoinType::kFull;
      bool right_padded = node.join_type == JoinType::kLeft || node.join_type == JoinType::kFull;
      if (!left_padded && Contains(node.right_keys, *right)) return left;
      int offset = static_cast<int>(node.inputs[0]->schema.size());
      if (!right_padded && Contains(node.left_keys, *left)) {
        std::vector<int> shifted;
        for (int c : *right) shifted.push_back(c + offset);
        return shifted;
      }
      std::vector<int> both = *left;
      for (int c : *right) both.push_back(c + offset);
      return both;
    }
    case PlanKind::kValues:
    case PlanKind::kRowNumber:
    case PlanKind::kWindowTvf:
    case PlanKind::kWindowJoin:
    case PlanKind::kUnion:
    case PlanKind::kLimit:
    case PlanKind::kUnnest:
    case PlanKind::kMatchRecognize:
      return std::nullopt;
    case PlanKind::kTemporalSort:
      return node.inputs[0]->upsert_key;
    case PlanKind::kSetOperation:
      // Without ALL each distinct row appears at most once, so all columns are a key.
      if (node.set_all) return std::nullopt;
      return Prefix(node.schema.size());
  }
  return std::nullopt;
}

}  // namespace

PlanPtr OptimizePlan(const PlanPtr& plan) { return Optimize(plan, true); }

void DeriveUpsertKeys(PlanNode& plan) {
  for (auto& input : plan.inputs) DeriveUpsertKeys(*input);
  plan.upsert_key = UpsertKeyOf(plan);
}

}  // namespace fsql
