// Steps that every fsql_codegen compilation runs on its module: printing and
// optimisation. Private to fsql_codegen.
#pragma once

#include <string>

namespace llvm {
class Module;
class TargetMachine;
}  // namespace llvm

namespace fsql::codegen {

/// Returns the module's IR as text.
std::string PrintModule(const llvm::Module& module);

/// Runs LLVM's per-module pipeline at llvm_version::IrOptimizationLevel().
void OptimizeModule(llvm::Module& module, llvm::TargetMachine& machine);

}  // namespace fsql::codegen
