-- Scalar expressions: arithmetic, comparisons, boolean logic, CASE, CAST/TRY_CAST, IS [NOT] DISTINCT FROM, BETWEEN, LIKE, SIMILAR TO, IN, constructors and element/field access.

SELECT 1 + 2 * 3 - 4 / 2, (1 + 2) * 3, 7 % 3, MOD(7, 3), -5, +5, - -5;

SELECT amount * 1.1, amount / 100.0, amount - fee, amount + fee * 0.5 FROM payments;

SELECT a = b, a <> b, a < b, a <= b, a > b, a >= b FROM pairs;

SELECT a AND b, a OR b, NOT a, a AND NOT b OR c FROM flags;

SELECT flag IS TRUE, flag IS NOT TRUE, flag IS FALSE, flag IS NOT FALSE, flag IS UNKNOWN, flag IS NOT UNKNOWN FROM flags;

SELECT x IS NULL, x IS NOT NULL FROM t;

SELECT a IS DISTINCT FROM b, a IS NOT DISTINCT FROM b FROM pairs;

SELECT * FROM payments WHERE amount BETWEEN 10 AND 20;

SELECT * FROM payments WHERE amount NOT BETWEEN 10 AND 20;

SELECT * FROM payments WHERE amount BETWEEN SYMMETRIC 20 AND 10;

SELECT * FROM payments WHERE amount BETWEEN ASYMMETRIC 10 AND 20;

SELECT * FROM payments WHERE amount NOT BETWEEN SYMMETRIC 100 AND 1;

SELECT * FROM merchants WHERE name LIKE 'A%';

SELECT * FROM merchants WHERE name NOT LIKE '%test%';

SELECT * FROM merchants WHERE name LIKE '100!%%' ESCAPE '!';

SELECT * FROM merchants WHERE code LIKE 'X\_%' ESCAPE '\';

SELECT * FROM merchants WHERE name SIMILAR TO '(Acme|Globex)%';

SELECT * FROM merchants WHERE name NOT SIMILAR TO '[0-9]+';

SELECT * FROM merchants WHERE name SIMILAR TO 'A#_%' ESCAPE '#';

SELECT * FROM payments WHERE currency IN ('EUR', 'USD');

SELECT * FROM payments WHERE currency NOT IN ('RUB', 'IRR', 'KPW');

SELECT * FROM payments WHERE merchant_id IN (1, 2, 3, 5, 8, 13);

SELECT
  CASE currency
    WHEN 'EUR' THEN 1.0
    WHEN 'USD' THEN 0.92
    ELSE NULL
  END AS rate
FROM payments;

SELECT CASE WHEN amount > 1000 THEN 'high' WHEN amount > 100 THEN 'medium' ELSE 'low' END FROM payments;

SELECT CASE WHEN amount > 0 THEN 'debit' END FROM payments;

SELECT CASE currency WHEN 'EUR' THEN 'euro' WHEN 'USD' THEN 'dollar' END FROM payments;

SELECT
  CAST('1' AS TINYINT), CAST('1' AS SMALLINT), CAST('1' AS INT), CAST('1' AS INTEGER), CAST('1' AS BIGINT),
  CAST('1.5' AS FLOAT), CAST('1.5' AS DOUBLE), CAST('1.5' AS DOUBLE PRECISION),
  CAST('1.50' AS DECIMAL), CAST('1.50' AS DECIMAL(10, 2)), CAST('1.50' AS DEC(5, 2)), CAST('1.50' AS NUMERIC(6, 3));

SELECT
  CAST(1 AS CHAR(3)), CAST(1 AS VARCHAR(10)), CAST(1 AS STRING), CAST('true' AS BOOLEAN),
  CAST('abc' AS BINARY(3)), CAST('abc' AS VARBINARY(8)), CAST('abc' AS BYTES);

SELECT
  CAST('2024-01-01' AS DATE), CAST('12:00:00' AS TIME), CAST('12:00:00.123' AS TIME(3)),
  CAST('2024-01-01 12:00:00' AS TIMESTAMP), CAST('2024-01-01 12:00:00.123' AS TIMESTAMP(3)),
  CAST('2024-01-01 12:00:00' AS TIMESTAMP(3) WITHOUT TIME ZONE),
  CAST('2024-01-01 12:00:00' AS TIMESTAMP_LTZ(3)),
  CAST('2024-01-01 12:00:00' AS TIMESTAMP(6) WITH LOCAL TIME ZONE);

SELECT CAST(ts AS BIGINT), CAST(amount AS STRING), CAST(NULL AS INT), CAST(flag AS TINYINT) FROM t;

SELECT CAST(tags AS ARRAY<STRING>), CAST(attrs AS MAP<STRING, INT>), CAST(r AS ROW<a INT, b STRING>) FROM t;

SELECT CAST(ROW(1, 'x') AS ROW<id BIGINT, label VARCHAR(5)>);

SELECT CAST(payload AS ROW(id BIGINT, name STRING)) FROM t;

