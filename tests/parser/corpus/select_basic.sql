-- SELECT basics: projection, aliases, DISTINCT, WHERE, derived tables with column aliases, qualified stars.

SELECT * FROM payments;

SELECT payment_id, account_id, amount FROM payments;

SELECT payment_id AS id, amount AS value_eur FROM payments;

SELECT payment_id id, amount amt FROM payments p;

SELECT DISTINCT account_id FROM payments;

SELECT DISTINCT account_id, currency FROM payments WHERE amount > 0;

SELECT ALL account_id FROM payments;

SELECT p.* FROM payments AS p;

SELECT p.*, u.name FROM payments p, user_profiles u WHERE CAST(p.account_id AS BIGINT) = u.user_id;

SELECT amount * 2 AS doubled, amount / 3, amount + 1, -amount FROM payments;

SELECT * FROM payments WHERE amount > 100 AND currency = 'EUR';

SELECT * FROM payments WHERE amount > 100 OR currency <> 'USD' AND NOT (account_id IS NULL);

SELECT * FROM payments WHERE currency IN ('EUR', 'USD', 'GBP');

SELECT * FROM payments WHERE amount BETWEEN 10 AND 100;

SELECT * FROM (SELECT account_id, amount * 100 AS cents FROM payments) AS t WHERE t.cents > 500;

SELECT * FROM (SELECT account_id, amount FROM payments) AS t (acct, amt) WHERE amt > 10;

SELECT x, y FROM (VALUES (1, 'a'), (2, 'b')) AS v (x, y);

SELECT acct FROM (SELECT account_id FROM payments) t (acct);

SELECT 1;

SELECT 'hello' AS greeting, 42 AS answer, TRUE AS flag, NULL AS nothing;

SELECT CURRENT_TIMESTAMP, CURRENT_DATE, LOCALTIMESTAMP;

select payment_id from payments where account_id like 'ACC-%';

SELECT
    payment_id,
    account_id
  FROM
    payments
  WHERE
    amount >= 1000;

SELECT `payment_id`, `amount` FROM `payments` WHERE `currency` = 'CHF';

SELECT fraud_catalog.rules.alerts.score FROM fraud_catalog.rules.alerts;

SELECT a.alert_id FROM fraud_catalog.rules.alerts a;

SELECT * FROM payments /* inline comment */ WHERE amount > 0 -- trailing comment
;

SELECT COUNT(*) FROM payments;

SELECT account_id, amount FROM payments WHERE amount IS NOT NULL AND account_id IS NOT NULL;

SELECT * FROM (SELECT * FROM (SELECT * FROM payments) AS inner_most) AS middle;

SELECT t.total FROM (SELECT SUM(amount) AS total FROM payments) t;

SELECT user_id, ip FROM logins WHERE ip NOT LIKE '10.%';

SELECT * FROM payments WHERE NOT amount < 0;

SELECT payment_id, amount > 1000 AS is_large FROM payments;

SELECT * FROM `INFORMATION_SCHEMA`.`TABLES` WHERE `TABLE_SCHEMA` = 'fraud';

SELECT `COLUMN_NAME`, `DATA_TYPE` FROM `fraud_catalog`.`INFORMATION_SCHEMA`.`COLUMNS` WHERE `TABLE_NAME` = 'payments';

SELECT payment_id FROM payments AS p WHERE p.amount > 0 AND p.account_id <> '';

SELECT /*+ STATE_TTL('payments' = '1d') */ DISTINCT account_id FROM payments;

SELECT account_id, COUNT(*) AS `count`, SUM(amount) OVER w AS running
FROM payments
WHERE amount > 0
GROUP BY account_id, amount, created_at
HAVING COUNT(*) > 1
WINDOW w AS (PARTITION BY account_id ORDER BY created_at ROWS BETWEEN 2 PRECEDING AND CURRENT ROW)
ORDER BY account_id
LIMIT 100;

SELECT l.user_id, r.n, r.last_ip
FROM logins AS l
JOIN (SELECT user_id, COUNT(*), MAX(ip) FROM logins GROUP BY user_id) AS r (uid, n, last_ip)
  ON l.user_id = r.uid;
