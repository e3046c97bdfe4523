#include "runtime/types/decimal.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdlib>

#include <fmt/format.h>

namespace fsql {

namespace {

using UInt128 = unsigned __int128;

/// An unsigned 256-bit integer, little-endian 64-bit limbs. Products of two
/// 38-digit numbers and dividends scaled up by up to 76 digits fit in it.
struct U256 {
  uint64_t limb[4] = {0, 0, 0, 0};

  static U256 From(UInt128 value) {
    U256 out;
    out.limb[0] = static_cast<uint64_t>(value);
    out.limb[1] = static_cast<uint64_t>(value >> 64);
    return out;
  }
  bool IsZero() const { return (limb[0] | limb[1] | limb[2] | limb[3]) == 0; }
  bool FitsU128() const { return (limb[2] | limb[3]) == 0; }
  UInt128 ToU128() const { return (static_cast<UInt128>(limb[1]) << 64) | limb[0]; }
  bool Bit(int index) const { return (limb[index / 64] >> (index % 64)) & 1; }
};

int Compare(const U256& a, const U256& b) {
  for (int i = 3; i >= 0; --i) {
    if (a.limb[i] != b.limb[i]) return a.limb[i] < b.limb[i] ? -1 : 1;
  }
  return 0;
}

/// a + b; returns false when the sum needs more than 256 bits.
bool Add(const U256& a, const U256& b, U256* out) {
  uint64_t carry = 0;
  for (int i = 0; i < 4; ++i) {
    UInt128 sum = static_cast<UInt128>(a.limb[i]) + b.limb[i] + carry;
    out->limb[i] = static_cast<uint64_t>(sum);
    carry = static_cast<uint64_t>(sum >> 64);
  }
  return carry == 0;
}

/// a - b for a >= b.
U256 Subtract(const U256& a, const U256& b) {
  U256 out;
  uint64_t borrow = 0;
  for (int i = 0; i < 4; ++i) {
    UInt128 difference = static_cast<UInt128>(a.limb[i]) - b.limb[i] - borrow;
    out.limb[i] = static_cast<uint64_t>(difference);
    borrow = (difference >> 64) != 0 ? 1 : 0;
  }
  return out;
}

/// a * b; returns false when the product needs more than 256 bits.
bool Multiply(const U256& a, const U256& b, U256* out) {
  uint64_t result[8] = {0, 0, 0, 0, 0, 0, 0, 0};
  for (int i = 0; i < 4; ++i) {
    uint64_t carry = 0;
    for (int j = 0; j < 4; ++j) {
      UInt128 product = static_cast<UInt128>(a.limb[i]) * b.limb[j] + result[i + j] + carry;
      result[i + j] = static_cast<uint64_t>(product);
      carry = static_cast<uint64_t>(product >> 64);
    }
    result[i + 4] = carry;
  }
  for (int i = 4; i < 8; ++i) {
    if (result[i] != 0) return false;
  }
  for (int i = 0; i < 4; ++i) out->limb[i] = result[i];
  return true;
}

/// Quotient and remainder of n / d for d != 0.
void DivMod(const U256& n, const U256& d, U256* quotient, U256* remainder) {
  if (n.FitsU128() && d.FitsU128()) {
    *quotient = U256::From(n.ToU128() / d.ToU128());
    *remainder = U256::From(n.ToU128() % d.ToU128());
    return;
  }
  // Shift-subtract long division. The remainder stays below d < 2^256, and the
  // bit shifted out of the top before a subtraction means it exceeded d.
  U256 q, r;
  for (int bit = 255; bit >= 0; --bit) {
    bool overflow = (r.limb[3] >> 63) != 0;
    for (int i = 3; i > 0; --i) r.limb[i] = (r.limb[i] << 1) | (r.limb[i - 1] >> 63);
    r.limb[0] = (r.limb[0] << 1) | (n.Bit(bit) ? 1 : 0);
    if (overflow || Compare(r, d) >= 0) {
      r = Subtract(r, d);  // wraps correctly when `overflow` is set
      q.limb[bit / 64] |= uint64_t{1} << (bit % 64);
    }
  }
  *quotient = q;
  *remainder = r;
}

/// 10^exponent for 0 <= exponent <= 76.
U256 Pow10Wide(int exponent) {
  U256 out = U256::From(1);
  U256 ten = U256::From(10);
  for (int i = 0; i < exponent; ++i) Multiply(out, ten, &out);
  return out;
}

/// n / d rounded HALF_UP.
U256 DivideHalfUp(const U256& n, const U256& d) {
  U256 quotient, remainder;
  DivMod(n, d, &quotient, &remainder);
  // Round up when remainder >= d - remainder, i.e. 2 * remainder >= d.
  if (Compare(remainder, Subtract(d, remainder)) >= 0) Add(quotient, U256::From(1), &quotient);
  return quotient;
}

/// A signed decimal in the middle of a computation.
struct Wide {
  bool negative = false;
  U256 magnitude;
  int scale = 0;
};

Wide Widen(Int128 unscaled, int scale) {
  Wide out;
  out.negative = unscaled < 0;
  out.magnitude = U256::From(out.negative ? -static_cast<UInt128>(unscaled) : static_cast<UInt128>(unscaled));
  out.scale = scale;
  return out;
}

/// Multiplies the magnitude by 10^digits; returns false when it exceeds 256 bits.
bool ScaleUp(Wide& value, int digits) {
  if (digits == 0) return true;
  if (digits > 76 || !Multiply(value.magnitude, Pow10Wide(digits), &value.magnitude)) return false;
  value.scale += digits;
  return true;
}

/// Brings `value` to `scale` (rounding HALF_UP when it drops digits), checks it
/// against `precision` and stores it.
DecimalStatus Finish(Wide value, int scale, int precision, Int128* out) {
  if (scale > value.scale) {
    if (value.magnitude.IsZero()) {
      value.scale = scale;
    } else if (!ScaleUp(value, scale - value.scale)) {
      return DecimalStatus::kOverflow;
    }
  } else if (scale < value.scale) {
    int drop = value.scale - scale;
    value.magnitude = drop > 76 ? U256{} : DivideHalfUp(value.magnitude, Pow10Wide(drop));
    value.scale = scale;
  }
  if (!value.magnitude.FitsU128()) return DecimalStatus::kOverflow;
  UInt128 magnitude = value.magnitude.ToU128();
  if (magnitude >= static_cast<UInt128>(DecimalPow10(precision))) return DecimalStatus::kOverflow;
  Int128 signed_value = static_cast<Int128>(magnitude);
  *out = value.negative ? -signed_value : signed_value;
  return DecimalStatus::kOk;
}

/// Adds two decimals already at the same scale, as signed values.
Wide AddSigned(const Wide& a, const Wide& b) {
  Wide out;
  out.scale = a.scale;
  if (a.negative == b.negative) {
    out.negative = a.negative;
    Add(a.magnitude, b.magnitude, &out.magnitude);  // both are below 10^76, so no carry
    return out;
  }
  if (Compare(a.magnitude, b.magnitude) >= 0) {
    out.negative = a.negative;
    out.magnitude = Subtract(a.magnitude, b.magnitude);
  } else {
    out.negative = b.negative;
    out.magnitude = Subtract(b.magnitude, a.magnitude);
  }
  if (out.magnitude.IsZero()) out.negative = false;
  return out;
}

DataType MakeDecimal(int precision, int scale) {
  DataType type = DataType::Of(TypeId::kDecimal);
  type.precision = precision;
  type.scale = scale;
  return type;
}

/// Caps a derived precision at 38 by giving up fractional digits, keeping at
/// least min(scale, 6) of them, as Flink's adjustPrecisionScale.
DataType AdjustPrecisionScale(int precision, int scale) {
  if (precision <= kMaxDecimalPrecision) return MakeDecimal(precision, scale);
  int integer_digits = precision - scale;
  int min_scale = std::min(scale, kMinAdjustedDecimalScale);
  return MakeDecimal(kMaxDecimalPrecision, std::max(kMaxDecimalPrecision - integer_digits, min_scale));
}

}  // namespace

Int128 DecimalPow10(int exponent) {
  Int128 out = 1;
  for (int i = 0; i < exponent; ++i) out *= 10;
  return out;
}

bool DecimalFits(Int128 unscaled, int precision) {
  UInt128 magnitude = unscaled < 0 ? -static_cast<UInt128>(unscaled) : static_cast<UInt128>(unscaled);
  return magnitude < static_cast<UInt128>(DecimalPow10(precision));
}

DecimalStatus DecimalRescale(Int128 unscaled, int from_scale, int to_scale, int precision, Int128* out) {
  return Finish(Widen(unscaled, from_scale), to_scale, precision, out);
}

DecimalStatus DecimalArithmetic(char op, Int128 a, int a_scale, Int128 b, int b_scale, int precision, int scale,
                                Int128* out) {
  Wide left = Widen(a, a_scale);
  Wide right = Widen(b, b_scale);
  switch (op) {
    case '+':
    case '-': {
      if (op == '-') right.negative = !right.negative && !right.magnitude.IsZero();
      int common = std::max(a_scale, b_scale);
      ScaleUp(left, common - a_scale);  // below 10^38 * 10^38, so it cannot overflow
      ScaleUp(right, common - b_scale);
      return Finish(AddSigned(left, right), scale, precision, out);
    }
    case '*': {
      Wide product;
      product.negative = left.negative != right.negative;
      Multiply(left.magnitude, right.magnitude, &product.magnitude);  // below 10^76
      product.scale = a_scale + b_scale;
      if (product.magnitude.IsZero()) product.negative = false;
      return Finish(product, scale, precision, out);
    }
    case '/': {
      if (right.magnitude.IsZero()) return DecimalStatus::kDivisionByZero;
      // a / b at `scale` is (a * 10^k) / (b * 10^m) with k - m = scale - a_scale + b_scale;
      // one of the two shifts is zero.
      int shift = scale - a_scale + b_scale;
      if (shift >= 0 && !ScaleUp(left, shift)) return DecimalStatus::kOverflow;
      if (shift < 0 && !ScaleUp(right, -shift)) return DecimalStatus::kOverflow;
      Wide quotient;
      quotient.negative = left.negative != right.negative;
      quotient.magnitude = DivideHalfUp(left.magnitude, right.magnitude);
      quotient.scale = scale;
      if (quotient.magnitude.IsZero()) quotient.negative = false;
      return Finish(quotient, scale, precision, out);
    }
    case '%': {
      if (right.magnitude.IsZero()) return DecimalStatus::kDivisionByZero;
      int common = std::max(a_scale, b_scale);
      ScaleUp(left, common - a_scale);
      ScaleUp(right, common - b_scale);
      U256 quotient;
      Wide remainder;
      remainder.negative = left.negative;
      remainder.scale = common;
      DivMod(left.magnitude, right.magnitude, &quotient, &remainder.magnitude);
      if (remainder.magnitude.IsZero()) remainder.negative = false;
      return Finish(remainder, scale, precision, out);
    }
    default:
      return DecimalStatus::kInvalid;
  }
}

int DecimalCompare(Int128 a, int a_scale, Int128 b, int b_scale) {
  if (a_scale == b_scale) return a < b ? -1 : (a > b ? 1 : 0);
  Wide left = Widen(a, a_scale);
  Wide right = Widen(b, b_scale);
  int common = std::max(a_scale, b_scale);
  ScaleUp(left, common - a_scale);
  ScaleUp(right, common - b_scale);
  bool left_negative = left.negative && !left.magnitude.IsZero();
  bool right_negative = right.negative && !right.magnitude.IsZero();
  if (left_negative != right_negative) return left_negative ? -1 : 1;
  int magnitude_order = Compare(left.magnitude, right.magnitude);
  return left_negative ? -magnitude_order : magnitude_order;
}

DecimalStatus DecimalParse(std::string_view text, int precision, int scale, Int128* out) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front()))) text.remove_prefix(1);
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.remove_suffix(1);
  size_t pos = 0;
  bool negative = false;
  if (pos < text.size() && (text[pos] == '+' || text[pos] == '-')) negative = text[pos++] == '-';

  // All mantissa digits in order, and how many of them precede the decimal point.
  std::string digits;
  int64_t integer_digits = 0;
  bool seen_point = false;
  for (; pos < text.size(); ++pos) {
    char c = text[pos];
    if (c >= '0' && c <= '9') {
      digits.push_back(c);
      if (!seen_point) ++integer_digits;
    } else if (c == '.' && !seen_point) {
      seen_point = true;
    } else {
      break;
    }
  }
  if (digits.empty()) return DecimalStatus::kInvalid;
  int64_t exponent = 0;
  if (pos < text.size() && (text[pos] == 'e' || text[pos] == 'E')) {
    ++pos;
    bool exponent_negative = false;
    if (pos < text.size() && (text[pos] == '+' || text[pos] == '-')) exponent_negative = text[pos++] == '-';
    size_t exponent_start = pos;
    for (; pos < text.size() && text[pos] >= '0' && text[pos] <= '9'; ++pos) {
      // Larger exponents either overflow or round to zero; the clamp keeps the arithmetic in range.
      exponent = std::min<int64_t>(exponent * 10 + (text[pos] - '0'), 100000);
    }
    if (pos == exponent_start) return DecimalStatus::kInvalid;
    if (exponent_negative) exponent = -exponent;
  }
  if (pos != text.size()) return DecimalStatus::kInvalid;

  // Digit i has the place value 10^(point - 1 - i); leading zeros do not count.
  int64_t point = integer_digits + exponent;
  size_t first = digits.find_first_not_of('0');
  if (first == std::string::npos) {
    *out = 0;
    return DecimalStatus::kOk;
  }
  digits.erase(0, first);
  point -= static_cast<int64_t>(first);

  // Scaled by 10^scale, the digits before index `keep` form the integer part.
  int64_t keep = point + scale;
  if (keep > precision) return DecimalStatus::kOverflow;
  UInt128 magnitude = 0;
  for (int64_t i = 0; i < keep; ++i) {
    int digit = i < static_cast<int64_t>(digits.size()) ? digits[static_cast<size_t>(i)] - '0' : 0;
    magnitude = magnitude * 10 + static_cast<UInt128>(digit);
  }
  if (keep >= 0 && keep < static_cast<int64_t>(digits.size()) && digits[static_cast<size_t>(keep)] >= '5') {
    ++magnitude;
  }
  if (magnitude >= static_cast<UInt128>(DecimalPow10(precision))) return DecimalStatus::kOverflow;
  Int128 value = static_cast<Int128>(magnitude);
  *out = negative ? -value : value;
  return DecimalStatus::kOk;
}

