-- Data types in column declarations: character, binary, exact and approximate numerics, temporal, interval, collection and structured types, nullability.

CREATE TABLE all_character_types (
  c1 CHAR,
  c2 CHAR(10),
  c3 CHARACTER(4),
  c4 VARCHAR,
  c5 VARCHAR(255),
  c6 CHARACTER VARYING(20),
  c7 STRING,
  c8 CHAR(1) NOT NULL,
  c9 STRING NULL
);

CREATE TABLE all_binary_types (
  b1 BINARY,
  b2 BINARY(16),
  b3 VARBINARY,
  b4 VARBINARY(1024),
  b5 BYTES,
  b6 BINARY VARYING(8)
);

CREATE TABLE all_numeric_types (
  n1 TINYINT,
  n2 SMALLINT,
  n3 INT,
  n4 INTEGER,
  n5 BIGINT,
  n6 DECIMAL,
  n7 DECIMAL(10),
  n8 DECIMAL(38, 18),
  n9 DEC,
  n10 DEC(5, 2),
  n11 NUMERIC,
  n12 NUMERIC(12, 4),
  n13 FLOAT,
  n14 DOUBLE,
  n15 DOUBLE PRECISION,
  n16 BOOLEAN,
  n17 BIGINT NOT NULL
);

CREATE TABLE all_temporal_types (
  t1 DATE,
  t2 TIME,
  t3 TIME(0),
  t4 TIME(3),
  t5 TIME(3) WITHOUT TIME ZONE,
  t6 TIMESTAMP,
  t7 TIMESTAMP(3),
  t8 TIMESTAMP(9),
  t9 TIMESTAMP(3) WITHOUT TIME ZONE,
  t10 TIMESTAMP WITHOUT TIME ZONE,
  t11 TIMESTAMP(3) WITH LOCAL TIME ZONE,
  t12 TIMESTAMP WITH LOCAL TIME ZONE,
  t13 TIMESTAMP_LTZ,
  t14 TIMESTAMP_LTZ(6),
  t15 TIMESTAMP_LTZ(3) NOT NULL
);

CREATE TABLE all_interval_types (
  i1 INTERVAL YEAR,
  i2 INTERVAL YEAR(4),
  i3 INTERVAL YEAR TO MONTH,
  i4 INTERVAL YEAR(2) TO MONTH,
  i5 INTERVAL MONTH,
  i6 INTERVAL DAY,
  i7 INTERVAL DAY(3),
  i8 INTERVAL DAY TO HOUR,
  i9 INTERVAL DAY TO MINUTE,
  i10 INTERVAL DAY TO SECOND,
  i11 INTERVAL DAY TO SECOND(3),
  i12 INTERVAL DAY(2) TO SECOND(6),
  i13 INTERVAL HOUR,
  i14 INTERVAL HOUR TO MINUTE,
  i15 INTERVAL HOUR TO SECOND(3),
  i16 INTERVAL MINUTE,
  i17 INTERVAL MINUTE TO SECOND,
  i18 INTERVAL SECOND,
  i19 INTERVAL SECOND(3)
);

CREATE TABLE all_collection_types (
  a1 ARRAY<INT>,
  a2 ARRAY<STRING NOT NULL>,
  a3 ARRAY<ARRAY<DOUBLE>>,
  a4 INT ARRAY,
  a5 STRING ARRAY NOT NULL,
  m1 MAP<STRING, INT>,
  m2 MAP<STRING, ARRAY<BIGINT>>,
  m3 MAP<INT, MAP<STRING, STRING>>,
  s1 MULTISET<STRING>,
  s2 INT MULTISET,
  s3 MULTISET<ROW<a INT>>
);

CREATE TABLE all_row_types (
  r1 ROW<a INT, b STRING>,
  r2 ROW(a INT, b STRING),
  r3 ROW<id BIGINT NOT NULL, tags ARRAY<STRING>, attrs MAP<STRING, STRING>>,
  r4 ROW<`before` ROW<id BIGINT, status STRING>, `after` ROW<id BIGINT, status STRING>, op STRING>,
  r5 ROW<amount DECIMAL(10, 2) 'amount in minor units', currency CHAR(3) 'ISO code'>,
  r7 ROW<a INT, b ROW<c INT, d ROW<e STRING>>>,
  r8 ROW<x INT> NOT NULL,
  r9 ARRAY<ROW<sku STRING, qty INT>>
);

CREATE TABLE debezium_envelope (
  `before` ROW<account_id STRING, balance DECIMAL(20, 4), status STRING>,
  `after` ROW<account_id STRING, balance DECIMAL(20, 4), status STRING>,
  op STRING,
  ts_ms BIGINT,
  source ROW<db STRING, `table` STRING, lsn BIGINT>
) WITH ('connector' = 'kafka', 'topic' = 'cdc.raw', 'format' = 'json');

CREATE TABLE raw_and_null_types (
  r RAW('java.lang.Object', 'AEdjb20uZXhhbXBsZS5TZXJpYWxpemVy'),
  n STRING NOT NULL,
  d DOUBLE NOT NULL,
  v VARCHAR(2147483647)
);

CREATE TABLE max_precision (
  big_dec DECIMAL(38, 0),
  tiny_dec DECIMAL(1, 0),
  ts_nano TIMESTAMP(9) WITH LOCAL TIME ZONE,
  t_nano TIME(9)
);

create table lower_case_types (a int, b bigint, c string, d timestamp(3), e decimal(5, 2), f array<string>, g map<string, int>, h row<x int>);

SELECT CAST(x AS ARRAY<ROW<a INT, b MAP<STRING, DOUBLE>>>) FROM t;

SELECT CAST(x AS INT ARRAY), CAST(y AS VARCHAR(10) MULTISET) FROM t;

SELECT CAST(NULL AS INTERVAL DAY TO SECOND(3)), CAST(NULL AS INTERVAL YEAR TO MONTH), CAST(NULL AS ROW(a INT, b STRING));

SELECT CAST(ts AS TIMESTAMP(3) WITH LOCAL TIME ZONE), CAST(ts AS TIMESTAMP_LTZ(3)), CAST(ts AS TIME(0)) FROM t;

CREATE TABLE semi_structured (
  id BIGINT,
  payload VARIANT,
  attrs MAP<STRING, VARIANT>
);

SELECT PARSE_JSON(raw_payload), TRY_PARSE_JSON(raw_payload), CAST(payload AS STRING) FROM semi_structured;
