#include "cli/repl_completion.h"

#include <algorithm>
#include <cctype>
#include <set>

#include "cli/repl_input.h"
#include "runtime/expr/expr.h"

namespace fsql::cli {

namespace {

const std::vector<std::string>& Keywords() {
  static const std::vector<std::string> keywords = {
      // statements and clauses
      "SELECT", "FROM", "WHERE", "GROUP", "BY", "HAVING", "ORDER", "LIMIT", "WITH", "AS", "DISTINCT", "ALL",
      "UNION", "VALUES", "INSERT", "INTO", "OVERWRITE", "CREATE", "TABLE", "VIEW", "TEMPORARY", "IF", "EXISTS",
      "SET", "RESET", "EXECUTE", "STATEMENT", "BEGIN", "END", "EXPLAIN",
      // joins and predicates
      "JOIN", "INNER", "LEFT", "RIGHT", "FULL", "OUTER", "CROSS", "ON", "USING", "AND", "OR", "NOT", "IN", "IS",
      "NULL", "TRUE", "FALSE", "LIKE", "BETWEEN", "CASE", "WHEN", "THEN", "ELSE", "CAST", "TRY_CAST", "ASC",
      "DESC", "INTERVAL",
      // table definitions
      "WATERMARK", "FOR", "PRIMARY", "KEY", "ENFORCED", "METADATA", "VIRTUAL", "COMMENT", "PARTITIONED",
      "DISTRIBUTED", "BUCKETS", "CONSTRAINT",
      // windows
      "OVER", "PARTITION", "ROWS", "RANGE", "PRECEDING", "FOLLOWING", "UNBOUNDED", "CURRENT", "ROW", "WINDOW",
      "DESCRIPTOR",
      // types and time units
      "STRING", "VARCHAR", "CHAR", "BOOLEAN", "TINYINT", "SMALLINT", "INT", "INTEGER", "BIGINT", "FLOAT", "DOUBLE",
      "DECIMAL", "BYTES", "DATE", "TIME", "TIMESTAMP", "TIMESTAMP_LTZ", "ARRAY", "MAP", "MULTISET", "SECOND",
      "MINUTE", "HOUR", "DAY", "MONTH", "YEAR", "ZONE", "LOCAL",
      // client commands
      "HELP", "QUIT", "EXIT", "CLEAR", "SHOW", "TABLES", "VIEWS", "JOBS", "FUNCTIONS", "DESCRIBE", "STOP", "JOB",
  };
  return keywords;
}

bool IsIdentifierChar(char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_'; }

bool StartsWithIgnoringCase(const std::string& text, const std::string& prefix) {
  if (prefix.size() > text.size()) return false;
  for (size_t i = 0; i < prefix.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(text[i])) != std::tolower(static_cast<unsigned char>(prefix[i]))) {
      return false;
    }
  }
  return true;
}

/// Returns `word` in lower case when the user typed it in lower case, else in upper case.
std::string InTypedCase(const std::string& word, const std::string& typed) {
  auto is_upper = [](char c) { return std::isupper(static_cast<unsigned char>(c)) != 0; };
  auto is_lower = [](char c) { return std::islower(static_cast<unsigned char>(c)) != 0; };
  bool lower = std::any_of(typed.begin(), typed.end(), is_lower) && std::none_of(typed.begin(), typed.end(), is_upper);
  std::string out = word;
  for (char& c : out) {
    auto byte = static_cast<unsigned char>(c);
    c = static_cast<char>(lower ? std::tolower(byte) : std::toupper(byte));
  }
  return out;
}

/// Returns where an open single-quoted string starts in `text`, or npos when
/// the end of `text` is outside quotes. Sets `inside_other` and returns npos
/// when the end is inside a comment, a quoted identifier or a double-quoted string.
size_t OpenStringStart(const std::string& text, bool& inside_other) {
  inside_other = false;
  size_t i = 0;
  while (i < text.size()) {
    char c = text[i];
    char next = i + 1 < text.size() ? text[i + 1] : '\0';
    size_t end = std::string::npos;
    if (c == '-' && next == '-') {
      end = text.find('\n', i);
    } else if (c == '/' && next == '*') {
      end = text.find("*/", i + 2);
      if (end != std::string::npos) end += 1;
    } else if (c == '\'' || c == '"' || c == '`') {
      end = i + 1;
      while (end < text.size() && text[end] != c) ++end;
      if (end >= text.size()) end = std::string::npos;
      if (end == std::string::npos && c == '\'') return i;
    } else {
      ++i;
      continue;
    }
    if (end == std::string::npos) {
      inside_other = true;
      return std::string::npos;
    }
    i = end + 1;
  }
  return std::string::npos;
}

/// True when the token before the word is one that a table name follows.
bool ExpectsTableName(const std::string& text_before_word) {
  std::vector<SqlToken> tokens = TokenizeSql(text_before_word);
  if (tokens.empty() || tokens.back().kind != SqlToken::Kind::kWord) return false;
  static const std::set<std::string> kTableKeywords = {"FROM", "JOIN", "INTO", "TABLE", "DESCRIBE", "DESC"};
  return kTableKeywords.count(tokens.back().upper) > 0;
}

/// Columns of the tables `text` names, or of every table when it names none.
std::vector<std::string> ColumnsInScope(const std::string& text, const CompletionNames& names) {
  std::set<std::string> mentioned;
  for (const auto& token : TokenizeSql(text)) {
    if (names.columns.count(token.text)) mentioned.insert(token.text);
  }
  std::vector<std::string> columns;
  for (const auto& [table, table_columns] : names.columns) {
    if (!mentioned.empty() && !mentioned.count(table)) continue;
    columns.insert(columns.end(), table_columns.begin(), table_columns.end());
  }
  return columns;
}

void AddMatches(const std::vector<std::string>& words, const std::string& typed, bool keep_case,
                std::set<std::string>& out) {
  for (const auto& word : words) {
    if (StartsWithIgnoringCase(word, typed)) out.insert(keep_case ? word : InTypedCase(word, typed));
  }
}

Completion CompleteQuotedKey(const std::string& typed, const CompletionNames& names) {
  std::set<std::string> matches;
  AddMatches(names.quoted_keys, typed, true, matches);
  return Completion{typed.size(), std::vector<std::string>(matches.begin(), matches.end()), "'"};
}

}  // namespace

