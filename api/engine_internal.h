// The state behind fsql::embed::Engine, shared by the engine, its sink
// operators and result rows. Not part of the public headers.
#pragma once

#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "fsql/engine.h"
#include "runtime/connectors/table_definition.h"
#include "runtime/formats/json_format.h"

namespace fsql::embed::detail {

/// The names, table definition (a copy) and encoder that let a result row be
/// read after its rule and engine are gone.
struct ResultSchema {
  ResultSchema(std::string rule_name, const TableDefinition& table);

  std::string rule;
  std::string table;
  TableDefinition definition;
  std::vector<int> columns;  // physical columns, in table order
  std::vector<std::string> names;
  JsonRowEncoder encoder;
};

/// Converts an internal value of `type` to the public Value.
Value ToPublicValue(const fsql::Value& value, const DataType& type);

/// Appends `value` to `out` as the JSON the table's decoder reads for a column of `type`.
void AppendJsonValue(std::string& out, const Value& value, const DataType& type);

}  // namespace fsql::embed::detail
