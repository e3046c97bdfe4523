// A rule's executable form: its operators, the tables that feed them and the
// table it writes. The physical planner builds it; a job runs it.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "runtime/connectors/table_definition.h"
#include "runtime/formats/column_reads.h"
#include "runtime/operators/operator.h"

namespace fsql {

/// Forwards rows and watermarks unchanged; the entry point of a source table.
class SourceEntryOperator : public Operator {
 public:
  std::string name() const override { return "Source"; }
  void ProcessBatch(int input, std::vector<Row>& rows) override { Emit(rows); }
};

struct Pipeline {
  struct Source {
    const TableDefinition* table = nullptr;
    Operator* entry = nullptr;  // receives the decoded rows on input 0
    /// The parts of the table the rule reads. A decoder built with them skips the rest.
    ColumnReads reads;
  };
  struct Values {
    std::vector<Row> rows;
    Operator* entry = nullptr;
  };

  /// Keeps alive what `sources` and `sink_table` point into, such as the
  /// catalog the rule was planned against. Declared first so that it is
  /// released after the operators.
  std::shared_ptr<const void> owner;
  std::vector<std::unique_ptr<Operator>> operators;  // in creation order, sinks last
  std::vector<Source> sources;
  std::vector<Values> values;
  const TableDefinition* sink_table = nullptr;
  Operator* output = nullptr;  // the operator whose rows go to the sink

  /// Returns the union of what the sources of `table` read, for one decoder
  /// that feeds all of them.
  ColumnReads ReadsOf(const TableDefinition& table) const {
    ColumnReads reads;
    bool first = true;
    for (const auto& source : sources) {
      if (source.table != &table) continue;
      if (first) {
        reads = source.reads;
        first = false;
      } else {
        MergeColumnReads(reads, source.reads);
      }
    }
    return reads;
  }

  template <typename T, typename... Args>
  T* Add(Args&&... args) {
    auto op = std::make_unique<T>(std::forward<Args>(args)...);
    T* raw = op.get();
    operators.push_back(std::move(op));
    return raw;
  }

  /// Sets the processing time every operator uses for the next batch, then
  /// fires the processing-time timers that are due. A job calls it before each
  /// batch and also when its sources are idle, so processing-time windows close
  /// without new rows.
  void SetProcessingTime(int64_t millis) {
    for (auto& op : operators) op->SetProcessingTime(millis);
    for (auto& op : operators) op->FireProcessingTimers();
  }
};

/// Collects sink rows in memory; tests and `fsql check --run` read them.
class CollectSinkOperator : public SinkOperator {
 public:
  void ProcessBatch(int input, std::vector<Row>& rows) override {
    for (Row& row : rows) rows_.push_back(std::move(row));
  }
  const std::vector<Row>& rows() const { return rows_; }

 private:
  std::vector<Row> rows_;
};

}  // namespace fsql
