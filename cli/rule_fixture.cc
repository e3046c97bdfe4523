#include "cli/rule_fixture.h"

#include <map>
#include <memory>
#include <sstream>

#include "compiler/planner/planner.h"
#include "runtime/formats/json_format.h"

namespace fsql::cli {

namespace {

std::string Trim(const std::string& text) {
  size_t begin = text.find_first_not_of(" \t\r");
  if (begin == std::string::npos) return {};
  size_t end = text.find_last_not_of(" \t\r");
  return text.substr(begin, end - begin + 1);
}

/// Splits off the first whitespace-separated word of `rest`.
std::string NextWord(std::string& rest) {
  rest = Trim(rest);
  size_t end = rest.find_first_of(" \t");
  std::string word = rest.substr(0, end);
  rest = end == std::string::npos ? std::string() : Trim(rest.substr(end));
  return word;
}

int64_t ParseTime(const std::string& word, const SourceLocation& location) {
  bool digits = !word.empty() && word.find_first_not_of("0123456789") == std::string::npos;
  if (digits) return std::stoll(word);
  if (auto millis = ParseTimestampMillis(word)) return *millis;
  throw SqlError(fmt::format("invalid time '{}'", word), location,
                 "write epoch milliseconds or an ISO timestamp such as 2026-01-01T00:00:00.250");
}

FixtureCase::Input ParseInput(const std::string& line, const SourceLocation& location) {
  FixtureCase::Input input;
  input.line = location.line;
  std::string rest = line;
  std::string first = NextWord(rest);
  if (first == "watermark") {
    input.time = ParseTime(NextWord(rest), location);
    if (!rest.empty()) throw SqlError("unexpected text after the watermark time", location, "write `watermark TIME`");
    return input;
  }
  input.table = first;
  std::string time = NextWord(rest);
  if (time.empty()) {
    throw SqlError("input line without a time", location, "write `TABLE TIME [key=JSON] JSON`, or `delete` for a tombstone");
  }
  input.time = ParseTime(time, location);
  if (rest.rfind("key=", 0) == 0) {
    std::string key = NextWord(rest);
    input.key = key.substr(4);
  }
  if (rest.empty()) {
    throw SqlError("input line without a value", location, "write the JSON value, or `delete` for a tombstone");
  }
  if (rest != "delete") input.value = rest;
  return input;
}

}  // namespace

std::vector<FixtureCase> ParseFixtures(const std::string& text, const std::string& file) {
  enum class Section { kNone, kHeader, kInput, kExpected };
  std::vector<FixtureCase> cases;
  Section section = Section::kNone;
  std::istringstream in(text);
  std::string raw;
  int number = 0;
  while (std::getline(in, raw)) {
    ++number;
    SourceLocation location{file, number, 1};
    std::string line = Trim(raw);
    if (line.empty() || line[0] == '#') continue;
    if (line.rfind("===", 0) == 0) {
      FixtureCase next;
      next.file = file;
      next.line = number;
      next.name = Trim(line.substr(3));
      cases.push_back(std::move(next));
      section = Section::kHeader;
      continue;
    }
    if (section == Section::kNone) {
      throw SqlError("text before the first case", location, "start each case with `=== name`");
    }
    FixtureCase& current = cases.back();
    if (line == "--- input") {
      section = Section::kInput;
    } else if (line == "--- expected") {
      section = Section::kExpected;
    } else if (section == Section::kHeader && line.rfind("rule ", 0) == 0) {
      current.rule = Trim(line.substr(5));
    } else if (section == Section::kInput) {
      current.inputs.push_back(ParseInput(line, location));
    } else if (section == Section::kExpected) {
      current.expected.push_back(line);
    } else {
      throw SqlError(fmt::format("unexpected line '{}'", line), location,
                     "a case has an optional `rule NAME` line, then `--- input` and `--- expected` sections");
    }
  }
  return cases;
}

FixtureResult RunFixture(const FixtureCase& fixture, const RulePlan& rule) {
  FixtureResult result;
  Pipeline pipeline = BuildPipeline(rule);
  auto* sink = pipeline.Add<CollectSinkOperator>();
  pipeline.output->Connect(sink, 0);
  std::map<std::string, std::unique_ptr<JsonRowDecoder>> decoders;
  for (const auto& source : pipeline.sources) {
    decoders.emplace(source.table->name, std::make_unique<JsonRowDecoder>(*source.table));
  }
  for (const auto& values : pipeline.values) {
    std::vector<Row> rows = values.rows;
    values.entry->ProcessBatch(0, rows);
    values.entry->ProcessWatermark(0, INT64_MAX);
  }

  int64_t offset = 0;
  try {
    for (const auto& input : fixture.inputs) {
      if (input.table.empty()) {
        for (const auto& source : pipeline.sources) source.entry->ProcessWatermark(0, input.time);
        continue;
      }
      auto decoder = decoders.find(input.table);
      if (decoder == decoders.end()) {
        std::vector<std::string> names;
        for (const auto& [name, unused] : decoders) names.push_back(name);
        result.error = fmt::format("line {}: rule {} does not read table '{}'; it reads {}", input.line, rule.name,
                                   input.table, fmt::join(names, ", "));
        return result;
      }
      RecordRef record{&input.table, 0, offset++, input.time, &input.key, &input.value};
      std::vector<Row> rows;
      decoder->second->Decode(record, rows);
      pipeline.SetProcessingTime(input.time);
      for (const auto& source : pipeline.sources) {
        if (source.table->name != input.table) continue;
        std::vector<Row> copy = rows;
        source.entry->ProcessBatch(0, copy);
      }
    }
  } catch (const Error& error) {
    result.error = error.what();
    return result;
  }

  std::vector<DataType> types;
  for (const auto& column : rule.sink->columns) {
    if (column.kind == ColumnKind::kPhysical) types.push_back(column.type);
  }
  for (const Row& row : sink->rows()) result.actual.push_back(RowToString(row.view(), types));
  result.passed = result.actual == fixture.expected;
  return result;
}

std::vector<std::string> DiffLines(const std::vector<std::string>& expected, const std::vector<std::string>& actual) {
  size_t n = expected.size(), m = actual.size();
  // common[i][j]: length of the longest common subsequence of expected[i..] and actual[j..].
  std::vector<std::vector<size_t>> common(n + 1, std::vector<size_t>(m + 1, 0));
  for (size_t i = n; i-- > 0;) {
    for (size_t j = m; j-- > 0;) {
      common[i][j] = expected[i] == actual[j] ? common[i + 1][j + 1] + 1 : std::max(common[i + 1][j], common[i][j + 1]);
    }
  }
  std::vector<std::string> lines;
  size_t i = 0, j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && expected[i] == actual[j]) {
      lines.push_back("  " + expected[i]);
      ++i;
      ++j;
    } else if (i < n && (j == m || common[i + 1][j] >= common[i][j + 1])) {
      lines.push_back("- " + expected[i++]);
    } else {
      lines.push_back("+ " + actual[j++]);
    }
  }
  return lines;
}

}  // namespace fsql::cli
