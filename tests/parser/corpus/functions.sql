-- Built-in functions: string, temporal, conditional, numeric, hashing, JSON, collection and aggregate functions with their special syntax.

SELECT UPPER(name), LOWER(name), INITCAP(name), CHAR_LENGTH(name), CHARACTER_LENGTH(name) FROM merchants;

SELECT POSITION('@' IN email), LOCATE('@', email), LOCATE('.', email, 5), INSTR(email, '@') FROM users;

SELECT SUBSTRING(card_id FROM 2 FOR 3), SUBSTRING(card_id FROM 7), SUBSTRING(card_id, 1, 6), SUBSTR(card_id, 13) FROM cards;

SELECT TRIM(name), TRIM(BOTH FROM name), TRIM(LEADING 'x' FROM code), TRIM(TRAILING '.' FROM host), TRIM(BOTH ' ' FROM name) FROM merchants;

SELECT LTRIM(name), RTRIM(name), BTRIM(name, '-') FROM merchants;

SELECT OVERLAY(card_number PLACING '********' FROM 5 FOR 8), OVERLAY('abcdef' PLACING 'XY' FROM 3) FROM cards;

SELECT CONCAT(first_name, ' ', last_name), CONCAT_WS('-', country, city, zip), first_name || ' ' || last_name FROM users;

SELECT LPAD(CAST(id AS STRING), 10, '0'), RPAD(code, 5, '_'), REPEAT('ab', 3), REVERSE(code) FROM merchants;

SELECT REPLACE(email, '@', ' at '), REGEXP_REPLACE(phone, '[^0-9]', ''), REGEXP_EXTRACT(url, 'id=([0-9]+)', 1) FROM users;

SELECT REGEXP(email, '^[a-z]+@example\.com$'), REGEXP(email, '.*@test\..*') FROM users;

SELECT SPLIT_INDEX(ip, '.', 0), SPLIT_INDEX(ip, '.', 3), SPLIT(tags, ',') FROM logins;

SELECT STR_TO_MAP('a=1,b=2'), STR_TO_MAP(query, '&', '='), PARSE_URL(url, 'HOST'), PARSE_URL(url, 'QUERY', 'id') FROM requests;

SELECT TO_BASE64(payload), FROM_BASE64(encoded), ASCII(code), CHR(65), HEX(id), BIN(id) FROM events;

SELECT ENCODE(name, 'UTF-8'), DECODE(raw_bytes, 'UTF-8'), LEFT(card_id, 6), RIGHT(card_id, 4) FROM cards;

SELECT REGEXP_COUNT(text, '[0-9]'), REGEXP_EXTRACT_ALL(text, '([a-z]+)=([0-9]+)', 2), REGEXP_INSTR(text, 'x'), REGEXP_SUBSTR(text, '[0-9]+') FROM notes;

SELECT URL_ENCODE(q), URL_DECODE(encoded_q), ELT(2, 'a', 'b', 'c'), PRINTF('%s-%d', code, id), TRANSLATE(code, 'abc', 'xyz') FROM requests;

SELECT EXTRACT(DAY FROM created_at), EXTRACT(YEAR FROM created_at), EXTRACT(MONTH FROM created_at), EXTRACT(HOUR FROM created_at) FROM payments;

SELECT EXTRACT(MINUTE FROM ts), EXTRACT(SECOND FROM ts), EXTRACT(MILLISECOND FROM ts), EXTRACT(QUARTER FROM ts), EXTRACT(WEEK FROM ts), EXTRACT(DOY FROM ts), EXTRACT(DOW FROM ts) FROM t;

SELECT EXTRACT(CENTURY FROM d), EXTRACT(DECADE FROM d), EXTRACT(MILLENNIUM FROM d) FROM t;

SELECT YEAR(d), QUARTER(d), MONTH(d), WEEK(d), DAYOFYEAR(d), DAYOFMONTH(d), DAYOFWEEK(d), HOUR(ts), MINUTE(ts), SECOND(ts) FROM t;

SELECT FLOOR(created_at TO HOUR), FLOOR(created_at TO DAY), FLOOR(created_at TO MINUTE), CEIL(created_at TO MONTH), CEIL(created_at TO YEAR) FROM payments;

