#include "cli/rule_reloader.h"

#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <set>
#include <sstream>

#include "cli/cli_util.h"
#include "compiler/planner/explain.h"
#include "runtime/common/logging.h"

namespace fsql::cli {

namespace {

void CollectScanTables(const PlanNode& node, std::vector<const TableDefinition*>& tables) {
  if (node.kind == PlanKind::kScan) tables.push_back(node.table);
  for (const auto& input : node.inputs) CollectScanTables(*input, tables);
}

std::string TableFingerprint(const TableDefinition& table) {
  std::vector<std::string> types;
  for (const DataType& type : table.ColumnTypes()) types.push_back(type.ToString());
  std::vector<std::string> options;
  for (const auto& [key, value] : table.options) options.push_back(key + "=" + value);
  return fmt::format("table {} topic={} changelog={} watermark_delay={} types=[{}] options=[{}]\n", table.name,
                     table.topic, ChangelogModeName(table.changelog_mode), table.watermark_delay_ms,
                     fmt::join(types, ","), fmt::join(options, ","));
}

std::string RuleFingerprint(const RulePlan& rule) {
  ExplainOptions options;
  options.abstract_syntax_tree = false;
  options.logical_plan = false;
  std::string fingerprint = ExplainRule(rule, options);
  std::vector<const TableDefinition*> tables;
  CollectScanTables(*rule.plan, tables);
  if (rule.sink != nullptr) tables.push_back(rule.sink);
  for (const TableDefinition* table : tables) fingerprint += TableFingerprint(*table);
  for (const auto& [key, value] : rule.settings) fingerprint += fmt::format("set {}={}\n", key, value);
  return fingerprint;
}

std::optional<std::string> ReadFile(const std::string& path) {
  std::ifstream in(path);
  if (!in) return std::nullopt;
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

}  // namespace

std::vector<RuleVersion> RuleVersionsOf(const std::shared_ptr<const LoadedRules>& loaded) {
  std::vector<RuleVersion> versions;
  std::map<std::string, int> unnamed_per_file;
  for (const RulePlan& rule : loaded->rules) {
    RuleVersion version;
    const std::string& file = rule.location.file;
    // The planner names a rule without 'client.statement-name' "<file>:<line>"
    // (and the rules of a statement set "<file>:<line>-<n>").
    bool unnamed = rule.name.rfind(file + ":", 0) == 0;
    version.id = unnamed ? fmt::format("{}#{}", file, ++unnamed_per_file[file]) : rule.name;
    version.name = rule.name;
    version.origin = fmt::format("{}:{}", file, rule.location.line);
    version.sink = rule.sink != nullptr ? rule.sink->name : "";
    version.fingerprint = RuleFingerprint(rule);
    version.options = JobOptionsOf(rule);
    const RulePlan* plan = &rule;
    version.build = [loaded, plan] {
      Pipeline pipeline = BuildPipeline(*plan);
      pipeline.owner = loaded;
      return pipeline;
    };
    versions.push_back(std::move(version));
  }
  return versions;
}

kafka::KafkaProperties RulesTopicProperties(const SessionConfig& config) {
  kafka::KafkaProperties properties;
  for (const auto& [key, value] : config.default_table_options) {
    if (key.rfind("properties.", 0) == 0) properties[key.substr(11)] = value;
  }
  if (!properties.count("bootstrap.servers")) throw UsageError("--rules-topic needs --bootstrap-servers HOST:PORT");
  return properties;
}

RuleReloader::RuleReloader(SessionConfig config, std::vector<std::string> paths, RuleSet& rules)
    : config_(std::move(config)), paths_(std::move(paths)), rules_(rules) {}

RuleReloader::~RuleReloader() {
  if (topic_consumer_) topic_consumer_->Close();
}

std::vector<std::pair<std::string, size_t>> RuleReloader::ListWatchedFiles() const {
  std::vector<std::pair<std::string, size_t>> files;
  for (size_t i = 0; i < paths_.size(); ++i) {
    std::error_code error;
    if (!std::filesystem::exists(paths_[i], error)) continue;
    for (const auto& file : ExpandRulePaths({paths_[i]})) {
      if (std::filesystem::is_regular_file(file, error)) files.emplace_back(file, i);
    }
  }
  return files;
}

std::vector<RuleSource> RuleReloader::OrderedSources(const std::map<std::string, Text>& texts) const {
  std::vector<std::pair<std::pair<size_t, std::string>, const std::string*>> ordered;
  for (const auto& [name, text] : texts) ordered.push_back({{text.group, name}, &text.text});
  std::sort(ordered.begin(), ordered.end());
  std::vector<RuleSource> sources;
  for (const auto& [key, text] : ordered) sources.push_back(RuleSource{key.second, *text});
  return sources;
}

void RuleReloader::SubscribeRulesTopic(const kafka::KafkaProperties& properties, const std::string& topic) {
  kafka::ConsumerOptions options;
  options.properties = properties;
  // A group of its own per process: every process reads every update, and
  // reads the topic from the start, because it contains the current rule texts.
  char host[256] = {0};
  gethostname(host, sizeof(host) - 1);
  options.properties["group.id"] = fmt::format("fsql.rules.{}.{}.{}", host, getpid(),
                                               std::chrono::steady_clock::now().time_since_epoch().count());
  options.topics = {topic};
  options.startup_mode = kafka::StartupMode::kEarliestOffset;
  topic_consumer_ = kafka::KafkaConsumer::Create(options);
}

RuleTextChanges RuleReloader::ReadTopicUpdates(std::chrono::milliseconds timeout, bool* reached_end) {
  RuleTextChanges changes;
  std::set<kafka::TopicPartition> at_end;
  auto deadline = std::chrono::steady_clock::now() + timeout;
  do {
    kafka::PollResult polled = topic_consumer_->Poll(1000, std::chrono::milliseconds(50));
    for (const auto& message : polled.messages) {
      if (!message.key || message.key->empty()) {
        spdlog::warn("rules topic {}[{}]@{}: skipped a message without a key; the key must be the rule file name",
                     message.topic, message.partition, message.offset);
        continue;
      }
      // Within one poll the latest message of a key wins, as in a compacted topic.
      if (message.value && !message.value->empty()) {
        changes[*message.key] = *message.value;
      } else {
        changes[*message.key] = std::nullopt;
      }
    }
    for (const auto& end : polled.reached_end) at_end.insert(end);
    if (reached_end != nullptr) {
      std::vector<kafka::TopicPartition> assignment = topic_consumer_->Assignment();
      *reached_end = !assignment.empty() && std::all_of(assignment.begin(), assignment.end(),
                                                        [&](const auto& p) { return at_end.count(p) > 0; });
      if (*reached_end) break;
    } else if (polled.messages.empty()) {
      break;
    }
  } while (std::chrono::steady_clock::now() < deadline);
  return changes;
}

std::optional<LoadError> RuleReloader::Start(std::chrono::milliseconds topic_wait) {
  for (const auto& [file, group] : ListWatchedFiles()) {
    std::optional<std::string> text = ReadFile(file);
    if (!text) {
      LoadError error;
      error.message = fmt::format("cannot read rule file '{}'", file);
      error.location.file = file;
      error.rendered = fmt::format("error: {}\n", error.message);
      return error;
    }
    accepted_[file] = Text{*text, group};
    std::error_code ignored;
    stamps_[file] = FileStamp{std::filesystem::last_write_time(file, ignored), std::filesystem::file_size(file, ignored)};
  }
  auto loaded = std::make_shared<LoadedRules>();
  loaded->config = config_;
  if (auto error = LoadRuleSources(OrderedSources(accepted_), *loaded)) return error;

  if (topic_consumer_) {
    // The topic's texts are loaded as a reload, so one with an error is skipped
    // like a later update instead of stopping the files' rules from starting.
    bool reached_end = false;
    RuleTextChanges initial = ReadTopicUpdates(topic_wait, &reached_end);
    if (!reached_end) spdlog::warn("the rules topic was not read to its end within {} ms", topic_wait.count());
    rules_.Sync(RuleVersionsOf(loaded));
    SetLoaded(loaded);
    if (!initial.empty()) Reload(initial, true);
    return std::nullopt;
  }
  rules_.Sync(RuleVersionsOf(loaded));
  SetLoaded(loaded);
  return std::nullopt;
}

bool RuleReloader::PollFiles() {
  RuleTextChanges changes;
  std::set<std::string> present;
  for (const auto& [file, group] : ListWatchedFiles()) {
    present.insert(file);
    std::error_code error;
    FileStamp stamp{std::filesystem::last_write_time(file, error), std::filesystem::file_size(file, error)};
    if (error) continue;  // removed between listing and stat; the next poll finds it gone
    auto seen = stamps_.find(file);
    if (seen != stamps_.end() && seen->second.modified == stamp.modified && seen->second.size == stamp.size) continue;
    std::optional<std::string> text = ReadFile(file);
    if (!text) continue;
    stamps_[file] = stamp;
    auto accepted = accepted_.find(file);
    if (accepted == accepted_.end() || accepted->second.text != *text) {
      changes[file] = *text;
      continue;
    }
    // The file is back to the text that runs, or was only touched, so there is nothing to plan.
    ReportErrorGone(file, "is back to its running version, so its error is gone and no rule changed");
    if (size_t restarting = rules_.RestartFailedNow(file)) {
      spdlog::info("reload: {} was touched, so its {} failed rule(s) restart now", file, restarting);
    }
  }
  for (auto it = stamps_.begin(); it != stamps_.end();) {
    if (present.count(it->first)) {
      ++it;
      continue;
    }
    // A deleted file whose rules run is reloaded, which reports its error as gone.
    if (accepted_.count(it->first)) {
      changes[it->first] = std::nullopt;
    } else {
      ReportErrorGone(it->first, "was deleted, so its error is gone");
    }
    it = stamps_.erase(it);
  }
  if (changes.empty()) return false;
  Reload(changes, false);
  return true;
}

bool RuleReloader::PollRulesTopic() {
  if (!topic_consumer_) return false;
  RuleTextChanges changes = ReadTopicUpdates(std::chrono::milliseconds(0), nullptr);
  // Drop updates that change nothing, such as a text sent twice.
  for (auto it = changes.begin(); it != changes.end();) {
    auto accepted = accepted_.find(it->first);
    bool same = it->second ? accepted != accepted_.end() && accepted->second.text == *it->second
                           : accepted == accepted_.end();
    // The text in force is back, or a text that never loaded is deleted, so its error is gone.
    if (same) {
      ReportErrorGone(it->first, it->second ? "is back to its running version, so its error is gone and no rule changed"
                                            : "was deleted, so its error is gone");
    }
    it = same ? changes.erase(it) : std::next(it);
  }
  if (changes.empty()) return false;
  Reload(changes, true);
  return true;
}

void RuleReloader::Reload(const RuleTextChanges& changes, bool from_topic) {
  std::vector<std::string> names;
  for (const auto& [name, text] : changes) names.push_back(text ? name : name + " (deleted)");
  spdlog::info("reload: {} changed: {}", from_topic ? "the rules topic" : "watched files", fmt::join(names, ", "));

  std::map<std::string, size_t> groups;
  for (const auto& [file, group] : ListWatchedFiles()) groups[file] = group;
  std::map<std::string, Text> candidate = accepted_;
  std::set<std::string> pending;
  for (const auto& [name, text] : changes) {
    pending.insert(name);
    if (!text) {
      candidate.erase(name);
      continue;
    }
    size_t group = paths_.size();
    if (!from_topic) {
      auto it = groups.find(name);
      if (it != groups.end()) group = it->second;
    }
    candidate[name] = Text{*text, group};
  }

  // Plan everything again. A changed text with an error goes back to its
  // previous version (or away, when it is new) and the rest is planned again,
  // until everything loads or no change is left.
  auto revert = [&](const std::string& name) {
    auto previous = accepted_.find(name);
    if (previous == accepted_.end()) {
      candidate.erase(name);
    } else {
      candidate[name] = previous->second;
    }
    pending.erase(name);
  };
  std::shared_ptr<LoadedRules> loaded;
  while (true) {
    loaded = std::make_shared<LoadedRules>();
    loaded->config = config_;
    std::optional<LoadError> error = LoadRuleSources(OrderedSources(candidate), *loaded);
    if (!error) break;
    const std::string& file = error->location.file;
    if (pending.count(file)) {
      if (accepted_.count(file)) {
        spdlog::error("reload: {} has an error, so its previous version stays in force:\n{}", file,
                      error->rendered);
      } else {
        spdlog::error("reload: {} has an error, so it is not loaded:\n{}", file, error->rendered);
      }
      NoteError(file, error->rendered);
      revert(file);
    } else {
      // An unchanged file stopped loading, e.g. because a table it reads was
      // dropped from a changed file: keep every change of this reload out.
      spdlog::error("reload: the changes to {} break {}, so the previous versions stay in force:\n{}",
                    fmt::join(pending, ", "), file, error->rendered);
      for (const std::string& name : std::set<std::string>(pending)) {
        NoteError(name, fmt::format("the change breaks {}: {}", file, error->rendered));
        revert(name);
      }
    }
    if (pending.empty()) {
      spdlog::info("reload: done; no rule changed");
      return;
    }
  }
  std::vector<RuleChange> applied = rules_.Sync(RuleVersionsOf(loaded));
  SetLoaded(loaded);
  for (const std::string& name : pending) {
    bool deleted = !changes.at(name).has_value();
    ReportErrorGone(name, deleted ? "was deleted, so its error is gone" : "loads again, so its error is gone");
  }
  accepted_ = std::move(candidate);
  size_t kept = 0;
  for (const auto& change : applied) kept += change.kind == RuleChange::Kind::kFailed ? 1 : 0;
  spdlog::info("reload: done; {} change(s) to running rules, {} failed, {} rule(s) running", applied.size() - kept,
               kept, rules_.List().size());
}

void RuleReloader::NoteError(const std::string& name, const std::string& rendered) {
  RuleTextError error;
  error.rendered = rendered;
  error.summary = rendered.substr(0, rendered.find('\n'));
  error.time = std::chrono::system_clock::now();
  std::lock_guard<std::mutex> lock(state_mutex_);
  errors_[name] = std::move(error);
}

bool RuleReloader::ClearError(const std::string& name) {
  std::lock_guard<std::mutex> lock(state_mutex_);
  return errors_.erase(name) > 0;
}

void RuleReloader::ReportErrorGone(const std::string& name, const std::string& reason) {
  // Logged as a warning, like the error it ends, because the REPL shows only
  // warnings and errors by default and the old error would otherwise look current.
  if (ClearError(name)) spdlog::warn("reload: {} {}", name, reason);
}

void RuleReloader::SetLoaded(std::shared_ptr<const LoadedRules> loaded) {
  std::lock_guard<std::mutex> lock(state_mutex_);
  loaded_ = std::move(loaded);
}

std::shared_ptr<const LoadedRules> RuleReloader::Loaded() const {
  std::lock_guard<std::mutex> lock(state_mutex_);
  return loaded_;
}

std::map<std::string, RuleTextError> RuleReloader::Errors() const {
  std::lock_guard<std::mutex> lock(state_mutex_);
  return errors_;
}

}  // namespace fsql::cli
