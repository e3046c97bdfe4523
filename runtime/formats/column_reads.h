// The parts of a source table's columns that a rule reads. A decoder given
// them converts only those parts instead of every field of every record.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace fsql {

struct Expr;

/// The part of one value a rule reads: nothing, all of it, or some fields of
/// a ROW, each again a FieldReads.
struct FieldReads {
  enum class Kind : uint8_t { kNone, kAll, kSome };
  Kind kind = Kind::kNone;
  std::vector<FieldReads> fields;  // kSome: one per field of the ROW type

  bool any() const { return kind != Kind::kNone; }
  void MarkAll() {
    kind = Kind::kAll;
    fields.clear();
  }
  /// Marks field `index` of a ROW with `field_count` fields as read in part
  /// and returns it, so that a caller can go on down a path of field accesses.
  /// Returns nullptr when the whole value is already read.
  FieldReads* Field(size_t index, size_t field_count);
  void Merge(const FieldReads& other);
};

/// One FieldReads per table column, in the table's column order. An empty list means
/// that every column is read whole, which is also a decoder's default.
using ColumnReads = std::vector<FieldReads>;

/// Marks what `expr` reads of its input row in `reads`, which has one entry
/// per input column. A chain of field accesses on a column marks only the
/// field it ends at; any other use of a column marks all of it.
void AddExpressionReads(const Expr& expr, ColumnReads& reads);

/// Adds `other` to `reads`; an empty side reads everything, so the result does too.
void MergeColumnReads(ColumnReads& reads, const ColumnReads& other);

}  // namespace fsql
