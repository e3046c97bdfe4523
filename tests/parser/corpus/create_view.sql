-- CREATE VIEW and ALTER VIEW: plain, temporary, IF NOT EXISTS, column lists, comments, views over windows and joins.

CREATE VIEW large_payments AS
SELECT payment_id, account_id, amount FROM payments WHERE amount >= 5000;

CREATE TEMPORARY VIEW recent_logins AS
SELECT user_id, ip, login_ts
FROM logins
WHERE login_ts > CURRENT_TIMESTAMP - INTERVAL '1' DAY;

CREATE VIEW IF NOT EXISTS account_totals (account_id, total_amount, payment_count) AS
SELECT account_id, SUM(amount), COUNT(*) FROM payments GROUP BY account_id;

CREATE TEMPORARY VIEW IF NOT EXISTS v_high_risk
COMMENT 'accounts with more than ten payments'
AS SELECT account_id FROM account_totals WHERE payment_count > 10;

create view payments_per_minute as
select window_start, window_end, account_id, count(*) as cnt
from table(tumble(table payments, descriptor(created_at), interval '1' minute))
group by window_start, window_end, account_id;

CREATE VIEW cat.db.enriched_logins AS
SELECT l.user_id, l.ip, u.name, u.country
FROM logins AS l
LEFT JOIN user_profiles AS u ON l.user_id = u.user_id;

CREATE VIEW `my view` (`user`, `count`) COMMENT 'counts per user' AS
SELECT user_id, COUNT(*) FROM logins GROUP BY user_id;

CREATE VIEW union_view AS
SELECT 'card' AS channel, card_id AS id, amount FROM card_events
UNION ALL
SELECT 'wire', account_id, CAST(amount AS DOUBLE) FROM payments;

CREATE TEMPORARY VIEW with_cte AS
WITH ranked AS (
  SELECT account_id, amount,
         ROW_NUMBER() OVER (PARTITION BY account_id ORDER BY created_at DESC) AS rn
  FROM payments
)
SELECT account_id, amount FROM ranked WHERE rn = 1;

CREATE VIEW values_view (id, label) AS VALUES (1, 'low'), (2, 'medium'), (3, 'high');

ALTER VIEW large_payments RENAME TO big_payments_view;

ALTER VIEW account_totals AS
SELECT account_id, SUM(amount) AS total_amount, COUNT(*) AS payment_count, MAX(amount) AS max_amount
FROM payments GROUP BY account_id;

ALTER VIEW cat.db.enriched_logins RENAME TO cat.db.logins_enriched;

CREATE TEMPORARY VIEW parenthesized_view AS (SELECT account_id, amount FROM payments WHERE amount > 0);

CREATE VIEW top_ten AS SELECT account_id, amount FROM payments ORDER BY amount DESC LIMIT 10;
