#include <iostream>

#include "cli/cli_util.h"
#include "cli/commands.h"
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

int Explain(const std::vector<std::string>& args) {
  if (args.empty() || args[0] == "--help") {
    (args.empty() ? std::cerr : std::cout)
        << "usage: fsql explain FILE|DIR...\n\nPrints the logical plan of every rule, one operator per line, each "
           "with the row\nkinds it emits, as changelogMode=[I,UB,UA,D] (insert, update before, update after,\n"
           "delete).\n";
    return args.empty() ? 2 : 0;
  }
  LoadedRules loaded;
  if (!LoadRuleFiles(ExpandRulePaths(args), loaded)) return 2;
  for (const auto& rule : loaded.rules) {
    std::cout << fmt::format("== {} -> {}\n{}\n", rule.name, rule.sink->name, rule.plan->Explain());
  }
  return 0;
}

}  // namespace fsql::cli
