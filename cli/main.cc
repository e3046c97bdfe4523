// The fsql command: check, explain, run, test, broker, gen, demo and repl.
#include <cstring>
#include <iostream>
#include <string>
#include <vector>

#include "cli/cli_util.h"
#include "cli/commands.h"
#include "cli/repl.h"
#include "runtime/common/error.h"
#include "runtime/common/logging.h"

namespace {

void PrintUsage() {
  std::cout << R"(fsql: Flink SQL fraud rules, compiled and run against Kafka in one process

usage:
  fsql check FILE|DIR...            parse, bind and plan rule files; report the first error
  fsql explain FILE|DIR... [-e SQL] print each rule's plans with changelog modes and upsert keys
  fsql run [options] FILE|DIR...    run the rules until SIGINT or SIGTERM; --watch reloads them on change
  fsql test [options] DIR|FILE...   run the rules against the fixtures (*.test) beside them, offline
  fsql broker [--topics T:N,...]    serve the embedded Kafka broker and print its address
  fsql gen [options]                write fraud-demo CDC traffic to Kafka
  fsql demo [--duration SECONDS]    broker, generator and the rules in rules/ in one process
  fsql repl [options]               interactive SQL shell; -f FILE or -e SQL run statements and exit
                                    (`fsql` alone on a terminal starts it too)

run options:
  --bootstrap-servers HOSTS   Kafka bootstrap servers for tables that do not set them
  -D KEY=VALUE                a default table option, e.g. -D properties.security.protocol=SASL_SSL
  --log-level LEVEL           trace, debug, info (default), warn or error

Run `fsql COMMAND --help` for the options of run, test, gen, demo and repl.
)";
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  if (args.empty() && fsql::cli::IsInteractiveTerminal()) args.push_back("repl");
  if (args.empty() || args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
    PrintUsage();
    return args.empty() ? 2 : 0;
  }
  std::string command = args[0];
  args.erase(args.begin());
  fsql::InitLogging();
  fsql::SetLogLevel("info");
  try {
    if (command == "check") return fsql::cli::Check(args);
    if (command == "explain") return fsql::cli::Explain(args);
    if (command == "run") return fsql::cli::Run(args);
    if (command == "test") return fsql::cli::Test(args);
    if (command == "broker") return fsql::cli::Broker(args);
    if (command == "gen") return fsql::cli::Generate(args);
    if (command == "demo") return fsql::cli::Demo(args);
    if (command == "repl") return fsql::cli::Repl(args);
  } catch (const fsql::cli::UsageError& error) {
    std::cerr << "error: " << error.what() << "\n";
    return 2;
  } catch (const std::invalid_argument& error) {
    // Thrown by the traffic generator for out-of-range options such as --users 0.
    std::cerr << "error: " << error.what() << "\n";
    return 2;
  } catch (const std::exception& error) {
    std::cerr << "error: " << error.what() << "\n";
    return 1;
  }
  std::cerr << "error: unknown command '" << command << "'; run `fsql --help` for the list\n";
  return 2;
}
