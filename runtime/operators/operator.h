// Push-based streaming operators exchanging batches of changelog rows.
//
// Each operator has one or two inputs and at most one downstream operator. A
// job thread drives the whole graph: sources push batches into the first
// operators, and watermarks follow the rows they cover. Operators are not
// thread-safe; one job thread owns its graph.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <future>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "runtime/expr/expr.h"
#include "runtime/operators/key_map.h"
#include "runtime/operators/state_ttl.h"
#include "runtime/row/row.h"

namespace fsql {

/// The setting 'table.exec.codegen.mode', for Calcs and for the key encoding
/// of stateful operators.
enum class CodegenMode {
  kAuto,       // interpret, and switch at a batch boundary once background compilation finishes
  kJit,        // compile in the constructor, so the first batch already runs native code
  kInterpret,  // never compile
};

/// The key columns of a stateful operator compiled to native code. One
/// instance may be shared by operators on several job threads, so Encode must
/// be safe to call concurrently.
class CompiledKey {
 public:
  virtual ~CompiledKey() = default;
  /// Replaces the contents of `key` with the bytes EncodeKey returns for
  /// `row`, and returns HashKey of those bytes.
  virtual uint64_t Encode(RowView row, std::string& key) const = 0;
};

/// Compiles the encoding of `columns` of rows of `types`, or returns nullptr
/// when it does not compile. Must be thread-safe and must not throw, like
/// CalcOperator::Compiler.
using KeyCompiler =
    std::function<std::shared_ptr<const CompiledKey>(const std::vector<int>& columns, const std::vector<DataType>& types)>;

class Operator {
 public:
  explicit Operator(int input_count = 1);
  virtual ~Operator() = default;

  /// A short description for logs and EXPLAIN, such as "OverAggregate".
  virtual std::string name() const = 0;

  /// Handles rows arriving on `input`; may move from them.
  virtual void ProcessBatch(int input, std::vector<Row>& rows) = 0;

  /// Event time on `input` has reached `watermark`. The default forwards the
  /// minimum over all inputs once it advances.
  virtual void ProcessWatermark(int input, int64_t watermark);

  /// Sets the processing time used by CURRENT_TIMESTAMP for the next rows.
  virtual void SetProcessingTime(int64_t millis);

  /// Emits what is due at the processing time last set, such as windows on a
  /// processing-time attribute. Pipeline::SetProcessingTime calls it on every
  /// operator after setting the time on all of them, so rows emitted here meet
  /// downstream operators that already use the new time.
  virtual void FireProcessingTimers() {}

  void Connect(Operator* downstream, int downstream_input) {
    downstream_ = downstream;
    downstream_input_ = downstream_input;
  }

  /// Rows dropped because they arrived behind the watermark.
  int64_t late_rows() const { return late_rows_; }

  /// Names the rule the operator belongs to in its log lines.
  void set_rule_name(std::string rule_name) { rule_name_ = std::move(rule_name); }

  /// The meaning of the operator's state: its kind, input types, keys,
  /// aggregates and bounds. An operator built later with an equal shape can continue from
  /// this one's state. Empty for an operator that keeps nothing between
  /// batches. The planner sets it.
  const std::string& state_shape() const { return state_shape_; }
  void set_state_shape(std::string shape) { state_shape_ = std::move(shape); }

  /// Moves the state of `previous`, an operator of the same class and state
  /// shape, into this one in place of its own. `previous` is left without
  /// state and must not run again. Watermarks are not moved, because the
  /// caller sends the current one again. Returns false when there is nothing
  /// to move.
  virtual bool TakeStateFrom(Operator& previous) { return false; }

  /// Lets an operator with key columns encode its keys with compiled code,
  /// chosen by `mode` as CalcOperator chooses. The default ignores it, for
  /// operators without keys. Call it before the first batch.
  virtual void SetKeyCompiler(CodegenMode mode, const KeyCompiler& compiler) {}

 protected:
  void Emit(std::vector<Row>& rows);
  void EmitWatermark(int64_t watermark);
  /// The minimum watermark over all inputs, or kNoTime before every input has one.
  int64_t CombinedWatermark() const;
  /// Records `watermark` for `input` (watermarks never go back) without forwarding it.
  void RecordInputWatermark(int input, int64_t watermark);
  /// Logs the count of late rows dropped so far, with the rule's name and why they were late.
  void ReportLateRows(const std::string& reason) const;

  EvalContext context_;
  int64_t late_rows_ = 0;
  std::string rule_name_;

