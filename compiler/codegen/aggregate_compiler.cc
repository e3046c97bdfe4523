#include "compiler/codegen/aggregate_compiler.h"

#include <chrono>
#include <cstddef>
#include <deque>

#include <fmt/format.h>
#include <llvm/IR/LLVMContext.h>
#include <llvm/IR/Module.h>
#include <llvm/Target/TargetMachine.h>

#include "compiler/codegen/expr_emitter.h"
#include "compiler/codegen/llvm_module.h"
#include "runtime/common/error.h"

namespace fsql::codegen {

namespace {

using AccumulateResult = Result<std::shared_ptr<const CompiledAccumulateFunction>>;

/// Returns whether `function` keeps a multiset of its argument values, as MIN, MAX and COLLECT do.
bool KeepsValues(const std::string& function) {
  return function == "MIN" || function == "MAX" || function == "COLLECT";
}

/// Emits loads and stores of the NumericAccumulatorState fields of
/// accumulators, for the accumulate and the merge function.
class NumericStateEmitter {
 protected:
  explicit NumericStateEmitter(llvm::LLVMContext& context) : context_(context), builder_(context) {}

  /// Returns the RetractableAccumulator of aggregate `index` in the
  /// accumulator array at `accumulators`.
  llvm::Value* AccumulatorOf(llvm::Value* accumulators, size_t index, const std::string& name) {
    return builder_.CreateInBoundsGEP(builder_.getInt8Ty(), accumulators, Int64(index * sizeof(RetractableAccumulator)),
                                      name);
  }

  /// Returns the NumericAccumulatorState of aggregate `index` in the
  /// accumulator array at `accumulators`.
  llvm::Value* StateOf(llvm::Value* accumulators, size_t index, const std::string& name) {
    size_t offset = index * sizeof(RetractableAccumulator) + RetractableAccumulator::NumericStateOffset();
    return builder_.CreateInBoundsGEP(builder_.getInt8Ty(), accumulators, Int64(offset), name);
  }

  llvm::Value* Load(llvm::Type* type, llvm::Value* state, size_t offset, const std::string& name) {
    return builder_.CreateAlignedLoad(type, Field(state, offset), llvm::Align(1), name);
  }

  /// Adds `delta` to the int64 field at `offset`, wrapping as Apply's Wrap does.
  void AddToInt(llvm::Value* state, size_t offset, llvm::Value* delta, const std::string& name) {
    llvm::Value* old_value = Load(builder_.getInt64Ty(), state, offset, name + "_old");
    builder_.CreateAlignedStore(builder_.CreateAdd(old_value, delta, name), Field(state, offset), llvm::Align(1));
  }

  void AddToDouble(llvm::Value* state, size_t offset, llvm::Value* delta, const std::string& name) {
    llvm::Value* old_value = Load(builder_.getDoubleTy(), state, offset, name + "_old");
    builder_.CreateAlignedStore(builder_.CreateFAdd(old_value, delta, name), Field(state, offset), llvm::Align(1));
  }

  /// Adds `delta` to the DECIMAL sum of `state` and sets its sticky overflow
  /// flag when int128 overflows or `overflowed` (an i1) is set, as
  /// DecimalSum::Add and DecimalSum::Merge do.
  void AddToDecimal(llvm::Value* state, llvm::Value* delta, llvm::Value* overflowed, const std::string& prefix) {
    size_t base = offsetof(NumericAccumulatorState, decimal_sum);
    llvm::Value* sum = Load(builder_.getInt128Ty(), state, base + offsetof(DecimalSum, sum), prefix + "_decimal_sum_old");
    llvm::Value* added = builder_.CreateBinaryIntrinsic(llvm::Intrinsic::sadd_with_overflow, sum, delta);
    builder_.CreateAlignedStore(builder_.CreateExtractValue(added, 0, prefix + "_decimal_sum"),
                                Field(state, base + offsetof(DecimalSum, sum)), llvm::Align(1));
    llvm::Value* overflow_field = Field(state, base + offsetof(DecimalSum, overflowed));
    llvm::Value* was_overflowed = builder_.CreateICmpNE(
        builder_.CreateAlignedLoad(builder_.getInt8Ty(), overflow_field, llvm::Align(1)), builder_.getInt8(0));
    llvm::Value* now_overflowed = builder_.CreateOr(was_overflowed, builder_.CreateExtractValue(added, 1));
    if (overflowed != nullptr) now_overflowed = builder_.CreateOr(now_overflowed, overflowed);
    now_overflowed->setName(prefix + "_overflowed");
    builder_.CreateAlignedStore(builder_.CreateZExt(now_overflowed, builder_.getInt8Ty()), overflow_field, llvm::Align(1));
  }

