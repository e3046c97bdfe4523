-- Fraud detection rules as a rule author writes them: CDC unwrapping, sliding sums, enrichment joins, dedup, IP checks, velocity windows.

CREATE TABLE transactions (
  txn_id STRING,
  account_id STRING,
  user_id BIGINT,
  amount DECIMAL(18, 2),
  currency CHAR(3),
  merchant_id STRING,
  merchant_category STRING,
  ip STRING,
  country CHAR(2),
  device_id STRING,
  txn_time TIMESTAMP_LTZ(3) METADATA FROM 'timestamp',
  proc_time AS PROCTIME(),
  WATERMARK FOR txn_time AS txn_time - INTERVAL '5' SECOND
) DISTRIBUTED BY HASH(account_id) INTO 6 BUCKETS
WITH (
  'connector' = 'kafka',
  'topic' = 'transactions',
  'properties.bootstrap.servers' = '127.0.0.1:9092',
  'scan.startup.mode' = 'latest-offset',
  'value.format' = 'json'
);

CREATE TABLE users_cdc (
  `before` ROW<user_id BIGINT, email STRING, country CHAR(2), risk_tier STRING, created_at BIGINT>,
  `after` ROW<user_id BIGINT, email STRING, country CHAR(2), risk_tier STRING, created_at BIGINT>,
  op STRING,
  ts_ms BIGINT,
  event_time AS TO_TIMESTAMP_LTZ(ts_ms, 3),
  WATERMARK FOR event_time AS event_time - INTERVAL '1' SECOND
) WITH (
  'connector' = 'kafka',
  'topic' = 'pg.public.users',
  'properties.bootstrap.servers' = '127.0.0.1:9092',
  'format' = 'json'
);

CREATE TABLE fraud_alerts (
  alert_id STRING,
  rule_name STRING,
  account_id STRING,
  score DOUBLE,
  details STRING,
  detected_at TIMESTAMP_LTZ(3),
  PRIMARY KEY (alert_id) NOT ENFORCED
) WITH (
  'connector' = 'upsert-kafka',
  'topic' = 'fraud-alerts',
  'properties.bootstrap.servers' = '127.0.0.1:9092',
  'key.format' = 'json',
  'value.format' = 'json'
);

-- unwrap the Debezium envelope: deletes carry only "before", creates/updates carry "after"
CREATE TEMPORARY VIEW users_unwrapped AS
SELECT
  CASE WHEN op = 'd' THEN `before`.user_id ELSE `after`.user_id END AS user_id,
  `after`.email AS email,
  `after`.country AS country,
  COALESCE(`after`.risk_tier, 'unknown') AS risk_tier,
  op = 'd' AS is_deleted,
  event_time
FROM users_cdc
WHERE op IN ('c', 'u', 'r', 'd');

SELECT `after`.user_id, `after`.email, op
FROM users_cdc
WHERE op = 'u' AND `before`.risk_tier IS DISTINCT FROM `after`.risk_tier;

CREATE TEMPORARY VIEW latest_users AS
SELECT user_id, email, country, risk_tier, event_time
FROM (
  SELECT *,
         ROW_NUMBER() OVER (PARTITION BY user_id ORDER BY event_time DESC) AS rn
  FROM users_unwrapped
)
WHERE rn = 1 AND NOT is_deleted;

-- rule 1: more than 5000 spent by one account within a sliding ten minutes
INSERT INTO fraud_alerts
SELECT
  CONCAT('sum10m-', txn_id) AS alert_id,
  'sliding_sum_10m' AS rule_name,
  account_id,
  CAST(sum_10m AS DOUBLE) AS score,
  CONCAT('sum=', CAST(sum_10m AS STRING), ' count=', CAST(cnt_10m AS STRING)) AS details,
  txn_time AS detected_at
FROM (
  SELECT txn_id, account_id, txn_time,
         SUM(amount) OVER w AS sum_10m,
         COUNT(*) OVER w AS cnt_10m
  FROM transactions
  WINDOW w AS (
    PARTITION BY account_id
    ORDER BY txn_time
    RANGE BETWEEN INTERVAL '10' MINUTE PRECEDING AND CURRENT ROW)
)
WHERE sum_10m > 5000;

-- rule 2: card used from a country other than the account holder's
INSERT INTO fraud_alerts
SELECT
  CONCAT('geo-', t.txn_id),
  'country_mismatch',
  t.account_id,
  CASE u.risk_tier WHEN 'high' THEN 0.9 WHEN 'medium' THEN 0.6 ELSE 0.3 END,
  CONCAT(u.country, '->', t.country),
  t.txn_time
