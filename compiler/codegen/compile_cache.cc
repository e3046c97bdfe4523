// The process-wide cache of compiled Calcs and the codegen mode setting.
#include <algorithm>
#include <bit>
#include <cctype>
#include <future>
#include <mutex>
#include <unordered_map>

#include <fmt/format.h>

#include "compiler/codegen/calc_compiler.h"
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

class CompileCache {
 public:
  std::shared_ptr<const CompiledCalc> GetOrCompile(const ExprPtr& filter, const std::vector<ExprPtr>& projections);
  CompileCacheStats stats() const;

 private:
  using Entry = std::shared_future<std::shared_ptr<const CompiledCalc>>;

  std::shared_ptr<const CompiledCalc> CompileAndLog(const ExprPtr& filter, const std::vector<ExprPtr>& projections);

  mutable std::mutex mutex_;
  std::unordered_map<std::string, Entry> entries_;
  CompileCacheStats stats_;
};

CompileCache& Cache() {
  // Leaked on purpose, like Jit::Shared, so no compiled code is freed at exit.
  static auto* cache = new CompileCache;
  return *cache;
}

std::shared_ptr<const CompiledCalc> CompileCache::GetOrCompile(const ExprPtr& filter,
                                                               const std::vector<ExprPtr>& projections) {
  std::string key = CalcFingerprint(filter, projections);
  std::promise<std::shared_ptr<const CompiledCalc>> promise;
  Entry existing;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    auto it = entries_.find(key);
    if (it != entries_.end()) {
      ++stats_.hits;
      existing = it->second;
    } else {
      ++stats_.misses;
      entries_.emplace(key, promise.get_future().share());
    }
  }
  // Waiting happens outside the lock, so other fingerprints compile meanwhile.
  if (existing.valid()) return existing.get();
  std::shared_ptr<const CompiledCalc> compiled = CompileAndLog(filter, projections);
  promise.set_value(compiled);
  return compiled;
}

std::shared_ptr<const CompiledCalc> CompileCache::CompileAndLog(const ExprPtr& filter,
                                                                const std::vector<ExprPtr>& projections) {
  std::string failure;
  try {
    auto result = CompileCalc(filter, projections);
    if (result.ok()) {
      spdlog::debug("compiled {} in {:.2f} ms", Describe(filter, projections), result.value()->compile_millis());
      return result.value();
    }
    failure = result.error();
  } catch (const std::exception& error) {
    // Only a bug in fsql_codegen or an exhausted heap gets here; the
    // interpreter still gives correct results.
    failure = fmt::format("compiling {} failed: {}", Describe(filter, projections), error.what());
  }
  spdlog::info("Calc runs on the interpreter because {}", failure);
  std::lock_guard<std::mutex> lock(mutex_);
  ++stats_.failures;
  return nullptr;
}

CompileCacheStats CompileCache::stats() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return stats_;
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
  return Cache().GetOrCompile(filter, projections);
}

CompileCacheStats GetCompileCacheStats() { return Cache().stats(); }

CalcOperator::Compiler CachedCalcCompiler() {
  return [](const ExprPtr& filter, const std::vector<ExprPtr>& projections) -> std::shared_ptr<const CalcOperator::Compiled> {
    return CompileCalcCached(filter, projections);
  };
}

}  // namespace fsql::codegen
