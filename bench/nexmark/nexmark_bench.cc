// The whole-query benchmark driver for the Nexmark queries and the fraud rules.
//
//   nexmark_bench generate --events N [--seed S] --output FILE
//       writes N Nexmark events as JSON lines
//   nexmark_bench run --query FILE [--events N] [--input memory|FILE] [--mode jit|interpret|auto]
//       plans nexmark.sql and the query, runs it over pre-generated events held
//       in memory or read from a JSON-lines file, and prints one Markdown table
//       row of figures; in memory it also measures the decode floor
//   nexmark_bench fraud [--accounts N] [--transactions N] [--spacing-ms N] [--rules DIR]
//       runs the fraud rules of rules/ on the demo's traffic generator, in memory
//   nexmark_bench kafka [--query FILE] [--rate N --duration S | --events N] [--accounts N]
//       runs a query, or without --query the fraud rules, through the embedded
//       broker: throughput when --rate is 0, else latency at that input rate
//   nexmark_bench smoke [--events N] QUERY_FILE...
//       runs each query on a small input and fails unless it produces rows, or
//       unless it fails with the error its `-- expect-error:` line names
//
// Figures per core come from the process's CPU time, so they count every core
// the run used. See docs/benchmarks.md for the commands behind each figure.
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iostream>
#include <map>
#include <set>
#include <sstream>

#include <fmt/format.h>
#include <simdjson.h>
#include <spdlog/spdlog.h>

#include "bench/nexmark/fraud_bench.h"
#include "bench/nexmark/generator.h"
#include "bench/nexmark/kafka_bench.h"
#include "bench/nexmark/query_runner.h"

namespace fsql::bench {
namespace {

constexpr size_t kBatchSize = 1000;  // records per batch, as a job polls them from Kafka

/// The command line as `--name value` pairs and the remaining arguments.
struct Arguments {
  std::map<std::string, std::string> options;
  std::vector<std::string> positional;

