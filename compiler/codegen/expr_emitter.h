// Lowers bound expressions (runtime/expr/expr.h) to LLVM IR that reads rows in
// the layout of runtime/row/row.h.
//
// The interpreter in runtime/expr/interpreter.cc is the specification, down to
// its quirks. It dispatches on each value's physical class (bool, int64,
// double, string), so the emitter tracks the same class per value and refuses
// any expression whose class differs from what its type implies. It evaluates
// the arguments of a call from left to right before the call, except for AND,
// OR and CASE, so that the first runtime error raised is the interpreter's.
// A registered function without a native emitter compiles to a call into the
// runtime helper fsql_jit_call_function, which runs the interpreter's
// implementation on the boxed arguments. Anything else without a native
// implementation raises NotCompilable, and the caller keeps the whole Calc on
// the interpreter.
#pragma once

#include <deque>
#include <functional>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <llvm/IR/IRBuilder.h>

#include "compiler/codegen/runtime_helpers.h"
#include "runtime/expr/expr.h"

namespace fsql::codegen {

/// The interpreter's physical value classes, which decide a value's IR form.
enum class Physical { kNull, kBool, kInt, kDouble, kString, kRow, kDecimal, kCollection };

/// Returns the physical class of the interpreter's values of `type`, or
/// nullopt for a type generated code cannot hold.
std::optional<Physical> PhysicalOf(const DataType& type);

/// Returns the `physical` code that the helpers of runtime_helpers.h take.
int32_t HelperClassCode(Physical physical);

/// The DecimalStatus code that fsql_jit_decimal_arithmetic returns.
inline int32_t DecimalStatusCode(DecimalStatus status) { return static_cast<int32_t>(status); }

/// An SQL value in IR. By class, `value` is:
///   kNull    unused, because the value is a NULL literal of type NULL
///   kBool    i1
///   kInt     i64
///   kDouble  double
///   kString  ptr to `length` (i64) readable bytes. This holds for NULL values
///            too, so helpers may be called without a branch.
///   kRow     ptr to a nested row, which is not dereferenceable when NULL
///   kDecimal i128 unscaled value, with the scale of the expression's type
///   kCollection ptr to the nested row of an ARRAY, MAP or MULTISET (row.h).
///            It is not dereferenceable when NULL.
struct IrValue {
  Physical physical = Physical::kNull;
  llvm::Value* is_null = nullptr;  // i1
  llvm::Value* value = nullptr;
  llvm::Value* length = nullptr;   // kString only
};

/// Raised for an expression with no native implementation yet.
class NotCompilable : public std::runtime_error {
 public:
  NotCompilable(const Expr& expr, const std::string& reason);
};

/// The arguments of the generated function that expressions read.
struct FunctionArgs {
  llvm::Value* row = nullptr;                 // ptr to the input row
  llvm::Value* processing_time_ms = nullptr;  // i64, for CURRENT_TIMESTAMP
  llvm::Value* context = nullptr;             // ptr to the JitContext
};

/// Emits expressions into the function that contains the builder's insertion
/// point. A runtime error branches to a block that calls a raise helper and
/// returns -1 from that function.
class ExprEmitter {
 public:
  /// The builder must be positioned in the function's entry block.
  ExprEmitter(llvm::IRBuilder<>& builder, const FunctionArgs& args, std::deque<CastSite>& cast_sites);

  /// Emits `expr` and returns its value, leaving the builder at the end of the
  /// emitted code. Throws NotCompilable.
  IrValue Emit(const Expr& expr);

  /// Emits `expr`, whose value must have class `physical`; a NULL literal of
  /// type NULL becomes a NULL of that class. Throws NotCompilable.
  IrValue EmitAs(const Expr& expr, Physical physical);

  /// i1 that is true when `value` is a non-null TRUE, as WHERE treats a predicate.
  llvm::Value* IsTrue(const IrValue& value);

  /// The IR struct of a JitValue (runtime_helpers.h).
  llvm::StructType* JitValueType();
  /// Stores `value` of type `type` into the JitValue at `slot`. A DECIMAL
  /// wider than 18 digits is copied into the arena, and its address stored.
  void StoreJitValue(llvm::Value* slot, const DataType& type, const IrValue& value);

  /// Keeps a copy of `site` alive with the code and returns its address as an IR constant.
  llvm::Value* SitePointer(const CastSite& site);
  /// The i64 bits and the data and length arguments of a value for the helpers
  /// that take a `physical` code.
  std::vector<llvm::Value*> HelperValueArgs(const IrValue& value);

 private:
  // expr_emitter.cc: literals and the row layout.
  IrValue EmitLiteral(const Expr& expr);
  IrValue EmitInputRef(const Expr& expr);
  IrValue EmitFieldAccess(const Expr& expr);
  llvm::Value* SlotBase(llvm::Value* row, const std::string& name);
  IrValue LoadColumn(llvm::Value* row, llvm::Value* slot_base, uint32_t column, const DataType& type,
                     const std::string& name);

