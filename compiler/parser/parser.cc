#include "compiler/parser/parser.h"

#include "runtime/common/logging.h"

#include <algorithm>
#include <cstring>
#include <map>
#include <set>

#include "compiler/parser/ast_builder.h"

namespace fsql {

using parser_internal::AstBuilder;
using parser_internal::FlinkSqlLexer;
using parser_internal::FlinkSqlParser;

std::string SourceLine(const std::string& text, int line) {
  size_t start = 0;
  for (int i = 1; i < line; ++i) {
    size_t next = text.find('\n', start);
    if (next == std::string::npos) return {};
    start = next + 1;
  }
  size_t end = text.find('\n', start);
  std::string out = text.substr(start, end == std::string::npos ? std::string::npos : end - start);
  if (!out.empty() && out.back() == '\r') out.pop_back();
  return out;
}

namespace {

/// The deepest nesting of parentheses, brackets, CASE and prefix operators the
/// ANTLR parser is given; each level costs it several stack frames.
constexpr int kMaxTokenNesting = 250;

/// Turns the first syntax error into a SqlError with a readable hint.
class ThrowingErrorListener : public antlr4::BaseErrorListener {
 public:
  explicit ThrowingErrorListener(std::string file) : file_(std::move(file)) {}

  void syntaxError(antlr4::Recognizer* recognizer, antlr4::Token* offending, size_t line,
                   size_t column, const std::string& antlr_message,
                   std::exception_ptr error) override {
    SourceLocation location{file_, static_cast<int>(line), static_cast<int>(column) + 1};
    std::string near = offending ? offending->getText() : std::string();
    if (offending == nullptr) {
      throw SqlError("invalid character in SQL text", location,
                     "check for a stray symbol or an unterminated quote");
    }
    if (offending->getType() == antlr4::Token::EOF) {
      throw SqlError("unexpected end of input", location,
                     "the statement is incomplete; check for a missing ')' or expression");
    }
    std::string hint = ExpectedHint(recognizer, offending);
    if (int open = UnclosedParentheses(recognizer, offending); open > 0) {
      hint = fmt::format("{} '(' before this point {} not closed{}{}", open, open == 1 ? "is" : "are",
                         hint.empty() ? "" : "; ", hint);
    }
    if (offending->getType() == FlinkSqlLexer::UNRECOGNIZED) {
      throw SqlError(fmt::format("unexpected character '{}'", near), location,
                     "strings use single quotes and names with special characters use backquotes");
    }
    throw SqlError(fmt::format("syntax error at '{}'", near), location, hint);
  }

 private:
  /// Counts the '(' of the current statement that are still open before `offending`,
  /// when `offending` is a clause keyword that suggests a missing ')'.
  static int UnclosedParentheses(antlr4::Recognizer* recognizer, antlr4::Token* offending) {
    static const std::set<size_t> clause_keywords = {
        FlinkSqlLexer::FROM,  FlinkSqlLexer::WHERE,     FlinkSqlLexer::GROUP,  FlinkSqlLexer::HAVING,
        FlinkSqlLexer::ORDER, FlinkSqlLexer::LIMIT,     FlinkSqlLexer::WINDOW, FlinkSqlLexer::UNION,
        FlinkSqlLexer::JOIN,  FlinkSqlLexer::INTERSECT, FlinkSqlLexer::EXCEPT, FlinkSqlLexer::SEMI};
    auto* parser = dynamic_cast<antlr4::Parser*>(recognizer);
    if (parser == nullptr || !clause_keywords.count(offending->getType())) return 0;
    antlr4::TokenStream* tokens = parser->getTokenStream();
    int open = 0;
    for (size_t i = 0; i < offending->getTokenIndex(); ++i) {
      size_t type = tokens->get(i)->getType();
      if (type == FlinkSqlLexer::SEMI) open = 0;
      if (type == FlinkSqlLexer::LPAREN) ++open;
      if (type == FlinkSqlLexer::RPAREN && open > 0) --open;
    }
    return open;
  }

