-- Group aggregation: GROUP BY, HAVING, GROUPING SETS/ROLLUP/CUBE, DISTINCT aggregates, FILTER (WHERE ...), GROUPING functions.

SELECT account_id, COUNT(*) FROM payments GROUP BY account_id;

SELECT account_id, currency, SUM(amount) AS total, AVG(amount) AS avg_amount, MIN(amount), MAX(amount)
FROM payments
GROUP BY account_id, currency;

SELECT account_id, SUM(amount) FROM payments GROUP BY account_id HAVING SUM(amount) > 10000;

SELECT account_id FROM payments GROUP BY account_id HAVING COUNT(*) >= 5 AND MAX(amount) > 100;

SELECT COUNT(*), SUM(amount) FROM payments;

SELECT COUNT(*) FROM payments HAVING COUNT(*) > 0;

SELECT account_id, COUNT(DISTINCT merchant_id) AS distinct_merchants FROM payments GROUP BY account_id;

SELECT account_id, SUM(DISTINCT amount), AVG(DISTINCT amount) FROM payments GROUP BY account_id;

SELECT account_id,
       COUNT(*) FILTER (WHERE currency = 'EUR') AS eur_cnt,
       SUM(amount) FILTER (WHERE amount > 100) AS large_sum,
       COUNT(DISTINCT merchant_id) FILTER (WHERE channel = 'web') AS web_merchants
FROM payments
GROUP BY account_id;

SELECT currency, channel, SUM(amount)
FROM payments
GROUP BY GROUPING SETS ((currency, channel), (currency), (channel), ());

SELECT currency, channel, SUM(amount) FROM payments GROUP BY ROLLUP (currency, channel);

SELECT currency, channel, SUM(amount) FROM payments GROUP BY CUBE (currency, channel);

SELECT currency, channel, merchant_id, COUNT(*)
FROM payments
GROUP BY currency, ROLLUP (channel, merchant_id);

SELECT currency, channel,
       GROUPING(currency) AS g_cur,
       GROUPING(currency, channel) AS g_both,
       GROUPING_ID(currency, channel) AS gid,
       COUNT(*)
FROM payments
GROUP BY CUBE (currency, channel);

SELECT UPPER(currency) AS cur, COUNT(*) FROM payments GROUP BY UPPER(currency);

SELECT DATE_FORMAT(created_at, 'yyyy-MM-dd') AS day_str, COUNT(*)
FROM payments
GROUP BY DATE_FORMAT(created_at, 'yyyy-MM-dd');

SELECT amount_bucket, COUNT(*)
FROM (SELECT CASE WHEN amount < 100 THEN 'small' WHEN amount < 1000 THEN 'medium' ELSE 'large' END AS amount_bucket FROM payments)
GROUP BY amount_bucket;

select account_id, count(*) as cnt from payments group by account_id having count(*) > 2;

SELECT account_id, COLLECT(merchant_id) AS merchants, LISTAGG(currency, '|') AS currencies
FROM payments GROUP BY account_id;

SELECT account_id, FIRST_VALUE(amount) AS first_amount, LAST_VALUE(amount) AS last_amount
FROM payments GROUP BY account_id;

SELECT account_id, STDDEV_POP(amount), STDDEV_SAMP(amount), VAR_POP(amount), VAR_SAMP(amount)
FROM payments GROUP BY account_id;

SELECT account_id, SUM(CASE WHEN amount > 1000 THEN 1 ELSE 0 END) AS large_cnt, SUM(IF(amount < 0, 1, 0)) AS refunds
FROM payments GROUP BY account_id;

SELECT account_id, ARRAY_AGG(merchant_id) AS merchants FROM payments GROUP BY account_id;

SELECT account_id, ARRAY_AGG(DISTINCT merchant_id) FROM payments GROUP BY account_id;

SELECT account_id, JSON_OBJECTAGG(KEY merchant_id VALUE amount) FROM payments GROUP BY account_id;

SELECT account_id, JSON_ARRAYAGG(amount ABSENT ON NULL) FROM payments GROUP BY account_id;

SELECT account_id, COUNT(1), COUNT(merchant_id) FROM payments GROUP BY account_id;

SELECT GROUP_ID(), currency, COUNT(*) FROM payments GROUP BY GROUPING SETS ((currency), (currency));

SELECT account_id, SUM(amount) AS total
FROM payments
WHERE currency = 'EUR'
GROUP BY account_id
HAVING SUM(amount) BETWEEN 100 AND 1000
ORDER BY total DESC;

SELECT /*+ STATE_TTL('payments' = '1d') */ account_id, COUNT(*) FROM payments GROUP BY account_id;

SELECT COUNT(ALL merchant_id), COUNT(DISTINCT merchant_id, currency) FROM payments;

SELECT SUM(amount) FROM payments GROUP BY ();

SELECT account_id, currency, COUNT(*)
FROM payments
GROUP BY GROUPING SETS (account_id, currency, (account_id, currency));

SELECT currency, channel, merchant_id, COUNT(*)
FROM payments
GROUP BY GROUPING SETS (ROLLUP (currency, channel), CUBE (merchant_id), ());