 private:
  Operator* downstream_ = nullptr;
  int downstream_input_ = 0;
  std::vector<int64_t> input_watermarks_;
  int64_t emitted_watermark_ = kNoTime;
  std::string state_shape_;
};

/// Moves the state that `previous` keeps in the member `state` into the same
/// member of `self`, when `previous` is an operator of the same type whose
/// state was not taken yet. Operators that keep all their state in one
/// member implement TakeStateFrom with it.
template <typename Derived, typename State>
bool TakeStateOf(Derived& self, Operator& previous, std::unique_ptr<State> Derived::*state) {
  auto* old = dynamic_cast<Derived*>(&previous);
  if (old == nullptr || old->*state == nullptr) return false;
  self.*state = std::move(old->*state);
  return true;
}

/// Encodes the values of `columns` of `row` as a byte string usable as a hash key.
std::string EncodeKey(RowView row, const std::vector<int>& columns, const std::vector<DataType>& types);

/// Encodes the key columns of one operator input: with EncodeKey at first,
/// and with compiled code once it is available. Both produce the same bytes,
/// so state built by one stays valid for the other.
class KeyEncoder {
 public:
  KeyEncoder() = default;
  KeyEncoder(std::vector<int> columns, std::vector<DataType> types);

  /// Starts compiling as `mode` selects: at once for kJit, on a background thread
  /// for kAuto, not at all for kInterpret.
  void Compile(CodegenMode mode, const KeyCompiler& compiler);
  /// Switches to compiled code once background compilation has finished.
  /// Operators call it at the start of each batch.
  void SwitchToCompiledCodeIfReady();

  /// Replaces the contents of `key` with the encoded key of `row`.
  void Encode(RowView row, std::string& key) const {
    if (compiled_) {
      compiled_->Encode(row, key);
    } else {
      key = EncodeKey(row, columns_, types_);
    }
  }
  std::string Encode(RowView row) const {
    std::string key;
    Encode(row, key);
    return key;
  }
  /// Replaces `key` with the encoded key of `row` and its HashKey.
  void Encode(RowView row, HashedKey& key) const {
    if (compiled_) {
      key.hash = compiled_->Encode(row, key.bytes);
    } else {
      key.bytes = EncodeKey(row, columns_, types_);
      key.hash = HashKey(key.bytes);
    }
  }

  const std::vector<int>& columns() const { return columns_; }
  bool uses_compiled_code() const { return compiled_ != nullptr; }

 private:
  std::vector<int> columns_;
  std::vector<DataType> types_;
  std::shared_ptr<const CompiledKey> compiled_;
  std::future<std::shared_ptr<const CompiledKey>> pending_;  // kAuto's background compilation
};

/// True when two rows hold the same values, whatever their kinds and times.
bool SameContent(const Row& a, const Row& b);

/// Filter then projection. Keeps each row's kind and event time.
///
/// Given a compiler, the operator can run native code in place of the
/// interpreter, with identical results. Compiled code is only used when every
/// expression compiles; otherwise the whole Calc stays on the interpreter.
class CalcOperator : public Operator {
 public:
  using CodegenMode = fsql::CodegenMode;

  /// A filter and projections compiled to native code. One instance may be
  /// shared by operators on several job threads, so Process must be safe to
  /// call concurrently.
  class Compiled {
   public:
    virtual ~Compiled() = default;
    /// Appends to `out` the projection of each row of `rows` that passes the
    /// filter, keeping its kind and event time. Throws Error where the
    /// interpreter would, with the same message.
    virtual void Process(const std::vector<Row>& rows, const EvalContext& context, std::vector<Row>& out) const = 0;
    /// Returns whether the filter is TRUE for `row`, without computing the
    /// projections. Throws Error where the interpreter would.
    virtual bool Passes(RowView row, const EvalContext& context) const = 0;
  };

  /// Compiles a filter (null for none) and projections, or returns nullptr when
  /// some expression does not compile. Must be thread-safe, because kAuto
  /// calls it on a background thread, and must not throw.
  using Compiler = std::function<std::shared_ptr<const Compiled>(const ExprPtr& filter,
                                                                 const std::vector<ExprPtr>& projections)>;

  CalcOperator(ExprPtr filter, std::vector<ExprPtr> projections, CodegenMode mode = CodegenMode::kInterpret,
               Compiler compiler = nullptr);
  /// Waits for a background compilation that is still running.
  ~CalcOperator() override;
  std::string name() const override { return "Calc"; }
  void ProcessBatch(int input, std::vector<Row>& rows) override;

  /// True once batches run on compiled code.
  bool uses_compiled_code() const { return compiled_ != nullptr; }

 private:
  void SwitchToCompiledCodeIfReady();
  void Interpret(const std::vector<Row>& rows, std::vector<Row>& out);

  ExprPtr filter_;
  std::vector<ExprPtr> projections_;
  RowBuilder builder_;
  std::shared_ptr<const Compiled> compiled_;
  std::future<std::shared_ptr<const Compiled>> pending_;  // kAuto's background compilation
};

/// Moves the result of a background compilation into `compiled` once it has finished.
template <typename T>
void TakeWhenReady(std::future<T>& pending, T& compiled) {
  if (pending.valid() && pending.wait_for(std::chrono::seconds(0)) == std::future_status::ready) {
    compiled = pending.get();
  }
}

/// A condition over rows, such as the residual condition of a join, that the
/// interpreter evaluates until a compiled Calc with it as the filter is ready.
class RowPredicate {
 public:
  RowPredicate() = default;
  explicit RowPredicate(ExprPtr condition) : condition_(std::move(condition)) {}