  llvm::Value* Field(llvm::Value* state, size_t offset) {
    return builder_.CreateInBoundsGEP(builder_.getInt8Ty(), state, Int64(offset));
  }
  llvm::Value* Int64(uint64_t value) { return builder_.getInt64(value); }

  llvm::LLVMContext& context_;
  llvm::IRBuilder<> builder_;
};

/// Emits the accumulate function described at the top of
/// aggregate_compiler.h, one aggregate after the other in list order, as the
/// interpreter applies them.
class AccumulateFunctionBuilder : private NumericStateEmitter {
 public:
  AccumulateFunctionBuilder(llvm::Module& module, const std::string& name, std::deque<CastSite>& cast_sites)
      : NumericStateEmitter(module.getContext()), module_(module) {
    llvm::Type* ptr = builder_.getPtrTy();
    llvm::Type* i64 = builder_.getInt64Ty();
    auto* type = llvm::FunctionType::get(builder_.getInt32Ty(), {ptr, i64, ptr, ptr, i64}, false);
    function_ = llvm::Function::Create(type, llvm::Function::ExternalLinkage, name, module);
    function_->setDoesNotThrow();
    FunctionArgs args{function_->getArg(0), function_->getArg(1), function_->getArg(2)};
    args.row->setName("row");
    args.processing_time_ms->setName("processing_time_ms");
    args.context->setName("context");
    accumulators_ = function_->getArg(3);
    accumulators_->setName("accumulators");
    llvm::Value* sign = function_->getArg(4);
    sign->setName("sign");
    function_->addParamAttr(0, llvm::Attribute::NoAlias);
    function_->addParamAttr(0, llvm::Attribute::ReadOnly);
    builder_.SetInsertPoint(llvm::BasicBlock::Create(context_, "entry", function_));
    sign_ = sign;
    double_sign_ = builder_.CreateSIToFP(sign, builder_.getDoubleTy(), "double_sign");
    emitter_.emplace(builder_, args, cast_sites);
  }

  /// Emits the update of aggregate `index`. Throws NotCompilable.
  void AddAggregate(size_t index, const GroupAggregateSpec::Aggregate& aggregate) {
    std::string prefix = fmt::format("agg{}", index);
    llvm::Value* state = StateOf(accumulators_, index, prefix + "_state");
    llvm::BasicBlock* done = Block(prefix + "_done");

    if (aggregate.filter) {
      IrValue passes = emitter_->EmitAs(*aggregate.filter, Physical::kBool);
      llvm::BasicBlock* apply = Block(prefix + "_apply");
      builder_.CreateCondBr(emitter_->IsTrue(passes), apply, done);
      builder_.SetInsertPoint(apply);
    }
    if (!aggregate.argument) {
      AddToInt(state, offsetof(NumericAccumulatorState, count), sign_, prefix + "_count");
      builder_.CreateBr(done);
      builder_.SetInsertPoint(done);
      return;
    }

    // Apply skips a NULL argument, and otherwise counts it and adds it to
    // every sum its class contributes to, whatever the function.
    const DataType& type = aggregate.argument->type;
    Physical physical = *PhysicalOf(type);
    IrValue value = emitter_->EmitAs(*aggregate.argument, physical);
    llvm::BasicBlock* add = Block(prefix + "_add");
    builder_.CreateCondBr(value.is_null, done, add);
    builder_.SetInsertPoint(add);
    AddToInt(state, offsetof(NumericAccumulatorState, count), sign_, prefix + "_count");
    switch (physical) {
      case Physical::kInt: {
        AddToInt(state, offsetof(NumericAccumulatorState, int_sum), builder_.CreateMul(sign_, value.value), prefix + "_int_sum");
        llvm::Value* square = builder_.CreateMul(value.value, value.value);
        AddToInt(state, offsetof(NumericAccumulatorState, int_sum_squares), builder_.CreateMul(sign_, square),
                 prefix + "_int_sum_squares");
        AddDoubleSums(state, builder_.CreateSIToFP(value.value, builder_.getDoubleTy()), prefix);
        break;
      }
      case Physical::kDouble:
        AddDoubleSums(state, value.value, prefix);
        break;
      case Physical::kDecimal:
        AddDecimal(state, value.value, type.scale, prefix);
        break;
      case Physical::kBool:
      case Physical::kString:
        break;
      default:
        throw InternalError("accumulate of an argument class IsCompilableAggregate rejects");
    }
    if (KeepsValues(aggregate.function)) {
      // The multiset is a std::map of Values, which only C++ code can update.
      std::vector<llvm::Value*> args = {AccumulatorOf(accumulators_, index, prefix + "_accumulator"),
                                        emitter_->SitePointer(CastSite{type, type, ""})};
      for (llvm::Value* arg : emitter_->HelperValueArgs(value)) args.push_back(arg);
      args.push_back(sign_);
      llvm::Type* ptr = builder_.getPtrTy();
      llvm::Type* i64 = builder_.getInt64Ty();
      llvm::FunctionCallee apply = module_.getOrInsertFunction(
          "fsql_jit_accumulate_value",
          llvm::FunctionType::get(builder_.getVoidTy(), {ptr, ptr, builder_.getInt32Ty(), i64, ptr, i64, i64}, false));
      builder_.CreateCall(apply, args);
    }
    builder_.CreateBr(done);
    builder_.SetInsertPoint(done);
  }

