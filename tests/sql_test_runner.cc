// Runs the data-driven SQL cases in tests/sql/*.test through the whole engine:
// parser, binder, planner, operators and the JSON decoder.
//
// A file contains cases. Each case is:
//
//   === name
//   statements (CREATE TABLE ..., one INSERT INTO or CREATE TABLE AS)
//   ---
//   input lines: `table time json`, `table time delete keyjson` (a tombstone),
//                `table watermark time` or `table proctime time`
//   ---
//   the expected changelog, one `+I[...]` row per line, in order,
//   or `error: text` when loading must fail with a message containing text
//
// Lines starting with `#` are comments everywhere.
//
// Processing time is deterministic: each input row is processed at its own
// time, and a `proctime` line advances processing time without a row, which
// fires the processing-time windows that end at or before it. The table name
// of a `proctime` line must be one the rule reads, but the time applies to the
// whole pipeline.
//
// Every case runs twice: once with expressions interpreted and once compiled
// by the LLVM backend ('table.exec.codegen.mode' = 'jit'), and both must give
// the expected changelog.
//
// When the rule's result is insert-only, the runner then ends the input with a
// watermark at the maximum time, as a bounded source does, and compares the
// rows the sink holds with the batch result of tests/reference_evaluator.h as
// multisets. A comment `# reference: skip (reason)` inside a case turns that
// check off; the runner prints each case it skips and why.
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <set>
#include <sstream>

#include <gtest/gtest.h>

#include "compiler/parser/parser.h"
#include "compiler/planner/planner.h"
#include "runtime/formats/json_format.h"
#include "tests/reference_evaluator.h"