  /// Starts compiling as `mode` selects, as KeyEncoder::Compile does.
  void Compile(CodegenMode mode, const CalcOperator::Compiler& compiler);
  /// Switches to compiled code once background compilation has finished.
  /// Operators call it at the start of each batch.
  void SwitchToCompiledCodeIfReady();

  /// Returns whether the condition is TRUE for `row`; true when there is none.
  bool Holds(RowView row, const EvalContext& context) const {
    if (!condition_) return true;
    if (compiled_) return compiled_->Passes(row, context);
    return IsTrue(Evaluate(*condition_, row, context));
  }

  bool uses_compiled_code() const { return compiled_ != nullptr; }

 private:
  ExprPtr condition_;
  std::shared_ptr<const CalcOperator::Compiled> compiled_;
  std::future<std::shared_ptr<const CalcOperator::Compiled>> pending_;  // kAuto's background compilation
};

struct GroupAggregateSpec {
  std::vector<ExprPtr> keys;  // evaluated over the input row
  struct Aggregate {
    std::string function;  // SUM, COUNT, MIN, MAX, AVG
    ExprPtr argument;      // nullptr for COUNT(*)
    ExprPtr filter;        // FILTER (WHERE ...); may be null
    bool distinct = false;
    DataType type;
    std::string separator = ",";  // LISTAGG's separator
  };
  std::vector<Aggregate> aggregates;
  int64_t state_ttl_ms = 0;  // 'table.exec.state.ttl' per group; 0 keeps groups forever
};

class CompiledAccumulate;

/// Compiles the accumulate function of an aggregate list (see
/// CompiledAccumulate in accumulator.h), or returns nullptr when none of the
/// aggregates compiles. Must be thread-safe and must not throw.
using AccumulateCompiler =
    std::function<std::shared_ptr<const CompiledAccumulate>(const std::vector<GroupAggregateSpec::Aggregate>&)>;

struct OverAggregateSpec {
  std::vector<DataType> input_types;
  std::vector<int> partition_columns;
  int order_column = 0;
  bool rows_frame = false;
  bool unbounded_preceding = false;
  int64_t preceding = 0;  // milliseconds for RANGE frames, rows for ROWS frames
  /// Ordered by a processing-time attribute: each batch is aggregated as soon
  /// as it arrives, with the rows of one batch as peers, and nothing is late.
  bool proctime = false;
  struct Aggregate {
    std::string function;  // SUM, COUNT, MIN, MAX, AVG, FIRST_VALUE, LISTAGG, ...
    ExprPtr argument;      // nullptr for COUNT(*)
    DataType type;
    std::string separator = ",";  // LISTAGG's separator
  };
  std::vector<Aggregate> aggregates;
};

/// The aggregates of an OVER aggregation in the form it runs them:
/// `arguments` project each aggregate's argument out of an input row into an
/// argument row, and `aggregates` read their argument from that row. Frames
/// keep argument rows, so a row leaving a frame is retracted without its
/// input row, and the same compiled accumulate function adds and retracts.
struct OverFrameAggregates {
  std::vector<ExprPtr> arguments;  // over the input row, one per aggregate with an argument
  std::vector<DataType> argument_types;
  std::vector<GroupAggregateSpec::Aggregate> aggregates;  // over the argument row
  std::vector<int> argument_columns;  // per aggregate: its column of the argument row, or -1 for COUNT(*)
};

OverFrameAggregates FrameAggregatesOf(const std::vector<OverAggregateSpec::Aggregate>& aggregates);

/// OVER aggregation. Rows wait until the watermark passes their time (or,
/// on processing time, until their batch arrives), then leave in time order with
/// their aggregates appended.
class OverAggregateOperator : public Operator {
 public:
  explicit OverAggregateOperator(OverAggregateSpec spec);
  ~OverAggregateOperator() override;
  std::string name() const override { return "OverAggregate"; }
  void ProcessBatch(int input, std::vector<Row>& rows) override;
  bool TakeStateFrom(Operator& previous) override;
  void SetKeyCompiler(CodegenMode mode, const KeyCompiler& compiler) override;
  void ProcessWatermark(int input, int64_t watermark) override;
  void FireProcessingTimers() override;
  /// Lets the operator evaluate the aggregates' arguments with a compiled
  /// Calc from `arguments`, and add and retract the aggregates that compile
  /// with an accumulate function from `accumulate`, each chosen by `mode`
  /// as for keys. Call it before the first batch.
  void SetFrameCompilers(CodegenMode mode, const CalcOperator::Compiler& arguments,
                         const AccumulateCompiler& accumulate);
  /// True once arguments are evaluated by compiled code.
  bool uses_compiled_arguments() const { return compiled_arguments_ != nullptr; }
  /// True once some aggregate is added and retracted by compiled code.
  bool uses_compiled_accumulate() const { return accumulate_ != nullptr; }

  /// Number of partition keys with rows kept in state.
  size_t key_count() const;

 private:
  /// Emits the rows, and runs the cleanup timers, at times up to `max_time`.
  void EmitUpTo(int64_t max_time);
  void SwitchToCompiledFrameIfReady();
  /// Appends the argument row of each row of `rows` to `out`.
  void EvaluateArguments(const std::vector<Row>& rows, std::vector<Row>& out);

