// The rules a process runs, keyed by a stable id, and the changes to them
// while they run: start a new rule, swap in a new version of a running one at
// a batch boundary, or stop one. The other rules' jobs are never touched.
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "runtime/job/rule_job.h"

namespace fsql {

/// One version of a rule.
struct RuleVersion {
  /// Stays the same across edits of the rule, e.g. its 'client.statement-name'.
  std::string id;
  /// The job name, from which the consumer group names derive; the id when
  /// empty. A replaced rule keeps the name of its first version, and with it
  /// its consumer groups.
  std::string name;
  /// Equal fingerprints mean an unchanged rule, which Sync leaves running.
  std::string fingerprint;
  /// The file and line that define this version, such as "rules/30_flagged_user.fsql:16", for logs.
  std::string origin;
  /// The table the rule writes, for listings.
  std::string sink;
  /// Builds the pipeline. Called only when the rule starts or changes; may throw Error.
  std::function<Pipeline()> build;
  JobOptions options;
};

/// One change Sync made or tried.
struct RuleChange {
  enum class Kind {
    kStarted,    // a new id
    kReplaced,   // a new version swapped into the running job
    kRestarted,  // a new version of a rule whose job had failed, started afresh
    kStopped,    // an id no longer defined
    kFailed,     // the new version did not start; `error` gives the reason
    kRetried,    // the same version started again after its job failed; `attempt` counts the tries
  };
  Kind kind = Kind::kStarted;
  std::string id;
  std::string origin;
  ReplaceReport report;  // for kReplaced
  std::string error;     // for kFailed, and for kRetried the error the job failed with
  int attempt = 0;       // for kRetried: 1 for the first restart after a failure
  /// For kReplaced and kRestarted: the lines of the plan, tables and settings
  /// that differ from the previous version, "- " before old lines and "+ "
  /// before new ones.
  std::vector<std::string> plan_diff;
};

/// Renders a change as one log line, e.g. "replaced rule x (f.fsql:3): kept
/// state of OverAggregate; reset Rank; ...".
std::string DescribeRuleChange(const RuleChange& change);

/// Returns the lines that differ between two fingerprints (see RuleChange::plan_diff).
std::vector<std::string> DiffLines(const std::string& before, const std::string& after);

/// A running rule as RuleSet::List reports it.
struct RuleInfo {
  std::string id;
  std::string name;
  std::string origin;
  std::string sink;
  JobStatus status;
  std::string last_change;  // DescribeRuleChange of the latest start, replacement or restart
  RuleChange change;        // that change itself
  std::chrono::system_clock::time_point started;  // when the id first started
  std::chrono::system_clock::time_point changed;  // when `change` happened
  /// Restarts since the job last ran for RestartPolicy::healthy_after.
  int failed_restarts = 0;
  /// Set while the job has failed: the time left until the next restart.
  std::optional<std::chrono::milliseconds> restart_in;
};

/// The restart schedule RuleSet::RestartFailed applies to a rule whose job
/// failed at runtime. The delay doubles with each restart that fails again, from `initial_delay`
/// up to `max_delay`.
struct RestartPolicy {
  std::chrono::milliseconds initial_delay{1000};
  std::chrono::milliseconds max_delay{60000};
  /// A job that ran this long before it failed starts over at `initial_delay`.
  std::chrono::milliseconds healthy_after{60000};
};

/// The running rules of a process. All methods may be called from any thread;
/// changes are serialised.
class RuleSet {
 public:
  explicit RuleSet(RestartPolicy restart_policy = {}) : restart_policy_(restart_policy) {}
  RuleSet(const RuleSet&) = delete;
  RuleSet& operator=(const RuleSet&) = delete;
  /// Stops every rule.
  ~RuleSet();

  /// Starts a rule whose id is not running yet. Throws Error when its pipeline
  /// cannot be built or its job cannot start, or when the id is taken.
  void Add(RuleVersion rule);

  /// Swaps a new version into the running rule with the same id at a batch
  /// boundary (see RuleJob::Replace). A rule whose job has failed is started
  /// afresh. Throws Error when the id is unknown or the new version does not
  /// start, and the old version then keeps running.
  RuleChange Replace(RuleVersion rule);

  /// Stops the rule with `id`, flushing its output and committing its offsets.
  /// Returns false when no rule has that id.
  bool Remove(const std::string& id);

  /// Brings the running rules in line with `rules`: starts new ids, replaces
  /// rules whose fingerprint changed, stops ids missing from `rules` and leaves
  /// the others running untouched, even when their job has failed. Logs and
  /// returns one change per rule it touched. A rule that fails to start or
  /// change is reported as kFailed, and the others still change.
  std::vector<RuleChange> Sync(std::vector<RuleVersion> rules);

  /// Starts again, with the same version, each rule whose job failed and
  /// whose restart delay (see RestartPolicy) has passed. A job seen failed for
  /// the first time gets its delay here. The new job starts as after a process
  /// restart: its operators start empty, and it joins the same consumer groups
  /// and reads each table from its 'scan.startup.mode' position, which is the
  /// committed offset only for 'group-offsets'. Logs each failure and restart. Returns the
  /// restarts it made, including kFailed for a restart that did not start.
  std::vector<RuleChange> RestartFailed();

  /// Makes the next RestartFailed call restart, without waiting for the delay,
  /// each failed rule defined in `file` (the file part of its origin). Returns
  /// how many rules that is.
  size_t RestartFailedNow(const std::string& file);

  /// The running rules in the order they were added.
  std::vector<RuleInfo> List() const;
  /// The rules stopped because their file or message removed them, most
  /// recent last, with their final status. A rule that starts again under the
  /// same id leaves this list.
  std::vector<RuleInfo> Stopped() const;

  bool empty() const;
  /// True when there is at least one rule and every job has failed.
  bool AllFailed() const;

  /// Stops every rule. Returns false when some job had failed.
  bool StopAll();

 private:
  struct Running {
    RuleVersion version;
    std::unique_ptr<RuleJob> job;
    RuleChange change;
    std::chrono::system_clock::time_point started;
    std::chrono::system_clock::time_point changed;
    std::chrono::steady_clock::time_point job_started;  // when the current job started
    int failed_restarts = 0;
    std::optional<std::chrono::steady_clock::time_point> restart_at;  // set once the job is seen failed
  };
  void AddLocked(RuleVersion rule);
  RuleChange ReplaceLocked(RuleVersion rule);
  /// Records `change` as the latest change of `running`.
  static void NoteChange(Running& running, const RuleChange& change);
  /// Stops the job of `running` and keeps its final RuleInfo in `stopped_`.
  void StopLocked(Running& running, const RuleChange& change);
  RuleInfo InfoOf(const Running& running, std::chrono::steady_clock::time_point now) const;

  RestartPolicy restart_policy_;
  mutable std::mutex mutex_;
  std::vector<Running> rules_;  // in the order they were added
  std::vector<RuleInfo> stopped_;
};

}  // namespace fsql
