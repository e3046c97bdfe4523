// Checks whether a rule supports inline decisions: whether every row it writes
// because of one pushed row is produced while that row is pushed, from state
// kept under keys computed from that row alone.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "compiler/planner/planner.h"

namespace fsql::embed {

/// Per column of a table or plan node: true when the value is computed from
/// the pushed row's own columns only.
using ColumnLineage = std::vector<bool>;

/// Checks `rule`, whose scans of the tables in `lineage_by_table` see rows
/// derived from the pushed row. Returns "" when the rule qualifies and sets
/// `sink_lineage` to its sink table's columns; otherwise returns the reason,
/// naming the operator.
std::string CheckDecisionRule(const RulePlan& rule, const std::map<std::string, ColumnLineage>& lineage_by_table,
                              ColumnLineage& sink_lineage);

}  // namespace fsql::embed
