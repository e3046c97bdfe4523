-- Window Top-N: ranking inside window TVF output, after window aggregation or directly on the TVF.

SELECT *
FROM (
  SELECT *, ROW_NUMBER() OVER (PARTITION BY window_start, window_end ORDER BY total DESC) AS rn
  FROM (
    SELECT window_start, window_end, merchant_id, SUM(amount) AS total, COUNT(*) AS cnt
    FROM TABLE(TUMBLE(TABLE payments, DESCRIPTOR(created_at), INTERVAL '10' MINUTES))
    GROUP BY window_start, window_end, merchant_id
  )
)
WHERE rn <= 3;

SELECT *
FROM (
  SELECT payment_id, account_id, amount, window_start, window_end,
         ROW_NUMBER() OVER (PARTITION BY window_start, window_end ORDER BY amount DESC) AS rn
  FROM TABLE(TUMBLE(TABLE payments, DESCRIPTOR(created_at), INTERVAL '10' MINUTES))
)
WHERE rn <= 3;

SELECT * FROM (
  SELECT *, RANK() OVER (PARTITION BY window_start, window_end, currency ORDER BY amount DESC) AS rk
  FROM TABLE(HOP(TABLE payments, DESCRIPTOR(created_at), INTERVAL '5' MINUTES, INTERVAL '1' HOUR))
) WHERE rk <= 5;

SELECT window_start, window_end, account_id, total
FROM (
  SELECT window_start, window_end, account_id, total,
         DENSE_RANK() OVER (PARTITION BY window_start, window_end ORDER BY total DESC) AS drk
  FROM (
    SELECT window_start, window_end, account_id, SUM(amount) AS total
    FROM TABLE(CUMULATE(TABLE payments, DESCRIPTOR(created_at), INTERVAL '1' HOUR, INTERVAL '1' DAY))
    GROUP BY window_start, window_end, account_id
  )
)
WHERE drk <= 10;

with agg as (
  select window_start, window_end, user_id, count(*) as logins
  from table(tumble(table logins, descriptor(login_ts), interval '1' hour))
  group by window_start, window_end, user_id
)
select * from (
  select *, row_number() over (partition by window_start, window_end order by logins desc) as rn from agg
) where rn <= 1;

SELECT * FROM (
  SELECT *, ROW_NUMBER() OVER (PARTITION BY window_start, window_end ORDER BY amount DESC) AS rn
  FROM TABLE(TUMBLE(DATA => TABLE payments, TIMECOL => DESCRIPTOR(created_at), SIZE => INTERVAL '1' MINUTE))
) WHERE rn <= 2;

INSERT INTO top_merchants_per_hour
SELECT window_start, window_end, merchant_id, total, rn
FROM (
  SELECT *, ROW_NUMBER() OVER (PARTITION BY window_start, window_end ORDER BY total DESC) AS rn
  FROM (
    SELECT window_start, window_end, merchant_id, SUM(amount) AS total
    FROM TABLE(TUMBLE(TABLE payments, DESCRIPTOR(created_at), INTERVAL '1' HOUR))
    GROUP BY window_start, window_end, merchant_id
  )
)
WHERE rn <= 5;

SELECT *
FROM (
  SELECT *, ROW_NUMBER() OVER (PARTITION BY window_start, window_end, currency ORDER BY cnt DESC, account_id) AS rn
  FROM (
    SELECT window_start, window_end, currency, account_id, COUNT(*) AS cnt
    FROM TABLE(HOP(TABLE payments, DESCRIPTOR(created_at), INTERVAL '10' MINUTES, INTERVAL '1' HOUR))
    GROUP BY window_start, window_end, currency, account_id
  )
)
WHERE rn <= 3;

SELECT * FROM (
  SELECT *, RANK() OVER (PARTITION BY window_start, window_end ORDER BY amount DESC) AS rk
  FROM TABLE(SESSION(TABLE payments PARTITION BY account_id, DESCRIPTOR(created_at), INTERVAL '10' MINUTES))
) WHERE rk <= 1;
