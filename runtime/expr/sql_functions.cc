#include "runtime/expr/sql_functions.h"

#include <ctime>
#include <utility>

namespace fsql {

namespace {

int64_t WrappingSub(int64_t a, int64_t b) {
  return static_cast<int64_t>(static_cast<uint64_t>(a) - static_cast<uint64_t>(b));
}

std::pair<int64_t, int64_t> MonthAndRest(int64_t ms) {
  std::time_t t = static_cast<std::time_t>(ms >= 0 ? ms / 1000 : WrappingSub(ms, 999) / 1000);
  std::tm parts{};
  gmtime_r(&t, &parts);
  std::tm month_start = parts;
  month_start.tm_mday = 1;
  month_start.tm_hour = 0;
  month_start.tm_min = 0;
  month_start.tm_sec = 0;
  auto month_start_ms = static_cast<int64_t>(static_cast<uint64_t>(timegm(&month_start)) * 1000);
  int64_t rest = WrappingSub(ms, month_start_ms);
  return {(parts.tm_year + 1900LL) * 12 + parts.tm_mon, rest};
}

}  // namespace

bool LikeMatch(std::string_view text, std::string_view pattern, char escape) {
  size_t t = 0, p = 0, star_p = std::string_view::npos, star_t = 0;
  while (t < text.size()) {
    if (p < pattern.size() && escape != 0 && pattern[p] == escape && p + 1 < pattern.size()) {
      if (pattern[p + 1] == text[t]) {
        p += 2;
        ++t;
        continue;
      }
    } else if (p < pattern.size() && pattern[p] == '%') {
      star_p = p++;
      star_t = t;
      continue;
    } else if (p < pattern.size() && (pattern[p] == '_' || pattern[p] == text[t])) {
      ++p;
      ++t;
      continue;
    }
    if (star_p == std::string_view::npos) return false;
    p = star_p + 1;
    t = ++star_t;
  }
  while (p < pattern.size() && pattern[p] == '%') ++p;
  return p == pattern.size();
}

int64_t MonthsBetween(int64_t from_ms, int64_t to_ms) {
  auto [from_month, from_rest] = MonthAndRest(from_ms);
  auto [to_month, to_rest] = MonthAndRest(to_ms);
  int64_t months = to_month - from_month;
  if (months > 0 && to_rest < from_rest) --months;
  if (months < 0 && to_rest > from_rest) ++months;
  return months;
}

int64_t TimeUnitMillis(const std::string& unit) {
  if (unit == "MILLISECOND") return 1;
  if (unit == "SECOND" || unit == "SECONDS") return 1000;
  if (unit == "MINUTE" || unit == "MINUTES") return 60'000;
  if (unit == "HOUR" || unit == "HOURS") return 3'600'000;
  if (unit == "DAY" || unit == "DAYS") return 86'400'000;
  if (unit == "WEEK") return 7 * 86'400'000LL;
  return 0;
}

}  // namespace fsql
