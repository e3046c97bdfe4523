// Background jobs of `fsql repl`: INSERT INTO and CREATE TABLE AS keep
// running after the prompt returns, until STOP JOB or the end of the session.
// With --watch, the watched rules are listed as jobs too, with their latest
// reload.
#include <set>

#include "cli/cli_util.h"
#include "cli/repl_session.h"
#include "cli/repl_table.h"
#include "cli/rule_watcher.h"

namespace fsql::cli {

namespace {

const char* StateName(JobState state) {
  switch (state) {
    case JobState::kCreated: return "CREATED";
    case JobState::kRunning: return "RUNNING";
    case JobState::kStopped: return "STOPPED";
    case JobState::kFailed: return "FAILED";
  }
  return "UNKNOWN";
}

int64_t EpochMillis(std::chrono::system_clock::time_point time) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(time.time_since_epoch()).count();
}

std::string FormatTime(std::chrono::system_clock::time_point time) {
  return FormatTimestampMillis(EpochMillis(time), 0);
}

/// Formats the time of day of `time` in UTC as "HH:MM:SS".
std::string FormatClock(std::chrono::system_clock::time_point time) { return FormatTime(time).substr(11); }

std::string ListOrNone(const std::vector<std::string>& items) {
  return items.empty() ? std::string("none") : fmt::format("{}", fmt::join(items, ", "));
}

/// Returns the file of a rule origin such as "rules/a.fsql:12".
std::string FileOfOrigin(const std::string& origin) { return origin.substr(0, origin.rfind(':')); }

std::string WithoutDirectory(const std::string& path) { return path.substr(path.rfind('/') + 1); }

/// Returns the error pending for the file of `rule`, or null.
const RuleTextError* ErrorFor(const RuleInfo& rule, const std::map<std::string, RuleTextError>& errors) {
  auto it = errors.find(FileOfOrigin(rule.origin));
  return it == errors.end() ? nullptr : &it->second;
}

/// Formats the `last reload (UTC)` cell of SHOW JOBS: when, and what the latest
/// reload did or why it did not apply. DESCRIBE JOB prints the whole report.
std::string ReloadSummary(const RuleInfo& rule, const RuleTextError* error) {
  // A failed job matters more than an edit that did not load, so it comes first.
  if (rule.status.state == JobState::kFailed && rule.restart_in) {
    int64_t seconds = (rule.restart_in->count() + 999) / 1000;
    return fmt::format("failed; restart {} in {} s", rule.failed_restarts + 1, seconds);
  }
  if (error != nullptr) {
    // "dir/a.fsql:6:1: error: ..." becomes "a.fsql:6:1".
    size_t end = error->summary.find(": error");
    std::string where = end == std::string::npos ? WithoutDirectory(FileOfOrigin(rule.origin))
                                                 : WithoutDirectory(error->summary.substr(0, end));
    return fmt::format("{} error at {}", FormatClock(error->time), where);
  }
  std::string when = FormatClock(rule.changed);
  switch (rule.change.kind) {
    case RuleChange::Kind::kStarted:
      return when + " started";
    case RuleChange::Kind::kReplaced:
      return fmt::format("{} replaced; kept {}; reset {}", when, ListOrNone(rule.change.report.kept_state),
                         ListOrNone(rule.change.report.reset_state));
    case RuleChange::Kind::kRestarted:
      return when + " new version, state empty";
    case RuleChange::Kind::kRetried:
      return fmt::format("{} restart {} after a failure", when, rule.change.attempt);
    case RuleChange::Kind::kStopped:
      return when + " stopped; its rule was removed";
    case RuleChange::Kind::kFailed:
      break;
  }
  return when;
}

const std::vector<std::string> kJobColumns = {"job name",        "status",          "sink",
                                              "records read",    "records written", "records skipped",
                                              "late rows dropped", "started (UTC)", "last reload (UTC)"};

std::vector<std::string> JobRow(const std::string& name, const JobStatus& status, const std::string& sink,
                                std::chrono::system_clock::time_point started, const std::string& last_reload) {
  return {name,
          StateName(status.state),
          sink,
          std::to_string(status.records_read),
          std::to_string(status.records_written),
          std::to_string(status.records_skipped),
          std::to_string(status.late_rows),
          FormatTime(started),
          last_reload};
}

}  // namespace

