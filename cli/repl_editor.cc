#include "cli/repl_editor.h"

#include <fcntl.h>
#include <histedit.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <cstdio>
#include <cstdlib>
#include <deque>
#include <filesystem>
#include <fstream>

#include "cli/repl_input.h"
#include "cli/repl_signals.h"
#include "runtime/common/logging.h"

namespace fsql::cli {

namespace {

constexpr int kHistorySize = 1000;
// The file is cut back to kHistorySize lines once it grows past this many.
constexpr size_t kHistoryFileTrimAt = 2 * kHistorySize;

}  // namespace

struct EditorState {
  EditLine* editline = nullptr;
  History* history = nullptr;
  HistEvent event{};
  std::string history_path;
  LineEditor::Completer completer;
  std::string prompt;
  bool interrupted = false;  // Ctrl-C was typed during the current ReadLine
};

namespace {

EditorState& StateOf(EditLine* editline) {
  void* data = nullptr;
  el_get(editline, EL_CLIENTDATA, &data);
  return *static_cast<EditorState*>(data);
}

char* PromptOf(EditLine* editline) { return StateOf(editline).prompt.data(); }

int TerminalColumns() {
  winsize size{};
  if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &size) == 0 && size.ws_col > 0) return size.ws_col;
  return 80;
}

/// Prints the candidates in columns below the line; libedit redraws the prompt afterwards.
void ListCandidates(const std::vector<std::string>& candidates) {
  size_t width = 0;
  for (const auto& candidate : candidates) width = std::max(width, candidate.size());
  width += 2;
  size_t per_line = std::max<size_t>(1, static_cast<size_t>(TerminalColumns()) / width);
  std::string text = "\n";
  for (size_t i = 0; i < candidates.size(); ++i) {
    std::string cell = candidates[i];
    bool last_in_line = (i + 1) % per_line == 0 || i + 1 == candidates.size();
    if (!last_in_line) cell.resize(width, ' ');
    text += cell + (last_in_line ? "\n" : "");
  }
  std::fputs(text.c_str(), stdout);
  std::fflush(stdout);
}

void ReplaceWord(EditLine* editline, size_t word_length, const std::string& replacement) {
  el_deletestr(editline, static_cast<int>(word_length));
  el_insertstr(editline, replacement.c_str());
}

/// Tab: completes a sole candidate, extends the word to the candidates' common
/// prefix, or else lists the candidates.
unsigned char CompleteKey(EditLine* editline, int) {
  EditorState& state = StateOf(editline);
  const LineInfo* line = el_line(editline);
  std::string before(line->buffer, line->cursor);
  Completion completion = state.completer(before);
  const auto& candidates = completion.candidates;
  if (candidates.empty()) return CC_REFRESH_BEEP;
  if (candidates.size() == 1) {
    ReplaceWord(editline, completion.word_length, candidates[0] + completion.suffix);
    return CC_REFRESH;
  }
  std::string typed = before.substr(before.size() - completion.word_length);
  std::string prefix = CommonPrefix(candidates);
  if (prefix.size() > typed.size()) {
    ReplaceWord(editline, completion.word_length, prefix);
    return CC_REFRESH;
  }
  ListCandidates(candidates);
  return CC_REDISPLAY;
}

/// Ctrl-C: ends el_gets without a line. The terminal sends it as a key because
/// the editor turns ISIG off while it reads.
unsigned char InterruptKey(EditLine* editline, int) {
  StateOf(editline).interrupted = true;
  return CC_EOF;
}

std::vector<std::string> ReadHistoryFile(const std::string& path) {
  std::vector<std::string> lines;
  std::ifstream in(path);
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty()) lines.push_back(line);
  }
  return lines;
}