FROM transactions AS t
JOIN latest_users AS u ON t.user_id = u.user_id
WHERE t.country <> u.country;

-- rule 2b: the same check against the user row valid at transaction time
SELECT t.txn_id, t.account_id, u.country AS home_country, t.country AS txn_country
FROM transactions AS t
JOIN latest_users FOR SYSTEM_TIME AS OF t.txn_time AS u
  ON t.user_id = u.user_id
WHERE t.country <> u.country;

-- rule 3: IP addresses outside the corporate allow-list
SELECT txn_id, account_id, ip
FROM transactions
WHERE NOT (ip LIKE '10.%' OR ip LIKE '192.168.%' OR ip IN ('203.0.113.7', '198.51.100.23'))
  AND SPLIT_INDEX(ip, '.', 0) NOT IN ('127', '169');

SELECT txn_id, ip,
       CAST(SPLIT_INDEX(ip, '.', 0) AS INT) AS octet1,
       CAST(SPLIT_INDEX(ip, '.', 1) AS INT) AS octet2
FROM transactions
WHERE CAST(SPLIT_INDEX(ip, '.', 0) AS INT) = 172
  AND CAST(SPLIT_INDEX(ip, '.', 1) AS INT) BETWEEN 16 AND 31;

SELECT t.txn_id, t.ip
FROM transactions t
WHERE t.ip NOT IN (SELECT ip FROM ip_allowlist WHERE enabled = TRUE);

-- rule 4: velocity, more than 10 transactions in any 5-minute window sliding every minute
INSERT INTO fraud_alerts
SELECT
  CONCAT('vel-', account_id, '-', DATE_FORMAT(window_end, 'yyyyMMddHHmm')),
  'velocity_5m',
  account_id,
  CAST(txn_count AS DOUBLE),
  CONCAT('distinct merchants: ', CAST(merchants AS STRING)),
  window_time
FROM (
  SELECT window_start, window_end, window_time, account_id,
         COUNT(*) AS txn_count,
         COUNT(DISTINCT merchant_id) AS merchants
  FROM TABLE(
    HOP(TABLE transactions, DESCRIPTOR(txn_time), INTERVAL '1' MINUTE, INTERVAL '5' MINUTES))
  GROUP BY window_start, window_end, window_time, account_id
)
WHERE txn_count > 10;

SELECT window_start, window_end, device_id, COUNT(DISTINCT account_id) AS accounts
FROM TABLE(
  HOP(
    DATA => TABLE transactions,
    TIMECOL => DESCRIPTOR(txn_time),
    SLIDE => INTERVAL '10' MINUTES,
    SIZE => INTERVAL '1' HOUR))
GROUP BY window_start, window_end, device_id
HAVING COUNT(DISTINCT account_id) >= 3;

-- rule 5: small test charges followed by a large one
SELECT *
FROM transactions
MATCH_RECOGNIZE (
  PARTITION BY account_id
  ORDER BY txn_time
  MEASURES
    FIRST(SMALL.txn_time) AS first_small,
    BIG.txn_time AS big_time,
    BIG.amount AS big_amount
  ONE ROW PER MATCH
  AFTER MATCH SKIP PAST LAST ROW
  PATTERN (SMALL{3,} BIG) WITHIN INTERVAL '30' MINUTE
  DEFINE
    SMALL AS SMALL.amount < 2,
    BIG AS BIG.amount > 500
);

-- rule 6: impossible travel between consecutive transactions of one account
SELECT txn_id, account_id, prev_country, country
FROM (
  SELECT txn_id, account_id, country, txn_time,
         LAG(country) OVER (PARTITION BY account_id ORDER BY txn_time) AS prev_country,
         LAG(txn_time) OVER (PARTITION BY account_id ORDER BY txn_time) AS prev_time
  FROM transactions
)
WHERE prev_country IS NOT NULL
  AND prev_country <> country
  AND TIMESTAMPDIFF(MINUTE, prev_time, txn_time) < 60;

-- rule 7: high-risk merchant categories for new accounts
SELECT t.txn_id, t.account_id, t.merchant_category
FROM transactions t
JOIN latest_users u ON t.user_id = u.user_id
WHERE t.merchant_category IN ('gambling', 'crypto', 'money_transfer')
  AND TIMESTAMPDIFF(DAY, TO_TIMESTAMP_LTZ(u.created_at, 3), t.txn_time) < 7;

