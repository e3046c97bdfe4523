// Runs the data-driven SQL cases in tests/sql/*.test through the whole engine:
// parser, binder, planner, operators and the JSON decoder.
//
// A file contains cases. Each case is:
//
//   === name
//   statements (CREATE TABLE ..., one INSERT INTO or CREATE TABLE AS)
//   ---
//   input lines: `table time json`, `table time delete keyjson` (a tombstone)
//                or `table watermark time`
//   ---
//   the expected changelog, one `+I[...]` row per line, in order,
//   or `error: text` when loading must fail with a message containing text
//
// Lines starting with `#` are comments everywhere.
//
// Every case runs twice: once with expressions interpreted and once compiled
// by the LLVM backend ('table.exec.codegen.mode' = 'jit'), and both must give
// the expected changelog.
#include <filesystem>
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>

#include "compiler/parser/parser.h"
#include "compiler/planner/planner.h"
#include "runtime/formats/json_format.h"

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
      if (line.rfind("#", 0) == 0) continue;
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
    decoders.emplace(source.table->name, std::make_unique<JsonRowDecoder>(*source.table));
  }
  for (auto& values : pipeline.values) {
    std::vector<Row> rows = values.rows;
    values.entry->ProcessBatch(0, rows);
    values.entry->ProcessWatermark(0, INT64_MAX);
  }

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
      for (const auto& source : pipeline.sources) {
        if (source.table->name == table) source.entry->ProcessWatermark(0, watermark);
      }
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
