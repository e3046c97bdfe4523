// Parses Flink SQL text into AST statements.
#pragma once

#include <string>
#include <vector>

#include "compiler/parser/ast.h"

namespace fsql {

/// Parses a script of `;`-separated statements. `file` names the source in error
/// locations. Throws SqlError at the first syntax error.
std::vector<ast::Statement> ParseScript(const std::string& text, const std::string& file);

/// Returns line `line` (1-based) of `text` without its line break, for caret output.
std::string SourceLine(const std::string& text, int line);

}  // namespace fsql
