#include "compiler/catalog/catalog.h"

#include <algorithm>
#include <mutex>
#include <set>

#include "compiler/binder/binder.h"
#include "compiler/binder/expression_binder.h"
#include "runtime/common/logging.h"

namespace fsql {

namespace {

size_t EditDistance(const std::string& a, const std::string& b) {
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diagonal = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      size_t above = row[j];
      bool same = std::tolower(static_cast<unsigned char>(a[i - 1])) == std::tolower(static_cast<unsigned char>(b[j - 1]));
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (same ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

// Options that change behaviour, and options Confluent Cloud writes that mean
// nothing to fsql; anything else is a typo or an unsupported feature.
const std::set<std::string>& SupportedOptions() {
  static const std::set<std::string> options = {
      "connector", "topic", "scan.startup.mode", "scan.startup.timestamp-millis", "value.format", "format",
      "key.format", "changelog.mode", "value.json.ignore-parse-errors", "json.ignore-parse-errors",
      "value.fields-include", "properties.group.id", "properties.bootstrap.servers",
  };
  return options;
}

const std::set<std::string>& IgnoredOptions() {
  static const std::set<std::string> options = {
      "kafka.retention.time", "kafka.retention.size", "kafka.cleanup-policy", "kafka.max-message-size",
      "kafka.producer.compression.type", "kafka.message.timestamp.type", "kafka.consumer.isolation-level",
      "scan.bounded.mode", "sink.partitioner", "value.json-registry.schema-context",
      "key.json-registry.schema-context", "value.avro-registry.schema-context", "key.avro-registry.schema-context",
      "value.format.schema-id", "key.format.schema-id", "confluent.value.schema.validation",
  };
  return options;
}

std::vector<std::string> KnownOptionNames() {
  std::vector<std::string> names(SupportedOptions().begin(), SupportedOptions().end());
  names.insert(names.end(), IgnoredOptions().begin(), IgnoredOptions().end());
  return names;
}

const ast::TableOption* FindOption(const ast::CreateTable& statement, const std::string& key) {
  for (const auto& option : statement.options) {
    if (option.key == key) return &option;
  }
  return nullptr;
}

SourceLocation OptionLocation(const ast::CreateTable& statement, const std::string& key,
                              const SourceLocation& fallback) {
  const ast::TableOption* option = FindOption(statement, key);
  return option ? option->location : fallback;
}

/// Logs a notice about a table once per process. Every reload of a watched
/// rule file declares its tables again, and repeating the same lines on each
/// edit buried the reload's own report.
void LogTableNoticeOnce(const std::string& message) {
  static std::mutex mutex;
  static std::set<std::string> logged;
  std::lock_guard<std::mutex> lock(mutex);
  if (logged.insert(message).second) spdlog::info("{}", message);
}

void ApplyOptions(TableDefinition& table, const ast::CreateTable& statement, const SessionConfig& config) {
  for (const auto& option : statement.options) {
    if (table.options.count(option.key)) {
      throw SqlError(fmt::format("option '{}' is set twice", option.key), option.location);
    }
    bool known = SupportedOptions().count(option.key) || IgnoredOptions().count(option.key) ||
                 option.key.rfind("properties.", 0) == 0;
    if (!known) {
      std::string hint = DidYouMean(option.key, KnownOptionNames());
      throw SqlError(fmt::format("unknown table option '{}' for table {}", option.key, table.name), option.location,
                     hint.empty() ? "see docs/semantics.md for the supported options" : hint);
    }
    if (IgnoredOptions().count(option.key)) {
      LogTableNoticeOnce(fmt::format("table {}: option '{}' = '{}' has no effect in fsql and is ignored", table.name,
                                     option.key, option.value));
    }
    table.options[option.key] = option.value;
  }
  for (const auto& [key, value] : config.default_table_options) table.options.emplace(key, value);

  auto get = [&](const std::string& key, const std::string& fallback) {
    auto it = table.options.find(key);
    return it == table.options.end() ? fallback : it->second;
  };
  std::string connector = get("connector", "kafka");
  if (connector != "kafka" && connector != "embedded") {
    throw NotSupportedError(fmt::format("connector '{}' is not supported yet", connector),
                            OptionLocation(statement, "connector", table.location),
                            "use 'kafka', or 'embedded' for a table an application feeds through the fsql library");
  }
  table.connector = connector;
  table.topic = get("topic", table.name);

  std::string format = get("value.format", get("format", "json"));
  if (format == "json-registry") {
    LogTableNoticeOnce(fmt::format(
        "table {}: 'json-registry' values are read and written as plain JSON; fsql uses no schema registry",
        table.name));
  } else if (format != "json") {
    throw NotSupportedError(fmt::format("value format '{}' is not supported yet", format),
                            OptionLocation(statement, table.options.count("value.format") ? "value.format" : "format",
                                           table.location),
                            "use 'json'; Debezium envelopes are read as JSON with before/after/op columns");
  }
  std::string key_format = get("key.format", "json");
  if (key_format != "json" && key_format != "json-registry") {
    throw NotSupportedError(fmt::format("key format '{}' is not supported yet", key_format),
                            OptionLocation(statement, "key.format", table.location), "use 'json'");
  }
  std::string fields_include = get("value.fields-include", "all");
  if (fields_include != "all") {
    throw NotSupportedError(fmt::format("'value.fields-include' = '{}' is not supported yet", fields_include),
                            OptionLocation(statement, "value.fields-include", table.location), "use 'all'");
  }

  std::string mode = get("changelog.mode", table.primary_key.empty() ? "append" : "upsert");
  if (mode == "append") {
    table.changelog_mode = ChangelogMode::kAppend;
  } else if (mode == "retract") {
    table.changelog_mode = ChangelogMode::kRetract;
  } else if (mode == "upsert") {
    table.changelog_mode = ChangelogMode::kUpsert;
  } else {
    throw SqlError(fmt::format("invalid 'changelog.mode' = '{}'", mode),
                   OptionLocation(statement, "changelog.mode", table.location), "use 'append', 'retract' or 'upsert'");
  }
  if (table.changelog_mode == ChangelogMode::kUpsert && table.primary_key.empty()) {
    throw SqlError(fmt::format("table {} has 'changelog.mode' = 'upsert' but no primary key", table.name),
                   table.location, "add PRIMARY KEY (...) NOT ENFORCED");
  }
  if (table.changelog_mode == ChangelogMode::kRetract && !table.IsCdcEnvelope()) {
    throw NotSupportedError(
        fmt::format("'changelog.mode' = 'retract' needs Debezium envelope columns before, after and op in {}",
                    table.name),
        OptionLocation(statement, "changelog.mode", table.location),
        "declare `before` and `after` as the same ROW type and `op` as STRING");
  }

  static const std::set<std::string> startup_modes = {"earliest-offset", "latest-offset", "group-offsets",
                                                      "timestamp"};
  table.startup_mode = get("scan.startup.mode", "earliest-offset");
  if (!startup_modes.count(table.startup_mode)) {
    throw SqlError(fmt::format("invalid 'scan.startup.mode' = '{}'", table.startup_mode),
                   OptionLocation(statement, "scan.startup.mode", table.location),
                   "use earliest-offset, latest-offset, group-offsets or timestamp");
  }
  std::string ignore = get("value.json.ignore-parse-errors", get("json.ignore-parse-errors", "false"));
  if (ignore != "true" && ignore != "false") {
    throw SqlError(fmt::format("invalid ignore-parse-errors value '{}'", ignore), table.location,
                   "use 'true' or 'false'");
  }
  table.ignore_parse_errors = ignore == "true";
}

void ValidateKeys(const TableDefinition& table, const ast::CreateTable& statement) {
  for (const auto& key : table.primary_key) {
    int index = table.FindColumn(key);
    if (index < 0) {
      std::vector<std::string> names;
      for (const auto& c : table.columns) names.push_back(c.name);
      throw SqlError(fmt::format("primary key column '{}' not found in table {}", key, table.name),
                     statement.primary_key_location, DidYouMean(key, names));
    }
  }
  for (const auto& key : table.distribution_keys) {
    if (table.FindColumn(key) < 0) {
      throw SqlError(fmt::format("distribution column '{}' not found in table {}", key, table.name), table.location);
    }
  }
  if (!statement.partitioned_by.empty()) {
    throw NotSupportedError("PARTITIONED BY is not supported yet", table.location,
                            "use DISTRIBUTED BY HASH(...) INTO n BUCKETS for Kafka partitions");
  }
}

void AddRowtimeColumn(TableDefinition& table) {
  CatalogColumn rowtime;
  rowtime.name = "$rowtime";
  rowtime.type = DataType::Timestamp(3, true, false);
  rowtime.kind = ColumnKind::kSystem;
  table.columns.push_back(rowtime);
  table.rowtime_column = table.rowtime_system_column();
  table.watermark_delay_ms = kDefaultWatermarkDelayMs;
}

void ApplyWatermark(TableDefinition& table, const ast::CreateTable& statement) {
  if (statement.watermark_column.empty()) return;
  int column = table.FindColumn(statement.watermark_column);
  if (column < 0) {
    throw SqlError(fmt::format("watermark column '{}' not found", statement.watermark_column),
                   statement.watermark_location);
  }
  if (!table.columns[column].type.IsTimestamp()) {
    throw SqlError(fmt::format("watermark column '{}' has type {}, but must be TIMESTAMP(3) or TIMESTAMP_LTZ(3)",
                               statement.watermark_column, table.columns[column].type.ToString()),
                   statement.watermark_location, "declare a computed column, e.g. ts AS TO_TIMESTAMP_LTZ(epoch_ms, 3)");
  }
  const ast::Expr& expr = *statement.watermark_expr;
  int64_t delay = 0;
  auto is_column = [&](const ast::Expr& e) {
    return e.kind == ast::ExprKind::kColumnRef && e.name_parts.size() == 1 &&
           e.name_parts[0] == statement.watermark_column;
  };
  if (is_column(expr)) {
    delay = 0;
  } else if (expr.kind == ast::ExprKind::kBinary && expr.name == "-" && is_column(*expr.children[0]) &&
             expr.children[1]->kind == ast::ExprKind::kInterval) {
    delay = IntervalMillis(*expr.children[1]);
  } else {
    throw NotSupportedError("watermark expressions other than `ts` and `ts - INTERVAL ...` are not supported yet",
                            expr.location, fmt::format("write WATERMARK FOR {0} AS {0} - INTERVAL '5' SECOND",
                                                       statement.watermark_column));
  }
  table.rowtime_column = column;
  table.watermark_delay_ms = delay;
}

}  // namespace

std::vector<std::string> SimilarNames(const std::string& name, const std::vector<std::string>& candidates) {
  std::vector<std::pair<size_t, std::string>> scored;
  for (const auto& candidate : candidates) {
    size_t distance = EditDistance(name, candidate);
    size_t limit = std::max<size_t>(2, name.size() / 3);
    bool case_only = distance == 0 && candidate != name;
    if ((distance <= limit && candidate != name) || case_only) scored.emplace_back(distance, candidate);
  }
  std::sort(scored.begin(), scored.end());
  std::vector<std::string> out;
  for (size_t i = 0; i < scored.size() && i < 3; ++i) out.push_back(scored[i].second);
  return out;
}

std::string DidYouMean(const std::string& name, const std::vector<std::string>& candidates) {
  std::vector<std::string> similar = SimilarNames(name, candidates);
  if (similar.empty()) return {};
  std::vector<std::string> quoted;
  for (const auto& s : similar) quoted.push_back("'" + s + "'");
  return fmt::format("did you mean {}?", fmt::join(quoted, " or "));
}

const TableDefinition& Catalog::CreateTable(const ast::CreateTable& statement, const SessionConfig& config) {
  if (!statement.like_table.empty()) {
    std::unique_ptr<ast::CreateTable> merged = MergeLike(statement);
    return CreateTable(*merged, config);
  }
  std::string name = ast::JoinName(statement.name);
  if (statement.if_not_exists && tables_.count(name)) return *tables_[name];
  TableDefinition& table = Register(Build(statement, config), statement.if_not_exists);
  Remember(statement, config);
  return table;
}

TableDefinition Catalog::Build(const ast::CreateTable& statement, const SessionConfig& config) {
  if (statement.distribution_kind == "RANGE") {
    throw NotSupportedError("DISTRIBUTED BY RANGE is not supported: Kafka topics are distributed by key hash",
                            statement.distribution_location, "write DISTRIBUTED BY HASH(...) or DISTRIBUTED BY (...)");
  }
  TableDefinition table;
  table.name = ast::JoinName(statement.name);
  table.location = statement.columns.empty() ? SourceLocation{} : statement.columns.front().location;
  table.primary_key = statement.primary_key;
  table.distribution_keys = statement.distribution_keys;
  table.buckets = statement.buckets.value_or(0);

  Scope physical;
  for (const auto& column : statement.columns) {
    if (!column.unsupported_type.empty()) {
      throw NotSupportedError(fmt::format("column type {} is not supported", column.unsupported_type),
                              column.location, "declare the column as STRING or BYTES");
    }
    if (table.FindColumn(column.name) >= 0) {
      throw SqlError(fmt::format("column '{}' is declared twice", column.name), column.location);
    }
    CatalogColumn out;
    out.name = column.name;
    if (column.computed) {
      out.kind = ColumnKind::kComputed;
      out.computed = BindScalar(*column.computed, physical);
      out.type = out.computed->type;
    } else {
      out.type = column.type;
      if (column.metadata) {
        static const std::set<std::string> keys = {"timestamp", "partition", "offset", "topic"};
        out.kind = ColumnKind::kMetadata;
        out.metadata_key = column.metadata_key.empty() ? column.name : column.metadata_key;
        out.is_virtual = column.is_virtual;
        if (!keys.count(out.metadata_key)) {
          throw NotSupportedError(fmt::format("metadata key '{}' is not supported", out.metadata_key),
                                  column.location, "use 'timestamp', 'partition', 'offset' or 'topic'");
        }
      }
      ValidateType(out.type, column.location);
      if (!column.metadata) physical.columns.push_back(Scope::Entry{"", column.name, column.type});
    }
    table.columns.push_back(out);
  }
  ValidateKeys(table, statement);
  // Flink declares primary key columns NOT NULL whether or not the DDL declares it.
  for (const auto& key : table.primary_key) table.columns[table.FindColumn(key)].type.nullable = false;
  AddRowtimeColumn(table);
  ApplyWatermark(table, statement);
  ApplyOptions(table, statement, config);
  return table;
}

const TableDefinition& Catalog::CreateTableFromSchema(const ast::CreateTable& statement,
                                                      const std::vector<RowField>& query_schema,
                                                      const SessionConfig& config) {
  TableDefinition table;
  table.name = ast::JoinName(statement.name);
  table.location = statement.name_location;
  table.primary_key = statement.primary_key;
  table.distribution_keys = statement.distribution_keys;
  table.buckets = statement.buckets.value_or(0);
  for (const auto& field : query_schema) {
    CatalogColumn column;
    column.name = field.name;
    column.type = field.type;
    table.columns.push_back(column);
  }
  // Declared columns of a CREATE TABLE AS must match the query's columns by name.
  for (const auto& declared : statement.columns) {
    int index = table.FindColumn(declared.name);
    if (index < 0) {
      std::vector<std::string> names;
      for (const auto& f : query_schema) names.push_back(f.name);
      throw SqlError(fmt::format("column '{}' is declared but the query has no such column", declared.name),
                     declared.location, DidYouMean(declared.name, names));
    }
    if (!declared.computed && !declared.type.SameShape(table.columns[index].type)) {
      throw SqlError(fmt::format("column '{}' is declared as {} but the query returns {}", declared.name,
                                 declared.type.ToString(), table.columns[index].type.ToString()),
                     declared.location, "CAST the query column to the declared type");
    }
  }
  for (const auto& key : table.primary_key) {
    int index = table.FindColumn(key);
    if (index >= 0 && table.columns[index].type.nullable) {
      // Flink requires NOT NULL key columns; COALESCE(key, 0) is the usual way to get one.
      throw SqlError(fmt::format("primary key column '{}' is nullable", key), statement.primary_key_location,
                     fmt::format("make it NOT NULL, e.g. COALESCE({}, 0) AS {}", key, key));
    }
  }
  ValidateKeys(table, statement);
  AddRowtimeColumn(table);
  ApplyOptions(table, statement, config);
  if (statement.replace && !tables_.count(table.name)) {
    throw SqlError(fmt::format("table '{}' not found; REPLACE TABLE replaces an existing table", table.name),
                   table.location, "use CREATE OR REPLACE TABLE");
  }
  if ((statement.or_replace || statement.replace) && tables_.count(table.name)) {
    // Rules planned before keep the old definition alive through retired_.
    retired_.push_back(std::move(tables_[table.name]));
    tables_.erase(table.name);
    definitions_.erase(table.name);
  }
  bool existed = tables_.count(table.name) > 0;
  TableDefinition& registered = Register(std::move(table), statement.if_not_exists);
  if (!existed) {
    // ALTER TABLE and LIKE work on a definition; this one declares the query's columns.
    auto definition = ast::Clone(statement);
    definition->as_query = nullptr;
    definition->columns.clear();
    for (const auto& field : query_schema) {
      ast::ColumnDef column;
      column.location = statement.primary_key_location;
      column.name = field.name;
      column.type = field.type;
      definition->columns.push_back(std::move(column));
    }
    definitions_[registered.name] = StoredDefinition{std::move(definition), config.default_table_options};
  }
  return registered;
}

TableDefinition& Catalog::Register(TableDefinition table, bool if_not_exists) {
  if (views_.count(table.name)) {
    throw SqlError(fmt::format("a view named {} already exists", table.name), table.location);
  }
  auto it = tables_.find(table.name);
  if (it != tables_.end()) {
    if (if_not_exists) return *it->second;
    throw SqlError(fmt::format("table {} already exists", table.name), table.location,
                   "use CREATE TABLE IF NOT EXISTS, or another name");
  }
  for (const auto& column : table.columns) {
    const DataType& type = column.type;
    bool fractional = type.IsTimestamp() || type.id == TypeId::kTime;
    if (fractional && type.precision > 3) {
      spdlog::warn("table {}: column {} is {}, but fsql keeps millisecond precision, so digits after the third are "
                   "cut",
                   table.name, column.name, type.ToString());
    }
  }
  std::string name = table.name;
  auto& slot = tables_[name];
  slot = std::make_unique<TableDefinition>(std::move(table));
  return *slot;
}

void Catalog::CreateView(const ast::CreateView& statement, const SourceLocation& location) {
  std::string name = ast::JoinName(statement.name);
  if (views_.count(name) || tables_.count(name)) {
    if (statement.if_not_exists) return;
    throw SqlError(fmt::format("a table or view named {} already exists", name), location,
                   "use CREATE VIEW IF NOT EXISTS, or another name");
  }
  views_[name] = ViewDefinition{name, location, statement.query, statement.column_names};
}

const ViewDefinition* Catalog::FindView(const std::string& name) const {
  auto it = views_.find(name);
  return it == views_.end() ? nullptr : &it->second;
}

const TableDefinition* Catalog::Find(const std::string& name) const {
  auto it = tables_.find(name);
  return it == tables_.end() ? nullptr : it->second.get();
}

const TableDefinition& Catalog::Get(const std::string& name, const SourceLocation& location) const {
  if (const TableDefinition* table = Find(name)) return *table;
  std::vector<std::string> names = TableNames();
  for (const auto& [view, definition] : views_) names.push_back(view);
  std::string hint = DidYouMean(name, names);
  throw SqlError(fmt::format("table '{}' not found", name), location,
                 hint.empty() ? "declare it with CREATE TABLE in a rule file loaded before this one" : hint);
}

std::vector<std::string> Catalog::TableNames() const {
  std::vector<std::string> names;
  for (const auto& [name, table] : tables_) names.push_back(name);
  return names;
}

std::vector<std::string> Catalog::ViewNames() const {
  std::vector<std::string> names;
  for (const auto& [name, view] : views_) names.push_back(name);
  return names;
}

}  // namespace fsql
