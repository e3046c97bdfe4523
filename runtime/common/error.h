// Error types shared by every layer of fsql.
//
// User errors (bad SQL, bad records, unreachable brokers) and internal invariant
// failures are different types, so callers can report the first to the user with
// context and treat the second as a bug.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>

#include <fmt/format.h>

namespace fsql {

/// Position in a rule file; line and column are 1-based, 0 means unknown.
struct SourceLocation {
  std::string file;
  int line = 0;
  int column = 0;
};

/// Base of all fsql errors.
class Error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// A statement that cannot be parsed, bound or planned. `what()` is the bare
/// message; `Render()` adds `file:line:col`, the source line with a caret and the hint.
class SqlError : public Error {
 public:
  SqlError(std::string message, SourceLocation location, std::string hint = {})
      : Error(message), message_(std::move(message)), location_(std::move(location)),
        hint_(std::move(hint)) {}

  const std::string& message() const { return message_; }
  const SourceLocation& location() const { return location_; }
  const std::string& hint() const { return hint_; }

  /// Formats the error the way compilers do, quoting `source_line` under the message.
  std::string Render(const std::string& source_line) const;

 private:
  std::string message_;
  SourceLocation location_;
  std::string hint_;
};

/// A feature of Flink SQL that fsql recognises but does not run yet.
class NotSupportedError : public SqlError {
 public:
  using SqlError::SqlError;
};

/// A Kafka record that cannot be decoded under its table's schema.
class RecordError : public Error {
 public:
  RecordError(std::string topic, int32_t partition, int64_t offset, std::string reason)
      : Error(fmt::format("bad record at {}/{}@{}: {}", topic, partition, offset, reason)),
        topic_(std::move(topic)), partition_(partition), offset_(offset),
        reason_(std::move(reason)) {}

  const std::string& topic() const { return topic_; }
  int32_t partition() const { return partition_; }
  int64_t offset() const { return offset_; }
  const std::string& reason() const { return reason_; }

 private:
  std::string topic_;
  int32_t partition_;
  int64_t offset_;
  std::string reason_;
};

/// A failure talking to Kafka or another external system.
class ConnectorError : public Error {
 public:
  using Error::Error;
};

/// A broken invariant inside fsql: always a bug, never the user's input.
class InternalError : public Error {
 public:
  using Error::Error;
};

}  // namespace fsql

/// Throws InternalError with the failed condition and its location when `cond` is false.
#define FSQL_CHECK(cond, ...)                                                          \
  do {                                                                                 \
    if (!(cond)) {                                                                     \
      throw ::fsql::InternalError(::fmt::format("internal check failed at {}:{}: {} ({})", \
                                                __FILE__, __LINE__, #cond,             \
                                                ::fmt::format(__VA_ARGS__)));          \
    }                                                                                  \
  } while (0)
