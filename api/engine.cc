#include "fsql/engine.h"

#include <algorithm>
#include <chrono>
#include <set>

#include "api/decision_check.h"
#include "api/engine_internal.h"
#include "api/rule_loader.h"
#include "compiler/parser/parser.h"
#include "runtime/common/logging.h"
#include "runtime/job/rule_job.h"

namespace fsql::embed {

namespace {

using detail::ResultSchema;

/// Depth of result callbacks running on this thread; the engine rejects calls made from one.
thread_local int callback_depth = 0;

int64_t WallClockMillis() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

/// A runtime error inside an in-process rule, already recorded on the rule.
struct RuleFailure {
  std::string rule;
  std::string message;
};

Diagnostic ToDiagnostic(const LoadError& error) {
  Diagnostic diagnostic;
  diagnostic.message = error.message;
  diagnostic.file = error.location.file;
  diagnostic.line = error.location.line;
  diagnostic.column = error.location.column;
  diagnostic.hint = error.hint;
  diagnostic.not_supported = error.not_supported;
  diagnostic.rendered = error.rendered;
  return diagnostic;
}

Error InvalidRule(const LoadError& error) {
  std::string message = error.rendered;
  while (!message.empty() && message.back() == '\n') message.pop_back();
  return Error(Error::Kind::kInvalidRule, message, ToDiagnostic(error));
}

/// Builds an error at the rule's statement, rendered as `fsql check` renders SQL errors.
Error InvalidRuleAt(const RulePlan& rule, const std::vector<RuleSource>& sources, const SqlError& error) {
  LoadError failure;
  failure.message = error.message();
  failure.location = error.location();
  failure.hint = error.hint();
  failure.not_supported = dynamic_cast<const NotSupportedError*>(&error) != nullptr;
  std::string line;
  for (const auto& source : sources) {
    if (source.name == error.location().file) line = SourceLine(source.text, error.location().line);
  }
  failure.rendered = error.Render(line);
  return InvalidRule(failure);
}

/// True when `plan` has an operator that drops rows at or behind the watermark.
bool HasLateRowDropping(const PlanNode& plan) {
  if (plan.kind == PlanKind::kOverAggregate || plan.kind == PlanKind::kIntervalJoin ||
      plan.kind == PlanKind::kTemporalJoin || plan.kind == PlanKind::kWindowAggregate ||
      plan.kind == PlanKind::kTemporalSort) {
    return true;
  }
  for (const auto& input : plan.inputs) {
    if (HasLateRowDropping(*input)) return true;
  }
  return false;
}

}  // namespace

/// Queued rows and the callback of one table; guarded by Impl::results_mutex.
struct ResultSlot {
  ResultCallback callback;
  std::deque<ResultRow> queue;
  int64_t dropped = 0;
};

struct RuleEntry;

/// An embedded table: the rules that read and write it and its event time.
/// Guarded by Impl::mutex.
struct TableState {
  std::string name;
  const TableDefinition* definition = nullptr;
  std::unique_ptr<JsonRowDecoder> decoder;
  struct Reader {
    RuleEntry* rule;
    Operator* entry;
  };
  std::vector<Reader> readers;
  std::vector<RuleEntry*> writers;
  int64_t max_event_time = kNoTime;
  int64_t watermark = kNoTime;
  bool explicit_watermark = false;
  int64_t next_offset = 0;
  std::optional<std::string> value;       // reused buffer for the record value
  std::unique_ptr<RowBuilder> relayout;   // fills the columns a sink row leaves NULL
  // The physical columns, when the table has computed columns to evaluate over them.
  std::vector<int> physical_columns;
  std::unique_ptr<RowBuilder> physical_builder;
  std::shared_ptr<ResultSlot> results = std::make_shared<ResultSlot>();
  uint64_t check_generation = 0;  // the rules generation `check` was computed for
  DecisionCheck check;
  bool drops_late_rows = false;  // a rule downstream has an operator that drops late rows
};

/// A loaded rule: in process, with its pipeline, or on Kafka, with its job.
struct RuleEntry {
  std::string name;
  std::string source;
  RulePlan plan;
  bool in_process = false;
  Pipeline pipeline;
  std::unique_ptr<RuleJob> job;
  std::string failure;  // set when an in-process rule failed
};

struct Engine::Impl {
  explicit Impl(EngineOptions engine_options) : options(std::move(engine_options)) {
    loaded.config.default_table_options = options.table_defaults;
  }

