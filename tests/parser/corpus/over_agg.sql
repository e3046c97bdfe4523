-- OVER aggregation: ROWS and RANGE frames on time attributes, named WINDOW clauses, ranking and offset functions.

SELECT payment_id, account_id, amount,
       SUM(amount) OVER (PARTITION BY account_id ORDER BY created_at
                         RANGE BETWEEN INTERVAL '10' MINUTE PRECEDING AND CURRENT ROW) AS sum_10m
FROM payments;

SELECT payment_id,
       COUNT(*) OVER (PARTITION BY account_id ORDER BY created_at ROWS BETWEEN 5 PRECEDING AND CURRENT ROW) AS last6
FROM payments;

SELECT payment_id,
       AVG(amount) OVER (PARTITION BY account_id ORDER BY created_at ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)
FROM payments;

SELECT payment_id,
       MAX(amount) OVER (PARTITION BY account_id ORDER BY created_at RANGE BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)
FROM payments;

SELECT payment_id,
       SUM(amount) OVER w AS total_1h,
       COUNT(*) OVER w AS cnt_1h,
       MIN(amount) OVER w AS min_1h
FROM payments
WINDOW w AS (PARTITION BY account_id ORDER BY created_at RANGE BETWEEN INTERVAL '1' HOUR PRECEDING AND CURRENT ROW);

SELECT payment_id, SUM(amount) OVER w1, AVG(amount) OVER w2
FROM payments
WINDOW w1 AS (PARTITION BY account_id ORDER BY created_at ROWS BETWEEN 10 PRECEDING AND CURRENT ROW),
       w2 AS (PARTITION BY merchant_id ORDER BY created_at ROWS BETWEEN 10 PRECEDING AND CURRENT ROW);

SELECT payment_id, SUM(amount) OVER (ORDER BY created_at ROWS BETWEEN 2 PRECEDING AND CURRENT ROW)
FROM payments;

SELECT payment_id, COUNT(*) OVER (PARTITION BY account_id ORDER BY proc_time RANGE BETWEEN INTERVAL '30' SECOND PRECEDING AND CURRENT ROW)
FROM payments;

SELECT payment_id,
       SUM(amount) OVER (PARTITION BY account_id ORDER BY created_at RANGE INTERVAL '10' MINUTE PRECEDING)
FROM payments;

SELECT payment_id,
       SUM(amount) OVER (PARTITION BY account_id ORDER BY created_at ROWS 3 PRECEDING)
FROM payments;

SELECT payment_id,
       LAG(amount) OVER (PARTITION BY account_id ORDER BY created_at) AS prev_amount,
       LAG(amount, 2, 0) OVER (PARTITION BY account_id ORDER BY created_at) AS prev2,
       LEAD(amount) OVER (PARTITION BY account_id ORDER BY created_at) AS next_amount
FROM payments;

SELECT payment_id,
       FIRST_VALUE(merchant_id) OVER w AS first_merchant,
       LAST_VALUE(merchant_id) OVER w AS last_merchant
FROM payments
WINDOW w AS (PARTITION BY account_id ORDER BY created_at ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW);

select payment_id, count(distinct merchant_id) over (partition by account_id order by created_at range between interval '1' day preceding and current row) as merchants_1d
from payments;

SELECT payment_id,
       ROW_NUMBER() OVER (PARTITION BY account_id ORDER BY created_at) AS seq,
       RANK() OVER (PARTITION BY account_id ORDER BY amount DESC) AS amount_rank,
       DENSE_RANK() OVER (PARTITION BY account_id ORDER BY amount DESC) AS amount_dense_rank
FROM payments;

SELECT payment_id,
       SUM(amount) OVER (PARTITION BY account_id, currency ORDER BY created_at ROWS BETWEEN 100 PRECEDING AND CURRENT ROW) AS running
FROM payments;

SELECT payment_id, amount,
       amount - AVG(amount) OVER (PARTITION BY account_id ORDER BY created_at ROWS BETWEEN 20 PRECEDING AND CURRENT ROW) AS deviation
FROM payments;

SELECT * FROM (
  SELECT payment_id, account_id,
         SUM(amount) OVER (PARTITION BY account_id ORDER BY created_at RANGE BETWEEN INTERVAL '10' MINUTE PRECEDING AND CURRENT ROW) AS s
  FROM payments
) WHERE s > 5000;

SELECT payment_id, COUNT(*) OVER (PARTITION BY account_id ORDER BY created_at RANGE BETWEEN INTERVAL '0 01:30:00' DAY TO SECOND PRECEDING AND CURRENT ROW)
FROM payments;

SELECT payment_id, SUM(amount) OVER w
FROM payments
WINDOW w AS (PARTITION BY account_id ORDER BY created_at ASC ROWS BETWEEN 1 PRECEDING AND CURRENT ROW);

SELECT payment_id, SUM(amount) OVER () AS grand_total, amount / SUM(amount) OVER (PARTITION BY account_id) AS share
FROM payments;

SELECT payment_id,
       SUM(amount) OVER (PARTITION BY account_id ORDER BY created_at ROWS BETWEEN CURRENT ROW AND UNBOUNDED FOLLOWING) AS remaining,
       AVG(amount) OVER (PARTITION BY account_id ORDER BY created_at ROWS BETWEEN 1 PRECEDING AND 1 FOLLOWING) AS smoothed
FROM payments;

SELECT payment_id,
       ROW_NUMBER() OVER (PARTITION BY account_id ORDER BY amount DESC NULLS LAST, created_at ASC NULLS FIRST) AS rn
FROM payments;
