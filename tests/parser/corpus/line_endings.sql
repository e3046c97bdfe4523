-- Whitespace variants: CRLF line endings, tabs, several statements on one line, non-ASCII text in comments.

SELECT	payment_id,
	amount
FROM	payments
WHERE	amount > 10;

-- Prüfung der Beträge, 金额检查
SELECT 'one' AS a; SELECT 'two' AS b; SELECT 'three' AS c;

CREATE TABLE crlf_table (
	id BIGINT,
	ts TIMESTAMP(3),
	WATERMARK FOR ts AS ts - INTERVAL '1' SECOND
) WITH (
	'connector' = 'datagen'
);

SELECT /* block
 comment over CRLF */ COUNT(*)
FROM crlf_table;

SELECT 'string with
CRLF inside';