SELECT FLOOR(ts TO SECOND), FLOOR(ts TO WEEK), CEIL(ts TO QUARTER), CEILING(ts TO DAY), FLOOR(ts TO MILLISECOND) FROM t;

SELECT TIMESTAMPADD(MINUTE, 10, created_at), TIMESTAMPADD(DAY, -1, created_at), TIMESTAMPADD(MONTH, 3, CURRENT_DATE) FROM payments;

SELECT TIMESTAMPDIFF(SECOND, a.ts, b.ts), TIMESTAMPDIFF(DAY, TIMESTAMP '2024-01-01 00:00:00', TIMESTAMP '2024-03-01 00:00:00'), TIMESTAMPDIFF(HOUR, a.ts, CURRENT_TIMESTAMP) FROM a, b;

SELECT DATE_FORMAT(created_at, 'yyyy-MM-dd HH:mm'), DATE_FORMAT('2024-01-01 12:00:00', 'yyyyMMdd') FROM payments;

SELECT TO_TIMESTAMP('2024-01-01 10:00:00'), TO_TIMESTAMP('01/02/2024 10:00', 'MM/dd/yyyy HH:mm'), TO_DATE('2024-01-01'), TO_DATE('20240101', 'yyyyMMdd');

SELECT TO_TIMESTAMP_LTZ(epoch_ms, 3), TO_TIMESTAMP_LTZ(epoch_s, 0), TO_TIMESTAMP_LTZ('2024-01-01 00:00:00', 'yyyy-MM-dd HH:mm:ss', 'UTC') FROM raw_events;

SELECT UNIX_TIMESTAMP(), UNIX_TIMESTAMP('2024-01-01 00:00:00'), UNIX_TIMESTAMP('20240101', 'yyyyMMdd');

SELECT FROM_UNIXTIME(1700000000), FROM_UNIXTIME(epoch_s, 'yyyy-MM-dd') FROM raw_events;

SELECT CURRENT_TIMESTAMP, CURRENT_DATE, CURRENT_TIME, LOCALTIME, LOCALTIMESTAMP, NOW(), CURRENT_ROW_TIMESTAMP();

SELECT * FROM payments WHERE created_at > CURRENT_TIMESTAMP - INTERVAL '1' HOUR;

SELECT CONVERT_TZ('2024-01-01 00:00:00', 'UTC', 'America/Los_Angeles'), DATE '2024-01-01', DATE_FORMAT(CURRENT_TIMESTAMP, 'HH');

SELECT (TIME '09:00:00', TIME '10:00:00') OVERLAPS (TIME '09:30:00', INTERVAL '2' HOUR);

SELECT CURRENT_WATERMARK(created_at) FROM payments;

SELECT * FROM payments WHERE CURRENT_WATERMARK(created_at) IS NULL OR created_at > CURRENT_WATERMARK(created_at);

SELECT COALESCE(nickname, first_name, 'anonymous'), NULLIF(status, ''), IFNULL(country, 'XX') FROM users;

SELECT IF(amount > 1000, 'high', 'low'), IF(currency IS NULL, 0, 1) FROM payments;

SELECT GREATEST(a, b, c), LEAST(a, b, c), GREATEST(created_at, updated_at) FROM t;

SELECT ABS(x), SQRT(x), POWER(x, 2), POWER(2, 10), EXP(x), LN(x), LOG10(x), LOG2(x), LOG(x), LOG(2, x) FROM nums;

SELECT CEIL(x), CEILING(x), FLOOR(x), ROUND(x), ROUND(x, 2), TRUNCATE(x, 1), TRUNCATE(x), SIGN(x) FROM nums;

SELECT SIN(x), COS(x), TAN(x), COT(x), ASIN(y), ACOS(y), ATAN(y), ATAN2(x, y), SINH(x), COSH(x), TANH(x) FROM nums;

SELECT DEGREES(x), RADIANS(x), PI(), E(), RAND(), RAND(42), RAND_INTEGER(100), RAND_INTEGER(7, 100), UUID() FROM nums;

