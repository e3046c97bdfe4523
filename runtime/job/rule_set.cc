#include "runtime/job/rule_set.h"

#include <algorithm>
#include <set>

#include "runtime/common/logging.h"

namespace fsql {

namespace {

std::string ListOrNone(const std::vector<std::string>& items) {
  return items.empty() ? std::string("none") : fmt::format("{}", fmt::join(items, ", "));
}

}  // namespace

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
  RuleChange change{RuleChange::Kind::kStarted, rule.id, rule.origin, {}, {}};
  rules_.push_back(Running{std::move(rule), std::move(job), DescribeRuleChange(change)});
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
  }
  it->version = std::move(rule);
  it->last_change = DescribeRuleChange(change);
  return change;
}

bool RuleSet::Remove(const std::string& id) {
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = std::find_if(rules_.begin(), rules_.end(), [&](const Running& r) { return r.version.id == id; });
  if (it == rules_.end()) return false;
  it->job->Stop();
  rules_.erase(it);
  return true;
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
    it->job->Stop();
    changes.push_back({RuleChange::Kind::kStopped, it->version.id, it->version.origin, {}, {}});
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
        changes.push_back({RuleChange::Kind::kStarted, id, origin, {}, {}});
      } else {
        changes.push_back(ReplaceLocked(std::move(rule)));
      }
    } catch (const Error& error) {
      changes.push_back({RuleChange::Kind::kFailed, id, origin, {}, error.what()});
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

std::vector<RuleInfo> RuleSet::List() const {
  std::lock_guard<std::mutex> lock(mutex_);
  std::vector<RuleInfo> list;
  for (const auto& running : rules_) {
    list.push_back({running.version.id, running.version.name, running.version.origin, running.job->status(),
                    running.last_change});
  }
  return list;
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
