// Line editing for `fsql repl` on top of libedit: emacs key bindings, Ctrl-R
// history search, Tab completion, Ctrl-C to clear the line, and a history
// file that never stores secrets.
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "cli/repl_completion.h"

namespace fsql::cli {

struct EditorState;

class LineEditor {
 public:
  /// Returns the completion for the text before the cursor on the current line.
  using Completer = std::function<Completion(const std::string& line_before_cursor)>;

  enum class ReadResult { kLine, kInterrupted, kEndOfInput };

  /// Reads the terminal on stdin and loads the history from `history_path`
  /// (an empty path keeps history in memory only).
  LineEditor(std::string history_path, Completer completer);
  ~LineEditor();
  LineEditor(const LineEditor&) = delete;
  LineEditor& operator=(const LineEditor&) = delete;

  /// Reads one line after `prompt`. kInterrupted means Ctrl-C or a signal
  /// discarded the line; kEndOfInput means Ctrl-D on an empty line.
  ReadResult ReadLine(const std::string& prompt, std::string& line);

  /// Adds `line` to the in-memory history and appends it, with secrets masked
  /// by MaskSecrets, to the history file.
  void AddHistory(const std::string& line);

 private:
  std::unique_ptr<EditorState> state_;
};

/// The history file: $FSQL_HISTORY when set (empty turns history off), else ~/.fsql_history.
std::string DefaultHistoryPath();

}  // namespace fsql::cli
