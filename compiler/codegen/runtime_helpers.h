// The C functions that generated code calls, and the state it shares with
// them and with CompiledCalc.
//
// No exception leaves generated code. A helper that detects a runtime error stores
// the interpreter's message in the JitContext, and the generated function
// returns -1 so that C++ code throws fsql::Error. Every helper is noexcept, so
// an exception inside one (std::bad_alloc in practice) terminates the process
// instead of unwinding through JIT frames, whose unwind tables the C++ runtime
// may not know.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "runtime/expr/expr.h"
#include "runtime/types/data_type.h"
#include "runtime/types/value.h"

namespace fsql::codegen {

/// One projection result as the generated function stores it. The layout is
/// fixed: the emitter writes these fields at offsets 0, 8 and 12.
struct JitValue {
  uint64_t bits;     // int64 (BOOLEAN as 0 or 1), a double's IEEE bits, or the address of a string or nested row
  uint32_t length;   // byte length of a string
  uint32_t is_null;  // 1 when the value is NULL
};
static_assert(sizeof(JitValue) == 16, "the emitter hard-codes the JitValue layout");

/// Bump allocator for the strings that generated code computes for one row.
/// Pointers stay valid until Reset.
class StringArena {
 public:
  char* Allocate(size_t size);
  /// Frees all strings, keeping the largest block for the next row.
  void Reset();

 private:
  struct Block {
    std::unique_ptr<char[]> data;
    size_t capacity = 0;
  };
  std::vector<Block> blocks_;
  size_t used_ = 0;  // bytes used in blocks_.back()
};

/// State of one thread evaluating generated code. Opaque to the generated
/// code, which only passes its address on to the helpers.
struct JitContext {
  std::string error;  // set by a raise helper before the function returns -1
  StringArena arena;  // strings computed for the current row
};

/// Types and text that a helper needs and generated code cannot embed: a
/// CAST's types and failure message, or a call that runs through a helper
/// (fsql_jit_call_function or a collection helper). The emitter keeps these at stable
/// addresses and embeds the address in the code.
struct CastSite {
  DataType from;
  DataType to;
  std::string reason;                    // the interpreter's wording, e.g. "out of range"
  std::shared_ptr<const Expr> call = {}; // a registered call, which keeps its argument expressions alive
  std::string function = {};             // a collection call's bound name, e.g. "CARDINALITY"
  std::vector<DataType> arg_types = {};  // a collection call's argument types; `to` is its result type
};

/// Reads a JitValue of `type` as the interpreter's Value. Strings, nested rows
/// and boxed decimals must still be valid, i.e. before the arena is reset.
fsql::Value JitValueToValue(const DataType& type, const JitValue& raw);

/// A helper's symbol name and address, for defining it in the JIT.
struct HelperSymbol {
  const char* name;
  const void* address;
};

/// All helpers below, by name.
const std::vector<HelperSymbol>& HelperSymbols();

}  // namespace fsql::codegen

