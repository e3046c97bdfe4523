#include "runtime/job/rule_set.h"

#include <algorithm>
#include <set>

#include "runtime/common/logging.h"

namespace fsql {

namespace {

std::string ListOrNone(const std::vector<std::string>& items) {
  return items.empty() ? std::string("none") : fmt::format("{}", fmt::join(items, ", "));
}

RuleChange MakeChange(RuleChange::Kind kind, const std::string& id, const std::string& origin,
                      const std::string& error = "") {
  RuleChange change;
  change.kind = kind;
  change.id = id;
  change.origin = origin;
  change.error = error;
  return change;
}

std::vector<std::string> SplitLines(const std::string& text) {
  std::vector<std::string> lines;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    lines.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return lines;
}

}  // namespace

std::vector<std::string> DiffLines(const std::string& before, const std::string& after) {
  // A longest common subsequence over lines: plans are a few dozen lines long,
  // so the quadratic table is small.
  std::vector<std::string> old_lines = SplitLines(before);
  std::vector<std::string> new_lines = SplitLines(after);
  size_t n = old_lines.size();
  size_t m = new_lines.size();
  std::vector<std::vector<int>> common(n + 1, std::vector<int>(m + 1, 0));
  for (size_t i = n; i-- > 0;) {
    for (size_t j = m; j-- > 0;) {
      common[i][j] = old_lines[i] == new_lines[j] ? common[i + 1][j + 1] + 1
                                                  : std::max(common[i + 1][j], common[i][j + 1]);
    }
  }
  std::vector<std::string> diff;
  size_t i = 0;
  size_t j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && old_lines[i] == new_lines[j]) {
      ++i;
      ++j;
    } else if (j == m || (i < n && common[i + 1][j] >= common[i][j + 1])) {
      diff.push_back("- " + old_lines[i++]);
    } else {
      diff.push_back("+ " + new_lines[j++]);
    }
  }
  return diff;
}

std::string DescribeRuleChange(const RuleChange& change) {
  std::string rule = change.origin.empty() ? change.id : fmt::format("{} ({})", change.id, change.origin);
  switch (change.kind) {
    case RuleChange::Kind::kStarted:
      return fmt::format("started rule {}", rule);
    case RuleChange::Kind::kRestarted:
      return fmt::format("started rule {} again with empty state, because its previous version had failed", rule);
    case RuleChange::Kind::kStopped:
      return fmt::format("stopped rule {}, because it is no longer defined", rule);
    case RuleChange::Kind::kFailed:
      return fmt::format("kept the previous version of rule {}: {}", rule, change.error);
    case RuleChange::Kind::kRetried:
      return fmt::format("started rule {} again after its job failed (restart {}): a new job with empty state "
                         "reads each table from its 'scan.startup.mode' position, as after a process restart; "
                         "the job had failed with: {}",
                         rule, change.attempt, change.error);
    case RuleChange::Kind::kReplaced: {
      const ReplaceReport& report = change.report;
      std::string out = fmt::format("replaced rule {}: kept state of {}; reset {}", rule,
                                    ListOrNone(report.kept_state), ListOrNone(report.reset_state));
      if (!report.reset_state.empty()) out += ", which start empty at the offsets where reading goes on";
      if (!report.dropped_state.empty()) out += fmt::format("; dropped the state of {}", ListOrNone(report.dropped_state));
      out += fmt::format("; reading on: {}", ListOrNone(report.continued_sources));
      if (!report.new_sources.empty()) {
        out += fmt::format("; new sources at their startup position: {}", ListOrNone(report.new_sources));
      }
      if (!report.stopped_sources.empty()) out += fmt::format("; no longer reading {}", ListOrNone(report.stopped_sources));
      return out;
    }
  }
  return rule;
}

RuleSet::~RuleSet() { StopAll(); }

void RuleSet::Add(RuleVersion rule) {
  std::lock_guard<std::mutex> lock(mutex_);
  AddLocked(std::move(rule));
}

void RuleSet::AddLocked(RuleVersion rule) {
  for (const auto& running : rules_) {
    if (running.version.id == rule.id) throw Error(fmt::format("a rule with id '{}' is already running", rule.id));
  }
  if (rule.name.empty()) rule.name = rule.id;
  auto job = std::make_unique<RuleJob>(rule.name, rule.build(), rule.options);
  job->Start();
  RuleChange change = MakeChange(RuleChange::Kind::kStarted, rule.id, rule.origin);
  Running running;
  running.version = std::move(rule);
  running.job = std::move(job);
  running.started = std::chrono::system_clock::now();
  running.job_started = std::chrono::steady_clock::now();
  NoteChange(running, change);
  std::erase_if(stopped_, [&](const RuleInfo& old) { return old.id == running.version.id; });
  rules_.push_back(std::move(running));
}

