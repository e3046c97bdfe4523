// Input handling for `fsql repl` that needs no terminal: cutting typed lines
// into statements, a small SQL tokenizer for the client commands, and the
// secret masking applied to the history file.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace fsql::cli {

/// One complete statement cut from the input, without its terminating ';'.
struct StatementText {
  std::string text;
  int line = 1;    // 1-based position of the statement's first character in its source
  int column = 1;
  std::string line_prefix;  // the source text before the statement on its first line
};

/// Splits SQL input into statements at each ';' outside string literals,
/// quoted identifiers and comments. Lines are added one at a time, so a
/// statement may span many lines. EXECUTE STATEMENT SET BEGIN ...; ...; END
/// stays one statement although its INSERTs end with ';'.
class StatementSplitter {
 public:
  /// Appends `line` (without its line break) and returns the statements it completed.
  std::vector<StatementText> AddLine(const std::string& line);
  /// Returns the unterminated statement left at the end of the input, if it
  /// contains more than whitespace and comments, and clears it.
  std::optional<StatementText> TakeRest();
  /// True while a statement, string or comment is open, so the next line continues it.
  bool pending() const { return state_ != State::kCode || has_content_; }
  /// The unfinished statement so far, for completion.
  const std::string& buffer() const { return buffer_; }
  /// Drops the unfinished statement, as Ctrl-C at the prompt does.
  void Clear();
  /// Numbers the next line 1, so that interactive error locations count from
  /// the first line of the statement being typed.
  void RestartLineNumbers() { line_ = 0; }

 private:
  enum class State { kCode, kSingleQuote, kDoubleQuote, kBacktick, kLineComment, kBlockComment };

  /// Advances the scanner over `line[i]`; returns true when it is a statement-ending ';'.
  bool Scan(const std::string& line, size_t& i);
  void StartStatementAt(const std::string& line, size_t column);
  /// True when the buffered statement is an EXECUTE STATEMENT SET whose END has not come yet.
  bool InsideStatementSet() const;

  State state_ = State::kCode;
  std::string buffer_;
  bool has_content_ = false;  // the buffer contains something besides whitespace and comments
  bool started_ = false;      // the buffer has a start position
  int line_ = 0;
  int start_line_ = 1;
  int start_column_ = 1;
  std::string start_prefix_;
  size_t last_part_start_ = 0;  // where the text after the buffer's last inner ';' starts
};

/// A token of the client-command tokenizer. Words are upper-cased in `upper`.
struct SqlToken {
  enum class Kind { kWord, kString, kQuotedIdentifier, kSymbol };
  Kind kind = Kind::kWord;
  std::string text;   // words and symbols as written; strings and identifiers without quotes
  std::string upper;  // `text` upper-cased
};

/// Tokenizes `text`, skipping whitespace and comments. An unterminated string
/// or identifier becomes a token with the rest of the text.
std::vector<SqlToken> TokenizeSql(const std::string& text);

/// Returns `line` with quoted values masked when it mentions a password,
/// `sasl.jaas.config` or a secret (case-insensitive), so that the history file
/// never stores them. Option keys (a quoted string followed by '=') stay readable.
std::string MaskSecrets(const std::string& line);

}  // namespace fsql::cli