  /// Lists the expected tokens by keyword and symbol, folding every token that
  /// can start an expression into "an expression" and the keywords usable as
  /// names into "a name".
  static std::string ExpectedHint(antlr4::Recognizer* recognizer, antlr4::Token* offending) {
    auto* parser = dynamic_cast<antlr4::Parser*>(recognizer);
    if (parser == nullptr) return {};
    antlr4::misc::IntervalSet expected;
    try {
      expected = parser->getExpectedTokens();
    } catch (...) {
      return {};
    }
    const antlr4::atn::ATN& atn = parser->getATN();
    antlr4::misc::IntervalSet expression_start =
        atn.nextTokens(atn.ruleToStartState[FlinkSqlParser::RuleExpression]);
    antlr4::misc::IntervalSet name_start = atn.nextTokens(atn.ruleToStartState[FlinkSqlParser::RuleIdentifier]);
    bool wants_expression = expected.contains(static_cast<ssize_t>(FlinkSqlLexer::INTEGER_VALUE)) &&
                            expected.contains(static_cast<ssize_t>(FlinkSqlLexer::IDENTIFIER));
    bool wants_name = expected.contains(static_cast<ssize_t>(FlinkSqlLexer::IDENTIFIER));

    std::vector<std::string> names;
    auto add = [&](const std::string& name) {
      if (std::find(names.begin(), names.end(), name) == names.end()) names.push_back(name);
    };
    if (wants_expression) add("an expression");
    else if (wants_name) add("a name");
    for (ssize_t type : expected.toList()) {
      if (wants_expression && expression_start.contains(type)) continue;
      if (wants_name && name_start.contains(type)) continue;
      std::string name = TokenName(parser->getVocabulary(), type);
      // Symbols are quoted so that a list such as "')' or ','" stays readable.
      bool symbol = type >= static_cast<ssize_t>(FlinkSqlLexer::EQ) && type != FlinkSqlLexer::IDENTIFIER &&
                    name.find(' ') == std::string::npos && !(name.size() > 1 && std::isalpha(name[0]));
      add(symbol ? "'" + name + "'" : name);
    }

    std::string hint = MisspeltKeywordHint(parser, expected, offending);
    if (!hint.empty()) return hint;
    if (names.size() > 12) {
      names.resize(12);
      names.push_back("...");
    }
    if (names.size() == 1) {
      hint = "expected " + names[0];
    } else if (!names.empty()) {
      std::string last = names.back();
      names.pop_back();
      hint = fmt::format("expected {} or {}", fmt::join(names, ", "), last);
    }

    antlr4::Token* previous = nullptr;
    for (size_t index = offending->getTokenIndex(); index > 0 && previous == nullptr; --index) {
      antlr4::Token* token = parser->getTokenStream()->get(index - 1);
      if (token->getChannel() == antlr4::Token::DEFAULT_CHANNEL) previous = token;
    }
    bool clause_keyword = offending->getType() == FlinkSqlLexer::FROM || offending->getType() == FlinkSqlLexer::WHERE;
    if (previous && previous->getType() == FlinkSqlLexer::COMMA && clause_keyword) {
      return fmt::format("remove the ',' before {}", offending->getText());
    }
    if (expected.contains(static_cast<ssize_t>(FlinkSqlLexer::COMMA)) &&
        offending->getType() == FlinkSqlLexer::IDENTIFIER) {
      hint += fmt::format("; is a ',' missing before '{}'?", offending->getText());
    }
    bool reserved = offending->getType() < FlinkSqlLexer::EQ && offending->getType() > 0 &&
                    !name_start.contains(offending->getType());
    if (wants_name && reserved && !clause_keyword) {
      hint += fmt::format("{}'{}' is a reserved keyword; quote it with backquotes to use it as a name",
                          hint.empty() ? "" : "; ", offending->getText());
    }
    return hint;
  }

