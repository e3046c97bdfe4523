// The definition of a table as connectors read and write it: columns in row
// layout order, keys, and the options that decide how records become rows.
// The catalog (compiler/catalog) creates and validates these.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "runtime/common/error.h"
#include "runtime/expr/expr.h"
#include "runtime/types/data_type.h"

namespace fsql {

/// The mapping from a table's records to changelog rows, as 'changelog.mode' names it.
enum class ChangelogMode {
  kAppend,   // every record is an insertion
  kRetract,  // Debezium envelopes: 'op' decides +I, -U/+U or -D
  kUpsert,   // the record key is the primary key; a tombstone deletes it
};

const char* ChangelogModeName(ChangelogMode mode);

enum class ColumnKind { kPhysical, kComputed, kMetadata, kSystem };

struct CatalogColumn {
  std::string name;
  DataType type;
  ColumnKind kind = ColumnKind::kPhysical;
  ExprPtr computed;          // kComputed, bound over the physical columns
  std::string metadata_key;  // kMetadata: 'timestamp', 'partition', 'offset', 'topic'
  bool is_virtual = false;   // metadata read but never written

  /// True for `name AS PROCTIME()`, a processing-time attribute. Its value is
  /// set when a rule reads the row, not when the record is decoded.
  bool is_proctime() const {
    return kind == ColumnKind::kComputed && computed != nullptr && computed->kind == ExprKind::kCall &&
           computed->function == "PROCTIME";
  }
};

/// A table of the catalog. Column order is the row layout; `$rowtime`, the Kafka
/// message timestamp, is always the last column and is hidden from SELECT *.
struct TableDefinition {
  std::string name;
  SourceLocation location;
  std::vector<CatalogColumn> columns;
  std::vector<std::string> primary_key;
  std::vector<std::string> distribution_keys;
  int buckets = 0;  // 0 when DISTRIBUTED BY gave no count
  std::map<std::string, std::string> options;

  // Derived from the options.
  /// 'connector': "kafka", or "embedded" for a table that an application
  /// linking the fsql library feeds and reads in process (include/fsql).
  std::string connector = "kafka";
  std::string topic;
  ChangelogMode changelog_mode = ChangelogMode::kAppend;
  std::string startup_mode = "earliest-offset";
  bool ignore_parse_errors = false;

  // Event time: the column rows are ordered by and the watermark delay after the
  // largest value seen. Without a WATERMARK clause the column is `$rowtime`.
  int rowtime_column = -1;
  int64_t watermark_delay_ms = 0;

  bool is_embedded() const { return connector == "embedded"; }
  int FindColumn(const std::string& column) const;
  int rowtime_system_column() const { return static_cast<int>(columns.size()) - 1; }
  std::vector<DataType> ColumnTypes() const;
  /// Indexes of the primary-key columns, in key order.
  std::vector<int> PrimaryKeyIndexes() const;
  /// True when the table's columns are a Debezium envelope: `before`, `after` and `op`.
  bool IsCdcEnvelope() const;
};

}  // namespace fsql
