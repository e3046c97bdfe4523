-- Lexical structure: quoted identifiers, keyword case, keywords as names (reserved ones in backquotes), string, binary and numeric literals, intervals, comments.

SELECT `$rowtime`, `user id`, `weird``name`, `select`, `from` FROM `my table`;

SELECT `value`, `timestamp`, `count`, `key`, `comment`, `offset`, `partition` FROM kafka_raw;

SELECT key, comment, `partition` FROM kafka_raw;

SELECT t.`value` AS `value`, t.`count` AS `count` FROM kafka_raw AS t;

CREATE TABLE keyword_columns (
  `key` STRING,
  `value` STRING,
  `timestamp` TIMESTAMP(3),
  `count` BIGINT,
  `comment` STRING,
  `offset` BIGINT,
  `partition` INT,
  `time` TIME,
  `date` DATE,
  `user` STRING,
  `year` INT,
  `position` INT
);

CREATE TABLE unquoted_nonreserved (
  name STRING,
  status STRING,
  type STRING,
  data BYTES,
  version INT,
  source STRING,
  description STRING,
  metadata STRING
);

select PAYMENT_ID, Amount, amount FROM Payments where AMOUNT > 0;

SeLeCt DiStInCt currency FrOm payments WhErE amount > 0;

SELECT 'it''s', 'two '' quotes '''' here', '', '''';

SELECT U&'\0041\0042', U&'caf\00e9', U&'!0041' UESCAPE '!';

SELECT 'line with ; semicolon', 'dash -- not a comment', 'slash /* not a comment */';

SELECT 'multi
line string';

SELECT 'adjacent'
  'literals'
  'concatenate';

SELECT x'0a0b', X'FF', x'', X'DEADBEEF';

SELECT 0, 42, -7, 3.14, .5, 5., 1e3, 1E3, 2.5E-3, 6.02e+23, 1e-10;

SELECT 9223372036854775807, 12345678901234567890.123456;

SELECT TRUE, FALSE, UNKNOWN, NULL;

SELECT DATE '2024-06-30', TIME '08:15:00', TIMESTAMP '2024-06-30 08:15:00.123456';

SELECT INTERVAL '5' SECOND, INTERVAL '10' MINUTE, INTERVAL '2' HOUR, INTERVAL '1' DAY, INTERVAL '3' MONTH, INTERVAL '1' YEAR;

SELECT INTERVAL '5' SECONDS, INTERVAL '10' MINUTES, INTERVAL '2' HOURS, INTERVAL '7' DAYS, INTERVAL '3' MONTHS, INTERVAL '2' YEARS;

SELECT INTERVAL '1 10:30:00' DAY TO SECOND, INTERVAL '2-06' YEAR TO MONTH, INTERVAL '10:30' HOUR TO MINUTE, INTERVAL '1 02' DAY TO HOUR;

SELECT INTERVAL '30:15.250' MINUTE TO SECOND, INTERVAL '1:00:00' HOUR TO SECOND, INTERVAL '1 00:30' DAY TO MINUTE;

SELECT INTERVAL '1.5' SECOND, INTERVAL '100' DAY(3), INTERVAL '-1' HOUR, INTERVAL -'1' HOUR;

-- a full-line comment before the statement
SELECT 1 AS one -- trailing comment
  , 2 AS two /* block comment */
  , /* comment
       spanning lines */ 3 AS three;

/* leading block comment */ SELECT * FROM payments;

SELECT/**/1;

SELECT `a`.`b`.`c` FROM `a`;

SELECT `1st column`, `col-with-dash`, `über` FROM `table with spaces`;

SELECT * FROM `cat`.`db`.`tbl` AS `alias with space`;

select current_timestamp, CURRENT_TIMESTAMP, Current_Timestamp;

SELECT 1 /* nested-looking /* comment */;

SELECT 'tab	inside', 'unicode: ü ß 漢字';

SELECT 1<>2, 3>=3, 4<=5, 'a'||'b';

SELECT a.b.c.d FROM a;

SELECT größe, straße FROM maße;

SELECT job, jar, model, metadata, watermark, virtual, statistics, suspend, resume, freshness, compile, rename, modify, stop, load, hash
FROM ops_log;

SELECT * FROM payments/*+OPTIONS('scan.startup.mode'='earliest-offset')*/;

SELECT DATE_FORMAT(created_at, 'yyyy-MM-dd''T''HH:mm:ss') FROM payments;

SELECT 'end of file'; -- a trailing comment and no newline at the end