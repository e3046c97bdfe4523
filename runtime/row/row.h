// The binary row layout every operator exchanges, and that generated code will
// read and write directly.
//
// A row is one contiguous, self-describing byte buffer:
//
//   offset 0   uint8   row kind (RowKind)
//   offset 1   uint8   zero
//   offset 2   uint16  column count n
//   offset 4   uint32  total size of the row in bytes
//   offset 8   int64   event time in epoch milliseconds (kNoTime when the row has none)
//   offset 16  uint64[ceil(n / 64)] null bitmap, bit i set when column i is NULL
//   then       8-byte slot per column
//   then       variable-length area
//
// Slots hold BOOLEAN and every integer, DATE, TIME, TIMESTAMP, TIMESTAMP_LTZ and
// INTERVAL type as an int64 (timestamps and day-time intervals in milliseconds,
// dates in days, year-month intervals in months), and FLOAT and DOUBLE as a
// double. Strings, bytes, nested ROW values (a complete row in this same
// layout) and the types below are stored in the variable-length area, 8-byte
// aligned. Their slot contains a uint32 offset from the row start and a
// uint32 length.
//
// DECIMAL(p, s) stores its unscaled integer (value * 10^s). For p <= 18 it is
// an int64 in the slot itself, because 10^18 < 2^63 and most decimals in
// practice are that small, so generated code reads them with one load. For
// p > 18 the slot points at 16 bytes in the variable-length area: the int128
// in two's complement, low 64 bits first. The row stays self-describing per
// type, and rows of the same schema keep one fixed slot size.
//
// Collections are nested rows, so they reuse the null bitmap, slots and
// variable-length area of this layout. An ARRAY<T> of n elements is a row of n
// columns of type T (so at most 65535 elements). A MAP<K, V> is a row of two
// columns, an ARRAY<K> of keys and an ARRAY<V> of values with matching
// positions. A MULTISET<T> is stored as the MAP<T, INT NOT NULL> from each
// distinct element to its count, as Flink represents it.
#pragma once

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include "runtime/types/data_type.h"
#include "runtime/types/decimal.h"
#include "runtime/types/value.h"

namespace fsql {

/// Flink's changelog row kinds.
enum class RowKind : uint8_t {
  kInsert = 0,        // +I
  kUpdateBefore = 1,  // -U
  kUpdateAfter = 2,   // +U
  kDelete = 3,        // -D
};

const char* RowKindShortString(RowKind kind);
/// True for +I and +U, the kinds that add a row to a table.
inline bool IsAccumulate(RowKind kind) {
  return kind == RowKind::kInsert || kind == RowKind::kUpdateAfter;
}

inline constexpr int64_t kNoTime = INT64_MIN;

/// Whether a column of `type` keeps its value in its 8-byte slot rather than
/// in the variable-length area.
bool StoredInSlot(const DataType& type);

/// Read-only access to a row in the layout above. Does not own the bytes.
class RowView {
 public:
  static constexpr size_t kHeaderSize = 16;

  RowView() = default;
  explicit RowView(const uint8_t* data) : data_(data) {}

  const uint8_t* data() const { return data_; }
  RowKind kind() const { return static_cast<RowKind>(data_[0]); }
  uint32_t column_count() const { return Load<uint16_t>(2); }
  int64_t event_time() const { return Load<int64_t>(8); }

  bool IsNull(uint32_t column) const {
    uint64_t word = Load<uint64_t>(kHeaderSize + 8 * (column / 64));
    return (word >> (column % 64)) & 1;
  }
  int64_t GetInt(uint32_t column) const { return Load<int64_t>(SlotOffset(column)); }
  double GetDouble(uint32_t column) const { return Load<double>(SlotOffset(column)); }
  std::string_view GetString(uint32_t column) const {
    size_t slot = SlotOffset(column);
    return std::string_view(reinterpret_cast<const char*>(data_) + Load<uint32_t>(slot),
                            Load<uint32_t>(slot + 4));
  }
  /// Reads the unscaled value of a DECIMAL column of the given precision.
  Int128 GetDecimal(uint32_t column, int precision) const {
    if (precision <= kMaxCompactDecimalPrecision) return GetInt(column);
    Int128 value;
    std::memcpy(&value, data_ + Load<uint32_t>(SlotOffset(column)), sizeof(value));
    return value;
  }
  RowView GetRow(uint32_t column) const {
    return RowView(data_ + Load<uint32_t>(SlotOffset(column)));
  }
  /// Total size of the row in bytes, including the variable-length area.
  uint32_t size() const { return Load<uint32_t>(4); }

