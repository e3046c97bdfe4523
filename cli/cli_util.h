// Small helpers shared by the fsql subcommands: option parsing, signals and
// starting rules as jobs.
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "api/rule_loader.h"
#include "runtime/connectors/kafka.h"
#include "runtime/job/rule_job.h"

namespace fsql::cli {

/// Invalid command-line usage; the command exits with status 2.
class UsageError : public Error {
 public:
  using Error::Error;
};

/// Parsed command line: `--name value` and `--flag` options, `-D key=value`
/// definitions, and positional arguments.
struct Arguments {
  std::map<std::string, std::string> options;
  std::map<std::string, std::string> definitions;
  std::vector<std::string> positional;

  /// Parses `args`. `flags` lists options that take no value. Throws Error on a
  /// missing value or an option not in `known`.
  static Arguments Parse(const std::vector<std::string>& args, const std::vector<std::string>& known,
                         const std::vector<std::string>& flags = {});

  bool Has(const std::string& name) const { return options.count(name) > 0; }
  std::string Get(const std::string& name, const std::string& fallback) const;
  int64_t GetInt(const std::string& name, int64_t fallback) const;
  double GetDouble(const std::string& name, double fallback) const;
};

/// Installs SIGINT and SIGTERM handlers that set the flag StopRequested() reads.
void InstallStopSignals();
bool StopRequested();
/// Sleeps in short steps until a stop signal, `done()` returns true or `limit` passes.
void WaitUntil(const std::function<bool()>& done, std::optional<std::chrono::milliseconds> limit);

/// Fails with a clear message when a Kafka table has no bootstrap servers.
void RequireBootstrapServers(const LoadedRules& loaded);

/// Builds and starts one job per rule. Throws when a job cannot start.
std::vector<std::unique_ptr<RuleJob>> StartRules(const LoadedRules& loaded);

/// Waits until every job's consumers hold partitions, so that records written
/// afterwards are read without the group-join delay. Returns false on timeout.
bool WaitForAssignments(const std::vector<std::unique_ptr<RuleJob>>& jobs, std::chrono::milliseconds timeout);

/// Creates the topic of every catalog table on the embedded broker, with the
/// table's bucket count, because the mock cluster cannot create topics over the protocol.
void CreateTableTopics(const LoadedRules& loaded, kafka::EmbeddedBroker& broker);

/// The rules/ folder of the source tree, used by `fsql demo` by default.
std::string DefaultRulesDirectory();

}  // namespace fsql::cli
