#include "runtime/common/error.h"

namespace fsql {

std::string SqlError::Render(const std::string& source_line) const {
  std::string out;
  if (!location_.file.empty()) {
    out += fmt::format("{}:{}:{}: ", location_.file, location_.line, location_.column);
  } else if (location_.line > 0) {
    out += fmt::format("{}:{}: ", location_.line, location_.column);
  }
  out += "error: " + message_ + "\n";
  if (!source_line.empty() && location_.column > 0) {
    out += "  " + source_line + "\n";
    // Tabs in the source keep their width so the caret lines up under the token.
    std::string pad;
    for (int i = 0; i < location_.column - 1 && i < static_cast<int>(source_line.size()); ++i) {
      pad += source_line[i] == '\t' ? '\t' : ' ';
    }
    out += "  " + pad + "^\n";
  }
  if (!hint_.empty()) out += "hint: " + hint_ + "\n";
  return out;
}

}  // namespace fsql