  struct State;
  std::unique_ptr<State> state_;
  OverAggregateSpec spec_;
  OverFrameAggregates frame_;
  KeyEncoder partition_key_;
  RowBuilder argument_builder_{0};
  std::shared_ptr<const CalcOperator::Compiled> compiled_arguments_;
  std::future<std::shared_ptr<const CalcOperator::Compiled>> pending_arguments_;
  std::shared_ptr<const CompiledAccumulate> accumulate_;
  std::future<std::shared_ptr<const CompiledAccumulate>> pending_accumulate_;
};

enum class JoinKind { kInner, kLeft, kRight, kFull };

struct JoinSpec {
  JoinKind kind = JoinKind::kInner;
  std::vector<DataType> left_types;
  std::vector<DataType> right_types;
  std::vector<int> left_keys;
  std::vector<int> right_keys;
  ExprPtr condition;  // over the joined row; may be null
  /// How long each side (left, right) keeps a row it has not touched since; 0
  /// keeps rows forever. 'table.exec.state.ttl', or a STATE_TTL hint per side.
  int64_t state_ttl_ms[2] = {0, 0};
};

/// Builds the output row of a join: the left columns, then the right ones; a
/// missing side (nullptr) is padded with NULLs.
Row BuildJoinedRow(RowBuilder& builder, const JoinSpec& spec, const Row* left, const Row* right, RowKind kind,
                   int64_t event_time);

/// The compiled code that every join shares: the key encoders of its two
/// inputs and its residual condition, each switched to compiled code at a
/// batch boundary.
class JoinCodeOperator : public Operator {
 public:
  void SetKeyCompiler(CodegenMode mode, const KeyCompiler& compiler) override;
  /// Lets the join condition run as a compiled Calc filter from `compiler`,
  /// chosen by `mode` as for keys. Call it before the first batch.
  void SetConditionCompiler(CodegenMode mode, const CalcOperator::Compiler& compiler);
  /// True once both inputs encode their keys with compiled code.
  bool uses_compiled_keys() const { return keys_[0].uses_compiled_code() && keys_[1].uses_compiled_code(); }
  /// True once the join condition runs on compiled code.
  bool uses_compiled_condition() const { return condition_.uses_compiled_code(); }

 protected:
  explicit JoinCodeOperator(const JoinSpec& spec);
  /// Switches keys and condition to compiled code once it is ready.
  void SwitchToCompiledCodeIfReady();

  KeyEncoder keys_[2];  // of the left and the right input
  RowPredicate condition_;
};

/// Regular streaming join: both sides are kept in state; accumulations emit +I
/// and retractions emit -D for every matching pair, as Flink's join does.
class JoinOperator : public JoinCodeOperator {
 public:
  explicit JoinOperator(JoinSpec spec);
  ~JoinOperator() override;
  std::string name() const override { return "Join"; }
  void ProcessBatch(int input, std::vector<Row>& rows) override;
  bool TakeStateFrom(Operator& previous) override;

 private:
  struct State;
  std::unique_ptr<State> state_;
};

struct RankSpec {
  std::vector<DataType> input_types;
  std::vector<int> partition_columns;
  int order_column = 0;
  bool descending = false;
  int64_t limit = 1;  // keep rows ranked 1..limit
  /// Whether the query reads the row number. Without it and with N > 1, a row
  /// that enters or leaves the top N is one +I or -D; with it, every row whose
  /// number changes is updated (-U/+U). Top-1 always updates.
  bool output_rank_number = true;
  int64_t state_ttl_ms = 0;  // 'table.exec.state.ttl' per partition key
  /// Ordered by a processing-time attribute over an append-only input: rows
  /// rank by arrival, so ascending keeps a key's first `limit` rows and
  /// descending its last ones, ties included. Rows that fall out of the top
  /// `limit` are dropped from state, because they can never return.
  bool proctime_order = false;
};

/// Top-N per partition key by the sort order (ROW_NUMBER() <= N). Each change
/// emits the old version of a row before the new one, so a keyed upsert sink
/// receives them in order. The output row ends with the row number.
class RankOperator : public Operator {
 public:
  explicit RankOperator(RankSpec spec);
  ~RankOperator() override;
  std::string name() const override { return "Rank"; }
  void ProcessBatch(int input, std::vector<Row>& rows) override;
  bool TakeStateFrom(Operator& previous) override;
  void SetKeyCompiler(CodegenMode mode, const KeyCompiler& compiler) override;

 private:
  /// Applies RankSpec::proctime_order with limit 1 to one input row of partition `key`.
  void DeduplicateOnProcessingTime(const HashedKey& key, const Row& row, int64_t now, std::vector<Row>& out);

