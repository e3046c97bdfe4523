#include "cli/repl_input.h"

#include <algorithm>
#include <cctype>

namespace fsql::cli {

namespace {

bool IsSpace(char c) { return std::isspace(static_cast<unsigned char>(c)) != 0; }

bool IsWordChar(char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_' || c == '$'; }

std::string ToUpper(std::string text) {
  for (char& c : text) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return text;
}

std::string ToLower(std::string text) {
  for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

/// Returns the index just past the literal that starts with the quote at
/// `text[start]`. A doubled quote inside is an escaped quote, as in SQL.
size_t SkipQuoted(const std::string& text, size_t start) {
  char quote = text[start];
  size_t i = start + 1;
  while (i < text.size()) {
    if (text[i] != quote) {
      ++i;
    } else if (i + 1 < text.size() && text[i + 1] == quote) {
      i += 2;
    } else {
      return i + 1;
    }
  }
  return text.size();
}

/// Removes the surrounding quotes and undoubles the escaped ones.
std::string Unquote(const std::string& literal) {
  if (literal.empty()) return literal;
  char quote = literal[0];
  bool closed = literal.size() >= 2 && literal.back() == quote;
  std::string inner = literal.substr(1, literal.size() - (closed ? 2 : 1));
  std::string out;
  for (size_t i = 0; i < inner.size(); ++i) {
    out += inner[i];
    if (inner[i] == quote && i + 1 < inner.size() && inner[i + 1] == quote) ++i;
  }
  return out;
}

bool StartsStatementSet(const std::vector<SqlToken>& tokens) {
  static const std::vector<std::string> kOpening = {"EXECUTE", "STATEMENT", "SET", "BEGIN"};
  if (tokens.size() < kOpening.size()) return false;
  for (size_t i = 0; i < kOpening.size(); ++i) {
    if (tokens[i].kind != SqlToken::Kind::kWord || tokens[i].upper != kOpening[i]) return false;
  }
  return true;
}

}  // namespace

std::vector<StatementText> StatementSplitter::AddLine(const std::string& line) {
  ++line_;
  std::vector<StatementText> complete;
  if (started_) buffer_ += '\n';
  for (size_t i = 0; i < line.size(); ++i) {
    if (!started_ && state_ == State::kCode && IsSpace(line[i])) continue;
    if (!started_) StartStatementAt(line, i);
    size_t begin = i;
    if (!Scan(line, i)) {
      buffer_.append(line, begin, i - begin + 1);
      continue;
    }
    if (InsideStatementSet()) {
      buffer_ += ';';
      last_part_start_ = buffer_.size();
      continue;
    }
    if (has_content_) complete.push_back(StatementText{buffer_, start_line_, start_column_, start_prefix_});
    Clear();
  }
  if (state_ == State::kLineComment) state_ = State::kCode;
  // A line of only comments does not open a statement, so the prompt stays primary.
  if (state_ == State::kCode && !has_content_) Clear();
  return complete;
}

std::optional<StatementText> StatementSplitter::TakeRest() {
  std::optional<StatementText> rest;
  if (has_content_) rest = StatementText{buffer_, start_line_, start_column_, start_prefix_};
  Clear();
  return rest;
}

void StatementSplitter::Clear() {
  state_ = State::kCode;
  buffer_.clear();
  has_content_ = false;
  started_ = false;
  last_part_start_ = 0;
}

void StatementSplitter::StartStatementAt(const std::string& line, size_t column) {
  started_ = true;
  start_line_ = line_;
  start_column_ = static_cast<int>(column) + 1;
  start_prefix_ = line.substr(0, column);
}

bool StatementSplitter::Scan(const std::string& line, size_t& i) {
  char c = line[i];
  char next = i + 1 < line.size() ? line[i + 1] : '\0';
  switch (state_) {
    case State::kCode:
      if (c == ';') return true;
      if (c == '-' && next == '-') {
        state_ = State::kLineComment;
        ++i;
      } else if (c == '/' && next == '*') {
        state_ = State::kBlockComment;
        ++i;
      } else if (c == '\'' || c == '"' || c == '`') {
        state_ = c == '\'' ? State::kSingleQuote : c == '"' ? State::kDoubleQuote : State::kBacktick;
        has_content_ = true;
      } else if (!IsSpace(c)) {
        has_content_ = true;
      }
      return false;
    case State::kSingleQuote:
    case State::kDoubleQuote:
    case State::kBacktick: {
      char quote = state_ == State::kSingleQuote ? '\'' : state_ == State::kDoubleQuote ? '"' : '`';
      if (c != quote) return false;
      if (next == quote) {
        ++i;  // a doubled quote is an escaped quote, not the end
      } else {
        state_ = State::kCode;
      }
      return false;
    }
    case State::kLineComment:
      return false;
    case State::kBlockComment:
      if (c == '*' && next == '/') {
        state_ = State::kCode;
        ++i;
      }
      return false;
  }
  return false;
}

bool StatementSplitter::InsideStatementSet() const {
  if (!StartsStatementSet(TokenizeSql(buffer_))) return false;
  std::vector<SqlToken> last_part = TokenizeSql(buffer_.substr(last_part_start_));
  bool is_end = last_part.size() == 1 && last_part[0].kind == SqlToken::Kind::kWord && last_part[0].upper == "END";
  return !is_end;
}

std::vector<SqlToken> TokenizeSql(const std::string& text) {
  std::vector<SqlToken> tokens;
  size_t i = 0;
  while (i < text.size()) {
    char c = text[i];
    char next = i + 1 < text.size() ? text[i + 1] : '\0';
    if (IsSpace(c)) {
      ++i;
    } else if (c == '-' && next == '-') {
      size_t end = text.find('\n', i);
      i = end == std::string::npos ? text.size() : end + 1;
    } else if (c == '/' && next == '*') {
      size_t end = text.find("*/", i + 2);
      i = end == std::string::npos ? text.size() : end + 2;
    } else if (c == '\'' || c == '"' || c == '`') {
      size_t end = SkipQuoted(text, i);
      SqlToken token;
      token.kind = c == '`' ? SqlToken::Kind::kQuotedIdentifier : SqlToken::Kind::kString;
      token.text = Unquote(text.substr(i, end - i));
      token.upper = ToUpper(token.text);
      tokens.push_back(std::move(token));
      i = end;
    } else if (IsWordChar(c)) {
      size_t end = i;
      while (end < text.size() && IsWordChar(text[end])) ++end;
      tokens.push_back(SqlToken{SqlToken::Kind::kWord, text.substr(i, end - i), ToUpper(text.substr(i, end - i))});
      i = end;
    } else {
      tokens.push_back(SqlToken{SqlToken::Kind::kSymbol, std::string(1, c), std::string(1, c)});
      ++i;
    }
  }
  return tokens;
}

std::string MaskSecrets(const std::string& line) {
  std::string lower = ToLower(line);
  bool sensitive = lower.find("password") != std::string::npos || lower.find("secret") != std::string::npos ||
                   lower.find("sasl.jaas.config") != std::string::npos;
  if (!sensitive) return line;

  std::string masked;
  size_t i = 0;
  while (i < line.size()) {
    char c = line[i];
    if (c != '\'' && c != '"') {
      masked += c;
      ++i;
      continue;
    }
    size_t end = SkipQuoted(line, i);
    size_t after = end;
    while (after < line.size() && IsSpace(line[after])) ++after;
    bool option_key = c == '\'' && after < line.size() && line[after] == '=';
    if (option_key) {
      masked.append(line, i, end - i);
    } else {
      bool closed = end - i >= 2 && line[end - 1] == c;
      masked += c;
      masked += "******";
      if (closed) masked += c;
    }
    i = end;
  }
  return masked;
}

}  // namespace fsql::cli
