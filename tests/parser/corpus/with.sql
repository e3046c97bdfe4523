-- WITH clause (common table expressions): single, multiple, chained, with column lists, inside subqueries and INSERT.

WITH big AS (SELECT * FROM payments WHERE amount > 1000)
SELECT account_id, COUNT(*) FROM big GROUP BY account_id;

WITH
  eur AS (SELECT * FROM payments WHERE currency = 'EUR'),
  usd AS (SELECT * FROM payments WHERE currency = 'USD')
SELECT 'EUR' AS ccy, SUM(amount) FROM eur
UNION ALL
SELECT 'USD', SUM(amount) FROM usd;

WITH per_account (acct, total) AS (
  SELECT account_id, SUM(amount) FROM payments GROUP BY account_id
)
SELECT acct FROM per_account WHERE total > 50000;

WITH a AS (SELECT account_id, amount FROM payments),
     b AS (SELECT account_id, SUM(amount) AS s FROM a GROUP BY account_id),
     c AS (SELECT * FROM b WHERE s > 10)
SELECT * FROM c;

with recent as (
  select * from logins where login_ts > current_timestamp - interval '1' hour
)
select r.user_id, u.country
from recent r join user_profiles u on r.user_id = u.user_id;

SELECT * FROM (
  WITH t AS (SELECT 1 AS x)
  SELECT x FROM t
) AS wrapped;

WITH windowed AS (
  SELECT * FROM TABLE(TUMBLE(TABLE payments, DESCRIPTOR(created_at), INTERVAL '5' MINUTES))
)
SELECT window_start, window_end, account_id, SUM(amount)
FROM windowed
GROUP BY window_start, window_end, account_id;

WITH ranked AS (
  SELECT *, ROW_NUMBER() OVER (PARTITION BY account_id ORDER BY created_at DESC) AS rn
  FROM payments
)
SELECT payment_id, account_id, amount FROM ranked WHERE rn = 1;

WITH v (id, label) AS (VALUES (1, 'one'), (2, 'two'))
SELECT * FROM v;

WITH dedup AS (SELECT DISTINCT account_id FROM payments)
SELECT COUNT(*) FROM dedup;

WITH t1 AS (SELECT account_id FROM payments),
     t2 AS (SELECT CAST(user_id AS STRING) AS account_id FROM user_profiles)
SELECT account_id FROM t1 INTERSECT SELECT account_id FROM t2;
