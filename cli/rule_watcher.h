// Watched rules inside `fsql repl --watch`: a RuleReloader and its RuleSet,
// polled on a thread of their own while the prompt waits for input.
#pragma once

#include <chrono>
#include <condition_variable>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "cli/rule_reloader.h"

namespace fsql::cli {

struct RuleWatcherOptions {
  std::vector<std::string> paths;  // watched files and directories
  bool watch_files = true;         // false: load `paths` once and follow only the rules topic
  std::optional<std::string> rules_topic;
  std::chrono::milliseconds interval{500};
};

class RuleWatcher {
 public:
  RuleWatcher(SessionConfig config, RuleWatcherOptions options);
  /// Stops polling and stops every rule.
  ~RuleWatcher();

  /// Loads the rules, starts them and starts polling. Returns the error of a
  /// file that does not load, and then nothing runs. Throws ConnectorError
  /// when the rules topic cannot be read.
  std::optional<LoadError> Start();

  /// Stops polling, then stops every rule, flushing its output and committing
  /// its offsets. Returns false when some job had failed.
  bool Stop();

  std::vector<RuleInfo> List() const { return rules_.List(); }
  std::vector<RuleInfo> Stopped() const { return rules_.Stopped(); }
  std::map<std::string, RuleTextError> Errors() const { return reloader_.Errors(); }
  /// The rules in force and the catalog of the tables and views they declare, as RuleReloader::Loaded describes.
  std::shared_ptr<const LoadedRules> Loaded() const { return reloader_.Loaded(); }

 private:
  void PollLoop();

  RuleWatcherOptions options_;
  RuleSet rules_;
  RuleReloader reloader_;
  std::thread thread_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
};

}  // namespace fsql::cli
