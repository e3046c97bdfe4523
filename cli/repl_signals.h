// Signal handling for `fsql repl`. At the prompt Ctrl-C is a key that clears
// the line (see repl_editor.cc). While a statement runs, Ctrl-C is SIGINT,
// which cancels the running query and returns to the prompt.
#pragma once

namespace fsql::cli {

/// Installs handlers for SIGINT, SIGTERM and SIGHUP. They only set flags, and
/// they do not restart interrupted reads, so a blocking read returns EINTR.
void InstallReplSignalHandlers();

/// True when SIGINT arrived since the last ClearInterrupt().
bool InterruptRequested();
void ClearInterrupt();

/// True once SIGTERM or SIGHUP arrived: the REPL stops its jobs and exits.
bool TerminationRequested();

}  // namespace fsql::cli