  /// "did you mean SELECT?" when the offending token is a name one or two edits
  /// away from an expected keyword.
  static std::string MisspeltKeywordHint(antlr4::Parser* parser, const antlr4::misc::IntervalSet& expected,
                                         antlr4::Token* offending) {
    if (offending->getType() != FlinkSqlLexer::IDENTIFIER) return {};
    std::string word = offending->getText();
    for (char& c : word) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    std::string best;
    size_t best_distance = 3;
    for (ssize_t type : expected.toList()) {
      if (type <= 0 || type >= static_cast<ssize_t>(FlinkSqlLexer::EQ)) continue;
      std::string keyword = TokenName(parser->getVocabulary(), type);
      size_t distance = EditDistance(word, keyword);
      if (distance < best_distance && distance < keyword.size() / 2 + 1) {
        best_distance = distance;
        best = keyword;
      }
    }
    return best.empty() ? std::string() : fmt::format("did you mean {}?", best);
  }

  static size_t EditDistance(const std::string& a, const std::string& b) {
    std::vector<size_t> row(b.size() + 1);
    for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
    for (size_t i = 1; i <= a.size(); ++i) {
      size_t diagonal = row[0];
      row[0] = i;
      for (size_t j = 1; j <= b.size(); ++j) {
        size_t above = row[j];
        row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
        diagonal = above;
      }
    }
    return row[b.size()];
  }

  static std::string TokenName(const antlr4::dfa::Vocabulary& vocabulary, ssize_t type) {
    if (type == static_cast<ssize_t>(antlr4::Token::EOF)) return "end of input";
    switch (type) {
      case FlinkSqlLexer::IDENTIFIER:
      case FlinkSqlLexer::QUOTED_IDENTIFIER: return "a name";
      case FlinkSqlLexer::STRING_LITERAL:
      case FlinkSqlLexer::UNICODE_STRING_LITERAL: return "a string";
      case FlinkSqlLexer::INTEGER_VALUE: return "an integer";
      case FlinkSqlLexer::DECIMAL_VALUE: return "a number";
      case FlinkSqlLexer::HINT_START: return "/*+";
      case FlinkSqlLexer::HINT_END: return "*/";
      case FlinkSqlLexer::HINT_NAME: return "a hint name";
      case FlinkSqlLexer::HINT_STRING: return "a string";
      default: break;
    }
    // The parser grammar imports the lexer's token names without their spellings.
    static const std::map<ssize_t, const char*> symbols = {
        {FlinkSqlLexer::EQ, "="},        {FlinkSqlLexer::NEQ, "<>"},       {FlinkSqlLexer::LT, "<"},
        {FlinkSqlLexer::LTE, "<="},      {FlinkSqlLexer::GT, ">"},         {FlinkSqlLexer::GTE, ">="},
        {FlinkSqlLexer::PLUS, "+"},      {FlinkSqlLexer::MINUS, "-"},      {FlinkSqlLexer::STAR, "*"},
        {FlinkSqlLexer::SLASH, "/"},     {FlinkSqlLexer::PERCENT, "%"},    {FlinkSqlLexer::CONCAT, "||"},
        {FlinkSqlLexer::ARROW, "=>"},    {FlinkSqlLexer::LPAREN, "("},     {FlinkSqlLexer::RPAREN, ")"},
        {FlinkSqlLexer::COMMA, ","},     {FlinkSqlLexer::DOT, "."},        {FlinkSqlLexer::SEMI, ";"},
        {FlinkSqlLexer::LBRACKET, "["},  {FlinkSqlLexer::RBRACKET, "]"},   {FlinkSqlLexer::LBRACE, "{"},
        {FlinkSqlLexer::RBRACE, "}"},    {FlinkSqlLexer::QUESTION, "?"},   {FlinkSqlLexer::PIPE, "|"},
        {FlinkSqlLexer::HINT_LPAREN, "("}, {FlinkSqlLexer::HINT_RPAREN, ")"}, {FlinkSqlLexer::HINT_COMMA, ","},
        {FlinkSqlLexer::HINT_EQ, "="},   {FlinkSqlLexer::HINT_DOT, "."},
    };
    auto symbol = symbols.find(type);
    if (symbol != symbols.end()) return symbol->second;
    std::string name = vocabulary.getDisplayName(type);
    if (name.size() >= 2 && name.front() == '\'') return name.substr(1, name.size() - 2);
    if (name.rfind("HINT_", 0) == 0) name = name.substr(5);
    // Keyword tokens that clash with C++ or ANTLR names end in '_', such as NULL_.
    if (!name.empty() && name.back() == '_') name.pop_back();
    return name;
  }

