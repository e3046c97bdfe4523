// Background jobs of `fsql repl`: INSERT INTO and CREATE TABLE AS keep
// running after the prompt returns, until STOP JOB or the end of the session.
#include <set>

#include "cli/cli_util.h"
#include "cli/repl_session.h"
#include "cli/repl_table.h"

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

void ReplSession::ShowJobs() {
  if (jobs_.empty()) {
    PrintInfo("No jobs yet: INSERT INTO and CREATE TABLE AS start one.");
    return;
  }
  std::vector<std::vector<std::string>> rows;
  std::vector<std::string> failures;
  for (const auto& job : jobs_) {
    JobStatus status = job.job->status();
    rows.push_back({job.name, StateName(status.state), job.sink, std::to_string(status.records_read),
                    std::to_string(status.records_written), std::to_string(status.records_skipped),
                    std::to_string(status.late_rows), FormatTimestampMillis(EpochMillis(job.started), 0)});
    if (status.state == JobState::kFailed) {
      failures.push_back(fmt::format("job '{}' failed: {}", job.name, status.error));
    }
  }
  PrintWholeTable(out_, {"job name", "status", "sink", "records read", "records written", "records skipped",
                         "late rows dropped", "started (UTC)"},
                  rows);
  for (const auto& failure : failures) out_ << failure << "\n";
  out_.flush();
}

ReplSession::Result ReplSession::StopJob(const std::string& name) {
  if (BackgroundJob* job = FindRunningJob(name)) {
    job->job->Stop();
    JobStatus status = job->job->status();
    PrintInfo(fmt::format("Stopped job '{}' after it read {} and wrote {} record(s).", name, status.records_read,
                          status.records_written));
    return Result::kOk;
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
  size_t running = 0;
  for (const auto& job : jobs_) {
    if (job.job->status().state == JobState::kRunning) ++running;
  }
  return running;
}

bool ReplSession::AnyJobFailed() const {
  for (const auto& job : jobs_) {
    if (job.job->status().state == JobState::kFailed) return true;
  }
  return false;
}

void ReplSession::StopAllJobs() {
  for (auto& job : jobs_) job.job->Stop();
}

}  // namespace fsql::cli
