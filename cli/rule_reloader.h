// Keeps the rules of watched files and directories, and of a rules topic,
// running while they change: `fsql run --watch` and `--rules-topic`.
//
// Every reload plans all rule texts again against a fresh catalog, then hands
// the rules to a RuleSet, which starts, replaces or stops only those whose
// plan or tables changed. A text with an error is left out of the reload and
// its previous version stays in force.
#pragma once

#include <chrono>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "api/rule_loader.h"
#include "runtime/connectors/kafka.h"
#include "runtime/job/rule_set.h"

namespace fsql::cli {

/// The versions of the rules in `loaded`, for RuleSet::Sync. A rule's id is its
/// 'client.statement-name', else its file and its position among the unnamed
/// rules of that file ("rules/a.fsql#2"), so that adding lines above a rule
/// keeps its id. The fingerprint covers the physical plan, the tables the rule
/// reads and writes, and its settings.
std::vector<RuleVersion> RuleVersionsOf(const std::shared_ptr<const LoadedRules>& loaded);

/// The librdkafka properties for the rules topic: the 'properties.*' default
/// table options without the prefix. Throws UsageError without bootstrap servers.
kafka::KafkaProperties RulesTopicProperties(const SessionConfig& config);

/// A rule text whose latest version did not load; the version before it stays in force.
struct RuleTextError {
  std::string summary;   // the first line, "file:line:col: error: message"
  std::string rendered;  // with the source line, a caret and the hint
  std::chrono::system_clock::time_point time;
};

/// Rule texts by name; nullopt deletes the text.
using RuleTextChanges = std::map<std::string, std::optional<std::string>>;

class RuleReloader {
 public:
  /// `paths` are the watched files and directories (a directory means its
  /// *.fsql files in name order); `config` contains the default table options
  /// every load starts from.
  RuleReloader(SessionConfig config, std::vector<std::string> paths, RuleSet& rules);
  ~RuleReloader();

  /// Reads updates from `topic`: the key is a rule file name, the value its
  /// text, and an empty value deletes it. Texts from the topic load after the
  /// files, in key order. Each process reads the whole topic with a consumer
  /// group of its own, so every process of a fleet applies every update.
  /// Throws ConnectorError when the consumer cannot be created.
  void SubscribeRulesTopic(const kafka::KafkaProperties& properties, const std::string& topic);

  /// Loads the files and what the rules topic contains so far (waiting at most
  /// `topic_wait` for it), and starts the rules. Returns the error of a file
  /// that does not load; then nothing has started. A rules topic text with an
  /// error is logged and skipped.
  std::optional<LoadError> Start(std::chrono::milliseconds topic_wait = std::chrono::seconds(10));

  /// Reloads when a watched file was created, changed or deleted since the
  /// last call. A file whose time or size changed but whose text did not
  /// (`touch`) makes its failed rules restart at the next
  /// RuleSet::RestartFailed call, without waiting for their delay. Returns
  /// true when something changed.
  bool PollFiles();

  /// Applies the updates that arrived on the rules topic. Returns true when
  /// something changed.
  bool PollRulesTopic();

  /// The texts whose latest version failed to load, by file name or topic
  /// key. Safe to call from any thread while another one polls.
  std::map<std::string, RuleTextError> Errors() const;

  /// The rules in force and the catalog they were planned against: the tables
  /// and views the loaded texts declare. Null before Start. Each reload that
  /// changes something returns a new object, so a caller can compare pointers
  /// to notice a change. Safe to call from any thread while another one polls.
  std::shared_ptr<const LoadedRules> Loaded() const;

 private:
  /// Records that the latest text of `name` failed to load.
  void NoteError(const std::string& name, const std::string& rendered);
  /// Forgets the error of `name`. Returns true when it had one.
  bool ClearError(const std::string& name);
  /// Forgets the error of `name` and, when it had one, logs why it is gone.
  void ReportErrorGone(const std::string& name, const std::string& reason);
  void SetLoaded(std::shared_ptr<const LoadedRules> loaded);
  /// Applies `changes` as one reload. `from_topic` is true for updates from the rules topic.
  void Reload(const RuleTextChanges& changes, bool from_topic);
  struct Text {
    std::string text;
    /// Load order: the index of the watched path the file came from, or
    /// paths_.size() for topic texts; ties load in name order.
    size_t group = 0;
  };
  struct FileStamp {
    std::filesystem::file_time_type modified;
    uintmax_t size = 0;
  };
  /// The watched files that exist now, with their group (see Text).
  std::vector<std::pair<std::string, size_t>> ListWatchedFiles() const;
  std::vector<RuleSource> OrderedSources(const std::map<std::string, Text>& texts) const;
  RuleTextChanges ReadTopicUpdates(std::chrono::milliseconds timeout, bool* reached_end);

  SessionConfig config_;
  std::vector<std::string> paths_;
  RuleSet& rules_;
  std::map<std::string, Text> accepted_;  // texts in force, by file or topic key
  // Guards errors_ and loaded_, which the REPL reads while the watcher's thread polls.
  mutable std::mutex state_mutex_;
  std::map<std::string, RuleTextError> errors_;  // texts whose latest version failed to load
  std::shared_ptr<const LoadedRules> loaded_;
  std::map<std::string, FileStamp> stamps_;  // the watched files as last seen
  std::unique_ptr<kafka::KafkaConsumer> topic_consumer_;
};

}  // namespace fsql::cli
