#include "compiler/codegen/key_compiler.h"

#include <chrono>

#include <fmt/format.h>
#include <llvm/IR/IRBuilder.h>
#include <llvm/IR/LLVMContext.h>
#include <llvm/IR/Module.h>
#include <llvm/Target/TargetMachine.h>

#include "compiler/codegen/llvm_module.h"
#include "runtime/common/error.h"

namespace fsql::codegen {

namespace {

using KeyResult = Result<std::shared_ptr<const CompiledKeyFunction>>;

/// The encoding EncodeKey gives a non-NULL column after its marker byte 1.
enum class KeyPart {
  kSlot,         // the 8 bytes of the slot: integers, temporal types, doubles, compact DECIMAL
  kString,       // a uint32 length, then the bytes (STRING and BYTES)
  kNested,       // the nested row's bytes (ROW, ARRAY, MAP, MULTISET)
  kWideDecimal,  // the 16-byte int128 the slot points at
};

KeyPart PartOf(const DataType& type) {
  if (type.IsString() || type.id == TypeId::kBytes) return KeyPart::kString;
  if (type.id == TypeId::kRow || type.id == TypeId::kArray || type.id == TypeId::kMap ||
      type.id == TypeId::kMultiset) {
    return KeyPart::kNested;
  }
  if (type.id == TypeId::kDecimal && type.precision > kMaxCompactDecimalPrecision) return KeyPart::kWideDecimal;
  return KeyPart::kSlot;
}

/// Emits the function described at the top of key_compiler.h in three steps:
/// the key's length, then its bytes, then the hash of the bytes.
class KeyFunctionBuilder {
 public:
  KeyFunctionBuilder(llvm::Module& module, const std::string& name)
      : context_(module.getContext()), builder_(context_) {
    llvm::Type* ptr = builder_.getPtrTy();
    llvm::Type* i64 = builder_.getInt64Ty();
    auto* type = llvm::FunctionType::get(i64, {ptr, ptr, i64, ptr}, false);
    function_ = llvm::Function::Create(type, llvm::Function::ExternalLinkage, name, module);
    function_->setDoesNotThrow();
    row_ = function_->getArg(0);
    out_ = function_->getArg(1);
    capacity_ = function_->getArg(2);
    length_out_ = function_->getArg(3);
    row_->setName("row");
    out_->setName("out");
    capacity_->setName("capacity");
    length_out_->setName("length");
    function_->addParamAttr(0, llvm::Attribute::NoAlias);
    function_->addParamAttr(0, llvm::Attribute::ReadOnly);
    function_->addParamAttr(1, llvm::Attribute::NoAlias);
    function_->addParamAttr(3, llvm::Attribute::NoAlias);
  }

  void Build(const std::vector<int>& columns, const std::vector<DataType>& types) {
    builder_.SetInsertPoint(Block("entry"));
    llvm::Value* column_count = builder_.CreateZExt(LoadRow(builder_.getInt16Ty(), Int64(2), "column_count"),
                                                    builder_.getInt64Ty());
    llvm::Value* bitmap_words = builder_.CreateLShr(builder_.CreateAdd(column_count, Int64(63)), 6, "bitmap_words");
    slots_ = builder_.CreateAdd(Int64(RowView::kHeaderSize), builder_.CreateShl(bitmap_words, 3), "slots");

    std::vector<Column> keys;
    for (size_t i = 0; i < columns.size(); ++i) keys.push_back(ReadColumn(i, columns[i], types));

    llvm::Value* length = Int64(0);
    for (const Column& key : keys) length = builder_.CreateAdd(length, EncodedSize(key), "length");
    builder_.CreateAlignedStore(length, length_out_, llvm::Align(8));
    llvm::Value* word_start = builder_.CreateAnd(length, Int64(~uint64_t{7}), "last_word");
    llvm::Value* required = builder_.CreateAdd(word_start, Int64(8), "required");
    llvm::BasicBlock* write = Block("write");
    llvm::BasicBlock* too_small = Block("too_small");
    builder_.CreateCondBr(builder_.CreateICmpULE(required, capacity_), write, too_small);
    builder_.SetInsertPoint(too_small);
    builder_.CreateRet(Int64(0));

    builder_.SetInsertPoint(write);
    // Zeroed first, so the bytes after the key in its last word are zero when
    // the hash reads whole words.
    builder_.CreateAlignedStore(Int64(0), OutAt(word_start), llvm::Align(1));
    llvm::Value* position = Int64(0);
    for (const Column& key : keys) position = WriteColumn(key, position);
    builder_.CreateRet(EmitHash(length));
  }

