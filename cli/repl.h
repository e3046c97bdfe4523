// `fsql repl`: an interactive SQL shell in the manner of the Flink SQL client,
// which also runs scripts with -f, -e and -i.
#pragma once

#include <string>
#include <vector>

namespace fsql::cli {

/// Runs `fsql repl` with the arguments after `repl`. Returns the exit code:
/// 0 success, 1 a statement or job failed, 2 invalid usage.
int Repl(const std::vector<std::string>& args);

/// True when stdin and stdout are terminals, so that `fsql` without arguments starts the REPL.
bool IsInteractiveTerminal();

}  // namespace fsql::cli
