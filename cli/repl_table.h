// Bordered result tables for `fsql repl`, in the tableau layout of the Flink
// SQL client: a header once, then rows as they arrive, then a closing border.
#pragma once

#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "runtime/types/data_type.h"
#include "runtime/types/value.h"

namespace fsql::cli {

struct TableColumn {
  std::string name;
  int width = 0;  // in terminal cells; wider cells are cut and end in "..."
  bool align_right = false;
};

/// Prints a table whose column widths are fixed before the first row, so rows
/// can be printed the moment they arrive.
class TablePrinter {
 public:
  TablePrinter(std::ostream& out, std::vector<TableColumn> columns);

  void PrintHeader();
  void PrintRow(const std::vector<std::string>& cells);
  void PrintFooter();

 private:
  void PrintBorder();

  std::ostream& out_;
  std::vector<TableColumn> columns_;
};

/// Prints a complete result with each column as wide as its widest cell (up to
/// `max_width`), for SHOW, DESCRIBE and SET. Columns of integers align right.
void PrintWholeTable(std::ostream& out, const std::vector<std::string>& names,
                     const std::vector<std::vector<std::string>>& rows, int max_width = 60);

/// The width a streamed column of `type` gets: wide enough for any value of
/// fixed-size types, `max_width` for strings and other variable-size types.
int ColumnWidthForType(const DataType& type, int max_width);

/// Renders a value for a table cell: `<NULL>` for NULL, and control
/// characters escaped so that a value cannot break the table's lines.
std::string FormatCell(const Value& value, const DataType& type);

/// The number of terminal cells `text` takes, counting each UTF-8 code point as one.
int DisplayWidth(std::string_view text);

/// Cuts `text` to `width` cells, ending in "..." when it was cut.
std::string FitToWidth(std::string_view text, int width);

}  // namespace fsql::cli
