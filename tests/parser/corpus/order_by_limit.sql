-- ORDER BY, LIMIT, OFFSET and FETCH FIRST/NEXT: ascending, descending, NULLS FIRST/LAST, expressions and ordinals.

SELECT * FROM payments ORDER BY created_at;

SELECT * FROM payments ORDER BY created_at, amount DESC;

SELECT * FROM payments ORDER BY created_at ASC, amount DESC NULLS LAST;

SELECT * FROM payments ORDER BY currency NULLS FIRST;

SELECT * FROM payments ORDER BY created_at LIMIT 10;

SELECT * FROM payments LIMIT 5;

SELECT * FROM payments ORDER BY amount DESC LIMIT 10 OFFSET 20;

SELECT * FROM payments ORDER BY amount DESC OFFSET 5 ROWS;

SELECT * FROM payments ORDER BY amount DESC OFFSET 5 ROWS FETCH NEXT 10 ROWS ONLY;

SELECT * FROM payments ORDER BY amount DESC FETCH FIRST 3 ROWS ONLY;

SELECT * FROM payments FETCH FIRST 1 ROW ONLY;

SELECT * FROM payments ORDER BY created_at OFFSET 1 ROW FETCH FIRST 2 ROWS ONLY;

SELECT account_id, SUM(amount) AS total FROM payments GROUP BY account_id ORDER BY total DESC LIMIT 3;

SELECT account_id, SUM(amount) FROM payments GROUP BY account_id ORDER BY 2 DESC, 1;

SELECT account_id, amount FROM payments ORDER BY ABS(amount) DESC, UPPER(account_id);

select * from logins order by login_ts desc limit 100;

SELECT * FROM (SELECT * FROM payments ORDER BY created_at LIMIT 50) t ORDER BY amount;

SELECT * FROM payments ORDER BY `$rowtime`;

SELECT * FROM payments ORDER BY created_at DESC, payment_id;

SELECT DISTINCT currency FROM payments ORDER BY currency LIMIT 100;

SELECT * FROM payments ORDER BY proc_time;
