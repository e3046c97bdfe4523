#include "cli/repl_signals.h"

#include <atomic>
#include <csignal>

namespace fsql::cli {

namespace {

std::atomic<bool> g_interrupt{false};
std::atomic<bool> g_terminate{false};

void OnInterrupt(int) { g_interrupt = true; }
void OnTerminate(int) { g_terminate = true; }

void Install(int signal, void (*handler)(int)) {
  struct sigaction action {};
  action.sa_handler = handler;
  sigemptyset(&action.sa_mask);
  action.sa_flags = 0;  // no SA_RESTART: a blocking read must return so the flag is seen
  sigaction(signal, &action, nullptr);
}

}  // namespace

void InstallReplSignalHandlers() {
  Install(SIGINT, OnInterrupt);
  Install(SIGTERM, OnTerminate);
  Install(SIGHUP, OnTerminate);
}

bool InterruptRequested() { return g_interrupt; }

void ClearInterrupt() { g_interrupt = false; }

bool TerminationRequested() { return g_terminate; }

}  // namespace fsql::cli
