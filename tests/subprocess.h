// Starts real processes for tests: the fsql binary and kcat.
#pragma once

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace fsql::testing {

/// A child process with its stdin, stdout and stderr connected to pipes.
class Subprocess {
 public:
  explicit Subprocess(const std::vector<std::string>& argv) {
    int in[2], out[2], err[2];
    if (pipe(in) != 0 || pipe(out) != 0 || pipe(err) != 0) throw std::runtime_error("pipe failed");
    pid_ = fork();
    if (pid_ < 0) throw std::runtime_error("fork failed");
    if (pid_ == 0) {
      dup2(in[0], 0);
      dup2(out[1], 1);
      dup2(err[1], 2);
      for (int fd : {in[0], in[1], out[0], out[1], err[0], err[1]}) close(fd);
      std::vector<char*> args;
      for (const auto& arg : argv) args.push_back(const_cast<char*>(arg.c_str()));
      args.push_back(nullptr);
      execv(args[0], args.data());
      _exit(127);
    }
    close(in[0]);
    close(out[1]);
    close(err[1]);
    stdin_ = in[1];
    stdout_ = out[0];
    stderr_ = err[0];
    fcntl(stdout_, F_SETFL, O_NONBLOCK);
    fcntl(stderr_, F_SETFL, O_NONBLOCK);
  }

  ~Subprocess() {
    if (!exit_code_) {
      kill(pid_, SIGKILL);
      Wait(std::chrono::seconds(5));
    }
    for (int fd : {stdin_, stdout_, stderr_}) {
      if (fd >= 0) close(fd);
    }
  }

  void WriteStdin(const std::string& text) {
    size_t written = 0;
    while (written < text.size()) {
      ssize_t n = write(stdin_, text.data() + written, text.size() - written);
      if (n <= 0) throw std::runtime_error("write to child stdin failed");
      written += static_cast<size_t>(n);
    }
  }
  void CloseStdin() {
    close(stdin_);
    stdin_ = -1;
  }

  /// Waits until stdout has a whole line containing `needle`, and returns it.
  std::optional<std::string> WaitForLine(const std::string& needle, std::chrono::milliseconds timeout) {
    auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
      Drain();
      size_t start = 0;
      while (true) {
        size_t end = out_.find('\n', start);
        if (end == std::string::npos) break;
        std::string line = out_.substr(start, end - start);
        if (line.find(needle) != std::string::npos) return line;
        start = end + 1;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return std::nullopt;
  }

  void Signal(int signal) { kill(pid_, signal); }

  /// Waits for the exit and returns the exit code (128 + n for signal n), or
  /// nullopt on timeout.
  std::optional<int> Wait(std::chrono::milliseconds timeout) {
    auto deadline = std::chrono::steady_clock::now() + timeout;
    while (!exit_code_ && std::chrono::steady_clock::now() < deadline) {
      Drain();
      int status = 0;
      pid_t done = waitpid(pid_, &status, WNOHANG);
      if (done == pid_) {
        exit_code_ = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
        break;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    Drain();
    return exit_code_;
  }

  const std::string& stdout_text() {
    Drain();
    return out_;
  }
  const std::string& stderr_text() {
    Drain();
    return err_;
  }

 private:
  void Drain() {
    char buffer[4096];
    for (auto [fd, text] : {std::pair<int, std::string*>{stdout_, &out_}, {stderr_, &err_}}) {
      while (true) {
        ssize_t n = read(fd, buffer, sizeof(buffer));
        if (n <= 0) break;
        text->append(buffer, static_cast<size_t>(n));
      }
    }
  }

  pid_t pid_ = -1;
  int stdin_ = -1, stdout_ = -1, stderr_ = -1;
  std::string out_, err_;
  std::optional<int> exit_code_;
};

/// Runs a command to completion and returns its stdout; throws on a non-zero exit.
inline std::string RunCommand(const std::vector<std::string>& argv, const std::string& input = {},
                              std::chrono::milliseconds timeout = std::chrono::seconds(30)) {
  Subprocess process(argv);
  if (!input.empty()) process.WriteStdin(input);
  process.CloseStdin();
  auto code = process.Wait(timeout);
  if (!code || *code != 0) {
    throw std::runtime_error(argv[0] + " failed: " + process.stderr_text());
  }
  return process.stdout_text();
}

}  // namespace fsql::testing
