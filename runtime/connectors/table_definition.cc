#include "runtime/connectors/table_definition.h"

namespace fsql {

const char* ChangelogModeName(ChangelogMode mode) {
  switch (mode) {
    case ChangelogMode::kAppend: return "append";
    case ChangelogMode::kRetract: return "retract";
    case ChangelogMode::kUpsert: return "upsert";
  }
  return "?";
}

int TableDefinition::FindColumn(const std::string& column) const {
  for (size_t i = 0; i < columns.size(); ++i) {
    if (columns[i].name == column) return static_cast<int>(i);
  }
  return -1;
}

std::vector<DataType> TableDefinition::ColumnTypes() const {
  std::vector<DataType> types;
  for (const auto& column : columns) types.push_back(column.type);
  return types;
}

std::vector<int> TableDefinition::PrimaryKeyIndexes() const {
  std::vector<int> indexes;
  for (const auto& key : primary_key) indexes.push_back(FindColumn(key));
  return indexes;
}

bool TableDefinition::IsCdcEnvelope() const {
  int before = FindColumn("before");
  int after = FindColumn("after");
  return before >= 0 && after >= 0 && FindColumn("op") >= 0 &&
         columns[before].type.id == TypeId::kRow && columns[before].type.SameShape(columns[after].type);
}

}  // namespace fsql
