-- Window joins: inner, outer, semi (IN/EXISTS) and anti (NOT IN/NOT EXISTS) joins of two window TVF outputs.

SELECT L.account_id, L.amount, R.ip, L.window_start, L.window_end
FROM (
  SELECT * FROM TABLE(TUMBLE(TABLE payments, DESCRIPTOR(created_at), INTERVAL '5' MINUTES))
) L
JOIN (
  SELECT * FROM TABLE(TUMBLE(TABLE logins, DESCRIPTOR(login_ts), INTERVAL '5' MINUTES))
) R
ON L.user_id = R.user_id AND L.window_start = R.window_start AND L.window_end = R.window_end;

SELECT COALESCE(L.user_id, R.user_id) AS user_id,
       L.window_start, L.window_end, L.amount, R.ip
FROM (
  SELECT * FROM TABLE(TUMBLE(TABLE payments, DESCRIPTOR(created_at), INTERVAL '5' MINUTES))
) L
FULL JOIN (
  SELECT * FROM TABLE(TUMBLE(TABLE logins, DESCRIPTOR(login_ts), INTERVAL '5' MINUTES))
) R
ON L.user_id = R.user_id AND L.window_start = R.window_start AND L.window_end = R.window_end;

SELECT L.*, R.ip
FROM (SELECT * FROM TABLE(HOP(TABLE payments, DESCRIPTOR(created_at), INTERVAL '1' MINUTE, INTERVAL '5' MINUTES))) AS L
LEFT JOIN (SELECT * FROM TABLE(HOP(TABLE logins, DESCRIPTOR(login_ts), INTERVAL '1' MINUTE, INTERVAL '5' MINUTES))) AS R
ON L.user_id = R.user_id AND L.window_start = R.window_start AND L.window_end = R.window_end;

SELECT L.*, R.ip
FROM (SELECT * FROM TABLE(CUMULATE(TABLE payments, DESCRIPTOR(created_at), INTERVAL '1' MINUTE, INTERVAL '10' MINUTES))) L
RIGHT JOIN (SELECT * FROM TABLE(CUMULATE(TABLE logins, DESCRIPTOR(login_ts), INTERVAL '1' MINUTE, INTERVAL '10' MINUTES))) R
ON L.user_id = R.user_id AND L.window_start = R.window_start AND L.window_end = R.window_end;

SELECT *
FROM (SELECT * FROM TABLE(TUMBLE(TABLE payments, DESCRIPTOR(created_at), INTERVAL '5' MINUTES))) L
WHERE L.user_id IN (
  SELECT user_id FROM (
    SELECT * FROM TABLE(TUMBLE(TABLE logins, DESCRIPTOR(login_ts), INTERVAL '5' MINUTES))
  ) R
  WHERE L.window_start = R.window_start AND L.window_end = R.window_end
);

SELECT *
FROM (SELECT * FROM TABLE(TUMBLE(TABLE payments, DESCRIPTOR(created_at), INTERVAL '5' MINUTES))) L
WHERE EXISTS (
  SELECT * FROM (
    SELECT * FROM TABLE(TUMBLE(TABLE logins, DESCRIPTOR(login_ts), INTERVAL '5' MINUTES))
  ) R
  WHERE L.user_id = R.user_id AND L.window_start = R.window_start AND L.window_end = R.window_end
);

SELECT *
FROM (SELECT * FROM TABLE(TUMBLE(TABLE payments, DESCRIPTOR(created_at), INTERVAL '5' MINUTES))) L
WHERE L.user_id NOT IN (
  SELECT user_id FROM (
    SELECT * FROM TABLE(TUMBLE(TABLE logins, DESCRIPTOR(login_ts), INTERVAL '5' MINUTES))
  ) R
  WHERE L.window_start = R.window_start AND L.window_end = R.window_end
);

SELECT *
FROM (SELECT * FROM TABLE(TUMBLE(TABLE payments, DESCRIPTOR(created_at), INTERVAL '5' MINUTES))) L
WHERE NOT EXISTS (
  SELECT * FROM (
    SELECT * FROM TABLE(TUMBLE(TABLE logins, DESCRIPTOR(login_ts), INTERVAL '5' MINUTES))
  ) R
  WHERE L.user_id = R.user_id AND L.window_start = R.window_start AND L.window_end = R.window_end
);

SELECT L.window_start, L.window_end, L.account_id, L.total, R.logins
FROM (
  SELECT window_start, window_end, account_id, user_id, SUM(amount) AS total
  FROM TABLE(TUMBLE(TABLE payments, DESCRIPTOR(created_at), INTERVAL '10' MINUTES))
  GROUP BY window_start, window_end, account_id, user_id
) L
JOIN (
  SELECT window_start, window_end, user_id, COUNT(*) AS logins
  FROM TABLE(TUMBLE(TABLE logins, DESCRIPTOR(login_ts), INTERVAL '10' MINUTES))
  GROUP BY window_start, window_end, user_id
) R
ON L.user_id = R.user_id AND L.window_start = R.window_start AND L.window_end = R.window_end;
