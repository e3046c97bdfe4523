// Runs one planned rule in memory: decodes JSON records for its source tables,
// pushes them and watermarks through the operators and collects the sink rows.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "api/rule_loader.h"
#include "runtime/formats/json_format.h"

namespace fsql::testing {

class RuleHarness {
 public:
  /// Loads `files` and builds the rule named `rule_name`.
  RuleHarness(const std::vector<std::string>& files, const std::string& rule_name) {
    loaded_ = std::make_unique<LoadedRules>();
    if (!LoadRuleFiles(ExpandRulePaths(files), *loaded_)) throw std::runtime_error("rule files failed to load");
    for (const auto& rule : loaded_->rules) {
      if (rule.name == rule_name) rule_ = &rule;
    }
    if (rule_ == nullptr) throw std::runtime_error("no rule named " + rule_name);
    pipeline_ = BuildPipeline(*rule_);
    sink_ = pipeline_.Add<CollectSinkOperator>();
    pipeline_.output->Connect(sink_, 0);
    for (const auto& source : pipeline_.sources) {
      decoders_.emplace(source.table->name,
                        std::make_unique<JsonRowDecoder>(*source.table, pipeline_.ReadsOf(*source.table)));
    }
  }

  /// Decodes one record of `table` and pushes its rows. A value of nullopt is a tombstone.
  void Push(const std::string& table, const std::optional<std::string>& value, int64_t timestamp_ms,
            const std::optional<std::string>& key = std::nullopt) {
    auto it = decoders_.find(table);
    ASSERT_NE(it, decoders_.end()) << "rule does not read " << table;
    std::vector<Row> rows;
    RecordRef record;
    record.topic = &table;
    record.offset = offset_++;
    record.timestamp_ms = timestamp_ms;
    record.key = &key;
    record.value = &value;
    it->second->Decode(record, rows);
    pipeline_.SetProcessingTime(timestamp_ms);
    for (const auto& source : pipeline_.sources) {
      if (source.table->name != table) continue;
      std::vector<Row> copy = rows;
      source.entry->ProcessBatch(0, copy);
    }
  }

  /// Advances the watermark of every source table to `watermark`.
  void Watermark(int64_t watermark) {
    for (const auto& source : pipeline_.sources) source.entry->ProcessWatermark(0, watermark);
  }

  /// Returns the sink rows so far, rendered as +I[...] with only the physical columns.
  std::vector<std::string> Output() const {
    std::vector<std::string> out;
    std::vector<DataType> types;
    for (const auto& column : rule_->sink->columns) {
      if (column.kind == ColumnKind::kPhysical) types.push_back(column.type);
    }
    for (const Row& row : sink_->rows()) out.push_back(RowToString(row.view(), types));
    return out;
  }

  const Pipeline& pipeline() const { return pipeline_; }

 private:
  std::unique_ptr<LoadedRules> loaded_;
  const RulePlan* rule_ = nullptr;
  Pipeline pipeline_;
  CollectSinkOperator* sink_ = nullptr;
  std::map<std::string, std::unique_ptr<JsonRowDecoder>> decoders_;
  int64_t offset_ = 0;
};

}  // namespace fsql::testing
