#include "compiler/codegen/jit.h"

#include <atomic>
#include <mutex>

#include <fmt/format.h>
#include <llvm/ExecutionEngine/Orc/ExecutionUtils.h>
#include <llvm/ExecutionEngine/Orc/JITTargetMachineBuilder.h>
#include <llvm/ExecutionEngine/Orc/LLJIT.h>
#include <llvm/ExecutionEngine/Orc/ObjectTransformLayer.h>
#include <llvm/ExecutionEngine/Orc/ThreadSafeModule.h>
#include <llvm/IR/LLVMContext.h>
#include <llvm/IR/Module.h>
#include <llvm/Object/ObjectFile.h>
#include <llvm/Support/MemoryBuffer.h>
#include <llvm/Support/TargetSelect.h>
#include <llvm/Target/TargetMachine.h>

#include "compiler/codegen/llvm_version.h"
#include "compiler/codegen/runtime_helpers.h"

namespace fsql::codegen {

struct Jit::State {
  State(std::unique_ptr<llvm::orc::LLJIT> jit, llvm::orc::JITTargetMachineBuilder machine_builder)
      : jit(std::move(jit)), machine_builder(std::move(machine_builder)) {}

  std::unique_ptr<llvm::orc::LLJIT> jit;
  llvm::orc::JITTargetMachineBuilder machine_builder;
  std::mutex link_mutex;  // guards linking, lookups and removal, see the header
  std::atomic<int64_t> next_name{0};
  std::atomic<int64_t> loaded_modules{0};
  // Bytes of executable sections in the object file linked last. Written by
  // the object transform, which runs inside the lookup that Load makes while
  // holding link_mutex, so Load reads the size of its own module.
  uint64_t last_code_bytes = 0;
};

struct JitCode::Resources {
  std::shared_ptr<Jit> jit;
  llvm::orc::ResourceTrackerSP tracker;
};

namespace {

std::string DescribeError(llvm::Error error) { return llvm::toString(std::move(error)); }

/// LLVM's target registry is global, so it is initialised once per process.
bool InitializeNativeTarget() {
  static const bool ok = !llvm::InitializeNativeTarget() && !llvm::InitializeNativeTargetAsmPrinter();
  return ok;
}

/// Returns the size of the executable sections of an object file, or 0 when
/// it cannot be read.
uint64_t CodeBytes(const llvm::MemoryBuffer& object) {
  auto file = llvm::object::ObjectFile::createObjectFile(object.getMemBufferRef());
  if (!file) {
    llvm::consumeError(file.takeError());
    return 0;
  }
  uint64_t bytes = 0;
  for (const llvm::object::SectionRef& section : (*file)->sections()) {
    if (section.isText()) bytes += section.getSize();
  }
  return bytes;
}

/// Defines the runtime helpers, and lets generated code resolve the C library
/// functions that LLVM lowers some instructions to (fmod for frem, memcpy).
llvm::Error DefineSymbols(llvm::orc::LLJIT& jit) {
  llvm::orc::SymbolMap helpers;
  for (const HelperSymbol& helper : HelperSymbols()) {
    helpers[jit.mangleAndIntern(helper.name)] = llvm_version::HostFunctionSymbol(helper.address);
  }
  llvm::orc::JITDylib& main = jit.getMainJITDylib();
  if (llvm::Error error = main.define(llvm::orc::absoluteSymbols(std::move(helpers)))) return error;

  auto process = llvm::orc::DynamicLibrarySearchGenerator::GetForCurrentProcess(
      jit.getDataLayout().getGlobalPrefix());
  if (!process) return process.takeError();
  main.addGenerator(std::move(*process));
  return llvm::Error::success();
}

}  // namespace

Jit::Jit(std::unique_ptr<State> state) : state_(std::move(state)) {}

Jit::~Jit() = default;

Result<std::shared_ptr<Jit>> Jit::Create() {
  if (!InitializeNativeTarget()) {
    return Result<std::shared_ptr<Jit>>::Failure("LLVM has no code generator for the host CPU");
  }
  auto machine_builder = llvm::orc::JITTargetMachineBuilder::detectHost();
  if (!machine_builder) {
    return Result<std::shared_ptr<Jit>>::Failure(
        fmt::format("detecting the host CPU failed: {}", DescribeError(machine_builder.takeError())));
  }
  auto jit = llvm::orc::LLJITBuilder().setJITTargetMachineBuilder(*machine_builder).create();
  if (!jit) {
    return Result<std::shared_ptr<Jit>>::Failure(
        fmt::format("creating the LLVM JIT failed: {}", DescribeError(jit.takeError())));
  }
  if (llvm::Error error = DefineSymbols(**jit)) {
    return Result<std::shared_ptr<Jit>>::Failure(
        fmt::format("defining the JIT runtime helpers failed: {}", DescribeError(std::move(error))));
  }
  auto state = std::make_unique<State>(std::move(*jit), std::move(*machine_builder));
  State* measured = state.get();
  measured->jit->getObjTransformLayer().setTransform(
      [measured](std::unique_ptr<llvm::MemoryBuffer> object) -> llvm::Expected<std::unique_ptr<llvm::MemoryBuffer>> {
        measured->last_code_bytes = CodeBytes(*object);
        return object;
      });
  return std::shared_ptr<Jit>(new Jit(std::move(state)));
}

Result<std::shared_ptr<Jit>> Jit::Shared() {
  // Leaked on purpose: compiled code may still run while static destructors do.
  static const auto* shared = new Result<std::shared_ptr<Jit>>(Create());
  return *shared;
}

void Jit::PrepareModule(llvm::Module& module) const {
  module.setDataLayout(state_->jit->getDataLayout());
  module.setTargetTriple(state_->jit->getTargetTriple().str());
}

Result<std::unique_ptr<llvm::TargetMachine>> Jit::CreateTargetMachine() const {
  llvm::orc::JITTargetMachineBuilder builder = state_->machine_builder;
  auto machine = builder.createTargetMachine();
  if (!machine) {
    return Result<std::unique_ptr<llvm::TargetMachine>>::Failure(
        fmt::format("creating a TargetMachine failed: {}", DescribeError(machine.takeError())));
  }
  return std::move(*machine);
}

Result<std::unique_ptr<JitCode>> Jit::Load(std::unique_ptr<llvm::LLVMContext> context,
                                           std::unique_ptr<llvm::Module> module,
                                           const std::string& function_name) {
  using LoadResult = Result<std::unique_ptr<JitCode>>;
  std::lock_guard<std::mutex> lock(state_->link_mutex);
  llvm::orc::ResourceTrackerSP tracker = state_->jit->getMainJITDylib().createResourceTracker();
  llvm::orc::ThreadSafeModule owned(std::move(module), std::move(context));
  if (llvm::Error error = state_->jit->addIRModule(tracker, std::move(owned))) {
    return LoadResult::Failure(fmt::format("adding module failed: {}", DescribeError(std::move(error))));
  }
  state_->last_code_bytes = 0;
  auto address = state_->jit->lookup(function_name);
  if (!address) {
    std::string message = DescribeError(address.takeError());
    llvm::consumeError(tracker->remove());
    return LoadResult::Failure(fmt::format("linking {} failed: {}", function_name, message));
  }
  state_->loaded_modules.fetch_add(1);
  auto resources = std::make_unique<JitCode::Resources>(JitCode::Resources{shared_from_this(), tracker});
  auto code = std::make_unique<JitCode>(std::move(resources), llvm_version::ToHostPointer(*address));
  code->set_code_bytes(state_->last_code_bytes);
  return code;
}

Result<void*> Jit::LookUp(const std::string& function_name) {
  std::lock_guard<std::mutex> lock(state_->link_mutex);
  auto address = state_->jit->lookup(function_name);
  if (!address) {
    return Result<void*>::Failure(
        fmt::format("looking up {} failed: {}", function_name, DescribeError(address.takeError())));
  }
  return llvm_version::ToHostPointer(*address);
}

std::string Jit::UniqueName(std::string_view prefix) {
  return fmt::format("{}_{}", prefix, state_->next_name.fetch_add(1));
}

int64_t Jit::loaded_module_count() const { return state_->loaded_modules.load(); }

JitCode::JitCode(std::unique_ptr<Resources> resources, void* address)
    : resources_(std::move(resources)), address_(address) {}

JitCode::~JitCode() {
  Jit::State& state = *resources_->jit->state_;
  std::lock_guard<std::mutex> lock(state.link_mutex);
  // NOTE: a failed removal leaks the code's memory; nothing else can be done here.
  llvm::consumeError(resources_->tracker->remove());
  state.loaded_modules.fetch_sub(1);
}

}  // namespace fsql::codegen