  struct State;
  std::unique_ptr<State> state_;
  KeyEncoder partition_key_;
};

/// A row's sort value in a Top-N, with the direction of its ORDER BY.
struct RankOrderKey {
  Value value;
  bool descending = false;
};

/// Orders by the sort column, NULLs first ascending and last descending, as
/// Flink orders them by default.
struct RankOrderLess {
  bool operator()(const RankOrderKey& a, const RankOrderKey& b) const {
    int c = CompareValues(a.value, b.value);
    return a.descending ? c > 0 : c < 0;
  }
};

struct WindowRankSpec {
  RankSpec rank;  // its partition columns include window_start and window_end
  int window_end_column = 0;
  /// Window deduplication keeping the last row: of two rows with the same
  /// time, the later one wins, as in Flink.
  bool later_row_wins_ties = false;
};

/// Top-N per window and partition key over insert-only input (window Top-N and
/// window deduplication). Keeps each window's best `limit` rows and emits them
/// as +I rows, each ending with its row number, when the watermark passes the
/// window's end. Rows of windows that have fired are late and dropped.
class WindowRankOperator : public Operator {
 public:
  explicit WindowRankOperator(WindowRankSpec spec);
  ~WindowRankOperator() override;
  std::string name() const override { return "WindowRank"; }
  void ProcessBatch(int input, std::vector<Row>& rows) override;
  bool TakeStateFrom(Operator& previous) override;
  void SetKeyCompiler(CodegenMode mode, const KeyCompiler& compiler) override;
  void ProcessWatermark(int input, int64_t watermark) override;

  /// Windows with rows waiting for the watermark.
  size_t pending_windows() const;
  /// True once partition keys are encoded by compiled code.
  bool uses_compiled_keys() const { return partition_key_.uses_compiled_code(); }

 private:
  struct State;
  std::unique_ptr<State> state_;
  KeyEncoder partition_key_;
};

struct WindowJoinSpec {
  JoinSpec join;  // its keys include window_start and window_end of both sides
  int left_window_end = 0;
  int right_window_end = 0;
};

/// Window join: rows of two window TVFs join when they are in the same window
/// and their keys match. Once the watermark of both inputs passes a window's
/// end, its pairs and the NULL-padded rows of the outer sides are emitted as +I
/// rows. Rows of windows that have fired are late and dropped.
class WindowJoinOperator : public JoinCodeOperator {
 public:
  explicit WindowJoinOperator(WindowJoinSpec spec);
  ~WindowJoinOperator() override;
  std::string name() const override { return "WindowJoin"; }
  void ProcessBatch(int input, std::vector<Row>& rows) override;
  bool TakeStateFrom(Operator& previous) override;
  void ProcessWatermark(int input, int64_t watermark) override;

  /// Windows with rows waiting for the watermark.
  size_t pending_windows() const;

 private:
  struct State;
  std::unique_ptr<State> state_;
};

/// Turns upserts keyed by the primary key into a full changelog: the first row
/// of a key is +I, a later one -U old / +U new, a -D removes the key.
class ChangelogNormalizeOperator : public Operator {
 public:
  /// `state_ttl_ms` forgets a key after that long without an upsert; 0 never does.
  ChangelogNormalizeOperator(std::vector<DataType> types, std::vector<int> key_columns, int64_t state_ttl_ms = 0);
  std::string name() const override { return "ChangelogNormalize"; }
  void ProcessBatch(int input, std::vector<Row>& rows) override;
  bool TakeStateFrom(Operator& previous) override;
  void SetKeyCompiler(CodegenMode mode, const KeyCompiler& compiler) override;
  /// True once primary keys are encoded by compiled code.
  bool uses_compiled_keys() const { return key_.uses_compiled_code(); }

 private:
  KeyEncoder key_;  // of the primary key columns
  TtlMap<Row> last_;
};

/// Returns an encoder of `keys` when every key is a column of the input row,
/// and nullopt when some key is another expression.
std::optional<KeyEncoder> ColumnKeyEncoder(const std::vector<ExprPtr>& keys);

/// GROUP BY aggregation over a changelog input. The first row of a group emits
/// +I, a changed result -U old / +U new, and a group whose last row is
/// retracted -D. An unchanged result emits nothing, as in Flink.
class GroupAggregateOperator : public Operator {
 public:
  explicit GroupAggregateOperator(GroupAggregateSpec spec);
  ~GroupAggregateOperator() override;
  std::string name() const override { return "GroupAggregate"; }
  void ProcessBatch(int input, std::vector<Row>& rows) override;
  bool TakeStateFrom(Operator& previous) override;
  void SetKeyCompiler(CodegenMode mode, const KeyCompiler& compiler) override;
  /// Lets the aggregates that compile run a compiled accumulate
  /// function, chosen by `mode` as for keys. Call it before the first batch.
  void SetAccumulateCompiler(CodegenMode mode, const AccumulateCompiler& compiler);

  /// Number of groups with at least one row.
  size_t group_count() const;

