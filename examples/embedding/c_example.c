/* Runs a rule through the fsql C API: loads it, pushes payments as JSON,
 * polls the rows it writes and requests an inline decision. Exits with 1 when
 * a call does not behave as expected, so CI can run it as a test. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <fsql/fsql.h>

static const char* kRules =
    "CREATE TABLE payments (id BIGINT, account BIGINT, amount DOUBLE)\n"
    "  WITH ('connector' = 'embedded');\n"
    "CREATE TABLE large_payments (id BIGINT, account BIGINT, amount DOUBLE)\n"
    "  WITH ('connector' = 'embedded');\n"
    "SET 'client.statement-name' = 'large-payments';\n"
    "INSERT INTO large_payments SELECT id, account, amount FROM payments WHERE amount > 100;\n";

static int Check(int ok, const char* what) {
  if (!ok) fprintf(stderr, "c_example: %s failed: %s\n", what, fsql_last_error());
  return ok;
}

int main(void) {
  fsql_engine* engine = fsql_create(NULL);
  if (!Check(engine != NULL, "fsql_create")) return 1;
  int failed = 0;

  /* A rule over a table not declared yet fails with the diagnostic fsql check prints. */
  if (fsql_load(engine, "INSERT INTO large_payments SELECT nope FROM payments;", "broken.fsql") != FSQL_ERR_INVALID_RULE) {
    fprintf(stderr, "c_example: a broken rule loaded\n");
    failed = 1;
  } else {
    printf("expected load error:\n%s\n", fsql_last_error());
  }
  failed |= !Check(fsql_load(engine, kRules, "payments.fsql") == FSQL_OK, "fsql_load");

  failed |= !Check(fsql_push_json(engine, "payments", "{\"id\": 1, \"account\": 7, \"amount\": 20.0}",
                                  FSQL_NO_EVENT_TIME) == FSQL_OK, "fsql_push_json");
  failed |= !Check(fsql_push_json(engine, "payments", "{\"id\": 2, \"account\": 7, \"amount\": 250.0}",
                                  FSQL_NO_EVENT_TIME) == FSQL_OK, "fsql_push_json");
  char* rows = fsql_poll_json(engine, "large_payments", 0);
  failed |= !Check(rows != NULL, "fsql_poll_json");
  if (rows != NULL) {
    printf("polled:\n%s", rows);
    if (strstr(rows, "\"id\":2") == NULL || strstr(rows, "\"id\":1,") != NULL) {
      fprintf(stderr, "c_example: unexpected polled rows\n");
      failed = 1;
    }
    fsql_free_string(rows);
  }

  char* decision = fsql_decide_json(engine, "payments", "{\"id\": 3, \"account\": 8, \"amount\": 900.0}",
                                    1700000000000LL);
  failed |= !Check(decision != NULL, "fsql_decide_json");
  if (decision != NULL) {
    printf("decision:\n%s", decision);
    if (strstr(decision, "\"kind\":\"+I\"") == NULL) {
      fprintf(stderr, "c_example: the decision has no row\n");
      failed = 1;
    }
    fsql_free_string(decision);
  }

  if (fsql_push_json(engine, "no_such_table", "{}", FSQL_NO_EVENT_TIME) != FSQL_ERR_NOT_FOUND) {
    fprintf(stderr, "c_example: pushing to an unknown table did not fail\n");
    failed = 1;
  } else {
    printf("expected push error: %s\n", fsql_last_error());
  }

  failed |= !Check(fsql_stop(engine) == FSQL_OK, "fsql_stop");
  fsql_destroy(engine);
  return failed;
}