std::string DecimalToString(Int128 unscaled, int scale) {
  bool negative = unscaled < 0;
  UInt128 magnitude = negative ? -static_cast<UInt128>(unscaled) : static_cast<UInt128>(unscaled);
  std::string digits;
  do {
    digits.push_back(static_cast<char>('0' + static_cast<int>(magnitude % 10)));
    magnitude /= 10;
  } while (magnitude != 0);
  while (digits.size() <= static_cast<size_t>(scale)) digits.push_back('0');
  std::reverse(digits.begin(), digits.end());
  if (scale > 0) digits.insert(digits.size() - static_cast<size_t>(scale), 1, '.');
  return negative ? "-" + digits : digits;
}

double DecimalToDouble(Int128 unscaled, int scale) {
  // strtod rounds the exact decimal text to the nearest double.
  return std::strtod(DecimalToString(unscaled, scale).c_str(), nullptr);
}

DecimalStatus DecimalFromDouble(double value, int precision, int scale, Int128* out) {
  if (!std::isfinite(value)) return DecimalStatus::kInvalid;
  return DecimalParse(fmt::format("{}", value), precision, scale, out);
}

int64_t DecimalToInt64(Int128 unscaled, int scale) {
  return static_cast<int64_t>(unscaled / DecimalPow10(scale));
}

