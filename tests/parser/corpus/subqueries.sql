-- Subqueries: IN, NOT IN, EXISTS, NOT EXISTS, scalar subqueries in SELECT and WHERE, quantified comparisons, correlated forms.

SELECT * FROM payments WHERE account_id IN (SELECT account_id FROM watchlist);

SELECT * FROM payments WHERE account_id NOT IN (SELECT account_id FROM allowlist WHERE active);

SELECT * FROM payments p WHERE EXISTS (SELECT 1 FROM watchlist w WHERE w.account_id = p.account_id);

SELECT * FROM payments p WHERE NOT EXISTS (SELECT * FROM allowlist a WHERE a.account_id = p.account_id);

SELECT payment_id, (SELECT MAX(amount) FROM payments) AS global_max FROM payments;

SELECT * FROM payments WHERE amount > (SELECT AVG(amount) FROM payments);

SELECT p.payment_id,
       (SELECT COUNT(*) FROM logins l WHERE l.user_id = p.user_id) AS login_count
FROM payments p;

SELECT * FROM payments p
WHERE p.amount > (SELECT AVG(amount) * 3 FROM payments q WHERE q.account_id = p.account_id);

SELECT * FROM payments WHERE (account_id, currency) IN (SELECT account_id, currency FROM restricted_pairs);

SELECT * FROM payments WHERE amount > ALL (SELECT threshold FROM limits);

SELECT * FROM payments WHERE amount >= SOME (SELECT threshold FROM limits);

SELECT * FROM payments WHERE currency = ANY (SELECT code FROM high_risk_currencies);

select * from logins where user_id in (select user_id from user_profiles where country in ('RU', 'KP'));

SELECT * FROM payments
WHERE account_id IN (SELECT account_id FROM watchlist)
  AND merchant_id NOT IN (SELECT merchant_id FROM trusted_merchants);

SELECT account_id FROM (
  SELECT account_id, COUNT(*) AS c FROM payments GROUP BY account_id
) WHERE c > (SELECT AVG(c2) FROM (SELECT COUNT(*) AS c2 FROM payments GROUP BY account_id));

SELECT CASE WHEN EXISTS (SELECT 1 FROM watchlist) THEN 'on' ELSE 'off' END;

SELECT * FROM payments WHERE account_id IN (
  SELECT account_id FROM payments GROUP BY account_id HAVING COUNT(*) > 100
);

SELECT p.* FROM payments p
WHERE EXISTS (
  SELECT 1 FROM logins l
  WHERE l.user_id = p.user_id
    AND l.ip NOT IN (SELECT ip FROM known_ips k WHERE k.user_id = l.user_id)
);

SELECT * FROM payments
WHERE account_id IN (SELECT account_id FROM watchlist UNION SELECT account_id FROM sanctions_list);

SELECT * FROM payments p
WHERE EXISTS (SELECT 1 FROM watchlist w WHERE w.account_id = p.account_id UNION ALL SELECT 1 FROM sanctions_list s WHERE s.account_id = p.account_id);

SELECT payment_id, (SELECT amount FROM payments ORDER BY amount DESC LIMIT 1) AS top_amount FROM payments;

SELECT * FROM payments
WHERE account_id IN (
  WITH flagged AS (SELECT account_id FROM alerts_history WHERE score > 0.9)
  SELECT account_id FROM flagged
);
