-- ALTER TABLE: rename, options SET/RESET, ADD/MODIFY/DROP of columns, keys, watermarks and distribution, column renames.

ALTER TABLE payments RENAME TO card_payments;

ALTER TABLE IF EXISTS fraud.rules.alerts RENAME TO fraud.rules.alerts_v1;

ALTER TABLE payments SET ('scan.startup.mode' = 'latest-offset');

ALTER TABLE payments SET (
  'properties.group.id' = 'fraud-rules-v2',
  'scan.topic-partition-discovery.interval' = '30s'
);

ALTER TABLE payments RESET ('scan.startup.mode');

ALTER TABLE payments RESET ('properties.group.id', 'scan.topic-partition-discovery.interval');

ALTER TABLE payments ADD risk_level STRING;

ALTER TABLE payments ADD merchant_id BIGINT COMMENT 'merchant of record' FIRST;

ALTER TABLE payments ADD card_country CHAR(2) AFTER currency;

ALTER TABLE payments ADD (
  channel STRING COMMENT 'web, app or pos',
  amount_eur AS amount * 0.92 AFTER amount,
  ingest_ts TIMESTAMP_LTZ(3) METADATA FROM 'timestamp' VIRTUAL
);

ALTER TABLE payments ADD PRIMARY KEY (payment_id) NOT ENFORCED;

ALTER TABLE payments ADD CONSTRAINT pk_payment PRIMARY KEY (payment_id) NOT ENFORCED;

ALTER TABLE payments ADD WATERMARK FOR created_at AS created_at - INTERVAL '10' SECOND;

ALTER TABLE payments ADD (
  processed_at AS PROCTIME(),
  WATERMARK FOR created_at AS created_at - INTERVAL '1' SECOND,
  PRIMARY KEY (payment_id, account_id) NOT ENFORCED
);

ALTER TABLE payments MODIFY amount DECIMAL(20, 2) NOT NULL;

ALTER TABLE payments MODIFY currency STRING COMMENT 'ISO 4217 code' FIRST;

ALTER TABLE payments MODIFY (
  amount DECIMAL(22, 4),
  account_id STRING AFTER payment_id
);

ALTER TABLE payments MODIFY WATERMARK FOR created_at AS created_at - INTERVAL '30' SECOND;

ALTER TABLE payments MODIFY PRIMARY KEY (payment_id) NOT ENFORCED;

ALTER TABLE payments MODIFY CONSTRAINT pk_payment PRIMARY KEY (account_id, payment_id) NOT ENFORCED;

ALTER TABLE payments DROP risk_level;

ALTER TABLE payments DROP (channel, amount_eur);

ALTER TABLE payments DROP PRIMARY KEY;

ALTER TABLE payments DROP CONSTRAINT pk_payment;

ALTER TABLE payments DROP WATERMARK;

ALTER TABLE payments RENAME currency TO currency_code;

ALTER TABLE `payments` RENAME `amount` TO `value`;

ALTER TABLE orders_bucketed ADD DISTRIBUTION BY HASH(order_id) INTO 8 BUCKETS;

ALTER TABLE clicks_any ADD DISTRIBUTION INTO 6 BUCKETS;

ALTER TABLE orders_bucketed MODIFY DISTRIBUTION BY (customer_id) INTO 16 BUCKETS;

ALTER TABLE orders_bucketed DROP DISTRIBUTION;

alter table if exists card_events set ('format' = 'json');

ALTER TABLE `$rowtime_demo` MODIFY WATERMARK FOR `$rowtime` AS `$rowtime` - INTERVAL '5' SECOND;

ALTER TABLE daily_exports ADD PARTITION (dt = '2024-01-01', hr = '00');

ALTER TABLE daily_exports ADD IF NOT EXISTS PARTITION (dt = '2024-01-01', hr = '01') WITH ('location' = '/tmp/p1') PARTITION (dt = '2024-01-01', hr = '02');

ALTER TABLE daily_exports DROP PARTITION (dt = '2024-01-01', hr = '00');

ALTER TABLE daily_exports DROP IF EXISTS PARTITION (dt = '2024-01-01', hr = '01'), PARTITION (dt = '2024-01-01', hr = '02');

ALTER TABLE confluent_style SET ('changelog.mode' = 'upsert', 'kafka.retention.time' = '0');

ALTER TABLE confluent_style ADD `headers` MAP<BYTES, BYTES> METADATA VIRTUAL;

ALTER TABLE payments ADD (
  `partition_id` INT METADATA FROM 'partition' VIRTUAL FIRST,
  `leader_epoch` INT METADATA FROM 'leader-epoch' VIRTUAL
);

ALTER TABLE payments SET (
  'scan.startup.mode' = 'specific-offsets',
  'scan.startup.specific-offsets' = 'partition:0,offset:42;partition:1,offset:300'
);
