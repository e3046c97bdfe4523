#include "compiler/codegen/calc_compiler.h"

#include <bit>
#include <chrono>
#include <cstring>
#include <deque>

#include <fmt/format.h>
#include <llvm/IR/LLVMContext.h>
#include <llvm/IR/Module.h>
#include <llvm/Target/TargetMachine.h>

#include "compiler/codegen/expr_emitter.h"
#include "compiler/codegen/llvm_module.h"
#include "compiler/codegen/runtime_helpers.h"
#include "runtime/common/error.h"

namespace fsql::codegen {

namespace {

using CalcResult = Result<std::shared_ptr<const CompiledCalc>>;

/// Emits the function described at the top of calc_compiler.h. Throws NotCompilable.
void BuildCalcFunction(llvm::Module& module, const std::string& name, const ExprPtr& filter,
                       const std::vector<ExprPtr>& projections, std::deque<CastSite>& cast_sites) {
  llvm::LLVMContext& context = module.getContext();
  llvm::IRBuilder<> builder(context);
  llvm::Type* ptr = builder.getPtrTy();
  auto* type = llvm::FunctionType::get(builder.getInt32Ty(), {ptr, builder.getInt64Ty(), ptr, ptr}, false);
  auto* function = llvm::Function::Create(type, llvm::Function::ExternalLinkage, name, module);
  function->setDoesNotThrow();
  FunctionArgs args{function->getArg(0), function->getArg(1), function->getArg(2)};
  llvm::Value* out = function->getArg(3);
  args.row->setName("row");
  args.processing_time_ms->setName("processing_time_ms");
  args.context->setName("context");
  out->setName("out");
  function->addParamAttr(0, llvm::Attribute::NoAlias);
  function->addParamAttr(0, llvm::Attribute::ReadOnly);
  function->addParamAttr(3, llvm::Attribute::NoAlias);

  builder.SetInsertPoint(llvm::BasicBlock::Create(context, "entry", function));
  ExprEmitter emitter(builder, args, cast_sites);
  if (filter) {
    IrValue predicate = emitter.EmitAs(*filter, Physical::kBool);
    llvm::BasicBlock* project = llvm::BasicBlock::Create(context, "project", function);
    llvm::BasicBlock* rejected = llvm::BasicBlock::Create(context, "rejected", function);
    builder.CreateCondBr(emitter.IsTrue(predicate), project, rejected);
    builder.SetInsertPoint(rejected);
    builder.CreateRet(builder.getInt32(0));
    builder.SetInsertPoint(project);
  }
  for (size_t i = 0; i < projections.size(); ++i) {
    const Expr& projection = *projections[i];
    llvm::StructType* jit_value = emitter.JitValueType();
    llvm::Value* slot = builder.CreateConstInBoundsGEP1_64(jit_value, out, i, fmt::format("out{}", i));
    emitter.StoreJitValue(slot, projection.type, emitter.Emit(projection));
  }
  builder.CreateRet(builder.getInt32(1));
}

/// Returns the unscaled value of a DECIMAL projection, which is in `bits` up to
/// 18 digits and boxed in the arena beyond.
Int128 DecimalOf(const DataType& type, const JitValue& raw) {
  if (type.precision <= kMaxCompactDecimalPrecision) return static_cast<int64_t>(raw.bits);
  Int128 value;
  std::memcpy(&value, reinterpret_cast<const void*>(raw.bits), sizeof(value));
  return value;
}

/// Writes a projection as RowBuilder::SetValue writes the interpreter's value.
void WriteColumn(RowBuilder& builder, uint32_t column, const DataType& type, const JitValue& raw) {
  if (raw.is_null) {
    builder.SetNull(column);
    return;
  }
  switch (type.id) {
    case TypeId::kFloat:
    case TypeId::kDouble:
      builder.SetDouble(column, std::bit_cast<double>(raw.bits));
      return;
    case TypeId::kDecimal:
      builder.SetDecimal(column, type.precision, DecimalOf(type, raw));
      return;
    case TypeId::kString:
    case TypeId::kBytes:
      builder.SetString(column, std::string_view(reinterpret_cast<const char*>(raw.bits), raw.length));
      return;
    case TypeId::kRow:
    case TypeId::kArray:
    case TypeId::kMap:
    case TypeId::kMultiset:
      // The interpreter re-encodes nested values instead of copying their
      // bytes; doing the same keeps the output identical.
      builder.SetValue(column, type, RowView::ReadNested(reinterpret_cast<const uint8_t*>(raw.bits), type));
      return;
    default:
      builder.SetInt(column, static_cast<int64_t>(raw.bits));
      return;
  }
}

double MillisSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace

CompiledCalc::CompiledCalc(Parts parts)
    : parts_(std::move(parts)), function_(reinterpret_cast<Function>(parts_.code->address())) {}

CompiledCalc::~CompiledCalc() = default;

bool CompiledCalc::Run(RowView row, int64_t processing_time_ms, JitContext& context, JitValue* out) const {
  context.arena.Reset();
  int32_t status = function_(row.data(), processing_time_ms, &context, out);
  if (status < 0) throw Error(context.error);
  return status == 1;
}

void CompiledCalc::Process(const std::vector<Row>& rows, const EvalContext& context, std::vector<Row>& out) const {
  const std::vector<DataType>& types = parts_.projection_types;
  JitContext jit_context;
  std::vector<JitValue> values(types.size());
  RowBuilder builder(static_cast<uint32_t>(types.size()));
  for (const Row& row : rows) {
    if (!Run(row.view(), context.processing_time_ms, jit_context, values.data())) continue;
    for (uint32_t i = 0; i < types.size(); ++i) WriteColumn(builder, i, types[i], values[i]);
    out.push_back(builder.Finish(row.kind(), row.event_time()));
  }
}

bool CompiledCalc::Passes(RowView row, const EvalContext& context) const {
  // One context per thread, so that a join's condition needs no allocation per row.
  thread_local JitContext jit_context;
  std::vector<JitValue> values(parts_.projection_types.size());
  return Run(row, context.processing_time_ms, jit_context, values.data());
}

bool CompiledCalc::Evaluate(RowView row, const EvalContext& context, std::vector<Value>& values) const {
  const std::vector<DataType>& types = parts_.projection_types;
  JitContext jit_context;
  std::vector<JitValue> raw(types.size());
  if (!Run(row, context.processing_time_ms, jit_context, raw.data())) return false;
  values.clear();
  for (size_t i = 0; i < types.size(); ++i) values.push_back(JitValueToValue(types[i], raw[i]));
  return true;
}

Result<std::shared_ptr<const CompiledCalc>> CompileCalc(const ExprPtr& filter, const std::vector<ExprPtr>& projections,
                                                        const CompileOptions& options) {
  auto start = std::chrono::steady_clock::now();
  auto jit = Jit::Shared();
  if (!jit.ok()) return CalcResult::Failure(jit.error());

  auto context = std::make_unique<llvm::LLVMContext>();
  auto module = std::make_unique<llvm::Module>("fsql_calc", *context);
  jit.value()->PrepareModule(*module);
  CompiledCalc::Parts parts;
  parts.function_name = jit.value()->UniqueName("fsql_calc");
  auto cast_sites = std::make_shared<std::deque<CastSite>>();
  try {
    BuildCalcFunction(*module, parts.function_name, filter, projections, *cast_sites);
  } catch (const NotCompilable& error) {
    return CalcResult::Failure(error.what());
  } catch (const InternalError& error) {
    return CalcResult::Failure(fmt::format("generating IR failed, a bug in fsql_codegen: {}", error.what()));
  }

  auto linked = LinkModule(*jit.value(), std::move(context), std::move(module), parts.function_name, options.keep_ir);
  if (!linked.ok()) return CalcResult::Failure(linked.error());
  parts.code = std::move(linked.value().code);
  parts.ir_before_optimization = std::move(linked.value().ir_before_optimization);
  parts.ir_after_optimization = std::move(linked.value().ir_after_optimization);
  parts.code_data = std::move(cast_sites);
  for (const ExprPtr& projection : projections) parts.projection_types.push_back(projection->type);
  parts.compile_millis = MillisSince(start);
  return std::shared_ptr<const CompiledCalc>(std::make_shared<CompiledCalc>(std::move(parts)));
}

}  // namespace fsql::codegen
