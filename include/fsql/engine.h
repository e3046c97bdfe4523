// The fsql embedding API: runs fsql rules inside an application.
//
// An Engine plans rule text exactly as `fsql check` and `fsql run` do. Rules
// whose tables are declared with 'connector' = 'embedded' run in process: the
// application pushes rows into those tables and reads the rows the rules write,
// by callback, by polling, or synchronously through Decide(). Rules that read
// Kafka tables run on a thread of their own, as under `fsql run`.
//
// Threading. Every Engine method may be called from any thread at any time.
// Each call takes one lock per engine, so calls run one after another and
// in-process rules run on the calling thread. Use one engine per shard of the
// key space to use more cores. Result callbacks run on the thread that pushed
// the row, with that lock held, or on a Kafka rule's thread. A callback must
// not call the engine: such a call fails with an Error of kind kInvalidArgument.
// A ResultRow may be read from any thread; reading one copy from several
// threads at once is safe, as for any const object.
//
// Ownership. Pushed JSON text and values are copied before Push or Decide
// returns. Result rows are values owned by the caller: a ResultRow stays valid
// after the rule that wrote it is replaced or removed and after the engine is
// destroyed. The engine itself must outlive every call made on it.
//
// Errors. Every failing call throws fsql::embed::Error and leaves the engine
// usable, except that calls after Stop() fail with kind kStopped and that a
// runtime error stops the in-process rule it happened in (kRuntime).
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#if defined(_WIN32)
#define FSQL_API
#else
#define FSQL_API __attribute__((visibility("default")))
#endif

namespace fsql::embed {

/// The change a result row stands for, as Flink's RowKind names it.
enum class RowKind { kInsert, kUpdateBefore, kUpdateAfter, kDelete };

/// "+I", "-U", "+U" or "-D".
FSQL_API const char* RowKindName(RowKind kind);

/// One column value. BOOLEAN is bool. TINYINT to BIGINT, DATE (days since the
/// epoch) and TIMESTAMP (epoch milliseconds) are int64_t. FLOAT and DOUBLE are
/// double. STRING is text. Pushed DECIMAL, ROW, ARRAY and MAP values are JSON
/// text, and returned ones are text as SQL prints them.
using Value = std::variant<std::monostate, bool, int64_t, double, std::string>;

/// The parts of a SQL error, as `fsql check` prints them.
struct Diagnostic {
  std::string message;
  std::string file;  // the name given to Load, or the file path
  int line = 0;      // 1-based; 0 when the error has no position
  int column = 0;
  std::string hint;
  bool not_supported = false;  // a Flink feature fsql does not run yet
  std::string rendered;        // file:line:col, the source line with a caret, and the hint
};

class FSQL_API Error : public std::runtime_error {
 public:
  enum class Kind {
    kInvalidRule,      // rule text that does not plan; diagnostic() has the position
    kNotFound,         // an unknown table or rule
    kInvalidRow,       // a pushed row that does not match its table
    kNotDecidable,     // Decide on a table with a downstream rule that does not qualify
    kInvalidArgument,  // any other misuse, such as pushing to a table a rule writes
    kRuntime,          // a rule failed while running, such as a failed CAST
    kStopped,          // the engine was stopped
  };

  Error(Kind kind, const std::string& message, Diagnostic diagnostic = {})
      : std::runtime_error(message), kind_(kind), diagnostic_(std::move(diagnostic)) {}

  Kind kind() const { return kind_; }
  const Diagnostic& diagnostic() const { return diagnostic_; }

 private:
  Kind kind_;
  Diagnostic diagnostic_;
};

namespace detail {
struct ResultSchema;
}

/// A row a rule wrote to a table, with its kind. A cheap-to-move value: it
/// keeps the encoded row and a shared reference to the table's column list.
class FSQL_API ResultRow {
 public:
  ResultRow();
  ResultRow(std::shared_ptr<const detail::ResultSchema> schema, std::string bytes);
  ResultRow(const ResultRow&);
  ResultRow(ResultRow&&) noexcept;
  ResultRow& operator=(const ResultRow&);
  ResultRow& operator=(ResultRow&&) noexcept;
  ~ResultRow();

  /// The rule that wrote the row.
  const std::string& rule() const;
  /// The table it was written to.
  const std::string& table() const;
  RowKind kind() const;
  /// Event time in epoch milliseconds, or nullopt when the row has none.
  std::optional<int64_t> event_time() const;
  /// The names of the table's columns, in the order of values().
  const std::vector<std::string>& column_names() const;
  /// The table's columns as values; hidden and computed columns are left out.
  std::vector<Value> values() const;
  /// The value of the column called `name`. Throws Error (kNotFound) for an unknown name.
  Value value(std::string_view name) const;
  /// The row as a JSON object keyed by column name, as a Kafka sink writes it.
  std::string ToJson() const;

 private:
  std::shared_ptr<const detail::ResultSchema> schema_;
  std::string bytes_;
};

/// The rows one Decide call produced, in the order the rules wrote them.
struct FSQL_API Decision {
  std::vector<ResultRow> rows;

