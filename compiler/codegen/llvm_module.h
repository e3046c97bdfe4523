// Steps that every fsql_codegen compilation runs on its module: printing,
// optimisation and linking. Private to fsql_codegen.
#pragma once

#include <memory>
#include <string>

#include "compiler/codegen/jit.h"

namespace llvm {
class LLVMContext;
class Module;
class TargetMachine;
}  // namespace llvm

namespace fsql::codegen {

/// Returns the module's IR as text.
std::string PrintModule(const llvm::Module& module);

/// Runs LLVM's per-module pipeline at llvm_version::IrOptimizationLevel().
void OptimizeModule(llvm::Module& module, llvm::TargetMachine& machine);

/// Machine code linked from a module, with the module's IR text before and
/// after optimisation when it was kept.
struct LinkedModule {
  std::unique_ptr<JitCode> code;
  std::string ir_before_optimization;
  std::string ir_after_optimization;
};

/// Verifies, optimises and links a generated module, and keeps its IR text
/// when `keep_ir` is set. Fails with the verifier's findings on invalid IR.
Result<LinkedModule> LinkModule(Jit& jit, std::unique_ptr<llvm::LLVMContext> context,
                                std::unique_ptr<llvm::Module> module, const std::string& function_name, bool keep_ir);

}  // namespace fsql::codegen
