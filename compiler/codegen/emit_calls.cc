// Function calls and operators. Each emitter mirrors the interpreter's code
// for the same function in runtime/expr/interpreter.cc.
#include <fmt/format.h>
#include <llvm/IR/Intrinsics.h>

#include "compiler/codegen/expr_emitter.h"
#include "runtime/common/error.h"
#include "runtime/expr/collection_functions.h"
#include "runtime/expr/sql_functions.h"

namespace fsql::codegen {

namespace {

bool IsArithmetic(const std::string& fn) { return fn == "+" || fn == "-" || fn == "*" || fn == "/" || fn == "%"; }

bool IsComparison(const std::string& fn) {
  return fn == "=" || fn == "<>" || fn == "<" || fn == "<=" || fn == ">" || fn == ">=";
}

bool IsPredicateTest(const std::string& fn) {
  return fn == "IS NULL" || fn == "IS NOT NULL" || fn == "IS TRUE" || fn == "IS NOT TRUE" || fn == "IS FALSE" ||
         fn == "IS NOT FALSE";
}

void RequireArity(const Expr& expr, size_t min, size_t max) {
  if (expr.args.size() < min || expr.args.size() > max) {
    throw NotCompilable(expr, fmt::format("{} has {} arguments", expr.function, expr.args.size()));
  }
}

}  // namespace

IrValue ExprEmitter::EmitCall(const Expr& expr) {
  const std::string& fn = expr.function;
  if (fn == "AND" || fn == "OR") return EmitAndOr(expr);
  if (fn == "CASE") return EmitCase(expr);
  if (IsArithmetic(fn)) return EmitArithmetic(expr);
  if (IsComparison(fn)) return EmitComparison(expr);
  if (IsPredicateTest(fn)) return EmitIsPredicate(expr);
  if (fn == "NOT") return EmitNot(expr);
  if (fn == "NEGATE") return EmitNegate(expr);
  if (fn == "IN" || fn == "NOT IN") return EmitIn(expr);
  if (fn == "COALESCE") return EmitCoalesce(expr);
  if (fn == "IF") return EmitIf(expr);
  if (fn == "ABS") return EmitAbs(expr);
  if (fn == "LIKE" || fn == "NOT LIKE") return EmitLike(expr);
  if (fn == "||" || fn == "CONCAT") return EmitConcat(expr);
  if (fn == "UPPER" || fn == "LOWER") return EmitChangeCase(expr, fn == "UPPER");
  if (fn == "CHAR_LENGTH") return EmitCharLength(expr);
  if (fn == "TIMESTAMPDIFF" && expr.args.size() == 2 && expr.args[0]->type.IsTimestamp() &&
      expr.args[1]->type.IsTimestamp()) {
    return EmitTimestampDiff(expr);
  }
  if (fn == "TO_TIMESTAMP_LTZ") return EmitToTimestampLtz(expr);
  if (IsCollectionFunction(fn)) return EmitCollectionCall(expr);
  if (fn == "CURRENT_TIMESTAMP" || fn == "NOW" || fn == "PROCTIME") {
    RequireArity(expr, 0, 0);
    return IrValue{Physical::kInt, builder_.getFalse(), args_.processing_time_ms, nullptr};
  }
  if (expr.definition != nullptr) return EmitRegisteredCall(expr);
  throw NotCompilable(expr, fmt::format("function {} has no native implementation yet", fn));
}

IrValue ExprEmitter::EmitRegisteredCall(const Expr& expr) {
  // Arguments are evaluated first, left to right, as the interpreter does.
  std::vector<IrValue> values;
  for (const ExprPtr& arg : expr.args) values.push_back(Emit(*arg));
  if (*PhysicalOf(expr.type) == Physical::kNull) {
    throw NotCompilable(expr, fmt::format("results of type {} cannot be returned", expr.type.ToString()));
  }

  llvm::Type* i64 = builder_.getInt64Ty();
  llvm::Type* ptr = builder_.getPtrTy();
  llvm::StructType* jit_value = JitValueType();
  auto count = static_cast<uint64_t>(std::max<size_t>(values.size(), 1));
  llvm::Value* array = EntryAlloca(llvm::ArrayType::get(jit_value, count), expr.function + "_args");
  for (size_t i = 0; i < values.size(); ++i) {
    llvm::Value* slot = builder_.CreateConstInBoundsGEP1_64(jit_value, array, i, fmt::format("{}_arg{}", expr.function, i));
    StoreJitValue(slot, expr.args[i]->type, values[i]);
  }
  llvm::Value* out = EntryAlloca(jit_value, expr.function + "_result");

  CastSite site;
  site.call = std::make_shared<Expr>(expr);
  llvm::FunctionCallee call_function =
      Helper("fsql_jit_call_function", builder_.getInt32Ty(), {ptr, ptr, ptr, i64, ptr}, false);
  llvm::Value* status = builder_.CreateCall(
      call_function, {args_.context, SitePointer(site), array, args_.processing_time_ms, out}, "call_status");
  // The helper has already stored the interpreter's message.
  RaiseIf(builder_.CreateICmpSLT(status, builder_.getInt32(0)), "function_error", [] {});
  return LoadJitValue(out, expr.type, expr.function);
}

IrValue ExprEmitter::EmitArithmetic(const Expr& expr) {
  RequireArity(expr, 2, 2);
  IrValue left = Emit(*expr.args[0]);
  IrValue right = Emit(*expr.args[1]);
  if (left.physical == Physical::kNull || right.physical == Physical::kNull) return NullOf(*PhysicalOf(expr.type));

  const std::string& op = expr.function;
  const DataType& type = expr.type;
  if (type.id == TypeId::kDecimal) return EmitDecimalArithmetic(expr, left, right);
  bool integral = type.IsInteger() || type.IsTimestamp() || type.id == TypeId::kIntervalDayTime;
  if (integral && left.physical == Physical::kInt && right.physical == Physical::kInt && (op == "/" || op == "%")) {
    return EmitIntegerDivision(expr, left, right);
  }
  llvm::Value* is_null = builder_.CreateOr(left.is_null, right.is_null, "arith_is_null");
  if (integral && left.physical == Physical::kInt && right.physical == Physical::kInt) {
    // Plain add, sub and mul wrap in two's complement, as Java's long does.
    llvm::Value* value = op == "+"   ? builder_.CreateAdd(left.value, right.value, "sum")
                         : op == "-" ? builder_.CreateSub(left.value, right.value, "difference")
                                     : builder_.CreateMul(left.value, right.value, "product");
    return IrValue{Physical::kInt, is_null, value, nullptr};
  }

  for (const IrValue* side : {&left, &right}) {
    if (side->physical != Physical::kInt && side->physical != Physical::kDouble) {
      throw NotCompilable(expr, "arithmetic needs numeric operands");
    }
  }
  // NOTE: LLVM keeps neither the sign nor the payload of a NaN result when it
  // folds or rewrites these operations, so a NaN may print as nan where the
  // interpreter prints -nan. Values that are not NaN match bit for bit.
  llvm::Value* x = ToDouble(left);
  llvm::Value* y = ToDouble(right);
  llvm::Value* value = op == "+"   ? builder_.CreateFAdd(x, y, "sum")
                       : op == "-" ? builder_.CreateFSub(x, y, "difference")
                       : op == "*" ? builder_.CreateFMul(x, y, "product")
                       : op == "/" ? builder_.CreateFDiv(x, y, "quotient")
                                   : builder_.CreateFRem(x, y, "remainder");  // fmod semantics
  return IrValue{Physical::kDouble, is_null, value, nullptr};
}

IrValue ExprEmitter::EmitIntegerDivision(const Expr& expr, const IrValue& left, const IrValue& right) {
  bool is_division = expr.function == "/";
  llvm::Value* x = left.value;
  llvm::Value* y = right.value;
  llvm::Value* is_null = builder_.CreateOr(left.is_null, right.is_null, "div_is_null");
  llvm::Value* zero = builder_.CreateICmpEQ(y, builder_.getInt64(0), "divisor_is_zero");
  RaiseIf(builder_.CreateAnd(builder_.CreateNot(is_null), zero), "division_by_zero", [&] {
    llvm::Type* i64 = builder_.getInt64Ty();
    llvm::FunctionCallee raise = Helper("fsql_jit_raise_division_by_zero", builder_.getVoidTy(),
                                        {builder_.getPtrTy(), i64, i64, builder_.getInt32Ty()}, false);
    builder_.CreateCall(raise, {args_.context, x, y, builder_.getInt32(is_division ? '/' : '%')});
  });

  // INT64_MIN / -1 overflows (and traps on x86); Java yields INT64_MIN and 0,
  // which dividing by 1 produces. A zero divisor of a NULL operand is also
  // replaced, so the division never traps.
  llvm::Value* overflow = builder_.CreateAnd(builder_.CreateICmpEQ(x, builder_.getInt64(INT64_MIN)),
                                             builder_.CreateICmpEQ(y, builder_.getInt64(-1)), "div_overflow");
  llvm::Value* divisor =
      builder_.CreateSelect(builder_.CreateOr(zero, overflow), builder_.getInt64(1), y, "safe_divisor");
  llvm::Value* value = is_division ? builder_.CreateSDiv(x, divisor, "quotient")
                                   : builder_.CreateSRem(x, divisor, "remainder");
  return IrValue{Physical::kInt, is_null, value, nullptr};
}

std::optional<llvm::Value*> ExprEmitter::EmitExactDecimalArithmetic(const Expr& expr, const IrValue& left,
                                                                    const IrValue& right) {
  // When the result type is the unadjusted one Flink derives (precision at
  // most 38, nothing rounded), + - and * cannot overflow it, because the
  // derived precision covers every digit the result can have. Such results
  // need no helper: |operands| < 10^37 after alignment, and products below
  // 10^(p1 + p2) fit an i128.
  const DataType& a = expr.args[0]->type;
  const DataType& b = expr.args[1]->type;
  const DataType& result = expr.type;
  char op = expr.function[0];
  if (op == '*') {
    if (result.scale != a.scale + b.scale || result.precision != a.precision + b.precision + 1) return std::nullopt;
    return builder_.CreateMul(left.value, right.value, "decimal_product");
  }
  if (op != '+' && op != '-') return std::nullopt;
  int scale = std::max(a.scale, b.scale);
  int integer_digits = std::max(a.precision - a.scale, b.precision - b.scale);
  if (result.scale != scale || result.precision != integer_digits + scale + 1) return std::nullopt;
  auto align = [&](llvm::Value* value, int from_scale) -> llvm::Value* {
    if (from_scale == scale) return value;
    return builder_.CreateMul(value, Pow10Constant(scale - from_scale), "decimal_aligned");
  };
  llvm::Value* x = align(left.value, a.scale);
  llvm::Value* y = align(right.value, b.scale);
  return op == '+' ? builder_.CreateAdd(x, y, "decimal_sum") : builder_.CreateSub(x, y, "decimal_difference");
}

llvm::Value* ExprEmitter::Pow10Constant(int exponent) {
  auto power = static_cast<unsigned __int128>(DecimalPow10(exponent));
  uint64_t words[2] = {static_cast<uint64_t>(power), static_cast<uint64_t>(power >> 64)};
  return llvm::ConstantInt::get(context_, llvm::APInt(128, words));
}

IrValue ExprEmitter::EmitDecimalArithmetic(const Expr& expr, const IrValue& left, const IrValue& right) {
  // The binder makes both operands DECIMAL; rounding and the 256-bit
  // intermediates of * and / live in the same C++ code the interpreter runs.
  for (const IrValue* side : {&left, &right}) {
    if (side->physical != Physical::kDecimal) throw NotCompilable(expr, "DECIMAL arithmetic needs DECIMAL operands");
  }
  const DataType& left_type = expr.args[0]->type;
  const DataType& right_type = expr.args[1]->type;
  llvm::Type* i32 = builder_.getInt32Ty();
  llvm::Type* ptr = builder_.getPtrTy();
  llvm::Value* is_null = builder_.CreateOr(left.is_null, right.is_null, "decimal_is_null");
  if (std::optional<llvm::Value*> exact = EmitExactDecimalArithmetic(expr, left, right)) {
    return IrValue{Physical::kDecimal, is_null, *exact, nullptr};
  }

  // C signature: int32_t fsql_jit_decimal_arithmetic(int32_t op, const void* a, int32_t a_scale,
  //              const void* b, int32_t b_scale, int32_t precision, int32_t scale, void* out)
  llvm::Value* left_pointer = DecimalPointer(left.value, "decimal_left");
  llvm::Value* right_pointer = DecimalPointer(right.value, "decimal_right");
  llvm::Value* result_pointer = EntryAlloca(builder_.getInt128Ty(), "decimal_result_slot");
  builder_.CreateStore(builder_.getIntN(128, 0), result_pointer);
  char op = expr.function[0];
  llvm::FunctionCallee arithmetic =
      Helper("fsql_jit_decimal_arithmetic", i32, {i32, ptr, i32, ptr, i32, i32, i32, ptr}, false);
  llvm::Value* status = builder_.CreateCall(
      arithmetic, {builder_.getInt32(op), left_pointer, builder_.getInt32(left_type.scale), right_pointer,
                   builder_.getInt32(right_type.scale), builder_.getInt32(expr.type.precision),
                   builder_.getInt32(expr.type.scale), result_pointer},
      "decimal_status");

  if (op == '/' || op == '%') {
    llvm::Value* by_zero = builder_.CreateICmpEQ(status, builder_.getInt32(DecimalStatusCode(DecimalStatus::kDivisionByZero)));
    RaiseIf(builder_.CreateAnd(builder_.CreateNot(is_null), by_zero), "decimal_division_by_zero", [&] {
      llvm::FunctionCallee raise = Helper("fsql_jit_raise_decimal_division_by_zero", builder_.getVoidTy(),
                                          {ptr, ptr, i32, ptr, i32, i32}, false);
      builder_.CreateCall(raise, {args_.context, left_pointer, builder_.getInt32(left_type.scale), right_pointer,
                                  builder_.getInt32(right_type.scale), builder_.getInt32(op)});
    });
  }

  // An overflow makes the result NULL, as in the interpreter.
  llvm::Value* failed = builder_.CreateICmpNE(status, builder_.getInt32(DecimalStatusCode(DecimalStatus::kOk)));
  llvm::Value* value = builder_.CreateLoad(builder_.getInt128Ty(), result_pointer, "decimal_value");
  return IrValue{Physical::kDecimal, builder_.CreateOr(is_null, failed, "decimal_result_is_null"), value, nullptr};
}

std::pair<llvm::Value*, llvm::Value*> ExprEmitter::EmitDecimalOrder(const Expr& expr, const IrValue& a,
                                                                   const DataType& a_type, const IrValue& b,
                                                                   const DataType& b_type) {
  // As CompareValues: a DECIMAL compares exactly with a DECIMAL or an integer
  // (scale 0), and as a double with a double.
  auto exact = [](const IrValue& v) { return v.physical == Physical::kDecimal || v.physical == Physical::kInt; };
  auto scale_of = [](const IrValue& v, const DataType& type) { return v.physical == Physical::kDecimal ? type.scale : 0; };
  auto wide = [&](const IrValue& v) {
    return v.physical == Physical::kDecimal ? v.value : builder_.CreateSExt(v.value, builder_.getInt128Ty());
  };
  llvm::Type* i32 = builder_.getInt32Ty();
  llvm::Type* ptr = builder_.getPtrTy();
  if (exact(a) && exact(b)) {
    int a_scale = scale_of(a, a_type);
    int b_scale = scale_of(b, b_type);
    llvm::Value* x = wide(a);
    llvm::Value* y = wide(b);
    if (a_scale == b_scale) {
      return {builder_.CreateICmpSLT(x, y, "less"), builder_.CreateICmpSGT(x, y, "greater")};
    }
    llvm::FunctionCallee compare = Helper("fsql_jit_decimal_compare", i32, {ptr, i32, ptr, i32}, true);
    llvm::Value* order = builder_.CreateCall(compare, {DecimalPointer(x, "compare_left"), builder_.getInt32(a_scale),
                                                       DecimalPointer(y, "compare_right"), builder_.getInt32(b_scale)},
                                             "decimal_order");
    return {builder_.CreateICmpSLT(order, builder_.getInt32(0), "less"),
            builder_.CreateICmpSGT(order, builder_.getInt32(0), "greater")};
  }
  auto as_double = [&](const IrValue& v, const DataType& type) -> llvm::Value* {
    if (v.physical != Physical::kDecimal) return ToDouble(v);
    llvm::FunctionCallee convert = Helper("fsql_jit_decimal_to_double", builder_.getDoubleTy(), {ptr, i32}, true);
    return builder_.CreateCall(convert, {DecimalPointer(v.value, "to_double"), builder_.getInt32(type.scale)});
  };
  for (const IrValue* side : {&a, &b}) {
    if (side->physical != Physical::kDecimal && side->physical != Physical::kInt && side->physical != Physical::kDouble) {
      throw NotCompilable(expr, "comparing a DECIMAL with a non-numeric value is not supported");
    }
  }
  llvm::Value* x = as_double(a, a_type);
  llvm::Value* y = as_double(b, b_type);
  return {builder_.CreateFCmpOLT(x, y, "less"), builder_.CreateFCmpOGT(x, y, "greater")};
}

std::pair<llvm::Value*, llvm::Value*> ExprEmitter::EmitOrder(const Expr& expr, const IrValue& a, const DataType& a_type,
                                                             const IrValue& b, const DataType& b_type) {
  auto numeric = [](const IrValue& v) { return v.physical == Physical::kInt || v.physical == Physical::kDouble; };
  if (a.physical == Physical::kInt && b.physical == Physical::kInt) {
    return {builder_.CreateICmpSLT(a.value, b.value, "less"), builder_.CreateICmpSGT(a.value, b.value, "greater")};
  }
  if (numeric(a) && numeric(b)) {
    // Ordered comparisons are false for NaN, so the interpreter's CompareValues
    // calls NaN equal to every number; this keeps that.
    llvm::Value* x = ToDouble(a);
    llvm::Value* y = ToDouble(b);
    return {builder_.CreateFCmpOLT(x, y, "less"), builder_.CreateFCmpOGT(x, y, "greater")};
  }
  if (a.physical == Physical::kDecimal || b.physical == Physical::kDecimal) return EmitDecimalOrder(expr, a, a_type, b, b_type);
  if (a.physical == Physical::kCollection && b.physical == Physical::kCollection) {
    // Collections compare as the interpreter's values do, entry by entry.
    llvm::Type* ptr = builder_.getPtrTy();
    llvm::FunctionCallee compare =
        Helper("fsql_jit_compare_nested", builder_.getInt32Ty(), {ptr, ptr, ptr, builder_.getInt1Ty()}, false);
    llvm::Value* either_null = builder_.CreateOr(a.is_null, b.is_null);
    llvm::Value* order = builder_.CreateCall(
        compare, {SitePointer(CastSite{a_type, b_type, ""}), a.value, b.value, either_null}, "collection_order");
    return {builder_.CreateICmpSLT(order, builder_.getInt32(0), "less"),
            builder_.CreateICmpSGT(order, builder_.getInt32(0), "greater")};
  }
  if (a.physical == Physical::kBool && b.physical == Physical::kBool) {
    return {builder_.CreateICmpULT(a.value, b.value, "less"), builder_.CreateICmpUGT(a.value, b.value, "greater")};
  }
  if (a.physical == Physical::kString && b.physical == Physical::kString) {
    llvm::Type* i64 = builder_.getInt64Ty();
    llvm::Type* ptr = builder_.getPtrTy();
    llvm::FunctionCallee compare =
        Helper("fsql_jit_string_compare", builder_.getInt32Ty(), {ptr, i64, ptr, i64}, true);
    llvm::Value* order = builder_.CreateCall(compare, {a.value, a.length, b.value, b.length}, "string_order");
    return {builder_.CreateICmpSLT(order, builder_.getInt32(0), "less"),
            builder_.CreateICmpSGT(order, builder_.getInt32(0), "greater")};
  }
  throw NotCompilable(expr, "comparing values of these types is not supported");
}

IrValue ExprEmitter::EmitComparison(const Expr& expr) {
  RequireArity(expr, 2, 2);
  IrValue a = Emit(*expr.args[0]);
  IrValue b = Emit(*expr.args[1]);
  if (a.physical == Physical::kNull || b.physical == Physical::kNull) return NullOf(Physical::kBool);

  auto [less, greater] = EmitOrder(expr, a, expr.args[0]->type, b, expr.args[1]->type);
  const std::string& op = expr.function;
  llvm::Value* value = nullptr;
  if (op == "=") value = builder_.CreateNot(builder_.CreateOr(less, greater), "equal");
  if (op == "<>") value = builder_.CreateOr(less, greater, "not_equal");
  if (op == "<") value = less;
  if (op == "<=") value = builder_.CreateNot(greater, "less_or_equal");
  if (op == ">") value = greater;
  if (op == ">=") value = builder_.CreateNot(less, "greater_or_equal");
  return IrValue{Physical::kBool, builder_.CreateOr(a.is_null, b.is_null, "compare_is_null"), value, nullptr};
}

IrValue ExprEmitter::EmitAndOr(const Expr& expr) {
  // Short-circuits like the interpreter: a FALSE argument of AND (TRUE of OR)
  // decides the result, and later arguments are not evaluated, so they raise
  // no errors. A NULL argument only makes the undecided result NULL.
  bool is_and = expr.function == "AND";
  std::string name = is_and ? "and" : "or";
  llvm::BasicBlock* done = NewBlock(name + "_done");
  const IrValue decided{Physical::kBool, builder_.getFalse(), builder_.getInt1(!is_and), nullptr};
  std::vector<std::pair<IrValue, llvm::BasicBlock*>> incoming;
  llvm::Value* saw_null = builder_.getFalse();

  for (size_t i = 0; i < expr.args.size(); ++i) {
    IrValue arg = EmitAs(*expr.args[i], Physical::kBool);
    llvm::Value* deciding_value = is_and ? builder_.CreateNot(arg.value) : arg.value;
    llvm::Value* decisive = builder_.CreateAnd(builder_.CreateNot(arg.is_null), deciding_value, name + "_decided");
    saw_null = builder_.CreateOr(saw_null, arg.is_null, name + "_saw_null");
    if (i + 1 < expr.args.size()) {
      llvm::BasicBlock* next = NewBlock(name + "_next");
      incoming.push_back({decided, builder_.GetInsertBlock()});
      builder_.CreateCondBr(decisive, done, next);
      builder_.SetInsertPoint(next);
      continue;
    }
    IrValue last{Physical::kBool, builder_.CreateSelect(decisive, builder_.getFalse(), saw_null),
                 builder_.CreateSelect(decisive, builder_.getInt1(!is_and), builder_.getInt1(is_and)), nullptr};
    incoming.push_back({last, builder_.GetInsertBlock()});
  }
  if (expr.args.empty()) {
    incoming.push_back({IrValue{Physical::kBool, builder_.getFalse(), builder_.getInt1(is_and), nullptr},
                        builder_.GetInsertBlock()});
  }
  builder_.CreateBr(done);
  builder_.SetInsertPoint(done);
  return Phi(Physical::kBool, incoming, name);
}

IrValue ExprEmitter::EmitCase(const Expr& expr) {
  // Arguments are WHEN, THEN pairs and an optional ELSE. Only the conditions up
  // to the first TRUE one and the chosen result are evaluated.
  Physical result = *PhysicalOf(expr.type);
  size_t count = expr.args.size();
  llvm::BasicBlock* done = NewBlock("case_done");
  std::vector<std::pair<IrValue, llvm::BasicBlock*>> incoming;
  for (size_t i = 0; i + 1 < count; i += 2) {
    IrValue condition = EmitAs(*expr.args[i], Physical::kBool);
    llvm::BasicBlock* then = NewBlock("case_then");
    llvm::BasicBlock* next = NewBlock("case_next");
    builder_.CreateCondBr(IsTrue(condition), then, next);
    builder_.SetInsertPoint(then);
    IrValue value = EmitAs(*expr.args[i + 1], result);
    incoming.push_back({value, builder_.GetInsertBlock()});
    builder_.CreateBr(done);
    builder_.SetInsertPoint(next);
  }
  IrValue otherwise = count % 2 == 1 ? EmitAs(*expr.args[count - 1], result) : NullOf(result);
  incoming.push_back({otherwise, builder_.GetInsertBlock()});
  builder_.CreateBr(done);
  builder_.SetInsertPoint(done);
  return Phi(result, incoming, "case");
}

IrValue ExprEmitter::EmitCoalesce(const Expr& expr) {
  // The interpreter evaluates every argument, so errors in later ones are raised too.
  Physical result = *PhysicalOf(expr.type);
  std::vector<IrValue> values;
  for (const ExprPtr& arg : expr.args) values.push_back(EmitAs(*arg, result));
  if (values.empty()) return NullOf(result);
  IrValue chosen = values.back();
  for (size_t i = values.size() - 1; i-- > 0;) {
    chosen = Select(builder_.CreateNot(values[i].is_null), values[i], chosen, "coalesce");
  }
  return chosen;
}

IrValue ExprEmitter::EmitIf(const Expr& expr) {
  RequireArity(expr, 3, 3);
  // IF is an ordinary function in the interpreter: both branches are evaluated.
  Physical result = *PhysicalOf(expr.type);
  IrValue condition = EmitAs(*expr.args[0], Physical::kBool);
  IrValue if_true = EmitAs(*expr.args[1], result);
  IrValue if_false = EmitAs(*expr.args[2], result);
  return Select(IsTrue(condition), if_true, if_false, "if");
}

IrValue ExprEmitter::EmitIn(const Expr& expr) {
  RequireArity(expr, 1, SIZE_MAX);
  bool is_in = expr.function == "IN";
  IrValue value = Emit(*expr.args[0]);
  std::vector<IrValue> items;
  for (size_t i = 1; i < expr.args.size(); ++i) items.push_back(Emit(*expr.args[i]));
  if (value.physical == Physical::kNull) return NullOf(Physical::kBool);

  // Items are not coerced by the binder, so an integer may meet a double item;
  // EmitOrder compares those as doubles, as ValuesEqual does.
  llvm::Value* any_equal = builder_.getFalse();
  llvm::Value* any_null = builder_.getFalse();
  for (size_t i = 0; i < items.size(); ++i) {
    const IrValue& item = items[i];
    if (item.physical == Physical::kNull) {
      any_null = builder_.getTrue();
      continue;
    }
    auto [less, greater] = EmitOrder(expr, value, expr.args[0]->type, item, expr.args[i + 1]->type);
    llvm::Value* equal = builder_.CreateNot(builder_.CreateOr(less, greater));
    any_equal = builder_.CreateOr(any_equal, builder_.CreateAnd(builder_.CreateNot(item.is_null), equal), "in_match");
    any_null = builder_.CreateOr(any_null, item.is_null, "in_saw_null");
  }
  llvm::Value* is_null =
      builder_.CreateOr(value.is_null, builder_.CreateAnd(builder_.CreateNot(any_equal), any_null), "in_is_null");
  llvm::Value* result = is_in ? any_equal : builder_.CreateNot(any_equal, "not_in");
  return IrValue{Physical::kBool, is_null, result, nullptr};
}

IrValue ExprEmitter::EmitIsPredicate(const Expr& expr) {
  RequireArity(expr, 1, 1);
  const std::string& fn = expr.function;
  IrValue arg = Emit(*expr.args[0]);
  llvm::Value* value = nullptr;
  if (fn == "IS NULL" || fn == "IS NOT NULL") {
    value = fn == "IS NULL" ? arg.is_null : builder_.CreateNot(arg.is_null);
  } else {
    if (arg.physical != Physical::kBool && arg.physical != Physical::kNull) {
      throw NotCompilable(expr, "the operand is not a BOOLEAN");
    }
    if (arg.physical == Physical::kNull) arg = NullOf(Physical::kBool);
    llvm::Value* is_false = builder_.CreateAnd(builder_.CreateNot(arg.is_null), builder_.CreateNot(arg.value));
    if (fn == "IS TRUE") value = IsTrue(arg);
    if (fn == "IS NOT TRUE") value = builder_.CreateNot(IsTrue(arg));
    if (fn == "IS FALSE") value = is_false;
    if (fn == "IS NOT FALSE") value = builder_.CreateNot(is_false);
  }
  return IrValue{Physical::kBool, builder_.getFalse(), value, nullptr};
}

IrValue ExprEmitter::EmitNot(const Expr& expr) {
  RequireArity(expr, 1, 1);
  IrValue arg = EmitAs(*expr.args[0], Physical::kBool);
  return IrValue{Physical::kBool, arg.is_null, builder_.CreateNot(arg.value, "not"), nullptr};
}

IrValue ExprEmitter::EmitNegate(const Expr& expr) {
  RequireArity(expr, 1, 1);
  IrValue arg = Emit(*expr.args[0]);
  switch (arg.physical) {
    case Physical::kNull:
      return NullOf(*PhysicalOf(expr.type));
    case Physical::kInt:
      return IrValue{Physical::kInt, arg.is_null, builder_.CreateSub(builder_.getInt64(0), arg.value, "negated"),
                     nullptr};
    case Physical::kDouble:
      return IrValue{Physical::kDouble, arg.is_null, builder_.CreateFNeg(arg.value, "negated"), nullptr};
    case Physical::kDecimal:
      return IrValue{Physical::kDecimal, arg.is_null, builder_.CreateNeg(arg.value, "negated"), nullptr};
    default:
      throw NotCompilable(expr, "the operand is not numeric");
  }
}

IrValue ExprEmitter::EmitAbs(const Expr& expr) {
  RequireArity(expr, 1, 1);
  IrValue arg = Emit(*expr.args[0]);
  switch (arg.physical) {
    case Physical::kNull:
      return NullOf(*PhysicalOf(expr.type));
    case Physical::kInt: {
      // ABS(INT64_MIN) wraps to INT64_MIN, as in Java.
      llvm::Value* negative = builder_.CreateICmpSLT(arg.value, builder_.getInt64(0));
      llvm::Value* negated = builder_.CreateSub(builder_.getInt64(0), arg.value);
      return IrValue{Physical::kInt, arg.is_null, builder_.CreateSelect(negative, negated, arg.value, "abs"), nullptr};
    }
    case Physical::kDouble:
      return IrValue{Physical::kDouble, arg.is_null,
                     builder_.CreateUnaryIntrinsic(llvm::Intrinsic::fabs, arg.value, nullptr, "abs"), nullptr};
    case Physical::kDecimal: {
      llvm::Value* negative = builder_.CreateICmpSLT(arg.value, builder_.getIntN(128, 0));
      llvm::Value* negated = builder_.CreateNeg(arg.value);
      return IrValue{Physical::kDecimal, arg.is_null, builder_.CreateSelect(negative, negated, arg.value, "abs"),
                     nullptr};
    }
    default:
      throw NotCompilable(expr, "the operand is not numeric");
  }
}

IrValue ExprEmitter::EmitLike(const Expr& expr) {
  RequireArity(expr, 2, 3);
  IrValue text = EmitAs(*expr.args[0], Physical::kString);
  IrValue pattern = EmitAs(*expr.args[1], Physical::kString);
  llvm::Value* escape = builder_.getInt32(0);
  if (expr.args.size() == 3) {
    // The escape is the first byte of a non-null, non-empty third argument.
    IrValue escape_text = EmitAs(*expr.args[2], Physical::kString);
    llvm::Value* present = builder_.CreateAnd(builder_.CreateNot(escape_text.is_null),
                                              builder_.CreateICmpNE(escape_text.length, builder_.getInt64(0)));
    llvm::Value* address = builder_.CreateSelect(present, escape_text.value, empty_string_);
    llvm::Value* first = builder_.CreateAlignedLoad(builder_.getInt8Ty(), address, llvm::Align(1));
    escape = builder_.CreateSelect(present, builder_.CreateSExt(first, builder_.getInt32Ty()), builder_.getInt32(0),
                                   "like_escape");
  }
  llvm::Type* i64 = builder_.getInt64Ty();
  llvm::Type* ptr = builder_.getPtrTy();
  llvm::FunctionCallee like =
      Helper("fsql_jit_like", builder_.getInt32Ty(), {ptr, i64, ptr, i64, builder_.getInt32Ty()}, true);
  llvm::Value* matched = builder_.CreateICmpNE(
      builder_.CreateCall(like, {text.value, text.length, pattern.value, pattern.length, escape}), builder_.getInt32(0),
      "like_matched");
  llvm::Value* value = expr.function == "LIKE" ? matched : builder_.CreateNot(matched, "not_like");
  return IrValue{Physical::kBool, builder_.CreateOr(text.is_null, pattern.is_null, "like_is_null"), value, nullptr};
}

IrValue ExprEmitter::EmitConcat(const Expr& expr) {
  RequireArity(expr, expr.function == "||" ? 2 : 1, expr.function == "||" ? 2 : SIZE_MAX);
  std::vector<IrValue> parts;
  for (const ExprPtr& arg : expr.args) parts.push_back(EmitAs(*arg, Physical::kString));
  llvm::Type* i64 = builder_.getInt64Ty();
  llvm::Type* ptr = builder_.getPtrTy();
  llvm::FunctionCallee concat = Helper("fsql_jit_concat", ptr, {ptr, ptr, i64, ptr, i64}, false);
  IrValue joined = parts.front();
  for (size_t i = 1; i < parts.size(); ++i) {
    const IrValue& part = parts[i];
    joined.value = builder_.CreateCall(concat, {args_.context, joined.value, joined.length, part.value, part.length},
                                       "concat");
    joined.length = builder_.CreateAdd(joined.length, part.length, "concat_length");
    joined.is_null = builder_.CreateOr(joined.is_null, part.is_null, "concat_is_null");
  }
  return joined;
}

IrValue ExprEmitter::EmitChangeCase(const Expr& expr, bool upper) {
  RequireArity(expr, 1, 1);
  IrValue arg = EmitAs(*expr.args[0], Physical::kString);
  llvm::Type* ptr = builder_.getPtrTy();
  llvm::FunctionCallee change_case =
      Helper("fsql_jit_change_case", ptr, {ptr, ptr, builder_.getInt64Ty(), builder_.getInt32Ty()}, false);
  llvm::Value* data = builder_.CreateCall(
      change_case, {args_.context, arg.value, arg.length, builder_.getInt32(upper ? 1 : 0)}, upper ? "upper" : "lower");
  return IrValue{Physical::kString, arg.is_null, data, arg.length};
}

IrValue ExprEmitter::EmitCharLength(const Expr& expr) {
  RequireArity(expr, 1, 1);
  IrValue arg = EmitAs(*expr.args[0], Physical::kString);
  llvm::FunctionCallee char_length =
      Helper("fsql_jit_char_length", builder_.getInt64Ty(), {builder_.getPtrTy(), builder_.getInt64Ty()}, true);
  llvm::Value* count = builder_.CreateCall(char_length, {arg.value, arg.length}, "char_length");
  return IrValue{Physical::kInt, arg.is_null, count, nullptr};
}

IrValue ExprEmitter::EmitTimestampDiff(const Expr& expr) {
  RequireArity(expr, 2, 2);
  IrValue from = EmitAs(*expr.args[0], Physical::kInt);
  IrValue to = EmitAs(*expr.args[1], Physical::kInt);
  llvm::Value* is_null = builder_.CreateOr(from.is_null, to.is_null, "diff_is_null");
  const std::string& unit = expr.time_unit;
  bool months = unit == "MONTH" || unit == "MONTHS";
  bool years = unit == "YEAR" || unit == "YEARS";
  if (months || years) {
    llvm::FunctionCallee between =
        Helper("fsql_jit_months_between", builder_.getInt64Ty(), {builder_.getInt64Ty(), builder_.getInt64Ty()}, false);
    llvm::Value* value = builder_.CreateCall(between, {from.value, to.value}, "months");
    if (years) value = builder_.CreateSDiv(value, builder_.getInt64(12), "years");
    return IrValue{Physical::kInt, is_null, value, nullptr};
  }
  int64_t millis = TimeUnitMillis(unit);
  if (millis == 0) throw NotCompilable(expr, fmt::format("TIMESTAMPDIFF unit '{}' is unknown", unit));
  llvm::Value* elapsed = builder_.CreateSub(to.value, from.value, "elapsed_ms");
  return IrValue{Physical::kInt, is_null, builder_.CreateSDiv(elapsed, builder_.getInt64(millis), "diff"), nullptr};
}

IrValue ExprEmitter::EmitToTimestampLtz(const Expr& expr) {
  RequireArity(expr, 2, 2);
  IrValue raw = Emit(*expr.args[0]);
  IrValue precision = EmitAs(*expr.args[1], Physical::kInt);
  if (raw.physical == Physical::kNull) return NullOf(Physical::kInt);
  if (raw.physical != Physical::kInt && raw.physical != Physical::kDouble) {
    throw NotCompilable(expr, "the epoch value is not numeric");
  }
  llvm::Value* is_null = builder_.CreateOr(raw.is_null, precision.is_null, "ltz_is_null");
  llvm::Value* seconds = builder_.CreateICmpEQ(precision.value, builder_.getInt64(0), "precision_is_seconds");
  llvm::Value* millis = builder_.CreateICmpEQ(precision.value, builder_.getInt64(3), "precision_is_millis");
  llvm::Value* invalid = builder_.CreateAnd(builder_.CreateNot(is_null),
                                            builder_.CreateNot(builder_.CreateOr(seconds, millis)));
  RaiseIf(invalid, "timestamp_precision", [&] {
    llvm::FunctionCallee raise = Helper("fsql_jit_raise_timestamp_precision", builder_.getVoidTy(),
                                        {builder_.getPtrTy(), builder_.getInt64Ty()}, false);
    builder_.CreateCall(raise, {args_.context, precision.value});
  });

  // The interpreter converts through double, losing precision above 2^53, and
  // truncates with static_cast, whose out-of-range result the helper repeats.
  llvm::Value* value = ToDouble(raw);
  llvm::Value* scaled = builder_.CreateSelect(
      seconds, builder_.CreateFMul(value, llvm::ConstantFP::get(builder_.getDoubleTy(), 1000.0)), value, "epoch_ms");
  llvm::FunctionCallee truncate =
      Helper("fsql_jit_double_to_int64", builder_.getInt64Ty(), {builder_.getDoubleTy()}, true);
  return IrValue{Physical::kInt, is_null, builder_.CreateCall(truncate, {scaled}, "timestamp_ltz"), nullptr};
}

}  // namespace fsql::codegen
