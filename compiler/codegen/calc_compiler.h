// Compiles the filter and projections of a Calc into one native function, and
// caches compiled Calcs for the whole process.
//
// The generated function has this C signature:
//
//   int32_t fsql_calc_<n>(const uint8_t* row, int64_t processing_time_ms,
//                         fsql::codegen::JitContext* context,
//                         fsql::codegen::JitValue* out);
//
// `row` is an input row in the layout of runtime/row/row.h. When the filter is
// not TRUE for the row, the function returns 0. Otherwise it stores projection
// i in out[i] and returns 1. On a runtime error, such as a division by zero or
// a failed CAST, a helper stores the interpreter's message in context->error
// and the function returns -1. A string in `out` points into the row, into the
// code's constants or into context->arena, so it is valid until the arena is
// reset and the code is freed. A ROW in `out` points into the row.
//
// Every expression of the Calc must compile; CompileCalc otherwise fails with a
// message naming the first expression that did not, and CalcOperator keeps the
// interpreter for the whole Calc. expr_emitter.h lists what compiles.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "compiler/codegen/jit.h"
#include "runtime/expr/expr.h"
#include "runtime/operators/operator.h"

namespace fsql::codegen {

struct JitContext;
struct JitValue;

/// The setting that chooses how CalcOperator evaluates expressions.
inline constexpr std::string_view kCodegenModeKey = "table.exec.codegen.mode";

/// Parses a value of 'table.exec.codegen.mode': 'auto', 'jit' or 'interpret',
/// in any case. Returns nullopt for other text.
std::optional<CalcOperator::CodegenMode> ParseCodegenMode(std::string_view text);

struct CompileOptions {
  bool keep_ir = false;  // keep the IR text before and after optimisation
};

/// A Calc compiled by CompileCalc. Immutable and safe to share between threads.
class CompiledCalc final : public CalcOperator::Compiled {
 public:
  /// The generated function; see the top of this file.
  using Function = int32_t (*)(const uint8_t* row, int64_t processing_time_ms, JitContext* context, JitValue* out);

  struct Parts {
    std::vector<DataType> projection_types;
    std::shared_ptr<const void> code_data;  // CastSites that the code points to
    std::unique_ptr<JitCode> code;
    std::string function_name;
    std::string ir_before_optimization;
    std::string ir_after_optimization;
    double compile_millis = 0;
  };
  explicit CompiledCalc(Parts parts);
  ~CompiledCalc() override;

  void Process(const std::vector<Row>& rows, const EvalContext& context, std::vector<Row>& out) const override;
  bool Passes(RowView row, const EvalContext& context) const override;

  /// Evaluates one row, for tests and tools: returns false when the filter
  /// rejects the row, and otherwise stores the projections in `values`. Throws
  /// Error where the interpreter would.
  bool Evaluate(RowView row, const EvalContext& context, std::vector<Value>& values) const;

  /// The module's IR text; empty unless CompileOptions::keep_ir was set.
  const std::string& ir_before_optimization() const { return parts_.ir_before_optimization; }
  const std::string& ir_after_optimization() const { return parts_.ir_after_optimization; }
  const std::string& function_name() const { return parts_.function_name; }
  /// Wall time from IR generation to linked code, in milliseconds.
  double compile_millis() const { return parts_.compile_millis; }
  /// Bytes of machine code that the compilation produced.
  uint64_t code_bytes() const { return parts_.code->code_bytes(); }

 private:
  bool Run(RowView row, int64_t processing_time_ms, JitContext& context, JitValue* out) const;

  Parts parts_;
  Function function_;
};

/// Compiles a filter (null for none) and projections. Fails, without throwing
/// anything but std::bad_alloc, with a message naming the first expression
/// that does not compile or with LLVM's error.
Result<std::shared_ptr<const CompiledCalc>> CompileCalc(const ExprPtr& filter, const std::vector<ExprPtr>& projections,
                                                        const CompileOptions& options = {});

/// Renders a filter and projections with every node's type, literal class and
/// flags. Calcs with equal fingerprints compile to the same code.
std::string CalcFingerprint(const ExprPtr& filter, const std::vector<ExprPtr>& projections);

struct CompileCacheStats {
  int64_t hits = 0;      // requests served from the cache
  int64_t misses = 0;    // requests that compiled
  int64_t failures = 0;  // compilations that failed, so the Calc is interpreted
  int64_t live = 0;      // compiled Calcs whose code is still loaded
};

/// Returns the compiled Calc for a filter and projections from the
/// process-wide cache, and compiles it on the first request. Concurrent
/// requests for one fingerprint wait for a single compilation. Returns nullptr
/// when the Calc does not compile, after one info log line naming the expression.
/// The compiled code is freed once no operator holds it and it is no longer
/// among the most recently requested Calcs (64 by default), so a rule that is
/// reloaded unchanged finds its code, and a removed rule's code goes away. A
/// Calc that fails to compile is remembered and not compiled again.
std::shared_ptr<const CompiledCalc> CompileCalcCached(const ExprPtr& filter, const std::vector<ExprPtr>& projections);

CompileCacheStats GetCompileCacheStats();

/// Sets how many recently requested Calcs, and separately how many keys, the
/// caches keep compiled while no operator uses them.
void SetCompileCacheRetention(size_t count);

/// The compiler the planner gives to every CalcOperator: CompileCalcCached.
CalcOperator::Compiler CachedCalcCompiler();

}  // namespace fsql::codegen
