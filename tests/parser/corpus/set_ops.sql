-- Set operations: UNION, INTERSECT and EXCEPT with ALL and DISTINCT, chains, and nesting with parentheses.

SELECT account_id FROM payments UNION SELECT account_id FROM legacy_payments;

SELECT account_id FROM payments UNION ALL SELECT account_id FROM legacy_payments;

SELECT account_id FROM payments INTERSECT SELECT account_id FROM account_balances;

SELECT account_id FROM payments INTERSECT ALL SELECT account_id FROM account_balances;

SELECT account_id FROM payments EXCEPT SELECT account_id FROM blocked_accounts;

SELECT account_id FROM payments EXCEPT ALL SELECT account_id FROM blocked_accounts;

(SELECT account_id FROM payments) UNION (SELECT account_id FROM legacy_payments);

(SELECT account_id FROM a UNION SELECT account_id FROM b) EXCEPT (SELECT account_id FROM c);

SELECT account_id FROM a
UNION ALL
(SELECT account_id FROM b INTERSECT SELECT account_id FROM c);

SELECT x FROM t1 UNION SELECT x FROM t2 UNION ALL SELECT x FROM t3 EXCEPT SELECT x FROM t4;

SELECT x FROM t1 UNION SELECT x FROM t2 INTERSECT SELECT x FROM t3;

((SELECT x FROM t1) UNION ALL (SELECT x FROM t2)) INTERSECT (SELECT x FROM t3);

select 'a' as k, 1 as v union all select 'b', 2 union all select 'c', 3;

SELECT * FROM (
  SELECT account_id, amount FROM payments
  UNION ALL
  SELECT account_id, amount FROM legacy_payments
) t WHERE amount > 10;

SELECT account_id FROM payments UNION DISTINCT SELECT account_id FROM legacy_payments;

SELECT account_id FROM payments EXCEPT DISTINCT SELECT account_id FROM blocked_accounts;

SELECT account_id, amount FROM payments
UNION ALL
SELECT account_id, amount FROM legacy_payments
ORDER BY amount DESC
LIMIT 10;

VALUES (1), (2) UNION ALL VALUES (3);

SELECT account_id FROM payments WHERE amount > 100
UNION
SELECT CAST(user_id AS STRING) FROM logins WHERE ip LIKE '192.168.%';

SELECT x FROM t1 EXCEPT (SELECT x FROM t2 EXCEPT SELECT x FROM t3);

SELECT x FROM t1 UNION ALL (SELECT x FROM t2 UNION SELECT x FROM t3);

(SELECT x FROM t1 INTERSECT SELECT x FROM t2) INTERSECT ALL SELECT x FROM t3;

(SELECT account_id FROM payments ORDER BY created_at LIMIT 1)
UNION ALL
(SELECT account_id FROM legacy_payments ORDER BY created_at DESC LIMIT 1);

(VALUES 1) UNION VALUES 2;
