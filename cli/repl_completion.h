// Tab completion for `fsql repl`: SQL keywords, client commands, table and
// view names, column names and function names; setting and option keys
// inside a quoted string.
#pragma once

#include <map>
#include <string>
#include <vector>

namespace fsql::cli {

/// The session's names that completion offers besides the keywords.
struct CompletionNames {
  std::vector<std::string> tables;  // tables and views
  std::map<std::string, std::vector<std::string>> columns;  // table name to its column names
  std::vector<std::string> functions;
  std::vector<std::string> quoted_keys;  // SET keys and table option keys
};

struct Completion {
  size_t word_length = 0;  // bytes before the cursor that a candidate replaces
  std::vector<std::string> candidates;  // sorted, without duplicates
  std::string suffix = " ";  // typed after a sole candidate: a space, or the closing quote of a key
};

/// Completes the word that ends at the end of `text`, which contains the current
/// statement up to the cursor, earlier lines included. After FROM, JOIN,
/// INTO, TABLE and DESCRIBE it offers only table names. Keywords and
/// functions follow the case of the typed word; other names keep their own.
Completion CompleteSql(const std::string& text, const CompletionNames& names);

/// The longest prefix every candidate shares.
std::string CommonPrefix(const std::vector<std::string>& candidates);

}  // namespace fsql::cli
