#include "compiler/codegen/expr_emitter.h"

#include <fmt/format.h>
#include <llvm/IR/Constants.h>
#include <llvm/IR/GlobalVariable.h>
#include <llvm/IR/MDBuilder.h>
#include <llvm/IR/Module.h>

#include "runtime/common/error.h"

namespace fsql::codegen {

namespace {

const char* PhysicalName(Physical physical) {
  switch (physical) {
    case Physical::kNull: return "NULL";
    case Physical::kBool: return "boolean";
    case Physical::kInt: return "integer";
    case Physical::kDouble: return "double";
    case Physical::kString: return "string";
    case Physical::kRow: return "row";
    case Physical::kDecimal: return "decimal";
    case Physical::kCollection: return "collection";
  }
  return "unknown";
}

/// Returns whether generated code can read every field of `type`, recursively.
/// The interpreter reads all fields of a ROW when it reads the ROW and throws
/// for an unreadable one, so reading a single field is only equivalent then.
bool AllFieldsReadable(const DataType& type) {
  if (!PhysicalOf(type)) return false;
  for (const RowField& field : type.fields) {
    if (!AllFieldsReadable(field.type)) return false;
  }
  return true;
}

}  // namespace

std::optional<Physical> PhysicalOf(const DataType& type) {
  switch (type.id) {
    case TypeId::kNull:
      return Physical::kNull;
    case TypeId::kBoolean:
      return Physical::kBool;
    case TypeId::kTinyInt:
    case TypeId::kSmallInt:
    case TypeId::kInt:
    case TypeId::kBigInt:
    case TypeId::kDate:
    case TypeId::kTime:
    case TypeId::kTimestamp:
    case TypeId::kTimestampLtz:
    case TypeId::kIntervalDayTime:
    case TypeId::kIntervalYearMonth:
      return Physical::kInt;
    case TypeId::kFloat:
    case TypeId::kDouble:
      return Physical::kDouble;
    case TypeId::kDecimal:
      return Physical::kDecimal;
    case TypeId::kString:
    case TypeId::kBytes:
      return Physical::kString;
    case TypeId::kRow:
      return Physical::kRow;
    case TypeId::kArray:
    case TypeId::kMap:
    case TypeId::kMultiset:
      return Physical::kCollection;
  }
  return std::nullopt;
}

int32_t HelperClassCode(Physical physical) {
  switch (physical) {
    case Physical::kBool: return 1;
    case Physical::kInt: return 2;
    case Physical::kDouble: return 3;
    case Physical::kString: return 4;
    case Physical::kDecimal: return 5;
    case Physical::kCollection: return 6;
    default: throw InternalError(fmt::format("no helper class code for {} values", PhysicalName(physical)));
  }
}

NotCompilable::NotCompilable(const Expr& expr, const std::string& reason)
    : std::runtime_error(fmt::format("{} does not compile: {}", expr.ToString(), reason)) {}

ExprEmitter::ExprEmitter(llvm::IRBuilder<>& builder, const FunctionArgs& args, std::deque<CastSite>& cast_sites)
    : builder_(builder),
      context_(builder.getContext()),
      module_(*builder.GetInsertBlock()->getModule()),
      function_(*builder.GetInsertBlock()->getParent()),
      args_(args),
      cast_sites_(cast_sites) {
  auto* empty = llvm::ConstantAggregateZero::get(llvm::ArrayType::get(builder_.getInt8Ty(), 1));
  auto* global = new llvm::GlobalVariable(module_, empty->getType(), /*isConstant=*/true,
                                          llvm::GlobalValue::PrivateLinkage, empty, "empty_string");
  global->setUnnamedAddr(llvm::GlobalValue::UnnamedAddr::Global);
  empty_string_ = global;
  row_slot_base_ = SlotBase(args_.row, "row");
}

IrValue ExprEmitter::Emit(const Expr& expr) {
  std::optional<Physical> expected = PhysicalOf(expr.type);
  if (!expected) throw NotCompilable(expr, fmt::format("values of type {} are not supported", expr.type.ToString()));

  IrValue value;
  switch (expr.kind) {
    case ExprKind::kLiteral: value = EmitLiteral(expr); break;
    case ExprKind::kInputRef: value = EmitInputRef(expr); break;
    case ExprKind::kFieldAccess: value = EmitFieldAccess(expr); break;
    case ExprKind::kCall: value = EmitCall(expr); break;
    case ExprKind::kCast: value = EmitCast(expr); break;
  }
  if (value.physical == *expected) return value;
  if (value.physical == Physical::kNull) return NullOf(*expected);
  // The interpreter would carry a value of another class onward and dispatch
  // on it. Generated code types values by their SQL type, so it stops here.
  throw NotCompilable(expr, fmt::format("it yields a {} value, but values of type {} are {} values",
                                        PhysicalName(value.physical), expr.type.ToString(), PhysicalName(*expected)));
}

IrValue ExprEmitter::EmitAs(const Expr& expr, Physical physical) {
  IrValue value = Emit(expr);
  if (value.physical == physical) return value;
  if (value.physical == Physical::kNull) return NullOf(physical);
  throw NotCompilable(expr, fmt::format("expected a {} value, got a {} value", PhysicalName(physical),
                                        PhysicalName(value.physical)));
}

llvm::Value* ExprEmitter::IsTrue(const IrValue& value) {
  if (value.physical == Physical::kNull) return builder_.getFalse();
  FSQL_CHECK(value.physical == Physical::kBool, "IsTrue of a {} value", PhysicalName(value.physical));
  return builder_.CreateAnd(builder_.CreateNot(value.is_null), value.value, "is_true");
}

llvm::StructType* ExprEmitter::JitValueType() {
  llvm::Type* i32 = builder_.getInt32Ty();
  return llvm::StructType::get(context_, {builder_.getInt64Ty(), i32, i32});
}

void ExprEmitter::StoreJitValue(llvm::Value* slot, const DataType& type, const IrValue& value) {
  llvm::Type* i32 = builder_.getInt32Ty();
  llvm::Type* i64 = builder_.getInt64Ty();
  llvm::StructType* jit_value = JitValueType();
  llvm::Value* bits = builder_.getInt64(0);
  llvm::Value* length = builder_.getInt32(0);
  switch (value.physical) {
    case Physical::kBool: bits = builder_.CreateZExt(value.value, i64); break;
    case Physical::kInt: bits = value.value; break;
    case Physical::kDouble: bits = builder_.CreateBitCast(value.value, i64); break;
    case Physical::kString:
      bits = builder_.CreatePtrToInt(value.value, i64);
      length = builder_.CreateTrunc(value.length, i32);
      break;
    case Physical::kRow:
    case Physical::kCollection:
      bits = builder_.CreatePtrToInt(value.value, i64);
      break;
    case Physical::kDecimal:
      if (type.precision <= kMaxCompactDecimalPrecision) {
        bits = builder_.CreateTrunc(value.value, i64);
      } else {
        llvm::FunctionCallee box =
            Helper("fsql_jit_box_decimal", builder_.getPtrTy(), {builder_.getPtrTy(), i64, i64}, false);
        llvm::Value* low = builder_.CreateTrunc(value.value, i64, "decimal_low");
        llvm::Value* high = builder_.CreateTrunc(builder_.CreateLShr(value.value, 64), i64, "decimal_high");
        bits = builder_.CreatePtrToInt(builder_.CreateCall(box, {args_.context, low, high}, "boxed_decimal"), i64);
      }
      break;
    case Physical::kNull:
      break;
  }
  builder_.CreateStore(bits, builder_.CreateStructGEP(jit_value, slot, 0));
  builder_.CreateStore(length, builder_.CreateStructGEP(jit_value, slot, 1));
  builder_.CreateStore(builder_.CreateZExt(value.is_null, i32), builder_.CreateStructGEP(jit_value, slot, 2));
}

IrValue ExprEmitter::EmitLiteral(const Expr& expr) {
  Physical physical = *PhysicalOf(expr.type);
  const Value& literal = expr.literal;
  if (literal.is_null()) return NullOf(physical);

  IrValue out{physical, builder_.getFalse(), nullptr, nullptr};
  if (literal.is_bool() && physical == Physical::kBool) {
    out.value = builder_.getInt1(literal.as_bool());
  } else if (literal.is_int() && physical == Physical::kInt) {
    out.value = builder_.getInt64(static_cast<uint64_t>(literal.as_int()));
  } else if (literal.is_double() && physical == Physical::kDouble) {
    out.value = llvm::ConstantFP::get(context_, llvm::APFloat(literal.as_double()));
  } else if (literal.is_decimal() && physical == Physical::kDecimal) {
    auto unscaled = static_cast<unsigned __int128>(literal.as_decimal().unscaled);
    uint64_t words[2] = {static_cast<uint64_t>(unscaled), static_cast<uint64_t>(unscaled >> 64)};
    out.value = llvm::ConstantInt::get(context_, llvm::APInt(128, words));
  } else if (literal.is_string() && physical == Physical::kString) {
    out.value = StringConstant(literal.as_string());
    out.length = builder_.getInt64(literal.as_string().size());
  } else {
    throw NotCompilable(expr, fmt::format("the literal's value does not have the class of its type {}",
                                          expr.type.ToString()));
  }
  return out;
}

IrValue ExprEmitter::EmitInputRef(const Expr& expr) {
  Physical physical = *PhysicalOf(expr.type);
  if (physical == Physical::kNull) throw NotCompilable(expr, "columns of type NULL are not supported");
  if (!AllFieldsReadable(expr.type)) {
    throw NotCompilable(expr, fmt::format("type {} has fields that cannot be read", expr.type.ToString()));
  }
  if (expr.index < 0 || expr.index > UINT16_MAX) throw NotCompilable(expr, "the column index is out of range");
  return LoadColumn(args_.row, row_slot_base_, static_cast<uint32_t>(expr.index), expr.type,
                    fmt::format("col{}", expr.index));
}

IrValue ExprEmitter::EmitFieldAccess(const Expr& expr) {
  IrValue base = Emit(*expr.args[0]);
  if (base.physical != Physical::kRow) throw NotCompilable(expr, "field access needs a ROW value");
  if (!AllFieldsReadable(expr.args[0]->type)) {
    throw NotCompilable(expr, fmt::format("type {} has fields that cannot be read", expr.args[0]->type.ToString()));
  }
  if (expr.index < 0 || expr.index > UINT16_MAX) throw NotCompilable(expr, "the field index is out of range");
  Physical physical = *PhysicalOf(expr.type);
  std::string name = fmt::format("field{}", expr.index);

  // A NULL ROW has no nested row to read, so the loads sit behind a branch.
  llvm::BasicBlock* from = builder_.GetInsertBlock();
  llvm::BasicBlock* load = NewBlock(name + "_load");
  llvm::BasicBlock* done = NewBlock(name + "_done");
  builder_.CreateCondBr(base.is_null, done, load);

  builder_.SetInsertPoint(load);
  llvm::Value* nested_slot_base = SlotBase(base.value, name + "_row");
  IrValue field = LoadColumn(base.value, nested_slot_base, static_cast<uint32_t>(expr.index), expr.type, name);
  llvm::BasicBlock* loaded = builder_.GetInsertBlock();
  builder_.CreateBr(done);

  builder_.SetInsertPoint(done);
  return Phi(physical, {{NullOf(physical), from}, {field, loaded}}, name);
}

llvm::Value* ExprEmitter::SlotBase(llvm::Value* row, const std::string& name) {
  // Slot 0 follows the 16-byte header and ceil(column count / 64) null-bitmap words.
  llvm::Value* count_address = builder_.CreateConstInBoundsGEP1_64(builder_.getInt8Ty(), row, 2);
  llvm::Value* count = builder_.CreateAlignedLoad(builder_.getInt16Ty(), count_address, llvm::Align(1),
                                                  name + "_column_count");
  llvm::Value* wide = builder_.CreateZExt(count, builder_.getInt64Ty());
  llvm::Value* words = builder_.CreateLShr(builder_.CreateAdd(wide, builder_.getInt64(63)), 6, name + "_null_words");
  return builder_.CreateAdd(builder_.CreateShl(words, 3), builder_.getInt64(16), name + "_slot_base");
}

IrValue ExprEmitter::LoadColumn(llvm::Value* row, llvm::Value* slot_base, uint32_t column, const DataType& type,
                                const std::string& name) {
  Physical physical = *PhysicalOf(type);
  llvm::Type* i8 = builder_.getInt8Ty();
  llvm::Type* i32 = builder_.getInt32Ty();
  llvm::Type* i64 = builder_.getInt64Ty();
  llvm::Align byte_aligned(1);

  llvm::Value* word_address = builder_.CreateConstInBoundsGEP1_64(i8, row, 16 + 8 * (column / 64));
  llvm::Value* word = builder_.CreateAlignedLoad(i64, word_address, byte_aligned, name + "_null_word");
  llvm::Value* bit = builder_.CreateAnd(builder_.CreateLShr(word, column % 64), 1);
  IrValue out{physical, builder_.CreateTrunc(bit, builder_.getInt1Ty(), name + "_is_null"), nullptr, nullptr};

  llvm::Value* slot_offset = builder_.CreateAdd(slot_base, builder_.getInt64(8 * uint64_t{column}));
  llvm::Value* slot = builder_.CreateInBoundsGEP(i8, row, slot_offset, name + "_slot");
  switch (physical) {
    case Physical::kBool: {
      llvm::Value* raw = builder_.CreateAlignedLoad(i64, slot, byte_aligned);
      out.value = builder_.CreateICmpNE(raw, builder_.getInt64(0), name);
      break;
    }
    case Physical::kInt:
      out.value = builder_.CreateAlignedLoad(i64, slot, byte_aligned, name);
      break;
    case Physical::kDouble:
      out.value = builder_.CreateAlignedLoad(builder_.getDoubleTy(), slot, byte_aligned, name);
      break;
    case Physical::kDecimal:
      if (type.precision <= kMaxCompactDecimalPrecision) {
        llvm::Value* compact = builder_.CreateAlignedLoad(i64, slot, byte_aligned, name + "_compact");
        out.value = builder_.CreateSExt(compact, builder_.getInt128Ty(), name);
      } else {
        // The slot of a NULL contains no valid offset, so the load is behind a branch.
        llvm::BasicBlock* from = builder_.GetInsertBlock();
        llvm::BasicBlock* load = NewBlock(name + "_wide_load");
        llvm::BasicBlock* done = NewBlock(name + "_wide_done");
        builder_.CreateCondBr(out.is_null, done, load);
        builder_.SetInsertPoint(load);
        llvm::Value* offset = builder_.CreateAlignedLoad(i32, slot, byte_aligned, name + "_offset");
        llvm::Value* address = builder_.CreateInBoundsGEP(i8, row, builder_.CreateZExt(offset, i64), name + "_data");
        llvm::Value* wide = builder_.CreateAlignedLoad(builder_.getInt128Ty(), address, byte_aligned, name + "_wide");
        builder_.CreateBr(done);
        builder_.SetInsertPoint(done);
        llvm::PHINode* phi = builder_.CreatePHI(builder_.getInt128Ty(), 2, name);
        phi->addIncoming(builder_.getIntN(128, 0), from);
        phi->addIncoming(wide, load);
        out.value = phi;
      }
      break;
    case Physical::kString:
    case Physical::kRow:
    case Physical::kCollection: {
      llvm::Value* offset = builder_.CreateAlignedLoad(i32, slot, byte_aligned, name + "_offset");
      out.value = builder_.CreateInBoundsGEP(i8, row, builder_.CreateZExt(offset, i64), name + "_data");
      if (physical == Physical::kString) {
        llvm::Value* length_address = builder_.CreateConstInBoundsGEP1_64(i8, slot, 4);
        llvm::Value* length = builder_.CreateAlignedLoad(i32, length_address, byte_aligned);
        // A NULL slot may hold any length; zero keeps the IrValue invariant.
        out.length = builder_.CreateSelect(out.is_null, builder_.getInt64(0), builder_.CreateZExt(length, i64),
                                           name + "_length");
      }
      break;
    }
    case Physical::kNull:
      throw InternalError("LoadColumn of a NULL-typed column");
  }
  return out;
}

IrValue ExprEmitter::NullOf(Physical physical) {
  IrValue out{physical, builder_.getTrue(), nullptr, nullptr};
  switch (physical) {
    case Physical::kNull:
    case Physical::kBool: out.value = builder_.getFalse(); break;
    case Physical::kInt: out.value = builder_.getInt64(0); break;
    case Physical::kDouble: out.value = llvm::ConstantFP::get(builder_.getDoubleTy(), 0.0); break;
    case Physical::kString:
      out.value = empty_string_;
      out.length = builder_.getInt64(0);
      break;
    case Physical::kRow:
    case Physical::kCollection: out.value = llvm::ConstantPointerNull::get(builder_.getPtrTy()); break;
    case Physical::kDecimal: out.value = builder_.getIntN(128, 0); break;
  }
  return out;
}

llvm::Value* ExprEmitter::StringConstant(std::string_view text) {
  if (text.empty()) return empty_string_;
  auto* data = llvm::ConstantDataArray::getString(context_, llvm::StringRef(text.data(), text.size()),
                                                  /*AddNull=*/false);
  auto* global = new llvm::GlobalVariable(module_, data->getType(), /*isConstant=*/true,
                                          llvm::GlobalValue::PrivateLinkage, data, "string");
  global->setUnnamedAddr(llvm::GlobalValue::UnnamedAddr::Global);
  global->setAlignment(llvm::Align(1));
  return global;
}

IrValue ExprEmitter::Select(llvm::Value* condition, const IrValue& if_true, const IrValue& if_false,
                            const std::string& name) {
  FSQL_CHECK(if_true.physical == if_false.physical, "select between {} and {}", PhysicalName(if_true.physical),
             PhysicalName(if_false.physical));
  IrValue out{if_true.physical, nullptr, nullptr, nullptr};
  out.is_null = builder_.CreateSelect(condition, if_true.is_null, if_false.is_null, name + "_is_null");
  out.value = builder_.CreateSelect(condition, if_true.value, if_false.value, name);
  if (if_true.length) out.length = builder_.CreateSelect(condition, if_true.length, if_false.length, name + "_length");
  return out;
}

IrValue ExprEmitter::Phi(Physical physical, const std::vector<std::pair<IrValue, llvm::BasicBlock*>>& incoming,
                         const std::string& name) {
  auto count = static_cast<unsigned>(incoming.size());
  const IrValue& first = incoming.front().first;
  llvm::PHINode* is_null = builder_.CreatePHI(builder_.getInt1Ty(), count, name + "_is_null");
  llvm::PHINode* value = builder_.CreatePHI(first.value->getType(), count, name);
  llvm::PHINode* length = first.length ? builder_.CreatePHI(builder_.getInt64Ty(), count, name + "_length") : nullptr;
  for (const auto& [input, block] : incoming) {
    FSQL_CHECK(input.physical == physical, "phi of a {} value among {} values", PhysicalName(input.physical),
               PhysicalName(physical));
    is_null->addIncoming(input.is_null, block);
    value->addIncoming(input.value, block);
    if (length) length->addIncoming(input.length, block);
  }
  return IrValue{physical, is_null, value, length};
}

llvm::BasicBlock* ExprEmitter::NewBlock(const std::string& name) {
  return llvm::BasicBlock::Create(context_, name, &function_);
}

void ExprEmitter::RaiseIf(llvm::Value* condition, const std::string& name, const std::function<void()>& emit_raise) {
  llvm::BasicBlock* raise = NewBlock("raise_" + name);
  llvm::BasicBlock* next = NewBlock(name + "_ok");
  // Errors are rare; the weights keep the raise blocks out of the hot path.
  llvm::MDNode* weights = llvm::MDBuilder(context_).createBranchWeights(1, 1U << 20);
  builder_.CreateCondBr(condition, raise, next, weights);
  builder_.SetInsertPoint(raise);
  emit_raise();
  builder_.CreateRet(builder_.getInt32(-1));
  builder_.SetInsertPoint(next);
}

llvm::FunctionCallee ExprEmitter::Helper(const char* name, llvm::Type* result, std::vector<llvm::Type*> params,
                                         bool reads_memory_only) {
  auto* type = llvm::FunctionType::get(result, params, /*isVarArg=*/false);
  llvm::FunctionCallee callee = module_.getOrInsertFunction(name, type);
  auto* function = llvm::cast<llvm::Function>(callee.getCallee());
  function->setDoesNotThrow();
  if (reads_memory_only) {
    function->setOnlyReadsMemory();
    function->setWillReturn();
  }
  return callee;
}

llvm::Value* ExprEmitter::SitePointer(const CastSite& site) {
  cast_sites_.push_back(site);
  auto address = reinterpret_cast<uintptr_t>(&cast_sites_.back());
  return builder_.CreateIntToPtr(builder_.getInt64(address), builder_.getPtrTy(), "cast_site");
}

llvm::Value* ExprEmitter::EntryAlloca(llvm::Type* type, const std::string& name) {
  llvm::BasicBlock& entry = function_.getEntryBlock();
  llvm::IRBuilder<> at_entry(&entry, entry.begin());
  return at_entry.CreateAlloca(type, nullptr, name);
}

llvm::Value* ExprEmitter::ToDouble(const IrValue& value) {
  if (value.physical == Physical::kDouble) return value.value;
  FSQL_CHECK(value.physical == Physical::kInt, "ToDouble of a {} value", PhysicalName(value.physical));
  return builder_.CreateSIToFP(value.value, builder_.getDoubleTy(), "as_double");
}

std::vector<llvm::Value*> ExprEmitter::HelperValueArgs(const IrValue& value) {
  llvm::Value* bits = builder_.getInt64(0);
  llvm::Value* data = empty_string_;
  llvm::Value* length = builder_.getInt64(0);
  switch (value.physical) {
    case Physical::kBool: bits = builder_.CreateZExt(value.value, builder_.getInt64Ty()); break;
    case Physical::kInt: bits = value.value; break;
    case Physical::kDouble: bits = builder_.CreateBitCast(value.value, builder_.getInt64Ty()); break;
    case Physical::kString:
      data = value.value;
      length = value.length;
      break;
    case Physical::kDecimal:
      data = DecimalPointer(value.value, "helper_decimal");
      length = builder_.getInt64(16);
      break;
    case Physical::kCollection:
      data = value.value;
      break;
    default: break;
  }
  return {builder_.getInt32(HelperClassCode(value.physical)), bits, data, length};
}

llvm::Value* ExprEmitter::DecimalPointer(llvm::Value* unscaled, const std::string& name) {
  llvm::Value* slot = EntryAlloca(builder_.getInt128Ty(), name + "_slot");
  builder_.CreateStore(unscaled, slot);
  return slot;
}

IrValue ExprEmitter::LoadJitValue(llvm::Value* slot, const DataType& type, const std::string& name) {
  llvm::Type* i32 = builder_.getInt32Ty();
  llvm::Type* i64 = builder_.getInt64Ty();
  llvm::StructType* jit_value = JitValueType();
  llvm::Value* bits = builder_.CreateLoad(i64, builder_.CreateStructGEP(jit_value, slot, 0), name + "_bits");
  llvm::Value* length = builder_.CreateLoad(i32, builder_.CreateStructGEP(jit_value, slot, 1), name + "_length");
  llvm::Value* is_null = builder_.CreateICmpNE(
      builder_.CreateLoad(i32, builder_.CreateStructGEP(jit_value, slot, 2)), builder_.getInt32(0), name + "_is_null");
  Physical physical = *PhysicalOf(type);
  IrValue out{physical, is_null, nullptr, nullptr};
  switch (physical) {
    case Physical::kBool: out.value = builder_.CreateICmpNE(bits, builder_.getInt64(0), name); break;
    case Physical::kInt: out.value = bits; break;
    case Physical::kDouble: out.value = builder_.CreateBitCast(bits, builder_.getDoubleTy(), name); break;
    case Physical::kString:
      out.value = builder_.CreateIntToPtr(bits, builder_.getPtrTy(), name);
      out.length = builder_.CreateZExt(length, i64);
      break;
    case Physical::kRow:
    case Physical::kCollection: out.value = builder_.CreateIntToPtr(bits, builder_.getPtrTy(), name); break;
    case Physical::kDecimal: {
      // The helper writes a compact DECIMAL into `bits` and boxes a wide one.
      if (type.precision <= kMaxCompactDecimalPrecision) {
        out.value = builder_.CreateSExt(bits, builder_.getInt128Ty(), name);
      } else {
        llvm::Value* address = builder_.CreateIntToPtr(bits, builder_.getPtrTy());
        out.value = builder_.CreateAlignedLoad(builder_.getInt128Ty(), address, llvm::Align(1), name);
      }
      break;
    }
    case Physical::kNull: throw InternalError("LoadJitValue of a NULL-typed value");
  }
  return out;
}

}  // namespace fsql::codegen
