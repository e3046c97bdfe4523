-- Regular joins and interval joins: INNER/LEFT/RIGHT/FULL OUTER, CROSS, comma joins, USING, NATURAL, time-bounded joins.

SELECT p.payment_id, u.name
FROM payments AS p
JOIN user_profiles AS u ON CAST(p.account_id AS BIGINT) = u.user_id;

SELECT p.payment_id, u.name
FROM payments p INNER JOIN user_profiles u ON p.user_id = u.user_id AND u.country = 'DE';

SELECT l.user_id, u.country
FROM logins l LEFT JOIN user_profiles u ON l.user_id = u.user_id;

SELECT l.user_id, u.country
FROM logins l LEFT OUTER JOIN user_profiles u ON l.user_id = u.user_id
WHERE u.user_id IS NULL;

SELECT o.order_id, s.shipment_id
FROM orders_with_pk o RIGHT JOIN shipments s ON o.order_id = s.order_id;

SELECT o.order_id, s.shipment_id
FROM orders_with_pk o RIGHT OUTER JOIN shipments s ON o.order_id = s.order_id;

SELECT COALESCE(a.account_id, b.account_id) AS account_id, a.balance, b.total
FROM account_balances a FULL OUTER JOIN account_totals b ON a.account_id = b.account_id;

SELECT * FROM account_balances a FULL JOIN account_totals b ON a.account_id = b.account_id;

SELECT * FROM currencies CROSS JOIN channels;

SELECT c.code, ch.name FROM currencies c, channels ch;

SELECT * FROM payments JOIN account_balances USING (account_id);

SELECT account_id, p.amount, b.balance
FROM payments p LEFT JOIN account_balances b USING (account_id);

SELECT * FROM orders_with_pk JOIN order_items USING (order_id, customer_id);

SELECT * FROM payments NATURAL JOIN account_balances;

SELECT p.payment_id, u.name, c.label
FROM payments p
JOIN user_profiles u ON p.user_id = u.user_id
LEFT JOIN countries c ON u.country = c.code
JOIN merchants m ON p.merchant_id = m.merchant_id;

SELECT *
FROM a
  JOIN (b JOIN c ON b.id = c.id) ON a.id = b.id;

SELECT o.order_id, s.shipment_id, s.shipped_at
FROM orders_with_pk o, shipments s
WHERE o.order_id = s.order_id
  AND s.shipped_at BETWEEN o.order_time AND o.order_time + INTERVAL '4' HOUR;

SELECT o.order_id, s.shipment_id
FROM orders_with_pk o
JOIN shipments s
  ON o.order_id = s.order_id
 AND s.shipped_at BETWEEN o.order_time - INTERVAL '1' HOUR AND o.order_time + INTERVAL '2' HOUR;

SELECT p.payment_id, l.ip
FROM payments p
JOIN logins l
  ON p.user_id = l.user_id
 AND l.login_ts >= p.created_at - INTERVAL '10' MINUTE
 AND l.login_ts <= p.created_at;

SELECT p.payment_id, l.ip
FROM payments p LEFT JOIN logins l
  ON p.user_id = l.user_id
 AND l.login_ts > p.created_at - INTERVAL '30' MINUTE
 AND l.login_ts < p.created_at + INTERVAL '30' SECOND;

SELECT a.id, b.id
FROM clicks a JOIN impressions b
  ON a.ad_id = b.ad_id AND a.click_time BETWEEN b.imp_time AND b.imp_time + INTERVAL '1' DAY;

SELECT o.order_id, s.shipment_id
FROM orders_with_pk o FULL OUTER JOIN shipments s
  ON o.order_id = s.order_id AND o.order_time BETWEEN s.shipped_at - INTERVAL '7' DAY AND s.shipped_at;

select * from payments p join user_profiles u on p.user_id = u.user_id where p.amount > 100;

SELECT t1.x, t2.y FROM (SELECT 1 AS k, 'a' AS x) t1 JOIN (SELECT 1 AS k, 'b' AS y) t2 ON t1.k = t2.k;

SELECT * FROM payments p JOIN user_profiles u ON p.user_id = u.user_id OR p.email = u.email;

SELECT * FROM payments p LEFT JOIN blocked_accounts b ON p.account_id = b.account_id AND b.active;

SELECT p.payment_id
FROM payments p
JOIN logins l ON p.user_id = l.user_id AND l.proc_time BETWEEN p.proc_time - INTERVAL '5' MINUTE AND p.proc_time;

SELECT a.id, b.id, c.id FROM a, b, c WHERE a.id = b.id AND b.id = c.id;

SELECT * FROM a JOIN b ON a.id = b.id JOIN c USING (id) LEFT JOIN d ON c.id = d.id AND d.flag;

SELECT * FROM payments AS p NATURAL JOIN account_balances AS b;

SELECT * FROM payments p NATURAL LEFT JOIN account_balances b;