  /// Locks the engine for a public call.
  std::unique_lock<std::mutex> Lock() {
    if (callback_depth > 0) {
      throw Error(Error::Kind::kInvalidArgument, "an fsql result callback must not call the engine");
    }
    std::unique_lock<std::mutex> lock(mutex);
    if (stopped) throw Error(Error::Kind::kStopped, "the fsql engine is stopped");
    return lock;
  }

  std::vector<std::string> LoadSources(const std::vector<RuleSource>& sources);
  void CheckRule(const RulePlan& rule, const std::vector<RuleSource>& sources);
  void StartRule(RuleEntry& rule);
  void StopRule(RuleEntry& rule);
  RuleEntry* FindRule(const std::string& name);

  TableState& State(const TableDefinition& table);
  TableState& PushTarget(const std::string& name);
  void Decode(TableState& table, std::string_view json, std::optional<int64_t> event_time);
  void EncodeValues(TableState& table, const std::vector<Value>& values, std::string& out);
  void PushRows(TableState& table, std::vector<Row>& rows, bool decision);
  void DeliverRows(TableState& table, std::vector<Row>& rows);
  void DeliverWatermark(TableState& table, int64_t watermark);
  void ForwardRows(TableState& table, const std::vector<Row>& rows);
  const DecisionCheck& Check(TableState& table);
  void SetProcessingTime();
  [[noreturn]] void RaiseFailure(const RuleFailure& failure);

  EngineOptions options;
  std::mutex mutex;  // held by every public call, and while rows flow through in-process rules
  std::mutex results_mutex;  // callbacks and queues, also reached from Kafka rules' threads
  bool stopped = false;
  LoadedRules loaded;
  std::vector<std::unique_ptr<RuleEntry>> rules;
  std::map<std::string, std::unique_ptr<TableState>> tables;
  uint64_t rules_generation = 1;
  Decision* capture = nullptr;  // set during Decide: sink rows go here
  int64_t processing_time = 0;
  std::vector<Row> rows;  // reused for decoded rows
  std::string json;       // reused for typed values
};

namespace {

/// The sink of a rule that writes an embedded table. It hands rows to the
/// decision in progress, a callback or the poll queue, and forwards rows and
/// watermarks to the in-process rules that read the table.
class EmbeddedSinkOperator : public SinkOperator {
 public:
  EmbeddedSinkOperator(Engine::Impl& engine, TableState* table, std::shared_ptr<const ResultSchema> schema,
                       std::shared_ptr<ResultSlot> results, bool on_job_thread)
      : engine_(engine), table_(table), schema_(std::move(schema)), results_(std::move(results)),
        on_job_thread_(on_job_thread) {}

  void ProcessBatch(int input, std::vector<Row>& rows) override {
    if (rows.empty()) return;
    bool has_readers = table_ != nullptr && !table_->readers.empty();
    if (!on_job_thread_ && engine_.capture != nullptr) {
      for (const Row& row : rows) engine_.capture->rows.emplace_back(schema_, row.bytes());
    } else {
      std::lock_guard<std::mutex> lock(engine_.results_mutex);
      if (results_->callback) {
        // A throwing callback fails the rule like a runtime error, which also
        // keeps the exception from leaving a Kafka rule's thread.
        ++callback_depth;
        try {
          for (const Row& row : rows) results_->callback(ResultRow(schema_, row.bytes()));
        } catch (const std::exception& error) {
          --callback_depth;
          throw fsql::Error(fmt::format("the result callback of table {} failed: {}", schema_->table, error.what()));
        }
        --callback_depth;
      } else if (!has_readers) {
        for (const Row& row : rows) results_->queue.emplace_back(schema_, row.bytes());
        while (results_->queue.size() > engine_.options.max_polled_rows) {
          results_->queue.pop_front();
          ++results_->dropped;
        }
      }
    }
    if (has_readers) engine_.ForwardRows(*table_, rows);
  }

  void ProcessWatermark(int input, int64_t watermark) override {
    if (table_ != nullptr) engine_.DeliverWatermark(*table_, watermark);
  }

