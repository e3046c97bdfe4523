// JSON functions: JSON_VALUE, JSON_QUERY, JSON_EXISTS, JSON_OBJECT,
// JSON_ARRAY, JSON_STRING and IS JSON. simdjson parses the documents.
//
// Paths follow the subset of SQL/JSON paths that Flink users write: `$`,
// `.key`, `['key']`, `[n]` and the wildcards `[*]` and `.*`, after an optional
// mode. As in Flink, a path without a mode is strict: a missing key or index
// is an error, handled by the ON ERROR clause. In `lax` mode it selects
// nothing, handled by ON EMPTY.
#include <simdjson.h>

#include <cmath>
#include <optional>

#include <fmt/format.h>

#include "runtime/common/error.h"
#include "runtime/expr/functions/function_util.h"
#include "runtime/formats/json_format.h"

namespace fsql {

namespace {

using functions::Params;
using simdjson::dom::element;
using simdjson::dom::element_type;

struct PathStep {
  enum Kind { kKey, kIndex, kWildcard } kind;
  std::string key;
  int64_t index = 0;
};

struct Path {
  bool lax = false;
  std::vector<PathStep> steps;
};

/// A path that does not fit the document in strict mode.
struct StructuralError {
  std::string reason;
};

Path ParsePath(const std::string& path) {
  auto fail = [&](const std::string& why) -> Path {
    throw Error(fmt::format("invalid JSON path '{}': {}", path, why));
  };
  std::string text = path;
  size_t begin = text.find_first_not_of(' ');
  text = begin == std::string::npos ? "" : text.substr(begin);
  Path out;
  if (text.rfind("lax ", 0) == 0) {
    out.lax = true;
    text = text.substr(4);
  } else if (text.rfind("strict ", 0) == 0) {
    text = text.substr(7);
  }
  begin = text.find_first_not_of(' ');
  text = begin == std::string::npos ? "" : text.substr(begin);
  if (text.empty() || text[0] != '$') return fail("a path starts with $");
  std::vector<PathStep>& steps = out.steps;
  size_t i = 1;
  while (i < text.size()) {
    if (text[i] == '.') {
      ++i;
      if (i < text.size() && text[i] == '*') {
        steps.push_back({PathStep::kWildcard, "", 0});
        ++i;
        continue;
      }
      size_t start = i;
      if (i < text.size() && text[i] == '"') {
        size_t close = text.find('"', i + 1);
        if (close == std::string::npos) return fail("unterminated quoted key");
        steps.push_back({PathStep::kKey, text.substr(i + 1, close - i - 1), 0});
        i = close + 1;
        continue;
      }
      while (i < text.size() && text[i] != '.' && text[i] != '[') ++i;
      if (i == start) return fail("a key is missing after '.'");
      steps.push_back({PathStep::kKey, text.substr(start, i - start), 0});
    } else if (text[i] == '[') {
      size_t close = text.find(']', i);
      if (close == std::string::npos) return fail("'[' has no matching ']'");
      std::string inside = text.substr(i + 1, close - i - 1);
      if (inside == "*") {
        steps.push_back({PathStep::kWildcard, "", 0});
      } else if (inside.size() >= 2 && (inside[0] == '\'' || inside[0] == '"') && inside.back() == inside[0]) {
        steps.push_back({PathStep::kKey, inside.substr(1, inside.size() - 2), 0});
      } else {
        char* end = nullptr;
        long long index = std::strtoll(inside.c_str(), &end, 10);
        if (inside.empty() || *end != '\0' || index < 0) return fail(fmt::format("'[{}]' is not an array index", inside));
        steps.push_back({PathStep::kIndex, "", index});
      }
      i = close + 1;
    } else if (text[i] == ' ') {
      ++i;
    } else {
      return fail(fmt::format("unexpected '{}'", text[i]));
    }
  }
  return out;
}

/// Returns the elements a path selects. In lax mode a missing key or index
/// selects nothing, and a key step on an array applies to each element. In
/// strict mode both throw StructuralError.
std::vector<element> Select(element root, const Path& path) {
  auto structural = [&](const std::string& reason) {
    if (!path.lax) throw StructuralError{reason};
  };
  std::vector<element> current = {root};
  for (const PathStep& step : path.steps) {
    std::vector<element> next;
    for (element e : current) {
      switch (step.kind) {
        case PathStep::kKey: {
          auto apply = [&](element object) {
            if (object.type() != element_type::OBJECT) {
              structural(fmt::format("key '{}' applied to a value that is not an object", step.key));
              return;
            }
            simdjson::dom::object fields = object.get_object().value();
            element value;
            if (!fields.at_key(step.key).get(value)) {
              next.push_back(value);
            } else {
              structural(fmt::format("no key '{}'", step.key));
            }
          };
          if (e.type() == element_type::ARRAY && path.lax) {
            simdjson::dom::array items = e.get_array().value();
            for (element item : items) apply(item);
          } else {
            apply(e);
          }
          break;
        }
        case PathStep::kIndex: {
          if (e.type() != element_type::ARRAY) {
            structural(fmt::format("index [{}] applied to a value that is not an array", step.index));
            if (step.index == 0) next.push_back(e);  // lax mode wraps a non-array in an array
            break;
          }
          simdjson::dom::array items = e.get_array().value();
          element value;
          if (!items.at(static_cast<size_t>(step.index)).get(value)) {
            next.push_back(value);
          } else {
            structural(fmt::format("index [{}] is out of range", step.index));
          }
          break;
        }
        case PathStep::kWildcard:
          if (e.type() == element_type::ARRAY) {
            simdjson::dom::array items = e.get_array().value();
            for (element item : items) next.push_back(item);
          } else if (e.type() == element_type::OBJECT) {
            simdjson::dom::object fields = e.get_object().value();
            for (auto field : fields) next.push_back(field.value);
          } else {
            structural("a wildcard applied to a scalar");
          }
          break;
      }
    }
    current = std::move(next);
  }
  return current;
}

/// Parses `text`; returns false when it is not valid JSON.
bool ParseJson(simdjson::dom::parser& parser, const std::string& text, element& out) {
  return !parser.parse(text).get(out);
}

bool IsScalar(element e) { return e.type() != element_type::ARRAY && e.type() != element_type::OBJECT; }

/// The text JSON_VALUE returns for a scalar: a string's contents, or the JSON text of a number or boolean.
std::string ScalarText(element e) {
  std::string_view text;
  if (!e.get_string().get(text)) return std::string(text);
  return simdjson::minify(e);
}

/// Returns the call's behaviour for `clause` ("EMPTY", "ERROR", "WRAPPER" or
/// "NULL"), such as "DEFAULT", or `fallback` when the clause is not written.
std::string Behavior(const Expr& call, const std::string& clause, const std::string& fallback) {
  for (const std::string& modifier : call.modifiers) {
    if (modifier.rfind(clause + "=", 0) == 0) return modifier.substr(clause.size() + 1);
  }
  return fallback;
}

/// Converts JSON_VALUE's scalar to the RETURNING type, or returns nullopt.
std::optional<Value> ConvertScalar(element e, const DataType& type) {
  if (type.IsString()) return Value::String(ScalarText(e));
  if (type.id == TypeId::kBoolean) {
    bool b = false;
    if (!e.get_bool().get(b)) return Value::Boolean(b);
    std::string_view text;
    if (!e.get_string().get(text)) {
      if (text == "true") return Value::Boolean(true);
      if (text == "false") return Value::Boolean(false);
    }
    return std::nullopt;
  }
  double number = 0;
  std::string_view text;
  if (!e.get_string().get(text)) {
    std::string copy(text);
    char* end = nullptr;
    number = std::strtod(copy.c_str(), &end);
    if (copy.empty() || *end != '\0') return std::nullopt;
  } else if (e.get_double().get(number)) {
    return std::nullopt;
  }
  if (type.IsInteger()) {
    if (number != std::trunc(number) || std::fabs(number) > 9.2e18) return std::nullopt;
    int64_t exact = 0;
    if (!e.get_int64().get(exact)) return Value::Int(exact);
    return Value::Int(static_cast<int64_t>(number));
  }
  if (type.IsNumeric()) return Value::Double(number);
  return std::nullopt;
}

Value JsonValue(const Expr& call, const std::vector<Value>& a, const EvalContext&) {
  // NOTE: a NULL document gives NULL without consulting ON EMPTY. Whether
  // Flink applies a DEFAULT ... ON EMPTY here is not verified.
  if (a[0].is_null() || a[1].is_null()) return Value::Null();
  Path path = ParsePath(a[1].as_string());
  size_t next_default = 2;
  std::optional<Value> empty_default, error_default;
  std::string on_empty = Behavior(call, "EMPTY", "NULL");
  std::string on_error = Behavior(call, "ERROR", "NULL");
  if (on_empty == "DEFAULT") empty_default = next_default < a.size() ? a[next_default++] : Value::Null();
  if (on_error == "DEFAULT") error_default = next_default < a.size() ? a[next_default++] : Value::Null();

  auto error = [&](const std::string& why) -> Value {
    if (on_error == "ERROR") throw Error(fmt::format("JSON_VALUE failed: {}", why));
    return on_error == "DEFAULT" ? *error_default : Value::Null();
  };
  thread_local simdjson::dom::parser parser;
  element root;
  if (!ParseJson(parser, a[0].as_string(), root)) return error("the input is not valid JSON");
  std::vector<element> selected;
  try {
    selected = Select(root, path);
  } catch (const StructuralError& structural) {
    return error(structural.reason);
  }
  if (selected.empty()) {
    if (on_empty == "ERROR") throw Error(fmt::format("JSON_VALUE failed: path '{}' selects no value", a[1].as_string()));
    return on_empty == "DEFAULT" ? *empty_default : Value::Null();
  }
  if (selected.size() > 1) return error("the path selects more than one value");
  if (!IsScalar(selected[0])) return error("the path selects an array or object, which JSON_VALUE cannot return");
  if (selected[0].is_null()) return Value::Null();
  std::optional<Value> converted = ConvertScalar(selected[0], call.type);
  if (!converted) {
    return error(fmt::format("'{}' cannot be returned as {}", ScalarText(selected[0]),
                             call.type.WithNullable(true).ToString()));
  }
  return *converted;
}

Value JsonQuery(const Expr& call, const std::vector<Value>& a, const EvalContext&) {
  Path path = ParsePath(a[1].as_string());
  std::string wrapper = Behavior(call, "WRAPPER", "WITHOUT");
  std::string on_empty = Behavior(call, "EMPTY", "NULL");
  std::string on_error = Behavior(call, "ERROR", "NULL");
  auto fallback = [&](const std::string& behavior, const std::string& why) -> Value {
    if (behavior == "ERROR") throw Error(fmt::format("JSON_QUERY failed: {}", why));
    if (behavior == "EMPTY ARRAY") return Value::String("[]");
    if (behavior == "EMPTY OBJECT") return Value::String("{}");
    return Value::Null();
  };
  thread_local simdjson::dom::parser parser;
  element root;
  if (!ParseJson(parser, a[0].as_string(), root)) return fallback(on_error, "the input is not valid JSON");
  std::vector<element> selected;
  try {
    selected = Select(root, path);
  } catch (const StructuralError& structural) {
    return fallback(on_error, structural.reason);
  }
  if (selected.empty()) return fallback(on_empty, fmt::format("path '{}' selects no value", a[1].as_string()));
  bool wrap = wrapper == "UNCONDITIONAL" || (wrapper == "CONDITIONAL" && (selected.size() > 1 || IsScalar(selected[0])));
  if (!wrap) {
    if (selected.size() > 1) return fallback(on_error, "the path selects more than one value; add WITH WRAPPER");
    if (IsScalar(selected[0])) return fallback(on_error, "the path selects a scalar; add WITH CONDITIONAL WRAPPER");
    return Value::String(simdjson::minify(selected[0]));
  }
  std::string out = "[";
  for (size_t i = 0; i < selected.size(); ++i) {
    if (i > 0) out += ',';
    out += simdjson::minify(selected[i]);
  }
  return Value::String(out + "]");
}

Value JsonExists(const Expr& call, const std::vector<Value>& a, const EvalContext&) {
  std::string on_error = Behavior(call, "ERROR", "FALSE");
  Path path = ParsePath(a[1].as_string());
  auto error = [&](const std::string& why) {
    if (on_error == "ERROR") throw Error(fmt::format("JSON_EXISTS failed: {}", why));
    if (on_error == "UNKNOWN") return Value::Null();
    return Value::Boolean(on_error == "TRUE");
  };
  thread_local simdjson::dom::parser parser;
  element root;
  if (!ParseJson(parser, a[0].as_string(), root)) return error("the input is not valid JSON");
  try {
    return Value::Boolean(!Select(root, path).empty());
  } catch (const StructuralError& structural) {
    return error(structural.reason);
  }
}

/// Whether the argument is JSON text produced by another JSON function, which
/// JSON_OBJECT and JSON_ARRAY insert as JSON instead of as a string.
bool IsJsonArgument(const Expr& arg) {
  return arg.kind == ExprKind::kCall &&
         (arg.function == "JSON_OBJECT" || arg.function == "JSON_ARRAY" || arg.function == "JSON_QUERY");
}

void AppendJsonValue(std::string& out, const Value& v, const Expr& arg) {
  if (v.is_null()) {
    out += "null";
  } else if (IsJsonArgument(arg)) {
    out += v.as_string();
  } else if (v.is_bool()) {
    out += v.as_bool() ? "true" : "false";
  } else if (v.is_double()) {
    double d = v.as_double();
    if (std::isfinite(d)) {
      out += fmt::format("{}", d);
    } else {
      AppendJsonString(out, fmt::format("{}", d));
    }
  } else if (v.is_int() && (arg.type.IsInteger())) {
    out += fmt::format("{}", v.as_int());
  } else {
    AppendJsonString(out, v.ToString(arg.type));
  }
}

Value JsonObject(const Expr& call, const std::vector<Value>& a, const EvalContext&) {
  bool absent_on_null = Behavior(call, "NULL", "NULL") == "ABSENT";
  std::string out = "{";
  bool first = true;
  for (size_t i = 0; i + 1 < a.size(); i += 2) {
    if (a[i].is_null()) throw Error("JSON_OBJECT keys must not be NULL");
    if (a[i + 1].is_null() && absent_on_null) continue;
    if (!first) out += ',';
    first = false;
    AppendJsonString(out, a[i].as_string());
    out += ':';
    AppendJsonValue(out, a[i + 1], *call.args[i + 1]);
  }
  return Value::String(out + "}");
}

Value JsonArray(const Expr& call, const std::vector<Value>& a, const EvalContext&) {
  bool absent_on_null = Behavior(call, "NULL", "ABSENT") == "ABSENT";
  std::string out = "[";
  bool first = true;
  for (size_t i = 0; i < a.size(); ++i) {
    if (a[i].is_null() && absent_on_null) continue;
    if (!first) out += ',';
    first = false;
    AppendJsonValue(out, a[i], *call.args[i]);
  }
  return Value::String(out + "]");
}

Value IsJson(const Expr& call, const std::vector<Value>& a, const EvalContext&) {
  bool negated = call.function.rfind("IS NOT", 0) == 0;
  if (a[0].is_null()) return Value::Boolean(false);
  thread_local simdjson::dom::parser parser;
  element root;
  bool valid = ParseJson(parser, a[0].as_string(), root);
  bool matches = valid;
  if (valid) {
    std::string kind = call.function.substr(call.function.rfind(' ') + 1);
    if (kind == "SCALAR") matches = IsScalar(root);
    if (kind == "ARRAY") matches = root.type() == element_type::ARRAY;
    if (kind == "OBJECT") matches = root.type() == element_type::OBJECT;
  }
  return Value::Boolean(negated ? !matches : matches);
}

DataType JsonValueResult(const std::vector<DataType>&) { return DataType::Of(TypeId::kString, true); }
DataType NullableString(const std::vector<DataType>&) { return DataType::Of(TypeId::kString, true); }
DataType NotNullString(const std::vector<DataType>&) { return DataType::Of(TypeId::kString, false); }
DataType NullableBoolean(const std::vector<DataType>&) { return DataType::Of(TypeId::kBoolean, true); }
DataType NotNullBoolean(const std::vector<DataType>&) { return DataType::Of(TypeId::kBoolean, false); }

}  // namespace

void RegisterJsonFunctions(std::vector<ScalarFunction>& out) {
  const ParamKind str = ParamKind::kString;
  const ParamKind any = ParamKind::kAny;
  // The binder appends DEFAULT values as extra arguments and sets the RETURNING type.
  out.push_back({"JSON_VALUE", {}, {Signature{{str, str}, false}, Signature{{str, str, any}, true}}, JsonValueResult,
                 JsonValue, NullPolicy::kCustom, false, false, /*special_binding=*/true});
  out.push_back({"JSON_QUERY", {}, {Params({str, str})}, NullableString, JsonQuery, NullPolicy::kNullInNullOut, true,
                 false, true});
  out.push_back({"JSON_EXISTS", {}, {Params({str, str})}, NullableBoolean, JsonExists, NullPolicy::kNullInNullOut,
                 true, false, true});
  out.push_back({"JSON_OBJECT", {}, {Params({}), Signature{{any}, true}}, NotNullString, JsonObject,
                 NullPolicy::kCustom, false, false, true});
  out.push_back({"JSON_ARRAY", {}, {Params({}), Signature{{any}, true}}, NotNullString, JsonArray,
                 NullPolicy::kCustom, false, false, true});
  out.push_back({"JSON_STRING", {}, {Params({any})}, functions::StringResult,
                 [](const Expr& call, const std::vector<Value>& a, const EvalContext&) {
                   std::string text;
                   AppendJsonValue(text, a[0], *call.args[0]);
                   return Value::String(std::move(text));
                 }});
  for (const char* name : {"IS JSON VALUE", "IS JSON SCALAR", "IS JSON ARRAY", "IS JSON OBJECT", "IS NOT JSON VALUE",
                           "IS NOT JSON SCALAR", "IS NOT JSON ARRAY", "IS NOT JSON OBJECT"}) {
    out.push_back({name, {}, {Params({str})}, NotNullBoolean, IsJson, NullPolicy::kCustom, false, false, true,
                   /*internal=*/true});
  }
}

}  // namespace fsql
