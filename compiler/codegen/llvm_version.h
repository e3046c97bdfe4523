// The parts of fsql_codegen that depend on the LLVM release.
//
// The backend is written against LLVM 16 (Debian 12's llvm-16-dev). The ORC
// symbol types, the optimisation-level enums and the pass-builder headers
// change between releases, so porting to another release starts here. Include
// this header, never the version-specific LLVM headers it wraps.
#pragma once

#include <llvm/Config/llvm-config.h>
#include <llvm/ExecutionEngine/JITSymbol.h>
#include <llvm/ExecutionEngine/Orc/Core.h>
#include <llvm/ExecutionEngine/Orc/Shared/ExecutorAddress.h>
#include <llvm/Passes/OptimizationLevel.h>

static_assert(LLVM_VERSION_MAJOR == 16,
              "fsql_codegen is written against LLVM 16; adapt compiler/codegen/llvm_version.h first");

namespace fsql::codegen::llvm_version {

/// An ORC symbol definition for a function of this process. LLVM 17 replaces
/// JITEvaluatedSymbol with ExecutorSymbolDef.
inline llvm::JITEvaluatedSymbol HostFunctionSymbol(const void* address) {
  return llvm::JITEvaluatedSymbol(llvm::pointerToJITTargetAddress(address),
                                  llvm::JITSymbolFlags::Exported | llvm::JITSymbolFlags::Callable);
}

/// Converts the address of a looked-up symbol into a host pointer.
inline void* ToHostPointer(llvm::orc::ExecutorAddr address) { return address.toPtr<void*>(); }

/// The level of the IR optimisation pipeline run before machine-code
/// generation. O2, as in clang's default release builds.
inline llvm::OptimizationLevel IrOptimizationLevel() { return llvm::OptimizationLevel::O2; }

}  // namespace fsql::codegen::llvm_version
