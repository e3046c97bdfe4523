// SQL functions whose definitions both expression backends share: the
// interpreter calls them directly and generated code through runtime helpers.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace fsql {

/// SQL LIKE: `%` matches any run of characters and `_` one character;
/// `escape` (0 for none) makes the next pattern character literal.
bool LikeMatch(std::string_view text, std::string_view pattern, char escape);

/// Whole months from `from_ms` to `to_ms` (epoch milliseconds, UTC), counting
/// a month only once the same day and time of the month is reached, as
/// TIMESTAMPDIFF(MONTH, ...) does. Negative when `to_ms` is earlier.
int64_t MonthsBetween(int64_t from_ms, int64_t to_ms);

/// Milliseconds per TIMESTAMPDIFF unit from MILLISECOND to WEEK; 0 for the
/// calendar units (MONTH, YEAR) and unknown names.
int64_t TimeUnitMillis(const std::string& unit);

}  // namespace fsql
