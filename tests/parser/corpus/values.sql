-- VALUES as a query and as a table expression, including typed rows and NULLs.

VALUES (1, 'a'), (2, 'b'), (3, 'c');

VALUES 1, 2, 3;

VALUES ('single');

SELECT * FROM (VALUES (1, 'low'), (2, 'high')) AS levels (id, name);

SELECT * FROM (VALUES (CAST(NULL AS INT), 'none'), (1, 'one')) t (n, word);

SELECT id FROM (VALUES (1), (2), (3)) AS ids (id) WHERE id > 1;

values (1 + 1, upper('x')), (3 * 2, lower('Y'));

VALUES (TRUE, DATE '2024-01-01', TIMESTAMP '2024-01-01 12:00:00', CAST('1.50' AS DECIMAL(3, 2)));

VALUES (ARRAY[1, 2, 3], MAP['k', 1], ROW(1, 'x'));

SELECT v.a, v.b FROM (VALUES ROW(1, 'r1'), ROW(2, 'r2')) AS v (a, b);

VALUES (INTERVAL '1' DAY, TIME '12:34:56', x'0a0b');

SELECT * FROM (VALUES ('acc-1', 10.5), ('acc-2', 99.99)) AS p (account_id, amount)
WHERE amount > 50;