/// Rewrites the history file with its last kHistorySize lines, through a
/// temporary file so a crash cannot leave it half written.
void TrimHistoryFile(const std::string& path, const std::vector<std::string>& lines) {
  std::string temporary = path + ".tmp";
  {
    std::ofstream out(temporary, std::ios::trunc);
    for (size_t i = lines.size() - kHistorySize; i < lines.size(); ++i) out << lines[i] << "\n";
    if (!out) return;
  }
  std::filesystem::permissions(temporary, std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
  std::error_code ignored;
  std::filesystem::rename(temporary, path, ignored);
}

void LoadHistory(EditorState& state) {
  if (state.history_path.empty()) return;
  std::vector<std::string> lines = ReadHistoryFile(state.history_path);
  if (lines.size() > kHistoryFileTrimAt) TrimHistoryFile(state.history_path, lines);
  size_t first = lines.size() > kHistorySize ? lines.size() - kHistorySize : 0;
  for (size_t i = first; i < lines.size(); ++i) history(state.history, &state.event, H_ENTER, lines[i].c_str());
}

void AppendToHistoryFile(const std::string& path, const std::string& line) {
  // 0600: the file contains the statements of the session, which may name hosts and users.
  int fd = open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
  if (fd < 0) {
    spdlog::warn("cannot write the history file {}: {}; set FSQL_HISTORY to another path, or to '' to keep no "
                 "history",
                 path, std::strerror(errno));
    return;
  }
  std::string record = line + "\n";
  ssize_t written = write(fd, record.data(), record.size());
  (void)written;  // a lost history line is not worth interrupting the session for
  close(fd);
}

void ConfigureEditLine(EditorState& state) {
  EditLine* editline = state.editline;
  el_set(editline, EL_CLIENTDATA, &state);
  el_set(editline, EL_EDITOR, "emacs");
  // No EL_SIGNAL: libedit's handlers pass each signal on to the whole process
  // group, which also ends a wrapper script or the shell of a tmux pane.
  // ReadLine picks up window size changes instead.
  el_set(editline, EL_SIGNAL, 0);
  el_set(editline, EL_PROMPT, PromptOf);
  el_set(editline, EL_HIST, history, state.history);
  el_set(editline, EL_ADDFN, "fsql-complete", "complete SQL keywords and names", CompleteKey);
  el_set(editline, EL_BIND, "^I", "fsql-complete", nullptr);
  el_set(editline, EL_ADDFN, "fsql-interrupt", "discard the statement being typed", InterruptKey);
  el_set(editline, EL_BIND, "^C", "fsql-interrupt", nullptr);
  el_set(editline, EL_SETTY, "-d", "-isig", nullptr);
  el_set(editline, EL_BIND, "^R", "em-inc-search-prev", nullptr);
  // ~/.editrc comes last so that the user's own bindings win.
  el_source(editline, nullptr);
}

}  // namespace

LineEditor::LineEditor(std::string history_path, Completer completer) : state_(std::make_unique<EditorState>()) {
  state_->history_path = std::move(history_path);
  state_->completer = std::move(completer);
  state_->history = history_init();
  history(state_->history, &state_->event, H_SETSIZE, kHistorySize);
  history(state_->history, &state_->event, H_SETUNIQUE, 1);
  state_->editline = el_init("fsql", stdin, stdout, stderr);
  ConfigureEditLine(*state_);
  LoadHistory(*state_);
}

LineEditor::~LineEditor() {
  el_end(state_->editline);
  history_end(state_->history);
}

LineEditor::ReadResult LineEditor::ReadLine(const std::string& prompt, std::string& line) {
  state_->prompt = prompt;
  state_->interrupted = false;
  int count = 0;
  el_resize(state_->editline);
  errno = 0;
  const char* text = el_gets(state_->editline, &count);
  if (TerminationRequested()) return ReadResult::kEndOfInput;
  bool interrupted = state_->interrupted || InterruptRequested() || (text == nullptr && errno == EINTR);
  if (interrupted) {
    ClearInterrupt();
    std::fputs("^C\n", stdout);
    std::fflush(stdout);
    return ReadResult::kInterrupted;
  }
  if (text == nullptr || count <= 0) return ReadResult::kEndOfInput;
  line.assign(text, static_cast<size_t>(count));
  while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.pop_back();
  return ReadResult::kLine;
}

void LineEditor::AddHistory(const std::string& line) {
  history(state_->history, &state_->event, H_ENTER, line.c_str());
  if (!state_->history_path.empty()) AppendToHistoryFile(state_->history_path, MaskSecrets(line));
}

std::string DefaultHistoryPath() {
  if (const char* configured = std::getenv("FSQL_HISTORY")) return configured;
  const char* home = std::getenv("HOME");
  if (home == nullptr || *home == '\0') return "";
  return std::string(home) + "/.fsql_history";
}

}  // namespace fsql::cli
