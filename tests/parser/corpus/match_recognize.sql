-- MATCH_RECOGNIZE: PARTITION BY, ORDER BY, MEASURES with FIRST/LAST/PREV and aggregates, ONE ROW PER MATCH, AFTER MATCH SKIP variants, greedy and reluctant quantifiers, WITHIN, DEFINE.

SELECT *
FROM payments
MATCH_RECOGNIZE (
  PARTITION BY account_id
  ORDER BY created_at
  MEASURES
    FIRST(S.created_at) AS start_ts,
    LAST(S.created_at) AS end_ts,
    COUNT(S.payment_id) AS small_count,
    B.amount AS big_amount
  ONE ROW PER MATCH
  AFTER MATCH SKIP PAST LAST ROW
  PATTERN (S{3,} B)
  DEFINE
    S AS S.amount < 1,
    B AS B.amount > 1000
) AS card_testing;

SELECT account_id, drop_start, drop_end, bottom
FROM account_balance_ticks
MATCH_RECOGNIZE (
  PARTITION BY account_id
  ORDER BY rowtime
  MEASURES
    START_ROW.rowtime AS drop_start,
    LAST(DOWN.rowtime) AS drop_end,
    LAST(DOWN.balance) AS bottom
  ONE ROW PER MATCH
  AFTER MATCH SKIP TO LAST DOWN
  PATTERN (START_ROW DOWN+ UP)
  DEFINE
    DOWN AS DOWN.balance < PREV(DOWN.balance),
    UP AS UP.balance > PREV(UP.balance)
) MR;

SELECT *
FROM logins
MATCH_RECOGNIZE (
  PARTITION BY user_id
  ORDER BY login_ts
  MEASURES
    FIRST(F.login_ts) AS first_fail,
    LAST(F.login_ts) AS last_fail,
    OK.ip AS success_ip
  AFTER MATCH SKIP TO NEXT ROW
  PATTERN (F{5} OK) WITHIN INTERVAL '10' MINUTE
  DEFINE
    F AS F.success = FALSE,
    OK AS OK.success = TRUE
);

SELECT *
FROM payments
MATCH_RECOGNIZE (
  PARTITION BY card_id
  ORDER BY created_at
  MEASURES A.country AS from_country, B.country AS to_country, B.created_at AS hop_time
  ONE ROW PER MATCH
  AFTER MATCH SKIP TO FIRST B
  PATTERN (A B)
  WITHIN INTERVAL '1' HOUR
  DEFINE
    B AS B.country <> A.country
);

SELECT *
FROM ticker
MATCH_RECOGNIZE (
  PARTITION BY symbol
  ORDER BY rowtime
  MEASURES
    FIRST(A.price) AS first_price,
    LAST(A.price) AS last_price,
    AVG(A.price) AS avg_price,
    SUM(A.volume) AS total_volume,
    MAX(A.price) - MIN(A.price) AS spread
  ONE ROW PER MATCH
  AFTER MATCH SKIP PAST LAST ROW
  PATTERN (A+? B)
  DEFINE
    A AS AVG(A.price) < 15,
    B AS B.price >= 15
);

SELECT *
FROM ticker
MATCH_RECOGNIZE (
  PARTITION BY symbol
  ORDER BY rowtime
  MEASURES C.rowtime AS end_time
  PATTERN (A B*? C)
  DEFINE
    A AS A.price > 10,
    B AS B.price > LAST(B.price, 1) OR LAST(B.price, 1) IS NULL,
    C AS C.price < FIRST(B.price)
);

SELECT *
FROM ticker
MATCH_RECOGNIZE (
  PARTITION BY symbol
  ORDER BY rowtime
  MEASURES
    MATCH_ROWTIME() AS match_time,
    FIRST(A.rowtime) AS first_time
  ONE ROW PER MATCH
  PATTERN (A{2,4}? B)
  DEFINE
    A AS A.price < PREV(A.price, 1),
    B AS B.price > PREV(B.price, 2)
);

