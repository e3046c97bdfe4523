// The logical plan: relational nodes with their output schema and changelog
// properties. The binder builds it, the rewrites in planner.cc refine it, and
// the physical planner turns it into operators.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "compiler/catalog/catalog.h"
#include "runtime/expr/expr.h"
#include "runtime/operators/match_recognize.h"

namespace fsql {

struct PlanField {
  std::string name;
  DataType type;
  bool hidden = false;          // `$rowtime`: readable by name, left out of SELECT *
  bool rowtime_attribute = false;  // ordered by the watermark, usable in OVER ORDER BY
  int window_column = 0;           // 1 window_start, 2 window_end, 3 window_time of a window TVF
  // A processing-time attribute (PROCTIME()), or a window column of a window
  // TVF over one, whose windows fire on processing time.
  bool proctime = false;

  /// True for a column that Flink's DESCRIBE marks `*PROCTIME*`.
  bool is_proctime_attribute() const { return proctime && window_column != 1 && window_column != 2; }
};

enum class PlanKind {
  kScan,
  kValues,
  kCalc,           // filter, then projection
  kOverAggregate,  // appends aggregate columns to each input row
  kRowNumber,      // ROW_NUMBER() OVER (...) before the rank rewrite; never executed
  kRank,           // keeps the first `limit` rows per partition key
  kGroupAggregate, // GROUP BY: group keys, then aggregates
  kWindowTvf,      // TUMBLE, HOP, CUMULATE: appends window_start, window_end, window_time
  kWindowAggregate,  // GROUP BY window_start, window_end, ...: one final row per window and key
  kJoin,
  kIntervalJoin,   // a join bounded in event time: left_time - right_time in [lower, upper]
  kTemporalJoin,   // FOR SYSTEM_TIME AS OF: each left row joins the right row version valid at its time
  kUnion,
  kSetOperation,   // UNION (distinct), INTERSECT [ALL], EXCEPT [ALL] of two inputs
  kLimit,          // LIMIT n OFFSET m without ORDER BY
  kTemporalSort,   // ORDER BY a time attribute ascending, then other columns
  kUnnest,         // CROSS JOIN UNNEST(collection): the input's columns, then each element's
  kWindowJoin,     // a join of two window TVFs on their bounds; left_time and right_time are the window_end columns
  kMatchRecognize, // MATCH_RECOGNIZE: the PARTITION BY columns, then the measures, one row per match
};

/// One key of an ORDER BY.
struct SortKey {
  int column = 0;
  bool descending = false;
  bool nulls_first = true;
};

enum class JoinType { kInner, kLeft, kRight, kFull };

/// One aggregate of an over aggregation.
struct AggregateCall {
  std::string function;  // SUM, COUNT, MIN, MAX, AVG
  ExprPtr argument;      // nullptr for COUNT(*)
  DataType type;
  ExprPtr filter;        // FILTER (WHERE ...); group aggregation only
  bool distinct = false; // group aggregation only
  std::string separator = ",";  // LISTAGG's separator
};

struct PlanNode;
using PlanPtr = std::shared_ptr<PlanNode>;

struct PlanNode {
  PlanKind kind;
  SourceLocation location;
  std::vector<PlanField> schema;
  std::vector<PlanPtr> inputs;

  // kScan
  const TableDefinition* table = nullptr;
  // kValues
  std::vector<std::vector<ExprPtr>> values;
  // kCalc
  ExprPtr filter;
  std::vector<ExprPtr> projections;
  // kOverAggregate, kRowNumber and kRank
  std::vector<int> partition_columns;
  int order_column = -1;
  bool order_descending = false;
  bool rows_frame = false;
  bool unbounded_preceding = false;
  int64_t preceding = 0;  // milliseconds for RANGE, rows for ROWS
  std::vector<AggregateCall> aggregates;
  int64_t limit = 0;  // kRank, kLimit
  /// kRank partitioned by window_start and window_end: the window_end column,
  /// and the node ranks each window once it closes. -1 for a regular Top-N.
  int window_end_column = -1;
  // kRank: ordered by a processing-time attribute, which is arrival order.
  // Ascending keeps each key's first `limit` rows, descending its last ones.
  // With limit 1 this is Flink's deduplication.
  bool proctime_order = false;
  int64_t offset = 0;  // kLimit
  std::string set_operation;  // kSetOperation: UNION, INTERSECT or EXCEPT
  bool set_all = false;       // kSetOperation: INTERSECT ALL, EXCEPT ALL
  std::vector<SortKey> sort_keys;  // kTemporalSort: the keys after the time column in order_column
  ExprPtr unnest;                  // kUnnest: the collection, over the input
  bool with_ordinality = false;    // kUnnest: a last column with each element's position
  bool keep_empty = false;         // kUnnest: LEFT JOIN ... ON TRUE keeps rows without elements
  bool output_rank_number = true;  // kRank: whether the query reads the row number
  // kGroupAggregate and kWindowAggregate: evaluated over the input; the output
  // is keys then aggregates
  std::vector<ExprPtr> group_keys;
  int window_end_key = -1;  // kWindowAggregate: the group key holding window_end
  // kWindowTvf and kWindowAggregate: windows over a processing-time attribute,
  // which fire when processing time passes their end instead of on watermarks
  bool proctime_windows = false;
  // kWindowTvf
  std::string window_function;  // TUMBLE, HOP or CUMULATE
  int time_column = -1;
  int64_t window_size = 0;   // milliseconds
  int64_t window_slide = 0;  // HOP slide or CUMULATE step, milliseconds
  int64_t window_offset = 0;
  // kJoin
  JoinType join_type = JoinType::kInner;
  std::vector<int> left_keys;
  std::vector<int> right_keys;
  ExprPtr join_condition;  // over left columns followed by right columns; may be null
  /// A STATE_TTL query hint for the state of each input, in ms (kJoin uses both,
  /// kGroupAggregate the first); unset means 'table.exec.state.ttl' applies.
  std::optional<int64_t> state_ttl_hint_ms[2];
  // kIntervalJoin: the time columns of each side and the bounds of their difference, in ms.
  // kTemporalJoin: left_time is the AS OF column, right_time the versioned table's time, or -1
  // when the AS OF column is a processing-time attribute.
  int left_time = -1;
  int right_time = -1;
  int64_t lower_bound = 0;
  int64_t upper_bound = 0;
  // kMatchRecognize: the whole clause, bound over the input's columns
  std::shared_ptr<const MatchRecognizeSpec> match;

  /// True when the node emits only +I rows.
  bool insert_only = true;
  /// The row kinds the node emits, as Flink's EXPLAIN CHANGELOG_MODE writes them:
  /// a subset of I (+I), UB (-U), UA (+U) and D (-D). Set by ValidateChangelog.
  std::string changelog_mode = "I";
  /// Columns whose values identify a row among the updates the node emits (the
  /// upsert key); nullopt when none is known, and an empty list when the node
  /// emits a single row, as a global aggregation does. Set by DeriveUpsertKeys.
  std::optional<std::vector<int>> upsert_key;

  std::vector<DataType> Types() const;
  std::vector<RowField> Fields() const;
  /// An indented, one-node-per-line rendering for EXPLAIN and tests.
  std::string Explain(int indent = 0) const;
};

}  // namespace fsql
