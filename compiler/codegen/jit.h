// The LLVM ORC JIT (LLJIT) that turns the modules of fsql_codegen into
// callable machine code.
//
// Threading: Create, Shared and Load may be called from any thread. Load holds
// a lock while it links a module, because LLJIT without compile threads
// generates code with one shared TargetMachine. Building and optimising a
// module needs no lock, so callers do that in parallel, each module in its own
// LLVMContext.
//
// Lifetime: compiled code stays valid while the JitCode that Load returned is
// alive. Destroying the JitCode frees the machine code, and any function
// pointer taken from it becomes invalid. A JitCode keeps its Jit alive, so code
// never outlives the JIT that linked it.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

namespace llvm {
class LLVMContext;
class Module;
class TargetMachine;
}  // namespace llvm

namespace fsql::codegen {

/// A value, or the message saying why it could not be produced. LLVM failures
/// travel as Results, so no exception crosses LLVM code.
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : value_(std::move(value)) {}
  static Result Failure(std::string message) {
    Result result;
    result.error_ = std::move(message);
    return result;
  }

  bool ok() const { return value_.has_value(); }
  T& value() { return *value_; }
  const T& value() const { return *value_; }
  /// The failure message; empty when ok().
  const std::string& error() const { return error_; }

 private:
  Result() = default;

  std::optional<T> value_;
  std::string error_;
};

class Jit;

/// Machine code of one module linked into a Jit. Frees the code when destroyed.
class JitCode {
 public:
  struct Resources;

  JitCode(std::unique_ptr<Resources> resources, void* address);
  ~JitCode();
  JitCode(const JitCode&) = delete;
  JitCode& operator=(const JitCode&) = delete;

  /// The address of the function that Load looked up.
  void* address() const { return address_; }
  /// Bytes of machine code in the module's executable sections.
  uint64_t code_bytes() const { return code_bytes_; }
  void set_code_bytes(uint64_t bytes) { code_bytes_ = bytes; }

 private:
  std::unique_ptr<Resources> resources_;
  void* address_;
  uint64_t code_bytes_ = 0;
};

class Jit : public std::enable_shared_from_this<Jit> {
 public:
  /// Creates a JIT for the host CPU with the runtime helpers of
  /// runtime_helpers.h defined. Returns LLVM's message when the host cannot
  /// be targeted.
  static Result<std::shared_ptr<Jit>> Create();

  /// Returns the JIT shared by the whole process, created on first use. A
  /// creation failure is returned to every caller and not retried.
  static Result<std::shared_ptr<Jit>> Shared();

  ~Jit();

  /// Sets the data layout and target triple that Load requires of a module.
  void PrepareModule(llvm::Module& module) const;

  /// Creates a TargetMachine for the host, for the optimisation passes of one
  /// compilation. Each compilation needs its own, since TargetMachine is not
  /// thread-safe.
  Result<std::unique_ptr<llvm::TargetMachine>> CreateTargetMachine() const;

  /// Links `module`, which lives in `context`, and returns the code with the
  /// address of its function `function_name`.
  Result<std::unique_ptr<JitCode>> Load(std::unique_ptr<llvm::LLVMContext> context,
                                        std::unique_ptr<llvm::Module> module,
                                        const std::string& function_name);

  /// Returns the address of another function `function_name` of a module
  /// that Load linked. The address is valid while that module's JitCode lives.
  Result<void*> LookUp(const std::string& function_name);

  /// Returns `prefix` with a suffix that no earlier call returned, because all
  /// modules share one symbol namespace.
  std::string UniqueName(std::string_view prefix);

  /// Number of modules currently linked.
  int64_t loaded_module_count() const;

 private:
  struct State;
  explicit Jit(std::unique_ptr<State> state);
  friend class JitCode;

  std::unique_ptr<State> state_;
};

}  // namespace fsql::codegen