void RuleSet::NoteChange(Running& running, const RuleChange& change) {
  running.change = change;
  running.changed = std::chrono::system_clock::now();
}

RuleChange RuleSet::Replace(RuleVersion rule) {
  std::lock_guard<std::mutex> lock(mutex_);
  return ReplaceLocked(std::move(rule));
}

RuleChange RuleSet::ReplaceLocked(RuleVersion rule) {
  auto it = std::find_if(rules_.begin(), rules_.end(), [&](const Running& r) { return r.version.id == rule.id; });
  if (it == rules_.end()) throw Error(fmt::format("no running rule has id '{}'", rule.id));
  rule.name = it->version.name;
  RuleChange change;
  change.id = rule.id;
  change.origin = rule.origin;
  change.plan_diff = DiffLines(it->version.fingerprint, rule.fingerprint);
  Pipeline pipeline = rule.build();
  if (it->job->status().state == JobState::kRunning) {
    change.kind = RuleChange::Kind::kReplaced;
    change.report = it->job->Replace(std::move(pipeline), rule.options);
  } else {
    // A failed job has closed its consumers, so there is nothing to continue from.
    change.kind = RuleChange::Kind::kRestarted;
    it->job->Stop();
    auto job = std::make_unique<RuleJob>(rule.name, std::move(pipeline), rule.options);
    job->Start();
    it->job = std::move(job);
    it->job_started = std::chrono::steady_clock::now();
    it->failed_restarts = 0;
    it->restart_at.reset();
  }
  it->version = std::move(rule);
  NoteChange(*it, change);
  return change;
}

bool RuleSet::Remove(const std::string& id) {
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = std::find_if(rules_.begin(), rules_.end(), [&](const Running& r) { return r.version.id == id; });
  if (it == rules_.end()) return false;
  StopLocked(*it, MakeChange(RuleChange::Kind::kStopped, it->version.id, it->version.origin));
  rules_.erase(it);
  return true;
}

void RuleSet::StopLocked(Running& running, const RuleChange& change) {
  running.job->Stop();
  running.restart_at.reset();
  NoteChange(running, change);
  RuleInfo info = InfoOf(running, std::chrono::steady_clock::now());
  std::erase_if(stopped_, [&](const RuleInfo& old) { return old.id == info.id; });
  stopped_.push_back(std::move(info));
  // A long session that deletes many rules keeps only the latest ones.
  constexpr size_t kMaxStopped = 100;
  if (stopped_.size() > kMaxStopped) stopped_.erase(stopped_.begin());
}

std::vector<RuleChange> RuleSet::Sync(std::vector<RuleVersion> rules) {
  std::lock_guard<std::mutex> lock(mutex_);
  std::vector<RuleChange> changes;
  std::set<std::string> wanted;
  for (const auto& rule : rules) wanted.insert(rule.id);

  for (auto it = rules_.begin(); it != rules_.end();) {
    if (wanted.count(it->version.id)) {
      ++it;
      continue;
    }
    changes.push_back(MakeChange(RuleChange::Kind::kStopped, it->version.id, it->version.origin));
    StopLocked(*it, changes.back());
    it = rules_.erase(it);
  }

  for (auto& rule : rules) {
    auto it = std::find_if(rules_.begin(), rules_.end(), [&](const Running& r) { return r.version.id == rule.id; });
    if (it != rules_.end() && it->version.fingerprint == rule.fingerprint) {
      // The origin may move (lines added above the rule) without changing the rule.
      it->version.origin = rule.origin;
      continue;
    }
    std::string id = rule.id;
    std::string origin = rule.origin;
    try {
      if (it == rules_.end()) {
        AddLocked(std::move(rule));
        changes.push_back(MakeChange(RuleChange::Kind::kStarted, id, origin));
      } else {
        changes.push_back(ReplaceLocked(std::move(rule)));
      }
    } catch (const Error& error) {
      changes.push_back(MakeChange(RuleChange::Kind::kFailed, id, origin, error.what()));
    }
  }

  for (const auto& change : changes) {
    if (change.kind == RuleChange::Kind::kFailed) {
      spdlog::error("reload: {}", DescribeRuleChange(change));
    } else {
      spdlog::info("reload: {}", DescribeRuleChange(change));
    }
  }
  return changes;
}

