// Tables known to a running fsql instance: their schema, connector options and
// changelog mode, validated once when the CREATE TABLE statement is loaded.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "compiler/parser/ast.h"
#include "runtime/connectors/table_definition.h"
#include "runtime/expr/expr.h"
#include "runtime/types/data_type.h"

namespace fsql {

/// The default watermark delay for `$rowtime`; see docs/semantics.md.
inline constexpr int64_t kDefaultWatermarkDelayMs = 100;

/// Session settings from SET statements, plus defaults supplied by `fsql run`.
struct SessionConfig {
  std::map<std::string, std::string> settings;
  /// Options every Kafka table gets unless it sets them, e.g. properties.bootstrap.servers.
  std::map<std::string, std::string> default_table_options;
};

/// A view: a named query, bound again wherever it is used.
struct ViewDefinition {
  std::string name;
  SourceLocation location;
  std::shared_ptr<ast::Query> query;
  std::vector<std::string> column_names;  // empty when the query's names are kept
};

class Catalog {
 public:
  /// Registers a view. Throws SqlError if a table or view of that name exists.
  void CreateView(const ast::CreateView& statement, const SourceLocation& location);
  const ViewDefinition* FindView(const std::string& name) const;

  /// Validates and registers a CREATE TABLE without AS, merging the source table's
  /// definition first for CREATE TABLE ... LIKE. Throws SqlError.
  const TableDefinition& CreateTable(const ast::CreateTable& statement, const SessionConfig& config);
  /// Applies ALTER TABLE and re-validates the table. Plans built before keep the
  /// definition they were built with. Throws SqlError, or NotSupportedError for
  /// partitions and watermarks on CREATE TABLE AS tables.
  void AlterTable(const ast::AlterTable& statement, const SessionConfig& config);
  /// DROP TABLE and DROP VIEW. Throws SqlError when the object is missing, unless IF EXISTS.
  void Drop(const ast::Drop& statement, const SourceLocation& location);
  /// Returns `table` with the options of OPTIONS(...) hints applied, validated like
  /// CREATE TABLE options, or `table` itself when `hints` has no OPTIONS hint. The
  /// catalog owns the returned definition.
  const TableDefinition& WithHintOptions(const TableDefinition& table, const std::vector<ast::Hint>& hints) const;
  /// Registers a table whose columns come from a query (CREATE TABLE AS).
  const TableDefinition& CreateTableFromSchema(const ast::CreateTable& statement,
                                               const std::vector<RowField>& query_schema,
                                               const SessionConfig& config);

  const TableDefinition* Find(const std::string& name) const;
  /// The CREATE TABLE statement that defines `name` now, after ALTER TABLE; null if none.
  const ast::CreateTable* FindDefinition(const std::string& name) const;
  /// Like Find, but throws SqlError at `location` with similar names as a hint.
  const TableDefinition& Get(const std::string& name, const SourceLocation& location) const;
  std::vector<std::string> TableNames() const;
  std::vector<std::string> ViewNames() const;

 private:
  /// The statement a table was built from, and the session's default options then.
  struct StoredDefinition {
    std::shared_ptr<ast::CreateTable> statement;
    std::map<std::string, std::string> default_options;
  };

  /// Validates `statement` into a definition without registering it.
  static TableDefinition Build(const ast::CreateTable& statement, const SessionConfig& config);
  /// CREATE TABLE ... LIKE: the statement with the source table's parts merged in.
  std::unique_ptr<ast::CreateTable> MergeLike(const ast::CreateTable& statement) const;
  TableDefinition& Register(TableDefinition table, bool if_not_exists);
  /// Replaces the registered table `name`, keeping the old definition alive for the
  /// plans that point at it.
  void Replace(const std::string& name, TableDefinition table);
  void Remember(const ast::CreateTable& statement, const SessionConfig& config);

  std::map<std::string, std::unique_ptr<TableDefinition>> tables_;
  std::map<std::string, StoredDefinition> definitions_;
  std::map<std::string, ViewDefinition> views_;
  // Definitions no name points to any more (dropped, altered) and the derived
  // ones of OPTIONS hints; rule plans may still point at them.
  std::vector<std::unique_ptr<TableDefinition>> retired_;
  mutable std::vector<std::unique_ptr<TableDefinition>> derived_;
};

/// Names from `candidates` close to `name` by edit distance, best first.
std::vector<std::string> SimilarNames(const std::string& name, const std::vector<std::string>& candidates);
/// "did you mean `a` or `b`?" for the names similar to `name`, or "".
std::string DidYouMean(const std::string& name, const std::vector<std::string>& candidates);

}  // namespace fsql