std::string ReplSession::JobNameFor(const RulePlan& rule, const StatementSource& source) const {
  // The planner names a rule `<source>:<line>` unless 'client.statement-name' was set.
  bool planner_default = rule.name.rfind(source.name + ":", 0) == 0;
  if (!planner_default || source.is_file) return rule.name;
  return "insert-into_" + rule.sink->name;
}

BackgroundJob* ReplSession::FindRunningJob(const std::string& name) {
  for (auto& job : jobs_) {
    if (job.name == name && job.job->status().state == JobState::kRunning) return &job;
  }
  return nullptr;
}

ReplSession::Result ReplSession::SubmitRules(std::vector<RulePlan> rules, const StatementSource& source) {
  if (rules.empty()) {
    PrintInfo("The statement started no job.");
    return Result::kOk;
  }
  std::vector<BackgroundJob> started;
  std::set<std::string> taken;
  for (const auto& rule : rules) {
    std::string base = JobNameFor(rule, source);
    // A name fsql chose gets a number while a job of that name runs; any other name must be free.
    bool fixed_name = base == rule.name;
    std::string name = base;
    for (int n = 2; !fixed_name && (FindRunningJob(name) || taken.count(name)); ++n) {
      name = fmt::format("{}-{}", base, n);
    }
    if (FindRunningJob(name) || taken.count(name)) {
      throw Error(fmt::format("a job named '{}' is already running; STOP JOB '{}' first, or SET "
                              "'client.statement-name' to another name",
                              name, name));
    }
    taken.insert(name);
    Pipeline pipeline = BuildPipeline(rule);
    RequireBootstrapServers(pipeline);
    auto job = std::make_unique<RuleJob>(name, std::move(pipeline), JobOptionsOf(rule));
    // If a later Start throws, `started` stops the jobs of this statement as it unwinds.
    job->Start();
    started.push_back(BackgroundJob{name, rule.sink->name, std::move(job), std::chrono::system_clock::now()});
  }
  for (auto& job : started) {
    std::erase_if(jobs_, [&](const BackgroundJob& old) { return old.name == job.name; });
    PrintInfo(fmt::format("Job '{}' is writing table {} in the background; STOP JOB '{}' stops it.", job.name,
                          job.sink, job.name));
    jobs_.push_back(std::move(job));
  }
  return Result::kOk;
}

/// Returns the watched rules, running ones first, then the ones whose file was deleted.
std::vector<RuleInfo> ReplSession::WatchedRules() const {
  if (!watched_) return {};
  std::vector<RuleInfo> rules = watched_->List();
  for (auto& stopped : watched_->Stopped()) rules.push_back(std::move(stopped));
  return rules;
}

void ReplSession::ShowJobs() {
  std::vector<RuleInfo> watched = WatchedRules();
  std::map<std::string, RuleTextError> errors = watched_ ? watched_->Errors() : std::map<std::string, RuleTextError>{};
  if (jobs_.empty() && watched.empty()) {
    PrintInfo("No jobs yet: INSERT INTO and CREATE TABLE AS start one.");
    for (const auto& [file, error] : errors) out_ << fmt::format("{} did not load: {}\n", file, error.summary);
    out_.flush();
    return;
  }
  std::vector<std::vector<std::string>> rows;
  std::vector<std::string> notes;
  for (const auto& rule : watched) {
    rows.push_back(JobRow(rule.id, rule.status, rule.sink, rule.started, ReloadSummary(rule, ErrorFor(rule, errors))));
    if (rule.status.state == JobState::kFailed) {
      notes.push_back(fmt::format("job '{}' failed: {}", rule.id, rule.status.error));
    }
  }
  for (const auto& job : jobs_) {
    JobStatus status = job.job->status();
    rows.push_back(JobRow(job.name, status, job.sink, job.started, ""));
    if (status.state == JobState::kFailed) notes.push_back(fmt::format("job '{}' failed: {}", job.name, status.error));
  }
  // A new file with an error has no job yet, so its error is listed below the table.
  std::set<std::string> files_with_jobs;
  for (const auto& rule : watched) files_with_jobs.insert(FileOfOrigin(rule.origin));
  for (const auto& [file, error] : errors) {
    if (!files_with_jobs.count(file)) notes.push_back(fmt::format("{} did not load: {}", file, error.summary));
  }
  PrintWholeTable(out_, kJobColumns, rows);
  for (const auto& note : notes) out_ << note << "\n";
  if (!watched.empty()) out_ << "DESCRIBE JOB 'name' shows the latest reload of a rule in full.\n";
  out_.flush();
}

