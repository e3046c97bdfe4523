// Regular expression functions on PCRE2, whose syntax is closer to Java's
// java.util.regex (which Flink uses) than std::regex: lazy quantifiers,
// look-around, named groups and possessive quantifiers all exist in both.
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include <list>
#include <memory>
#include <unordered_map>

#include <fmt/format.h>

#include "runtime/common/error.h"
#include "runtime/expr/functions/function_util.h"

namespace fsql {

namespace {

using functions::Params;

struct CodeDeleter {
  void operator()(pcre2_code* code) const { pcre2_code_free(code); }
};
struct MatchDataDeleter {
  void operator()(pcre2_match_data* data) const { pcre2_match_data_free(data); }
};
using Code = std::shared_ptr<pcre2_code>;

/// A compiled pattern, or the reason it does not compile.
struct Compiled {
  Code code;
  std::string error;
};

Compiled CompilePattern(const std::string& pattern) {
  int error_code = 0;
  PCRE2_SIZE error_offset = 0;
  pcre2_code* code = pcre2_compile(reinterpret_cast<PCRE2_SPTR>(pattern.data()), pattern.size(), PCRE2_UTF,
                                   &error_code, &error_offset, nullptr);
  if (code == nullptr) {
    PCRE2_UCHAR buffer[256];
    pcre2_get_error_message(error_code, buffer, sizeof(buffer));
    return {nullptr, fmt::format("{} at offset {}", reinterpret_cast<const char*>(buffer), error_offset)};
  }
  return {Code(code, CodeDeleter()), ""};
}

/// Compiled patterns of this thread, most recently used first. Constant
/// patterns therefore compile once per thread.
const Compiled& CachedPattern(const std::string& pattern) {
  constexpr size_t kCapacity = 64;
  thread_local std::list<std::pair<std::string, Compiled>> order;
  thread_local std::unordered_map<std::string, std::list<std::pair<std::string, Compiled>>::iterator> index;
  auto it = index.find(pattern);
  if (it != index.end()) {
    order.splice(order.begin(), order, it->second);
    return it->second->second;
  }
  order.emplace_front(pattern, CompilePattern(pattern));
  index[pattern] = order.begin();
  if (order.size() > kCapacity) {
    index.erase(order.back().first);
    order.pop_back();
  }
  return order.front().second;
}

/// One match attempt; the match data keeps the group offsets.
class Matcher {
 public:
  explicit Matcher(const Code& code)
      : code_(code), data_(pcre2_match_data_create_from_pattern(code.get(), nullptr)) {}

  bool Find(const std::string& subject, size_t start) {
    int rc = pcre2_match(code_.get(), reinterpret_cast<PCRE2_SPTR>(subject.data()), subject.size(), start, 0,
                         data_.get(), nullptr);
    if (rc == PCRE2_ERROR_NOMATCH) return false;
    if (rc < 0) {
      PCRE2_UCHAR buffer[256];
      pcre2_get_error_message(rc, buffer, sizeof(buffer));
      throw Error(fmt::format("regular expression matching failed: {}", reinterpret_cast<const char*>(buffer)));
    }
    return true;
  }

  uint32_t GroupCount() const {
    uint32_t count = 0;
    pcre2_pattern_info(code_.get(), PCRE2_INFO_CAPTURECOUNT, &count);
    return count;
  }

  /// Byte range of group `n`, or {npos, npos} when it did not take part.
  std::pair<size_t, size_t> Group(uint32_t n) const {
    PCRE2_SIZE* ovector = pcre2_get_ovector_pointer(data_.get());
    if (ovector[2 * n] == PCRE2_UNSET) return {std::string::npos, std::string::npos};
    return {ovector[2 * n], ovector[2 * n + 1]};
  }

