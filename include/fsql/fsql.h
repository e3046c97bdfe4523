/* The C interface of the fsql embedding API, for C programs and for bindings
 * from other languages. It wraps fsql::embed::Engine (fsql/engine.h), whose
 * comments state the semantics of each call.
 *
 * Threading: the functions may be called from any thread; calls on one engine
 * run one after another. fsql_last_error() is per thread.
 *
 * Ownership: strings passed in are copied before the call returns. A string
 * returned by fsql_poll_json or fsql_decide_json belongs to the caller, who
 * releases it with fsql_free_string. The string of fsql_last_error stays valid
 * until the next fsql call on the same thread.
 *
 * Errors: functions that return int return 0 on success and a negative
 * FSQL_ERR_* code on failure; functions that return a pointer return NULL on
 * failure. fsql_last_error() then describes the failure, with the rendered
 * diagnostic for rule text that does not plan. */
#ifndef FSQL_FSQL_H
#define FSQL_FSQL_H

#include <stddef.h>
#include <stdint.h>

#if defined(_WIN32)
#define FSQL_C_API
#else
#define FSQL_C_API __attribute__((visibility("default")))
#endif

#ifdef __cplusplus
extern "C" {
#endif

typedef struct fsql_engine fsql_engine;

enum {
  FSQL_OK = 0,
  FSQL_ERR_INVALID_RULE = -1,
  FSQL_ERR_NOT_FOUND = -2,
  FSQL_ERR_INVALID_ROW = -3,
  FSQL_ERR_NOT_DECIDABLE = -4,
  FSQL_ERR_INVALID_ARGUMENT = -5,
  FSQL_ERR_RUNTIME = -6,
  FSQL_ERR_STOPPED = -7,
};

/* Creates an engine. `table_defaults` is NULL or a string of "key=value" lines,
 * options every table gets unless it sets them (for example
 * "connector=embedded"). Returns NULL on failure. */
FSQL_C_API fsql_engine* fsql_create(const char* table_defaults);

/* Plans rule text and starts its rules; `name` labels diagnostics and may be NULL. */
FSQL_C_API int fsql_load(fsql_engine* engine, const char* text, const char* name);

/* Plans and starts the rule files at `path`, a file or a directory of *.fsql files. */
FSQL_C_API int fsql_load_file(fsql_engine* engine, const char* path);

/* Pushes one JSON object into an embedded table. `event_time_ms` sets the row's
 * `$rowtime`; pass FSQL_NO_EVENT_TIME for the wall-clock time. */
#define FSQL_NO_EVENT_TIME INT64_MIN
FSQL_C_API int fsql_push_json(fsql_engine* engine, const char* table, const char* json, int64_t event_time_ms);

/* Sets the watermark of an embedded table; from then on only this call moves it. */
FSQL_C_API int fsql_advance_watermark(fsql_engine* engine, const char* table, int64_t watermark_ms);

/* Pushes one JSON row and returns every row it produced downstream, as JSON
 * lines: {"rule": ..., "table": ..., "kind": "+I", "row": {...}} followed by a
 * newline each; an empty string when none. NULL on failure. */
FSQL_C_API char* fsql_decide_json(fsql_engine* engine, const char* table, const char* json, int64_t event_time_ms);

/* Takes up to `max_rows` queued result rows of `table` (0 for all), as JSON
 * lines in the format of fsql_decide_json. NULL on failure. */
FSQL_C_API char* fsql_poll_json(fsql_engine* engine, const char* table, size_t max_rows);

/* Releases a string returned by this API; NULL is allowed. */
FSQL_C_API void fsql_free_string(char* text);

/* The message of the last failed call on this thread, or "" when none failed. */
FSQL_C_API const char* fsql_last_error(void);

/* Stops every rule. Later calls fail with FSQL_ERR_STOPPED. */
FSQL_C_API int fsql_stop(fsql_engine* engine);

/* Stops the engine and releases it; NULL is allowed. */
FSQL_C_API void fsql_destroy(fsql_engine* engine);

#ifdef __cplusplus
}
#endif

#endif /* FSQL_FSQL_H */
