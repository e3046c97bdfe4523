// Logging goes through spdlog. Lines carry the rule name where one is known;
// nothing in fsql logs once per row.
#pragma once

#include <spdlog/spdlog.h>

namespace fsql {

/// Sends log lines to stderr with timestamps; call once at start-up.
void InitLogging();

/// Sets the global level from a name such as "info" or "debug"; unknown names keep "info".
void SetLogLevel(const std::string& level);

}  // namespace fsql
