#include "runtime/row/row.h"

#include <optional>

#include "runtime/common/error.h"

namespace fsql {

const char* RowKindShortString(RowKind kind) {
  switch (kind) {
    case RowKind::kInsert: return "+I";
    case RowKind::kUpdateBefore: return "-U";
    case RowKind::kUpdateAfter: return "+U";
    case RowKind::kDelete: return "-D";
  }
  return "??";
}

Value RowView::GetValue(uint32_t column, const DataType& type) const {
  if (IsNull(column)) return Value::Null();
  switch (type.id) {
    case TypeId::kBoolean:
      return Value::Boolean(GetInt(column) != 0);
    case TypeId::kFloat:
    case TypeId::kDouble:
      return Value::Double(GetDouble(column));
    case TypeId::kDecimal:
      return Value::Decimal(GetDecimal(column, type.precision), type.scale);
    case TypeId::kString:
    case TypeId::kBytes:
      return Value::String(std::string(GetString(column)));
    case TypeId::kRow:
    case TypeId::kArray:
    case TypeId::kMap:
    case TypeId::kMultiset:
      return ReadNested(GetRow(column).data(), type);
    default:
      return Value::Int(GetInt(column));
  }
}

Value RowView::ReadNested(const uint8_t* data, const DataType& type) {
  RowView nested(data);
  switch (type.id) {
    case TypeId::kRow: {
      Value::RowValues fields;
      fields.reserve(type.fields.size());
      for (uint32_t i = 0; i < type.fields.size(); ++i) fields.push_back(nested.GetValue(i, type.fields[i].type));
      return Value::Row(std::move(fields));
    }
    case TypeId::kArray:
      return ReadArray(nested, type.children.at(0));
    case TypeId::kMap:
    case TypeId::kMultiset: {
      Value keys = ReadArray(nested.GetRow(0), type.children.at(0));
      Value values = ReadArray(nested.GetRow(1), CollectionValueType(type));
      return Value::Map(keys.as_array().elements, values.as_array().elements);
    }
    default:
      throw InternalError(fmt::format("type {} has no nested row", type.ToString()));
  }
}

Value RowView::ReadArray(RowView nested, const DataType& element_type) {
  std::vector<Value> elements;
  elements.reserve(nested.column_count());
  for (uint32_t i = 0; i < nested.column_count(); ++i) elements.push_back(nested.GetValue(i, element_type));
  return Value::Array(std::move(elements));
}

DataType CollectionValueType(const DataType& type) {
  if (type.id == TypeId::kMultiset) return DataType::Of(TypeId::kInt, false);
  return type.children.at(1);
}

RowBuilder::RowBuilder(uint32_t column_count) : column_count_(column_count) {
  FSQL_CHECK(column_count <= UINT16_MAX, "{} columns", column_count);
  Reset();
}

void RowBuilder::Reset() {
  fixed_.assign(RowView::FixedSize(column_count_), '\0');
  uint16_t count = static_cast<uint16_t>(column_count_);
  std::memcpy(fixed_.data() + 2, &count, 2);
  variable_.clear();
  variable_slots_.clear();
}

void RowBuilder::SetNull(uint32_t column) {
  size_t word = RowView::kHeaderSize + 8 * (column / 64);
  uint64_t bits;
  std::memcpy(&bits, fixed_.data() + word, 8);
  bits |= uint64_t{1} << (column % 64);
  std::memcpy(fixed_.data() + word, &bits, 8);
}

namespace {
size_t SlotPosition(uint32_t column_count, uint32_t column) {
  return RowView::kHeaderSize + 8 * ((column_count + 63) / 64) + 8 * static_cast<size_t>(column);
}
}  // namespace

void RowBuilder::SetInt(uint32_t column, int64_t value) {
  std::memcpy(fixed_.data() + SlotPosition(column_count_, column), &value, 8);
}

void RowBuilder::SetDouble(uint32_t column, double value) {
  std::memcpy(fixed_.data() + SlotPosition(column_count_, column), &value, 8);
}

void RowBuilder::SetVariable(uint32_t column, const void* data, size_t size) {
  // Variable-length values start 8-byte aligned so generated code may load them directly.
  while (variable_.size() % 8 != 0) variable_.push_back('\0');
  variable_slots_.emplace_back(column, static_cast<uint32_t>(variable_.size()));
  variable_.append(static_cast<const char*>(data), size);
  uint32_t length = static_cast<uint32_t>(size);
  std::memcpy(fixed_.data() + SlotPosition(column_count_, column) + 4, &length, 4);
}

void RowBuilder::SetString(uint32_t column, std::string_view value) {
  SetVariable(column, value.data(), value.size());
}

void RowBuilder::SetRow(uint32_t column, RowView value) {
  SetVariable(column, value.data(), value.size());
}

void RowBuilder::SetDecimal(uint32_t column, int precision, Int128 unscaled) {
  if (precision <= kMaxCompactDecimalPrecision) {
    SetInt(column, static_cast<int64_t>(unscaled));
  } else {
    SetVariable(column, &unscaled, sizeof(unscaled));
  }
}

namespace {

/// Encodes `elements` as the nested row of an ARRAY.
Row BuildArray(const std::vector<Value>& elements, const DataType& element_type) {
  FSQL_CHECK(elements.size() <= UINT16_MAX, "an ARRAY of {} elements exceeds the row layout's 65535 columns",
             elements.size());
  RowBuilder nested(static_cast<uint32_t>(elements.size()));
  for (uint32_t i = 0; i < elements.size(); ++i) nested.SetValue(i, element_type, elements[i]);
  return nested.Finish(RowKind::kInsert);
}

/// Returns the unscaled value of `value` at the scale of `type`. A value of
/// another class or scale comes from a caller that did not cast it, so it is
/// converted as CAST would convert it, and is NULL when it does not fit.
std::optional<Int128> DecimalForSlot(const Value& value, const DataType& type) {
  Int128 unscaled = 0;
  DecimalStatus status = DecimalStatus::kOk;
  if (value.is_decimal()) {
    status = DecimalRescale(value.as_decimal().unscaled, value.as_decimal().scale, type.scale, type.precision,
                            &unscaled);
  } else if (value.is_int()) {
    status = DecimalRescale(value.as_int(), 0, type.scale, type.precision, &unscaled);
  } else if (value.is_double()) {
    status = DecimalFromDouble(value.as_double(), type.precision, type.scale, &unscaled);
  } else {
    throw InternalError(fmt::format("a non-numeric value for a {} column", type.ToString()));
  }
  if (status != DecimalStatus::kOk) return std::nullopt;
  return unscaled;
}

}  // namespace

bool Row::OverwriteSlot(uint32_t column, const DataType& type, const Value& value) {
  if (!StoredInSlot(type)) return false;

  RowView view = this->view();
  uint32_t count = view.column_count();
  size_t bitmap_word = RowView::kHeaderSize + 8 * (column / 64);
  size_t slot = RowView::kHeaderSize + 8 * ((count + 63) / 64) + 8 * static_cast<size_t>(column);
  uint64_t bits;
  std::memcpy(&bits, bytes_.data() + bitmap_word, 8);
  const uint64_t mask = uint64_t{1} << (column % 64);

  std::optional<Int128> decimal;
  if (type.id == TypeId::kDecimal && !value.is_null()) decimal = DecimalForSlot(value, type);
  if (value.is_null() || (type.id == TypeId::kDecimal && !decimal)) {
    bits |= mask;
    std::memcpy(bytes_.data() + bitmap_word, &bits, 8);
    return true;
  }

  bits &= ~mask;
  std::memcpy(bytes_.data() + bitmap_word, &bits, 8);
  if (type.id == TypeId::kFloat || type.id == TypeId::kDouble) {
    double d = value.is_int() ? static_cast<double>(value.as_int()) : value.as_double();
    std::memcpy(bytes_.data() + slot, &d, 8);
  } else {
    int64_t i = type.id == TypeId::kDecimal   ? static_cast<int64_t>(*decimal)
                : type.id == TypeId::kBoolean ? (value.as_bool() ? 1 : 0)
                                              : value.as_int();
    std::memcpy(bytes_.data() + slot, &i, 8);
  }
  return true;
}

bool StoredInSlot(const DataType& type) {
  switch (type.id) {
    case TypeId::kString:
    case TypeId::kBytes:
    case TypeId::kArray:
    case TypeId::kMap:
    case TypeId::kMultiset:
    case TypeId::kRow:
      return false;
    case TypeId::kDecimal:
      return type.precision <= kMaxCompactDecimalPrecision;
    default:
      return true;
  }
}

void RowBuilder::CopyColumn(uint32_t column, RowView source, uint32_t source_column, const DataType& type) {
  if (source.IsNull(source_column)) {
    SetNull(column);
  } else if (StoredInSlot(type)) {
    SetInt(column, source.GetInt(source_column));
  } else {
    // Every variable-length value, a nested row or a wide DECIMAL included,
    // is the span its slot names, and nested rows hold offsets relative to
    // their own start, so the bytes move as they are.
    std::string_view bytes = source.GetString(source_column);
    SetVariable(column, bytes.data(), bytes.size());
  }
}

void RowBuilder::CopyColumns(uint32_t first, RowView source, const std::vector<DataType>& types) {
  for (uint32_t i = 0; i < types.size(); ++i) CopyColumn(first + i, source, i, types[i]);
}

void RowBuilder::SetValue(uint32_t column, const DataType& type, const Value& value) {
  if (value.is_null()) {
    SetNull(column);
    return;
  }
  switch (type.id) {
    case TypeId::kBoolean:
      SetInt(column, value.as_bool() ? 1 : 0);
      return;
    case TypeId::kFloat:
    case TypeId::kDouble:
      SetDouble(column, value.is_int() ? static_cast<double>(value.as_int()) : value.as_double());
      return;
    case TypeId::kDecimal: {
      std::optional<Int128> unscaled = DecimalForSlot(value, type);
      if (unscaled) {
        SetDecimal(column, type.precision, *unscaled);
      } else {
        SetNull(column);
      }
      return;
    }
    case TypeId::kArray: {
      Row built = BuildArray(value.as_array().elements, type.children.at(0));
      SetRow(column, built.view());
      return;
    }
    case TypeId::kMap:
    case TypeId::kMultiset: {
      const MapValues& map = value.as_map();
      RowBuilder nested(2);
      Row keys = BuildArray(map.keys, type.children.at(0));
      Row values = BuildArray(map.values, CollectionValueType(type));
      nested.SetRow(0, keys.view());
      nested.SetRow(1, values.view());
      Row built = nested.Finish(RowKind::kInsert);
      SetRow(column, built.view());
      return;
    }
    case TypeId::kString:
    case TypeId::kBytes:
      SetString(column, value.as_string());
      return;
    case TypeId::kRow: {
      const Value::RowValues& fields = value.as_row();
      RowBuilder nested(static_cast<uint32_t>(type.fields.size()));
      for (uint32_t i = 0; i < type.fields.size(); ++i) {
        nested.SetValue(i, type.fields[i].type, fields.at(i));
      }
      Row built = nested.Finish(RowKind::kInsert);
      SetRow(column, built.view());
      return;
    }
    default:
      SetInt(column, value.is_bool() ? value.as_bool() : value.as_int());
      return;
  }
}

Row RowBuilder::Finish(RowKind kind, int64_t event_time) {
  fixed_[0] = static_cast<char>(kind);
  std::memcpy(fixed_.data() + 8, &event_time, 8);
  uint32_t base = static_cast<uint32_t>(fixed_.size());
  for (auto [column, offset] : variable_slots_) {
    uint32_t absolute = base + offset;
    std::memcpy(fixed_.data() + SlotPosition(column_count_, column), &absolute, 4);
  }
  uint32_t total = base + static_cast<uint32_t>(variable_.size());
  std::memcpy(fixed_.data() + 4, &total, 4);
  std::string bytes = std::move(fixed_);
  bytes += variable_;
  Reset();
  return Row(std::move(bytes));
}

std::vector<Value> RowToValues(RowView row, const std::vector<DataType>& types) {
  std::vector<Value> values;
  values.reserve(types.size());
  for (uint32_t i = 0; i < types.size(); ++i) values.push_back(row.GetValue(i, types[i]));
  return values;
}

std::string RowToString(RowView row, const std::vector<DataType>& types) {
  std::string out = RowKindShortString(row.kind());
  out += "[";
  for (uint32_t i = 0; i < types.size(); ++i) {
    if (i > 0) out += ", ";
    out += row.GetValue(i, types[i]).ToString(types[i]);
  }
  return out + "]";
}

}  // namespace fsql