 private:
  struct Column {
    size_t index = 0;  // position in the key
    KeyPart part = KeyPart::kSlot;
    llvm::Value* is_null = nullptr;
    llvm::Value* slot = nullptr;  // offset of the column's slot from the row start
  };

  Column ReadColumn(size_t index, int column, const std::vector<DataType>& types) {
    if (column < 0 || static_cast<size_t>(column) >= types.size()) {
      throw InternalError(fmt::format("key column {} is out of range for {} columns", column, types.size()));
    }
    auto c = static_cast<uint64_t>(column);
    Column key;
    key.index = index;
    key.part = PartOf(types[c]);
    llvm::Value* word = LoadRow(builder_.getInt64Ty(), Int64(RowView::kHeaderSize + 8 * (c / 64)),
                                fmt::format("key{}_null_word", index));
    llvm::Value* bit = builder_.CreateAnd(builder_.CreateLShr(word, c % 64), 1);
    key.is_null = builder_.CreateICmpNE(bit, Int64(0), fmt::format("key{}_is_null", index));
    key.slot = builder_.CreateAdd(slots_, Int64(8 * c), fmt::format("key{}_slot", index));
    return key;
  }

  /// Returns the number of bytes EncodeKey writes for the column: its marker,
  /// and its value unless NULL.
  llvm::Value* EncodedSize(const Column& key) {
    std::string name = fmt::format("key{}_size", key.index);
    switch (key.part) {
      case KeyPart::kSlot:
        return builder_.CreateSelect(key.is_null, Int64(1), Int64(9), name);
      case KeyPart::kWideDecimal:
        return builder_.CreateSelect(key.is_null, Int64(1), Int64(17), name);
      case KeyPart::kString: {
        llvm::Value* bytes = LoadRow32(builder_.CreateAdd(key.slot, Int64(4)), fmt::format("key{}_length", key.index));
        return builder_.CreateSelect(key.is_null, Int64(1), builder_.CreateAdd(bytes, Int64(5)), name);
      }
      case KeyPart::kNested: {
        // The slot of a NULL column may not point at a row, so the size is
        // read from the row's own header instead and then ignored.
        llvm::Value* nested = builder_.CreateSelect(key.is_null, Int64(0), NestedOffset(key));
        llvm::Value* bytes = LoadRow32(builder_.CreateAdd(nested, Int64(4)), fmt::format("key{}_nested_size", key.index));
        return builder_.CreateSelect(key.is_null, Int64(1), builder_.CreateAdd(bytes, Int64(1)), name);
      }
    }
    throw InternalError("unknown key part");
  }