// Physical classes of the `bits`/`physical` arguments below: 1 BOOLEAN
// (bits 0 or 1), 2 integer, 3 double (IEEE bits), 4 string (data, length),
// 5 DECIMAL (data points at the int128 unscaled value), 6 ARRAY, MAP or
// MULTISET (data points at its nested row). Classes 5 and 6 need the value's
// type, which the helpers take from the CastSite's `from`.
//
// DECIMAL values pass by pointer, as `const void*`, because generated code
// may align an i128 stack slot to 8 bytes only.
extern "C" {

/// Compares two byte strings as std::string::compare does; returns -1, 0 or 1.
int32_t fsql_jit_string_compare(const char* a, int64_t a_length, const char* b,
                                int64_t b_length) noexcept;
/// SQL LIKE with the interpreter's matcher; `escape` is the escape byte or 0.
int32_t fsql_jit_like(const char* text, int64_t text_length, const char* pattern,
                      int64_t pattern_length, int32_t escape) noexcept;
/// Number of UTF-8 code points, counted as bytes that are not continuation bytes.
int64_t fsql_jit_char_length(const char* data, int64_t length) noexcept;
/// Copies `data` upper- or lower-cased with std::toupper/std::tolower into the arena.
const char* fsql_jit_change_case(fsql::codegen::JitContext* context, const char* data,
                                 int64_t length, int32_t upper) noexcept;
/// Concatenates two strings into the arena.
const char* fsql_jit_concat(fsql::codegen::JitContext* context, const char* a, int64_t a_length,
                            const char* b, int64_t b_length) noexcept;
/// Formats a value as CAST(... AS STRING) does into the arena and stores its length.
const char* fsql_jit_format_value(fsql::codegen::JitContext* context, const fsql::codegen::CastSite* site,
                                  int32_t physical, int64_t bits, const char* data, int64_t length,
                                  int64_t* out_length) noexcept;
/// static_cast<int64_t>(value), so out-of-range results match the interpreter on every target.
int64_t fsql_jit_double_to_int64(double value) noexcept;
/// TIMESTAMPDIFF in whole months between two epoch-millisecond timestamps.
int64_t fsql_jit_months_between(int64_t from_ms, int64_t to_ms) noexcept;
/// Parses an integer as CAST does (strtoll, base 10); returns 0 when invalid.
int32_t fsql_jit_parse_int64(const char* data, int64_t length, int64_t* out) noexcept;
/// Parses a double as CAST does (strtod); returns 0 when invalid.
int32_t fsql_jit_parse_double(const char* data, int64_t length, double* out) noexcept;
/// Parses 'true' or 'false' in any case; returns 0 when invalid.
int32_t fsql_jit_parse_boolean(const char* data, int64_t length, int64_t* out) noexcept;

/// Evaluates the registered function `site->call` on `args` (one per argument,
/// in the JitValue layout, strings by address) with the interpreter's
/// implementation, and stores the result in `out`, copying strings into the
/// arena. Returns 0, or -1 after storing the error message in the context.
int32_t fsql_jit_call_function(fsql::codegen::JitContext* context, const fsql::codegen::CastSite* site,
                               const fsql::codegen::JitValue* args, int64_t processing_time_ms,
                               fsql::codegen::JitValue* out) noexcept;

/// DecimalArithmetic on the values at `a` and `b`; stores the result at `out`
/// and returns the DecimalStatus as an int.
int32_t fsql_jit_decimal_arithmetic(int32_t op, const void* a, int32_t a_scale, const void* b, int32_t b_scale,
                                    int32_t precision, int32_t scale, void* out) noexcept;
/// DecimalCompare of the values at `a` and `b`; returns -1, 0 or 1.
int32_t fsql_jit_decimal_compare(const void* a, int32_t a_scale, const void* b, int32_t b_scale) noexcept;
/// The double nearest to the DECIMAL at `value`.
double fsql_jit_decimal_to_double(const void* value, int32_t scale) noexcept;
/// Adds (`sign` = 1) or retracts (`sign` = -1) a non-NULL value of type
/// `site->from`, passed as ExprEmitter::HelperValueArgs passes it, to the
/// value multiset that the RetractableAccumulator at `accumulator` keeps for
/// MIN, MAX and COLLECT.
void fsql_jit_accumulate_value(void* accumulator, const fsql::codegen::CastSite* site, int32_t physical, int64_t bits,
                               const char* data, int64_t length, int64_t sign) noexcept;
/// Adds the value multiset of the RetractableAccumulator at `from` to that of
/// the one at `into`, for the merge function of MIN, MAX and COLLECT.
void fsql_jit_merge_values(void* into, const void* from) noexcept;
/// Copies a DECIMAL given as its low and high 64 bits into the arena, for a
/// projection result wider than the JitValue's bits.
const void* fsql_jit_box_decimal(fsql::codegen::JitContext* context, int64_t low, int64_t high) noexcept;
/// Runs the interpreter's CastValue from `site->from` to `site->to` and writes
/// the result to `out`, with strings and nested rows in the arena and a DECIMAL
/// wider than 18 digits boxed in the arena even when NULL. Returns 0, or 1 with
/// the error message stored in the context.
int32_t fsql_jit_cast(fsql::codegen::JitContext* context, const fsql::codegen::CastSite* site, int32_t physical,
                      int64_t bits, const char* data, int64_t length, int32_t safe, int32_t is_null,
                      fsql::codegen::JitValue* out) noexcept;
/// Evaluates the collection call of `site` (runtime/expr/collection_functions.h)
/// on `args`, one JitValue per argument, and writes the result as fsql_jit_cast
/// does. Returns 0, or 1 with the error message stored in the context.
int32_t fsql_jit_collection_call(fsql::codegen::JitContext* context, const fsql::codegen::CastSite* site,
                                 const fsql::codegen::JitValue* args, fsql::codegen::JitValue* out) noexcept;
/// Compares two collections of types `site->from` and `site->to` as CompareValues
/// does; returns 0 without reading them when `either_null` is set.
int32_t fsql_jit_compare_nested(const fsql::codegen::CastSite* site, const uint8_t* a, const uint8_t* b,
                                bool either_null) noexcept;

/// Stores the interpreter's message for a DECIMAL division or modulo by zero.
void fsql_jit_raise_decimal_division_by_zero(fsql::codegen::JitContext* context, const void* a, int32_t a_scale,
                                             const void* b, int32_t b_scale, int32_t op) noexcept;
/// Stores the interpreter's message for an integer division or modulo by zero.
void fsql_jit_raise_division_by_zero(fsql::codegen::JitContext* context, int64_t dividend, int64_t divisor,
                                     int32_t op) noexcept;
/// Stores the interpreter's message for a failed CAST of the given value.
void fsql_jit_raise_cast_failure(fsql::codegen::JitContext* context, const fsql::codegen::CastSite* site,
                                 int32_t physical, int64_t bits, const char* data, int64_t length) noexcept;
/// Stores the interpreter's message for a TO_TIMESTAMP_LTZ precision other than 0 or 3.
void fsql_jit_raise_timestamp_precision(fsql::codegen::JitContext* context, int64_t precision) noexcept;

}  // extern "C"
