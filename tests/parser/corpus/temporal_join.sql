-- Temporal joins: FOR SYSTEM_TIME AS OF on event time and processing time, lookup joins, versioned views.

SELECT p.payment_id, p.amount * r.rate AS amount_eur
FROM payments AS p
JOIN currency_rates FOR SYSTEM_TIME AS OF p.created_at AS r
  ON p.currency = r.currency;

SELECT p.payment_id, r.rate
FROM payments p
LEFT JOIN currency_rates FOR SYSTEM_TIME AS OF p.created_at r
  ON p.currency = r.currency;

SELECT o.order_id, c.name, c.segment
FROM orders o
JOIN customers FOR SYSTEM_TIME AS OF o.proc_time AS c
  ON o.customer_id = c.id;

SELECT l.user_id, l.ip, u.risk_tier
FROM logins AS l
LEFT JOIN user_profiles FOR SYSTEM_TIME AS OF l.proc_time AS u
  ON l.user_id = u.user_id AND u.active = TRUE;

SELECT p.payment_id, a.status
FROM payments p
JOIN cdc_accounts FOR SYSTEM_TIME AS OF p.created_at AS a
  ON p.account_id = a.account_id
WHERE a.status <> 'closed';

select o.order_id, c.name
from orders as o
join fraud_catalog.rules.customers for system_time as of o.proc_time as c
on o.customer_id = c.id;

SELECT t.txn_id, d.device_trust
FROM transactions t
JOIN devices FOR SYSTEM_TIME AS OF t.event_time d
  ON t.device_id = d.device_id
JOIN merchants FOR SYSTEM_TIME AS OF t.proc_time m
  ON t.merchant_id = m.merchant_id;

CREATE VIEW versioned_rates AS
SELECT currency, rate, update_time
FROM (
  SELECT *, ROW_NUMBER() OVER (PARTITION BY currency ORDER BY update_time DESC) AS rownum
  FROM rates_history
)
WHERE rownum = 1;

SELECT p.payment_id, v.rate
FROM payments p
JOIN versioned_rates FOR SYSTEM_TIME AS OF p.created_at AS v
  ON p.currency = v.currency;

SELECT o.order_id, c.name
FROM orders AS o
JOIN customers /*+ OPTIONS('lookup.cache' = 'PARTIAL', 'lookup.partial-cache.max-rows' = '1000') */
  FOR SYSTEM_TIME AS OF o.proc_time AS c
  ON o.customer_id = c.id;

SELECT o.order_id, c.name
FROM orders AS o
JOIN customers FOR SYSTEM_TIME AS OF o.proc_time AS c
  ON o.customer_id = c.id AND c.country = 'NL' AND o.amount > 10;

SELECT e.card_id, b.bin_country
FROM card_events e
JOIN bin_table FOR SYSTEM_TIME AS OF e.event_time AS b
  ON SUBSTRING(e.card_id, 1, 6) = b.bin;