  /// Writes the column at `position` of the output and returns the position after it.
  llvm::Value* WriteColumn(const Column& key, llvm::Value* position) {
    llvm::BasicBlock* null_block = Block(fmt::format("key{}_null", key.index));
    llvm::BasicBlock* value_block = Block(fmt::format("key{}_value", key.index));
    llvm::BasicBlock* done = Block(fmt::format("key{}_done", key.index));
    builder_.CreateCondBr(key.is_null, null_block, value_block);

    builder_.SetInsertPoint(null_block);
    builder_.CreateStore(builder_.getInt8(0), OutAt(position));
    llvm::Value* after_null = builder_.CreateAdd(position, Int64(1));
    builder_.CreateBr(done);

    builder_.SetInsertPoint(value_block);
    builder_.CreateStore(builder_.getInt8(1), OutAt(position));
    llvm::Value* data = builder_.CreateAdd(position, Int64(1), fmt::format("key{}_data", key.index));
    llvm::Value* after_value = nullptr;
    switch (key.part) {
      case KeyPart::kSlot: {
        llvm::Value* bits = LoadRow(builder_.getInt64Ty(), key.slot, fmt::format("key{}_bits", key.index));
        builder_.CreateAlignedStore(bits, OutAt(data), llvm::Align(1));
        after_value = builder_.CreateAdd(data, Int64(8));
        break;
      }
      case KeyPart::kWideDecimal: {
        llvm::Value* offset = LoadRow32(key.slot, fmt::format("key{}_offset", key.index));
        builder_.CreateMemCpy(OutAt(data), llvm::MaybeAlign(1), RowAt(offset), llvm::MaybeAlign(1), 16);
        after_value = builder_.CreateAdd(data, Int64(16));
        break;
      }
      case KeyPart::kString: {
        llvm::Value* offset = LoadRow32(key.slot, fmt::format("key{}_offset", key.index));
        llvm::Value* length = LoadRow(builder_.getInt32Ty(), builder_.CreateAdd(key.slot, Int64(4)),
                                      fmt::format("key{}_length32", key.index));
        builder_.CreateAlignedStore(length, OutAt(data), llvm::Align(1));
        llvm::Value* bytes = builder_.CreateAdd(data, Int64(4));
        llvm::Value* size = builder_.CreateZExt(length, builder_.getInt64Ty());
        builder_.CreateMemCpy(OutAt(bytes), llvm::MaybeAlign(1), RowAt(offset), llvm::MaybeAlign(1), size);
        after_value = builder_.CreateAdd(bytes, size);
        break;
      }
      case KeyPart::kNested: {
        llvm::Value* offset = NestedOffset(key);
        llvm::Value* size = LoadRow32(builder_.CreateAdd(offset, Int64(4)), fmt::format("key{}_nested_size", key.index));
        builder_.CreateMemCpy(OutAt(data), llvm::MaybeAlign(1), RowAt(offset), llvm::MaybeAlign(1), size);
        after_value = builder_.CreateAdd(data, size);
        break;
      }
    }
    llvm::BasicBlock* value_end = builder_.GetInsertBlock();
    builder_.CreateBr(done);

    builder_.SetInsertPoint(done);
    llvm::PHINode* next = builder_.CreatePHI(builder_.getInt64Ty(), 2, fmt::format("position{}", key.index + 1));
    next->addIncoming(after_null, null_block);
    next->addIncoming(after_value, value_end);
    return next;
  }

  /// Emits HashKey over out[0, length), reading whole words.
  llvm::Value* EmitHash(llvm::Value* length) {
    llvm::Value* multiplier = Int64(kKeyHashMultiplier);
    llvm::Value* seed = builder_.CreateXor(Int64(kKeyHashSeed), builder_.CreateMul(length, multiplier), "hash_seed");
    llvm::Value* words = builder_.CreateLShr(builder_.CreateAdd(length, Int64(7)), 3, "words");
    llvm::BasicBlock* before = builder_.GetInsertBlock();
    llvm::BasicBlock* header = Block("hash_loop");
    llvm::BasicBlock* body = Block("hash_word");
    llvm::BasicBlock* exit = Block("hash_done");
    builder_.CreateBr(header);

    builder_.SetInsertPoint(header);
    llvm::PHINode* word_index = builder_.CreatePHI(builder_.getInt64Ty(), 2, "word_index");
    llvm::PHINode* hash = builder_.CreatePHI(builder_.getInt64Ty(), 2, "hash");
    word_index->addIncoming(Int64(0), before);
    hash->addIncoming(seed, before);
    builder_.CreateCondBr(builder_.CreateICmpULT(word_index, words), body, exit);

    builder_.SetInsertPoint(body);
    llvm::Value* word = builder_.CreateAlignedLoad(builder_.getInt64Ty(), OutAt(builder_.CreateShl(word_index, 3)),
                                                   llvm::Align(1), "word");
    llvm::Value* mixed = builder_.CreateMul(builder_.CreateXor(hash, word), multiplier);
    mixed = builder_.CreateXor(mixed, builder_.CreateLShr(mixed, 32), "mixed");
    hash->addIncoming(mixed, body);
    word_index->addIncoming(builder_.CreateAdd(word_index, Int64(1)), body);
    builder_.CreateBr(header);

    builder_.SetInsertPoint(exit);
    llvm::Value* result = builder_.CreateXor(hash, builder_.CreateLShr(hash, 33));
    result = builder_.CreateMul(result, Int64(kKeyHashFinalizer));
    return builder_.CreateXor(result, builder_.CreateLShr(result, 33), "key_hash");
  }

  llvm::Value* NestedOffset(const Column& key) {
    return LoadRow32(key.slot, fmt::format("key{}_nested_offset", key.index));
  }