  // expr_emitter.cc: building blocks shared by the call and cast emitters.
  IrValue NullOf(Physical physical);
  llvm::Value* StringConstant(std::string_view text);
  IrValue Select(llvm::Value* condition, const IrValue& if_true, const IrValue& if_false,
                 const std::string& name);
  IrValue Phi(Physical physical, const std::vector<std::pair<IrValue, llvm::BasicBlock*>>& incoming,
              const std::string& name);
  llvm::BasicBlock* NewBlock(const std::string& name);
  /// Branches to a block that runs `emit_raise` (a call to a raise helper) and
  /// returns -1 when `condition` holds; continues after the branch otherwise.
  void RaiseIf(llvm::Value* condition, const std::string& name, const std::function<void()>& emit_raise);
  llvm::FunctionCallee Helper(const char* name, llvm::Type* result, std::vector<llvm::Type*> params,
                              bool reads_memory_only);
  /// A stack slot in the entry block, where mem2reg can promote it.
  llvm::Value* EntryAlloca(llvm::Type* type, const std::string& name);
  /// Converts an int or double value to double, as the interpreter's AsDouble.
  llvm::Value* ToDouble(const IrValue& value);
  /// A stack slot holding an i128, for helpers that take DECIMAL values by pointer.
  llvm::Value* DecimalPointer(llvm::Value* unscaled, const std::string& name);
  /// Reads a JitValue that a helper wrote into an IrValue of `type`'s class.
  IrValue LoadJitValue(llvm::Value* slot, const DataType& type, const std::string& name);

  // emit_calls.cc: function calls and operators.
  IrValue EmitCall(const Expr& expr);
  IrValue EmitArithmetic(const Expr& expr);
  IrValue EmitIntegerDivision(const Expr& expr, const IrValue& left, const IrValue& right);
  IrValue EmitDecimalArithmetic(const Expr& expr, const IrValue& left, const IrValue& right);
  /// Native + - * for results that cannot overflow or round; nullopt otherwise.
  std::optional<llvm::Value*> EmitExactDecimalArithmetic(const Expr& expr, const IrValue& left, const IrValue& right);
  /// i128 constant 10^exponent.
  llvm::Value* Pow10Constant(int exponent);
  IrValue EmitComparison(const Expr& expr);
  IrValue EmitAndOr(const Expr& expr);
  IrValue EmitCase(const Expr& expr);
  IrValue EmitCoalesce(const Expr& expr);
  IrValue EmitIf(const Expr& expr);
  IrValue EmitIn(const Expr& expr);
  IrValue EmitIsPredicate(const Expr& expr);
  IrValue EmitNot(const Expr& expr);
  IrValue EmitNegate(const Expr& expr);
  IrValue EmitAbs(const Expr& expr);
  IrValue EmitLike(const Expr& expr);
  IrValue EmitConcat(const Expr& expr);
  IrValue EmitChangeCase(const Expr& expr, bool upper);
  IrValue EmitCharLength(const Expr& expr);
  IrValue EmitTimestampDiff(const Expr& expr);
  IrValue EmitToTimestampLtz(const Expr& expr);
  /// Any registered function without a native emitter: a call to
  /// fsql_jit_call_function, which runs the interpreter's implementation.
  IrValue EmitRegisteredCall(const Expr& expr);
  /// i1 results of the interpreter's CompareValues(a, b) < 0 and > 0.
  std::pair<llvm::Value*, llvm::Value*> EmitOrder(const Expr& expr, const IrValue& a, const DataType& a_type,
                                                  const IrValue& b, const DataType& b_type);
  std::pair<llvm::Value*, llvm::Value*> EmitDecimalOrder(const Expr& expr, const IrValue& a, const DataType& a_type,
                                                         const IrValue& b, const DataType& b_type);

  // emit_collection.cc: ARRAY, MAP and MULTISET calls, through a helper.
  IrValue EmitCollectionCall(const Expr& expr);

  // emit_cast.cc: CAST and TRY_CAST.
  IrValue EmitCast(const Expr& expr);
  IrValue EmitCastToString(const Expr& expr, const IrValue& input);
  IrValue EmitCastToBoolean(const Expr& expr, const IrValue& input);
  IrValue EmitCastToInteger(const Expr& expr, const IrValue& input);
  IrValue EmitCastToDouble(const Expr& expr, const IrValue& input);
  IrValue EmitParse(const Expr& expr, const IrValue& input, const char* helper, Physical result);
  /// A CAST that involves DECIMAL or a collection, done by the interpreter's
  /// CastValue through a helper.
  IrValue EmitCastThroughHelper(const Expr& expr, const IrValue& input);
  /// The result of a conversion that fails when `failed` holds for a non-null
  /// input: NULL for TRY_CAST, a raised error for CAST.
  IrValue FinishFallible(const Expr& expr, const IrValue& input, IrValue converted, llvm::Value* failed,
                         const std::string& reason);

  llvm::IRBuilder<>& builder_;
  llvm::LLVMContext& context_;
  llvm::Module& module_;
  llvm::Function& function_;
  FunctionArgs args_;
  llvm::Value* row_slot_base_ = nullptr;  // i64 offset of slot 0 of the input row
  llvm::Value* empty_string_ = nullptr;   // ptr to a zero-length constant
  std::deque<CastSite>& cast_sites_;
};

}  // namespace fsql::codegen