SELECT MD5(card_number), SHA1(card_number), SHA224(card_number), SHA256(card_number), SHA384(card_number), SHA512(card_number) FROM cards;

SELECT SHA2(card_number, 256), SHA2(card_number, 512) FROM cards;

SELECT JSON_VALUE(doc, '$.amount'), JSON_VALUE(doc, '$.amount' RETURNING DOUBLE) FROM docs_table;

SELECT JSON_VALUE(doc, '$.user.id' RETURNING BIGINT NULL ON EMPTY), JSON_VALUE(doc, '$.age' RETURNING INT DEFAULT -1 ON EMPTY ERROR ON ERROR) FROM docs_table;

SELECT JSON_VALUE(doc, 'lax $.missing' DEFAULT 'none' ON EMPTY DEFAULT 'bad' ON ERROR), JSON_VALUE(doc, 'strict $.x' NULL ON ERROR) FROM docs_table;

SELECT JSON_VALUE(doc, '$.flag' RETURNING BOOLEAN), JSON_VALUE(doc, '$.price' RETURNING DECIMAL(10, 2) ERROR ON EMPTY) FROM docs_table;

SELECT JSON_QUERY(doc, '$.items'), JSON_QUERY(doc, '$.items' WITHOUT WRAPPER), JSON_QUERY(doc, '$.items' WITHOUT ARRAY WRAPPER) FROM docs_table;

SELECT JSON_QUERY(doc, '$.a' WITH WRAPPER), JSON_QUERY(doc, '$.a' WITH ARRAY WRAPPER), JSON_QUERY(doc, '$.a' WITH CONDITIONAL ARRAY WRAPPER), JSON_QUERY(doc, '$.a' WITH UNCONDITIONAL ARRAY WRAPPER) FROM docs_table;

SELECT JSON_QUERY(doc, '$.a' EMPTY ARRAY ON EMPTY), JSON_QUERY(doc, '$.a' EMPTY OBJECT ON ERROR), JSON_QUERY(doc, '$.a' NULL ON EMPTY ERROR ON ERROR) FROM docs_table;

SELECT JSON_QUERY(doc, '$.tags' RETURNING ARRAY<STRING>), JSON_QUERY(doc, '$.obj' RETURNING STRING WITH CONDITIONAL ARRAY WRAPPER EMPTY OBJECT ON EMPTY) FROM docs_table;

SELECT JSON_EXISTS(doc, '$.user'), JSON_EXISTS(doc, '$.user.id' FALSE ON ERROR), JSON_EXISTS(doc, 'strict $.x' UNKNOWN ON ERROR), JSON_EXISTS(doc, '$.y' TRUE ON ERROR), JSON_EXISTS(doc, '$.z' ERROR ON ERROR) FROM docs_table;

SELECT JSON_OBJECT(KEY 'account' VALUE account_id, KEY 'amount' VALUE amount ABSENT ON NULL) FROM payments;

SELECT JSON_OBJECT('account' VALUE account_id, 'amount' VALUE amount NULL ON NULL), JSON_OBJECT(), JSON_OBJECT('k' VALUE JSON_OBJECT('nested' VALUE 1)) FROM payments;

SELECT JSON_OBJECT('tags' VALUE JSON_ARRAY('a', 'b'), 'meta' VALUE JSON_OBJECT(KEY 'v' VALUE 2)) FROM payments;

SELECT JSON_ARRAY(), JSON_ARRAY(1, 'two', TRUE), JSON_ARRAY(amount, currency NULL ON NULL), JSON_ARRAY(a, b ABSENT ON NULL) FROM payments;

SELECT JSON_STRING(ROW(1, 'a')), JSON_STRING(amount), JSON_QUOTE('say "hi"'), JSON_UNQUOTE('"quoted"') FROM payments;

SELECT doc IS JSON, doc IS JSON OBJECT FROM docs_table WHERE doc IS NOT JSON ARRAY;

SELECT JSON_VALUE(`after`, '$.status') FROM cdc_json WHERE JSON_EXISTS(`after`, '$.status');

SELECT ARRAY_CONTAINS(tags, 'vip'), ARRAY_DISTINCT(tags), ARRAY_POSITION(tags, 'vip'), ARRAY_REMOVE(tags, 'test'), ARRAY_REVERSE(tags) FROM users;

