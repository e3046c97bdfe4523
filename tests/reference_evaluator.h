// A batch reference for the SQL test cases: computes a logical plan's complete
// result over the whole input with plain nested loops, sorting and full
// recomputation. It shares only the expression interpreter, the row and value
// types and the JSON decoder with the engine, never the streaming operators, so
// a bug in an operator shows up as a disagreement with this evaluator.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "compiler/planner/logical_plan.h"
#include "runtime/row/row.h"

namespace fsql::testing {

/// One input record as the test runner fed it to a source.
struct ReferenceRecord {
  std::string table;
  std::vector<Row> rows;  // the decoded changelog rows of the record
  int64_t record_time = 0;  // also the processing time of the batch holding the record
  int64_t watermark = kNoTime;  // the table's watermark when the record arrived
};

/// Thrown when the reference cannot model a case, with the reason to print.
struct ReferenceSkip {
  std::string reason;
};

/// Computes the rows `plan` produces over `records` as a batch query, as +I rows
/// in the plan's schema. Rows that the streaming engine drops as late (behind
/// the watermark of an OVER aggregation or window aggregation) are dropped
/// here too. Throws ReferenceSkip where the result would depend on the timing
/// of watermarks that the evaluator does not model, and Error for runtime
/// failures of an expression.
std::vector<Row> EvaluateReference(const PlanNode& plan, const std::vector<ReferenceRecord>& records);

}  // namespace fsql::testing