ReplSession::Result ReplSession::DescribeJob(const std::string& name) {
  std::vector<RuleInfo> watched = WatchedRules();
  for (const auto& rule : watched) {
    if (rule.id != name) continue;
    std::map<std::string, RuleTextError> errors = watched_->Errors();
    const RuleTextError* error = ErrorFor(rule, errors);
    PrintWholeTable(out_, kJobColumns,
                    {JobRow(rule.id, rule.status, rule.sink, rule.started, ReloadSummary(rule, error))});
    out_ << fmt::format("Defined at {}.\n", rule.origin);
    out_ << fmt::format("Latest change at {} UTC: {}\n", FormatTime(rule.changed), rule.last_change);
    if (!rule.change.plan_diff.empty()) {
      out_ << "What changed in the plan, tables and settings (- before, + after):\n";
      for (const auto& line : rule.change.plan_diff) out_ << "  " << line << "\n";
    }
    if (rule.status.state == JobState::kFailed) {
      out_ << fmt::format("The job failed: {}\n", rule.status.error);
      if (rule.restart_in) {
        out_ << fmt::format("Restart {} of the same version in {} ms.\n", rule.failed_restarts + 1,
                            rule.restart_in->count());
      }
    }
    if (error != nullptr) {
      out_ << fmt::format("The edit of {} at {} UTC did not load, so the version above keeps running:\n{}",
                          FileOfOrigin(rule.origin), FormatTime(error->time), error->rendered);
      if (!error->rendered.empty() && error->rendered.back() != '\n') out_ << "\n";
    }
    out_.flush();
    return Result::kOk;
  }
  for (const auto& job : jobs_) {
    if (job.name != name) continue;
    JobStatus status = job.job->status();
    PrintWholeTable(out_, kJobColumns, {JobRow(job.name, status, job.sink, job.started, "")});
    if (status.state == JobState::kFailed) out_ << fmt::format("The job failed: {}\n", status.error);
    out_.flush();
    return Result::kOk;
  }
  std::vector<std::string> names;
  for (const auto& rule : watched) names.push_back(rule.id);
  for (const auto& job : jobs_) names.push_back(job.name);
  std::string hint = DidYouMean(name, names);
  PrintError(fmt::format("job '{}' not found; {}", name, hint.empty() ? "SHOW JOBS lists the jobs" : hint));
  return Result::kFailed;
}

ReplSession::Result ReplSession::StopJob(const std::string& name) {
  if (BackgroundJob* job = FindRunningJob(name)) {
    job->job->Stop();
    JobStatus status = job->job->status();
    PrintInfo(fmt::format("Stopped job '{}' after it read {} and wrote {} record(s).", name, status.records_read,
                          status.records_written));
    return Result::kOk;
  }
  if (watched_) {
    for (const auto& rule : watched_->List()) {
      if (rule.id != name) continue;
      PrintError(fmt::format("job '{}' runs a watched rule from {}; delete or edit that file to stop or change it",
                             name, FileOfOrigin(rule.origin)));
      return Result::kFailed;
    }
  }
  std::vector<std::string> names;
  for (const auto& job : jobs_) {
    if (job.name == name) {
      PrintError(fmt::format("job '{}' is not running: its status is {}", name, StateName(job.job->status().state)));
      return Result::kFailed;
    }
    names.push_back(job.name);
  }
  std::string hint = DidYouMean(name, names);
  PrintError(fmt::format("job '{}' not found; {}", name, hint.empty() ? "SHOW JOBS lists the jobs" : hint));
  return Result::kFailed;
}

size_t ReplSession::RunningJobCount() const {
  size_t running = watched_ ? watched_->List().size() : 0;
  for (const auto& job : jobs_) {
    if (job.job->status().state == JobState::kRunning) ++running;
  }
  return running;
}

bool ReplSession::AnyJobFailed() const {
  if (watched_) {
    for (const auto& rule : watched_->List()) {
      if (rule.status.state == JobState::kFailed) return true;
    }
  }
  for (const auto& job : jobs_) {
    if (job.job->status().state == JobState::kFailed) return true;
  }
  return false;
}

void ReplSession::StopAllJobs() {
  for (auto& job : jobs_) job.job->Stop();
}

}  // namespace fsql::cli