  /// Reads column `column` of type `type` into a Value.
  Value GetValue(uint32_t column, const DataType& type) const;
  /// Reads the nested row of an ARRAY column into an ARRAY value.
  static Value ReadArray(RowView nested, const DataType& element_type);
  /// Reads a ROW, ARRAY, MAP or MULTISET value from the nested row its slot points at.
  static Value ReadNested(const uint8_t* nested, const DataType& type);

  static size_t FixedSize(uint32_t column_count) {
    return kHeaderSize + 8 * ((column_count + 63) / 64) + 8 * static_cast<size_t>(column_count);
  }

 private:
  size_t SlotOffset(uint32_t column) const {
    return kHeaderSize + 8 * ((column_count() + 63) / 64) + 8 * static_cast<size_t>(column);
  }
  template <typename T>
  T Load(size_t offset) const {
    T value;
    std::memcpy(&value, data_ + offset, sizeof(T));
    return value;
  }

  const uint8_t* data_ = nullptr;
};

/// A row that owns its bytes.
class Row {
 public:
  Row() = default;
  explicit Row(std::string bytes) : bytes_(std::move(bytes)) {}

  RowView view() const { return RowView(reinterpret_cast<const uint8_t*>(bytes_.data())); }
  RowKind kind() const { return view().kind(); }
  int64_t event_time() const { return view().event_time(); }
  void set_kind(RowKind kind) { bytes_[0] = static_cast<char>(kind); }
  void set_event_time(int64_t millis) { std::memcpy(bytes_.data() + 8, &millis, 8); }
  const std::string& bytes() const { return bytes_; }
  bool empty() const { return bytes_.empty(); }

  /// Overwrites column `column` in place when `type` lives in the column's
  /// slot (integers, times, FLOAT, DOUBLE, DECIMAL up to 18 digits). Returns
  /// false, changing nothing, for a type kept in the variable-length area.
  bool OverwriteSlot(uint32_t column, const DataType& type, const Value& value);

  /// Returns a copy with another row kind.
  Row WithKind(RowKind kind) const {
    Row copy = *this;
    copy.set_kind(kind);
    return copy;
  }

 private:
  std::string bytes_;
};

/// Builds rows column by column. Reusable: Finish() resets it for the next row.
class RowBuilder {
 public:
  explicit RowBuilder(uint32_t column_count);

  void SetNull(uint32_t column);
  void SetInt(uint32_t column, int64_t value);
  void SetDouble(uint32_t column, double value);
  void SetString(uint32_t column, std::string_view value);
  void SetRow(uint32_t column, RowView value);
  void SetDecimal(uint32_t column, int precision, Int128 unscaled);
  /// Writes `value` as the physical class of `type`.
  void SetValue(uint32_t column, const DataType& type, const Value& value);
  /// Copies column `source_column` of `source`, of type `type`, into
  /// `column`: the slot's bits or the variable-length bytes as they are, so
  /// that no Value is built on the way.
  void CopyColumn(uint32_t column, RowView source, uint32_t source_column, const DataType& type);
  /// Copies the columns of `source`, whose types are `types`, into columns
  /// `first` to `first + types.size() - 1`.
  void CopyColumns(uint32_t first, RowView source, const std::vector<DataType>& types);

  Row Finish(RowKind kind, int64_t event_time = kNoTime);

 private:
  void SetVariable(uint32_t column, const void* data, size_t size);
  void Reset();

  uint32_t column_count_;
  std::string fixed_;
  std::string variable_;
  std::vector<std::pair<uint32_t, uint32_t>> variable_slots_;  // column, offset in variable_
};

/// The type of a MAP's values, or INT NOT NULL (the counts) for a MULTISET.
DataType CollectionValueType(const DataType& type);

/// Converts a whole row to values, for tests and logs.
std::vector<Value> RowToValues(RowView row, const std::vector<DataType>& types);
/// Renders a row as `+I[a, b, c]`, the way Flink prints changelogs.
std::string RowToString(RowView row, const std::vector<DataType>& types);

}  // namespace fsql