 private:
  struct State;
  std::unique_ptr<State> state_;
  // Set when every group key is an input column; other keys are encoded
  // through a row of their evaluated values.
  std::optional<KeyEncoder> column_keys_;
  std::shared_ptr<const CompiledAccumulate> accumulate_;
  std::future<std::shared_ptr<const CompiledAccumulate>> pending_accumulate_;  // kAuto's background compilation
};

struct IntervalJoinSpec {
  JoinSpec join;
  int left_time = 0;   // time column of the left input
  int right_time = 0;  // time column of the right input
  int64_t lower_bound = 0;  // left time - right time >= lower_bound (ms)
  int64_t upper_bound = 0;  // left time - right time <= upper_bound (ms)
};

/// Interval join: rows join when their keys match and their times are within
/// the bounds. Each side keeps rows only while a future row of the other side
/// could still match them, judged by the watermark; the output is append-only.
/// A LEFT join emits the NULL-padded row once the left row can no longer match.
class IntervalJoinOperator : public JoinCodeOperator {
 public:
  explicit IntervalJoinOperator(IntervalJoinSpec spec);
  ~IntervalJoinOperator() override;
  std::string name() const override { return "IntervalJoin"; }
  void ProcessBatch(int input, std::vector<Row>& rows) override;
  bool TakeStateFrom(Operator& previous) override;
  void ProcessWatermark(int input, int64_t watermark) override;

  /// Rows kept in state on both sides.
  size_t buffered_rows() const;

 private:
  struct State;
  std::unique_ptr<State> state_;
};

/// Event-time temporal join (FOR SYSTEM_TIME AS OF): each left row waits for
/// the watermark to pass its time, then joins the version of the right row
/// (by key) that was valid at that time. The right input is a changelog of a
/// versioned table; its -D ends a version. Uses the time columns of
/// IntervalJoinSpec and ignores its bounds.
class TemporalJoinOperator : public JoinCodeOperator {
 public:
  explicit TemporalJoinOperator(IntervalJoinSpec spec);
  ~TemporalJoinOperator() override;
  std::string name() const override { return "TemporalJoin"; }
  void ProcessBatch(int input, std::vector<Row>& rows) override;
  bool TakeStateFrom(Operator& previous) override;
  void ProcessWatermark(int input, int64_t watermark) override;

  /// Left rows waiting for the watermark, and right versions kept.
  size_t buffered_rows() const;

 private:
  struct State;
  std::unique_ptr<State> state_;
};

/// Processing-time temporal join (FOR SYSTEM_TIME AS OF a PROCTIME()
/// attribute) against an updating right input whose upsert key is among the
/// join keys. The operator keeps the current right row per join key, applying
/// +I/+U and removing the key on -U/-D, and joins each left row with the row
/// current when its batch arrives. Right-side changes never revise rows
/// already emitted, so the output is insert-only. Only the left input's
/// watermark is forwarded, because the right side's rows carry no event time
/// the output depends on.
class ProcTimeTemporalJoinOperator : public JoinCodeOperator {
 public:
  explicit ProcTimeTemporalJoinOperator(JoinSpec spec);
  ~ProcTimeTemporalJoinOperator() override;
  std::string name() const override { return "ProcTimeTemporalJoin"; }
  void ProcessBatch(int input, std::vector<Row>& rows) override;
  bool TakeStateFrom(Operator& previous) override;
  void ProcessWatermark(int input, int64_t watermark) override;

  /// Right rows kept, one per join key.
  size_t buffered_rows() const;

 private:
  struct State;
  std::unique_ptr<State> state_;
};

enum class WindowFunction { kTumble, kHop, kCumulate };

struct WindowTvfSpec {
  std::vector<DataType> input_types;
  WindowFunction function = WindowFunction::kTumble;
  int time_column = 0;
  int64_t size = 0;    // milliseconds
  int64_t slide = 0;   // HOP slide or CUMULATE step, milliseconds
  int64_t offset = 0;  // milliseconds; shifts the window alignment
};

/// Returns the start of the window of length `period` that contains `time`, with
/// windows aligned to `offset` (floor division, so negative times work too).
int64_t AlignedStart(int64_t time, int64_t period, int64_t offset);

/// Window TVFs: assigns each row to its windows and emits one row per window,
/// with window_start, window_end and window_time appended.
class WindowTvfOperator : public Operator {
 public:
  explicit WindowTvfOperator(WindowTvfSpec spec);
  std::string name() const override { return "WindowTvf"; }
  void ProcessBatch(int input, std::vector<Row>& rows) override;

  /// The [start, end) windows that contain `time`, in ascending order.
  std::vector<std::pair<int64_t, int64_t>> WindowsOf(int64_t time) const;

 private:
  WindowTvfSpec spec_;
  RowBuilder builder_;
};

/// Window aggregation: accumulates per window and group key, and emits one +I
/// row for each when the watermark reaches the window's end. Later rows for a
/// fired window are dropped as late.
///
/// With `proctime_windows`, the windows are over a processing-time attribute:
/// they fire at the first processing time at or after their end, watermarks
/// pass through without firing anything, and no row is late.
class WindowAggregateOperator : public Operator {
 public:
  WindowAggregateOperator(GroupAggregateSpec spec, int window_end_key, bool proctime_windows = false);
  ~WindowAggregateOperator() override;
  std::string name() const override { return "WindowAggregate"; }
  void ProcessBatch(int input, std::vector<Row>& rows) override;
  bool TakeStateFrom(Operator& previous) override;
  void SetKeyCompiler(CodegenMode mode, const KeyCompiler& compiler) override;
  /// As GroupAggregateOperator::SetAccumulateCompiler.
  void SetAccumulateCompiler(CodegenMode mode, const AccumulateCompiler& compiler);
  void ProcessWatermark(int input, int64_t watermark) override;
  void FireProcessingTimers() override;

