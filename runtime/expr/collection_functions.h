// ARRAY, MAP and MULTISET operations: element access, the ARRAY[...] and
// MAP[...] constructors, CARDINALITY and ELEMENT. The interpreter calls them
// directly and generated code through a runtime helper.
#pragma once

#include <string>
#include <vector>

#include "runtime/expr/expr.h"

namespace fsql {

/// Whether `function` is one of the bound call names handled here: "ITEM"
/// (`c[i]` and `m[k]`), "ARRAY", "MAP", "CARDINALITY" and "ELEMENT".
bool IsCollectionFunction(const std::string& function);

/// Evaluates the collection call `expr` on its evaluated arguments. Throws
/// Error for ELEMENT of an ARRAY with more than one element.
Value EvaluateCollectionFunction(const Expr& expr, const std::vector<Value>& args);

}  // namespace fsql