  /// The rows written to `table`.
  std::vector<const ResultRow*> RowsOf(std::string_view table) const;
};

/// A rule the engine runs.
struct RuleInfo {
  std::string name;  // 'client.statement-name', else file:line
  std::string source;  // the name given to Load, or the file path
  std::vector<std::string> reads;  // source tables
  std::string writes;              // sink table
  bool in_process = false;  // reads embedded tables; false for a rule reading Kafka on its own thread
  bool failed = false;      // stopped by a runtime error, described in `error`
  std::string error;
};

/// Whether Decide works for a table, and why not.
struct DecisionCheck {
  bool allowed = false;
  /// Each in-process rule downstream of the table, with "" when it qualifies or
  /// the reason when it does not.
  std::vector<std::pair<std::string, std::string>> rules;
};

struct EngineOptions {
  /// Options every table gets unless its CREATE TABLE sets them, like
  /// `fsql run -D`: {"connector", "embedded"} runs Kafka rule files in process,
  /// {"properties.bootstrap.servers", "host:port"} points Kafka tables at a cluster.
  std::map<std::string, std::string> table_defaults;
  /// Rows kept per table for Poll() before the oldest are dropped.
  size_t max_polled_rows = 1'000'000;
  /// spdlog's level for fsql's lifecycle and error lines ("debug", "info",
  /// "warn", "error", "off"); empty keeps the current level. fsql logs
  /// through spdlog's default logger and, unless the application has set one,
  /// installs one that writes to stderr. The level is process-wide.
  std::string log_level;
};

/// Called with each row a rule writes to a subscribed table.
using ResultCallback = std::function<void(const ResultRow&)>;

class FSQL_API Engine {
 public:
  explicit Engine(EngineOptions options = {});
  /// Stops the engine.
  ~Engine();
  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;

  /// Plans `text` (SET, CREATE TABLE, CREATE VIEW, INSERT INTO, CREATE TABLE AS,
  /// ...) and starts its rules. `name` labels diagnostics, as a file path does.
  /// ${VAR} is replaced from the environment. On an error throws kInvalidRule
  /// with the same diagnostic `fsql check` prints. Then no rule of the text
  /// starts, but the tables it declared before the error stay declared. Returns
  /// the names of the rules started.
  std::vector<std::string> Load(std::string_view text, std::string_view name = "<text>");
  /// Load for files and directories (their *.fsql files in name order).
  std::vector<std::string> LoadFiles(const std::vector<std::string>& paths);

  std::vector<RuleInfo> Rules() const;
  /// The names of the tables declared so far.
  std::vector<std::string> Tables() const;

  /// Replaces the rule `name` with the single rule that `text` plans to, which
  /// takes the name `name`. Tables the text creates must not exist yet, so a
  /// CREATE TABLE AS rule is replaced by an INSERT INTO its table.
  /// NOTE: an in-process rule starts again with empty state; rows pushed
  /// before the replacement do not count towards the new rule's aggregates.
  void Replace(const std::string& name, std::string_view text, std::string_view source_name = "<text>");
  /// Stops and removes the rule `name`. Its results already returned stay valid.
  void Remove(const std::string& name);

  /// Pushes one JSON object into the embedded table `table`, as a record value
  /// of the table's format: an insertion, an upsert for a table with
  /// 'changelog.mode' = 'upsert', or a Debezium envelope for 'retract'.
  /// `event_time` (epoch milliseconds) sets `$rowtime`; without it `$rowtime`
  /// is the wall-clock time. The table's watermark follows the largest event
  /// time pushed, less the table's WATERMARK delay (100 ms for `$rowtime`),
  /// until AdvanceWatermark is called for the table.
  void Push(const std::string& table, std::string_view json, std::optional<int64_t> event_time = {});
  /// Pushes one row given as the values of the table's physical columns in
  /// order, with a row kind, so an application can retract rows it pushed.
  void Push(const std::string& table, const std::vector<Value>& values, std::optional<int64_t> event_time = {},
            RowKind kind = RowKind::kInsert);
  /// Sets the watermark of `table`, and from then on only this call moves it.
  /// A watermark never goes back: a smaller value is ignored.
  void AdvanceWatermark(const std::string& table, int64_t watermark);

  /// Pushes one row and returns every row that it produced in every in-process
  /// rule downstream of `table`, before returning. The watermark of the table
  /// first moves to the row's event time, so OVER aggregations and other
  /// event-time operators release the row at once. Rows pushed earlier with
  /// Push and still waiting for the watermark are released too. Rows returned
  /// here are not also passed to callbacks or queued for Poll. Throws
  /// kNotDecidable when a rule downstream does not qualify (see CheckDecision).
  /// Throws kInvalidRow when the row's event time is not after the table's
  /// watermark and a rule downstream has an event-time operator (OVER
  /// aggregation, interval or temporal join), because that operator would drop
  /// the row as late. Without `event_time` the row takes the wall-clock time,
  /// or 1 ms after the previous decision when that is later.
  /// NOTE: Push follows Flink instead: a late row is dropped without an error.
  Decision Decide(const std::string& table, std::string_view json, std::optional<int64_t> event_time = {});
  Decision Decide(const std::string& table, const std::vector<Value>& values,
                  std::optional<int64_t> event_time = {});
  /// Whether Decide works for `table`. A rule qualifies when each of its
  /// stateful operators on the path from `table` emits as rows arrive and keeps
  /// its state by a key computed from the pushed row's own columns. A
  /// per-account OVER window, join or Top-N qualifies. A global aggregation, a
  /// window aggregation, a set operation, LIMIT and ORDER BY do not.
  DecisionCheck CheckDecision(const std::string& table) const;

  /// Calls `callback` with every row rules write to `table` from now on, in
  /// place of queueing them for Poll. A new callback replaces the previous one,
  /// and an empty function removes it. A callback that throws stops the rule
  /// that wrote the row, as a runtime error does.
  void Subscribe(const std::string& table, ResultCallback callback);
  /// Takes up to `max_rows` queued rows of `table`, oldest first. Rows are
  /// queued for every embedded table a rule writes that has no callback and
  /// that no in-process rule reads.
  std::vector<ResultRow> Poll(const std::string& table, size_t max_rows = SIZE_MAX);

  /// Stops every rule: Kafka rules flush their output and commit their
  /// offsets. Later calls throw kStopped; a second Stop does nothing.
  void Stop();

  /// The engine's state, defined inside the library only.
  struct Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace fsql::embed