 private:
  Engine::Impl& engine_;
  TableState* table_;
  std::shared_ptr<const ResultSchema> schema_;
  std::shared_ptr<ResultSlot> results_;
  bool on_job_thread_;
};

}  // namespace

TableState& Engine::Impl::State(const TableDefinition& table) {
  auto& state = tables[table.name];
  if (!state) {
    state = std::make_unique<TableState>();
    state->name = table.name;
  }
  // CREATE OR REPLACE and ALTER TABLE give a table a new definition.
  const TableDefinition* current = loaded.catalog.Find(table.name);
  if (current == nullptr) current = &table;
  if (state->definition != current) {
    state->definition = current;
    state->decoder = std::make_unique<JsonRowDecoder>(*current);
    state->relayout = std::make_unique<RowBuilder>(static_cast<uint32_t>(current->columns.size()));
    state->physical_columns.clear();
    bool has_computed = false;
    for (size_t i = 0; i < current->columns.size(); ++i) {
      if (current->columns[i].kind == ColumnKind::kPhysical) state->physical_columns.push_back(static_cast<int>(i));
      has_computed = has_computed || current->columns[i].kind == ColumnKind::kComputed;
    }
    if (!has_computed) state->physical_columns.clear();
    state->physical_builder = std::make_unique<RowBuilder>(static_cast<uint32_t>(state->physical_columns.size()));
  }
  return *state;
}

TableState& Engine::Impl::PushTarget(const std::string& name) {
  const TableDefinition* table = loaded.catalog.Find(name);
  if (table == nullptr) {
    std::string hint = DidYouMean(name, loaded.catalog.TableNames());
    throw Error(Error::Kind::kNotFound,
                fmt::format("table '{}' not found{}", name, hint.empty() ? "" : "; " + hint));
  }
  if (!table->is_embedded()) {
    throw Error(Error::Kind::kInvalidArgument,
                fmt::format("table {} has 'connector' = '{}'; rows can be pushed only into tables with "
                            "'connector' = 'embedded'",
                            name, table->connector));
  }
  TableState& state = State(*table);
  if (!state.writers.empty()) {
    throw Error(Error::Kind::kInvalidArgument,
                fmt::format("table {} is written by rule {}; push rows into the tables it reads instead", name,
                            state.writers.front()->name));
  }
  return state;
}

RuleEntry* Engine::Impl::FindRule(const std::string& name) {
  for (auto& rule : rules) {
    if (rule->name == name) return rule.get();
  }
  return nullptr;
}

void Engine::Impl::CheckRule(const RulePlan& rule, const std::vector<RuleSource>& sources) {
  if (FindRule(rule.name) != nullptr) {
    throw InvalidRuleAt(rule, sources,
                        SqlError(fmt::format("a rule named '{}' is already loaded", rule.name), rule.location,
                                 "set a different 'client.statement-name', or call Replace to change the rule"));
  }
  if (rule.sink == nullptr) {
    throw InvalidRuleAt(rule, sources,
                        SqlError("a bare SELECT has no sink table", rule.location,
                                 "write INSERT INTO an embedded table and read that table's rows"));
  }
  std::set<std::string> embedded, kafka;
  auto visit = [&](const PlanNode& node, auto& self) -> void {
    if (node.kind == PlanKind::kScan) (node.table->is_embedded() ? embedded : kafka).insert(node.table->name);
    for (const auto& input : node.inputs) self(*input, self);
  };
  visit(*rule.plan, visit);
  if (!embedded.empty() && !kafka.empty()) {
    throw InvalidRuleAt(rule, sources,
                        NotSupportedError(fmt::format("rule {} reads both embedded tables ({}) and Kafka tables ({})",
                                                      rule.name, *embedded.begin(), *kafka.begin()),
                                          rule.location, "read either only embedded tables or only Kafka tables"));
  }
  bool in_process = kafka.empty();
  for (const auto& name : embedded) {
    auto it = tables.find(name);
    if (it == tables.end()) continue;
    for (const RuleEntry* writer : it->second->writers) {
      if (writer->in_process) continue;
      throw InvalidRuleAt(
          rule, sources,
          NotSupportedError(fmt::format("rule {} reads table {}, which rule {} writes from Kafka", rule.name, name,
                                        writer->name),
                            rule.location, "let a rule that reads Kafka write a table no in-process rule reads"));
    }
  }
  if (in_process && !rule.sink->is_embedded()) {
    throw InvalidRuleAt(
        rule, sources,
        NotSupportedError(fmt::format("rule {} reads embedded tables but writes the Kafka table {}", rule.name,
                                      rule.sink->name),
                          rule.location, "write an embedded table and forward its rows from the application"));
  }
  if (!in_process && rule.sink->is_embedded()) {
    auto it = tables.find(rule.sink->name);
    if (it != tables.end() && !it->second->readers.empty()) {
      throw InvalidRuleAt(
          rule, sources,
          NotSupportedError(fmt::format("rule {} reads Kafka and writes table {}, which in-process rules read",
                                        rule.name, rule.sink->name),
                            rule.location, "let a rule that reads Kafka write a table no in-process rule reads"));
    }
  }
}

std::vector<std::string> Engine::Impl::LoadSources(const std::vector<RuleSource>& sources) {
  std::optional<LoadError> error = LoadRuleSources(sources, loaded);
  std::vector<RulePlan> planned = std::move(loaded.rules);
  loaded.rules.clear();
  if (error) throw InvalidRule(*error);
  std::set<std::string> names;
  for (const auto& rule : planned) {
    if (!names.insert(rule.name).second) {
      throw InvalidRuleAt(rule, sources,
                          SqlError(fmt::format("two rules are named '{}'", rule.name), rule.location,
                                   "set 'client.statement-name' before each rule"));
    }
  }

  // Each rule is checked against the rules started before it, including the
  // text's own, and a failure stops the ones this text started.
  std::vector<RuleEntry*> batch;
  try {
    for (auto& plan : planned) {
      CheckRule(plan, sources);
      auto entry = std::make_unique<RuleEntry>();
      entry->name = plan.name;
      entry->source = plan.location.file;
      entry->plan = std::move(plan);
      batch.push_back(entry.get());
      rules.push_back(std::move(entry));
      StartRule(*batch.back());
    }
  } catch (...) {
    for (RuleEntry* rule : batch) {
      StopRule(*rule);
      rules.erase(std::find_if(rules.begin(), rules.end(), [&](const auto& entry) { return entry.get() == rule; }));
    }
    throw;
  }

  std::vector<std::string> started;
  for (RuleEntry* rule : batch) started.push_back(rule->name);
  return started;
}

void Engine::Impl::StartRule(RuleEntry& rule) {
  ++rules_generation;
  const TableDefinition& sink_table = *rule.plan.sink;
  auto schema = std::make_shared<const ResultSchema>(rule.name, sink_table);
  rule.pipeline = BuildPipeline(rule.plan);
  rule.in_process = true;
  for (const auto& source : rule.pipeline.sources) rule.in_process = rule.in_process && source.table->is_embedded();

  if (!rule.in_process) {
    if (sink_table.is_embedded()) {
      TableState& state = State(sink_table);
      auto* sink = rule.pipeline.Add<EmbeddedSinkOperator>(*this, nullptr, schema, state.results, true);
      rule.pipeline.output->Connect(sink, 0);
      rule.pipeline.sink_table = nullptr;  // the job then writes to the sink connected above
      state.writers.push_back(&rule);
    }
    rule.job = std::make_unique<RuleJob>(rule.name, std::move(rule.pipeline), JobOptionsOf(rule.plan));
    try {
      rule.job->Start();
    } catch (const fsql::Error& error) {
      rule.failure = error.what();
      throw Error(Error::Kind::kRuntime, fmt::format("rule {} failed to start: {}", rule.name, error.what()));
    }
    return;
  }

  TableState& sink_state = State(sink_table);
  auto* sink = rule.pipeline.Add<EmbeddedSinkOperator>(*this, &sink_state, schema, sink_state.results, false);
  rule.pipeline.output->Connect(sink, 0);
  sink_state.writers.push_back(&rule);
  for (const auto& source : rule.pipeline.sources) {
    TableState& state = State(*source.table);
    state.readers.push_back({&rule, source.entry});
  }
  try {
    rule.pipeline.SetProcessingTime(WallClockMillis());
    for (auto& values : rule.pipeline.values) {
      std::vector<Row> copy = values.rows;
      values.entry->ProcessBatch(0, copy);
      values.entry->ProcessWatermark(0, INT64_MAX);
    }
    // A rule added later starts from the watermark its tables have reached.
    for (const auto& source : rule.pipeline.sources) {
      TableState& state = State(*source.table);
      if (state.watermark != kNoTime) source.entry->ProcessWatermark(0, state.watermark);
    }
  } catch (const fsql::Error& error) {
    rule.failure = error.what();
    throw Error(Error::Kind::kRuntime, fmt::format("rule {} failed to start: {}", rule.name, error.what()));
  }
  spdlog::info("rule {}: started in process, reading {} table(s), writing {}", rule.name,
               rule.pipeline.sources.size(), sink_table.name);
}

void Engine::Impl::StopRule(RuleEntry& rule) {
  ++rules_generation;
  if (rule.job) {
    rule.job->Stop();
    rule.job.reset();
  }
  for (auto& [name, state] : tables) {
    auto& readers = state->readers;
    readers.erase(std::remove_if(readers.begin(), readers.end(), [&](const auto& r) { return r.rule == &rule; }),
                  readers.end());
    auto& writers = state->writers;
    writers.erase(std::remove(writers.begin(), writers.end(), &rule), writers.end());
  }
  rule.pipeline = Pipeline();
}

void Engine::Impl::SetProcessingTime() {
  int64_t now = WallClockMillis();
  if (now == processing_time) return;
  processing_time = now;
  for (auto& rule : rules) {
    if (rule->in_process) rule->pipeline.SetProcessingTime(now);
  }
}

void Engine::Impl::RaiseFailure(const RuleFailure& failure) {
  throw Error(Error::Kind::kRuntime,
              fmt::format("rule {} failed and is stopped: {}", failure.rule, failure.message));
}

void Engine::Impl::DeliverRows(TableState& table, std::vector<Row>& batch) {
  size_t live = 0;
  for (const auto& reader : table.readers) live += reader.rule->failure.empty() ? 1 : 0;
  size_t seen = 0;
  for (const auto& reader : table.readers) {
    if (!reader.rule->failure.empty()) continue;
    ++seen;
    try {
      if (seen == live) {
        reader.entry->ProcessBatch(0, batch);
      } else {
        std::vector<Row> copy = batch;
        reader.entry->ProcessBatch(0, copy);
      }
    } catch (const RuleFailure&) {
      throw;
    } catch (const fsql::Error& error) {
      reader.rule->failure = error.what();
      spdlog::error("rule {}: stopped: {}", reader.rule->name, error.what());
      throw RuleFailure{reader.rule->name, error.what()};
    }
  }
}

void Engine::Impl::DeliverWatermark(TableState& table, int64_t watermark) {
  if (table.watermark != kNoTime && watermark <= table.watermark) return;
  table.watermark = watermark;
  for (const auto& reader : table.readers) {
    if (!reader.rule->failure.empty()) continue;
    try {
      reader.entry->ProcessWatermark(0, watermark);
    } catch (const RuleFailure&) {
      throw;
    } catch (const fsql::Error& error) {
      reader.rule->failure = error.what();
      spdlog::error("rule {}: stopped: {}", reader.rule->name, error.what());
      throw RuleFailure{reader.rule->name, error.what()};
    }
  }
}

void Engine::Impl::ForwardRows(TableState& table, const std::vector<Row>& batch) {
  // A sink row carries only the physical columns; a Kafka round trip would add
  // the record timestamp as `$rowtime` and compute the other columns.
  const TableDefinition& definition = *table.definition;
  std::vector<Row> forwarded;
  forwarded.reserve(batch.size());
  for (const Row& row : batch) {
    RowView view = row.view();
    // Computed columns are bound over the physical columns alone, as the JSON decoder evaluates them.
    Row physical_row;
    if (!table.physical_columns.empty()) {
      RowBuilder& physical = *table.physical_builder;
      for (size_t i = 0; i < table.physical_columns.size(); ++i) {
        const CatalogColumn& column = definition.columns[table.physical_columns[i]];
        physical.SetValue(static_cast<uint32_t>(i), column.type,
                          view.GetValue(static_cast<uint32_t>(table.physical_columns[i]), column.type));
      }
      physical_row = physical.Finish(fsql::RowKind::kInsert);
    }
    int64_t time = row.event_time() == kNoTime ? processing_time : row.event_time();
    RowBuilder& builder = *table.relayout;
    int64_t event_time = kNoTime;
    for (size_t i = 0; i < definition.columns.size(); ++i) {
      const CatalogColumn& column = definition.columns[i];
      fsql::Value value;
      switch (column.kind) {
        case ColumnKind::kPhysical:
          value = view.GetValue(static_cast<uint32_t>(i), column.type);
          break;
        case ColumnKind::kComputed:
          value = Evaluate(*column.computed, physical_row.view(), EvalContext{processing_time});
          break;
        case ColumnKind::kMetadata:
          if (column.metadata_key == "timestamp") value = fsql::Value::Int(time);
          if (column.metadata_key == "topic") value = fsql::Value::String(definition.name);
          if (column.metadata_key == "partition" || column.metadata_key == "offset") value = fsql::Value::Int(0);
          break;
        case ColumnKind::kSystem:
          value = fsql::Value::Int(time);
          break;
      }
      if (static_cast<int>(i) == definition.rowtime_column && !value.is_null()) event_time = value.as_int();
      builder.SetValue(static_cast<uint32_t>(i), column.type, value);
    }
    forwarded.push_back(builder.Finish(row.kind(), event_time));
  }
  DeliverRows(table, forwarded);
}

void Engine::Impl::Decode(TableState& table, std::string_view text, std::optional<int64_t> event_time) {
  if (!table.value) table.value.emplace();
  table.value->assign(text.data(), text.size());
  static const std::optional<std::string> no_key;
  RecordRef record;
  record.topic = &table.name;
  record.offset = table.next_offset++;
  record.timestamp_ms = event_time ? *event_time : WallClockMillis();
  record.key = &no_key;
  record.value = &table.value;
  rows.clear();
  try {
    table.decoder->Decode(record, rows);
  } catch (const RecordError& error) {
    throw Error(Error::Kind::kInvalidRow, fmt::format("invalid row for table {}: {}", table.name, error.what()));
  }
}

void Engine::Impl::EncodeValues(TableState& table, const std::vector<Value>& values, std::string& out) {
  const TableDefinition& definition = *table.definition;
  std::vector<int> physical;
  for (size_t i = 0; i < definition.columns.size(); ++i) {
    if (definition.columns[i].kind == ColumnKind::kPhysical) physical.push_back(static_cast<int>(i));
  }
  if (values.size() != physical.size()) {
    std::vector<std::string> names;
    for (int column : physical) names.push_back(definition.columns[column].name);
    throw Error(Error::Kind::kInvalidRow,
                fmt::format("table {} has {} columns ({}) but the row has {} values", table.name, physical.size(),
                            fmt::join(names, ", "), values.size()));
  }
  out.clear();
  out += '{';
  for (size_t i = 0; i < physical.size(); ++i) {
    const CatalogColumn& column = definition.columns[physical[i]];
    if (i > 0) out += ',';
    AppendJsonString(out, column.name);
    out += ':';
    detail::AppendJsonValue(out, values[i], column.type);
  }
  out += '}';
}

void Engine::Impl::PushRows(TableState& table, std::vector<Row>& batch, bool decision) {
  SetProcessingTime();
  int64_t latest = kNoTime;
  for (const Row& row : batch) latest = std::max(latest, row.event_time());
  try {
    DeliverRows(table, batch);
    if (latest != kNoTime) {
      table.max_event_time = std::max(table.max_event_time, latest);
      if (decision) {
        DeliverWatermark(table, latest);
      } else if (!table.explicit_watermark) {
        DeliverWatermark(table, table.max_event_time - table.definition->watermark_delay_ms);
      }
    }
  } catch (const RuleFailure& failure) {
    RaiseFailure(failure);
  }
}

const DecisionCheck& Engine::Impl::Check(TableState& table) {
  if (table.check_generation == rules_generation) return table.check;
  DecisionCheck check;
  check.allowed = true;
  bool drops_late_rows = false;
  std::map<std::string, ColumnLineage> lineage;
  lineage[table.name] = ColumnLineage(table.definition->columns.size(), true);
  std::set<RuleEntry*> done;
  // Rules downstream of downstream tables follow, so repeat until no rule is added.
  for (bool added = true; added;) {
    added = false;
    for (auto& rule : rules) {
      if (!rule->in_process || done.count(rule.get())) continue;
      bool reads = false;
      for (const auto& source : rule->pipeline.sources) reads = reads || lineage.count(source.table->name);
      if (!reads) continue;
      done.insert(rule.get());
      added = true;
      ColumnLineage sink;
      std::string reason = CheckDecisionRule(rule->plan, lineage, sink);
      drops_late_rows = drops_late_rows || HasLateRowDropping(*rule->plan.plan);
      if (reason.empty() && !rule->failure.empty()) reason = "the rule failed: " + rule->failure;
      if (!reason.empty()) check.allowed = false;
      check.rules.emplace_back(rule->name, reason);
      auto [it, inserted] = lineage.emplace(rule->plan.sink->name, sink);
      if (!inserted) {
        for (size_t i = 0; i < it->second.size() && i < sink.size(); ++i) it->second[i] = it->second[i] && sink[i];
      }
    }
  }
  table.check = std::move(check);
  table.drops_late_rows = drops_late_rows;
  table.check_generation = rules_generation;
  return table.check;
}

Engine::Engine(EngineOptions options) : impl_(std::make_unique<Impl>(std::move(options))) {
  // spdlog's stock logger writes to stdout, which belongs to the application;
  // an application that installed a logger of its own keeps it.
  static std::once_flag logging_once;
  std::call_once(logging_once, [] {
    if (spdlog::default_logger()->name().empty()) InitLogging();
  });
  if (!impl_->options.log_level.empty()) SetLogLevel(impl_->options.log_level);
}

Engine::~Engine() {
  try {
    Stop();
  } catch (const Error&) {
    // Stop throws only when called from a callback; a destructor cannot report it.
  }
}

std::vector<std::string> Engine::Load(std::string_view text, std::string_view name) {
  auto lock = impl_->Lock();
  return impl_->LoadSources({RuleSource{std::string(name), std::string(text)}});
}

std::vector<std::string> Engine::LoadFiles(const std::vector<std::string>& paths) {
  auto lock = impl_->Lock();
  std::vector<RuleSource> sources;
  if (auto error = ReadRuleFiles(ExpandRulePaths(paths), sources)) throw InvalidRule(*error);
  return impl_->LoadSources(sources);
}

std::vector<RuleInfo> Engine::Rules() const {
  auto lock = impl_->Lock();
  std::vector<RuleInfo> out;
  for (const auto& rule : impl_->rules) {
    RuleInfo info;
    info.name = rule->name;
    info.source = rule->source;
    std::set<std::string> reads;
    auto visit = [&](const PlanNode& node, auto& self) -> void {
      if (node.kind == PlanKind::kScan) reads.insert(node.table->name);
      for (const auto& input : node.inputs) self(*input, self);
    };
    visit(*rule->plan.plan, visit);
    info.reads.assign(reads.begin(), reads.end());
    info.writes = rule->plan.sink->name;
    info.in_process = rule->in_process;
    info.error = rule->failure;
    if (rule->job) {
      JobStatus status = rule->job->status();
      if (status.state == JobState::kFailed) info.error = status.error;
    }
    info.failed = !info.error.empty();
    out.push_back(std::move(info));
  }
  return out;
}

std::vector<std::string> Engine::Tables() const {
  auto lock = impl_->Lock();
  return impl_->loaded.catalog.TableNames();
}

void Engine::Replace(const std::string& name, std::string_view text, std::string_view source_name) {
  auto lock = impl_->Lock();
  RuleEntry* old = impl_->FindRule(name);
  if (old == nullptr) throw Error(Error::Kind::kNotFound, fmt::format("rule '{}' not found", name));
  std::vector<RuleSource> sources{RuleSource{std::string(source_name), std::string(text)}};
  std::optional<LoadError> error = LoadRuleSources(sources, impl_->loaded);
  std::vector<RulePlan> planned = std::move(impl_->loaded.rules);
  impl_->loaded.rules.clear();
  if (error) throw InvalidRule(*error);

  if (planned.size() != 1) {
    throw Error(Error::Kind::kInvalidRule,
                fmt::format("the replacement for rule {} plans to {} rules; give exactly one INSERT INTO or "
                            "CREATE TABLE AS",
                            name, planned.size()));
  }
  RulePlan& plan = planned.front();
  plan.name = name;
  // The old rule keeps its name until it stops, so check the new one under a placeholder.
  std::string kept = old->name;
  old->name.clear();
  try {
    impl_->CheckRule(plan, sources);
  } catch (...) {
    old->name = kept;
    throw;
  }
  old->name = kept;

  impl_->StopRule(*old);
  auto position = std::find_if(impl_->rules.begin(), impl_->rules.end(),
                               [&](const auto& rule) { return rule.get() == old; });
  auto entry = std::make_unique<RuleEntry>();
  entry->name = name;
  entry->source = plan.location.file;
  entry->plan = std::move(plan);
  RuleEntry& started = *entry;
  *position = std::move(entry);
  impl_->StartRule(started);
  spdlog::info("rule {}: replaced", name);
}

void Engine::Remove(const std::string& name) {
  auto lock = impl_->Lock();
  RuleEntry* rule = impl_->FindRule(name);
  if (rule == nullptr) throw Error(Error::Kind::kNotFound, fmt::format("rule '{}' not found", name));
  impl_->StopRule(*rule);
  impl_->rules.erase(std::find_if(impl_->rules.begin(), impl_->rules.end(),
                                  [&](const auto& entry) { return entry.get() == rule; }));
  spdlog::info("rule {}: removed", name);
}

void Engine::Push(const std::string& table, std::string_view json, std::optional<int64_t> event_time) {
  auto lock = impl_->Lock();
  TableState& state = impl_->PushTarget(table);
  impl_->Decode(state, json, event_time);
  impl_->PushRows(state, impl_->rows, false);
}

void Engine::Push(const std::string& table, const std::vector<Value>& values, std::optional<int64_t> event_time,
                  RowKind kind) {
  auto lock = impl_->Lock();
  TableState& state = impl_->PushTarget(table);
  impl_->EncodeValues(state, values, impl_->json);
  impl_->Decode(state, impl_->json, event_time);
  for (Row& row : impl_->rows) row.set_kind(static_cast<fsql::RowKind>(static_cast<uint8_t>(kind)));
  impl_->PushRows(state, impl_->rows, false);
}

void Engine::AdvanceWatermark(const std::string& table, int64_t watermark) {
  auto lock = impl_->Lock();
  TableState& state = impl_->PushTarget(table);
  state.explicit_watermark = true;
  try {
    impl_->DeliverWatermark(state, watermark);
  } catch (const RuleFailure& failure) {
    impl_->RaiseFailure(failure);
  }
}

namespace {

/// Points the engine's sink operators at a decision for the length of one call.
class CaptureScope {
 public:
  CaptureScope(Decision*& slot, Decision* decision) : slot_(slot) { slot_ = decision; }
  ~CaptureScope() { slot_ = nullptr; }