 private:
  Code code_;
  std::unique_ptr<pcre2_match_data, MatchDataDeleter> data_;
};

Value RegexpMatch(const Expr&, const std::vector<Value>& a, const EvalContext&) {
  // Flink's REGEXP is FALSE for an empty pattern and for one that does not
  // compile. A constant pattern that does not compile is rejected at binding.
  if (a[1].as_string().empty()) return Value::Boolean(false);
  const Compiled& compiled = CachedPattern(a[1].as_string());
  if (!compiled.code) return Value::Boolean(false);
  Matcher matcher(compiled.code);
  return Value::Boolean(matcher.Find(a[0].as_string(), 0));
}

Value RegexpExtract(const Expr&, const std::vector<Value>& a, const EvalContext&) {
  const Compiled& compiled = CachedPattern(a[1].as_string());
  if (!compiled.code) return Value::Null();
  int64_t group = a.size() > 2 ? a[2].as_int() : 0;
  Matcher matcher(compiled.code);
  const std::string& subject = a[0].as_string();
  if (group < 0 || group > matcher.GroupCount() || !matcher.Find(subject, 0)) return Value::Null();
  auto [begin, end] = matcher.Group(static_cast<uint32_t>(group));
  if (begin == std::string::npos) return Value::Null();
  return Value::String(subject.substr(begin, end - begin));
}

/// REGEXP_REPLACE inserts the replacement literally: Flink quotes it with
/// Matcher.quoteReplacement, so `$1` and backslashes have no special meaning.
Value RegexpReplace(const Expr&, const std::vector<Value>& a, const EvalContext&) {
  const Compiled& compiled = CachedPattern(a[1].as_string());
  if (!compiled.code) return Value::Null();
  const std::string& subject = a[0].as_string();
  const std::string& replacement = a[2].as_string();
  Matcher matcher(compiled.code);
  std::string out;
  size_t position = 0;  // where the next search starts
  size_t copied = 0;    // subject bytes before this are in `out`
  while (position <= subject.size() && matcher.Find(subject, position)) {
    auto [begin, end] = matcher.Group(0);
    out.append(subject, copied, begin - copied);
    out += replacement;
    copied = end;
    if (end == begin) {
      // An empty match: copy one character and search after it, as Java does.
      if (end >= subject.size()) break;
      size_t next = end + 1;
      while (next < subject.size() && (static_cast<unsigned char>(subject[next]) & 0xC0) == 0x80) ++next;
      out.append(subject, end, next - end);
      copied = next;
      position = next;
    } else {
      position = end;
    }
  }
  out.append(subject, copied, std::string::npos);
  return Value::String(std::move(out));
}

/// Translates an SQL SIMILAR TO pattern into a PCRE2 pattern that matches the
/// whole string.
std::string SimilarToRegex(const std::string& pattern, const std::string& escape) {
  // (?s) lets `.` from `_` and `%` match line breaks too.
  std::string out = "(?s)^(?:";
  for (size_t i = 0; i < pattern.size(); ++i) {
    char c = pattern[i];
    if (!escape.empty() && c == escape[0] && i + 1 < pattern.size()) {
      char next = pattern[++i];
      if (!std::isalnum(static_cast<unsigned char>(next))) out += '\\';
      out += next;
    } else if (c == '%') {
      out += ".*";
    } else if (c == '_') {
      out += '.';
    } else if (c == '.' || c == '\\' || c == '^' || c == '$') {
      out += '\\';
      out += c;
    } else {
      out += c;
    }
  }
  return out + ")$";
}

Value SimilarTo(const Expr& e, const std::vector<Value>& a, const EvalContext&) {
  std::string escape = a.size() > 2 ? a[2].as_string() : "";
  const Compiled& compiled = CachedPattern(SimilarToRegex(a[1].as_string(), escape));
  if (!compiled.code) {
    throw Error(fmt::format("invalid SIMILAR TO pattern '{}': {}", a[1].as_string(), compiled.error));
  }
  Matcher matcher(compiled.code);
  bool matched = matcher.Find(a[0].as_string(), 0);
  return Value::Boolean(e.function == "SIMILAR TO" ? matched : !matched);
}

}  // namespace

std::string RegexCompileError(const std::string& pattern) { return CachedPattern(pattern).error; }

void RegisterRegexFunctions(std::vector<ScalarFunction>& out) {
  const ParamKind str = ParamKind::kString;
  out.push_back({"REGEXP", {}, {Params({str, str})}, functions::BooleanResult, RegexpMatch,
                 NullPolicy::kNullInNullOut, true});
  out.push_back({"REGEXP_EXTRACT", {}, {Params({str, str}), Params({str, str, ParamKind::kInteger})},
                 functions::StringResult, RegexpExtract, NullPolicy::kNullInNullOut, true});
  out.push_back({"REGEXP_REPLACE", {}, {Params({str, str, str})}, functions::StringResult, RegexpReplace,
                 NullPolicy::kNullInNullOut, true});
  for (const char* name : {"SIMILAR TO", "NOT SIMILAR TO"}) {
    out.push_back({name, {}, {Params({str, str}), Params({str, str, str})}, functions::BooleanResult, SimilarTo,
                   NullPolicy::kNullInNullOut, false, false, /*special_binding=*/true, /*internal=*/true});
  }
}

}  // namespace fsql
