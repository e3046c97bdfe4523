#include "fsql/fsql.h"

#include <cstdlib>
#include <cstring>
#include <sstream>

#include "fsql/engine.h"
#include "runtime/formats/json_format.h"

struct fsql_engine {
  explicit fsql_engine(fsql::embed::EngineOptions options) : engine(std::move(options)) {}
  fsql::embed::Engine engine;
};

namespace {

thread_local std::string last_error;

int CodeOf(fsql::embed::Error::Kind kind) {
  using Kind = fsql::embed::Error::Kind;
  switch (kind) {
    case Kind::kInvalidRule:
      return FSQL_ERR_INVALID_RULE;
    case Kind::kNotFound:
      return FSQL_ERR_NOT_FOUND;
    case Kind::kInvalidRow:
      return FSQL_ERR_INVALID_ROW;
    case Kind::kNotDecidable:
      return FSQL_ERR_NOT_DECIDABLE;
    case Kind::kInvalidArgument:
      return FSQL_ERR_INVALID_ARGUMENT;
    case Kind::kRuntime:
      return FSQL_ERR_RUNTIME;
    case Kind::kStopped:
      return FSQL_ERR_STOPPED;
  }
  return FSQL_ERR_RUNTIME;
}

/// Runs `call`, turning every exception into an error code and last_error, so
/// no C++ exception crosses into C.
template <typename Call>
int Guard(Call&& call) {
  last_error.clear();
  try {
    call();
    return FSQL_OK;
  } catch (const fsql::embed::Error& error) {
    last_error = error.what();
    return CodeOf(error.kind());
  } catch (const std::exception& error) {
    last_error = error.what();
    return FSQL_ERR_RUNTIME;
  }
}

int RequireArguments(std::initializer_list<const void*> arguments) {
  for (const void* argument : arguments) {
    if (argument == nullptr) {
      last_error = "a required argument is NULL";
      return FSQL_ERR_INVALID_ARGUMENT;
    }
  }
  return FSQL_OK;
}

char* CopyString(const std::string& text) {
  char* out = static_cast<char*>(std::malloc(text.size() + 1));
  if (out == nullptr) return nullptr;
  std::memcpy(out, text.data(), text.size() + 1);
  return out;
}

void AppendRowLine(std::string& out, const fsql::embed::ResultRow& row) {
  out += "{\"rule\":";
  fsql::AppendJsonString(out, row.rule());
  out += ",\"table\":";
  fsql::AppendJsonString(out, row.table());
  out += ",\"kind\":\"";
  out += fsql::embed::RowKindName(row.kind());
  out += "\",\"row\":";
  out += row.ToJson();
  out += "}\n";
}

std::optional<int64_t> EventTimeOf(int64_t event_time_ms) {
  if (event_time_ms == FSQL_NO_EVENT_TIME) return std::nullopt;
  return event_time_ms;
}

}  // namespace

extern "C" {

fsql_engine* fsql_create(const char* table_defaults) {
  fsql_engine* created = nullptr;
  Guard([&] {
    fsql::embed::EngineOptions options;
    if (table_defaults != nullptr) {
      std::istringstream lines(table_defaults);
      std::string line;
      while (std::getline(lines, line)) {
        if (line.empty()) continue;
        size_t equals = line.find('=');
        if (equals == std::string::npos) {
          throw fsql::embed::Error(fsql::embed::Error::Kind::kInvalidArgument,
                                   "table default '" + line + "' is not of the form key=value");
        }
        options.table_defaults[line.substr(0, equals)] = line.substr(equals + 1);
      }
    }
    created = new fsql_engine(std::move(options));
  });
  return created;
}

int fsql_load(fsql_engine* engine, const char* text, const char* name) {
  if (int code = RequireArguments({engine, text})) return code;
  return Guard([&] { engine->engine.Load(text, name != nullptr ? name : "<text>"); });
}

int fsql_load_file(fsql_engine* engine, const char* path) {
  if (int code = RequireArguments({engine, path})) return code;
  return Guard([&] { engine->engine.LoadFiles({path}); });
}

int fsql_push_json(fsql_engine* engine, const char* table, const char* json, int64_t event_time_ms) {
  if (int code = RequireArguments({engine, table, json})) return code;
  return Guard([&] { engine->engine.Push(table, std::string_view(json), EventTimeOf(event_time_ms)); });
}

int fsql_advance_watermark(fsql_engine* engine, const char* table, int64_t watermark_ms) {
  if (int code = RequireArguments({engine, table})) return code;
  return Guard([&] { engine->engine.AdvanceWatermark(table, watermark_ms); });
}

char* fsql_decide_json(fsql_engine* engine, const char* table, const char* json, int64_t event_time_ms) {
  if (RequireArguments({engine, table, json}) != FSQL_OK) return nullptr;
  std::string out;
  int code = Guard([&] {
    fsql::embed::Decision decision = engine->engine.Decide(table, std::string_view(json), EventTimeOf(event_time_ms));
    for (const auto& row : decision.rows) AppendRowLine(out, row);
  });
  return code == FSQL_OK ? CopyString(out) : nullptr;
}

char* fsql_poll_json(fsql_engine* engine, const char* table, size_t max_rows) {
  if (RequireArguments({engine, table}) != FSQL_OK) return nullptr;
  std::string out;
  int code = Guard([&] {
    auto rows = engine->engine.Poll(table, max_rows == 0 ? SIZE_MAX : max_rows);
    for (const auto& row : rows) AppendRowLine(out, row);
  });
  return code == FSQL_OK ? CopyString(out) : nullptr;
}

void fsql_free_string(char* text) { std::free(text); }

const char* fsql_last_error(void) { return last_error.c_str(); }

int fsql_stop(fsql_engine* engine) {
  if (int code = RequireArguments({engine})) return code;
  return Guard([&] { engine->engine.Stop(); });
}

void fsql_destroy(fsql_engine* engine) { delete engine; }

}  // extern "C"
