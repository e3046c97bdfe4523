// Parses Flink SQL text into AST statements.
#pragma once

#include <string>
#include <vector>

#include "compiler/parser/ast.h"

namespace fsql {

/// Parses a script of `;`-separated statements. `file` names the source in error
/// locations. Throws SqlError at the first syntax error.
std::vector<ast::Statement> ParseScript(const std::string& text, const std::string& file);

/// One statement of a script, as SplitScript cuts it.
struct ScriptStatement {
  std::string text;         // from the first token to the last, without the ';'
  SourceLocation location;  // where the first token starts
};

/// Cuts a script into statements at the semicolons the lexer sees outside strings,
/// comments and EXECUTE STATEMENT SET blocks, without parsing them, so that each
/// statement can be parsed and reported on its own. Throws SqlError only for
/// text the lexer rejects, such as an unterminated string.
std::vector<ScriptStatement> SplitScript(const std::string& text, const std::string& file);

/// Returns line `line` (1-based) of `text` without its line break, for caret output.
std::string SourceLine(const std::string& text, int line);

}  // namespace fsql
