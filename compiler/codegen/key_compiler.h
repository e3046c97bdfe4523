// Compiles the key encoding of stateful operators into one native function per
// key, and caches compiled keys for the whole process.
//
// The generated function has this C signature:
//
//   uint64_t fsql_key_<n>(const uint8_t* row, uint8_t* out, uint64_t capacity,
//                         uint64_t* length);
//
// `row` is a row in the layout of runtime/row/row.h. The function stores in
// *length the size of the key that EncodeKey returns for the row. When
// `capacity` is at least RequiredKeyCapacity(*length), it writes those bytes
// to out[0, *length), zeroes the bytes after them up to the next multiple of
// 8, and returns HashKey of the key. Otherwise it writes nothing to `out` and
// returns 0, and the caller grows the buffer and calls again.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "compiler/codegen/calc_compiler.h"
#include "compiler/codegen/jit.h"
#include "runtime/operators/operator.h"

namespace fsql::codegen {

/// The buffer size the generated key function needs for a key of `length`
/// bytes: room for every 8-byte word its hash reads.
inline uint64_t RequiredKeyCapacity(uint64_t length) { return (length & ~uint64_t{7}) + 8; }

/// A key encoding compiled by CompileKey. Immutable and safe to share between threads.
class CompiledKeyFunction final : public CompiledKey {
 public:
  /// The generated function; see the top of this file.
  using Function = uint64_t (*)(const uint8_t* row, uint8_t* out, uint64_t capacity, uint64_t* length);

  struct Parts {
    std::unique_ptr<JitCode> code;
    std::string function_name;
    std::string ir_before_optimization;
    std::string ir_after_optimization;
    double compile_millis = 0;
  };
  explicit CompiledKeyFunction(Parts parts);
  ~CompiledKeyFunction() override;

  uint64_t Encode(RowView row, std::string& key) const override;

  /// The module's IR text; empty unless CompileOptions::keep_ir was set.
  const std::string& ir_before_optimization() const { return parts_.ir_before_optimization; }
  const std::string& ir_after_optimization() const { return parts_.ir_after_optimization; }
  const std::string& function_name() const { return parts_.function_name; }
  /// Wall time from IR generation to linked code, in milliseconds.
  double compile_millis() const { return parts_.compile_millis; }
  /// Bytes of machine code that the compilation produced.
  uint64_t code_bytes() const { return parts_.code->code_bytes(); }

 private:
  Parts parts_;
  Function function_;
};

/// Compiles the encoding of `columns` of rows whose columns have `types`.
/// Fails, without throwing anything but std::bad_alloc, with LLVM's error or
/// when a column is out of range.
Result<std::shared_ptr<const CompiledKeyFunction>> CompileKey(const std::vector<int>& columns,
                                                             const std::vector<DataType>& types,
                                                             const CompileOptions& options = {});

/// Renders key columns with their types. Keys with equal fingerprints compile
/// to the same code.
std::string KeyFingerprint(const std::vector<int>& columns, const std::vector<DataType>& types);

/// Returns the compiled key from the process-wide cache, which works as
/// CompileCalcCached describes, and compiles it on the first request. Returns
/// nullptr, after one error log line, when the key does not compile.
std::shared_ptr<const CompiledKeyFunction> CompileKeyCached(const std::vector<int>& columns,
                                                           const std::vector<DataType>& types);

/// Counts requests to the cache of compiled keys, as GetCompileCacheStats does for Calcs.
CompileCacheStats GetKeyCompileCacheStats();

/// The compiler the planner gives to every stateful operator: CompileKeyCached.
KeyCompiler CachedKeyCompiler();

}  // namespace fsql::codegen
