// Statements that change registered tables: ALTER TABLE, DROP TABLE / VIEW,
// CREATE TABLE ... LIKE and OPTIONS hints. Each works on the CREATE TABLE
// statement the catalog keeps per table and validates the result like a new table.
#include <algorithm>

#include "compiler/catalog/catalog.h"
#include "runtime/common/logging.h"

namespace fsql {

namespace {

int FindColumnDef(const ast::CreateTable& table, const std::string& name) {
  for (size_t i = 0; i < table.columns.size(); ++i) {
    if (table.columns[i].name == name) return static_cast<int>(i);
  }
  return -1;
}

std::vector<std::string> ColumnNames(const ast::CreateTable& table) {
  std::vector<std::string> names;
  for (const auto& column : table.columns) names.push_back(column.name);
  return names;
}

bool ReferencesColumn(const ast::Expr& expr, const std::string& column) {
  if (expr.kind == ast::ExprKind::kColumnRef && !expr.name_parts.empty() && expr.name_parts[0] == column) return true;
  for (const auto& child : expr.children) {
    if (ReferencesColumn(*child, column)) return true;
  }
  return false;
}

/// Throws when a computed column or the watermark of `table` reads `column`,
/// which renaming or dropping it would break.
void RequireUnreferenced(const ast::CreateTable& table, const std::string& column, const char* action,
                         const SourceLocation& location) {
  for (const auto& other : table.columns) {
    if (other.computed && other.name != column && ReferencesColumn(*other.computed, column)) {
      throw SqlError(fmt::format("cannot {} column '{}': computed column '{}' uses it", action, column, other.name),
                     location, fmt::format("drop or modify column '{}' first", other.name));
    }
  }
  if (table.watermark_expr && (table.watermark_column == column || ReferencesColumn(*table.watermark_expr, column))) {
    throw SqlError(fmt::format("cannot {} column '{}': the watermark uses it", action, column), location,
                   "drop or modify the watermark first");
  }
}

/// Places `column` in `table` by its FIRST / AFTER position, or at the end.
void InsertColumn(ast::CreateTable& table, ast::ColumnDef column) {
  auto position = table.columns.end();
  if (column.position_first) {
    position = table.columns.begin();
  } else if (!column.position_after.empty()) {
    int after = FindColumnDef(table, column.position_after);
    if (after < 0) {
      throw SqlError(fmt::format("column '{}' not found", column.position_after), column.location,
                     DidYouMean(column.position_after, ColumnNames(table)));
    }
    position = table.columns.begin() + after + 1;
  }
  column.position_first = false;
  column.position_after.clear();
  table.columns.insert(position, std::move(column));
}

void AddOrModify(ast::CreateTable& table, ast::CreateTable& changes, bool add, const SourceLocation& location) {
  for (auto& column : changes.columns) {
    int existing = FindColumnDef(table, column.name);
    if (add && existing >= 0) {
      throw SqlError(fmt::format("column '{}' already exists", column.name), column.location,
                     "use ALTER TABLE ... MODIFY to change it");
    }
    if (!add) {
      if (existing < 0) {
        throw SqlError(fmt::format("column '{}' not found", column.name), column.location,
                       DidYouMean(column.name, ColumnNames(table)));
      }
      bool moves = column.position_first || !column.position_after.empty();
      if (!moves) {
        table.columns[existing] = std::move(column);
        continue;
      }
      table.columns.erase(table.columns.begin() + existing);
    }
    InsertColumn(table, std::move(column));
  }
  if (changes.watermark_expr) {
    if (add && table.watermark_expr) {
      throw SqlError("the table already has a watermark", changes.watermark_location,
                     "use ALTER TABLE ... MODIFY WATERMARK to change it");
    }
    if (!add && !table.watermark_expr) {
      throw SqlError("the table has no watermark to modify", changes.watermark_location,
                     "use ALTER TABLE ... ADD WATERMARK");
    }
    table.watermark_column = changes.watermark_column;
    table.watermark_expr = std::move(changes.watermark_expr);
    table.watermark_location = changes.watermark_location;
  }
  if (!changes.primary_key.empty()) {
    if (add && !table.primary_key.empty()) {
      throw SqlError("the table already has a primary key", changes.primary_key_location,
                     "use ALTER TABLE ... MODIFY PRIMARY KEY to change it");
    }
    if (!add && table.primary_key.empty()) {
      throw SqlError("the table has no primary key to modify", changes.primary_key_location,
                     "use ALTER TABLE ... ADD PRIMARY KEY");
    }
    table.primary_key = changes.primary_key;
    table.primary_key_location = changes.primary_key_location;
  }
  if (!changes.distribution_keys.empty() || changes.buckets) {
    bool has = !table.distribution_keys.empty() || table.buckets;
    if (add && has) {
      throw SqlError("the table already has a distribution", location,
                     "use ALTER TABLE ... MODIFY DISTRIBUTION to change it");
    }
    if (!add && !has) throw SqlError("the table has no distribution to modify", location, "use ADD DISTRIBUTION");
    table.distribution_keys = changes.distribution_keys;
    table.distribution_kind = changes.distribution_kind;
    table.distribution_location = changes.distribution_location;
    table.buckets = changes.buckets;
  }
}

void DropColumns(ast::CreateTable& table, const std::vector<std::string>& columns, const SourceLocation& location) {
  for (const auto& name : columns) {
    int index = FindColumnDef(table, name);
    if (index < 0) {
      throw SqlError(fmt::format("column '{}' not found", name), location, DidYouMean(name, ColumnNames(table)));
    }
    if (std::find(table.primary_key.begin(), table.primary_key.end(), name) != table.primary_key.end()) {
      throw SqlError(fmt::format("cannot drop column '{}': it is part of the primary key", name), location,
                     "drop the primary key first");
    }
    if (std::find(table.distribution_keys.begin(), table.distribution_keys.end(), name) !=
        table.distribution_keys.end()) {
      throw SqlError(fmt::format("cannot drop column '{}': it is a distribution key", name), location,
                     "drop the distribution first");
    }
    RequireUnreferenced(table, name, "drop", location);
    table.columns.erase(table.columns.begin() + index);
  }
  if (table.columns.empty()) throw SqlError("a table needs at least one column", location);
}

void RenameColumn(ast::CreateTable& table, const std::string& from, const std::string& to,
                  const SourceLocation& location) {
  int index = FindColumnDef(table, from);
  if (index < 0) {
    throw SqlError(fmt::format("column '{}' not found", from), location, DidYouMean(from, ColumnNames(table)));
  }
  if (FindColumnDef(table, to) >= 0) throw SqlError(fmt::format("column '{}' already exists", to), location);
  RequireUnreferenced(table, from, "rename", location);
  table.columns[index].name = to;
  for (auto* keys : {&table.primary_key, &table.distribution_keys, &table.partitioned_by}) {
    std::replace(keys->begin(), keys->end(), from, to);
  }
}

/// Sets `key` to `value`, replacing an earlier value of the same key.
void SetOption(std::vector<ast::TableOption>& options, ast::TableOption option) {
  for (auto& existing : options) {
    if (existing.key == option.key) {
      existing = std::move(option);
      return;
    }
  }
  options.push_back(std::move(option));
}

}  // namespace

void Catalog::Remember(const ast::CreateTable& statement, const SessionConfig& config) {
  auto definition = ast::Clone(statement);
  definition->if_not_exists = false;
  definition->like_table.clear();
  definition->like_options.clear();
  definitions_[ast::JoinName(statement.name)] = StoredDefinition{std::move(definition), config.default_table_options};
}

const ast::CreateTable* Catalog::FindDefinition(const std::string& name) const {
  auto it = definitions_.find(name);
  return it == definitions_.end() ? nullptr : it->second.statement.get();
}

void Catalog::Replace(const std::string& name, TableDefinition table) {
  auto it = tables_.find(name);
  if (it != tables_.end()) {
    retired_.push_back(std::move(it->second));
    tables_.erase(it);
  }
  std::string new_name = table.name;
  tables_[new_name] = std::make_unique<TableDefinition>(std::move(table));
}

void Catalog::AlterTable(const ast::AlterTable& statement, const SessionConfig& config) {
  using A = ast::AlterTable::Action;
  std::string name = ast::JoinName(statement.name);
  if (!tables_.count(name)) {
    if (statement.if_exists) return;
    if (views_.count(name)) {
      throw SqlError(fmt::format("{} is a view, not a table", name), statement.name_location,
                     "use CREATE VIEW to define it again");
    }
    Get(name, statement.name_location);  // throws with similar names
  }
  const StoredDefinition& stored = definitions_.at(name);
  std::unique_ptr<ast::CreateTable> table = ast::Clone(*stored.statement);
  const SourceLocation& location = statement.name_location;

  switch (statement.action) {
    case A::kSetOptions:
      for (const auto& option : statement.options) SetOption(table->options, option);
      break;
    case A::kResetOptions:
      for (const auto& key : statement.reset_keys) {
        auto& options = table->options;
        options.erase(std::remove_if(options.begin(), options.end(),
                                     [&](const ast::TableOption& o) { return o.key == key; }),
                      options.end());
      }
      break;
    case A::kRename: {
      std::string new_name = ast::JoinName(statement.new_name);
      if (tables_.count(new_name) || views_.count(new_name)) {
        throw SqlError(fmt::format("a table or view named {} already exists", new_name), location);
      }
      table->name = statement.new_name;
      break;
    }
    case A::kRenameColumn: RenameColumn(*table, statement.old_column, statement.new_column, location); break;
    case A::kAdd:
    case A::kModify: {
      std::unique_ptr<ast::CreateTable> changes = ast::Clone(*statement.schema);
      AddOrModify(*table, *changes, statement.action == A::kAdd, location);
      break;
    }
    case A::kDropColumns: DropColumns(*table, statement.columns_to_drop, location); break;
    case A::kDropWatermark:
      if (!table->watermark_expr) throw SqlError(fmt::format("table {} has no watermark", name), location);
      table->watermark_expr = nullptr;
      table->watermark_column.clear();
      break;
    case A::kDropPrimaryKey:
      if (table->primary_key.empty()) throw SqlError(fmt::format("table {} has no primary key", name), location);
      table->primary_key.clear();
      break;
    case A::kDropDistribution:
      if (table->distribution_keys.empty() && !table->buckets) {
        throw SqlError(fmt::format("table {} has no distribution", name), location);
      }
      table->distribution_keys.clear();
      table->distribution_kind.clear();
      table->buckets.reset();
      break;
  }

  SessionConfig defaults;
  defaults.default_table_options = stored.default_options;
  defaults.settings = config.settings;
  TableDefinition rebuilt = Build(*table, defaults);
  std::map<std::string, std::string> default_options = stored.default_options;
  definitions_.erase(name);
  Replace(name, std::move(rebuilt));
  std::string new_name = ast::JoinName(table->name);
  definitions_[new_name] = StoredDefinition{std::move(table), std::move(default_options)};
  spdlog::info("altered table {}", new_name);
}

void Catalog::Drop(const ast::Drop& statement, const SourceLocation& location) {
  std::string name = ast::JoinName(statement.name);
  bool view = statement.object == "VIEW";
  bool exists = view ? views_.count(name) > 0 : tables_.count(name) > 0;
  if (!exists) {
    if (statement.if_exists) return;
    if (!view && views_.count(name)) {
      throw SqlError(fmt::format("{} is a view, not a table", name), location, "use DROP VIEW");
    }
    if (view && tables_.count(name)) {
      throw SqlError(fmt::format("{} is a table, not a view", name), location, "use DROP TABLE");
    }
    std::vector<std::string> names = view ? std::vector<std::string>{} : TableNames();
    for (const auto& [other, definition] : views_) names.push_back(other);
    std::string hint = DidYouMean(name, names);
    throw SqlError(fmt::format("{} '{}' not found", view ? "view" : "table", name), location,
                   hint.empty() ? "write DROP ... IF EXISTS to ignore a missing one" : hint);
  }
  if (view) {
    views_.erase(name);
  } else {
    auto it = tables_.find(name);
    retired_.push_back(std::move(it->second));
    tables_.erase(it);
    definitions_.erase(name);
  }
  spdlog::info("dropped {} {}", view ? "view" : "table", name);
}

std::unique_ptr<ast::CreateTable> Catalog::MergeLike(const ast::CreateTable& statement) const {
  std::string source_name = ast::JoinName(statement.like_table);
  const ast::CreateTable* source = FindDefinition(source_name);
  if (source == nullptr) {
    if (views_.count(source_name)) {
      throw SqlError(fmt::format("CREATE TABLE ... LIKE needs a table, and {} is a view", source_name),
                     statement.like_location);
    }
    Get(source_name, statement.like_location);  // throws with similar names
    throw InternalError(fmt::format("table {} has no stored definition", source_name));
  }

  // Flink's defaults: INCLUDING ALL, with OVERWRITING OPTIONS.
  std::map<std::string, std::string> strategy = {
      {"CONSTRAINTS", "INCLUDING"}, {"DISTRIBUTION", "INCLUDING"}, {"GENERATED", "INCLUDING"},
      {"METADATA", "INCLUDING"},    {"OPTIONS", "OVERWRITING"},    {"PARTITIONS", "INCLUDING"},
      {"WATERMARKS", "INCLUDING"}};
  for (const auto& [how, feature] : statement.like_options) {
    if (feature == "ALL") {
      for (auto& [name, value] : strategy) value = how;
    } else {
      strategy[feature] = how;
    }
  }
  auto conflict = [&](const std::string& what, const SourceLocation& location) {
    return SqlError(fmt::format("{} is defined both here and in {}", what, source_name), location,
                    "drop one of them, or use EXCLUDING or OVERWRITING in the LIKE clause");
  };

  auto merged = ast::Clone(statement);
  merged->like_table.clear();
  merged->like_options.clear();
  merged->columns.clear();
  for (const auto& column : source->columns) {
    const char* feature = nullptr;  // the LIKE feature that covers this column, if any
    if (column.computed) feature = "GENERATED";
    if (column.metadata) feature = "METADATA";
    int redefined = FindColumnDef(statement, column.name);
    if (feature && strategy[feature] == "EXCLUDING") continue;
    if (redefined >= 0) {
      if (feature && strategy[feature] == "OVERWRITING") continue;
      throw conflict(fmt::format("column '{}'", column.name), statement.columns[redefined].location);
    }
    merged->columns.push_back(ast::Clone(column));
  }
  for (const auto& column : statement.columns) merged->columns.push_back(ast::Clone(column));

  if (source->watermark_expr && strategy["WATERMARKS"] != "EXCLUDING") {
    if (!statement.watermark_expr) {
      merged->watermark_column = source->watermark_column;
      merged->watermark_expr = ast::Clone(*source->watermark_expr);
      merged->watermark_location = source->watermark_location;
    } else if (strategy["WATERMARKS"] == "INCLUDING") {
      throw conflict("the watermark", statement.watermark_location);
    }
  }
  if (!source->primary_key.empty() && strategy["CONSTRAINTS"] == "INCLUDING") {
    if (!statement.primary_key.empty()) throw conflict("the primary key", statement.primary_key_location);
    merged->primary_key = source->primary_key;
    merged->primary_key_location = source->primary_key_location;
  }
  if (!source->partitioned_by.empty() && strategy["PARTITIONS"] == "INCLUDING") {
    if (!statement.partitioned_by.empty()) throw conflict("PARTITIONED BY", statement.like_location);
    merged->partitioned_by = source->partitioned_by;
  }
  bool source_distributed = !source->distribution_keys.empty() || source->buckets;
  if (source_distributed && strategy["DISTRIBUTION"] == "INCLUDING") {
    if (!statement.distribution_keys.empty() || statement.buckets) {
      throw conflict("the distribution", statement.like_location);
    }
    merged->distribution_keys = source->distribution_keys;
    merged->distribution_kind = source->distribution_kind;
    merged->distribution_location = source->distribution_location;
    merged->buckets = source->buckets;
  }
  if (strategy["OPTIONS"] != "EXCLUDING") {
    std::vector<ast::TableOption> options = source->options;
    for (const auto& option : statement.options) {
      bool duplicate = std::any_of(options.begin(), options.end(),
                                   [&](const ast::TableOption& o) { return o.key == option.key; });
      if (duplicate && strategy["OPTIONS"] == "INCLUDING") {
        throw conflict(fmt::format("option '{}'", option.key), option.location);
      }
      SetOption(options, option);
    }
    merged->options = std::move(options);
  }
  return merged;
}

const TableDefinition& Catalog::WithHintOptions(const TableDefinition& table,
                                                const std::vector<ast::Hint>& hints) const {
  std::vector<ast::TableOption> overrides;
  for (const auto& hint : hints) {
    if (hint.name != "OPTIONS") {
      spdlog::info("table hint {} on {} has no effect in fsql and is ignored", hint.name, table.name);
      continue;
    }
    if (!hint.arguments.empty()) {
      throw SqlError("OPTIONS hints take 'key' = 'value' pairs", hint.location, "write OPTIONS('key' = 'value')");
    }
    for (const auto& [key, value] : hint.options) overrides.push_back(ast::TableOption{hint.location, key, value});
  }
  if (overrides.empty()) return table;
  auto stored = definitions_.find(table.name);
  if (stored == definitions_.end()) throw InternalError(fmt::format("table {} has no stored definition", table.name));
  auto statement = ast::Clone(*stored->second.statement);
  for (auto& option : overrides) SetOption(statement->options, std::move(option));
  SessionConfig defaults;
  defaults.default_table_options = stored->second.default_options;
  derived_.push_back(std::make_unique<TableDefinition>(Build(*statement, defaults)));
  return *derived_.back();
}

}  // namespace fsql