  /// Windows with rows waiting for the watermark.
  size_t pending_windows() const;

 private:
  /// Emits the windows whose end is at most `max_end` and drops their state.
  void FireWindowsEndingBy(int64_t max_end);

  struct State;
  std::unique_ptr<State> state_;
  std::optional<KeyEncoder> column_keys_;  // as in GroupAggregateOperator
  std::shared_ptr<const CompiledAccumulate> accumulate_;
  std::future<std::shared_ptr<const CompiledAccumulate>> pending_accumulate_;
};

/// A window aggregation fused with the HOP or CUMULATE window TVF that feeds
/// it, which SlicedWindowAggregateOperator runs.
struct SlicedWindowAggregateSpec {
  /// The window TVF, reading rows of `windows.input_types`. Its size must be
  /// a multiple of its slide or step.
  WindowTvfSpec windows;
  /// The source of a group key's value in the output rows.
  enum class KeySource { kExpression, kWindowStart, kWindowEnd, kWindowTime };
  /// One entry per group key of the window aggregation, in its order.
  std::vector<KeySource> key_sources;
  std::vector<DataType> key_types;
  /// The kExpression keys, in key order, and the aggregates, all reading the
  /// input row without the window columns.
  GroupAggregateSpec aggregate;
  bool proctime_windows = false;
};

/// HOP and CUMULATE window aggregation by slices. Each row is accumulated once,
/// in the slice that contains its time: a slide of HOP, a step of CUMULATE.
/// When a window fires, the accumulators of its slices are merged per key.
/// Slices are dropped once every window that covers them has fired. The
/// output, the late rows and their count are those of a WindowTvfOperator
/// followed by a WindowAggregateOperator, as long as every aggregate is one
/// that RetractableAccumulator::IsMergeable accepts. The exception is a
/// DECIMAL sum whose running sum passes the int128 range, which can be NULL
/// on one path and not on the other.
class SlicedWindowAggregateOperator : public Operator {
 public:
  explicit SlicedWindowAggregateOperator(SlicedWindowAggregateSpec spec);
  ~SlicedWindowAggregateOperator() override;
  std::string name() const override { return "SlicedWindowAggregate"; }
  void ProcessBatch(int input, std::vector<Row>& rows) override;
  bool TakeStateFrom(Operator& previous) override;
  void SetKeyCompiler(CodegenMode mode, const KeyCompiler& compiler) override;
  /// As GroupAggregateOperator::SetAccumulateCompiler. The compiled code
  /// also merges the slices.
  void SetAccumulateCompiler(CodegenMode mode, const AccumulateCompiler& compiler);
  void ProcessWatermark(int input, int64_t watermark) override;
  void FireProcessingTimers() override;

  /// Windows with rows waiting for the watermark.
  size_t pending_windows() const;
  /// Slices kept because a window that has not fired covers them.
  size_t slice_count() const;

 private:
  struct State;
  void FireWindowsEndingBy(int64_t max_end);
  void FireWindow(int64_t window_end, std::vector<Row>& out);

  std::unique_ptr<State> state_;
  std::optional<KeyEncoder> column_keys_;  // as in GroupAggregateOperator
  std::shared_ptr<const CompiledAccumulate> accumulate_;
  std::future<std::shared_ptr<const CompiledAccumulate>> pending_accumulate_;
};

struct SessionWindowSpec {
  std::vector<DataType> input_types;
  std::vector<int> partition_columns;  // SESSION(TABLE t PARTITION BY ...); sessions are per key
  int time_column = 0;
  int64_t gap = 0;  // milliseconds
  /// The time column is a processing-time attribute: sessions close when
  /// processing time reaches their end, and watermarks close nothing.
  bool proctime = false;
};

/// The SESSION window TVF. A session of a key spans from its first row's time
/// to its last row's time plus the gap, and rows at most the gap apart merge
/// sessions. Rows wait until the watermark closes their session
/// (window_end - 1), then go out together with window_start, window_end and
/// window_time appended, so a WindowAggregate downstream sees each session
/// once, complete. A row whose own session would already be closed is late and
/// dropped. On processing time a session closes at the first processing time
/// at or after its end instead, and no row is late.
class SessionWindowOperator : public Operator {
 public:
  explicit SessionWindowOperator(SessionWindowSpec spec);
  ~SessionWindowOperator() override;
  std::string name() const override { return "SessionWindow"; }
  void ProcessBatch(int input, std::vector<Row>& rows) override;
  bool TakeStateFrom(Operator& previous) override;
  void SetKeyCompiler(CodegenMode mode, const KeyCompiler& compiler) override;
  void ProcessWatermark(int input, int64_t watermark) override;
  void FireProcessingTimers() override;