SELECT ARRAY_SLICE(tags, 1, 2), ARRAY_UNION(a, b), ARRAY_CONCAT(a, b, c), ARRAY_MAX(scores), ARRAY_MIN(scores), ARRAY_JOIN(tags, ', '), ARRAY_JOIN(tags, ',', 'null') FROM users;

SELECT ARRAY_SORT(scores), ARRAY_EXCEPT(a, b), ARRAY_INTERSECT(a, b), ARRAY_APPEND(tags, 'x'), ARRAY_PREPEND(tags, 'y') FROM users;

SELECT MAP_KEYS(attrs), MAP_VALUES(attrs), MAP_ENTRIES(attrs), MAP_FROM_ARRAYS(ARRAY['a', 'b'], ARRAY[1, 2]), MAP_UNION(attrs, extra_attrs) FROM users;

SELECT CARDINALITY(tags), ELEMENT(single_item_array), tags[1] FROM users;

SELECT TYPEOF(amount), TYPEOF(amount, TRUE) FROM payments;

SELECT COUNT(*), COUNT(DISTINCT account_id), SUM(amount), AVG(amount), MIN(amount), MAX(amount) FROM payments;

SELECT STDDEV_POP(amount), STDDEV_SAMP(amount), VAR_POP(amount), VAR_SAMP(amount) FROM payments;

SELECT LISTAGG(merchant_id), LISTAGG(merchant_id, '|'), COLLECT(currency), ARRAY_AGG(amount) FROM payments;

SELECT FIRST_VALUE(amount), LAST_VALUE(amount) FROM payments;

SELECT payment_id,
       CUME_DIST() OVER (PARTITION BY account_id ORDER BY amount),
       PERCENT_RANK() OVER (PARTITION BY account_id ORDER BY amount),
       NTILE(4) OVER (PARTITION BY account_id ORDER BY amount)
FROM payments;

SELECT PERCENTILE(amount, 0.5), PERCENTILE(amount, ARRAY[0.5, 0.9, 0.99]) FROM payments;

SELECT mask_card(card_number), fraud.scoring.normalize_ip(ip), `risk_score`(amount, country) FROM cards;

SELECT CHAR_LENGTH(TRIM(BOTH FROM CONCAT('  ', name, '  '))), UPPER(SUBSTRING(name FROM 1 FOR 1)) || LOWER(SUBSTRING(name FROM 2)) FROM merchants;

SELECT COALESCE(TRY_CAST(JSON_VALUE(doc, '$.amount') AS DECIMAL(18, 2)), 0) FROM docs_table;

SELECT DATE_FORMAT(TO_TIMESTAMP_LTZ(epoch_ms, 3), 'yyyy-MM-dd'), TIMESTAMPDIFF(MINUTE, TO_TIMESTAMP(start_s), TO_TIMESTAMP(end_s)) FROM raw_events;


SELECT TIMESTAMPADD(WEEK, 1, d), TIMESTAMPADD(QUARTER, 1, d), TIMESTAMPADD(YEAR, -1, d), TIMESTAMPDIFF(MONTH, d1, d2), TIMESTAMPDIFF(YEAR, d1, d2) FROM t;

SELECT EXTRACT(DAY FROM INTERVAL '3 12:00:00' DAY TO SECOND), EXTRACT(HOUR FROM TIME '10:20:30'), EXTRACT(YEAR FROM DATE '2024-06-01');

SELECT POSITION('b' IN 'abc'), SUBSTRING('abcdef' FROM 2), TRIM(LEADING FROM '  x'), TRIM(TRAILING 'z' FROM 'xzz');

SELECT LISTAGG(DISTINCT merchant_id, ','), ARRAY_AGG(DISTINCT currency) FROM payments GROUP BY account_id;

SELECT normalize_amount(amount => amount, currency => currency), geo_lookup(ip => ip) FROM payments;

SELECT SUBSTRING(card_id, 7), attrs[key_col], CAST(NULL AS MAP<STRING, STRING>), ROW(ROW(1, 'a'), 2) FROM cards;
