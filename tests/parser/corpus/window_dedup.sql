-- Window deduplication: ROW_NUMBER per window ordered by the time attribute, keeping the first or last row.

SELECT *
FROM (
  SELECT payment_id, account_id, amount, created_at, window_start, window_end,
         ROW_NUMBER() OVER (PARTITION BY window_start, window_end ORDER BY created_at DESC) AS rownum
  FROM TABLE(TUMBLE(TABLE payments, DESCRIPTOR(created_at), INTERVAL '10' MINUTES))
)
WHERE rownum <= 1;

SELECT *
FROM (
  SELECT *, ROW_NUMBER() OVER (PARTITION BY window_start, window_end, account_id ORDER BY created_at ASC) AS rn
  FROM TABLE(TUMBLE(TABLE payments, DESCRIPTOR(created_at), INTERVAL '1' MINUTE))
)
WHERE rn = 1;

SELECT user_id, ip, window_start
FROM (
  SELECT *, ROW_NUMBER() OVER (PARTITION BY window_start, window_end, user_id ORDER BY login_ts) AS rn
  FROM TABLE(HOP(TABLE logins, DESCRIPTOR(login_ts), INTERVAL '1' MINUTE, INTERVAL '5' MINUTES))
) WHERE rn = 1;

select * from (
  select *, row_number() over (partition by window_start, window_end order by created_at desc) as rownum
  from table(cumulate(table payments, descriptor(created_at), interval '1' minute, interval '1' hour))
) where rownum <= 1;

SELECT window_start, window_end, device_id, reading
FROM (
  SELECT window_start, window_end, device_id, reading,
         ROW_NUMBER() OVER (PARTITION BY window_start, window_end, device_id ORDER BY event_time DESC) AS rn
  FROM TABLE(TUMBLE(DATA => TABLE sensor_events, TIMECOL => DESCRIPTOR(event_time), SIZE => INTERVAL '30' SECONDS))
)
WHERE rn <= 1;

INSERT INTO first_login_per_hour
SELECT user_id, ip, login_ts, window_start
FROM (
  SELECT *, ROW_NUMBER() OVER (PARTITION BY window_start, window_end, user_id ORDER BY login_ts ASC) AS rn
  FROM TABLE(TUMBLE(TABLE logins, DESCRIPTOR(login_ts), INTERVAL '1' HOUR))
)
WHERE rn = 1;

SELECT * FROM (
  SELECT *, ROW_NUMBER() OVER (PARTITION BY user_id, window_start, window_end ORDER BY login_ts DESC) AS rn
  FROM TABLE(SESSION(TABLE logins PARTITION BY user_id, DESCRIPTOR(login_ts), INTERVAL '5' MINUTES))
) WHERE rn = 1;
