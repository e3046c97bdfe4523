#include "cli/rule_watcher.h"

#include "runtime/common/logging.h"

namespace fsql::cli {

RuleWatcher::RuleWatcher(SessionConfig config, RuleWatcherOptions options)
    : options_(std::move(options)), reloader_(config, options_.paths, rules_) {
  if (options_.rules_topic) reloader_.SubscribeRulesTopic(RulesTopicProperties(config), *options_.rules_topic);
}

RuleWatcher::~RuleWatcher() { Stop(); }

std::optional<LoadError> RuleWatcher::Start() {
  if (auto error = reloader_.Start()) return error;
  thread_ = std::thread([this] { PollLoop(); });
  return std::nullopt;
}

bool RuleWatcher::Stop() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
  return rules_.StopAll();
}

void RuleWatcher::PollLoop() {
  std::unique_lock<std::mutex> lock(mutex_);
  while (!wake_.wait_for(lock, options_.interval, [this] { return stopping_; })) {
    lock.unlock();
    // A poll that throws, for example when the rules topic's consumer fails,
    // is logged and tried again at the next interval; the rules keep running.
    try {
      if (options_.watch_files) reloader_.PollFiles();
      reloader_.PollRulesTopic();
      rules_.RestartFailed();
    } catch (const Error& error) {
      spdlog::error("reload: checking the watched rules failed, trying again in {} ms: {}",
                    options_.interval.count(), error.what());
    }
    lock.lock();
  }
}

}  // namespace fsql::cli
