// ARRAY, MAP and MULTISET calls. Generated code passes the evaluated
// arguments to a helper that runs the interpreter's implementation, because
// these values live in nested rows that only C++ code builds.
#include <fmt/format.h>

#include "compiler/codegen/expr_emitter.h"

namespace fsql::codegen {

IrValue ExprEmitter::EmitCollectionCall(const Expr& expr) {
  std::vector<IrValue> args;
  CastSite site;
  site.to = expr.type;
  site.function = expr.function;
  for (const ExprPtr& arg : expr.args) {
    args.push_back(Emit(*arg));
    site.arg_types.push_back(arg->type);
  }

  // C signature: int32_t fsql_jit_collection_call(JitContext*, const CastSite*, const JitValue* args, JitValue* out)
  llvm::StructType* jit_value = JitValueType();
  size_t count = std::max<size_t>(args.size(), 1);
  llvm::Value* arg_slots = EntryAlloca(llvm::ArrayType::get(jit_value, count), "collection_args");
  for (size_t i = 0; i < args.size(); ++i) {
    llvm::Value* slot = builder_.CreateConstInBoundsGEP1_64(jit_value, arg_slots, i, fmt::format("collection_arg{}", i));
    StoreJitValue(slot, expr.args[i]->type, args[i]);
  }
  llvm::Value* result_slot = EntryAlloca(jit_value, "collection_result");
  llvm::Type* ptr = builder_.getPtrTy();
  llvm::FunctionCallee call = Helper("fsql_jit_collection_call", builder_.getInt32Ty(), {ptr, ptr, ptr, ptr}, false);
  llvm::Value* status =
      builder_.CreateCall(call, {args_.context, SitePointer(site), arg_slots, result_slot}, "collection_status");
  // The helper has stored the interpreter's message already.
  RaiseIf(builder_.CreateICmpNE(status, builder_.getInt32(0)), "collection_failure", [] {});
  return LoadJitValue(result_slot, expr.type, "collection");
}

}  // namespace fsql::codegen
