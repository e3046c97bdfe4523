-- Materialized tables: CREATE with FRESHNESS and REFRESH_MODE, ALTER ... SUSPEND/RESUME/REFRESH, DROP.

CREATE MATERIALIZED TABLE account_daily_totals
PARTITIONED BY (ds)
WITH ('format' = 'json', 'partition.fields.ds.date-formatter' = 'yyyy-MM-dd')
FRESHNESS = INTERVAL '5' MINUTE
AS SELECT account_id, DATE_FORMAT(created_at, 'yyyy-MM-dd') AS ds, SUM(amount) AS total
FROM payments
GROUP BY account_id, DATE_FORMAT(created_at, 'yyyy-MM-dd');

CREATE MATERIALIZED TABLE merchant_stats (
  CONSTRAINT pk_merchant PRIMARY KEY (merchant_id) NOT ENFORCED
)
COMMENT 'per-merchant counters'
FRESHNESS = INTERVAL '1' HOUR
REFRESH_MODE = FULL
AS SELECT merchant_id, COUNT(*) AS cnt FROM payments GROUP BY merchant_id;

CREATE MATERIALIZED TABLE alerts_continuous
FRESHNESS = INTERVAL '30' SECOND
REFRESH_MODE = CONTINUOUS
AS SELECT * FROM fraud_alerts WHERE score > 0.5;

ALTER MATERIALIZED TABLE account_daily_totals SUSPEND;

ALTER MATERIALIZED TABLE account_daily_totals RESUME;

ALTER MATERIALIZED TABLE account_daily_totals RESUME WITH ('sink.parallelism' = '4');

ALTER MATERIALIZED TABLE account_daily_totals REFRESH;

ALTER MATERIALIZED TABLE account_daily_totals REFRESH PARTITION (ds = '2024-06-01');

DROP MATERIALIZED TABLE merchant_stats;

DROP MATERIALIZED TABLE IF EXISTS fraud_catalog.rules.alerts_continuous;