SELECT TRY_CAST('abc' AS INT), TRY_CAST(s AS DECIMAL(10, 2)), TRY_CAST(s AS TIMESTAMP(3)), TRY_CAST(s AS DATE) FROM t;

SELECT TRY_CAST('x' AS BOOLEAN), TRY_CAST(s AS BIGINT) IS NULL FROM t;

SELECT ARRAY[1, 2, 3], ARRAY['a', 'b'], ARRAY[ARRAY[1], ARRAY[2, 3]];

SELECT MAP['k1', 1, 'k2', 2], MAP[1, 'one'];

SELECT ROW(1, 'x', TRUE), (1, 'implicit row'), ROW(amount, currency) FROM payments;

SELECT tags[1], tags[CARDINALITY(tags)], matrix[1][2] FROM arrays_table;

SELECT attrs['country'], attrs['risk-tier'], nested['a']['b'] FROM maps_table;

SELECT r.f, r.inner_row.g, t.r.f, `after`.account_id FROM rows_table t;

SELECT ELEMENT(ARRAY[42]), CARDINALITY(ARRAY[1, 2]), CARDINALITY(MAP['a', 1]);

SELECT payload.items[1].sku FROM orders_json;

SELECT (amount > 100) = (currency = 'EUR') FROM payments;

SELECT 'a' || 'b' || CAST(1 AS STRING);

SELECT amount FROM payments WHERE ((amount > 1 AND amount < 10) OR (amount > 100)) AND NOT (currency IS NULL);

SELECT COALESCE(amount, 0) + 1, NULLIF(amount, 0) FROM payments;

SELECT 5 BETWEEN 1 AND 10 AND 'b' BETWEEN 'a' AND 'c';

SELECT x NOT IN (SELECT y FROM s), x IN (1, 2) FROM t;

SELECT EXISTS (SELECT 1 FROM watchlist);

SELECT -amount, +amount, ABS(-amount) FROM payments;

SELECT amount * -1, 2 * (3 + 4) - -1 FROM payments;

SELECT DATE '2024-02-29', TIME '23:59:59.999', TIMESTAMP '2024-02-29 23:59:59.999';

SELECT TIMESTAMP '2024-01-01 00:00:00' + INTERVAL '1' DAY, DATE '2024-01-01' - INTERVAL '1' MONTH;

SELECT ts + INTERVAL '2' HOUR, ts - INTERVAL '30' MINUTE, ts + INTERVAL '1 12' DAY TO HOUR FROM t;

SELECT INTERVAL '3' DAY * 2, INTERVAL '1' HOUR + INTERVAL '30' MINUTE;

SELECT MAP['a', ARRAY[1, 2]]['a'][2];

SELECT ARRAY[ROW(1, 'a'), ROW(2, 'b')][1];

SELECT CAST(CAST(amount AS INT) AS STRING) FROM payments;

SELECT IS_ALPHA(s), IS_DIGIT(s), IS_DECIMAL(s) FROM t;

SELECT m IS JSON, m IS NOT JSON, m IS JSON OBJECT, m IS JSON ARRAY, m IS JSON SCALAR, m IS JSON VALUE FROM docs_table;

SELECT SPLIT(ip, '.')[1], MAP_KEYS(attrs)[1], (ARRAY[10, 20, 30])[2] FROM logins;

SELECT ((((amount)))) + (((1))) FROM payments;

SELECT NOT NOT flag, NOT (a IS NULL) AND NOT b FROM flags;

SELECT CASE WHEN a IS NULL THEN CASE WHEN b > 0 THEN 'b' ELSE 'none' END ELSE 'a' END IS NULL FROM pairs;

SELECT * FROM payments WHERE created_at > NOW() - INTERVAL '1' DAY AND created_at <= CURRENT_TIMESTAMP;

-- operator precedence and associativity: the printer must keep these groupings
SELECT a - (b - c), a - b - c, a / (b / c), a / b / c, a * (b + c), (a + b) * c, a - (b + c) FROM nums;

SELECT -(a * b), -a * b, 2 - -3, -(-a), a % (b * c) FROM nums;

SELECT NOT a = b, (NOT a) = b, NOT (a AND b), NOT a AND b, (a OR b) AND c, a OR b AND c FROM flags;

SELECT a = (b = c), (a = b) = c FROM flags;

SELECT x BETWEEN 1 AND 2 AND y, x NOT BETWEEN 1 AND 2 OR y, (x BETWEEN 1 AND 2) = TRUE FROM t;

SELECT a || b = c, a LIKE b || '%', (a LIKE b) = FALSE FROM strs;

SELECT CAST(a AS INT) + 1, CASE WHEN a > 0 THEN a END + 1, (SELECT MAX(x) FROM t) + 1, COUNT(*) * 2 FROM nums;

SELECT (a IS NULL) = (b IS NULL), (a IN (1, 2)) OR (b IN (3)), (a IS DISTINCT FROM b) AND c FROM t;
