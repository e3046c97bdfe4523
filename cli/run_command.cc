#include <iostream>

#include "cli/cli_util.h"
#include "cli/commands.h"
#include "cli/rule_reloader.h"
#include "runtime/common/logging.h"

namespace fsql::cli {

namespace {

/// `fsql run --watch` and `--rules-topic`: runs the rules in a RuleSet and
/// reloads them as their texts change, until SIGINT or SIGTERM.
int RunAndReload(const Arguments& parsed, const SessionConfig& config) {
  RuleSet rules;
  RuleReloader reloader(config, parsed.positional, rules);
  if (parsed.Has("rules-topic")) {
    reloader.SubscribeRulesTopic(RulesTopicProperties(config), parsed.Get("rules-topic", ""));
  }
  InstallStopSignals();
  if (auto error = reloader.Start()) {
    std::cerr << error->rendered;
    return 2;
  }
  auto interval = std::chrono::milliseconds(parsed.GetInt("watch-interval", 500));
  if (interval.count() <= 0) throw UsageError("--watch-interval must be a positive number of milliseconds");
  auto next_poll = std::chrono::steady_clock::now() + interval;
  while (!StopRequested()) {
    if (std::chrono::steady_clock::now() >= next_poll) {
      if (parsed.Has("watch")) reloader.PollFiles();
      reloader.PollRulesTopic();
      rules.RestartFailed();
      next_poll = std::chrono::steady_clock::now() + interval;
    }
    WaitUntil([] { return false; }, std::chrono::milliseconds(50));
  }
  spdlog::info("stopping {} rule(s)", rules.List().size());
  return rules.StopAll() ? 0 : 1;
}

}  // namespace

int Run(const std::vector<std::string>& args) {
  Arguments parsed =
      Arguments::Parse(args, {"bootstrap-servers", "log-level", "rules-topic", "watch-interval"}, {"help", "watch"});
  bool reloading = parsed.Has("watch") || parsed.Has("rules-topic");
  if (parsed.Has("help") || (parsed.positional.empty() && !parsed.Has("rules-topic"))) {
    (parsed.Has("help") ? std::cout : std::cerr) << R"(usage: fsql run [--bootstrap-servers HOSTS] [-D KEY=VALUE]... [--watch] [--rules-topic TOPIC] FILE|DIR...

Runs every INSERT INTO and CREATE TABLE AS of the rule files (a directory means
its *.fsql files in name order) until SIGINT or SIGTERM, then flushes the output
and commits the consumed offsets.

  --bootstrap-servers HOSTS   Kafka bootstrap servers for tables that do not set them
  -D KEY=VALUE                a default table option, e.g. -D properties.security.protocol=SASL_SSL
  --watch                     reload the files when one is created, changed or deleted
                              (a directory is checked for new *.fsql files too)
  --watch-interval MS         how often to check the files and the rules topic (default 500)
  --rules-topic TOPIC         also take rule files from TOPIC: the key is the file name,
                              the value its text, an empty value deletes it
  --log-level LEVEL           trace, debug, info (default), warn or error

A reload plans every file again. A rule whose plan, tables or settings changed
is swapped at a batch boundary: its consumers read on from the next unread
offset and every operator whose state shape is unchanged keeps its state. A
file with an error keeps its previous version running, and a deleted rule stops.
A rule whose job fails is started again with the same text after 1 s, and the
delay doubles with each failure in a row, up to 60 s. With --watch, touching
a rule's file restarts its failed rules at once.
)";
    return parsed.Has("help") ? 0 : 2;
  }
  SetLogLevel(parsed.Get("log-level", "info"));
  LoadedRules loaded;
  if (parsed.Has("bootstrap-servers")) {
    loaded.config.default_table_options["properties.bootstrap.servers"] = parsed.Get("bootstrap-servers", "");
  }
  for (const auto& [key, value] : parsed.definitions) loaded.config.default_table_options[key] = value;
  if (reloading) return RunAndReload(parsed, loaded.config);
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
