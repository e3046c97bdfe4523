// Durations written as Flink configuration values, such as '10 min' or '1 h'.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace fsql {

/// Parses a duration as Flink's configuration does: a whole number, optional
/// spaces, then a unit (d, h, min, s, ms, us, ns and their long forms such as
/// 'minutes'). A bare number is milliseconds.
///
/// Returns milliseconds, rounding sub-millisecond units down, or nullopt for
/// text that is not a duration.
std::optional<int64_t> ParseDurationMillis(std::string_view text);

}  // namespace fsql
