// The process-wide caches of compiled Calcs and keys, and the codegen mode setting.
#include <algorithm>
#include <bit>
#include <cctype>
#include <deque>
#include <functional>
#include <future>
#include <mutex>
#include <unordered_map>

#include <fmt/format.h>

#include "compiler/codegen/aggregate_compiler.h"
#include "compiler/codegen/calc_compiler.h"
#include "compiler/codegen/key_compiler.h"
#include "runtime/common/logging.h"

namespace fsql::codegen {

namespace {

void AppendLiteral(const Value& value, const DataType& type, std::string& out) {
  if (value.is_null()) {
    out += "null";
  } else if (value.is_bool()) {
    out += value.as_bool() ? "b1" : "b0";
  } else if (value.is_int()) {
    out += fmt::format("i{}", value.as_int());
  } else if (value.is_double()) {
    // The bits tell 0.0 from -0.0 and keep NaN payloads apart.
    out += fmt::format("d{:x}", std::bit_cast<uint64_t>(value.as_double()));
  } else if (value.is_string()) {
    // Length-prefixed, so no string can imitate the text that follows it.
    out += fmt::format("s{}:", value.as_string().size());
    out += value.as_string();
  } else {
    out += "r" + value.ToString(type);
  }
}

void AppendFingerprint(const Expr& expr, std::string& out) {
  out += fmt::format("({} {}", static_cast<int>(expr.kind), expr.type.ToString());
  switch (expr.kind) {
    case ExprKind::kLiteral:
      out += ' ';
      AppendLiteral(expr.literal, expr.type, out);
      break;
    case ExprKind::kInputRef:
    case ExprKind::kFieldAccess:
      out += fmt::format(" #{}", expr.index);
      break;
    case ExprKind::kCall:
      out += fmt::format(" {}:{} {}:{} {}:{}", expr.function.size(), expr.function, expr.time_unit.size(),
                         expr.time_unit, expr.time_zone.size(), expr.time_zone);
      for (const std::string& modifier : expr.modifiers) out += fmt::format(" {}:{}", modifier.size(), modifier);
      break;
    case ExprKind::kCast:
      out += expr.safe ? " try" : "";
      break;
  }
  for (const ExprPtr& arg : expr.args) AppendFingerprint(*arg, out);
  out += ')';
}

/// Describes a Calc for log lines, cut to 200 characters.
std::string Describe(const ExprPtr& filter, const std::vector<ExprPtr>& projections) {
  std::vector<std::string> parts;
  for (const ExprPtr& projection : projections) parts.push_back(projection->ToString());
  std::string text = fmt::format("Calc({}{})", filter ? "where=" + filter->ToString() + ", " : "", fmt::join(parts, ", "));
  constexpr size_t kMaxLength = 200;
  if (text.size() > kMaxLength) text = text.substr(0, kMaxLength) + "...";
  return text;
}

/// Compiled code of one kind (Calcs or keys) by fingerprint. The code is
/// owned by the operators that run it and by `recent_`, and is freed when
/// neither references it any more.
template <typename Compiled>
class CompileCache {
 public:
  /// Compiles, or returns nullptr after logging why it could not.
  using Compile = std::function<std::shared_ptr<const Compiled>()>;

  std::shared_ptr<const Compiled> GetOrCompile(const std::string& key, const Compile& compile);
  CompileCacheStats stats() const;
  void set_retained(size_t count);

 private:
  struct Entry {
    // Set while the first request compiles; later requests wait on it.
    std::shared_future<std::shared_ptr<const Compiled>> pending;
    std::weak_ptr<const Compiled> compiled;
    bool failed = false;  // the code does not compile; its operator stays interpreted
  };

  /// Keeps `compiled` among the most recently used entries. Caller holds mutex_.
  void Retain(const std::shared_ptr<const Compiled>& compiled);
  /// Forgets entries whose code has been freed. Caller holds mutex_.
  void DropFreed();