std::vector<RuleChange> RuleSet::RestartFailed() {
  std::lock_guard<std::mutex> lock(mutex_);
  std::vector<RuleChange> changes;
  auto now = std::chrono::steady_clock::now();
  for (auto& running : rules_) {
    JobStatus status = running.job->status();
    if (status.state != JobState::kFailed) continue;
    const RuleVersion& version = running.version;
    if (!running.restart_at) {
      if (now - running.job_started >= restart_policy_.healthy_after) running.failed_restarts = 0;
      // The loop stops doubling at the maximum, so the delay cannot overflow.
      auto delay = restart_policy_.initial_delay;
      for (int i = 0; i < running.failed_restarts && delay < restart_policy_.max_delay; ++i) delay *= 2;
      delay = std::min(delay, restart_policy_.max_delay);
      running.restart_at = now + delay;
      spdlog::warn("reload: rule {} ({}) failed; restart {} in {} ms", version.id, version.origin,
                   running.failed_restarts + 1, delay.count());
      continue;
    }
    if (now < *running.restart_at) continue;

    RuleChange change;
    change.id = version.id;
    change.origin = version.origin;
    change.attempt = ++running.failed_restarts;
    running.restart_at.reset();
    running.job_started = now;
    try {
      // The failed job has closed its clients, so stopping it only joins its thread.
      running.job->Stop();
      auto job = std::make_unique<RuleJob>(version.name, version.build(), version.options);
      job->Start();
      running.job = std::move(job);
      change.kind = RuleChange::Kind::kRetried;
      change.error = status.error;
      NoteChange(running, change);
      spdlog::info("reload: {}", DescribeRuleChange(change));
    } catch (const Error& error) {
      // The old job stays in place as failed, so the next call schedules a longer delay.
      change.kind = RuleChange::Kind::kFailed;
      change.error = fmt::format("restart {} did not start: {}", change.attempt, error.what());
      spdlog::error("reload: rule {} ({}): {}", version.id, version.origin, change.error);
    }
    changes.push_back(std::move(change));
  }
  return changes;
}

size_t RuleSet::RestartFailedNow(const std::string& file) {
  std::lock_guard<std::mutex> lock(mutex_);
  size_t count = 0;
  for (auto& running : rules_) {
    const std::string& origin = running.version.origin;
    if (origin.substr(0, origin.rfind(':')) != file) continue;
    if (running.job->status().state != JobState::kFailed) continue;
    running.restart_at = std::chrono::steady_clock::now();
    ++count;
  }
  return count;
}

std::vector<RuleInfo> RuleSet::List() const {
  std::lock_guard<std::mutex> lock(mutex_);
  std::vector<RuleInfo> list;
  auto now = std::chrono::steady_clock::now();
  for (const auto& running : rules_) list.push_back(InfoOf(running, now));
  return list;
}

std::vector<RuleInfo> RuleSet::Stopped() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return stopped_;
}

RuleInfo RuleSet::InfoOf(const Running& running, std::chrono::steady_clock::time_point now) const {
  RuleInfo info;
  info.id = running.version.id;
  info.name = running.version.name;
  info.origin = running.version.origin;
  info.sink = running.version.sink;
  info.status = running.job->status();
  info.last_change = DescribeRuleChange(running.change);
  info.change = running.change;
  info.started = running.started;
  info.changed = running.changed;
  info.failed_restarts = running.failed_restarts;
  if (running.restart_at) {
    info.restart_in = std::chrono::duration_cast<std::chrono::milliseconds>(
        std::max(*running.restart_at - now, std::chrono::steady_clock::duration::zero()));
  }
  return info;
}

bool RuleSet::empty() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return rules_.empty();
}

bool RuleSet::AllFailed() const {
  std::lock_guard<std::mutex> lock(mutex_);
  if (rules_.empty()) return false;
  return std::all_of(rules_.begin(), rules_.end(),
                     [](const Running& r) { return r.job->status().state == JobState::kFailed; });
}

bool RuleSet::StopAll() {
  std::lock_guard<std::mutex> lock(mutex_);
  bool ok = true;
  for (auto& running : rules_) {
    running.job->Stop();
    if (running.job->status().state == JobState::kFailed) ok = false;
  }
  rules_.clear();
  return ok;
}

}  // namespace fsql
