// CAST and TRY_CAST, following the interpreter's CastValue branch by branch:
// the target type picks the branch, then the input's physical class picks the
// conversion. A conversion that can fail raises the interpreter's message for
// CAST and yields NULL for TRY_CAST.
#include <fmt/format.h>
#include <llvm/IR/Intrinsics.h>

#include "compiler/codegen/expr_emitter.h"
#include "runtime/common/error.h"

namespace fsql::codegen {

namespace {

bool IsApproximate(const DataType& type) { return type.id == TypeId::kDouble || type.id == TypeId::kFloat; }

}  // namespace

IrValue ExprEmitter::EmitCast(const Expr& expr) {
  const DataType& from = expr.args[0]->type;
  const DataType& to = expr.type;
  IrValue input = Emit(*expr.args[0]);
  if (input.physical == Physical::kNull) return NullOf(*PhysicalOf(to));
  auto through_helper = [](const DataType& type) {
    return type.id == TypeId::kDecimal || type.id == TypeId::kArray || type.id == TypeId::kMap ||
           type.id == TypeId::kMultiset;
  };
  if (through_helper(from) || through_helper(to)) return EmitCastThroughHelper(expr, input);

  if (to.IsString()) return EmitCastToString(expr, input);
  if (to.id == TypeId::kBoolean) return EmitCastToBoolean(expr, input);
  if (to.IsInteger() || to.IsTimestamp() || to.id == TypeId::kDate) return EmitCastToInteger(expr, input);
  if (IsApproximate(to)) return EmitCastToDouble(expr, input);
  if (from.SameShape(to)) return input;
  return FinishFallible(expr, input, NullOf(*PhysicalOf(to)), builder_.getTrue(), "unsupported conversion");
}

IrValue ExprEmitter::EmitCastThroughHelper(const Expr& expr, const IrValue& input) {
  if (input.physical == Physical::kRow) throw NotCompilable(expr, "casting ROW values is not supported");
  llvm::Type* i32 = builder_.getInt32Ty();
  llvm::Type* i64 = builder_.getInt64Ty();
  llvm::Type* ptr = builder_.getPtrTy();
  llvm::StructType* jit_value = llvm::StructType::get(context_, {i64, i32, i32});
  llvm::Value* result_slot = EntryAlloca(jit_value, "cast_result_slot");
  llvm::FunctionCallee cast = Helper("fsql_jit_cast", i32, {ptr, ptr, i32, i64, ptr, i64, i32, i32, ptr}, false);
  std::vector<llvm::Value*> call_args = {args_.context, SitePointer(CastSite{expr.args[0]->type, expr.type, ""})};
  for (llvm::Value* arg : HelperValueArgs(input)) call_args.push_back(arg);
  call_args.push_back(builder_.getInt32(expr.safe ? 1 : 0));
  call_args.push_back(builder_.CreateZExt(input.is_null, i32));
  call_args.push_back(result_slot);
  llvm::Value* status = builder_.CreateCall(cast, call_args, "cast_status");
  // The helper has stored the interpreter's message already.
  RaiseIf(builder_.CreateICmpNE(status, builder_.getInt32(0)), "cast_failure", [] {});
  return LoadJitValue(result_slot, expr.type, "cast");
}

IrValue ExprEmitter::EmitCastToString(const Expr& expr, const IrValue& input) {
  const DataType& from = expr.args[0]->type;
  if (from.IsString()) return input;
  if (input.physical == Physical::kRow) throw NotCompilable(expr, "formatting ROW values is not supported");

  // Formatting allocates, so it runs only for non-null values.
  llvm::BasicBlock* from_block = builder_.GetInsertBlock();
  llvm::BasicBlock* format = NewBlock("format");
  llvm::BasicBlock* done = NewBlock("format_done");
  builder_.CreateCondBr(input.is_null, done, format);

  builder_.SetInsertPoint(format);
  llvm::Value* length_slot = EntryAlloca(builder_.getInt64Ty(), "formatted_length_slot");
  llvm::Type* i64 = builder_.getInt64Ty();
  llvm::Type* ptr = builder_.getPtrTy();
  llvm::FunctionCallee format_value = Helper("fsql_jit_format_value", ptr,
                                             {ptr, ptr, builder_.getInt32Ty(), i64, ptr, i64, ptr}, false);
  std::vector<llvm::Value*> call_args = {args_.context, SitePointer(CastSite{from, expr.type, "", nullptr})};
  for (llvm::Value* arg : HelperValueArgs(input)) call_args.push_back(arg);
  call_args.push_back(length_slot);
  IrValue formatted{Physical::kString, builder_.getFalse(), builder_.CreateCall(format_value, call_args, "formatted"),
                    nullptr};
  formatted.length = builder_.CreateLoad(i64, length_slot, "formatted_length");
  llvm::BasicBlock* formatted_block = builder_.GetInsertBlock();
  builder_.CreateBr(done);

  builder_.SetInsertPoint(done);
  return Phi(Physical::kString, {{NullOf(Physical::kString), from_block}, {formatted, formatted_block}}, "cast_string");
}

IrValue ExprEmitter::EmitCastToBoolean(const Expr& expr, const IrValue& input) {
  switch (input.physical) {
    case Physical::kBool:
      return input;
    case Physical::kString:
      return EmitParse(expr, input, "fsql_jit_parse_boolean", Physical::kBool);
    case Physical::kInt:
      return IrValue{Physical::kBool, input.is_null, builder_.CreateICmpNE(input.value, builder_.getInt64(0), "as_bool"),
                     nullptr};
    default:
      return FinishFallible(expr, input, NullOf(Physical::kBool), builder_.getTrue(), "unsupported conversion");
  }
}

IrValue ExprEmitter::EmitCastToInteger(const Expr& expr, const IrValue& input) {
  const DataType& from = expr.args[0]->type;
  const DataType& to = expr.type;
  if ((from.IsTimestamp() && to.IsTimestamp()) || input.physical == Physical::kInt) return input;
  switch (input.physical) {
    case Physical::kBool:
      return IrValue{Physical::kInt, input.is_null, builder_.CreateZExt(input.value, builder_.getInt64Ty(), "as_int"),
                     nullptr};
    case Physical::kDouble: {
      // The interpreter accepts finite values below 9.2e18 in magnitude; the
      // ordered compare is false for NaN and infinity.
      llvm::Value* magnitude = builder_.CreateUnaryIntrinsic(llvm::Intrinsic::fabs, input.value);
      llvm::Value* in_range =
          builder_.CreateFCmpOLT(magnitude, llvm::ConstantFP::get(builder_.getDoubleTy(), 9.2e18), "in_range");
      // fptosi is poison out of range, so the select keeps it out of the result.
      llvm::Value* truncated = builder_.CreateFPToSI(input.value, builder_.getInt64Ty());
      IrValue converted{Physical::kInt, input.is_null,
                        builder_.CreateSelect(in_range, truncated, builder_.getInt64(0), "as_int"), nullptr};
      return FinishFallible(expr, input, converted, builder_.CreateNot(in_range), "out of range");
    }
    case Physical::kString:
      if (to.IsInteger()) return EmitParse(expr, input, "fsql_jit_parse_int64", Physical::kInt);
      [[fallthrough]];
    default:
      return FinishFallible(expr, input, NullOf(Physical::kInt), builder_.getTrue(), "unsupported conversion");
  }
}

IrValue ExprEmitter::EmitCastToDouble(const Expr& expr, const IrValue& input) {
  switch (input.physical) {
    case Physical::kDouble:
      return input;
    case Physical::kInt:
      return IrValue{Physical::kDouble, input.is_null, ToDouble(input), nullptr};
    case Physical::kString:
      return EmitParse(expr, input, "fsql_jit_parse_double", Physical::kDouble);
    default:
      return FinishFallible(expr, input, NullOf(Physical::kDouble), builder_.getTrue(), "unsupported conversion");
  }
}

IrValue ExprEmitter::EmitParse(const Expr& expr, const IrValue& input, const char* helper, Physical result) {
  bool is_double = result == Physical::kDouble;
  llvm::Type* parsed_type = is_double ? builder_.getDoubleTy() : builder_.getInt64Ty();
  llvm::Value* slot = EntryAlloca(parsed_type, "parsed_slot");
  // A failed parse leaves the slot as stored here, so the value is never undef.
  builder_.CreateStore(llvm::Constant::getNullValue(parsed_type), slot);
  llvm::Type* ptr = builder_.getPtrTy();
  llvm::FunctionCallee parse = Helper(helper, builder_.getInt32Ty(), {ptr, builder_.getInt64Ty(), ptr}, false);
  llvm::Value* ok = builder_.CreateCall(parse, {input.value, input.length, slot}, "parse_ok");
  llvm::Value* parsed = builder_.CreateLoad(parsed_type, slot, "parsed");
  if (result == Physical::kBool) parsed = builder_.CreateICmpNE(parsed, builder_.getInt64(0), "parsed_bool");

  const char* reason = result == Physical::kBool ? "not a boolean"
                       : is_double               ? "not a number"
                                                 : "not an integer";
  IrValue converted{result, input.is_null, parsed, nullptr};
  return FinishFallible(expr, input, converted, builder_.CreateICmpEQ(ok, builder_.getInt32(0), "parse_failed"),
                        reason);
}

IrValue ExprEmitter::FinishFallible(const Expr& expr, const IrValue& input, IrValue converted, llvm::Value* failed,
                                    const std::string& reason) {
  if (expr.safe) {
    converted.is_null = builder_.CreateOr(input.is_null, failed, "try_cast_is_null");
    return converted;
  }
  if (input.physical == Physical::kRow) throw NotCompilable(expr, "formatting ROW values is not supported");
  llvm::Value* site = SitePointer(CastSite{expr.args[0]->type, expr.type, reason, nullptr});
  RaiseIf(builder_.CreateAnd(builder_.CreateNot(input.is_null), failed), "cast_failure", [&] {
    llvm::Type* i64 = builder_.getInt64Ty();
    llvm::Type* ptr = builder_.getPtrTy();
    llvm::FunctionCallee raise = Helper("fsql_jit_raise_cast_failure", builder_.getVoidTy(),
                                        {ptr, ptr, builder_.getInt32Ty(), i64, ptr, i64}, false);
    std::vector<llvm::Value*> call_args = {args_.context, site};
    for (llvm::Value* arg : HelperValueArgs(input)) call_args.push_back(arg);
    builder_.CreateCall(raise, call_args);
  });
  converted.is_null = input.is_null;
  return converted;
}

}  // namespace fsql::codegen
