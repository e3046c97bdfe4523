-- CREATE TABLE: physical, computed and metadata columns, watermarks, keys, partitioning, distribution, WITH options, LIKE, CTAS and RTAS.

CREATE TABLE payments (
  payment_id BIGINT,
  account_id STRING,
  amount DECIMAL(18, 2),
  currency CHAR(3),
  created_at TIMESTAMP(3),
  WATERMARK FOR created_at AS created_at - INTERVAL '5' SECOND
) WITH (
  'connector' = 'kafka',
  'topic' = 'payments',
  'properties.bootstrap.servers' = 'localhost:9092',
  'properties.group.id' = 'fraud-rules',
  'scan.startup.mode' = 'earliest-offset',
  'format' = 'json'
);

CREATE TABLE card_events (
  card_id STRING,
  merchant STRING,
  amount DOUBLE,
  event_time TIMESTAMP_LTZ(3) METADATA FROM 'timestamp' VIRTUAL,
  kafka_partition INT METADATA FROM 'partition' VIRTUAL,
  kafka_offset BIGINT METADATA FROM 'offset' VIRTUAL,
  WATERMARK FOR event_time AS event_time - INTERVAL '2' SECOND
) WITH (
  'connector' = 'kafka',
  'topic' = 'card-events',
  'properties.bootstrap.servers' = 'broker:29092',
  'value.format' = 'avro-confluent',
  'value.avro-confluent.url' = 'http://localhost:8081'
);

create table if not exists logins (
  user_id bigint not null,
  ip string,
  device string,
  login_ts timestamp(3),
  proc_time as proctime(),
  watermark for login_ts as login_ts - interval '10' second
) with ('connector' = 'datagen', 'rows-per-second' = '50');

CREATE TABLE account_balances (
  account_id STRING NOT NULL,
  balance DECIMAL(20, 4),
  updated_at TIMESTAMP(3),
  PRIMARY KEY (account_id) NOT ENFORCED
) WITH (
  'connector' = 'upsert-kafka',
  'topic' = 'account-balances',
  'properties.bootstrap.servers' = 'localhost:9092',
  'key.format' = 'raw',
  'value.format' = 'json'
);

CREATE TABLE orders_with_pk (
  order_id BIGINT,
  customer_id BIGINT,
  price DECIMAL(10, 2),
  quantity INT,
  total AS price * quantity,
  order_time TIMESTAMP(3),
  CONSTRAINT pk_orders PRIMARY KEY (order_id) NOT ENFORCED,
  WATERMARK FOR order_time AS order_time
) WITH ('connector' = 'kafka', 'topic' = 'orders', 'format' = 'debezium-json');

CREATE TABLE user_profiles (
  user_id BIGINT PRIMARY KEY NOT ENFORCED,
  name STRING,
  country STRING
) WITH ('connector' = 'jdbc', 'url' = 'jdbc:postgresql://localhost:5432/app', 'table-name' = 'users');

CREATE TABLE daily_exports (
  account_id STRING,
  total_amount DECIMAL(18, 2),
  dt STRING,
  hr STRING
) PARTITIONED BY (dt, hr) WITH (
  'connector' = 'filesystem',
  'path' = 'file:///tmp/daily_exports',
  'format' = 'parquet',
  'sink.partition-commit.policy.kind' = 'success-file'
);

CREATE TABLE raw_lines (line STRING)
WITH ('connector' = 'filesystem', 'path' = '/data/input', 'format' = 'raw');

CREATE TABLE orders_bucketed (
  order_id BIGINT,
  customer_id BIGINT,
  amount DOUBLE
) DISTRIBUTED BY HASH(customer_id) INTO 6 BUCKETS
WITH ('connector' = 'kafka', 'topic' = 'orders-bucketed', 'format' = 'json');

CREATE TABLE clicks_by_user (
  user_id STRING,
  url STRING
) DISTRIBUTED BY (user_id) INTO 4 BUCKETS;

CREATE TABLE clicks_by_session (session_id STRING, url STRING) DISTRIBUTED BY (session_id);

CREATE TABLE clicks_any (session_id STRING, url STRING) DISTRIBUTED INTO 3 BUCKETS;

CREATE TABLE clicks_multi_key (
  tenant STRING,
  user_id STRING,
  url STRING
) DISTRIBUTED BY HASH(tenant, user_id) INTO 12 BUCKETS;

CREATE TABLE clicks_ranged (user_id STRING, url STRING)
DISTRIBUTED BY RANGE(user_id) INTO 2 BUCKETS;

