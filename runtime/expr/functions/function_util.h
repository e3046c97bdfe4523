// Small helpers shared by the function implementations in this folder.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "runtime/expr/functions/function_registry.h"

namespace fsql::functions {

inline double AsDouble(const Value& v) {
  if (v.is_int()) return static_cast<double>(v.as_int());
  if (v.is_decimal()) return DecimalToDouble(v.as_decimal().unscaled, v.as_decimal().scale);
  return v.as_double();
}

/// Byte offsets where each UTF-8 code point of `text` starts, plus text.size()
/// at the end, so character i is [offsets[i], offsets[i + 1]).
std::vector<size_t> CharOffsets(std::string_view text);

/// Number of code points, counting bytes that are not UTF-8 continuation bytes.
int64_t CharCount(std::string_view text);

/// Appends the UTF-8 encoding of `code_point`.
void AppendUtf8(std::string& out, uint32_t code_point);

// Result types used by many functions.
inline DataType StringResult(const std::vector<DataType>&) { return DataType::Of(TypeId::kString, false); }
inline DataType IntResult(const std::vector<DataType>&) { return DataType::Of(TypeId::kInt, false); }
inline DataType BigIntResult(const std::vector<DataType>&) { return DataType::Of(TypeId::kBigInt, false); }
inline DataType DoubleResult(const std::vector<DataType>&) { return DataType::Of(TypeId::kDouble, false); }
inline DataType BooleanResult(const std::vector<DataType>&) { return DataType::Of(TypeId::kBoolean, false); }
inline DataType FirstArgResult(const std::vector<DataType>& args) { return args[0].WithNullable(false); }

/// A signature of fixed parameters.
inline Signature Params(std::vector<ParamKind> params) { return Signature{std::move(params), false}; }

}  // namespace fsql::functions
