#include "compiler/codegen/llvm_module.h"

#include <llvm/Analysis/CGSCCPassManager.h>
#include <llvm/Analysis/LoopAnalysisManager.h>
#include <llvm/IR/Module.h>
#include <llvm/IR/PassManager.h>
#include <llvm/IR/Verifier.h>
#include <llvm/Passes/PassBuilder.h>
#include <llvm/Support/raw_ostream.h>
#include <llvm/Target/TargetMachine.h>

#include "compiler/codegen/llvm_version.h"

namespace fsql::codegen {

std::string PrintModule(const llvm::Module& module) {
  std::string text;
  llvm::raw_string_ostream stream(text);
  module.print(stream, nullptr);
  return stream.str();
}

void OptimizeModule(llvm::Module& module, llvm::TargetMachine& machine) {
  // Declared in this order so that they are destroyed in the reverse one, as
  // the proxies between the managers require.
  llvm::LoopAnalysisManager loops;
  llvm::FunctionAnalysisManager functions;
  llvm::CGSCCAnalysisManager cgscc;
  llvm::ModuleAnalysisManager modules;
  llvm::PassBuilder passes(&machine);
  passes.registerModuleAnalyses(modules);
  passes.registerCGSCCAnalyses(cgscc);
  passes.registerFunctionAnalyses(functions);
  passes.registerLoopAnalyses(loops);
  passes.crossRegisterProxies(loops, functions, cgscc, modules);
  llvm::ModulePassManager pipeline = passes.buildPerModuleDefaultPipeline(llvm_version::IrOptimizationLevel());
  pipeline.run(module, modules);
}

Result<LinkedModule> LinkModule(Jit& jit, std::unique_ptr<llvm::LLVMContext> context,
                                std::unique_ptr<llvm::Module> module, const std::string& function_name, bool keep_ir) {
  std::string problems;
  llvm::raw_string_ostream problem_stream(problems);
  if (llvm::verifyModule(*module, &problem_stream)) {
    return Result<LinkedModule>::Failure(
        "generated IR is invalid, a bug in fsql_codegen: " + problem_stream.str());
  }
  LinkedModule linked;
  if (keep_ir) linked.ir_before_optimization = PrintModule(*module);
  auto machine = jit.CreateTargetMachine();
  if (!machine.ok()) return Result<LinkedModule>::Failure(machine.error());
  OptimizeModule(*module, *machine.value());
  if (keep_ir) linked.ir_after_optimization = PrintModule(*module);

  auto code = jit.Load(std::move(context), std::move(module), function_name);
  if (!code.ok()) return Result<LinkedModule>::Failure(code.error());
  linked.code = std::move(code.value());
  return linked;
}

}  // namespace fsql::codegen
