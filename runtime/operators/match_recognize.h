// MATCH_RECOGNIZE on event time: row pattern matching per partition, with one
// output row per match.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "runtime/operators/accumulator.h"
#include "runtime/operators/operator.h"

namespace fsql {

/// One factor of the pattern: a variable, or an alternation of variables such
/// as (A | B), with its quantifier.
struct MatchPatternFactor {
  /// Indexes into MatchRecognizeSpec::variables: one variable, or the
  /// alternatives in order of preference, each tried for every row.
  std::vector<int> variables;
  int64_t min = 1;
  int64_t max = 1;      // -1 for no upper bound
  bool reluctant = false;
};

/// A value read from the rows of a match, such as LAST(A.price, 1) or SUM(A.amount).
/// Conditions and measures see these values as extra columns after the input row.
struct MatchNavigation {
  enum class Kind {
    kLast,         // the argument over the offset-th last row of the variable
    kFirst,        // the argument over the offset-th row of the variable
    kPrev,         // the argument over the row `offset` rows before the last row of the variable
    kAggregate,    // an aggregate of the argument over the rows of the variable
    kMatchRowtime, // the time of the last row
    kClassifier,   // the variable of the last row
    kProctime,     // the processing time at which the match is evaluated
  };
  Kind kind = Kind::kLast;
  int variable = -1;    // -1 for all rows of the match
  int64_t offset = 0;
  ExprPtr argument;     // over an input row; nullptr for COUNT(*) and the kinds without one
  AccumulatorSpec aggregate;  // kAggregate
  DataType type;
};

enum class MatchSkip { kPastLastRow, kToNextRow, kToFirst, kToLast };

struct MatchRecognizeSpec {
  std::vector<DataType> input_types;
  std::vector<int> partition_columns;
  int time_column = 0;                  // the event-time attribute, ascending
  std::vector<SortKeySpec> then_by;     // orders rows of equal time
  std::vector<std::string> variables;   // the pattern variables, by first appearance
  std::vector<MatchPatternFactor> pattern;  // a concatenation of factors
  /// DEFINE conditions by variable, over the input row followed by the
  /// navigations; nullptr means TRUE.
  std::vector<ExprPtr> conditions;
  std::vector<MatchNavigation> navigations;
  std::vector<ExprPtr> measures;  // over the last row of the match followed by the navigations
  MatchSkip skip = MatchSkip::kToNextRow;
  int skip_variable = -1;          // kToFirst and kToLast
  int64_t within_ms = -1;          // WITHIN: last time - first time < within_ms; -1 without
};

/// Renders the pattern as written in SQL, e.g. `A{2,} B+? C`.
std::string PatternToString(const MatchRecognizeSpec& spec);

/// Renders the AFTER MATCH clause, e.g. `SKIP TO LAST A`.
std::string SkipToString(const MatchRecognizeSpec& spec);

/// Rows wait per partition until the watermark passes their time and are then
/// matched in (time, ORDER BY) order. Each match emits one +I row: the
/// partition columns, then the measures, with the time of the match's last row.
///
/// Matching follows SQL's preference order: a greedy quantifier tries one more
/// row before it tries to stop, a reluctant one the other way round, and the
/// first complete match in that order wins. A match starting at the first
/// buffered row is decided as soon as no row still to come could change it:
/// either a preferred branch completed, or every branch failed, or WITHIN and
/// the watermark rule out further rows. Later starts wait for it, and the
/// output watermark stays below its first row, since it may still go out.
///
/// Rows at or behind the watermark are late and dropped. A SKIP TO FIRST/LAST
/// variable that names no row of the match, or the match's first row, fails
/// the rule, as in Flink.
class MatchRecognizeOperator : public Operator {
 public:
  explicit MatchRecognizeOperator(MatchRecognizeSpec spec);
  ~MatchRecognizeOperator() override;
  std::string name() const override { return "MatchRecognize"; }
  void ProcessBatch(int input, std::vector<Row>& rows) override;
  void ProcessWatermark(int input, int64_t watermark) override;
  bool TakeStateFrom(Operator& previous) override;
  void SetKeyCompiler(CodegenMode mode, const KeyCompiler& compiler) override;

  /// Rows kept in state over all partitions: waiting for the watermark or for
  /// a match to be decided.
  size_t buffered_rows() const;
  /// True once partition keys are encoded by compiled code.
  bool uses_compiled_keys() const { return partition_key_.uses_compiled_code(); }

 private:
  struct State;
  std::unique_ptr<State> state_;
  KeyEncoder partition_key_;
};

}  // namespace fsql