 private:
  Decision*& slot_;
};

}  // namespace

Decision Engine::Decide(const std::string& table, std::string_view json, std::optional<int64_t> event_time) {
  auto lock = impl_->Lock();
  TableState& state = impl_->PushTarget(table);
  const DecisionCheck& check = impl_->Check(state);
  if (!check.allowed) {
    for (const auto& [rule, reason] : check.rules) {
      if (reason.empty()) continue;
      throw Error(Error::Kind::kNotDecidable,
                  fmt::format("cannot decide on a row of table {}: in rule {}, {}", table, rule, reason));
    }
  }
  Decision decision;
  // Without a given time the row takes the wall-clock time, moved past the
  // previous decision's so that two decisions in one millisecond both count.
  if (!event_time && state.watermark != kNoTime) event_time = std::max(WallClockMillis(), state.watermark + 1);
  impl_->Decode(state, json, event_time);
  for (const Row& row : impl_->rows) {
    if (!state.drops_late_rows) break;
    if (state.watermark != kNoTime && row.event_time() != kNoTime && row.event_time() <= state.watermark) {
      throw Error(Error::Kind::kInvalidRow,
                  fmt::format("cannot decide on a row of table {} at event time {}: it is not after the table's "
                              "watermark {}, so event-time operators would drop it as late",
                              table, FormatTimestampMillis(row.event_time(), 3),
                              FormatTimestampMillis(state.watermark, 3)));
    }
  }
  CaptureScope scope(impl_->capture, &decision);
  impl_->PushRows(state, impl_->rows, true);
  return decision;
}

Decision Engine::Decide(const std::string& table, const std::vector<Value>& values,
                        std::optional<int64_t> event_time) {
  std::string json;
  {
    auto lock = impl_->Lock();
    TableState& state = impl_->PushTarget(table);
    impl_->EncodeValues(state, values, json);
  }
  return Decide(table, json, event_time);
}

DecisionCheck Engine::CheckDecision(const std::string& table) const {
  auto lock = impl_->Lock();
  TableState& state = impl_->PushTarget(table);
  return impl_->Check(state);
}

void Engine::Subscribe(const std::string& table, ResultCallback callback) {
  auto lock = impl_->Lock();
  const TableDefinition* definition = impl_->loaded.catalog.Find(table);
  if (definition == nullptr || !definition->is_embedded()) {
    throw Error(Error::Kind::kNotFound, fmt::format("embedded table '{}' not found", table));
  }
  TableState& state = impl_->State(*definition);
  std::lock_guard<std::mutex> results_lock(impl_->results_mutex);
  state.results->callback = std::move(callback);
}

std::vector<ResultRow> Engine::Poll(const std::string& table, size_t max_rows) {
  auto lock = impl_->Lock();
  const TableDefinition* definition = impl_->loaded.catalog.Find(table);
  if (definition == nullptr || !definition->is_embedded()) {
    throw Error(Error::Kind::kNotFound, fmt::format("embedded table '{}' not found", table));
  }
  TableState& state = impl_->State(*definition);
  std::vector<ResultRow> out;
  std::lock_guard<std::mutex> results_lock(impl_->results_mutex);
  auto& queue = state.results->queue;
  size_t count = std::min(max_rows, queue.size());
  out.reserve(count);
  for (size_t i = 0; i < count; ++i) {
    out.push_back(std::move(queue.front()));
    queue.pop_front();
  }
  return out;
}

void Engine::Stop() {
  if (callback_depth > 0) {
    throw Error(Error::Kind::kInvalidArgument, "an fsql result callback must not call the engine");
  }
  std::lock_guard<std::mutex> lock(impl_->mutex);
  if (impl_->stopped) return;
  impl_->stopped = true;
  for (auto& rule : impl_->rules) impl_->StopRule(*rule);
  spdlog::info("fsql engine stopped with {} rule(s)", impl_->rules.size());
}

}  // namespace fsql::embed
