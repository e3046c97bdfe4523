#include "cli/repl_query.h"

#include <chrono>
#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <vector>

#include "cli/repl_signals.h"
#include "cli/repl_table.h"
#include "runtime/job/rule_job.h"

namespace fsql::cli {

namespace {

using Cells = std::vector<std::string>;

struct OutputColumn {
  uint32_t index = 0;  // position in the pipeline's output rows
  std::string name;
  DataType type;
};

/// Rows formatted on the job thread and printed on the REPL thread.
class RowQueue {
 public:
  void Push(Cells cells) {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      rows_.push_back(std::move(cells));
    }
    ready_.notify_one();
  }

  /// Waits up to `timeout` for rows and takes all of them.
  std::deque<Cells> Take(std::chrono::milliseconds timeout) {
    std::unique_lock<std::mutex> lock(mutex_);
    ready_.wait_for(lock, timeout, [&] { return !rows_.empty(); });
    std::deque<Cells> taken;
    taken.swap(rows_);
    return taken;
  }

 private:
  std::mutex mutex_;
  std::condition_variable ready_;
  std::deque<Cells> rows_;
};

/// The sink of an ad hoc query: formats each changelog row into cells, the
/// first one the row kind, and hands them to the printing thread.
class QuerySinkOperator : public SinkOperator {
 public:
  QuerySinkOperator(std::vector<OutputColumn> columns, int64_t max_rows, RowQueue& queue)
      : columns_(std::move(columns)), max_rows_(max_rows), queue_(queue) {}

  std::string name() const override { return "QuerySink"; }

  void ProcessBatch(int input, std::vector<Row>& rows) override {
    for (const Row& row : rows) {
      // Rows past the limit are dropped here while the REPL thread stops the job.
      if (max_rows_ > 0 && accepted_ >= max_rows_) return;
      RowView view = row.view();
      Cells cells{RowKindShortString(row.kind())};
      for (const auto& column : columns_) {
        cells.push_back(FormatCell(view.GetValue(column.index, column.type), column.type));
      }
      queue_.Push(std::move(cells));
      ++accepted_;
    }
  }

 private:
  std::vector<OutputColumn> columns_;
  int64_t max_rows_;
  RowQueue& queue_;
  int64_t accepted_ = 0;
};

enum class QueryEnd { kFinished, kCancelled, kRowLimit, kFailed };

std::vector<OutputColumn> VisibleColumns(const PlanNode& plan) {
  std::vector<OutputColumn> columns;
  for (size_t i = 0; i < plan.schema.size(); ++i) {
    if (plan.schema[i].hidden) continue;
    columns.push_back(OutputColumn{static_cast<uint32_t>(i), plan.schema[i].name, plan.schema[i].type});
  }
  return columns;
}

std::vector<TableColumn> TableColumnsFor(const std::vector<OutputColumn>& columns, int max_width) {
  std::vector<TableColumn> table{TableColumn{"op", 2, false}};
  for (const auto& column : columns) {
    int width = std::max(DisplayWidth(column.name), ColumnWidthForType(column.type, max_width));
    table.push_back(TableColumn{column.name, width, column.type.IsNumeric()});
  }
  return table;
}

/// Points each source of `pipeline` at a copy of its table whose consumer
/// group is `group_prefix.<n>`, and returns the copies, which must outlive the job.
std::vector<std::unique_ptr<TableDefinition>> IsolateConsumerGroups(Pipeline& pipeline,
                                                                    const std::string& group_prefix) {
  std::vector<std::unique_ptr<TableDefinition>> copies;
  for (size_t i = 0; i < pipeline.sources.size(); ++i) {
    auto copy = std::make_unique<TableDefinition>(*pipeline.sources[i].table);
    // One group per source, because a self-join reads the same topic twice.
    copy->options["properties.group.id"] = fmt::format("{}.{}", group_prefix, i + 1);
    pipeline.sources[i].table = copy.get();
    copies.push_back(std::move(copy));
  }
  return copies;
}

/// Feeds the VALUES rows of a query that reads no table, as RuleJob does before its first poll.
void RunValuesOnly(Pipeline& pipeline) {
  pipeline.SetProcessingTime(
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
          .count());
  for (auto& values : pipeline.values) {
    std::vector<Row> rows = values.rows;
    values.entry->ProcessBatch(0, rows);
    values.entry->ProcessWatermark(0, INT64_MAX);
  }
}

int64_t PrintRows(std::deque<Cells> rows, TablePrinter& printer) {
  for (const auto& cells : rows) printer.PrintRow(cells);
  return static_cast<int64_t>(rows.size());
}

/// Prints rows from `queue` until the job fails, Ctrl-C or the row limit.
QueryEnd PrintUntilEnd(RuleJob& job, RowQueue& queue, TablePrinter& printer, const QuerySettings& settings,
                       int64_t& printed) {
  while (true) {
    printed += PrintRows(queue.Take(std::chrono::milliseconds(100)), printer);
    if (settings.max_rows > 0 && printed >= settings.max_rows) return QueryEnd::kRowLimit;
    if (InterruptRequested() || TerminationRequested()) return QueryEnd::kCancelled;
    if (job.status().state == JobState::kFailed) return QueryEnd::kFailed;
  }
}

std::string RowCount(int64_t rows) { return fmt::format("{} row{}", rows, rows == 1 ? "" : "s"); }

void PrintSummary(QueryEnd end, int64_t printed, const QuerySettings& settings, std::ostream& out) {
  std::string total = "Received a total of " + RowCount(printed);
  switch (end) {
    case QueryEnd::kFinished:
    case QueryEnd::kFailed:
      out << total << "\n";
      break;
    case QueryEnd::kCancelled:
      out << total << "; the query was cancelled\n";
      break;
    case QueryEnd::kRowLimit:
      out << total << fmt::format("; the query stopped at the limit of {} set by {}\n", RowCount(settings.max_rows),
                                  settings.max_rows_source);
      break;
  }
  out.flush();
}

}  // namespace