  mutable std::mutex mutex_;
  std::unordered_map<std::string, Entry> entries_;
  // Strong references to the last `retained_` entries requested, so that a
  // rule stopped and started again (a reload) finds its code still compiled.
  std::deque<std::shared_ptr<const Compiled>> recent_;
  size_t retained_ = 64;
  size_t sweep_at_ = 256;
  CompileCacheStats stats_;
};

CompileCache<CompiledCalc>& CalcCache() {
  // Leaked on purpose, like Jit::Shared, so no compiled code is freed at exit.
  static auto* cache = new CompileCache<CompiledCalc>;
  return *cache;
}

CompileCache<CompiledKeyFunction>& KeyCache() {
  static auto* cache = new CompileCache<CompiledKeyFunction>;
  return *cache;
}

CompileCache<CompiledAccumulateFunction>& AccumulateCache() {
  static auto* cache = new CompileCache<CompiledAccumulateFunction>;
  return *cache;
}

template <typename Compiled>
std::shared_ptr<const Compiled> CompileCache<Compiled>::GetOrCompile(const std::string& key, const Compile& compile) {
  std::promise<std::shared_ptr<const Compiled>> promise;
  std::shared_future<std::shared_ptr<const Compiled>> waiting;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    auto it = entries_.find(key);
    if (it != entries_.end()) {
      Entry& entry = it->second;
      if (entry.failed) {
        ++stats_.hits;
        return nullptr;
      }
      if (entry.pending.valid()) {
        ++stats_.hits;
        waiting = entry.pending;
      } else if (auto compiled = entry.compiled.lock()) {
        ++stats_.hits;
        Retain(compiled);
        return compiled;
      }
    }
    if (!waiting.valid()) {
      // Never compiled, or compiled and freed since: compile (again).
      ++stats_.misses;
      entries_[key] = Entry{promise.get_future().share(), {}, false};
    }
  }
  // Waiting happens outside the lock, so other fingerprints compile meanwhile.
  if (waiting.valid()) return waiting.get();
  std::shared_ptr<const Compiled> compiled = compile();
  {
    std::lock_guard<std::mutex> lock(mutex_);
    Entry& entry = entries_[key];
    entry.pending = {};
    entry.compiled = compiled;
    entry.failed = compiled == nullptr;
    if (compiled) {
      Retain(compiled);
    } else {
      ++stats_.failures;
    }
    if (entries_.size() >= sweep_at_) DropFreed();
  }
  promise.set_value(compiled);
  return compiled;
}

template <typename Compiled>
void CompileCache<Compiled>::Retain(const std::shared_ptr<const Compiled>& compiled) {
  auto it = std::find(recent_.begin(), recent_.end(), compiled);
  if (it != recent_.end()) recent_.erase(it);
  recent_.push_front(compiled);
  while (recent_.size() > retained_) recent_.pop_back();
}

template <typename Compiled>
void CompileCache<Compiled>::DropFreed() {
  for (auto it = entries_.begin(); it != entries_.end();) {
    const Entry& entry = it->second;
    bool freed = !entry.failed && !entry.pending.valid() && entry.compiled.expired();
    it = freed ? entries_.erase(it) : std::next(it);
  }
  sweep_at_ = std::max<size_t>(256, entries_.size() * 2);
}

template <typename Compiled>
void CompileCache<Compiled>::set_retained(size_t count) {
  std::lock_guard<std::mutex> lock(mutex_);
  retained_ = count;
  while (recent_.size() > retained_) recent_.pop_back();
}

template <typename Compiled>
CompileCacheStats CompileCache<Compiled>::stats() const {
  std::lock_guard<std::mutex> lock(mutex_);
  CompileCacheStats stats = stats_;
  stats.live = 0;
  for (const auto& [key, entry] : entries_) stats.live += entry.compiled.expired() ? 0 : 1;
  return stats;
}

std::shared_ptr<const CompiledCalc> CompileCalcAndLog(const ExprPtr& filter, const std::vector<ExprPtr>& projections) {
  std::string failure;
  try {
    auto result = CompileCalc(filter, projections);
    if (result.ok()) {
      spdlog::debug("compiled {} in {:.2f} ms to {} bytes", Describe(filter, projections),
                    result.value()->compile_millis(), result.value()->code_bytes());
      return result.value();
    }
    failure = result.error();
  } catch (const std::exception& error) {
    // Only a bug in fsql_codegen or an exhausted heap gets here; the
    // interpreter still gives correct results.
    failure = fmt::format("compiling {} failed: {}", Describe(filter, projections), error.what());
  }
  spdlog::info("Calc runs on the interpreter because {}", failure);
  return nullptr;
}

std::shared_ptr<const CompiledKeyFunction> CompileKeyAndLog(const std::vector<int>& columns,
                                                            const std::vector<DataType>& types) {
  std::string failure;
  try {
    auto result = CompileKey(columns, types);
    if (result.ok()) {
      spdlog::debug("compiled {} in {:.2f} ms to {} bytes", KeyFingerprint(columns, types),
                    result.value()->compile_millis(), result.value()->code_bytes());
      return result.value();
    }
    failure = result.error();
  } catch (const std::exception& error) {
    failure = fmt::format("compiling {} failed: {}", KeyFingerprint(columns, types), error.what());
  }
  spdlog::error("{} is encoded by the interpreter because {}", KeyFingerprint(columns, types), failure);
  return nullptr;
}

}  // namespace