  std::string Get(const std::string& name, const std::string& fallback) const {
    auto it = options.find(name);
    return it == options.end() ? fallback : it->second;
  }
  int64_t GetInt(const std::string& name, int64_t fallback) const {
    auto it = options.find(name);
    return it == options.end() ? fallback : std::stoll(it->second);
  }
};

Arguments ParseArguments(int argc, char** argv, int first) {
  Arguments args;
  for (int i = first; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg.rfind("--", 0) == 0) {
      if (i + 1 >= argc) throw std::runtime_error("missing value for " + arg);
      args.options[arg.substr(2)] = argv[++i];
    } else {
      args.positional.push_back(arg);
    }
  }
  return args;
}

/// Pre-generated events, with room for simdjson's padding after each value.
struct EventSet {
  std::vector<std::optional<std::string>> values;
  std::vector<int64_t> times;
  int64_t bytes = 0;
};

EventSet GenerateEvents(int64_t count, uint64_t seed) {
  nexmark::NexmarkOptions options;
  options.seed = seed;
  nexmark::NexmarkGenerator generator(options);
  EventSet events;
  events.values.reserve(static_cast<size_t>(count));
  events.times.reserve(static_cast<size_t>(count));
  for (int64_t i = 0; i < count; ++i) {
    nexmark::Event event = generator.Next();
    event.json.reserve(event.json.size() + simdjson::SIMDJSON_PADDING);
    events.bytes += static_cast<int64_t>(event.json.size());
    events.times.push_back(event.time_ms);
    events.values.emplace_back(std::move(event.json));
  }
  return events;
}

const std::string kNexmarkTable = "nexmark";

RecordSource MemorySource(const EventSet& events) {
  return [&events](const std::function<void(const std::vector<InputRecord>&)>& consume) {
    std::vector<InputRecord> batch;
    for (size_t i = 0; i < events.values.size(); ++i) {
      batch.push_back({&kNexmarkTable, &events.values[i], events.times[i]});
      if (batch.size() == kBatchSize) {
        consume(batch);
        batch.clear();
      }
    }
    if (!batch.empty()) consume(batch);
  };
}

/// Reads JSON lines in large blocks; each batch's values live until the next batch.
RecordSource FileSource(const std::string& path) {
  return [path](const std::function<void(const std::vector<InputRecord>&)>& consume) {
    std::FILE* file = std::fopen(path.c_str(), "rb");
    if (file == nullptr) throw std::runtime_error("cannot read " + path);
    std::vector<char> block(1 << 20);
    std::string pending;
    std::vector<std::optional<std::string>> values(kBatchSize);
    std::vector<InputRecord> batch;
    size_t used = 0;
    auto flush = [&] {
      if (batch.empty()) return;
      consume(batch);
      batch.clear();
      used = 0;
    };
    auto add_line = [&](const char* data, size_t size) {
      if (size == 0) return;
      std::optional<std::string>& value = values[used++];
      if (!value) value.emplace();
      value->assign(data, size);
      batch.push_back({&kNexmarkTable, &value, 0});
      if (batch.size() == kBatchSize) flush();
    };
    size_t read;
    while ((read = std::fread(block.data(), 1, block.size(), file)) > 0) {
      const char* start = block.data();
      const char* end = start + read;
      while (start < end) {
        const char* newline = static_cast<const char*>(std::memchr(start, '\n', static_cast<size_t>(end - start)));
        if (newline == nullptr) {
          pending.append(start, end);
          break;
        }
        if (!pending.empty()) {
          pending.append(start, newline);
          add_line(pending.data(), pending.size());
          pending.clear();
        } else {
          add_line(start, static_cast<size_t>(newline - start));
        }
        start = newline + 1;
      }
    }
    add_line(pending.data(), pending.size());
    flush();
    std::fclose(file);
  };
}

/// Returns the value after `-- name:` in a query file's comments, or "".
std::string HeaderValue(const std::string& text, const std::string& name) {
  std::istringstream lines(text);
  std::string line;
  std::string prefix = "-- " + name + ":";
  while (std::getline(lines, line)) {
    if (line.rfind(prefix, 0) == 0) {
      size_t start = line.find_first_not_of(' ', prefix.size());
      return start == std::string::npos ? "" : line.substr(start);
    }
  }
  return "";
}

std::vector<RuleSource> QuerySources(const std::string& query_path, const std::string& mode) {
  std::string dir = query_path.substr(0, query_path.rfind('/') + 1);
  return {{"<benchmark>", fmt::format("SET 'table.exec.codegen.mode' = '{}';", mode)},
          ReadRuleSource(dir + "../nexmark.sql"), ReadRuleSource(query_path)};
}

std::string QueryName(const std::string& path) {
  size_t slash = path.rfind('/');
  std::string name = path.substr(slash == std::string::npos ? 0 : slash + 1);
  return name.substr(0, name.rfind('.'));
}

/// Parses each event with simdjson On-Demand and reads only `fields` (such as
/// `bid.price`) of its type, which is the least work any engine must do to
/// get at those values. Returns CPU seconds.
double MeasureDecodeFloor(const EventSet& events, const std::vector<std::string>& fields, int64_t& checksum) {
  static const std::set<std::string> kIntegerFields = {"id", "initialBid", "reserve", "seller",
                                                       "category", "auction", "bidder", "price"};
  const char* const kTypeNames[] = {"person", "auction", "bid"};
  std::vector<std::string> wanted[3];
  for (const auto& field : fields) {
    size_t dot = field.find('.');
    for (int t = 0; t < 3; ++t) {
      if (field.substr(0, dot) == kTypeNames[t]) wanted[t].push_back(field.substr(dot + 1));
    }
  }
  simdjson::ondemand::parser parser;
  double start = ProcessCpuSeconds();
  for (const auto& value : events.values) {
    simdjson::padded_string_view json(value->data(), value->size(), value->capacity());
    simdjson::ondemand::document doc = parser.iterate(json);
    int64_t type = doc["event_type"].get_int64();
    if (type < 0 || type > 2 || wanted[type].empty()) continue;
    simdjson::ondemand::object nested = doc[kTypeNames[type]].get_object();
    for (const auto& name : wanted[type]) {
      simdjson::ondemand::value field = nested[name];
      if (kIntegerFields.count(name)) {
        checksum += field.get_int64();
      } else {
        checksum += static_cast<int64_t>(std::string_view(field.get_string()).size());
      }
    }
  }
  return ProcessCpuSeconds() - start;
}

std::vector<std::string> SplitWords(const std::string& text) {
  std::istringstream in(text);
  std::vector<std::string> words;
  std::string word;
  while (in >> word) words.push_back(word);
  return words;
}

std::string Rate(double per_second) {
  if (per_second >= 1e6) return fmt::format("{:.2f} M", per_second / 1e6);
  return fmt::format("{:.0f} k", per_second / 1e3);
}

int Generate(const Arguments& args) {
  std::string output = args.Get("output", "");
  if (output.empty()) throw std::runtime_error("generate needs --output FILE");
  nexmark::NexmarkOptions options;
  options.seed = static_cast<uint64_t>(args.GetInt("seed", 1));
  nexmark::NexmarkGenerator generator(options);
  std::ofstream out(output, std::ios::binary);
  int64_t count = args.GetInt("events", 1'000'000);
  for (int64_t i = 0; i < count; ++i) out << generator.Next().json << '\n';
  if (!out) throw std::runtime_error("cannot write " + output);
  return 0;
}

int Run(const Arguments& args) {
  std::string query = args.Get("query", "");
  if (query.empty()) throw std::runtime_error("run needs --query FILE");
  std::string input = args.Get("input", "memory");
  std::string mode = args.Get("mode", "jit");
  std::string name = QueryName(query);
  std::vector<RuleSource> sources = QuerySources(query, mode);
  auto loaded = LoadRules(sources);
  const RulePlan& rule = FindRule(*loaded, name);

  RunStats stats;
  std::string floor_column = "-";
  std::string ratio_column = "-";
  if (input == "memory") {
    EventSet events = GenerateEvents(args.GetInt("events", 1'000'000), static_cast<uint64_t>(args.GetInt("seed", 1)));
    int64_t checksum = 0;
    double floor_seconds = MeasureDecodeFloor(events, SplitWords(HeaderValue(sources[2].text, "decode")), checksum);
    stats = RunRule(rule, MemorySource(events));
    double floor_rate = static_cast<double>(events.values.size()) / floor_seconds;
    double rate = static_cast<double>(stats.records) / stats.cpu_seconds;
    floor_column = Rate(floor_rate);
    ratio_column = fmt::format("{:.2f}", rate / floor_rate);
    if (checksum == 42) std::fprintf(stderr, "\n");  // keeps the floor's reads from being optimised away
  } else {
    stats = RunRule(rule, FileSource(input));
  }
  double rate = static_cast<double>(stats.records) / stats.cpu_seconds;
  std::printf("| %s | %s | %s | %lld | %s/s | %.2f | %s/s | %s | %.0f MB | %.1f MB |\n", name.c_str(),
              input == "memory" ? "memory" : "file", mode.c_str(), static_cast<long long>(stats.output_rows),
              Rate(rate).c_str(), stats.cpu_seconds / stats.wall_seconds, floor_column.c_str(), ratio_column.c_str(),
              static_cast<double>(PeakRssBytes()) / 1e6, static_cast<double>(stats.state_bytes) / 1e6);
  std::fflush(stdout);
  return 0;
}

int Smoke(const Arguments& args) {
  EventSet events = GenerateEvents(args.GetInt("events", 20'000), 1);
  int failures = 0;
  for (const auto& query : args.positional) {
    std::string name = QueryName(query);
    std::vector<RuleSource> sources = QuerySources(query, args.Get("mode", "jit"));
    std::string expected_error = HeaderValue(sources[2].text, "expect-error");
    try {
      auto loaded = LoadRules(sources);
      if (!expected_error.empty()) {
        std::printf("FAIL %s: plans now, but its `-- expect-error:` line expects \"%s\"; remove that line so the "
                    "benchmark runs it\n",
                    name.c_str(), expected_error.c_str());
        ++failures;
        continue;
      }
      RunStats stats = RunRule(FindRule(*loaded, name), MemorySource(events));
      if (stats.output_rows == 0) {
        std::printf("FAIL %s: no output rows from %lld events\n", name.c_str(), static_cast<long long>(stats.records));
        ++failures;
        continue;
      }
      std::printf("ok   %s: %lld output rows\n", name.c_str(), static_cast<long long>(stats.output_rows));
    } catch (const std::exception& error) {
      if (!expected_error.empty() && std::string(error.what()).find(expected_error) != std::string::npos) {
        std::printf("ok   %s: not supported yet, as expected: %s\n", name.c_str(), expected_error.c_str());
        continue;
      }
      std::printf("FAIL %s: %s\n", name.c_str(), error.what());
      ++failures;
    }
  }
  return failures == 0 ? 0 : 1;
}

}  // namespace
}  // namespace fsql::bench

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: nexmark_bench generate|run|smoke|fraud|kafka [options]\n");
    return 2;
  }
  std::string command = argv[1];
  // Table option notices are printed per run and would interleave with the figures.
  spdlog::set_level(std::getenv("FSQL_BENCH_KAFKA_DEBUG") ? spdlog::level::debug : spdlog::level::warn);
  try {
    fsql::bench::Arguments args = fsql::bench::ParseArguments(argc, argv, 2);
    if (command == "generate") return fsql::bench::Generate(args);
    if (command == "run") return fsql::bench::Run(args);
    if (command == "smoke") return fsql::bench::Smoke(args);
    if (command == "kafka") {
      fsql::bench::KafkaBenchOptions options;
      options.query = args.Get("query", "");
      options.rules_dir = args.Get("rules", options.rules_dir);
      options.mode = args.Get("mode", options.mode);
      options.rate = args.GetInt("rate", options.rate);
      options.duration_s = args.GetInt("duration", options.duration_s);
      options.events = args.GetInt("events", options.events);
      options.accounts = args.GetInt("accounts", options.accounts);
      fsql::bench::RunKafkaBench(options);
      return 0;
    }
    if (command == "fraud") {
      fsql::bench::FraudBenchOptions options;
      options.rules_dir = args.Get("rules", options.rules_dir);
      options.accounts = args.GetInt("accounts", options.accounts);
      options.transactions = args.GetInt("transactions", options.transactions);
      options.spacing_ms = args.GetInt("spacing-ms", options.spacing_ms);
      options.mode = args.Get("mode", options.mode);
      fsql::bench::RunFraudBench(options);
      return 0;
    }
    std::fprintf(stderr, "unknown command '%s'\n", command.c_str());
    return 2;
  } catch (const std::exception& error) {
    std::fprintf(stderr, "error: %s\n", error.what());
    return 1;
  }
}