CREATE TABLE IF NOT EXISTS shipments (
  shipment_id STRING COMMENT 'unique shipment id',
  order_id BIGINT COMMENT 'order the shipment belongs to',
  shipped_at TIMESTAMP(3)
) COMMENT 'shipments from the warehouse service'
WITH ('connector' = 'kafka', 'topic' = 'shipments', 'format' = 'json');

CREATE TEMPORARY TABLE tmp_numbers (
  n INT,
  label STRING
) WITH (
  'connector' = 'datagen',
  'number-of-rows' = '100',
  'fields.n.kind' = 'sequence',
  'fields.n.start' = '1',
  'fields.n.end' = '100',
  'fields.label.length' = '8'
);

CREATE TEMPORARY TABLE IF NOT EXISTS blackhole_sink (a INT, b STRING) WITH ('connector' = 'blackhole');

CREATE TABLE print_sink WITH ('connector' = 'print') LIKE payments (EXCLUDING ALL);

CREATE TABLE payments_replay (
  replayed_at TIMESTAMP_LTZ(3) METADATA FROM 'timestamp'
) WITH (
  'scan.startup.mode' = 'timestamp',
  'scan.startup.timestamp-millis' = '1700000000000'
) LIKE payments (
  EXCLUDING WATERMARKS
  OVERWRITING OPTIONS
);

CREATE TABLE payments_archive
WITH ('connector' = 'filesystem', 'path' = 's3://bucket/payments', 'format' = 'json')
LIKE payments (INCLUDING GENERATED EXCLUDING OPTIONS INCLUDING CONSTRAINTS);

CREATE TABLE payments_copy LIKE payments;

CREATE TABLE payments_part LIKE `default_catalog`.`default_database`.payments (
  INCLUDING ALL
  OVERWRITING OPTIONS
  EXCLUDING PARTITIONS
  INCLUDING METADATA
  INCLUDING DISTRIBUTION
);

CREATE TABLE big_payments
WITH ('connector' = 'kafka', 'topic' = 'big-payments', 'format' = 'json')
AS SELECT payment_id, account_id, amount FROM payments WHERE amount > 10000;

CREATE TABLE IF NOT EXISTS payments_per_account AS
SELECT account_id, COUNT(*) AS cnt, SUM(amount) AS total
FROM payments
GROUP BY account_id;

CREATE TABLE enriched_payments (
  PRIMARY KEY (payment_id) NOT ENFORCED
) DISTRIBUTED BY HASH(payment_id) INTO 4 BUCKETS
WITH ('connector' = 'upsert-kafka', 'topic' = 'enriched', 'key.format' = 'json', 'value.format' = 'json')
AS SELECT p.payment_id, p.amount, u.country
FROM payments AS p JOIN user_profiles AS u ON CAST(p.account_id AS BIGINT) = u.user_id;

CREATE OR REPLACE TABLE payment_totals
WITH ('connector' = 'blackhole')
AS SELECT account_id, SUM(amount) AS total FROM payments GROUP BY account_id;

REPLACE TABLE payment_totals AS SELECT account_id, MAX(amount) AS total FROM payments GROUP BY account_id;

CREATE TABLE partitioned_ctas PARTITIONED BY (dt)
WITH ('connector' = 'filesystem', 'path' = '/tmp/ctas', 'format' = 'csv')
AS SELECT account_id, amount, DATE_FORMAT(created_at, 'yyyy-MM-dd') AS dt FROM payments;

CREATE TABLE `my-catalog`.`fraud db`.`alerts` (
  `alert id` STRING,
  `rule` STRING,
  `score` DOUBLE
) WITH ('connector' = 'kafka', 'topic' = 'alerts', 'format' = 'json');

CREATE TABLE sensor_readings (
  sensor_id INT,
  reading DOUBLE,
  ts BIGINT,
  rowtime AS TO_TIMESTAMP_LTZ(ts, 3),
  WATERMARK FOR rowtime AS rowtime - INTERVAL '1' MINUTE
) WITH ('connector' = 'kafka', 'topic' = 'sensors', 'format' = 'csv', 'csv.ignore-parse-errors' = 'true');

CREATE TABLE kafka_headers_demo (
  `headers` MAP<STRING, BYTES> METADATA,
  `topic` STRING METADATA VIRTUAL,
  `leader-epoch` INT METADATA VIRTUAL,
  `timestamp-type` STRING METADATA VIRTUAL,
  body STRING
) WITH ('connector' = 'kafka', 'topic' = 'demo', 'format' = 'raw');

