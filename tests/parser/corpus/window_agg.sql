-- Window aggregation over window TVFs, with GROUPING SETS, ROLLUP and CUBE next to window_start and window_end.

SELECT window_start, window_end, SUM(amount) AS total
FROM TABLE(TUMBLE(TABLE payments, DESCRIPTOR(created_at), INTERVAL '10' MINUTES))
GROUP BY window_start, window_end;

SELECT window_start, window_end, account_id, COUNT(*) AS cnt, MAX(amount) AS max_amount
FROM TABLE(HOP(TABLE payments, DESCRIPTOR(created_at), INTERVAL '1' MINUTE, INTERVAL '10' MINUTES))
GROUP BY window_start, window_end, account_id;

SELECT window_start, window_end, SUM(amount)
FROM TABLE(CUMULATE(TABLE payments, DESCRIPTOR(created_at), INTERVAL '1' HOUR, INTERVAL '1' DAY))
GROUP BY window_start, window_end;

SELECT window_start, window_end, user_id, COUNT(*) AS logins_in_session
FROM TABLE(SESSION(TABLE logins PARTITION BY user_id, DESCRIPTOR(login_ts), INTERVAL '10' MINUTES))
GROUP BY window_start, window_end, user_id;

SELECT window_start, window_end, currency, merchant_id, SUM(amount)
FROM TABLE(TUMBLE(TABLE payments, DESCRIPTOR(created_at), INTERVAL '5' MINUTES))
GROUP BY window_start, window_end, GROUPING SETS ((currency, merchant_id), (currency), ());

SELECT window_start, window_end, currency, merchant_id, SUM(amount)
FROM TABLE(TUMBLE(TABLE payments, DESCRIPTOR(created_at), INTERVAL '5' MINUTES))
GROUP BY window_start, window_end, ROLLUP (currency, merchant_id);

SELECT window_start, window_end, currency, merchant_id, SUM(amount)
FROM TABLE(TUMBLE(TABLE payments, DESCRIPTOR(created_at), INTERVAL '5' MINUTES))
GROUP BY window_start, window_end, CUBE (currency, merchant_id);

SELECT window_start, window_end, window_time, account_id, COUNT(DISTINCT merchant_id) AS merchants
FROM TABLE(TUMBLE(TABLE payments, DESCRIPTOR(created_at), INTERVAL '1' HOUR))
GROUP BY window_start, window_end, window_time, account_id;

SELECT window_start, window_end, account_id,
       SUM(amount) FILTER (WHERE currency = 'EUR') AS eur_total,
       COUNT(*) FILTER (WHERE amount > 1000) AS large_count
FROM TABLE(TUMBLE(TABLE payments, DESCRIPTOR(created_at), INTERVAL '15' MINUTES))
GROUP BY window_start, window_end, account_id
HAVING COUNT(*) > 3;

CREATE TEMPORARY VIEW per_minute AS
SELECT window_start AS ws, window_end AS we, window_time AS rowtime, account_id, COUNT(*) AS cnt
FROM TABLE(TUMBLE(TABLE payments, DESCRIPTOR(created_at), INTERVAL '1' MINUTE))
GROUP BY window_start, window_end, window_time, account_id;

-- cascading window aggregation: the outer window uses window_time of the inner one
SELECT window_start, window_end, SUM(cnt) AS total_cnt
FROM TABLE(TUMBLE(TABLE per_minute, DESCRIPTOR(rowtime), INTERVAL '10' MINUTES))
GROUP BY window_start, window_end;

select window_start, window_end, avg(amount) as avg_amount, stddev_pop(amount) as sd
from table(hop(data => table payments, timecol => descriptor(created_at), slide => interval '30' seconds, size => interval '5' minutes))
group by window_start, window_end;

SELECT window_end, account_id, LISTAGG(merchant_id) AS merchants
FROM TABLE(TUMBLE(TABLE payments, DESCRIPTOR(created_at), INTERVAL '1' MINUTE))
GROUP BY window_start, window_end, account_id;

SELECT
  TUMBLE_START(created_at, INTERVAL '1' HOUR) AS wstart,
  TUMBLE_END(created_at, INTERVAL '1' HOUR) AS wend,
  account_id,
  SUM(amount)
FROM payments
GROUP BY TUMBLE(created_at, INTERVAL '1' HOUR), account_id;

SELECT HOP_START(created_at, INTERVAL '1' MINUTE, INTERVAL '10' MINUTE), COUNT(*)
FROM payments
GROUP BY HOP(created_at, INTERVAL '1' MINUTE, INTERVAL '10' MINUTE);

SELECT user_id, SESSION_START(login_ts, INTERVAL '30' MINUTE), SESSION_ROWTIME(login_ts, INTERVAL '30' MINUTE), COUNT(*)
FROM logins
GROUP BY SESSION(login_ts, INTERVAL '30' MINUTE), user_id;

SELECT TUMBLE_ROWTIME(created_at, INTERVAL '1' MINUTE) AS rt, COUNT(*)
FROM payments
GROUP BY TUMBLE(created_at, INTERVAL '1' MINUTE);

SELECT TUMBLE_PROCTIME(proc_time, INTERVAL '1' MINUTE) AS pt, COUNT(*)
FROM payments
GROUP BY TUMBLE(proc_time, INTERVAL '1' MINUTE);

SELECT window_start, window_end, GROUPING(currency) AS g, currency, COUNT(*)
FROM TABLE(TUMBLE(TABLE payments, DESCRIPTOR(created_at), INTERVAL '1' MINUTE))
GROUP BY window_start, window_end, GROUPING SETS ((currency), ());
