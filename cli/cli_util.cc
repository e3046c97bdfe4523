#include "cli/cli_util.h"

#include <csignal>
#include <filesystem>
#include <thread>

#include "runtime/common/logging.h"

namespace fsql::cli {

namespace {
std::atomic<bool> g_stop{false};
void OnStopSignal(int) { g_stop = true; }
}  // namespace

Arguments Arguments::Parse(const std::vector<std::string>& args, const std::vector<std::string>& known,
                           const std::vector<std::string>& flags) {
  Arguments parsed;
  auto contains = [](const std::vector<std::string>& list, const std::string& value) {
    return std::find(list.begin(), list.end(), value) != list.end();
  };
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (arg == "-D") {
      if (i + 1 >= args.size()) throw UsageError("-D needs KEY=VALUE");
      std::string definition = args[++i];
      auto eq = definition.find('=');
      if (eq == std::string::npos) throw UsageError(fmt::format("-D {} is not KEY=VALUE", definition));
      parsed.definitions[definition.substr(0, eq)] = definition.substr(eq + 1);
    } else if (arg.rfind("--", 0) == 0) {
      std::string name = arg.substr(2);
      std::string value;
      auto eq = name.find('=');
      if (eq != std::string::npos) {
        value = name.substr(eq + 1);
        name = name.substr(0, eq);
      }
      if (contains(flags, name)) {
        parsed.options[name] = "true";
        continue;
      }
      if (!contains(known, name)) throw UsageError(fmt::format("unknown option --{}; run with --help for the options", name));
      if (eq == std::string::npos) {
        if (i + 1 >= args.size()) throw UsageError(fmt::format("option --{} needs a value", name));
        value = args[++i];
      }
      parsed.options[name] = value;
    } else if (arg.size() == 2 && arg[0] == '-' && contains(known, arg.substr(1))) {
      // Single-letter options such as `-e SQL` take their value from the next argument.
      if (i + 1 >= args.size()) throw UsageError(fmt::format("option {} needs a value", arg));
      parsed.options[arg.substr(1)] = args[++i];
    } else {
      parsed.positional.push_back(arg);
    }
  }
  return parsed;
}

std::string Arguments::Get(const std::string& name, const std::string& fallback) const {
  auto it = options.find(name);
  return it == options.end() ? fallback : it->second;
}

int64_t Arguments::GetInt(const std::string& name, int64_t fallback) const {
  auto it = options.find(name);
  if (it == options.end()) return fallback;
  try {
    return std::stoll(it->second);
  } catch (const std::exception&) {
    throw UsageError(fmt::format("--{} expects an integer, got '{}'", name, it->second));
  }
}

double Arguments::GetDouble(const std::string& name, double fallback) const {
  auto it = options.find(name);
  if (it == options.end()) return fallback;
  try {
    return std::stod(it->second);
  } catch (const std::exception&) {
    throw UsageError(fmt::format("--{} expects a number, got '{}'", name, it->second));
  }
}

void InstallStopSignals() {
  std::signal(SIGINT, OnStopSignal);
  std::signal(SIGTERM, OnStopSignal);
}

bool StopRequested() { return g_stop; }

void WaitUntil(const std::function<bool()>& done, std::optional<std::chrono::milliseconds> limit) {
  auto deadline = std::chrono::steady_clock::now() + limit.value_or(std::chrono::hours(24 * 365));
  while (!g_stop && !done() && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
}

void RequireBootstrapServers(const LoadedRules& loaded) {
  for (const auto& name : loaded.catalog.TableNames()) {
    const TableDefinition* table = loaded.catalog.Find(name);
    if (!table->options.count("properties.bootstrap.servers")) {
      throw UsageError(fmt::format("table {} has no 'properties.bootstrap.servers'; pass --bootstrap-servers HOST:PORT "
                              "or set the option in its WITH clause",
                              name));
    }
  }
}

std::vector<std::unique_ptr<RuleJob>> StartRules(const LoadedRules& loaded) {
  std::vector<std::unique_ptr<RuleJob>> jobs;
  for (const auto& rule : loaded.rules) {
    auto job = std::make_unique<RuleJob>(rule.name, BuildPipeline(rule), JobOptionsOf(rule));
    job->Start();
    jobs.push_back(std::move(job));
  }
  return jobs;
}

bool WaitForAssignments(const std::vector<std::unique_ptr<RuleJob>>& jobs, std::chrono::milliseconds timeout) {
  auto all_assigned = [&] {
    for (const auto& job : jobs) {
      JobStatus status = job->status();
      if (!status.assigned && status.state == JobState::kRunning) return false;
    }
    return true;
  };
  WaitUntil(all_assigned, timeout);
  return all_assigned();
}

void CreateTableTopics(const LoadedRules& loaded, kafka::EmbeddedBroker& broker) {
  for (const auto& name : loaded.catalog.TableNames()) {
    const TableDefinition* table = loaded.catalog.Find(name);
    broker.CreateTopic(table->topic, table->buckets > 0 ? table->buckets : 1);
  }
}

std::string DefaultRulesDirectory() {
  if (std::filesystem::is_directory("rules")) return "rules";
  return FSQL_SOURCE_DIR "/rules";
}

}  // namespace fsql::cli
