-- Windowing table-valued functions: TUMBLE, HOP, CUMULATE and SESSION with positional and named arguments, offsets and PARTITION BY.

SELECT * FROM TABLE(TUMBLE(TABLE payments, DESCRIPTOR(created_at), INTERVAL '10' MINUTES));

SELECT * FROM TABLE(
  TUMBLE(
    DATA => TABLE payments,
    TIMECOL => DESCRIPTOR(created_at),
    SIZE => INTERVAL '10' MINUTES));

SELECT * FROM TABLE(TUMBLE(TABLE payments, DESCRIPTOR(created_at), INTERVAL '1' HOUR, INTERVAL '15' MINUTES));

SELECT * FROM TABLE(
  TUMBLE(
    DATA => TABLE payments,
    TIMECOL => DESCRIPTOR(created_at),
    SIZE => INTERVAL '1' DAY,
    `OFFSET` => INTERVAL '-8' HOUR));

SELECT * FROM TABLE(HOP(TABLE payments, DESCRIPTOR(created_at), INTERVAL '1' MINUTE, INTERVAL '10' MINUTE));

SELECT * FROM TABLE(
  HOP(DATA => TABLE payments, TIMECOL => DESCRIPTOR(created_at), SLIDE => INTERVAL '5' MINUTES, SIZE => INTERVAL '1' HOUR));

SELECT * FROM TABLE(HOP(TABLE logins, DESCRIPTOR(login_ts), INTERVAL '30' SECOND, INTERVAL '2' MINUTE, INTERVAL '10' SECOND));

SELECT * FROM TABLE(CUMULATE(TABLE payments, DESCRIPTOR(created_at), INTERVAL '1' HOUR, INTERVAL '1' DAY));

SELECT * FROM TABLE(
  CUMULATE(
    DATA => TABLE payments,
    TIMECOL => DESCRIPTOR(created_at),
    STEP => INTERVAL '2' MINUTES,
    SIZE => INTERVAL '10' MINUTES));

SELECT * FROM TABLE(SESSION(TABLE logins, DESCRIPTOR(login_ts), INTERVAL '15' MINUTES));

SELECT * FROM TABLE(SESSION(TABLE logins PARTITION BY user_id, DESCRIPTOR(login_ts), INTERVAL '15' MINUTES));

SELECT * FROM TABLE(SESSION(TABLE clicks PARTITION BY (user_id, device), DESCRIPTOR(click_time), INTERVAL '30' SECONDS));

SELECT * FROM TABLE(
  SESSION(
    DATA => TABLE logins PARTITION BY user_id,
    TIMECOL => DESCRIPTOR(login_ts),
    GAP => INTERVAL '20' MINUTES));

SELECT window_start, window_end, window_time, payment_id
FROM TABLE(TUMBLE(TABLE payments, DESCRIPTOR(created_at), INTERVAL '5' MINUTES));

SELECT * FROM TABLE(TUMBLE(TABLE payments, DESCRIPTOR(proc_time), INTERVAL '1' MINUTE));

select * from table(tumble(table fraud_catalog.rules.alerts, descriptor(`$rowtime`), interval '1' minute));

SELECT * FROM TABLE(
  HOP(
    TIMECOL => DESCRIPTOR(created_at),
    DATA => TABLE payments,
    SIZE => INTERVAL '10' MINUTES,
    SLIDE => INTERVAL '1' MINUTE));

SELECT * FROM TABLE(TUMBLE(TABLE payments, DESCRIPTOR(created_at), INTERVAL '0 00:05:00' DAY TO SECOND));

SELECT w.window_start, w.amount
FROM TABLE(TUMBLE(TABLE payments, DESCRIPTOR(created_at), INTERVAL '10' SECOND)) AS w
WHERE w.amount > 10;