DataType DecimalAdditionType(int p1, int s1, int p2, int s2) {
  int scale = std::max(s1, s2);
  return AdjustPrecisionScale(std::max(p1 - s1, p2 - s2) + scale + 1, scale);
}

DataType DecimalMultiplicationType(int p1, int s1, int p2, int s2) {
  return AdjustPrecisionScale(p1 + p2 + 1, s1 + s2);
}

DataType DecimalDivisionType(int p1, int s1, int p2, int s2) {
  int scale = std::max(kMinAdjustedDecimalScale, s1 + p2 + 1);
  return AdjustPrecisionScale(p1 - s1 + s2 + scale, scale);
}

DataType DecimalModuloType(int p1, int s1, int p2, int s2) {
  int scale = std::max(s1, s2);
  return AdjustPrecisionScale(std::min(p1 - s1, p2 - s2) + scale, scale);
}

DataType DecimalSumType(int scale) { return MakeDecimal(kMaxDecimalPrecision, scale); }

DataType DecimalAverageType(int scale) { return DecimalDivisionType(kMaxDecimalPrecision, scale, 20, 0); }

DataType DecimalOfExactType(const DataType& type) {
  switch (type.id) {
    case TypeId::kTinyInt: return MakeDecimal(3, 0);
    case TypeId::kSmallInt: return MakeDecimal(5, 0);
    case TypeId::kInt: return MakeDecimal(10, 0);
    case TypeId::kBigInt: return MakeDecimal(19, 0);
    default: return MakeDecimal(type.precision, type.scale);
  }
}

}  // namespace fsql
