#include "compiler/codegen/runtime_helpers.h"

#include "runtime/expr/sql_functions.h"

#include <algorithm>
#include <bit>
#include <cctype>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <string_view>

#include <fmt/format.h>

#include "runtime/common/error.h"
#include "runtime/expr/functions/function_registry.h"
#include "runtime/expr/collection_functions.h"
#include "runtime/expr/expr.h"
#include "runtime/operators/accumulator.h"
#include "runtime/row/row.h"
#include "runtime/types/value.h"

namespace fsql::codegen {

char* StringArena::Allocate(size_t size) {
  if (blocks_.empty() || blocks_.back().capacity - used_ < size) {
    size_t previous = blocks_.empty() ? 0 : blocks_.back().capacity;
    size_t capacity = std::max({size_t{4096}, 2 * previous, size});
    blocks_.push_back(Block{std::make_unique<char[]>(capacity), capacity});
    used_ = 0;
  }
  char* out = blocks_.back().data.get() + used_;
  used_ += size;
  return out;
}

void StringArena::Reset() {
  if (blocks_.size() > 1) blocks_.erase(blocks_.begin(), blocks_.end() - 1);
  used_ = 0;
}

namespace {

std::string_view View(const char* data, int64_t length) {
  return std::string_view(data, static_cast<size_t>(length));
}

const char* CopyToArena(JitContext* context, std::string_view text) {
  char* out = context->arena.Allocate(text.size());
  if (!text.empty()) std::memcpy(out, text.data(), text.size());
  return out;
}

Int128 LoadDecimal(const void* address) {
  Int128 value;
  std::memcpy(&value, address, sizeof(value));
  return value;
}

/// Rebuilds the interpreter's Value of type `type` from the physical form
/// generated code holds.
Value ToValue(int32_t physical, int64_t bits, const char* data, int64_t length, const DataType& type) {
  switch (physical) {
    case 1: return Value::Boolean(bits != 0);
    case 2: return Value::Int(bits);
    case 3: return Value::Double(std::bit_cast<double>(bits));
    case 5: return Value::Decimal(LoadDecimal(data), type.scale);
    case 6: return RowView::ReadNested(reinterpret_cast<const uint8_t*>(data), type);
    default: return Value::String(std::string(View(data, length)));
  }
}

/// Writes `value` of type `type` as generated code reads a JitValue (see
/// ExprEmitter::LoadJitValue).
void StoreJitValue(JitContext* context, const Value& value, const DataType& type, JitValue* out) {
  out->bits = 0;
  out->length = 0;
  out->is_null = value.is_null() ? 1 : 0;
  if (type.id == TypeId::kDecimal) {
    Int128 unscaled = value.is_null() ? 0 : value.as_decimal().unscaled;
    if (type.precision <= kMaxCompactDecimalPrecision) {
      out->bits = static_cast<uint64_t>(static_cast<int64_t>(unscaled));
    } else {
      char* box = context->arena.Allocate(sizeof(unscaled));
      std::memcpy(box, &unscaled, sizeof(unscaled));
      out->bits = reinterpret_cast<uintptr_t>(box);
    }
    return;
  }
  if (value.is_null()) return;
  switch (type.id) {
    case TypeId::kBoolean: out->bits = value.as_bool() ? 1 : 0; return;
    case TypeId::kFloat:
    case TypeId::kDouble: out->bits = std::bit_cast<uint64_t>(value.as_double()); return;
    case TypeId::kString:
    case TypeId::kBytes: {
      const std::string& text = value.as_string();
      out->bits = reinterpret_cast<uintptr_t>(CopyToArena(context, text));
      out->length = static_cast<uint32_t>(text.size());
      return;
    }
    case TypeId::kRow:
    case TypeId::kArray:
    case TypeId::kMap:
    case TypeId::kMultiset: {
      // Encodes the value as a one-column row and copies out its nested row.
      RowBuilder builder(1);
      builder.SetValue(0, type, value);
      Row row = builder.Finish(RowKind::kInsert);
      RowView nested = row.view().GetRow(0);
      const char* bytes = reinterpret_cast<const char*>(nested.data());
      out->bits = reinterpret_cast<uintptr_t>(CopyToArena(context, std::string_view(bytes, nested.size())));
      return;
    }
    default: out->bits = static_cast<uint64_t>(value.as_int()); return;
  }
}

/// Stores a function's result as generated code reads it. An integer result
/// of a floating-point type is converted, as RowBuilder would store it.
void StoreResult(JitContext* context, const DataType& type, const Value& value, JitValue* out) {
  bool approximate = type.id == TypeId::kDouble || type.id == TypeId::kFloat;
  if (approximate && value.is_int()) {
    StoreJitValue(context, Value::Double(static_cast<double>(value.as_int())), type, out);
    return;
  }
  StoreJitValue(context, value, type, out);
}

}  // namespace

Value JitValueToValue(const DataType& type, const JitValue& raw) {
  if (raw.is_null) return Value::Null();
  switch (type.id) {
    case TypeId::kRow:
    case TypeId::kArray:
    case TypeId::kMap:
    case TypeId::kMultiset: return RowView::ReadNested(reinterpret_cast<const uint8_t*>(raw.bits), type);
    case TypeId::kNull: return Value::Null();
    case TypeId::kBoolean: return Value::Boolean(raw.bits != 0);
    case TypeId::kDecimal: {
      if (type.precision <= kMaxCompactDecimalPrecision) {
        return Value::Decimal(static_cast<int64_t>(raw.bits), type.scale);
      }
      return Value::Decimal(LoadDecimal(reinterpret_cast<const void*>(raw.bits)), type.scale);
    }
    case TypeId::kFloat:
    case TypeId::kDouble: return Value::Double(std::bit_cast<double>(raw.bits));
    case TypeId::kString:
    case TypeId::kBytes: return Value::String(std::string(reinterpret_cast<const char*>(raw.bits), raw.length));
    default: return Value::Int(static_cast<int64_t>(raw.bits));
  }
}

#define FSQL_HELPER(name) HelperSymbol{#name, reinterpret_cast<const void*>(&::name)}

const std::vector<HelperSymbol>& HelperSymbols() {
  static const auto* symbols = new std::vector<HelperSymbol>{
      FSQL_HELPER(fsql_jit_string_compare),
      FSQL_HELPER(fsql_jit_like),
      FSQL_HELPER(fsql_jit_char_length),
      FSQL_HELPER(fsql_jit_change_case),
      FSQL_HELPER(fsql_jit_concat),
      FSQL_HELPER(fsql_jit_format_value),
      FSQL_HELPER(fsql_jit_double_to_int64),
      FSQL_HELPER(fsql_jit_months_between),
      FSQL_HELPER(fsql_jit_parse_int64),
      FSQL_HELPER(fsql_jit_parse_double),
      FSQL_HELPER(fsql_jit_parse_boolean),
      FSQL_HELPER(fsql_jit_call_function),
      FSQL_HELPER(fsql_jit_raise_division_by_zero),
      FSQL_HELPER(fsql_jit_raise_cast_failure),
      FSQL_HELPER(fsql_jit_raise_timestamp_precision),
      FSQL_HELPER(fsql_jit_decimal_arithmetic),
      FSQL_HELPER(fsql_jit_decimal_compare),
      FSQL_HELPER(fsql_jit_decimal_to_double),
      FSQL_HELPER(fsql_jit_accumulate_value),
      FSQL_HELPER(fsql_jit_merge_values),
      FSQL_HELPER(fsql_jit_box_decimal),
      FSQL_HELPER(fsql_jit_cast),
      FSQL_HELPER(fsql_jit_compare_nested),
      FSQL_HELPER(fsql_jit_collection_call),
      FSQL_HELPER(fsql_jit_raise_decimal_division_by_zero),
  };
  return *symbols;
}

#undef FSQL_HELPER

}  // namespace fsql::codegen