  void Finish() { builder_.CreateRet(builder_.getInt32(0)); }

 private:
  /// Adds `value` to the double sum and its square to the sum of squares, as
  /// Apply computes them: (sign * value) and (sign * value) * value.
  void AddDoubleSums(llvm::Value* state, llvm::Value* value, const std::string& prefix) {
    llvm::Value* signed_value = builder_.CreateFMul(double_sign_, value, prefix + "_signed");
    AddToDouble(state, offsetof(NumericAccumulatorState, double_sum), signed_value, prefix + "_double_sum");
    AddToDouble(state, offsetof(NumericAccumulatorState, double_sum_squares), builder_.CreateFMul(signed_value, value),
                prefix + "_double_sum_squares");
  }

  /// DecimalSum::Add, then the double sums of the value converted as
  /// DecimalToDouble converts it.
  void AddDecimal(llvm::Value* state, llvm::Value* unscaled, int scale, const std::string& prefix) {
    llvm::Type* i128 = builder_.getInt128Ty();
    size_t base = offsetof(NumericAccumulatorState, decimal_sum);
    builder_.CreateAlignedStore(builder_.getInt32(static_cast<uint32_t>(scale)),
                                Field(state, base + offsetof(DecimalSum, scale)), llvm::Align(1));
    llvm::Value* positive = builder_.CreateICmpSGT(sign_, Int64(0));
    llvm::Value* delta = builder_.CreateSelect(positive, unscaled, builder_.CreateSub(llvm::ConstantInt::get(i128, 0), unscaled),
                                               prefix + "_delta");
    AddToDecimal(state, delta, nullptr, prefix);

    // The helper takes the value by pointer, so it goes through a stack slot.
    llvm::IRBuilder<> entry(&function_->getEntryBlock(), function_->getEntryBlock().begin());
    llvm::Value* slot = entry.CreateAlloca(i128, nullptr, prefix + "_unscaled");
    builder_.CreateAlignedStore(unscaled, slot, llvm::Align(1));
    llvm::FunctionCallee to_double = module_.getOrInsertFunction(
        "fsql_jit_decimal_to_double",
        llvm::FunctionType::get(builder_.getDoubleTy(), {builder_.getPtrTy(), builder_.getInt32Ty()}, false));
    llvm::Value* as_double =
        builder_.CreateCall(to_double, {slot, builder_.getInt32(static_cast<uint32_t>(scale))}, prefix + "_as_double");
    AddDoubleSums(state, as_double, prefix);
  }

  llvm::BasicBlock* Block(const std::string& name) { return llvm::BasicBlock::Create(context_, name, function_); }

