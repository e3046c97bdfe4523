#include "runtime/expr/collection_functions.h"

#include <fmt/format.h>

#include "runtime/common/error.h"

namespace fsql {

namespace {

/// `array[index]` with a 1-based index; NULL outside 1..CARDINALITY, as in Flink.
Value ArrayItem(const Value& array, const Value& index) {
  const std::vector<Value>& elements = array.as_array().elements;
  int64_t position = index.as_int();
  if (position < 1 || position > static_cast<int64_t>(elements.size())) return Value::Null();
  return elements[static_cast<size_t>(position - 1)];
}

/// `map[key]`: the value of the entry whose key equals `key`, or NULL.
Value MapItem(const Value& map, const Value& key) {
  const MapValues& entries = map.as_map();
  for (size_t i = 0; i < entries.keys.size(); ++i) {
    if (!entries.keys[i].is_null() && ValuesEqual(entries.keys[i], key)) return entries.values[i];
  }
  return Value::Null();
}

/// MAP[k1, v1, k2, v2, ...]: a later entry replaces an earlier one with an
/// equal key, as Flink's map constructor keeps the last value.
Value BuildMap(const std::vector<Value>& args) {
  std::vector<Value> keys, values;
  for (size_t i = 0; i + 1 < args.size(); i += 2) {
    bool replaced = false;
    for (size_t j = 0; j < keys.size(); ++j) {
      if (CompareValues(keys[j], args[i]) == 0) {
        values[j] = args[i + 1];
        replaced = true;
        break;
      }
    }
    if (!replaced) {
      keys.push_back(args[i]);
      values.push_back(args[i + 1]);
    }
  }
  return Value::Map(std::move(keys), std::move(values));
}

}  // namespace

bool IsCollectionFunction(const std::string& function) {
  return function == "ITEM" || function == "ARRAY" || function == "MAP" || function == "CARDINALITY" ||
         function == "ELEMENT";
}

Value EvaluateCollectionFunction(const Expr& expr, const std::vector<Value>& args) {
  const std::string& fn = expr.function;
  if (fn == "ARRAY") return Value::Array(args);
  if (fn == "MAP") return BuildMap(args);
  if (args.at(0).is_null()) return Value::Null();
  if (fn == "ITEM") {
    if (args.at(1).is_null()) return Value::Null();
    return args[0].is_array() ? ArrayItem(args[0], args[1]) : MapItem(args[0], args[1]);
  }
  if (fn == "CARDINALITY") {
    // A MULTISET counts its distinct elements, as Flink's MapData.size() does.
    size_t count = args[0].is_array() ? args[0].as_array().elements.size() : args[0].as_map().keys.size();
    return Value::Int(static_cast<int64_t>(count));
  }
  if (fn == "ELEMENT") {
    const std::vector<Value>& elements = args[0].as_array().elements;
    if (elements.empty()) return Value::Null();
    if (elements.size() > 1) {
      throw Error(fmt::format("ELEMENT of an ARRAY with {} elements; it takes an ARRAY of at most one element",
                              elements.size()));
    }
    return elements[0];
  }
  throw InternalError(fmt::format("{} is not a collection function", fn));
}

}  // namespace fsql
