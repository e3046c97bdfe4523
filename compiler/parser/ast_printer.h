// Prints AST nodes back to Flink SQL, and dumps them without source locations
// so that two parses can be compared.
#pragma once

#include <string>

#include "compiler/parser/ast.h"

namespace fsql::ast {

/// Prints `statement` as Flink SQL that parses back to the same AST (DumpAst of
/// both is equal). Operators are fully parenthesized and names backquoted where
/// needed, so the text is canonical rather than a copy of the input.
std::string ToSql(const Statement& statement);
std::string ToSql(const Query& query);
std::string ToSql(const Expr& expr);
/// Prints a type the way the grammar reads it, e.g. `TIMESTAMP_LTZ(3) NOT NULL`.
std::string TypeToSql(const DataType& type);
/// Prints a name, backquoted when it is a keyword or not a plain identifier.
std::string QuoteName(const std::string& name);

/// A structural dump of `statement`: every field that carries meaning, without
/// source locations or source text. Equal dumps mean equal statements.
std::string DumpAst(const Statement& statement);

}  // namespace fsql::ast
