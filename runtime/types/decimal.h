// Exact DECIMAL(p, s) arithmetic on 128-bit unscaled integers.
//
// A DECIMAL(p, s) value is an integer `unscaled` with |unscaled| < 10^p, and
// it stands for unscaled / 10^s. Precision goes up to 38, because 10^38 is the
// largest power of ten below 2^127. The functions here take each operand's
// scale and the result type's precision and scale. They round HALF_UP (away
// from zero at .5), as Java's BigDecimal does in Flink. A result that needs
// more digits than the result precision is kOverflow, which Flink turns into
// NULL.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "runtime/types/data_type.h"

namespace fsql {

using Int128 = __int128;

inline constexpr int kMaxDecimalPrecision = 38;
/// Flink keeps at least this many fractional digits when it shortens the
/// scale of a result whose precision would exceed 38.
inline constexpr int kMinAdjustedDecimalScale = 6;
/// DECIMAL(p, s) with p up to this value fits an int64 row slot.
inline constexpr int kMaxCompactDecimalPrecision = 18;

enum class DecimalStatus {
  kOk,
  kOverflow,         // the result needs more digits than the result precision
  kDivisionByZero,
  kInvalid,          // text that is not a number
};

/// 10^exponent for 0 <= exponent <= 38.
Int128 DecimalPow10(int exponent);

/// Whether |unscaled| < 10^precision.
bool DecimalFits(Int128 unscaled, int precision);

/// Converts `unscaled` from scale `from_scale` to `to_scale`, rounding
/// HALF_UP when digits are dropped, and checks the result against `precision`.
DecimalStatus DecimalRescale(Int128 unscaled, int from_scale, int to_scale, int precision, Int128* out);

/// `op` is one of + - * / %, as the interpreter names the operators. Division
/// rounds HALF_UP to `scale`; % is the remainder with the sign of the
/// dividend, as BigDecimal.remainder.
DecimalStatus DecimalArithmetic(char op, Int128 a, int a_scale, Int128 b, int b_scale, int precision, int scale,
                                Int128* out);

/// Compares a / 10^a_scale with b / 10^b_scale; returns -1, 0 or 1.
int DecimalCompare(Int128 a, int a_scale, Int128 b, int b_scale);

/// Parses SQL or JSON number text: an optional sign, digits with an optional
/// fraction, and an optional exponent (`1.5E3`), with surrounding spaces
/// allowed as CAST trims them. Rounds HALF_UP to `scale`.
DecimalStatus DecimalParse(std::string_view text, int precision, int scale, Int128* out);

/// Plain text with exactly `scale` fractional digits, as BigDecimal.toPlainString:
/// `1.50`, `-0.01`, `0`.
std::string DecimalToString(Int128 unscaled, int scale);

/// The double nearest to the value.
double DecimalToDouble(Int128 unscaled, int scale);

/// Converts a double through its shortest decimal text, as Flink's
/// BigDecimal.valueOf(double) does; NaN and infinities are kInvalid.
DecimalStatus DecimalFromDouble(double value, int precision, int scale, Int128* out);

/// The integer part, truncated toward zero, as its low 64 bits (BigDecimal.longValue).
int64_t DecimalToInt64(Int128 unscaled, int scale);

/// Result types of DECIMAL arithmetic as Flink derives them (LogicalTypeMerging
/// in Flink 1.15 to 1.19): the SQL Server rules, with the precision capped at
/// 38 by giving up fractional digits but keeping at least 6 of them.
DataType DecimalAdditionType(int p1, int s1, int p2, int s2);
DataType DecimalMultiplicationType(int p1, int s1, int p2, int s2);
DataType DecimalDivisionType(int p1, int s1, int p2, int s2);
DataType DecimalModuloType(int p1, int s1, int p2, int s2);
/// SUM(DECIMAL(p, s)) is DECIMAL(38, s); AVG is DECIMAL(38, max(6, s)).
DataType DecimalSumType(int scale);
DataType DecimalAverageType(int scale);

/// The DECIMAL type that represents every value of an exact numeric type
/// without loss: DECIMAL(3, 0) for TINYINT up to DECIMAL(19, 0) for BIGINT, and the
/// type itself for DECIMAL.
DataType DecimalOfExactType(const DataType& type);

}  // namespace fsql
