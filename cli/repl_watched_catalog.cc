// The tables and views that watched rule texts declare, copied into the REPL
// session's catalog so that SELECT, DESCRIBE and SHOW TABLES see them.
//
// The copies follow every reload: a changed declaration replaces its copy and
// a removed one removes it. A table or view the session declares itself takes
// precedence over a watched declaration of the same name: it hides the copy
// until the session drops it. The watched rules always run against their own
// catalog, so nothing the session declares changes them.
#include "cli/repl_session.h"
#include "cli/rule_watcher.h"
#include "compiler/parser/ast_printer.h"
#include "runtime/common/logging.h"

namespace fsql::cli {

namespace {

/// Returns the name a CREATE TABLE or CREATE VIEW declares, or "" for other statements.
std::string DeclaredName(const ast::Statement& statement) {
  if (statement.kind == ast::StatementKind::kCreateTable) return ast::JoinName(statement.create_table->name);
  if (statement.kind == ast::StatementKind::kCreateView) return ast::JoinName(statement.create_view->name);
  return "";
}

/// Returns a text that changes whenever the declaration of table or view
/// `name` in `catalog` changes, or "" when `catalog` has no such declaration.
std::string DeclarationText(const Catalog& catalog, const std::string& name) {
  if (const ast::CreateTable* table = catalog.FindDefinition(name)) {
    ast::Statement statement;
    statement.kind = ast::StatementKind::kCreateTable;
    statement.create_table = ast::Clone(*table);
    return "table " + ast::ToSql(statement);
  }
  if (const ViewDefinition* view = catalog.FindView(name)) {
    return fmt::format("view ({}) {}", fmt::join(view->column_names, ", "), ast::ToSql(*view->query));
  }
  return "";
}

/// Returns the file a table or view of `catalog` was declared in.
std::string DeclaringFile(const Catalog& catalog, const std::string& name) {
  if (const TableDefinition* table = catalog.Find(name)) return table->location.file;
  if (const ViewDefinition* view = catalog.FindView(name)) return view->location.file;
  return "";
}

}  // namespace

void ReplSession::AttachWatchedRules(const RuleWatcher* watcher) {
  watched_ = watcher;
  SyncWatchedDeclarations();
}

void ReplSession::SyncWatchedDeclarations() {
  if (watched_ == nullptr) return;
  std::shared_ptr<const LoadedRules> latest = watched_->Loaded();
  if (latest == nullptr || latest == imported_from_) return;
  imported_from_ = latest;
  ImportWatchedDeclarations(*latest);
  for (const auto& name : uncovered_) {
    auto imported = imported_.find(name);
    if (imported == imported_.end()) continue;
    PrintInfo(fmt::format("{} is declared in the watched file {}, so that declaration applies again.", name,
                          imported->second.file));
  }
  uncovered_.clear();
}

void ReplSession::ImportWatchedDeclarations(const LoadedRules& loaded) {
  const Catalog& watched = loaded.catalog;
  std::vector<std::string> tables = watched.TableNames();
  std::vector<std::string> views = watched.ViewNames();

  // Copies whose declaration changed or went away are removed first, so that
  // a name that moved from one file to another is declared afresh.
  for (const auto& [name, import] : std::map<std::string, ImportedDeclaration>(imported_)) {
    if (DeclarationText(watched, name) != import.text || DeclaringFile(watched, name) != import.file) {
      RemoveImport(name);
    }
  }

  auto import = [&](const std::string& name) {
    if (imported_.count(name) || declared_here_.count(name)) return;
    std::string text = DeclarationText(watched, name);
    try {
      if (const ast::CreateTable* table = watched.FindDefinition(name)) {
        catalog_.CreateTable(*table, config_);
        RememberTableSource(*table);
      } else if (const ViewDefinition* view = watched.FindView(name)) {
        ast::CreateView create;
        create.name = {name};
        create.query = view->query;
        create.column_names = view->column_names;
        catalog_.CreateView(create, view->location);
      } else {
        return;
      }
    } catch (const SqlError& error) {
      // A declaration that the session's catalog rejects is logged and left
      // out, and any entry of that name stays.
      spdlog::warn("failed to add {} of the watched file {} to the REPL session's catalog: {}", name,
                   DeclaringFile(watched, name), error.what());
      return;
    }
    imported_[name] = ImportedDeclaration{DeclaringFile(watched, name), std::move(text)};
  };
  for (const auto& name : tables) import(name);
  for (const auto& name : views) import(name);
}

void ReplSession::RemoveImport(const std::string& name) {
  auto imported = imported_.find(name);
  if (imported == imported_.end()) return;
  ast::Drop drop;
  drop.object = catalog_.FindView(name) != nullptr ? "VIEW" : "TABLE";
  drop.name = {name};
  drop.if_exists = true;
  catalog_.Drop(drop, SourceLocation{});
  table_sources_.erase(name);
  imported_.erase(imported);
}

void ReplSession::BeforeCatalogChange(const ast::Statement& statement) {
  hidden_import_.reset();
  std::string declared = DeclaredName(statement);
  if (!declared.empty()) {
    bool if_not_exists = statement.kind == ast::StatementKind::kCreateTable ? statement.create_table->if_not_exists
                                                                              : statement.create_view->if_not_exists;
    auto imported = imported_.find(declared);
    // With IF NOT EXISTS the watched declaration is kept, as any existing table would be.
    if (imported == imported_.end() || if_not_exists) return;
    hidden_import_ = std::make_pair(declared, imported->second.file);
    RemoveImport(declared);
    // When the statement fails, the next sync takes the watched declaration back.
    imported_from_.reset();
    return;
  }

  std::string changed;
  SourceLocation location = statement.location;
  const char* verb = "";
  if (statement.kind == ast::StatementKind::kDrop &&
      (statement.drop->object == "TABLE" || statement.drop->object == "VIEW")) {
    changed = ast::JoinName(statement.drop->name);
    verb = "drop";
  } else if (statement.kind == ast::StatementKind::kAlterTable) {
    changed = ast::JoinName(statement.alter_table->name);
    location = statement.alter_table->name_location;
    verb = "alter";
  }
  auto imported = imported_.find(changed);
  if (imported == imported_.end()) return;
  const std::string& file = imported->second.file;
  throw SqlError(fmt::format("{} is declared in the watched file {}, so this session cannot {} it", changed, file, verb),
                 location,
                 fmt::format("edit {} to change it for the watched rules too, or declare {} in this session with "
                             "CREATE TABLE or CREATE VIEW, which hides the file's declaration here",
                             file, changed));
}

void ReplSession::AfterCatalogChange(const ast::Statement& statement) {
  auto exists = [&](const std::string& name) {
    return catalog_.Find(name) != nullptr || catalog_.FindView(name) != nullptr;
  };
  std::string declared = DeclaredName(statement);
  if (!declared.empty()) {
    bool hid = hidden_import_ && hidden_import_->first == declared;
    if (exists(declared) && !imported_.count(declared)) {
      declared_here_.insert(declared);
      if (hid) {
        PrintInfo(fmt::format("{} hides the declaration in the watched file {} in this session; the watched rules "
                              "keep using the file's.",
                              declared, hidden_import_->second));
      }
    }
    hidden_import_.reset();
    return;
  }

  // A dropped or renamed session declaration uncovers a watched one of that name, if any.
  std::string released;
  if (statement.kind == ast::StatementKind::kDrop) {
    released = ast::JoinName(statement.drop->name);
  } else if (statement.kind == ast::StatementKind::kAlterTable &&
             statement.alter_table->action == ast::AlterTable::Action::kRename) {
    released = ast::JoinName(statement.alter_table->name);
    std::string new_name = ast::JoinName(statement.alter_table->new_name);
    if (declared_here_.count(released) && exists(new_name)) declared_here_.insert(new_name);
  }
  if (released.empty() || exists(released) || !declared_here_.erase(released)) return;
  uncovered_.insert(released);
  imported_from_.reset();
}

}  // namespace fsql::cli