-- rule 8: daily spend above the user's declared limit, evaluated per hour of the day
SELECT window_start, window_end, account_id, SUM(amount) AS spent
FROM TABLE(CUMULATE(TABLE transactions, DESCRIPTOR(txn_time), INTERVAL '1' HOUR, INTERVAL '1' DAY))
GROUP BY window_start, window_end, account_id
HAVING SUM(amount) > 20000;

EXECUTE STATEMENT SET
BEGIN
  INSERT INTO fraud_alerts
  SELECT CONCAT('big-', txn_id), 'single_large', account_id, CAST(amount AS DOUBLE), merchant_id, txn_time
  FROM transactions WHERE amount >= 10000;
  INSERT INTO fraud_alerts
  SELECT CONCAT('night-', txn_id), 'night_time', account_id, 0.4, CAST(HOUR(txn_time) AS STRING), txn_time
  FROM transactions WHERE HOUR(txn_time) BETWEEN 1 AND 4 AND amount > 1000;
END;

SELECT account_id,
       SUM(amount) FILTER (WHERE merchant_category = 'atm') AS atm_total,
       COUNT(*) FILTER (WHERE amount < 1) AS micro_count
FROM transactions
GROUP BY account_id
HAVING COUNT(*) FILTER (WHERE amount < 1) > 5;

SELECT JSON_OBJECT(
         KEY 'txn' VALUE txn_id,
         KEY 'account' VALUE account_id,
         KEY 'amount' VALUE amount,
         KEY 'ip' VALUE ip
         ABSENT ON NULL) AS payload
FROM transactions
WHERE amount > 1000;

SELECT /*+ STATE_TTL('t' = '1h', 'u' = '30d') */ t.txn_id, u.email
FROM transactions t
LEFT JOIN latest_users u ON t.user_id = u.user_id;

-- rule 9: account takeover, the e-mail address changed shortly before a large transfer
SELECT t.txn_id, t.account_id, t.amount, c.old_email, c.new_email
FROM transactions AS t
JOIN (
  SELECT `after`.user_id AS user_id,
         `before`.email AS old_email,
         `after`.email AS new_email,
         event_time
  FROM users_cdc
  WHERE op = 'u' AND `before`.email <> `after`.email
) AS c
  ON t.user_id = c.user_id
 AND t.txn_time BETWEEN c.event_time AND c.event_time + INTERVAL '15' MINUTE
WHERE t.amount > 1000;

-- rule 10: many distinct cards on one device within a session of activity
INSERT INTO fraud_alerts
SELECT
  CONCAT('dev-', device_id, '-', CAST(UNIX_TIMESTAMP(CAST(window_end AS STRING)) AS STRING)),
  'device_sharing',
  MAX(account_id),
  CAST(COUNT(DISTINCT account_id) AS DOUBLE),
  LISTAGG(DISTINCT account_id, ','),
  window_time
FROM TABLE(SESSION(TABLE transactions PARTITION BY device_id, DESCRIPTOR(txn_time), INTERVAL '10' MINUTES))
GROUP BY window_start, window_end, window_time, device_id
HAVING COUNT(DISTINCT account_id) > 2;

-- rule 11: first transaction of a brand-new account above a threshold
SELECT txn_id, account_id, amount
FROM (
  SELECT txn_id, account_id, amount,
         ROW_NUMBER() OVER (PARTITION BY account_id ORDER BY txn_time ASC) AS nth
  FROM transactions
)
WHERE nth = 1 AND amount > 2500;

-- rule 12: ratio of this transaction to the account's hourly average
SELECT txn_id, account_id, amount,
       amount / NULLIF(AVG(amount) OVER last_hour, 0) AS ratio_to_avg
FROM transactions
WINDOW last_hour AS (
  PARTITION BY account_id ORDER BY txn_time
  RANGE BETWEEN INTERVAL '1' HOUR PRECEDING AND CURRENT ROW);

CREATE TABLE IF NOT EXISTS fraud_scores
DISTRIBUTED BY HASH(account_id) INTO 4 BUCKETS
WITH ('connector' = 'upsert-kafka', 'topic' = 'fraud-scores', 'key.format' = 'json', 'value.format' = 'json')
AS SELECT account_id,
          MAX(score) AS max_score,
          COUNT(*) AS alert_count,
          MAX(detected_at) AS last_alert
   FROM fraud_alerts
   GROUP BY account_id;

SELECT account_id,
       CASE
         WHEN MAX(score) >= 0.9 OR COUNT(*) >= 5 THEN 'block'
         WHEN MAX(score) >= 0.6 THEN 'review'
         ELSE 'allow'
       END AS decision
FROM fraud_alerts
WHERE detected_at > CURRENT_TIMESTAMP - INTERVAL '1' DAY
GROUP BY account_id;