namespace fsql::testing {
namespace {

struct SqlCase {
  std::string file;
  int line = 0;
  std::string name;
  std::string statements;
  std::vector<std::string> inputs;
  std::vector<std::string> expected;
  std::string expected_error;
  std::string reference_skip;  // the reason of a `# reference: skip (reason)` directive
};

std::string Trim(const std::string& s) {
  size_t begin = s.find_first_not_of(" \t\r");
  if (begin == std::string::npos) return {};
  size_t end = s.find_last_not_of(" \t\r");
  return s.substr(begin, end - begin + 1);
}

std::vector<SqlCase> LoadCases() {
  std::vector<SqlCase> cases;
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::directory_iterator(FSQL_SOURCE_DIR "/tests/sql")) {
    if (entry.path().extension() == ".test") files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  for (const auto& path : files) {
    std::ifstream in(path);
    std::string line;
    int number = 0;
    int section = 0;
    SqlCase* current = nullptr;
    while (std::getline(in, line)) {
      ++number;
      if (line.rfind("#", 0) == 0) {
        const std::string directive = "# reference: skip";
        if (current != nullptr && line.rfind(directive, 0) == 0) {
          current->reference_skip = Trim(line.substr(directive.size()));
          if (current->reference_skip.empty()) current->reference_skip = "(no reason given)";
        }
        continue;
      }
      if (line.rfind("===", 0) == 0) {
        SqlCase next;
        next.file = path.filename().string();
        next.line = number;
        next.name = Trim(line.substr(3));
        cases.push_back(std::move(next));
        current = &cases.back();
        section = 0;
        continue;
      }
      if (current == nullptr) continue;
      if (Trim(line) == "---") {
        ++section;
        continue;
      }
      if (section == 0) {
        current->statements += line + "\n";
      } else if (!Trim(line).empty()) {
        std::string text = Trim(line);
        if (section == 1) {
          current->inputs.push_back(text);
        } else if (text.rfind("error:", 0) == 0) {
          current->expected_error = Trim(text.substr(6));
        } else {
          current->expected.push_back(text);
        }
      }
    }
  }
  return cases;
}

// Names the case in test listings instead of dumping its bytes.
void PrintTo(const SqlCase& c, std::ostream* os) { *os << c.file << ":" << c.line << " " << c.name; }

/// A case and the codegen mode it runs in.
struct SqlRun {
  SqlCase sql_case;
  std::string mode;  // 'interpret' or 'jit'
};

void PrintTo(const SqlRun& run, std::ostream* os) {
  PrintTo(run.sql_case, os);
  *os << " (" << run.mode << ")";
}

std::vector<SqlRun> LoadRuns() {
  std::vector<SqlRun> runs;
  for (const std::string mode : {"interpret", "jit"}) {
    for (const SqlCase& c : LoadCases()) runs.push_back(SqlRun{c, mode});
  }
  return runs;
}

class SqlCaseTest : public ::testing::TestWithParam<SqlRun> {};

/// Returns the rows a changelog leaves in a table, each rendered without its
/// row kind and sorted, or the first retraction of an absent row as an error.
std::vector<std::string> ApplyChangelog(const std::vector<Row>& rows, const std::vector<DataType>& types,
                                        std::string& error) {
  std::multiset<std::string> table;
  for (const Row& row : rows) {
    std::string text = RowToString(row.view(), types);
    std::string body = text.substr(2);  // drop `+I`, `-U`, `+U` or `-D`
    if (IsAccumulate(row.kind())) {
      table.insert(body);
      continue;
    }
    auto it = table.find(body);
    if (it == table.end()) {
      if (error.empty()) error = "retraction of a row the result does not contain: " + text;
      continue;
    }
    table.erase(it);
  }
  return {table.begin(), table.end()};
}

/// Compares the engine's complete result with the batch reference. `sink_rows`
/// must include the output of the final watermark.
void CheckAgainstReference(const SqlRun& run, const RulePlan& rule, const std::vector<ReferenceRecord>& records,
                           const std::vector<Row>& sink_rows, const std::vector<DataType>& types) {
  const SqlCase& c = run.sql_case;
  std::string label = fmt::format("{}:{} {} ({})", c.file, c.line, c.name, run.mode);
  std::vector<Row> reference_rows;
  try {
    reference_rows = EvaluateReference(*rule.plan, records);
  } catch (const ReferenceSkip& skip) {
    std::cout << "[reference] skip " << label << ": " << skip.reason << "\n";
    return;
  }
  std::string error;
  std::vector<std::string> engine = ApplyChangelog(sink_rows, types, error);
  EXPECT_EQ(error, "");
  std::vector<std::string> reference = ApplyChangelog(reference_rows, types, error);
  EXPECT_EQ(engine, reference) << "the engine's final result differs from the batch reference";
  std::cout << "[reference] checked " << label << ": " << reference.size() << " rows\n";
}

TEST_P(SqlCaseTest, MatchesExpectedChangelog) {
  const SqlCase& c = GetParam().sql_case;
  SCOPED_TRACE(fmt::format("{}:{}: {}", c.file, c.line, c.name));
  Catalog catalog;
  SessionConfig config;
  config.settings["table.exec.codegen.mode"] = GetParam().mode;
  ScriptPlanner planner(catalog, config);
  std::vector<RulePlan> rules;
  try {
    rules = planner.PlanScript(c.statements, c.file);
  } catch (const SqlError& error) {
    ASSERT_FALSE(c.expected_error.empty()) << error.Render(SourceLine(c.statements, error.location().line));
    EXPECT_NE(error.message().find(c.expected_error), std::string::npos) << error.message();
    return;
  }
  ASSERT_TRUE(c.expected_error.empty()) << "expected the error: " << c.expected_error;
  ASSERT_EQ(rules.size(), 1u) << "a case needs exactly one INSERT INTO or CREATE TABLE AS";
  const RulePlan& rule = rules[0];

  Pipeline pipeline = BuildPipeline(rule);
  if (GetParam().mode == "jit") {
    // In 'jit' mode every Calc of these cases compiles before its first batch.
    for (const auto& op : pipeline.operators) {
      if (auto* calc = dynamic_cast<const CalcOperator*>(op.get())) {
        EXPECT_TRUE(calc->uses_compiled_code()) << "a Calc stayed on the interpreter";
      }
    }
  }
  auto* sink = pipeline.Add<CollectSinkOperator>();
  pipeline.output->Connect(sink, 0);
  std::map<std::string, std::unique_ptr<JsonRowDecoder>> decoders;
  for (const auto& source : pipeline.sources) {
    decoders.emplace(source.table->name,
                     std::make_unique<JsonRowDecoder>(*source.table, pipeline.ReadsOf(*source.table)));
  }
  for (auto& values : pipeline.values) {
    std::vector<Row> rows = values.rows;
    values.entry->ProcessBatch(0, rows);
    values.entry->ProcessWatermark(0, INT64_MAX);
  }

  std::vector<ReferenceRecord> records;
  std::map<std::string, int64_t> watermarks;  // per table, the last `watermark` line
  int64_t offset = 0;
  for (const std::string& input : c.inputs) {
    std::istringstream words(input);
    std::string table, time_text;
    words >> table >> time_text;
    std::string rest;
    std::getline(words, rest);
    rest = Trim(rest);
    ASSERT_TRUE(decoders.count(table)) << "the rule does not read table " << table << " (input: " << input << ")";
    if (time_text == "watermark") {
      int64_t watermark = std::stoll(rest);
      watermarks[table] = watermarks.count(table) ? std::max(watermarks[table], watermark) : watermark;
      for (const auto& source : pipeline.sources) {
        if (source.table->name == table) source.entry->ProcessWatermark(0, watermark);
      }
      continue;
    }
    if (time_text == "proctime") {
      pipeline.SetProcessingTime(std::stoll(rest));
      continue;
    }
    int64_t time = std::stoll(time_text);
    std::optional<std::string> key;
    std::optional<std::string> value = rest;
    if (rest.rfind("delete ", 0) == 0) {
      key = Trim(rest.substr(7));
      value.reset();
    }
    std::vector<Row> rows;
    RecordRef record{&table, 0, offset++, time, &key, &value};
    decoders[table]->Decode(record, rows);
    records.push_back(ReferenceRecord{table, rows, time, watermarks.count(table) ? watermarks[table] : kNoTime});
    pipeline.SetProcessingTime(time);
    for (const auto& source : pipeline.sources) {
      if (source.table->name != table) continue;
      std::vector<Row> copy = rows;
      source.entry->ProcessBatch(0, copy);
    }
  }

  std::vector<DataType> types;
  for (const auto& column : rule.sink->columns) {
    if (column.kind == ColumnKind::kPhysical) types.push_back(column.type);
  }
  std::vector<std::string> actual;
  for (const Row& row : sink->rows()) actual.push_back(RowToString(row.view(), types));
  EXPECT_EQ(actual, c.expected);

  if (!rule.plan->insert_only) return;
  if (!c.reference_skip.empty()) {
    std::cout << "[reference] skip " << c.file << ":" << c.line << " " << c.name << " (" << GetParam().mode
              << "): " << c.reference_skip << "\n";
    return;
  }
  // A bounded source ends with the maximum watermark, which fires every window
  // and releases every row still waiting in state. Processing-time windows
  // ignore it, so the runner also moves processing time to its maximum.
  for (const auto& source : pipeline.sources) source.entry->ProcessWatermark(0, INT64_MAX);
  pipeline.SetProcessingTime(INT64_MAX);
  CheckAgainstReference(GetParam(), rule, records, sink->rows(), types);
}

INSTANTIATE_TEST_SUITE_P(Sql, SqlCaseTest, ::testing::ValuesIn(LoadRuns()),
                         [](const ::testing::TestParamInfo<SqlRun>& info) {
                           const SqlCase& c = info.param.sql_case;
                           std::string name = info.param.mode + "_" + c.file.substr(0, c.file.find('.')) + "_" +
                                              std::to_string(c.line);
                           for (char& ch : name) {
                             if (!std::isalnum(static_cast<unsigned char>(ch))) ch = '_';
                           }
                           return name;
                         });

}  // namespace
}  // namespace fsql::testing
