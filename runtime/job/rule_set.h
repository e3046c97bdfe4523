// The rules a process runs, keyed by a stable id, and the changes to them
// while they run: start a new rule, swap in a new version of a running one at
// a batch boundary, or stop one. The other rules' jobs are never touched.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <mutex>
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
  };
  Kind kind = Kind::kStarted;
  std::string id;
  std::string origin;
  ReplaceReport report;  // for kReplaced
  std::string error;     // for kFailed
};

/// Renders a change as one log line, e.g. "replaced rule x (f.fsql:3): kept
/// state of OverAggregate; reset Rank; ...".
std::string DescribeRuleChange(const RuleChange& change);

/// A running rule as RuleSet::List reports it.
struct RuleInfo {
  std::string id;
  std::string name;
  std::string origin;
  JobStatus status;
  std::string last_change;  // DescribeRuleChange of the latest start or replacement
};

/// The running rules of a process. All methods may be called from any thread;
/// changes are serialised.
class RuleSet {
 public:
  RuleSet() = default;
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

  /// The running rules in the order they were added.
  std::vector<RuleInfo> List() const;

  bool empty() const;
  /// True when there is at least one rule and every job has failed.
  bool AllFailed() const;

  /// Stops every rule. Returns false when some job had failed.
  bool StopAll();

 private:
  struct Running {
    RuleVersion version;
    std::unique_ptr<RuleJob> job;
    std::string last_change;
  };
  void AddLocked(RuleVersion rule);
  RuleChange ReplaceLocked(RuleVersion rule);

  mutable std::mutex mutex_;
  std::vector<Running> rules_;  // in the order they were added
};

}  // namespace fsql