  std::string file_;
};

/// Returns `text` with the '+' of every `/*+` that opens no hint replaced by a
/// space, which makes it an ordinary comment: a hint contains only names,
/// numbers, quoted strings and `( ) , = .` up to `*/`. Without this a decorative
/// comment such as `/*+-----+*/` would be a syntax error. Lengths and
/// positions stay the same.
std::string MaskPlusComments(const std::string& text) {
  std::string out = text;
  size_t i = 0;
  auto skip_quoted = [&](char quote) {
    for (++i; i < text.size(); ++i) {
      if (text[i] == quote) {
        if (i + 1 < text.size() && text[i + 1] == quote) {
          ++i;
          continue;
        }
        return;
      }
    }
  };
  while (i < text.size()) {
    char c = text[i];
    if (c == '\'' || c == '`') {
      skip_quoted(c);
      ++i;
    } else if (c == '-' && i + 1 < text.size() && text[i + 1] == '-') {
      i = text.find('\n', i);
      if (i == std::string::npos) break;
    } else if (c == '/' && i + 1 < text.size() && text[i + 1] == '*') {
      size_t end = text.find("*/", i + 2);
      if (end == std::string::npos) break;
      if (i + 2 < text.size() && text[i + 2] == '+') {
        bool hint = true;
        char quote = 0;
        for (size_t j = i + 3; j < end && hint; ++j) {
          unsigned char h = static_cast<unsigned char>(text[j]);
          if (quote != 0) {
            if (h == quote) quote = 0;
          } else if (h == '\'' || h == '`') {
            quote = static_cast<char>(h);
          } else {
            hint = std::isalnum(h) || std::isspace(h) || h >= 0x80 || std::strchr("_$(),=.", h) != nullptr;
          }
        }
        // A quote inside a hint may hide the real end; only plain hints are masked safely.
        if (!hint && quote == 0) out[i + 2] = ' ';
      }
      i = end + 2;
    } else {
      ++i;
    }
  }
  return out;
}

/// Rejects nesting the recursive-descent parser cannot take without exhausting
/// the stack: parentheses, brackets, CASE and runs of prefix operators such as
/// NOT NOT NOT. Binary operator chains are loops in the parser, and the AST
/// builder bounds their depth separately.
void CheckTokenNesting(antlr4::CommonTokenStream& tokens, const std::string& file) {
  int depth = 0;
  int prefix_run = 0;
  std::vector<antlr4::Token*> open;
  for (antlr4::Token* token : tokens.getTokens()) {
    if (token->getChannel() != antlr4::Token::DEFAULT_CHANNEL) continue;
    size_t type = token->getType();
    bool prefix = type == FlinkSqlLexer::NOT || type == FlinkSqlLexer::MINUS || type == FlinkSqlLexer::PLUS;
    prefix_run = prefix ? prefix_run + 1 : 0;
    if (type == FlinkSqlLexer::LPAREN || type == FlinkSqlLexer::LBRACKET || type == FlinkSqlLexer::CASE) {
      ++depth;
    } else if ((type == FlinkSqlLexer::RPAREN || type == FlinkSqlLexer::RBRACKET || type == FlinkSqlLexer::END) &&
               depth > 0) {
      --depth;
    }
    if (depth + prefix_run > kMaxTokenNesting) {
      throw SqlError(fmt::format("the statement nests parentheses, CASE or prefix operators more than {} levels deep",
                                 kMaxTokenNesting),
                     SourceLocation{file, static_cast<int>(token->getLine()),
                                    static_cast<int>(token->getCharPositionInLine()) + 1},
                     "split the expression into simpler parts or views");
    }
  }
}

}  // namespace

std::vector<ScriptStatement> SplitScript(const std::string& text, const std::string& file) {
  antlr4::ANTLRInputStream input(MaskPlusComments(text));
  FlinkSqlLexer lexer(&input);
  ThrowingErrorListener listener(file);
  lexer.removeErrorListeners();
  lexer.addErrorListener(&listener);
  antlr4::CommonTokenStream tokens(&lexer);
  tokens.fill();

  std::vector<ScriptStatement> out;
  antlr4::Token* first = nullptr;
  antlr4::Token* last = nullptr;
  // Inside EXECUTE STATEMENT SET BEGIN ... END the semicolons end the INSERTs,
  // not the statement; CASE ... END pairs inside it are counted separately.
  bool in_set = false;
  int case_depth = 0;
  std::vector<size_t> recent;  // the last three token types on the default channel
  auto flush = [&] {
    if (first == nullptr) return;
    ScriptStatement statement;
    statement.text = input.getText(antlr4::misc::Interval(first->getStartIndex(), last->getStopIndex()));
    statement.location = SourceLocation{file, static_cast<int>(first->getLine()),
                                        static_cast<int>(first->getCharPositionInLine()) + 1};
    out.push_back(std::move(statement));
    first = nullptr;
  };
  for (antlr4::Token* token : tokens.getTokens()) {
    if (token->getType() == antlr4::Token::EOF) break;
    if (token->getChannel() != antlr4::Token::DEFAULT_CHANNEL) continue;
    size_t type = token->getType();
    if (type == FlinkSqlLexer::SEMI && !in_set) {
      flush();
      recent.clear();
      continue;
    }
    if (first == nullptr) first = token;
    last = token;
    if (type == FlinkSqlLexer::CASE) ++case_depth;
    if (type == FlinkSqlLexer::END) {
      if (case_depth > 0) --case_depth;
      else in_set = false;
    }
    if (type == FlinkSqlLexer::BEGIN && recent.size() >= 2 && recent[recent.size() - 1] == FlinkSqlLexer::SET &&
        recent[recent.size() - 2] == FlinkSqlLexer::STATEMENT) {
      in_set = true;
    }
    recent.push_back(type);
  }
  flush();
  return out;
}

std::vector<ast::Statement> ParseScript(const std::string& text, const std::string& file) {
  antlr4::ANTLRInputStream input(MaskPlusComments(text));
  FlinkSqlLexer lexer(&input);
  ThrowingErrorListener listener(file);
  lexer.removeErrorListeners();
  lexer.addErrorListener(&listener);
  antlr4::CommonTokenStream tokens(&lexer);
  tokens.fill();
  CheckTokenNesting(tokens, file);
  FlinkSqlParser parser(&tokens);
  parser.removeErrorListeners();
  parser.addErrorListener(&listener);

  // SLL prediction is much faster and almost always enough; fall back to full LL
  // only when SLL reports an error, as the ANTLR documentation recommends.
  parser.getInterpreter<antlr4::atn::ParserATNSimulator>()->setPredictionMode(
      antlr4::atn::PredictionMode::SLL);
  FlinkSqlParser::ScriptContext* script = nullptr;
  try {
    script = parser.script();
  } catch (const SqlError& sll_error) {
    spdlog::debug("SLL prediction failed at {}:{}:{} ({}); parsing again with full LL", file,
                  sll_error.location().line, sll_error.location().column, sll_error.message());
    tokens.seek(0);
    parser.reset();
    parser.getInterpreter<antlr4::atn::ParserATNSimulator>()->setPredictionMode(
        antlr4::atn::PredictionMode::LL);
    script = parser.script();
  }

  AstBuilder builder(file, &input, &tokens);
  std::vector<ast::Statement> statements;
  for (auto* statement : script->statement()) statements.push_back(builder.Statement(statement));
  return statements;
}

}  // namespace fsql
