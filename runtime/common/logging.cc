#include "runtime/common/logging.h"

#include <spdlog/sinks/stdout_color_sinks.h>

namespace fsql {

void InitLogging() {
  // Logs go to stderr so that stdout carries only results, e.g. `fsql explain` plans.
  auto logger = spdlog::stderr_color_mt("fsql");
  logger->set_pattern("%Y-%m-%d %H:%M:%S.%e %^%l%$ %v");
  spdlog::set_default_logger(logger);
}

void SetLogLevel(const std::string& level) {
  auto parsed = spdlog::level::from_str(level);
  if (parsed == spdlog::level::off && level != "off") parsed = spdlog::level::info;
  spdlog::set_level(parsed);
}

}  // namespace fsql