  llvm::Module& module_;
  llvm::Function* function_ = nullptr;
  llvm::Value* accumulators_ = nullptr;
  llvm::Value* sign_ = nullptr;
  llvm::Value* double_sign_ = nullptr;
  std::optional<ExprEmitter> emitter_;
};

/// Emits the merge function described at the top of aggregate_compiler.h,
/// which does what MergeNumericState does for each compiled aggregate.
class MergeFunctionBuilder : private NumericStateEmitter {
 public:
  MergeFunctionBuilder(llvm::Module& module, const std::string& name)
      : NumericStateEmitter(module.getContext()), module_(module) {
    llvm::Type* ptr = builder_.getPtrTy();
    auto* type = llvm::FunctionType::get(builder_.getInt32Ty(), {ptr, ptr}, false);
    function_ = llvm::Function::Create(type, llvm::Function::ExternalLinkage, name, module);
    function_->setDoesNotThrow();
    into_ = function_->getArg(0);
    into_->setName("into");
    from_ = function_->getArg(1);
    from_->setName("from");
    function_->addParamAttr(1, llvm::Attribute::ReadOnly);
    builder_.SetInsertPoint(llvm::BasicBlock::Create(context_, "entry", function_));
  }

  void AddAggregate(size_t index, const GroupAggregateSpec::Aggregate& aggregate) {
    std::string prefix = fmt::format("agg{}", index);
    if (KeepsValues(aggregate.function)) {
      llvm::Type* ptr = builder_.getPtrTy();
      llvm::FunctionCallee merge_values = module_.getOrInsertFunction(
          "fsql_jit_merge_values", llvm::FunctionType::get(builder_.getVoidTy(), {ptr, ptr}, false));
      builder_.CreateCall(merge_values, {AccumulatorOf(into_, index, prefix + "_into_accumulator"),
                                         AccumulatorOf(from_, index, prefix + "_from_accumulator")});
    }
    llvm::Value* into = StateOf(into_, index, prefix + "_into");
    llvm::Value* from = StateOf(from_, index, prefix + "_from");
    for (auto [offset, name] : {std::pair{offsetof(NumericAccumulatorState, count), "_count"},
                                std::pair{offsetof(NumericAccumulatorState, int_sum), "_int_sum"},
                                std::pair{offsetof(NumericAccumulatorState, int_sum_squares), "_int_sum_squares"}}) {
      AddToInt(into, offset, Load(builder_.getInt64Ty(), from, offset, prefix + name + "_from"), prefix + name);
    }
    for (auto [offset, name] : {std::pair{offsetof(NumericAccumulatorState, double_sum), "_double_sum"},
                                std::pair{offsetof(NumericAccumulatorState, double_sum_squares), "_double_sum_squares"}}) {
      AddToDouble(into, offset, Load(builder_.getDoubleTy(), from, offset, prefix + name + "_from"), prefix + name);
    }

    // DecimalSum::Merge: the larger scale, the sum, and the sticky overflow flag.
    size_t base = offsetof(NumericAccumulatorState, decimal_sum);
    size_t scale_offset = base + offsetof(DecimalSum, scale);
    llvm::Value* into_scale = Load(builder_.getInt32Ty(), into, scale_offset, prefix + "_scale_into");
    llvm::Value* from_scale = Load(builder_.getInt32Ty(), from, scale_offset, prefix + "_scale_from");
    llvm::Value* scale = builder_.CreateBinaryIntrinsic(llvm::Intrinsic::smax, into_scale, from_scale, nullptr,
                                                        prefix + "_scale");
    builder_.CreateAlignedStore(scale, Field(into, scale_offset), llvm::Align(1));
    llvm::Value* from_sum = Load(builder_.getInt128Ty(), from, base + offsetof(DecimalSum, sum), prefix + "_decimal_sum_from");
    llvm::Value* from_overflowed =
        builder_.CreateICmpNE(Load(builder_.getInt8Ty(), from, base + offsetof(DecimalSum, overflowed), ""),
                              builder_.getInt8(0), prefix + "_overflowed_from");
    AddToDecimal(into, from_sum, from_overflowed, prefix);
  }

  void Finish() { builder_.CreateRet(builder_.getInt32(0)); }

