// Binding of ARRAY, MAP and MULTISET operations: element access `c[i]`, the
// ARRAY[...] and MAP[...] constructors, CARDINALITY and ELEMENT.
#include "compiler/binder/binder.h"
#include "compiler/binder/expression_binder.h"

namespace fsql {

namespace {

bool IsCollection(const DataType& type) {
  return type.id == TypeId::kArray || type.id == TypeId::kMap || type.id == TypeId::kMultiset;
}

/// The common type of `args[first]`, `args[first + step]`, ... for a constructor.
DataType CommonElementType(const ast::Expr& expr, const std::vector<ExprPtr>& args, size_t first, size_t step,
                           const char* what) {
  DataType common = DataType::Of(TypeId::kNull);
  bool nullable = false;
  for (size_t i = first; i < args.size(); i += step) {
    nullable = nullable || args[i]->type.nullable;
    if (common.id == TypeId::kNull) {
      common = args[i]->type;
      continue;
    }
    DataType next = CommonType(common, args[i]->type);
    if (next.id == TypeId::kNull && args[i]->type.id != TypeId::kNull) {
      throw SqlError(fmt::format("{} {} have incompatible types {} and {}", expr.name, what, common.ToString(),
                                 args[i]->type.ToString()),
                     expr.children[i]->location, "CAST the values to one type");
    }
    common = next;
  }
  if (common.id == TypeId::kNull) {
    throw SqlError(fmt::format("the {} type of {}[...] cannot be derived from NULL alone", what, expr.name),
                   expr.location, fmt::format("CAST one of the {} to a type", what));
  }
  return common.WithNullable(nullable);
}

}  // namespace

ExprPtr ExpressionBinder::BindItem(const ast::Expr& expr) {
  ExprPtr collection = Bind(*expr.children[0]);
  ExprPtr key = Bind(*expr.children[1]);
  const DataType& type = collection->type;
  const SourceLocation& key_location = expr.children[1]->location;
  if (type.id == TypeId::kArray) {
    if (!key->type.IsInteger() && key->type.id != TypeId::kNull) {
      throw SqlError(fmt::format("an ARRAY index must be an integer, got {}", key->type.ToString()), key_location,
                     "index ARRAY elements from 1, e.g. a[1]");
    }
    key = CoerceTo(key, DataType::Of(TypeId::kBigInt, key->type.nullable), key_location, "an ARRAY index");
    // Out-of-range indexes give NULL, so the element is nullable whatever its type.
    return Expr::Call("ITEM", {collection, key}, type.children.at(0).WithNullable(true));
  }
  if (type.id == TypeId::kMap) {
    key = CoerceTo(key, type.children.at(0).WithNullable(key->type.nullable), key_location, "a MAP key");
    return Expr::Call("ITEM", {collection, key}, type.children.at(1).WithNullable(true));
  }
  throw SqlError(fmt::format("'{}' has type {}, which has no elements to access with [...]", expr.children[0]->text,
                             type.ToString()),
                 expr.location, "use [...] on an ARRAY or a MAP value");
}

std::optional<ExprPtr> ExpressionBinder::BindCollectionCall(const ast::Expr& expr, std::vector<ExprPtr>& args) {
  const std::string& name = expr.name;
  if (name == "ARRAY") {
    if (args.empty()) throw SqlError("ARRAY[...] needs at least one element", expr.location);
    DataType element = CommonElementType(expr, args, 0, 1, "elements");
    for (size_t i = 0; i < args.size(); ++i) args[i] = CoerceTo(args[i], element, expr.children[i]->location, "ARRAY");
    DataType type = DataType::Of(TypeId::kArray, false);
    type.children.push_back(element);
    return Expr::Call("ARRAY", std::move(args), type);
  }
  if (name == "MAP") {
    if (args.empty() || args.size() % 2 != 0) {
      throw SqlError(fmt::format("MAP[...] takes key and value pairs, got {} arguments", args.size()),
                     expr.location, "write MAP[key1, value1, key2, value2, ...]");
    }
    DataType key = CommonElementType(expr, args, 0, 2, "keys");
    DataType value = CommonElementType(expr, args, 1, 2, "values");
    for (size_t i = 0; i < args.size(); ++i) {
      args[i] = CoerceTo(args[i], i % 2 == 0 ? key : value, expr.children[i]->location, "MAP");
    }
    DataType type = DataType::Of(TypeId::kMap, false);
    type.children = {key, value};
    return Expr::Call("MAP", std::move(args), type);
  }
  if (name == "CARDINALITY" || name == "ELEMENT") {
    if (args.size() != 1) {
      throw SqlError(fmt::format("{} takes 1 argument, got {}", name, args.size()), expr.location,
                     fmt::format("call it as {}(collection)", name));
    }
    const DataType& type = args[0]->type;
    bool accepted = name == "CARDINALITY" ? IsCollection(type) : type.id == TypeId::kArray;
    if (!accepted) {
      throw SqlError(fmt::format("{} expects {}, got {}", name,
                                 name == "CARDINALITY" ? "an ARRAY, MAP or MULTISET" : "an ARRAY", type.ToString()),
                     expr.children[0]->location);
    }
    if (name == "CARDINALITY") {
      return Expr::Call(name, std::move(args), DataType::Of(TypeId::kInt, type.nullable));
    }
    DataType element = type.children.at(0).WithNullable(true);
    return Expr::Call(name, std::move(args), element);
  }
  return std::nullopt;
}

}  // namespace fsql
