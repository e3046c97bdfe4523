-- INSERT INTO and INSERT OVERWRITE: column lists, static and dynamic partitions, VALUES, hints, queries with CTEs.

INSERT INTO alerts SELECT payment_id, 'large_amount', amount FROM payments WHERE amount > 10000;

INSERT INTO alerts (alert_id, rule, score)
SELECT CAST(payment_id AS STRING), 'velocity', 0.9 FROM payments;

INSERT INTO fraud.rules.alerts VALUES ('a-1', 'manual', 1.0);

INSERT INTO alerts VALUES
  ('a-2', 'manual', 0.5),
  ('a-3', 'manual', 0.75),
  ('a-4', 'manual', NULL);

INSERT INTO alerts (rule, alert_id) VALUES ('manual', 'a-5');

INSERT OVERWRITE daily_exports SELECT account_id, SUM(amount), '2024-01-01', '00' FROM payments GROUP BY account_id;

INSERT OVERWRITE daily_exports PARTITION (dt = '2024-01-01', hr = '01')
SELECT account_id, SUM(amount) FROM payments GROUP BY account_id;

INSERT INTO daily_exports PARTITION (dt = '2024-01-02')
SELECT account_id, total_amount, hr FROM staging_exports;

INSERT INTO daily_exports PARTITION (dt = '2024-01-03') (account_id, total_amount, hr)
SELECT account_id, total_amount, hr FROM staging_exports;

insert into print_sink select * from payments;

INSERT INTO account_balances
WITH latest AS (
  SELECT account_id, balance, updated_at,
         ROW_NUMBER() OVER (PARTITION BY account_id ORDER BY updated_at DESC) AS rn
  FROM balance_updates
)
SELECT account_id, balance, updated_at FROM latest WHERE rn = 1;

INSERT INTO alerts /*+ OPTIONS('sink.parallelism' = '2') */
SELECT alert_id, rule, score FROM candidate_alerts;

INSERT INTO `default_catalog`.`default_database`.`alerts`
SELECT * FROM candidate_alerts WHERE score >= 0.8;

INSERT INTO payment_totals
SELECT account_id, SUM(amount) FROM payments GROUP BY account_id
UNION ALL
SELECT account_id, SUM(amount) FROM legacy_payments GROUP BY account_id;

INSERT INTO alerts (alert_id, rule, score)
(SELECT alert_id, rule, score FROM candidate_alerts);

INSERT INTO hourly_counts
SELECT window_start, window_end, COUNT(*)
FROM TABLE(TUMBLE(TABLE logins, DESCRIPTOR(login_ts), INTERVAL '1' HOUR))
GROUP BY window_start, window_end;

INSERT INTO alerts SELECT 'x', 'constant', CAST(0 AS DOUBLE);

INSERT OVERWRITE print_sink VALUES (1, 'one'), (2, 'two');

INSERT INTO alerts
SELECT c.alert_id, c.rule, c.score
FROM candidate_alerts AS c
WHERE NOT EXISTS (SELECT 1 FROM suppressed AS s WHERE s.alert_id = c.alert_id);

INSERT INTO daily_exports PARTITION (dt = '2024-02-01', hr = '00') VALUES ('acc-1', 10.00), ('acc-2', 20.50);

INSERT INTO alerts
SELECT * FROM (SELECT alert_id, rule, score FROM candidate_alerts ORDER BY score DESC LIMIT 10);

INSERT INTO top_payments SELECT payment_id, amount FROM payments ORDER BY amount DESC LIMIT 10;
