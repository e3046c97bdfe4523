#include "cli/repl_table.h"

#include <algorithm>
#include <chrono>

#include <fmt/format.h>

namespace fsql::cli {

namespace {

constexpr int kNullWidth = 6;  // "<NULL>"

bool IsUtf8Continuation(unsigned char c) { return (c & 0xC0) == 0x80; }

std::string Pad(std::string_view text, int width, bool align_right) {
  std::string fitted = FitToWidth(text, width);
  std::string padding(static_cast<size_t>(std::max(0, width - DisplayWidth(fitted))), ' ');
  return align_right ? padding + fitted : fitted + padding;
}

/// Digits after the seconds of TIME(p) and TIMESTAMP(p), plus the point.
int FractionWidth(const DataType& type) { return type.precision > 0 ? type.precision + 1 : 0; }

std::string FormatDate(int64_t days) {
  std::chrono::year_month_day date{std::chrono::sys_days{std::chrono::days{days}}};
  return fmt::format("{:04}-{:02}-{:02}", static_cast<int>(date.year()), static_cast<unsigned>(date.month()),
                     static_cast<unsigned>(date.day()));
}

std::string FormatTime(int64_t millis, int precision) {
  int64_t seconds = millis / 1000;
  std::string text = fmt::format("{:02}:{:02}:{:02}", seconds / 3600, seconds / 60 % 60, seconds % 60);
  if (precision > 0) text += fmt::format(".{:03}", millis % 1000).substr(0, static_cast<size_t>(precision) + 1);
  return text;
}

std::string FormatBytes(const std::string& bytes) {
  std::string text = "x'";
  for (unsigned char byte : bytes) text += fmt::format("{:02x}", byte);
  return text + "'";
}

std::string EscapeControlCharacters(const std::string& text) {
  std::string out;
  for (char c : text) {
    if (c == '\n') {
      out += "\\n";
    } else if (c == '\t') {
      out += "\\t";
    } else if (c == '\r') {
      out += "\\r";
    } else if (static_cast<unsigned char>(c) < 0x20) {
      out += fmt::format("\\x{:02x}", static_cast<unsigned char>(c));
    } else {
      out += c;
    }
  }
  return out;
}

bool IsInteger(const std::string& text) {
  size_t start = !text.empty() && text[0] == '-' ? 1 : 0;
  return text.size() > start && text.find_first_not_of("0123456789", start) == std::string::npos;
}

}  // namespace

TablePrinter::TablePrinter(std::ostream& out, std::vector<TableColumn> columns)
    : out_(out), columns_(std::move(columns)) {}

void TablePrinter::PrintBorder() {
  std::string line = "+";
  for (const auto& column : columns_) line += std::string(static_cast<size_t>(column.width) + 2, '-') + "+";
  out_ << line << "\n";
}

void TablePrinter::PrintHeader() {
  PrintBorder();
  std::string line = "|";
  for (const auto& column : columns_) line += " " + Pad(column.name, column.width, column.align_right) + " |";
  out_ << line << "\n";
  PrintBorder();
  out_.flush();
}

void TablePrinter::PrintRow(const std::vector<std::string>& cells) {
  std::string line = "|";
  for (size_t i = 0; i < columns_.size(); ++i) {
    std::string_view cell = i < cells.size() ? std::string_view(cells[i]) : std::string_view();
    line += " " + Pad(cell, columns_[i].width, columns_[i].align_right) + " |";
  }
  out_ << line << "\n";
  out_.flush();
}

void TablePrinter::PrintFooter() {
  PrintBorder();
  out_.flush();
}

void PrintWholeTable(std::ostream& out, const std::vector<std::string>& names,
                     const std::vector<std::vector<std::string>>& rows, int max_width) {
  std::vector<TableColumn> columns;
  for (size_t i = 0; i < names.size(); ++i) {
    int width = DisplayWidth(names[i]);
    bool numeric = !rows.empty();
    for (const auto& row : rows) {
      if (i >= row.size()) continue;
      width = std::max(width, std::min(DisplayWidth(row[i]), max_width));
      numeric = numeric && IsInteger(row[i]);
    }
    columns.push_back(TableColumn{names[i], width, numeric});
  }
  TablePrinter printer(out, std::move(columns));
  printer.PrintHeader();
  for (const auto& row : rows) printer.PrintRow(row);
  printer.PrintFooter();
}

int ColumnWidthForType(const DataType& type, int max_width) {
  int width = max_width;
  switch (type.id) {
    case TypeId::kBoolean: width = 5; break;
    case TypeId::kTinyInt: width = 4; break;
    case TypeId::kSmallInt: width = 6; break;
    case TypeId::kInt: width = 11; break;
    case TypeId::kBigInt: width = 20; break;
    case TypeId::kFloat:
    case TypeId::kDouble: width = 20; break;
    case TypeId::kDecimal: width = type.precision + 2; break;
    case TypeId::kDate: width = 10; break;
    case TypeId::kTime: width = 8 + FractionWidth(type); break;
    case TypeId::kTimestamp:
    case TypeId::kTimestampLtz: width = 19 + FractionWidth(type); break;
    case TypeId::kString: width = type.length > 0 ? type.length : max_width; break;
    default: break;
  }
  width = std::min(width, max_width);
  if (type.nullable) width = std::max(width, kNullWidth);
  return std::max(width, 1);
}

std::string FormatCell(const Value& value, const DataType& type) {
  if (value.is_null()) return "<NULL>";
  switch (type.id) {
    case TypeId::kDate:
      return FormatDate(value.as_int());
    case TypeId::kTime:
      return FormatTime(value.as_int(), type.precision);
    case TypeId::kBytes:
      return FormatBytes(value.as_string());
    default:
      return EscapeControlCharacters(value.ToString(type));
  }
}

int DisplayWidth(std::string_view text) {
  int width = 0;
  for (char c : text) {
    if (!IsUtf8Continuation(static_cast<unsigned char>(c))) ++width;
  }
  return width;
}

std::string FitToWidth(std::string_view text, int width) {
  if (DisplayWidth(text) <= width) return std::string(text);
  int keep = std::max(0, width - 3);
  size_t end = 0;
  for (int cells = 0; end < text.size(); ++end) {
    if (IsUtf8Continuation(static_cast<unsigned char>(text[end]))) continue;
    if (cells == keep) break;
    ++cells;
  }
  return std::string(text.substr(0, end)) + std::string(static_cast<size_t>(std::min(3, width)), '.');
}

}  // namespace fsql::cli
