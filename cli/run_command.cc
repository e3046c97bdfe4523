#include <iostream>

#include "cli/cli_util.h"
#include "cli/commands.h"
#include "runtime/common/logging.h"

namespace fsql::cli {

int Run(const std::vector<std::string>& args) {
  Arguments parsed = Arguments::Parse(args, {"bootstrap-servers", "log-level"}, {"help"});
  if (parsed.Has("help") || parsed.positional.empty()) {
    (parsed.Has("help") ? std::cout : std::cerr) << R"(usage: fsql run [--bootstrap-servers HOSTS] [-D KEY=VALUE]... FILE|DIR...

Runs every INSERT INTO and CREATE TABLE AS of the rule files (a directory means
its *.fsql files in name order) until SIGINT or SIGTERM, then flushes the output
and commits the consumed offsets.

  --bootstrap-servers HOSTS   Kafka bootstrap servers for tables that do not set them
  -D KEY=VALUE                a default table option, e.g. -D properties.security.protocol=SASL_SSL
  --log-level LEVEL           trace, debug, info (default), warn or error
)";
    return parsed.Has("help") ? 0 : 2;
  }
  SetLogLevel(parsed.Get("log-level", "info"));
  LoadedRules loaded;
  if (parsed.Has("bootstrap-servers")) {
    loaded.config.default_table_options["properties.bootstrap.servers"] = parsed.Get("bootstrap-servers", "");
  }
  for (const auto& [key, value] : parsed.definitions) loaded.config.default_table_options[key] = value;
  if (!LoadRuleFiles(ExpandRulePaths(parsed.positional), loaded)) return 2;
  if (loaded.rules.empty()) {
    std::cerr << "error: the files define tables but no INSERT INTO or CREATE TABLE AS rule to run\n";
    return 2;
  }
  RequireBootstrapServers(loaded);

  InstallStopSignals();
  auto jobs = StartRules(loaded);
  auto all_failed = [&] {
    for (const auto& job : jobs) {
      if (job->status().state != JobState::kFailed) return false;
    }
    return true;
  };
  WaitUntil(all_failed, std::nullopt);
  spdlog::info("stopping {} rule(s)", jobs.size());
  int exit_code = 0;
  for (auto& job : jobs) {
    job->Stop();
    JobStatus status = job->status();
    if (status.state == JobState::kFailed) exit_code = 1;
  }
  return exit_code;
}

}  // namespace fsql::cli
