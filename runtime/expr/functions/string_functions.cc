// String functions. Positions and lengths count Unicode code points; Flink
// counts UTF-16 code units, which differs only for characters outside the
// Basic Multilingual Plane.
#include <algorithm>
#include <cctype>

#include <fmt/format.h>

#include "runtime/common/error.h"
#include "runtime/expr/functions/function_util.h"

namespace fsql {

namespace functions {

std::vector<size_t> CharOffsets(std::string_view text) {
  std::vector<size_t> offsets;
  offsets.reserve(text.size() + 1);
  for (size_t i = 0; i < text.size(); ++i) {
    if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) offsets.push_back(i);
  }
  offsets.push_back(text.size());
  return offsets;
}

int64_t CharCount(std::string_view text) {
  return std::count_if(text.begin(), text.end(), [](unsigned char c) { return (c & 0xC0) != 0x80; });
}

void AppendUtf8(std::string& out, uint32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

}  // namespace functions

namespace {

using functions::CharCount;
using functions::CharOffsets;
using functions::Params;

const ParamKind kStr = ParamKind::kString;
const ParamKind kInt = ParamKind::kInteger;

/// Characters [from, to) of `text` by code point, clamped to the text.
std::string Slice(std::string_view text, int64_t from, int64_t to) {
  std::vector<size_t> offsets = CharOffsets(text);
  int64_t count = static_cast<int64_t>(offsets.size()) - 1;
  from = std::clamp<int64_t>(from, 0, count);
  to = std::clamp<int64_t>(to, from, count);
  return std::string(text.substr(offsets[from], offsets[to] - offsets[from]));
}

std::vector<std::string_view> Chars(std::string_view text) {
  std::vector<size_t> offsets = CharOffsets(text);
  std::vector<std::string_view> out;
  for (size_t i = 0; i + 1 < offsets.size(); ++i) out.push_back(text.substr(offsets[i], offsets[i + 1] - offsets[i]));
  return out;
}

Value Substring(const Expr&, const std::vector<Value>& a, const EvalContext&) {
  const std::string& s = a[0].as_string();
  int64_t pos = a[1].as_int();
  bool has_length = a.size() > 2;
  int64_t length = has_length ? a[2].as_int() : INT64_MAX;
  if (length < 0) return Value::Null();
  int64_t count = CharCount(s);
  int64_t start = 0;  // position 0 starts at the first character, like 1
  if (pos > 0) start = pos - 1;
  if (pos < 0) start = count + pos;
  if (start < 0 || start >= count) return Value::String("");
  int64_t end = count - start < length ? count : start + length;
  return Value::String(Slice(s, start, end));
}

/// TRIM with a set of characters to remove from the chosen sides.
std::string TrimChars(std::string_view text, std::string_view set, bool leading, bool trailing) {
  std::vector<std::string_view> chars = Chars(text);
  std::vector<std::string_view> remove = Chars(set);
  auto removable = [&](std::string_view c) { return std::find(remove.begin(), remove.end(), c) != remove.end(); };
  size_t begin = 0, end = chars.size();
  if (leading) {
    while (begin < end && removable(chars[begin])) ++begin;
  }
  if (trailing) {
    while (end > begin && removable(chars[end - 1])) --end;
  }
  std::string out;
  for (size_t i = begin; i < end; ++i) out += chars[i];
  return out;
}

/// TRIM, LTRIM and RTRIM; the side comes from the name or the TRIM modifier.
Value Trim(const Expr& e, const std::vector<Value>& a, const EvalContext&) {
  bool leading = true, trailing = true;
  if (e.function == "LTRIM") trailing = false;
  if (e.function == "RTRIM") leading = false;
  if (!e.modifiers.empty() && e.modifiers[0] == "LEADING") trailing = false;
  if (!e.modifiers.empty() && e.modifiers[0] == "TRAILING") leading = false;
  std::string set = a.size() > 1 ? a[1].as_string() : " ";
  return Value::String(TrimChars(a[0].as_string(), set, leading, trailing));
}

Value Replace(const Expr&, const std::vector<Value>& a, const EvalContext&) {
  const std::string& s = a[0].as_string();
  const std::string& from = a[1].as_string();
  const std::string& to = a[2].as_string();
  std::string out;
  if (from.empty()) {
    // Java's String.replace inserts the replacement around every character.
    out = to;
    for (std::string_view c : Chars(s)) {
      out += c;
      out += to;
    }
    return Value::String(std::move(out));
  }
  size_t at = 0;
  while (true) {
    size_t found = s.find(from, at);
    if (found == std::string::npos) break;
    out.append(s, at, found - at);
    out += to;
    at = found + from.size();
  }
  out.append(s, at, std::string::npos);
  return Value::String(std::move(out));
}

/// 1-based character position of `needle` in `haystack` at or after character
/// `start` (1-based), or 0.
int64_t Locate(const std::string& needle, const std::string& haystack, int64_t start) {
  std::vector<size_t> offsets = CharOffsets(haystack);
  int64_t count = static_cast<int64_t>(offsets.size()) - 1;
  if (start < 1 || start > count + 1) return 0;
  size_t found = haystack.find(needle, offsets[start - 1]);
  if (found == std::string::npos) return 0;
  return CharCount(std::string_view(haystack).substr(0, found)) + 1;
}

Value Pad(const std::vector<Value>& a, bool left) {
  const std::string& base = a[0].as_string();
  int64_t length = a[1].as_int();
  const std::string& pad = a[2].as_string();
  if (length < 0 || pad.empty()) return Value::Null();
  std::vector<std::string_view> chars = Chars(base);
  std::vector<std::string_view> pad_chars = Chars(pad);
  int64_t fill = std::max<int64_t>(length - static_cast<int64_t>(chars.size()), 0);
  std::string padding;
  for (int64_t i = 0; i < fill; ++i) padding += pad_chars[static_cast<size_t>(i) % pad_chars.size()];
  std::string truncated;  // the base, cut to `length` characters
  for (int64_t i = 0; i < std::min<int64_t>(length, static_cast<int64_t>(chars.size())); ++i) truncated += chars[i];
  return Value::String(left ? padding + truncated : truncated + padding);
}

/// Capitalizes words, which are runs of ASCII letters and digits as in
/// Calcite's SqlFunctions.initcap. Every other character, non-ASCII letters
/// included, ends a word and is left unchanged.
Value InitCap(const Expr&, const std::vector<Value>& a, const EvalContext&) {
  std::string s = a[0].as_string();
  bool word_start = true;
  for (char& ch : s) {
    auto c = static_cast<unsigned char>(ch);
    bool ascii_alnum = c < 0x80 && std::isalnum(c);
    if (!ascii_alnum) {
      word_start = true;
      continue;
    }
    ch = static_cast<char>(word_start ? std::toupper(c) : std::tolower(c));
    word_start = false;
  }
  return Value::String(std::move(s));
}

/// Returns the code point of the first character of UTF-8 text, or 0 for empty text.
int64_t FirstCodePoint(std::string_view text) {
  if (text.empty()) return 0;
  auto byte = [&](size_t i) { return i < text.size() ? static_cast<unsigned char>(text[i]) : 0u; };
  unsigned char lead = byte(0);
  if (lead < 0x80) return lead;
  if ((lead & 0xE0) == 0xC0) return ((lead & 0x1F) << 6) | (byte(1) & 0x3F);
  if ((lead & 0xF0) == 0xE0) return ((lead & 0x0F) << 12) | ((byte(1) & 0x3F) << 6) | (byte(2) & 0x3F);
  return ((lead & 0x07) << 18) | ((byte(1) & 0x3F) << 12) | ((byte(2) & 0x3F) << 6) | (byte(3) & 0x3F);
}

Value ChangeCase(const std::vector<Value>& args, bool upper) {
  // NOTE: only ASCII letters change case, as in the compiled UPPER and LOWER;
  // Flink also maps other Unicode letters.
  std::string s = args[0].as_string();
  std::transform(s.begin(), s.end(), s.begin(), [upper](unsigned char c) {
    return upper ? std::toupper(c) : std::tolower(c);
  });
  return Value::String(std::move(s));
}

DataType ConcatWsResult(const std::vector<DataType>& args) {
  return DataType::Of(TypeId::kString, args[0].nullable || args[0].id == TypeId::kNull);
}

}  // namespace

void RegisterStringFunctions(std::vector<ScalarFunction>& out) {
  out.push_back({"UPPER", {}, {Params({kStr})}, functions::StringResult,
                 [](const Expr&, const std::vector<Value>& a, const EvalContext&) { return ChangeCase(a, true); }});
  out.push_back({"LOWER", {}, {Params({kStr})}, functions::StringResult,
                 [](const Expr&, const std::vector<Value>& a, const EvalContext&) { return ChangeCase(a, false); }});
  out.push_back({"CHAR_LENGTH", {"CHARACTER_LENGTH"}, {Params({kStr})}, functions::IntResult,
                 [](const Expr&, const std::vector<Value>& a, const EvalContext&) {
                   return Value::Int(CharCount(a[0].as_string()));
                 }});
  out.push_back({"CONCAT", {}, {Signature{{kStr}, true}}, functions::StringResult,
                 [](const Expr&, const std::vector<Value>& a, const EvalContext&) {
                   std::string joined;
                   for (const Value& v : a) joined += v.as_string();
                   return Value::String(std::move(joined));
                 }});
  out.push_back({"CONCAT_WS", {}, {Signature{{kStr, kStr}, true}}, ConcatWsResult,
                 [](const Expr&, const std::vector<Value>& a, const EvalContext&) {
                   if (a[0].is_null()) return Value::Null();
                   std::string joined;
                   bool first = true;
                   for (size_t i = 1; i < a.size(); ++i) {
                     if (a[i].is_null()) continue;
                     if (!first) joined += a[0].as_string();
                     joined += a[i].as_string();
                     first = false;
                   }
                   return Value::String(std::move(joined));
                 },
                 NullPolicy::kCustom});
  out.push_back({"SUBSTRING", {"SUBSTR"}, {Params({kStr, kInt}), Params({kStr, kInt, kInt})},
                 functions::StringResult, Substring, NullPolicy::kNullInNullOut, /*may_return_null=*/true});
  for (const char* name : {"TRIM", "LTRIM", "RTRIM"}) {
    out.push_back({name, {}, {Params({kStr}), Params({kStr, kStr})}, functions::StringResult, Trim});
  }
  out.push_back({"REPLACE", {}, {Params({kStr, kStr, kStr})}, functions::StringResult, Replace});
  out.push_back({"SPLIT_INDEX", {}, {Params({kStr, kStr, kInt})}, functions::StringResult,
                 [](const Expr&, const std::vector<Value>& a, const EvalContext&) {
                   const std::string& s = a[0].as_string();
                   const std::string& separator = a[1].as_string();
                   int64_t index = a[2].as_int();
                   // An empty string has no fields, as in the Apache Commons split Flink uses.
                   if (index < 0 || s.empty()) return Value::Null();
                   if (separator.empty()) return index == 0 ? a[0] : Value::Null();
                   size_t at = 0;
                   for (int64_t i = 0;; ++i) {
                     size_t found = s.find(separator, at);
                     if (i == index) {
                       return Value::String(s.substr(at, found == std::string::npos ? std::string::npos : found - at));
                     }
                     if (found == std::string::npos) return Value::Null();
                     at = found + separator.size();
                   }
                 },
                 NullPolicy::kNullInNullOut, true});
  // POSITION(a IN b) binds to children {a, b}, like LOCATE(a, b).
  out.push_back({"POSITION", {}, {Params({kStr, kStr})}, functions::IntResult,
                 [](const Expr&, const std::vector<Value>& a, const EvalContext&) {
                   return Value::Int(Locate(a[0].as_string(), a[1].as_string(), 1));
                 }});
  out.push_back({"LOCATE", {}, {Params({kStr, kStr}), Params({kStr, kStr, kInt})}, functions::IntResult,
                 [](const Expr&, const std::vector<Value>& a, const EvalContext&) {
                   return Value::Int(Locate(a[0].as_string(), a[1].as_string(), a.size() > 2 ? a[2].as_int() : 1));
                 }});
  out.push_back({"INSTR", {}, {Params({kStr, kStr})}, functions::IntResult,
                 [](const Expr&, const std::vector<Value>& a, const EvalContext&) {
                   return Value::Int(Locate(a[1].as_string(), a[0].as_string(), 1));
                 }});
  out.push_back({"LPAD", {}, {Params({kStr, kInt, kStr})}, functions::StringResult,
                 [](const Expr&, const std::vector<Value>& a, const EvalContext&) { return Pad(a, true); },
                 NullPolicy::kNullInNullOut, true});
  out.push_back({"RPAD", {}, {Params({kStr, kInt, kStr})}, functions::StringResult,
                 [](const Expr&, const std::vector<Value>& a, const EvalContext&) { return Pad(a, false); },
                 NullPolicy::kNullInNullOut, true});
  out.push_back({"INITCAP", {}, {Params({kStr})}, functions::StringResult, InitCap});
  out.push_back({"REPEAT", {}, {Params({kStr, kInt})}, functions::StringResult,
                 [](const Expr&, const std::vector<Value>& a, const EvalContext&) {
                   std::string repeated;
                   for (int64_t i = 0; i < a[1].as_int(); ++i) repeated += a[0].as_string();
                   return Value::String(std::move(repeated));
                 }});
  out.push_back({"REVERSE", {}, {Params({kStr})}, functions::StringResult,
                 [](const Expr&, const std::vector<Value>& a, const EvalContext&) {
                   std::vector<std::string_view> chars = Chars(a[0].as_string());
                   std::string reversed;
                   for (auto it = chars.rbegin(); it != chars.rend(); ++it) reversed += *it;
                   return Value::String(std::move(reversed));
                 }});
  out.push_back({"LEFT", {}, {Params({kStr, kInt})}, functions::StringResult,
                 [](const Expr&, const std::vector<Value>& a, const EvalContext&) {
                   int64_t n = a[1].as_int();
                   return Value::String(n <= 0 ? "" : Slice(a[0].as_string(), 0, n));
                 }});
  out.push_back({"RIGHT", {}, {Params({kStr, kInt})}, functions::StringResult,
                 [](const Expr&, const std::vector<Value>& a, const EvalContext&) {
                   int64_t n = a[1].as_int();
                   int64_t count = CharCount(a[0].as_string());
                   return Value::String(n <= 0 ? "" : Slice(a[0].as_string(), count - n, count));
                 }});
  out.push_back({"ASCII", {}, {Params({kStr})}, functions::IntResult,
                 [](const Expr&, const std::vector<Value>& a, const EvalContext&) {
                   return Value::Int(FirstCodePoint(a[0].as_string()));
                 }});
  out.push_back({"CHR", {}, {Params({kInt})}, functions::StringResult,
                 [](const Expr&, const std::vector<Value>& a, const EvalContext&) {
                   int64_t code = a[0].as_int();
                   if (code < 0) return Value::String("");
                   // NOTE: Flink's documentation says codes above 255 are taken modulo
                   // 255, but its implementation keeps the low 8 bits, as this does.
                   std::string text;
                   functions::AppendUtf8(text, static_cast<uint32_t>(code & 0xFF));
                   return Value::String(std::move(text));
                 }});
}

}  // namespace fsql