 private:
  llvm::Module& module_;
  llvm::Function* function_ = nullptr;
  llvm::Value* into_ = nullptr;
  llvm::Value* from_ = nullptr;
};

double MillisSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace

bool IsCompilableAggregate(const GroupAggregateSpec::Aggregate& aggregate) {
  const std::string& f = aggregate.function;
  if (aggregate.distinct) return false;
  if (!aggregate.argument) return f == "COUNT";
  std::optional<Physical> physical = PhysicalOf(aggregate.argument->type);
  bool number = physical == Physical::kInt || physical == Physical::kDouble || physical == Physical::kDecimal;
  if (f == "SUM" || f == "AVG") return number;
  if (f == "COUNT" || KeepsValues(f)) return number || physical == Physical::kBool || physical == Physical::kString;
  return false;
}

CompiledAccumulateFunction::CompiledAccumulateFunction(Parts parts)
    : parts_(std::move(parts)),
      function_(reinterpret_cast<Function>(parts_.code->address())),
      merge_function_(reinterpret_cast<MergeFunction>(parts_.merge_address)) {}

CompiledAccumulateFunction::~CompiledAccumulateFunction() = default;

void CompiledAccumulateFunction::Accumulate(RowView row, int sign, const EvalContext& context,
                                            RetractableAccumulator* accumulators) const {
  // One context per thread, so that rows need no allocation of their own.
  thread_local JitContext jit_context;
  jit_context.arena.Reset();
  if (function_(row.data(), context.processing_time_ms, &jit_context, accumulators, sign) < 0) {
    throw Error(jit_context.error);
  }
}

void CompiledAccumulateFunction::Merge(RetractableAccumulator* into, const RetractableAccumulator* from) const {
  merge_function_(into, from);
}

Result<std::shared_ptr<const CompiledAccumulateFunction>> CompileAccumulate(
    const std::vector<GroupAggregateSpec::Aggregate>& aggregates, const CompileOptions& options) {
  auto start = std::chrono::steady_clock::now();
  CompiledAccumulateFunction::Parts parts;
  for (const auto& aggregate : aggregates) parts.compiled.push_back(IsCompilableAggregate(aggregate));
  if (std::find(parts.compiled.begin(), parts.compiled.end(), true) == parts.compiled.end()) {
    return AccumulateResult::Failure(
        "no aggregate is COUNT, SUM or AVG over a number, or COUNT, MIN, MAX or COLLECT over a number, BOOLEAN or "
        "string, without DISTINCT");
  }
  auto jit = Jit::Shared();
  if (!jit.ok()) return AccumulateResult::Failure(jit.error());

  auto context = std::make_unique<llvm::LLVMContext>();
  auto module = std::make_unique<llvm::Module>("fsql_accumulate", *context);
  jit.value()->PrepareModule(*module);
  parts.function_name = jit.value()->UniqueName("fsql_accumulate");
  parts.merge_function_name = jit.value()->UniqueName("fsql_merge");
  auto cast_sites = std::make_shared<std::deque<CastSite>>();
  try {
    AccumulateFunctionBuilder builder(*module, parts.function_name, *cast_sites);
    MergeFunctionBuilder merge(*module, parts.merge_function_name);
    for (size_t i = 0; i < aggregates.size(); ++i) {
      if (!parts.compiled[i]) continue;
      builder.AddAggregate(i, aggregates[i]);
      merge.AddAggregate(i, aggregates[i]);
    }
    builder.Finish();
    merge.Finish();
  } catch (const NotCompilable& error) {
    return AccumulateResult::Failure(error.what());
  } catch (const InternalError& error) {
    return AccumulateResult::Failure(fmt::format("generating IR failed, a bug in fsql_codegen: {}", error.what()));
  }

  auto linked = LinkModule(*jit.value(), std::move(context), std::move(module), parts.function_name, options.keep_ir);
  if (!linked.ok()) return AccumulateResult::Failure(linked.error());
  parts.code = std::move(linked.value().code);
  auto merge_address = jit.value()->LookUp(parts.merge_function_name);
  if (!merge_address.ok()) return AccumulateResult::Failure(merge_address.error());
  parts.merge_address = merge_address.value();
  parts.ir_before_optimization = std::move(linked.value().ir_before_optimization);
  parts.ir_after_optimization = std::move(linked.value().ir_after_optimization);
  parts.code_data = std::move(cast_sites);
  parts.compile_millis = MillisSince(start);
  return std::shared_ptr<const CompiledAccumulateFunction>(std::make_shared<CompiledAccumulateFunction>(std::move(parts)));
}

}  // namespace fsql::codegen
