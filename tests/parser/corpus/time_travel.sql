-- Time travel: FOR SYSTEM_TIME AS OF a constant timestamp expression on a table (Flink 1.18 and later).

SELECT * FROM account_snapshots FOR SYSTEM_TIME AS OF TIMESTAMP '2024-03-01 00:00:00';

SELECT account_id, balance
FROM account_snapshots FOR SYSTEM_TIME AS OF TIMESTAMP '2024-03-01 00:00:00' - INTERVAL '1' DAY
WHERE balance < 0;

SELECT a.account_id, a.balance AS balance_then, b.balance AS balance_now
FROM account_snapshots FOR SYSTEM_TIME AS OF TIMESTAMP '2024-01-01 00:00:00' AS a
JOIN account_snapshots AS b ON a.account_id = b.account_id;

select * from fraud_catalog.rules.alerts for system_time as of timestamp '2024-06-30 23:59:59.999';

SELECT COUNT(*) FROM account_snapshots FOR SYSTEM_TIME AS OF TO_TIMESTAMP('2024-02-01 00:00:00');