SELECT *
FROM events
MATCH_RECOGNIZE (
  PARTITION BY device_id
  ORDER BY event_time
  MEASURES MATCH_PROCTIME() AS detected_at, LAST(E.event_type) AS last_type
  PATTERN (S E?? X)
  DEFINE
    S AS S.event_type = 'start',
    E AS E.event_type = 'error',
    X AS X.event_type = 'stop'
);

SELECT *
FROM events
MATCH_RECOGNIZE (
  PARTITION BY device_id
  ORDER BY event_time
  MEASURES COUNT(*) AS n
  PATTERN (S H{,3} X)
  DEFINE
    S AS S.event_type = 'start',
    H AS H.event_type = 'heartbeat',
    X AS X.event_type = 'stop'
);

SELECT *
FROM events
MATCH_RECOGNIZE (
  PARTITION BY device_id
  ORDER BY event_time
  MEASURES COUNT(H.event_type) AS beats
  PATTERN (S H{2} X)
  DEFINE
    H AS H.event_type = 'heartbeat',
    X AS X.event_type <> 'heartbeat'
);

SELECT *
FROM events
MATCH_RECOGNIZE (
  PARTITION BY device_id
  ORDER BY event_time
  MEASURES FIRST(A.event_time) AS t0
  PATTERN (A* B)
  DEFINE
    A AS A.temperature > 80,
    B AS B.temperature <= 80
);

SELECT *
FROM events
MATCH_RECOGNIZE (
  PARTITION BY device_id
  ORDER BY event_time
  MEASURES FIRST(A.event_time) AS t0
  PATTERN (A? B+? C)
  DEFINE
    A AS A.temperature > 80,
    C AS C.temperature > 100
);

select *
from payments
match_recognize (
  partition by account_id, currency
  order by created_at
  measures
    first(a.amount) as first_amount,
    last(a.amount) as last_amount,
    count(a.amount) as n
  one row per match
  after match skip past last row
  pattern (a{3,5} b)
  within interval '30' second
  define
    a as a.amount > 500,
    b as b.amount <= 500
) as m;

SELECT m.account_id, m.burst_total
FROM (SELECT * FROM payments WHERE currency = 'EUR')
MATCH_RECOGNIZE (
  PARTITION BY account_id
  ORDER BY created_at ASC
  MEASURES SUM(P.amount) AS burst_total
  PATTERN (P{3} Q)
  DEFINE
    P AS SUM(P.amount) < 10000,
    Q AS TRUE
) AS m
WHERE m.burst_total > 2000;

SELECT *
FROM payments
MATCH_RECOGNIZE (
  PARTITION BY account_id
  ORDER BY created_at
  MEASURES
    LAST(A.amount, 1) AS second_to_last,
    FIRST(A.amount, 1) AS second_amount,
    A.merchant_id AS last_merchant
  PATTERN (A{4,} B)
  DEFINE
    A AS A.amount BETWEEN 0 AND 50,
    B AS B.amount > 5 * FIRST(A.amount)
);

SELECT *
FROM payments
MATCH_RECOGNIZE (
  PARTITION BY account_id
  ORDER BY created_at
  MEASURES A.amount AS a_amt, B.amount AS b_amt
  AFTER MATCH SKIP TO LAST A
  PATTERN (A+ B)
  DEFINE
    A AS A.amount > 0,
    B AS B.amount < 0
);

SELECT *
FROM transactions
MATCH_RECOGNIZE (
  PARTITION BY card_id
  ORDER BY txn_time, txn_id
  MEASURES
    FIRST(DECLINE.txn_time) AS first_decline,
    APPROVE.amount AS approved_amount,
    MATCH_ROWTIME(txn_time) AS matched_at
  ONE ROW PER MATCH
  AFTER MATCH SKIP PAST LAST ROW
  PATTERN (DECLINE{2,} APPROVE)
  WITHIN INTERVAL '2' MINUTE
  DEFINE
    DECLINE AS DECLINE.status = 'declined',
    APPROVE AS APPROVE.status = 'approved' AND APPROVE.amount > 2 * AVG(DECLINE.amount)
);