using fsql::codegen::CastSite;
using fsql::codegen::JitContext;

extern "C" {

int32_t fsql_jit_string_compare(const char* a, int64_t a_length, const char* b, int64_t b_length) noexcept {
  int c = fsql::codegen::View(a, a_length).compare(fsql::codegen::View(b, b_length));
  return c < 0 ? -1 : (c > 0);
}

int32_t fsql_jit_like(const char* text, int64_t text_length, const char* pattern, int64_t pattern_length,
                      int32_t escape) noexcept {
  return fsql::LikeMatch(fsql::codegen::View(text, text_length),
                                  fsql::codegen::View(pattern, pattern_length), static_cast<char>(escape));
}

int64_t fsql_jit_char_length(const char* data, int64_t length) noexcept {
  std::string_view text = fsql::codegen::View(data, length);
  return std::count_if(text.begin(), text.end(), [](unsigned char c) { return (c & 0xC0) != 0x80; });
}

const char* fsql_jit_change_case(JitContext* context, const char* data, int64_t length, int32_t upper) noexcept {
  char* out = context->arena.Allocate(static_cast<size_t>(length));
  for (int64_t i = 0; i < length; ++i) {
    unsigned char c = static_cast<unsigned char>(data[i]);
    out[i] = static_cast<char>(upper ? std::toupper(c) : std::tolower(c));
  }
  return out;
}

const char* fsql_jit_concat(JitContext* context, const char* a, int64_t a_length, const char* b,
                            int64_t b_length) noexcept {
  char* out = context->arena.Allocate(static_cast<size_t>(a_length + b_length));
  if (a_length > 0) std::memcpy(out, a, static_cast<size_t>(a_length));
  if (b_length > 0) std::memcpy(out + a_length, b, static_cast<size_t>(b_length));
  return out;
}

const char* fsql_jit_format_value(JitContext* context, const CastSite* site, int32_t physical, int64_t bits,
                                  const char* data, int64_t length, int64_t* out_length) noexcept {
  std::string text = fsql::codegen::ToValue(physical, bits, data, length, site->from).ToString(site->from);
  *out_length = static_cast<int64_t>(text.size());
  return fsql::codegen::CopyToArena(context, text);
}

int64_t fsql_jit_double_to_int64(double value) noexcept { return static_cast<int64_t>(value); }

int64_t fsql_jit_months_between(int64_t from_ms, int64_t to_ms) noexcept {
  return fsql::MonthsBetween(from_ms, to_ms);
}

int32_t fsql_jit_parse_int64(const char* data, int64_t length, int64_t* out) noexcept {
  // Same calls as the interpreter's CastValue, including stopping at an embedded NUL.
  std::string s(fsql::codegen::View(data, length));
  char* end = nullptr;
  errno = 0;
  long long parsed = std::strtoll(s.c_str(), &end, 10);
  if (s.empty() || *end != '\0' || errno == ERANGE) return 0;
  *out = parsed;
  return 1;
}

int32_t fsql_jit_parse_double(const char* data, int64_t length, double* out) noexcept {
  std::string s(fsql::codegen::View(data, length));
  char* end = nullptr;
  double parsed = std::strtod(s.c_str(), &end);
  if (s.empty() || *end != '\0') return 0;
  *out = parsed;
  return 1;
}

int32_t fsql_jit_parse_boolean(const char* data, int64_t length, int64_t* out) noexcept {
  std::string s(fsql::codegen::View(data, length));
  std::transform(s.begin(), s.end(), s.begin(), ::tolower);
  if (s != "true" && s != "false") return 0;
  *out = s == "true" ? 1 : 0;
  return 1;
}

int32_t fsql_jit_call_function(JitContext* context, const CastSite* site, const fsql::codegen::JitValue* args,
                               int64_t processing_time_ms, fsql::codegen::JitValue* out) noexcept {
  const fsql::Expr& call = *site->call;
  try {
    std::vector<fsql::Value> values;
    values.reserve(call.args.size());
    for (size_t i = 0; i < call.args.size(); ++i) {
      values.push_back(fsql::codegen::JitValueToValue(call.args[i]->type, args[i]));
    }
    fsql::EvalContext eval_context;
    eval_context.processing_time_ms = processing_time_ms;
    fsql::Value result = fsql::InvokeScalarFunction(call, values, eval_context);
    fsql::codegen::StoreResult(context, call.type, result, out);
    return 0;
  } catch (const std::exception& error) {
    // The same exception the interpreter would raise, so both backends report one message.
    context->error = error.what();
    return -1;
  }
}

void fsql_jit_raise_division_by_zero(JitContext* context, int64_t dividend, int64_t divisor, int32_t op) noexcept {
  context->error = fmt::format("division by zero in {} {} {}", dividend, static_cast<char>(op), divisor);
}

void fsql_jit_raise_cast_failure(JitContext* context, const CastSite* site, int32_t physical, int64_t bits,
                                 const char* data, int64_t length) noexcept {
  fsql::Value value = fsql::codegen::ToValue(physical, bits, data, length, site->from);
  context->error = fmt::format("CAST of '{}' from {} to {} failed: {}", value.ToString(site->from),
                               site->from.ToString(), site->to.ToString(), site->reason);
}

int32_t fsql_jit_decimal_arithmetic(int32_t op, const void* a, int32_t a_scale, const void* b, int32_t b_scale,
                                    int32_t precision, int32_t scale, void* out) noexcept {
  fsql::Int128 result = 0;
  fsql::DecimalStatus status =
      fsql::DecimalArithmetic(static_cast<char>(op), fsql::codegen::LoadDecimal(a), a_scale,
                              fsql::codegen::LoadDecimal(b), b_scale, precision, scale, &result);
  std::memcpy(out, &result, sizeof(result));
  return static_cast<int32_t>(status);
}

int32_t fsql_jit_decimal_compare(const void* a, int32_t a_scale, const void* b, int32_t b_scale) noexcept {
  return fsql::DecimalCompare(fsql::codegen::LoadDecimal(a), a_scale, fsql::codegen::LoadDecimal(b), b_scale);
}

double fsql_jit_decimal_to_double(const void* value, int32_t scale) noexcept {
  return fsql::DecimalToDouble(fsql::codegen::LoadDecimal(value), scale);
}

void fsql_jit_accumulate_value(void* accumulator, const CastSite* site, int32_t physical, int64_t bits,
                               const char* data, int64_t length, int64_t sign) noexcept {
  static_cast<fsql::RetractableAccumulator*>(accumulator)
      ->ApplyToValues(fsql::codegen::ToValue(physical, bits, data, length, site->from), static_cast<int>(sign));
}

void fsql_jit_merge_values(void* into, const void* from) noexcept {
  static_cast<fsql::RetractableAccumulator*>(into)->MergeValues(*static_cast<const fsql::RetractableAccumulator*>(from));
}

const void* fsql_jit_box_decimal(JitContext* context, int64_t low, int64_t high) noexcept {
  fsql::Int128 value = static_cast<fsql::Int128>((static_cast<unsigned __int128>(static_cast<uint64_t>(high)) << 64) |
                                                 static_cast<uint64_t>(low));
  char* box = context->arena.Allocate(sizeof(value));
  std::memcpy(box, &value, sizeof(value));
  return box;
}

int32_t fsql_jit_cast(JitContext* context, const CastSite* site, int32_t physical, int64_t bits, const char* data,
                      int64_t length, int32_t safe, int32_t is_null, fsql::codegen::JitValue* out) noexcept {
  try {
    fsql::Value input =
        is_null ? fsql::Value::Null() : fsql::codegen::ToValue(physical, bits, data, length, site->from);
    fsql::Value result = fsql::CastValue(input, site->from, site->to, safe != 0);
    fsql::codegen::StoreJitValue(context, result, site->to, out);
    return 0;
  } catch (const std::exception& error) {
    // CastValue raises fsql::Error; anything else is reported the same way
    // because no exception may leave a helper.
    context->error = error.what();
    return 1;
  }
}

int32_t fsql_jit_collection_call(JitContext* context, const CastSite* site, const fsql::codegen::JitValue* args,
                                 fsql::codegen::JitValue* out) noexcept {
  try {
    std::vector<fsql::Value> values;
    for (size_t i = 0; i < site->arg_types.size(); ++i) {
      values.push_back(fsql::codegen::JitValueToValue(site->arg_types[i], args[i]));
    }
    fsql::Expr call;
    call.kind = fsql::ExprKind::kCall;
    call.function = site->function;
    call.type = site->to;
    fsql::Value result = fsql::EvaluateCollectionFunction(call, values);
    fsql::codegen::StoreJitValue(context, result, site->to, out);
    return 0;
  } catch (const std::exception& error) {
    context->error = error.what();
    return 1;
  }
}

int32_t fsql_jit_compare_nested(const CastSite* site, const uint8_t* a, const uint8_t* b, bool either_null) noexcept {
  if (either_null) return 0;
  return fsql::CompareValues(fsql::RowView::ReadNested(a, site->from), fsql::RowView::ReadNested(b, site->to));
}

void fsql_jit_raise_decimal_division_by_zero(JitContext* context, const void* a, int32_t a_scale, const void* b,
                                             int32_t b_scale, int32_t op) noexcept {
  context->error = fmt::format("division by zero in {} {} {}",
                               fsql::DecimalToString(fsql::codegen::LoadDecimal(a), a_scale), static_cast<char>(op),
                               fsql::DecimalToString(fsql::codegen::LoadDecimal(b), b_scale));
}

void fsql_jit_raise_timestamp_precision(JitContext* context, int64_t precision) noexcept {
  context->error = fmt::format("TO_TIMESTAMP_LTZ precision must be 0 or 3, got {}", precision);
}

}  // extern "C"
