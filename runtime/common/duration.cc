#include "runtime/common/duration.h"

#include <algorithm>
#include <cctype>
#include <string>

namespace fsql {

namespace {

/// Nanoseconds per unit, for every spelling Flink accepts.
std::optional<int64_t> UnitNanos(const std::string& unit) {
  struct Unit {
    const char* names[6];
    int64_t nanos;
  };
  static const Unit kUnits[] = {
      {{"d", "day", "days"}, 86'400'000'000'000},
      {{"h", "hour", "hours"}, 3'600'000'000'000},
      {{"min", "m", "minute", "minutes"}, 60'000'000'000},
      {{"s", "sec", "secs", "second", "seconds"}, 1'000'000'000},
      {{"ms", "milli", "millis", "millisecond", "milliseconds"}, 1'000'000},
      {{"us", "µs", "micro", "micros", "microsecond", "microseconds"}, 1'000},
      {{"ns", "nano", "nanos", "nanosecond", "nanoseconds"}, 1},
  };
  for (const Unit& candidate : kUnits) {
    for (const char* name : candidate.names) {
      if (name != nullptr && unit == name) return candidate.nanos;
    }
  }
  return std::nullopt;
}

}  // namespace

std::optional<int64_t> ParseDurationMillis(std::string_view text) {
  size_t i = 0;
  while (i < text.size() && std::isspace(static_cast<unsigned char>(text[i]))) ++i;
  size_t digits = i;
  while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i]))) ++i;
  if (i == digits || i - digits > 18) return std::nullopt;
  int64_t number = std::stoll(std::string(text.substr(digits, i - digits)));
  while (i < text.size() && std::isspace(static_cast<unsigned char>(text[i]))) ++i;
  std::string unit(text.substr(i));
  while (!unit.empty() && std::isspace(static_cast<unsigned char>(unit.back()))) unit.pop_back();
  std::transform(unit.begin(), unit.end(), unit.begin(), [](unsigned char c) { return std::tolower(c); });
  if (unit.empty()) return number;
  std::optional<int64_t> nanos = UnitNanos(unit);
  if (!nanos) return std::nullopt;
  if (*nanos >= 1'000'000) {
    int64_t per_milli = *nanos / 1'000'000;
    if (number > INT64_MAX / per_milli) return std::nullopt;
    return number * per_milli;
  }
  return number / (1'000'000 / *nanos);
}

}  // namespace fsql
