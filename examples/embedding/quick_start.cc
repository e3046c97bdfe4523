// The program of docs/embedding.md: flags bursts of payments inline and polls
// large payments. Keep the two copies the same.
#include <cstdio>

#include <fsql/engine.h>

int main() {
  fsql::embed::Engine engine;
  try {
    engine.Load(R"sql(
      CREATE TABLE payments (account BIGINT, amount DOUBLE) WITH ('connector' = 'embedded');

      CREATE TABLE bursts (account BIGINT, amount DOUBLE, recent BIGINT)
        WITH ('connector' = 'embedded');
      SET 'client.statement-name' = 'bursts';
      INSERT INTO bursts
      SELECT account, amount, recent FROM (
        SELECT account, amount,
               COUNT(*) OVER (PARTITION BY account ORDER BY `$rowtime`
                              RANGE BETWEEN INTERVAL '1' MINUTE PRECEDING AND CURRENT ROW) AS recent
        FROM payments)
      WHERE recent >= 3;

      CREATE TABLE large (account BIGINT, amount DOUBLE) WITH ('connector' = 'embedded');
      SET 'client.statement-name' = 'large';
      INSERT INTO large SELECT account, amount FROM payments WHERE amount > 500;
    )sql", "payments.fsql");
  } catch (const fsql::embed::Error& error) {
    // The same file:line:col, source line, caret and hint as `fsql check`.
    std::fprintf(stderr, "%s\n", error.diagnostic().rendered.c_str());
    return 1;
  }

  int64_t now = 1'700'000'000'000;  // epoch milliseconds
  const double amounts[] = {20, 35, 900, 15, 60};
  for (int i = 0; i < 5; ++i) {
    std::string payment = "{\"account\": 42, \"amount\": " + std::to_string(amounts[i]) + "}";
    fsql::embed::Decision decision = engine.Decide("payments", payment, now + i * 1000);
    bool review = !decision.RowsOf("bursts").empty();
    std::printf("payment %d: %s\n", i + 1, review ? "review" : "approve");
    for (const auto& row : decision.rows) {
      std::printf("  %s %s %s\n", row.table().c_str(), fsql::embed::RowKindName(row.kind()),
                  row.ToJson().c_str());
    }
  }

  // Decide has already returned the rows of `large`, so nothing is queued;
  // Push leaves them for Poll (or a callback set with Subscribe).
  engine.Push("payments", R"({"account": 7, "amount": 700})", now + 10'000);
  for (const auto& row : engine.Poll("large")) std::printf("polled %s\n", row.ToJson().c_str());
  return 0;
}