  llvm::BasicBlock* Block(const std::string& name) { return llvm::BasicBlock::Create(context_, name, function_); }
  llvm::Value* Int64(uint64_t value) { return builder_.getInt64(value); }
  llvm::Value* RowAt(llvm::Value* offset) { return builder_.CreateInBoundsGEP(builder_.getInt8Ty(), row_, offset); }
  llvm::Value* OutAt(llvm::Value* offset) { return builder_.CreateInBoundsGEP(builder_.getInt8Ty(), out_, offset); }
  llvm::Value* LoadRow(llvm::Type* type, llvm::Value* offset, const std::string& name) {
    return builder_.CreateAlignedLoad(type, RowAt(offset), llvm::Align(1), name);
  }
  /// Loads a uint32 of the row, widened to int64.
  llvm::Value* LoadRow32(llvm::Value* offset, const std::string& name) {
    return builder_.CreateZExt(LoadRow(builder_.getInt32Ty(), offset, name + "32"), builder_.getInt64Ty(), name);
  }

  llvm::LLVMContext& context_;
  llvm::IRBuilder<> builder_;
  llvm::Function* function_ = nullptr;
  llvm::Value* row_ = nullptr;
  llvm::Value* out_ = nullptr;
  llvm::Value* capacity_ = nullptr;
  llvm::Value* length_out_ = nullptr;
  llvm::Value* slots_ = nullptr;
};

double MillisSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace

CompiledKeyFunction::CompiledKeyFunction(Parts parts)
    : parts_(std::move(parts)), function_(reinterpret_cast<Function>(parts_.code->address())) {}

CompiledKeyFunction::~CompiledKeyFunction() = default;

uint64_t CompiledKeyFunction::Encode(RowView row, std::string& key) const {
  // Keys of up to 56 bytes fit the initial buffer, so they take one call.
  constexpr size_t kInitialCapacity = 64;
  key.resize(std::max(key.capacity(), kInitialCapacity));
  uint64_t length = 0;
  uint64_t hash = function_(row.data(), reinterpret_cast<uint8_t*>(key.data()), key.size(), &length);
  if (RequiredKeyCapacity(length) > key.size()) {
    key.resize(RequiredKeyCapacity(length));
    hash = function_(row.data(), reinterpret_cast<uint8_t*>(key.data()), key.size(), &length);
  }
  key.resize(length);
  return hash;
}

Result<std::shared_ptr<const CompiledKeyFunction>> CompileKey(const std::vector<int>& columns,
                                                             const std::vector<DataType>& types,
                                                             const CompileOptions& options) {
  auto start = std::chrono::steady_clock::now();
  auto jit = Jit::Shared();
  if (!jit.ok()) return KeyResult::Failure(jit.error());

  auto context = std::make_unique<llvm::LLVMContext>();
  auto module = std::make_unique<llvm::Module>("fsql_key", *context);
  jit.value()->PrepareModule(*module);
  CompiledKeyFunction::Parts parts;
  parts.function_name = jit.value()->UniqueName("fsql_key");
  try {
    KeyFunctionBuilder(*module, parts.function_name).Build(columns, types);
  } catch (const InternalError& error) {
    return KeyResult::Failure(fmt::format("generating IR failed: {}", error.what()));
  }

  auto linked = LinkModule(*jit.value(), std::move(context), std::move(module), parts.function_name, options.keep_ir);
  if (!linked.ok()) return KeyResult::Failure(linked.error());
  parts.code = std::move(linked.value().code);
  parts.ir_before_optimization = std::move(linked.value().ir_before_optimization);
  parts.ir_after_optimization = std::move(linked.value().ir_after_optimization);
  parts.compile_millis = MillisSince(start);
  return std::shared_ptr<const CompiledKeyFunction>(std::make_shared<CompiledKeyFunction>(std::move(parts)));
}

std::string KeyFingerprint(const std::vector<int>& columns, const std::vector<DataType>& types) {
  std::string out = "key";
  for (int column : columns) {
    bool in_range = column >= 0 && static_cast<size_t>(column) < types.size();
    out += fmt::format(" #{}:{}", column, in_range ? types[static_cast<size_t>(column)].ToString() : "?");
  }
  return out;
}

}  // namespace fsql::codegen
