-- Deduplication: ROW_NUMBER ordered by a time attribute, keeping the first or the last row per key.

SELECT payment_id, account_id, amount, created_at
FROM (
  SELECT *, ROW_NUMBER() OVER (PARTITION BY payment_id ORDER BY proc_time ASC) AS row_num
  FROM payments
)
WHERE row_num = 1;

SELECT *
FROM (
  SELECT *, ROW_NUMBER() OVER (PARTITION BY account_id ORDER BY created_at DESC) AS rn
  FROM payments
)
WHERE rn = 1;

SELECT user_id, ip, login_ts
FROM (
  SELECT user_id, ip, login_ts,
         ROW_NUMBER() OVER (PARTITION BY user_id, ip ORDER BY login_ts) AS rn
  FROM logins
) AS t
WHERE t.rn = 1;

SELECT * FROM (
  SELECT *, ROW_NUMBER() OVER (PARTITION BY account_id ORDER BY proc_time DESC) AS rownum
  FROM account_updates
) WHERE rownum <= 1;

select event_id, payload from (
  select event_id, payload, row_number() over (partition by event_id order by `$rowtime` asc) as n
  from raw_events
) where n = 1;

CREATE TEMPORARY VIEW latest_accounts AS
SELECT account_id, owner, status, updated_at
FROM (
  SELECT *, ROW_NUMBER() OVER (PARTITION BY account_id ORDER BY updated_at DESC) AS rn
  FROM account_updates
)
WHERE rn = 1;

INSERT INTO deduped_payments
SELECT payment_id, account_id, amount
FROM (
  SELECT payment_id, account_id, amount,
         ROW_NUMBER() OVER (PARTITION BY payment_id ORDER BY created_at) AS rn
  FROM payments
)
WHERE rn = 1;

SELECT * FROM (
  SELECT *, ROW_NUMBER() OVER (PARTITION BY device_id ORDER BY event_time DESC) AS rn FROM device_heartbeats
) WHERE 1 = rn;
