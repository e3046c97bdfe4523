#include <iostream>

#include "cli/commands.h"
#include "cli/rule_loader.h"

namespace fsql::cli {

int Check(const std::vector<std::string>& args) {
  if (args.empty()) {
    std::cerr << "usage: fsql check FILE|DIR...\n";
    return 2;
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
  if (args.empty()) {
    std::cerr << "usage: fsql explain FILE|DIR...\n";
    return 2;
  }
  LoadedRules loaded;
  if (!LoadRuleFiles(ExpandRulePaths(args), loaded)) return 2;
  for (const auto& rule : loaded.rules) {
    std::cout << fmt::format("== {} -> {}\n{}\n", rule.name, rule.sink->name, rule.plan->Explain());
  }
  return 0;
}

}  // namespace fsql::cli
