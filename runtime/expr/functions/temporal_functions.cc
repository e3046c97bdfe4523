// Date and time functions. TIMESTAMP values are epoch milliseconds of the
// wall-clock time read as UTC; TIMESTAMP_LTZ values are epoch milliseconds of
// an instant; DATE values are days since 1970-01-01; TIME values are
// milliseconds since midnight. Functions that depend on the session time zone
// read it from the bound call (Expr::time_zone), never from global state.
#include <absl/time/civil_time.h>
#include <absl/time/time.h>

#include <algorithm>
#include <cctype>
#include <cstring>
#include <optional>
#include <unordered_map>

#include <fmt/format.h>

#include "runtime/common/error.h"
#include "runtime/expr/functions/function_util.h"
#include "runtime/expr/sql_functions.h"

namespace fsql {

namespace {

int64_t WrappingAdd(int64_t a, int64_t b) { return static_cast<int64_t>(static_cast<uint64_t>(a) + static_cast<uint64_t>(b)); }
int64_t WrappingSub(int64_t a, int64_t b) { return static_cast<int64_t>(static_cast<uint64_t>(a) - static_cast<uint64_t>(b)); }
int64_t WrappingMul(int64_t a, int64_t b) { return static_cast<int64_t>(static_cast<uint64_t>(a) * static_cast<uint64_t>(b)); }

using functions::Params;

constexpr int64_t kMillisPerDay = 86'400'000;

int64_t FloorDiv(int64_t a, int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }
int64_t FloorMod(int64_t a, int64_t b) { return a - FloorDiv(a, b) * b; }

/// Parses a zone as Java's ZoneId.of does for the forms Flink users write:
/// region names ("Europe/Berlin"), "UTC", "GMT", "Z" and offsets such as
/// "+08:00", "UTC+8" or "GMT-03:30".
bool ParseZone(const std::string& name, absl::TimeZone* zone) {
  std::string rest = name;
  for (const char* prefix : {"UTC", "GMT", "UT"}) {
    if (rest.rfind(prefix, 0) == 0 && (rest.size() == std::strlen(prefix) || rest[std::strlen(prefix)] == '+' ||
                                       rest[std::strlen(prefix)] == '-')) {
      rest = rest.substr(std::strlen(prefix));
      break;
    }
  }
  if (rest.empty() || rest == "Z") {
    *zone = absl::UTCTimeZone();
    return true;
  }
  if (rest[0] == '+' || rest[0] == '-') {
    int sign = rest[0] == '-' ? -1 : 1;
    int hours = 0, minutes = 0;
    std::string digits = rest.substr(1);
    size_t colon = digits.find(':');
    auto all_digits = [](const std::string& s) {
      return !s.empty() && s.size() <= 2 && std::all_of(s.begin(), s.end(), ::isdigit);
    };
    if (colon != std::string::npos) {
      std::string h = digits.substr(0, colon), m = digits.substr(colon + 1);
      if (!all_digits(h) || !all_digits(m)) return false;
      hours = std::stoi(h);
      minutes = std::stoi(m);
    } else if (digits.size() == 4 && std::all_of(digits.begin(), digits.end(), ::isdigit)) {
      hours = std::stoi(digits.substr(0, 2));
      minutes = std::stoi(digits.substr(2));
    } else {
      if (!all_digits(digits)) return false;
      hours = std::stoi(digits);
    }
    if (hours > 18 || minutes > 59) return false;
    *zone = absl::FixedTimeZone(sign * (hours * 3600 + minutes * 60));
    return true;
  }
  if (rest != name) return false;
  return absl::LoadTimeZone(name, zone);
}

absl::TimeZone ZoneOf(const Expr& call) {
  thread_local std::unordered_map<std::string, absl::TimeZone> zones;
  const std::string& name = call.time_zone.empty() ? std::string("UTC") : call.time_zone;
  auto it = zones.find(name);
  if (it != zones.end()) return it->second;
  absl::TimeZone zone;
  if (!ParseZone(name, &zone)) throw Error(fmt::format("unknown time zone '{}'", name));
  return zones.emplace(name, zone).first->second;
}

/// A wall-clock time with milliseconds and the offset it was read in.
struct Civil {
  absl::CivilSecond second;
  int64_t millis = 0;
  int64_t offset_seconds = 0;
  std::string zone_abbreviation = "UTC";
};

Civil CivilOfWallMillis(int64_t ms) {
  int64_t seconds = FloorDiv(ms, 1000);
  Civil out;
  out.second = absl::CivilSecond(1970, 1, 1, 0, 0, 0) + seconds;
  out.millis = FloorMod(ms, 1000);
  return out;
}

int64_t WallMillisOf(const absl::CivilSecond& second, int64_t millis) {
  return (second - absl::CivilSecond(1970, 1, 1, 0, 0, 0)) * 1000 + millis;
}

Civil CivilOfInstant(int64_t ms, const absl::TimeZone& zone) {
  absl::TimeZone::CivilInfo info = zone.At(absl::FromUnixMillis(ms));
  Civil out;
  out.second = info.cs;
  out.millis = FloorMod(ms, 1000);
  out.offset_seconds = info.offset;
  out.zone_abbreviation = info.zone_abbr;
  return out;
}

/// Returns the instant of a wall-clock time in `zone`. In a gap the time moves
/// forward by the gap, and in an overlap the earlier offset wins, as java.time does.
int64_t InstantOf(const absl::CivilSecond& second, int64_t millis, const absl::TimeZone& zone) {
  return absl::ToUnixMillis(zone.At(second).pre) + millis;
}

/// Returns the wall-clock fields of a value of `type`. LTZ values are read in the call's zone.
Civil CivilOf(const Expr& call, const Value& v, const DataType& type) {
  if (type.id == TypeId::kTimestampLtz) return CivilOfInstant(v.as_int(), ZoneOf(call));
  if (type.id == TypeId::kDate) return CivilOfWallMillis(v.as_int() * kMillisPerDay);
  return CivilOfWallMillis(v.as_int());
}

/// Converts wall-clock fields back to a value of `type`.
int64_t ValueOfCivil(const Expr& call, const absl::CivilSecond& second, int64_t millis, const DataType& type) {
  if (type.id == TypeId::kTimestampLtz) return InstantOf(second, millis, ZoneOf(call));
  if (type.id == TypeId::kDate) return FloorDiv(WallMillisOf(second, 0), kMillisPerDay);
  return WallMillisOf(second, millis);
}

// ---- Java date patterns (SimpleDateFormat letters) ----

const char* const kMonthNames[] = {"January", "February", "March",     "April",   "May",      "June",
                                   "July",    "August",   "September", "October", "November", "December"};
const char* const kDayNames[] = {"Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"};

struct PatternToken {
  char letter = 0;  // 0 for literal text
  int count = 0;
  std::string literal;
};

std::vector<PatternToken> Tokenize(const std::string& pattern) {
  std::vector<PatternToken> tokens;
  for (size_t i = 0; i < pattern.size();) {
    char c = pattern[i];
    if (c == '\'') {
      std::string text;
      ++i;
      if (i < pattern.size() && pattern[i] == '\'') {
        text = "'";
        ++i;
      } else {
        while (i < pattern.size()) {
          if (pattern[i] == '\'') {
            if (i + 1 < pattern.size() && pattern[i + 1] == '\'') {
              text += '\'';
              i += 2;
              continue;
            }
            ++i;
            break;
          }
          text += pattern[i++];
        }
      }
      tokens.push_back({0, 0, text});
    } else if (std::isalpha(static_cast<unsigned char>(c))) {
      if (std::string("GyYMLdDEuaHkKhmsSzZXw").find(c) == std::string::npos) {
        throw Error(fmt::format("illegal pattern character '{}' in date format '{}'", c, pattern));
      }
      size_t j = i;
      while (j < pattern.size() && pattern[j] == c) ++j;
      tokens.push_back({c, static_cast<int>(j - i), ""});
      i = j;
    } else {
      tokens.push_back({0, 0, std::string(1, c)});
      ++i;
    }
  }
  return tokens;
}

std::string Padded(int64_t value, int width) { return fmt::format("{:0{}}", value, width); }

std::string FormatOffset(int64_t offset_seconds, char letter, int count) {
  if (letter == 'X' && offset_seconds == 0) return "Z";
  char sign = offset_seconds < 0 ? '-' : '+';
  int64_t total = std::abs(offset_seconds) / 60;
  int64_t hours = total / 60, minutes = total % 60;
  if (letter == 'X' && count == 1) return fmt::format("{}{:02}", sign, hours);
  if (letter == 'X' && count >= 3) return fmt::format("{}{:02}:{:02}", sign, hours, minutes);
  return fmt::format("{}{:02}{:02}", sign, hours, minutes);
}

std::string FormatCivil(const Civil& t, const std::string& pattern) {
  std::string out;
  absl::CivilDay day(t.second);
  for (const PatternToken& token : Tokenize(pattern)) {
    int n = token.count;
    switch (token.letter) {
      case 0: out += token.literal; break;
      case 'G': out += t.second.year() > 0 ? "AD" : "BC"; break;
      case 'y':
      case 'Y': out += n == 2 ? Padded(FloorMod(t.second.year(), 100), 2) : Padded(t.second.year(), n); break;
      case 'M':
      case 'L':
        if (n >= 4) {
          out += kMonthNames[t.second.month() - 1];
        } else if (n == 3) {
          out += std::string(kMonthNames[t.second.month() - 1]).substr(0, 3);
        } else {
          out += Padded(t.second.month(), n);
        }
        break;
      case 'd': out += Padded(t.second.day(), n); break;
      case 'D': out += Padded(absl::GetYearDay(day), n); break;
      case 'E': {
        int index = static_cast<int>(absl::GetWeekday(day));  // Monday is 0
        std::string name = kDayNames[index];
        out += n >= 4 ? name : name.substr(0, 3);
        break;
      }
      case 'u': out += Padded(static_cast<int>(absl::GetWeekday(day)) + 1, n); break;
      case 'a': out += t.second.hour() < 12 ? "AM" : "PM"; break;
      case 'H': out += Padded(t.second.hour(), n); break;
      case 'k': out += Padded(t.second.hour() == 0 ? 24 : t.second.hour(), n); break;
      case 'K': out += Padded(t.second.hour() % 12, n); break;
      case 'h': out += Padded(t.second.hour() % 12 == 0 ? 12 : t.second.hour() % 12, n); break;
      case 'm': out += Padded(t.second.minute(), n); break;
      case 's': out += Padded(t.second.second(), n); break;
      case 'S': {
        // A fraction of the second with n digits; fsql keeps milliseconds.
        std::string digits = Padded(t.millis, 3);
        digits.resize(static_cast<size_t>(n), '0');
        out += digits;
        break;
      }
      case 'z': out += t.zone_abbreviation; break;
      case 'Z':
      case 'X': out += FormatOffset(t.offset_seconds, token.letter, n); break;
      case 'w': {
        absl::CivilDay thursday = day + (3 - static_cast<int>(absl::GetWeekday(day)));
        out += Padded((absl::GetYearDay(thursday) - 1) / 7 + 1, n);
        break;
      }
    }
  }
  return out;
}

/// Parsed fields of a date-time string.
struct Parsed {
  int64_t year = 1970, month = 1, day = 1, hour = 0, minute = 0, second = 0, millis = 0;
  bool pm = false, has_am_pm = false;
  bool has_offset = false;
  int64_t offset_seconds = 0;
};

bool IsNumericLetter(char letter) { return letter != 0 && std::string("yYMLdDuHkKhmsSw").find(letter) != std::string::npos; }

/// Parses `text` with a Java date pattern. The whole text must match.
std::optional<Parsed> ParseWithPattern(std::string_view text, const std::string& pattern) {
  std::vector<PatternToken> tokens = Tokenize(pattern);
  Parsed out;
  size_t at = 0;
  for (size_t t = 0; t < tokens.size(); ++t) {
    const PatternToken& token = tokens[t];
    if (token.letter == 0) {
      if (text.substr(at, token.literal.size()) != token.literal) return std::nullopt;
      at += token.literal.size();
      continue;
    }
    if (token.letter == 'a') {
      std::string_view marker = text.substr(at, 2);
      if (marker == "AM" || marker == "am") {
        out.has_am_pm = true;
      } else if (marker == "PM" || marker == "pm") {
        out.has_am_pm = out.pm = true;
      } else {
        return std::nullopt;
      }
      at += 2;
      continue;
    }
    if (token.letter == 'X' || token.letter == 'Z') {
      if (at < text.size() && text[at] == 'Z') {
        out.has_offset = true;
        ++at;
        continue;
      }
      if (at >= text.size() || (text[at] != '+' && text[at] != '-')) return std::nullopt;
      int sign = text[at] == '-' ? -1 : 1;
      ++at;
      int64_t digits[4] = {0, 0, 0, 0};
      int count = 0;
      while (count < 4 && at < text.size()) {
        if (text[at] == ':') {
          ++at;
          continue;
        }
        if (!std::isdigit(static_cast<unsigned char>(text[at]))) break;
        digits[count++] = text[at++] - '0';
      }
      if (count != 2 && count != 4) return std::nullopt;
      out.has_offset = true;
      out.offset_seconds = sign * ((digits[0] * 10 + digits[1]) * 3600 + (digits[2] * 10 + digits[3]) * 60);
      continue;
    }
    if (token.letter == 'M' && token.count >= 3) {
      bool found = false;
      for (int m = 0; m < 12; ++m) {
        std::string name = kMonthNames[m];
        if (token.count == 3) name = name.substr(0, 3);
        if (text.substr(at, name.size()) == name) {
          out.month = m + 1;
          at += name.size();
          found = true;
          break;
        }
      }
      if (!found) return std::nullopt;
      continue;
    }
    if (token.letter == 'E') {
      bool found = false;
      for (const char* day_name : kDayNames) {
        std::string name = token.count >= 4 ? day_name : std::string(day_name).substr(0, 3);
        if (text.substr(at, name.size()) == name) {
          at += name.size();
          found = true;
          break;
        }
      }
      if (!found) return std::nullopt;
      continue;
    }
    if (!IsNumericLetter(token.letter)) return std::nullopt;
    // Adjacent numeric fields (yyyyMMdd) take exactly their width.
    bool adjacent = t + 1 < tokens.size() && IsNumericLetter(tokens[t + 1].letter);
    size_t max_digits = adjacent ? static_cast<size_t>(token.count) : 9;
    size_t begin = at;
    while (at < text.size() && at - begin < max_digits && std::isdigit(static_cast<unsigned char>(text[at]))) ++at;
    if (at == begin) return std::nullopt;
    int64_t value = std::stoll(std::string(text.substr(begin, at - begin)));
    switch (token.letter) {
      case 'y':
      case 'Y':
        out.year = (token.count == 2 && at - begin == 2) ? 2000 + value : value;
        break;
      case 'M':
      case 'L': out.month = value; break;
      case 'd': out.day = value; break;
      case 'H':
      case 'k':
      case 'K':
      case 'h': out.hour = value == 24 && token.letter == 'k' ? 0 : value; break;
      case 'm': out.minute = value; break;
      case 's': out.second = value; break;
      case 'S': {
        // The digits are a fraction of the second.
        std::string digits(text.substr(begin, at - begin));
        digits.resize(3, '0');
        out.millis = std::stoll(digits.substr(0, 3));
        break;
      }
      default: break;
    }
  }
  if (at != text.size()) return std::nullopt;
  if (out.has_am_pm && out.hour == 12) out.hour = 0;
  if (out.pm) out.hour += 12;
  if (out.month < 1 || out.month > 12 || out.day < 1 || out.hour > 23 || out.minute > 59 || out.second > 59) {
    return std::nullopt;
  }
  absl::CivilDay day(out.year, out.month, out.day);
  if (day.day() != out.day || day.month() != out.month) return std::nullopt;  // e.g. February 30
  return out;
}

/// Parses the default timestamp text: 'yyyy-MM-dd', optionally followed by a
/// space or 'T' and 'HH:mm[:ss[.fraction]]'.
std::optional<Parsed> ParseDefaultTimestamp(std::string_view text) {
  for (const char* pattern : {"yyyy-MM-dd HH:mm:ss.SSSSSSSSS", "yyyy-MM-dd'T'HH:mm:ss.SSSSSSSSS", "yyyy-MM-dd HH:mm:ss",
                              "yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd HH:mm", "yyyy-MM-dd'T'HH:mm", "yyyy-MM-dd"}) {
    if (auto parsed = ParseWithPattern(text, pattern)) return parsed;
  }
  return std::nullopt;
}

absl::CivilSecond CivilOfParsed(const Parsed& p) {
  return absl::CivilSecond(p.year, p.month, p.day, p.hour, p.minute, p.second);
}

/// Epoch milliseconds of a parsed text, read in `zone` unless it has an offset.
int64_t InstantOfParsed(const Parsed& p, const absl::TimeZone& zone) {
  if (p.has_offset) return WallMillisOf(CivilOfParsed(p), p.millis) - p.offset_seconds * 1000;
  return InstantOf(CivilOfParsed(p), p.millis, zone);
}

// ---- Functions ----

Value ToTimestamp(const Expr&, const std::vector<Value>& a, const EvalContext&) {
  std::optional<Parsed> parsed =
      a.size() > 1 ? ParseWithPattern(a[0].as_string(), a[1].as_string()) : ParseDefaultTimestamp(a[0].as_string());
  if (!parsed) return Value::Null();
  return Value::Int(WallMillisOf(CivilOfParsed(*parsed), parsed->millis));
}

Value ToDate(const Expr&, const std::vector<Value>& a, const EvalContext&) {
  std::optional<Parsed> parsed =
      a.size() > 1 ? ParseWithPattern(a[0].as_string(), a[1].as_string()) : ParseWithPattern(a[0].as_string(), "yyyy-MM-dd");
  if (!parsed) return Value::Null();
  return Value::Int(FloorDiv(WallMillisOf(CivilOfParsed(*parsed), 0), kMillisPerDay));
}

Value UnixTimestamp(const Expr& e, const std::vector<Value>& a, const EvalContext& context) {
  // Flink divides milliseconds by 1000 with Java's truncating division.
  if (a.empty()) return Value::Int(context.processing_time_ms / 1000);
  std::string pattern = a.size() > 1 ? a[1].as_string() : "yyyy-MM-dd HH:mm:ss";
  std::optional<Parsed> parsed = ParseWithPattern(a[0].as_string(), pattern);
  // Flink documents Long.MIN_VALUE for text that does not parse.
  if (!parsed) return Value::Int(INT64_MIN);
  return Value::Int(InstantOfParsed(*parsed, ZoneOf(e)) / 1000);
}

Value FromUnixtime(const Expr& e, const std::vector<Value>& a, const EvalContext&) {
  std::string pattern = a.size() > 1 ? a[1].as_string() : "yyyy-MM-dd HH:mm:ss";
  int64_t seconds = a[0].as_int();
  return Value::String(FormatCivil(CivilOfInstant(seconds * 1000, ZoneOf(e)), pattern));
}

Value DateFormat(const Expr& e, const std::vector<Value>& a, const EvalContext&) {
  const DataType& type = e.args[0]->type;
  Civil civil;
  if (type.IsString()) {
    std::optional<Parsed> parsed = ParseDefaultTimestamp(a[0].as_string());
    if (!parsed) return Value::Null();
    civil = CivilOfWallMillis(WallMillisOf(CivilOfParsed(*parsed), parsed->millis));
  } else {
    civil = CivilOf(e, a[0], type);
  }
  if (type.id == TypeId::kTimestampLtz) civil = CivilOfInstant(a[0].as_int(), ZoneOf(e));
  return Value::String(FormatCivil(civil, a[1].as_string()));
}

/// EXTRACT and its shorthands; the unit is the call's time_unit.
Value Extract(const Expr& e, const std::vector<Value>& a, const EvalContext&) {
  const DataType& type = e.args[0]->type;
  const std::string& unit = e.time_unit;
  if (type.id == TypeId::kTime) {
    int64_t ms = a[0].as_int();
    if (unit == "HOUR") return Value::Int(ms / 3'600'000);
    if (unit == "MINUTE") return Value::Int(ms / 60'000 % 60);
    if (unit == "SECOND") return Value::Int(ms / 1000 % 60);
    if (unit == "MILLISECOND") return Value::Int(ms % 60'000);
    throw Error(fmt::format("EXTRACT({} FROM TIME) is not valid", unit));
  }
  Civil civil = CivilOf(e, a[0], type);
  absl::CivilDay day(civil.second);
  if (unit == "YEAR") return Value::Int(civil.second.year());
  if (unit == "QUARTER") return Value::Int((civil.second.month() - 1) / 3 + 1);
  if (unit == "MONTH") return Value::Int(civil.second.month());
  if (unit == "DAY") return Value::Int(civil.second.day());
  if (unit == "HOUR") return Value::Int(civil.second.hour());
  if (unit == "MINUTE") return Value::Int(civil.second.minute());
  if (unit == "SECOND") return Value::Int(civil.second.second());
  if (unit == "MILLISECOND") return Value::Int(civil.second.second() * 1000 + civil.millis);
  if (unit == "DOY") return Value::Int(absl::GetYearDay(day));
  // Day of week with Sunday as 1, as SQL's DAYOFWEEK.
  if (unit == "DOW") return Value::Int((static_cast<int>(absl::GetWeekday(day)) + 1) % 7 + 1);
  if (unit == "WEEK") {
    // ISO 8601: the week that contains the year's first Thursday is week 1.
    absl::CivilDay thursday = day + (3 - static_cast<int>(absl::GetWeekday(day)));
    return Value::Int((absl::GetYearDay(thursday) - 1) / 7 + 1);
  }
  throw Error(fmt::format("EXTRACT does not support the unit {}", unit));
}

std::string NormalizeUnit(const std::string& unit) {
  static const std::unordered_map<std::string, std::string> plural = {
      {"YEARS", "YEAR"}, {"MONTHS", "MONTH"}, {"DAYS", "DAY"},         {"HOURS", "HOUR"},
      {"MINUTES", "MINUTE"}, {"SECONDS", "SECOND"}, {"WEEKS", "WEEK"}, {"MILLISECONDS", "MILLISECOND"}};
  auto it = plural.find(unit);
  return it == plural.end() ? unit : it->second;
}

Value TimestampAdd(const Expr& e, const std::vector<Value>& a, const EvalContext&) {
  const DataType& type = e.args[1]->type;
  std::string unit = NormalizeUnit(e.time_unit);
  int64_t amount = a[0].as_int();
  if (unit == "MONTH" || unit == "YEAR" || unit == "QUARTER") {
    int64_t months_per_unit = 1;
    if (unit == "YEAR") months_per_unit = 12;
    if (unit == "QUARTER") months_per_unit = 3;
    int64_t months = amount * months_per_unit;
    Civil civil = CivilOf(e, a[1], type);
    absl::CivilMonth month(civil.second);
    absl::CivilMonth target = month + months;
    // The day is clamped to the target month's length, as Flink's addMonths does.
    int last_day = static_cast<int>(absl::CivilDay(target + 1) - absl::CivilDay(target));
    int day = std::min(civil.second.day(), last_day);
    absl::CivilSecond moved(target.year(), target.month(), day, civil.second.hour(), civil.second.minute(),
                            civil.second.second());
    return Value::Int(ValueOfCivil(e, moved, civil.millis, type));
  }
  int64_t unit_millis = unit == "WEEK" ? 7 * kMillisPerDay : TimeUnitMillis(unit);
  if (type.id == TypeId::kDate) {
    if (unit_millis >= kMillisPerDay) return Value::Int(a[1].as_int() + amount * (unit_millis / kMillisPerDay));
    return Value::Int(a[1].as_int() + FloorDiv(amount * unit_millis, kMillisPerDay));
  }
  if (type.id == TypeId::kTimestampLtz && unit_millis >= kMillisPerDay) {
    // Days are calendar days in the session zone, so a day across a DST change is not 24 hours.
    Civil civil = CivilOfInstant(a[1].as_int(), ZoneOf(e));
    absl::CivilSecond moved = civil.second + amount * (unit_millis / 1000);
    return Value::Int(InstantOf(moved, civil.millis, ZoneOf(e)));
  }
  // Java's long arithmetic wraps on overflow, and so does Flink's.
  return Value::Int(WrappingAdd(a[1].as_int(), WrappingMul(amount, unit_millis)));
}

Value TimestampDiff(const Expr& e, const std::vector<Value>& a, const EvalContext&) {
  auto millis = [&](size_t i) {
    const DataType& type = e.args[i]->type;
    return type.id == TypeId::kDate ? WrappingMul(a[i].as_int(), kMillisPerDay) : a[i].as_int();
  };
  int64_t from = millis(0), to = millis(1);
  if (e.time_unit == "MONTH" || e.time_unit == "MONTHS") return Value::Int(MonthsBetween(from, to));
  if (e.time_unit == "YEAR" || e.time_unit == "YEARS") return Value::Int(MonthsBetween(from, to) / 12);
  // The difference wraps as Java's long subtraction does, like the generated code's.
  return Value::Int(WrappingSub(to, from) / TimeUnitMillis(e.time_unit));
}

/// FLOOR(x TO unit) and CEIL(x TO unit).
Value RoundTime(const Expr& e, const std::vector<Value>& a, bool ceil) {
  const DataType& type = e.args[0]->type;
  std::string unit = NormalizeUnit(e.time_unit);
  Civil civil = CivilOf(e, a[0], type);
  absl::CivilSecond floored;
  if (unit == "YEAR") {
    floored = absl::CivilYear(civil.second);
  } else if (unit == "QUARTER") {
    floored = absl::CivilSecond(civil.second.year(), (civil.second.month() - 1) / 3 * 3 + 1, 1, 0, 0, 0);
  } else if (unit == "MONTH") {
    floored = absl::CivilMonth(civil.second);
  } else if (unit == "WEEK") {
    // NOTE: weeks start on Sunday here. Whether Flink starts them on Sunday or
    // Monday is not verified.
    absl::CivilDay day(civil.second);
    floored = day - (static_cast<int>(absl::GetWeekday(day)) + 1) % 7;
  } else if (unit == "DAY") {
    floored = absl::CivilDay(civil.second);
  } else if (unit == "HOUR") {
    floored = absl::CivilHour(civil.second);
  } else if (unit == "MINUTE") {
    floored = absl::CivilMinute(civil.second);
  } else if (unit == "SECOND") {
    floored = civil.second;
  } else if (unit == "MILLISECOND") {
    return a[0];
  } else {
    throw Error(fmt::format("{}(... TO {}) is not supported", ceil ? "CEIL" : "FLOOR", unit));
  }
  bool exact = floored == civil.second && civil.millis == 0;
  if (!ceil || exact) return Value::Int(ValueOfCivil(e, floored, 0, type));
  absl::CivilSecond next;
  if (unit == "YEAR") next = absl::CivilYear(floored) + 1;
  else if (unit == "QUARTER") next = absl::CivilMonth(floored) + 3;
  else if (unit == "MONTH") next = absl::CivilMonth(floored) + 1;
  else if (unit == "WEEK") next = absl::CivilDay(floored) + 7;
  else if (unit == "DAY") next = absl::CivilDay(floored) + 1;
  else if (unit == "HOUR") next = absl::CivilHour(floored) + 1;
  else if (unit == "MINUTE") next = absl::CivilMinute(floored) + 1;
  else next = floored + 1;
  return Value::Int(ValueOfCivil(e, next, 0, type));
}

DataType LocalTimestampResult(const std::vector<DataType>&) { return DataType::Timestamp(3, false, false); }
DataType LtzResult(const std::vector<DataType>&) { return DataType::Timestamp(3, true, false); }
DataType DateResult(const std::vector<DataType>&) { return DataType::Of(TypeId::kDate, false); }
DataType TimeResult(const std::vector<DataType>&) { return DataType::Of(TypeId::kTime, false); }
DataType SecondArgResult(const std::vector<DataType>& args) { return args[1].WithNullable(false); }

}  // namespace

std::string TimeZoneError(const std::string& name) {
  absl::TimeZone zone;
  if (ParseZone(name, &zone)) return "";
  return fmt::format("unknown time zone '{}'", name);
}

void RegisterTemporalFunctions(std::vector<ScalarFunction>& out) {
  const ParamKind str = ParamKind::kString;
  const ParamKind num = ParamKind::kNumeric;
  const ParamKind integer = ParamKind::kInteger;

  out.push_back({"CURRENT_TIMESTAMP", {"NOW", "CURRENT_ROW_TIMESTAMP"}, {Params({})}, LtzResult,
                 [](const Expr&, const std::vector<Value>&, const EvalContext& c) {
                   return Value::Int(c.processing_time_ms);
                 }});
  // PROCTIME() reads the same clock as CURRENT_TIMESTAMP, but the binder marks
  // the column it produces as a processing-time attribute.
  out.push_back({"PROCTIME", {}, {Params({})}, LtzResult,
                 [](const Expr&, const std::vector<Value>&, const EvalContext& c) {
                   return Value::Int(c.processing_time_ms);
                 }});
  out.push_back({"LOCALTIMESTAMP", {}, {Params({})}, LocalTimestampResult,
                 [](const Expr& e, const std::vector<Value>&, const EvalContext& c) {
                   Civil civil = CivilOfInstant(c.processing_time_ms, ZoneOf(e));
                   return Value::Int(WallMillisOf(civil.second, civil.millis));
                 },
                 NullPolicy::kNullInNullOut, false, /*uses_time_zone=*/true});
  out.push_back({"CURRENT_DATE", {}, {Params({})}, DateResult,
                 [](const Expr& e, const std::vector<Value>&, const EvalContext& c) {
                   Civil civil = CivilOfInstant(c.processing_time_ms, ZoneOf(e));
                   return Value::Int(FloorDiv(WallMillisOf(civil.second, 0), kMillisPerDay));
                 },
                 NullPolicy::kNullInNullOut, false, true});
  out.push_back({"CURRENT_TIME", {"LOCALTIME"}, {Params({})}, TimeResult,
                 [](const Expr& e, const std::vector<Value>&, const EvalContext& c) {
                   Civil civil = CivilOfInstant(c.processing_time_ms, ZoneOf(e));
                   return Value::Int(FloorMod(WallMillisOf(civil.second, 0), kMillisPerDay));
                 },
                 NullPolicy::kNullInNullOut, false, true});
  out.push_back({"TO_TIMESTAMP_LTZ", {}, {Params({num, integer})}, LtzResult,
                 [](const Expr&, const std::vector<Value>& a, const EvalContext&) {
                   int64_t precision = a[1].as_int();
                   double raw = functions::AsDouble(a[0]);
                   if (precision == 0) return Value::Int(static_cast<int64_t>(raw * 1000));
                   if (precision == 3) return Value::Int(static_cast<int64_t>(raw));
                   throw Error(fmt::format("TO_TIMESTAMP_LTZ precision must be 0 or 3, got {}", precision));
                 }});
  out.push_back({"TO_TIMESTAMP", {}, {Params({str}), Params({str, str})}, LocalTimestampResult, ToTimestamp,
                 NullPolicy::kNullInNullOut, true});
  out.push_back({"TO_DATE", {}, {Params({str}), Params({str, str})}, DateResult, ToDate,
                 NullPolicy::kNullInNullOut, true});
  out.push_back({"UNIX_TIMESTAMP", {}, {Params({}), Params({str}), Params({str, str})}, functions::BigIntResult,
                 UnixTimestamp, NullPolicy::kNullInNullOut, false, true});
  out.push_back({"FROM_UNIXTIME", {}, {Params({integer}), Params({integer, str})}, functions::StringResult,
                 FromUnixtime, NullPolicy::kNullInNullOut, false, true});
  out.push_back({"DATE_FORMAT", {}, {Params({ParamKind::kDatetime, str}), Params({str, str})},
                 functions::StringResult, DateFormat, NullPolicy::kNullInNullOut, true, true});
  out.push_back({"EXTRACT", {}, {Params({ParamKind::kTemporal})}, functions::BigIntResult, Extract,
                 NullPolicy::kNullInNullOut, false, true, /*special_binding=*/true});
  out.push_back({"TIMESTAMPADD", {}, {Params({integer, ParamKind::kDatetime})}, SecondArgResult, TimestampAdd,
                 NullPolicy::kNullInNullOut, false, true, true});
  out.push_back({"TIMESTAMPDIFF", {}, {Params({ParamKind::kDatetime, ParamKind::kDatetime})}, functions::IntResult,
                 TimestampDiff, NullPolicy::kNullInNullOut, false, false, true});
  out.push_back({"FLOOR_TIME", {}, {Params({ParamKind::kDatetime})}, functions::FirstArgResult,
                 [](const Expr& e, const std::vector<Value>& a, const EvalContext&) { return RoundTime(e, a, false); },
                 NullPolicy::kNullInNullOut, false, true, true, /*internal=*/true});
  out.push_back({"CEIL_TIME", {}, {Params({ParamKind::kDatetime})}, functions::FirstArgResult,
                 [](const Expr& e, const std::vector<Value>& a, const EvalContext&) { return RoundTime(e, a, true); },
                 NullPolicy::kNullInNullOut, false, true, true, /*internal=*/true});
}

}  // namespace fsql