std::optional<CalcOperator::CodegenMode> ParseCodegenMode(std::string_view text) {
  std::string lower(text);
  std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
  if (lower == "auto") return CalcOperator::CodegenMode::kAuto;
  if (lower == "jit") return CalcOperator::CodegenMode::kJit;
  if (lower == "interpret") return CalcOperator::CodegenMode::kInterpret;
  return std::nullopt;
}

std::string CalcFingerprint(const ExprPtr& filter, const std::vector<ExprPtr>& projections) {
  std::string out = "where";
  if (filter) AppendFingerprint(*filter, out);
  out += " select";
  for (const ExprPtr& projection : projections) AppendFingerprint(*projection, out);
  return out;
}

std::shared_ptr<const CompiledCalc> CompileCalcCached(const ExprPtr& filter, const std::vector<ExprPtr>& projections) {
  return CalcCache().GetOrCompile(CalcFingerprint(filter, projections),
                                  [&] { return CompileCalcAndLog(filter, projections); });
}

CompileCacheStats GetCompileCacheStats() { return CalcCache().stats(); }

void SetCompileCacheRetention(size_t count) {
  CalcCache().set_retained(count);
  KeyCache().set_retained(count);
  AccumulateCache().set_retained(count);
}

std::shared_ptr<const CompiledKeyFunction> CompileKeyCached(const std::vector<int>& columns,
                                                           const std::vector<DataType>& types) {
  return KeyCache().GetOrCompile(KeyFingerprint(columns, types), [&] { return CompileKeyAndLog(columns, types); });
}

CompileCacheStats GetKeyCompileCacheStats() { return KeyCache().stats(); }

std::string AccumulateFingerprint(const std::vector<GroupAggregateSpec::Aggregate>& aggregates) {
  std::string out = "accumulate";
  for (const auto& aggregate : aggregates) {
    out += fmt::format(" [{}:{}{} {}", aggregate.function.size(), aggregate.function, aggregate.distinct ? " distinct" : "",
                       aggregate.type.ToString());
    out += " arg";
    if (aggregate.argument) AppendFingerprint(*aggregate.argument, out);
    out += " filter";
    if (aggregate.filter) AppendFingerprint(*aggregate.filter, out);
    out += ']';
  }
  return out;
}

std::shared_ptr<const CompiledAccumulateFunction> CompileAccumulateCached(
    const std::vector<GroupAggregateSpec::Aggregate>& aggregates) {
  return AccumulateCache().GetOrCompile(AccumulateFingerprint(aggregates), [&]() -> std::shared_ptr<const CompiledAccumulateFunction> {
    std::string failure;
    try {
      auto result = CompileAccumulate(aggregates);
      if (result.ok()) {
        spdlog::debug("compiled {} in {:.2f} ms to {} bytes", AccumulateFingerprint(aggregates),
                      result.value()->compile_millis(), result.value()->code_bytes());
        return result.value();
      }
      failure = result.error();
    } catch (const std::exception& error) {
      failure = error.what();
    }
    spdlog::info("aggregates run on the interpreter because {}", failure);
    return nullptr;
  });
}

AccumulateCompiler CachedAccumulateCompiler() {
  return [](const std::vector<GroupAggregateSpec::Aggregate>& aggregates) -> std::shared_ptr<const CompiledAccumulate> {
    return CompileAccumulateCached(aggregates);
  };
}

KeyCompiler CachedKeyCompiler() {
  return [](const std::vector<int>& columns, const std::vector<DataType>& types) -> std::shared_ptr<const CompiledKey> {
    return CompileKeyCached(columns, types);
  };
}

CalcOperator::Compiler CachedCalcCompiler() {
  return [](const ExprPtr& filter, const std::vector<ExprPtr>& projections) -> std::shared_ptr<const CalcOperator::Compiled> {
    return CompileCalcCached(filter, projections);
  };
}

}  // namespace fsql::codegen
