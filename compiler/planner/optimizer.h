// Rewrites of a validated logical plan that keep its results and changelog but
// make it cheaper to run, and the derivation of upsert keys that EXPLAIN shows.
#pragma once

#include "compiler/planner/logical_plan.h"

namespace fsql {

/// Returns an optimised copy of `plan`, sharing the subtrees it leaves alone;
/// `plan` itself is not modified. Today this fuses stacked Calcs into one, so a
/// rule's filter, projections and the cast to the sink's columns run in one
/// compiled function, and drops Calcs that forward their input unchanged.
PlanPtr OptimizePlan(const PlanPtr& plan);

/// Sets `upsert_key` on `plan` and its inputs: the columns whose values identify
/// a row among the updates the node emits, as Flink's planner derives them.
void DeriveUpsertKeys(PlanNode& plan);

}  // namespace fsql
