// Compiles the accumulate and retract step of the aggregates of a group,
// window or OVER aggregation into one native function, and their merge step
// into a second one.
//
// The generated function has this C signature:
//
//   int32_t fsql_accumulate_<n>(const uint8_t* row, int64_t processing_time_ms,
//                               fsql::codegen::JitContext* context,
//                               fsql::RetractableAccumulator* accumulators,
//                               int64_t sign);
//
// `accumulators` points at the group's accumulators, one per aggregate of the
// list. For each compiled aggregate whose FILTER clause holds, the function
// evaluates the argument and, unless it is NULL, adds it (`sign` = 1) or
// retracts it (`sign` = -1) in the accumulator's NumericAccumulatorState,
// with Apply's arithmetic: wrapping integer sums, doubles summed in the same
// order, and a DECIMAL sum that turns NULL on int128 overflow. MIN, MAX and
// COLLECT then add or remove the value in the accumulator's multiset through
// the fsql_jit_accumulate_value helper, because the multiset is a std::map of
// Values. The function returns 0, or -1 after a helper has stored the
// interpreter's message in context->error.
//
// The same module contains the merge function of sliced window aggregation:
//
//   int32_t fsql_merge_<n>(fsql::RetractableAccumulator* into,
//                          const fsql::RetractableAccumulator* from);
//
// Both arrays hold one accumulator per aggregate of the list. For each
// compiled aggregate it adds the NumericAccumulatorState of `from` to that of
// `into` as MergeNumericState does: wrapping integer adds, double adds, and
// the DECIMAL sum with its sticky overflow flag and the larger scale. MIN,
// MAX and COLLECT then merge their multisets through fsql_jit_merge_values.
// It returns 0.
//
// An aggregate compiles when it has no DISTINCT and its argument and FILTER
// expressions compile. COUNT(*) compiles, and so do SUM and AVG over an
// integer, FLOAT, DOUBLE or DECIMAL argument. COUNT, MIN, MAX and COLLECT
// also take a BOOLEAN or string argument. FIRST_VALUE, LAST_VALUE, LISTAGG, the
// variances and DISTINCT aggregates keep RetractableAccumulator::Apply.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "compiler/codegen/calc_compiler.h"
#include "compiler/codegen/jit.h"
#include "runtime/operators/accumulator.h"

namespace fsql::codegen {

/// Whether CompileAccumulate compiles `aggregate`, judged by its function and
/// argument type; its expressions may still fail to compile.
bool IsCompilableAggregate(const GroupAggregateSpec::Aggregate& aggregate);

/// An accumulate function compiled by CompileAccumulate. Immutable and safe to
/// share between threads.
class CompiledAccumulateFunction final : public CompiledAccumulate {
 public:
  /// The generated function; see the top of this file.
  using Function = int32_t (*)(const uint8_t* row, int64_t processing_time_ms, JitContext* context,
                               RetractableAccumulator* accumulators, int64_t sign);
  /// The generated merge function, described at the top of this file.
  using MergeFunction = int32_t (*)(RetractableAccumulator* into, const RetractableAccumulator* from);

  struct Parts {
    std::vector<bool> compiled;  // per aggregate of the list
    std::shared_ptr<const void> code_data;  // CastSites that the code points to
    std::unique_ptr<JitCode> code;
    std::string function_name;
    std::string merge_function_name;
    void* merge_address = nullptr;  // in `code`
    std::string ir_before_optimization;
    std::string ir_after_optimization;
    double compile_millis = 0;
  };
  explicit CompiledAccumulateFunction(Parts parts);
  ~CompiledAccumulateFunction() override;

  void Accumulate(RowView row, int sign, const EvalContext& context,
                  RetractableAccumulator* accumulators) const override;
  void Merge(RetractableAccumulator* into, const RetractableAccumulator* from) const override;
  bool IsCompiled(size_t index) const override { return parts_.compiled.at(index); }

  const std::string& ir_before_optimization() const { return parts_.ir_before_optimization; }
  const std::string& ir_after_optimization() const { return parts_.ir_after_optimization; }
  const std::string& function_name() const { return parts_.function_name; }
  const std::string& merge_function_name() const { return parts_.merge_function_name; }
  double compile_millis() const { return parts_.compile_millis; }
  /// Bytes of machine code that the compilation produced.
  uint64_t code_bytes() const { return parts_.code->code_bytes(); }

 private:
  Parts parts_;
  Function function_;
  MergeFunction merge_function_;
};

/// Compiles the aggregates of `aggregates` that IsCompilableAggregate accepts.
/// Fails when none of them is accepted, or with the message naming the first
/// expression that does not compile.
Result<std::shared_ptr<const CompiledAccumulateFunction>> CompileAccumulate(
    const std::vector<GroupAggregateSpec::Aggregate>& aggregates, const CompileOptions& options = {});

/// Renders an aggregate list with its functions, types and expressions. Lists
/// with equal fingerprints compile to the same code.
std::string AccumulateFingerprint(const std::vector<GroupAggregateSpec::Aggregate>& aggregates);

/// Returns the compiled accumulate function from the process-wide cache, which
/// works as CompileCalcCached describes. Returns nullptr, after one info log
/// line, when the list does not compile.
std::shared_ptr<const CompiledAccumulateFunction> CompileAccumulateCached(
    const std::vector<GroupAggregateSpec::Aggregate>& aggregates);

/// The compiler the planner gives to group and window aggregation: CompileAccumulateCached.
AccumulateCompiler CachedAccumulateCompiler();

}  // namespace fsql::codegen