Completion CompleteSql(const std::string& text, const CompletionNames& names) {
  bool inside_other = false;
  size_t string_start = OpenStringStart(text, inside_other);
  if (inside_other) return {};
  if (string_start != std::string::npos) return CompleteQuotedKey(text.substr(string_start + 1), names);

  size_t start = text.size();
  while (start > 0 && IsIdentifierChar(text[start - 1])) --start;
  std::string typed = text.substr(start);
  std::string before = text.substr(0, start);

  std::set<std::string> matches;
  if (ExpectsTableName(before)) {
    AddMatches(names.tables, typed, true, matches);
  } else if (!typed.empty()) {
    AddMatches(Keywords(), typed, false, matches);
    AddMatches(names.functions, typed, false, matches);
    AddMatches(names.tables, typed, true, matches);
    AddMatches(ColumnsInScope(before, names), typed, true, matches);
  }
  return Completion{typed.size(), std::vector<std::string>(matches.begin(), matches.end())};
}

std::string CommonPrefix(const std::vector<std::string>& candidates) {
  if (candidates.empty()) return "";
  std::string prefix = candidates.front();
  for (const auto& candidate : candidates) {
    size_t length = 0;
    while (length < prefix.size() && length < candidate.size() && prefix[length] == candidate[length]) ++length;
    prefix.resize(length);
  }
  return prefix;
}

}  // namespace fsql::cli
