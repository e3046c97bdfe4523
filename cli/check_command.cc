#include <iostream>

#include "cli/cli_util.h"
#include "cli/commands.h"
#include "compiler/codegen/calc_compiler.h"
#include "cli/rule_loader.h"

namespace fsql::cli {

int Check(const std::vector<std::string>& args) {
  if (args.empty() || args[0] == "--help") {
    (args.empty() ? std::cerr : std::cout)
        << "usage: fsql check FILE|DIR...\n\nParses, binds and plans the rule files in order and reports the first "
           "error\nwith file:line:col, the line with a caret and a hint. Exits 0 when every file loads.\n";
    return args.empty() ? 2 : 0;
  }
  LoadedRules loaded;
  if (!LoadRuleFiles(ExpandRulePaths(args), loaded)) return 2;
  std::cout << fmt::format("ok: {} tables, {} rules\n", loaded.catalog.TableNames().size(), loaded.rules.size());
  for (const auto& rule : loaded.rules) {
    std::cout << fmt::format("  {} -> {} ({})\n", rule.name, rule.sink->name,
                             ChangelogModeName(rule.sink->changelog_mode));
  }
  return 0;
}

namespace {

/// Prints, for every Calc of `node` and its inputs, whether it compiles to
/// native code, and with `ir` the LLVM IR before and after optimisation.
void ExplainCodegen(const PlanNode& node, bool ir, int depth) {
  std::string indent(static_cast<size_t>(depth) * 2, ' ');
  if (node.kind == PlanKind::kCalc) {
    codegen::CompileOptions options;
    options.keep_ir = ir;
    auto compiled = codegen::CompileCalc(node.filter, node.projections, options);
    if (compiled.ok()) {
      std::cout << fmt::format("{}Calc: compiled to {} in {:.1f} ms\n", indent, compiled.value()->function_name(),
                               compiled.value()->compile_millis());
      if (ir) {
        std::cout << "; IR before optimisation\n" << compiled.value()->ir_before_optimization() << "\n";
        std::cout << "; IR after optimisation\n" << compiled.value()->ir_after_optimization() << "\n";
      }
    } else {
      std::cout << fmt::format("{}Calc: interpreted, because {}\n", indent, compiled.error());
    }
  } else if (node.kind == PlanKind::kScan) {
    std::cout << fmt::format("{}Scan of {}: records decoded by the JSON reader, not compiled\n", indent,
                             node.table->name);
  } else {
    // TODO: stateful operators evaluate their expressions with the interpreter until their per-row parts compile.
    std::string description = node.Explain();
    std::cout << indent << description.substr(0, description.find('(')) << ": interpreted\n";
  }
  for (const auto& input : node.inputs) ExplainCodegen(*input, ir, depth + 1);
}

}  // namespace

int Explain(const std::vector<std::string>& args) {
  Arguments parsed = Arguments::Parse(args, {}, {"help", "codegen", "ir"});
  if (parsed.Has("help") || parsed.positional.empty()) {
    (parsed.Has("help") ? std::cout : std::cerr)
        << "usage: fsql explain [--codegen [--ir]] FILE|DIR...\n\nPrints the logical plan of every rule, one "
           "operator per line, each with the row\nkinds it emits, as changelogMode=[I,UB,UA,D] (insert, update "
           "before, update after,\ndelete). --codegen prints instead which operators run compiled code, and --ir "
           "adds\nthe LLVM IR of each compiled Calc before and after optimisation.\n";
    return parsed.Has("help") ? 0 : 2;
  }
  LoadedRules loaded;
  if (!LoadRuleFiles(ExpandRulePaths(parsed.positional), loaded)) return 2;
  for (const auto& rule : loaded.rules) {
    std::cout << fmt::format("== {} -> {}\n", rule.name, rule.sink ? rule.sink->name : "(query)");
    if (parsed.Has("codegen")) {
      ExplainCodegen(*rule.plan, parsed.Has("ir"), 0);
      std::cout << "\n";
    } else {
      std::cout << rule.plan->Explain() << "\n";
    }
  }
  return 0;
}

}  // namespace fsql::cli