CREATE TABLE cdc_accounts (
  origin_ts TIMESTAMP(3) METADATA FROM 'value.ingestion-timestamp' VIRTUAL,
  origin_table STRING METADATA FROM 'value.source.table' VIRTUAL,
  account_id STRING,
  owner STRING,
  status STRING,
  PRIMARY KEY (account_id) NOT ENFORCED
) WITH (
  'connector' = 'kafka',
  'topic' = 'dbserver1.bank.accounts',
  'value.format' = 'debezium-json',
  'key.format' = 'json',
  'key.fields' = 'account_id'
);

CREATE TABLE strict_watermark (
  id INT,
  ts TIMESTAMP(3),
  WATERMARK FOR ts AS ts - INTERVAL '0.5' SECOND
) WITH ('connector' = 'datagen');

CREATE TABLE nested_watermark (
  payload ROW<id BIGINT, event_ts TIMESTAMP(3)>,
  event_ts AS payload.event_ts,
  WATERMARK FOR event_ts AS event_ts - INTERVAL '3' SECONDS
) WITH ('connector' = 'kafka', 'topic' = 'nested', 'format' = 'json');

CREATE TABLE multi_pk (
  tenant STRING,
  account_id STRING,
  rule_id INT,
  hits BIGINT,
  PRIMARY KEY (tenant, account_id, rule_id) NOT ENFORCED
) WITH ('connector' = 'upsert-kafka', 'topic' = 'hits', 'key.format' = 'csv', 'value.format' = 'avro');

CREATE TABLE `$rowtime_demo` (
  id INT,
  `$rowtime` TIMESTAMP_LTZ(3) METADATA FROM 'timestamp',
  WATERMARK FOR `$rowtime` AS `$rowtime`
);

CREATE TABLE bounded_datagen (
  id BIGINT,
  amount DECIMAL(10, 2),
  name VARCHAR(20)
) WITH (
  'connector' = 'datagen',
  'number-of-rows' = '1000',
  'fields.id.kind' = 'sequence',
  'fields.id.start' = '1',
  'fields.id.end' = '1000',
  'fields.amount.min' = '1',
  'fields.amount.max' = '500'
);

CREATE TABLE confluent_style (
  `key` VARBINARY(2147483647),
  `val` STRING
) DISTRIBUTED BY HASH(`key`) INTO 1 BUCKETS
WITH (
  'changelog.mode' = 'append',
  'kafka.cleanup-policy' = 'delete',
  'kafka.retention.time' = '7 d',
  'scan.bounded.mode' = 'unbounded',
  'value.format' = 'json-registry'
);

Create Table MixedCase_Table (Id Int, Name String) With ('connector' = 'print', 'print-identifier' = 'mixed');

CREATE TABLE proc_source (
  id INT,
  pt AS PROCTIME()
) WITH ('connector' = 'datagen', 'rows-per-second' = '1');

CREATE TABLE comment_only (a INT COMMENT 'first', b INT) COMMENT 'no options';

CREATE TABLE generated_cols (
  a INT,
  b AS a + 1 COMMENT 'a plus one',
  c AS UPPER(CAST(a AS STRING)),
  d AS CASE WHEN a > 10 THEN 'big' ELSE 'small' END
) WITH ('connector' = 'datagen');

CREATE TABLE watermark_with_function (
  ts_str STRING,
  ts AS TO_TIMESTAMP(ts_str, 'yyyy-MM-dd HH:mm:ss'),
  WATERMARK FOR ts AS ts - INTERVAL '1' HOUR
) WITH ('connector' = 'kafka', 'topic' = 't', 'format' = 'json');

CREATE TABLE ctas_union WITH ('connector' = 'print')
AS SELECT 1 AS id, 'one' AS label UNION ALL SELECT 2, 'two';


CREATE TABLE source_wm (
  id BIGINT,
  ts TIMESTAMP_LTZ(3) METADATA FROM 'timestamp',
  WATERMARK FOR ts AS SOURCE_WATERMARK()
) WITH ('connector' = 'kafka', 'topic' = 'src', 'format' = 'json');

CREATE TABLE inline_named_pk (
  id BIGINT CONSTRAINT pk_inline PRIMARY KEY NOT ENFORCED,
  label STRING NOT NULL COMMENT 'display label'
) WITH ('connector'='upsert-kafka','topic'='labels','key.format'='raw','value.format'='json');

CREATE TABLE alerts_with_schema (
  detected_at TIMESTAMP_LTZ(3),
  WATERMARK FOR detected_at AS detected_at - INTERVAL '1' SECOND
) WITH ('connector' = 'kafka', 'topic' = 'alerts-ws', 'value.format' = 'json')
AS SELECT alert_id, rule_name, detected_at FROM fraud_alerts;