void RequireBootstrapServers(const Pipeline& pipeline) {
  std::vector<const TableDefinition*> tables;
  for (const auto& source : pipeline.sources) tables.push_back(source.table);
  if (pipeline.sink_table) tables.push_back(pipeline.sink_table);
  for (const TableDefinition* table : tables) {
    if (table->options.count("properties.bootstrap.servers")) continue;
    throw Error(fmt::format("table {} has no 'properties.bootstrap.servers'; start fsql repl with "
                            "--bootstrap-servers HOST:PORT, or create the table with the option in its WITH clause",
                            table->name));
  }
}

bool RunQuery(const RulePlan& query, const std::string& group_prefix, const QuerySettings& settings,
              std::ostream& out, std::ostream& err) {
  std::vector<OutputColumn> columns = VisibleColumns(*query.plan);
  Pipeline pipeline = BuildPipeline(query);
  RequireBootstrapServers(pipeline);
  RowQueue queue;
  auto* sink = pipeline.Add<QuerySinkOperator>(columns, settings.max_rows, queue);
  pipeline.output->Connect(sink, 0);
  TablePrinter printer(out, TableColumnsFor(columns, settings.max_column_width));
  int64_t printed = 0;

  if (pipeline.sources.empty()) {
    RunValuesOnly(pipeline);
    printer.PrintHeader();
    printed = PrintRows(queue.Take(std::chrono::milliseconds(0)), printer);
    printer.PrintFooter();
    bool limited = settings.max_rows > 0 && printed >= settings.max_rows;
    PrintSummary(limited ? QueryEnd::kRowLimit : QueryEnd::kFinished, printed, settings, out);
    return true;
  }

  auto tables = IsolateConsumerGroups(pipeline, group_prefix);
  RuleJob job(group_prefix, std::move(pipeline));
  job.Start();
  printer.PrintHeader();
  QueryEnd end = PrintUntilEnd(job, queue, printer, settings, printed);
  job.Stop();
  // The terminal echoed ^C without a line break; the table goes on below it.
  if (end == QueryEnd::kCancelled) out << "\n";
  printed += PrintRows(queue.Take(std::chrono::milliseconds(0)), printer);
  printer.PrintFooter();
  PrintSummary(end, printed, settings, out);
  if (end != QueryEnd::kFailed) return true;
  out.flush();
  err << "[ERROR] The query failed: " << job.status().error << "\n";
  return false;
}

}  // namespace fsql::cli
