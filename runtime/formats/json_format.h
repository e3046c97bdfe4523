// JSON value and key formats for Kafka tables, including Debezium-style
// envelopes with before/after/op.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "runtime/connectors/table_definition.h"
#include "runtime/formats/column_reads.h"
#include "runtime/row/row.h"

namespace fsql {

/// The parts of a Kafka record the decoder reads; connectors fill it from their messages.
struct RecordRef {
  const std::string* topic = nullptr;
  int32_t partition = 0;
  int64_t offset = 0;
  int64_t timestamp_ms = 0;
  const std::optional<std::string>* key = nullptr;
  const std::optional<std::string>* value = nullptr;
};

/// Decodes records of one table into changelog rows in the table's column order.
/// Not thread-safe: it reuses one parser.
///
/// Given `reads`, it converts only the columns and ROW fields listed there and
/// leaves the others NULL, so a rule that reads three fields of a wide record
/// does not pay for the rest. A value it skips is not checked either, as with
/// Flink's projection pushdown into the JSON format. The decoder adds what it
/// needs itself: the inputs of the computed columns it evaluates, the
/// Debezium `op`, and `before` wherever `after` is read.
class JsonRowDecoder {
 public:
  explicit JsonRowDecoder(const TableDefinition& table, ColumnReads reads = {});
  ~JsonRowDecoder();

  /// Appends the rows `record` stands for to `out`: none for a tombstone of an
  /// append or retract table, two (-U and +U) for a Debezium update. Throws
  /// RecordError naming the topic, partition, offset and the problem.
  void Decode(const RecordRef& record, std::vector<Row>& out);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

/// Encodes rows of one table as JSON objects keyed by column name. Hidden
/// system columns, computed columns and virtual metadata are not written.
class JsonRowEncoder {
 public:
  explicit JsonRowEncoder(const TableDefinition& table);

  std::string EncodeValue(RowView row) const;
  /// The record key: a JSON object of `key_columns`, or "" when there are none.
  std::string EncodeKey(RowView row) const;
  bool has_key() const { return !key_columns_.empty(); }

 private:
  const TableDefinition& table_;
  std::vector<int> value_columns_;
  std::vector<int> key_columns_;
};

/// Parses 'YYYY-MM-DD HH:MM:SS[.fff]' (or with 'T' and an optional 'Z') into epoch
/// milliseconds in UTC. Returns nullopt for anything else.
std::optional<int64_t> ParseTimestampMillis(std::string_view text);

/// Appends `text` as a JSON string literal with escapes.
void AppendJsonString(std::string& out, std::string_view text);

}  // namespace fsql