  /// Open sessions over all keys.
  size_t open_sessions() const;
  /// True once partition keys are encoded by compiled code.
  bool uses_compiled_keys() const { return partition_key_.uses_compiled_code(); }

 private:
  /// Emits the rows of the sessions whose end is at most `max_end` and drops them.
  void CloseSessionsEndingBy(int64_t max_end);

  struct State;
  std::unique_ptr<State> state_;
  KeyEncoder partition_key_;
};

enum class SetOperation { kUnion, kIntersect, kExcept };

struct SetOperationSpec {
  std::vector<DataType> types;  // both inputs have these columns
  SetOperation operation = SetOperation::kUnion;
  bool all = false;  // INTERSECT ALL / EXCEPT ALL keep duplicates; UNION ALL needs no state
  int64_t state_ttl_ms = 0;
};

/// UNION (distinct), INTERSECT [ALL] and EXCEPT [ALL] over changelog inputs.
/// Counts each distinct row on both inputs and emits the change in how many
/// copies of it the result holds: +I for each copy gained, -D for each lost.
class SetOperationOperator : public Operator {
 public:
  explicit SetOperationOperator(SetOperationSpec spec);
  ~SetOperationOperator() override;
  std::string name() const override;
  void ProcessBatch(int input, std::vector<Row>& rows) override;
  bool TakeStateFrom(Operator& previous) override;
  void SetKeyCompiler(CodegenMode mode, const KeyCompiler& compiler) override;
  /// True once rows are encoded by compiled code.
  bool uses_compiled_keys() const { return row_key_.uses_compiled_code(); }

 private:
  struct State;
  std::unique_ptr<State> state_;
  KeyEncoder row_key_;  // of every column, shared by both inputs since they have the same types
};

/// LIMIT n OFFSET m without ORDER BY over an append-only input: skips the
/// first m rows, forwards the next n and drops the rest.
class LimitOperator : public Operator {
 public:
  LimitOperator(int64_t limit, int64_t offset) : limit_(limit), offset_(offset) {}
  std::string name() const override { return "Limit"; }
  void ProcessBatch(int input, std::vector<Row>& rows) override;
  bool TakeStateFrom(Operator& previous) override;

 private:
  int64_t limit_;
  int64_t offset_;
  int64_t seen_ = 0;
};

struct SortKeySpec {
  int column = 0;
  bool descending = false;
  bool nulls_first = true;
};

/// Returns whether `x` sorts before `y` by `keys`, with each key's direction
/// and NULL order; equal rows do not.
bool SortsBefore(RowView x, RowView y, const std::vector<SortKeySpec>& keys, const std::vector<DataType>& types);

struct TemporalSortSpec {
  std::vector<DataType> types;
  int time_column = 0;               // ascending, a time attribute
  std::vector<SortKeySpec> then_by;  // orders rows of equal time
};

/// ORDER BY a time attribute ascending, then other columns: rows wait until
/// the watermark passes their time and go out in order. Rows behind the
/// watermark are late and dropped.
class TemporalSortOperator : public Operator {
 public:
  explicit TemporalSortOperator(TemporalSortSpec spec);
  ~TemporalSortOperator() override;
  std::string name() const override { return "TemporalSort"; }
  void ProcessBatch(int input, std::vector<Row>& rows) override;
  bool TakeStateFrom(Operator& previous) override;
  void ProcessWatermark(int input, int64_t watermark) override;

 private:
  struct State;
  std::unique_ptr<State> state_;
};

struct UnnestSpec {
  std::vector<DataType> input_types;
  ExprPtr collection;  // an ARRAY, MAP or MULTISET over the input row
  std::vector<DataType> element_types;  // the columns each element becomes
  bool with_ordinality = false;  // append the element's 1-based position
  bool keep_empty = false;       // LEFT JOIN UNNEST: a row with no elements gets NULLs
};

/// CROSS JOIN UNNEST: emits each input row once per element of its
/// collection, with the element's columns appended, and with the input row's
/// kind, so retractions retract every element row. An ARRAY element is one
/// column, or its fields when it is a ROW; a MAP entry is its key and value; a
/// MULTISET element repeats as often as it occurs. A NULL or empty collection
/// yields no rows.
class UnnestOperator : public Operator {
 public:
  explicit UnnestOperator(UnnestSpec spec);
  std::string name() const override { return "Unnest"; }
  void ProcessBatch(int input, std::vector<Row>& rows) override;

 private:
  UnnestSpec spec_;
  RowBuilder builder_;
};

/// Forwards rows of several inputs unchanged (UNION ALL).
class UnionOperator : public Operator {
 public:
  explicit UnionOperator(int input_count) : Operator(input_count) {}
  std::string name() const override { return "Union"; }
  void ProcessBatch(int input, std::vector<Row>& rows) override { Emit(rows); }
};

/// The end of a graph: receives rows and watermarks and hands them to a writer.
class SinkOperator : public Operator {
 public:
  std::string name() const override { return "Sink"; }
  void ProcessWatermark(int input, int64_t watermark) override {}
};

}  // namespace fsql
