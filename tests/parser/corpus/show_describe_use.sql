-- SHOW, DESCRIBE/DESC, USE, LOAD/UNLOAD MODULE, ADD/REMOVE JAR, job statements and CALL.

SHOW CATALOGS;

SHOW CATALOGS LIKE 'fraud%';

SHOW CURRENT CATALOG;

SHOW DATABASES;

SHOW DATABASES FROM fraud_catalog;

SHOW DATABASES IN fraud_catalog NOT LIKE 'tmp%';

SHOW CURRENT DATABASE;

SHOW TABLES;

SHOW TABLES FROM fraud;

SHOW TABLES IN fraud_catalog.rules;

SHOW TABLES LIKE 'pay%';

SHOW TABLES FROM fraud_catalog.rules NOT LIKE '%_tmp';

SHOW TABLES IN fraud ILIKE 'PAY%';

SHOW VIEWS;

SHOW VIEWS FROM fraud_catalog.rules LIKE 'v_%';

SHOW FUNCTIONS;

SHOW USER FUNCTIONS;

SHOW FUNCTIONS FROM fraud LIKE 'mask%';

SHOW USER FUNCTIONS IN fraud_catalog.rules ILIKE '%SCORE%';

SHOW PROCEDURES;

SHOW PROCEDURES IN fraud_catalog.rules LIKE 'compact%';

SHOW MODULES;

SHOW FULL MODULES;

SHOW JARS;

SHOW JOBS;

SHOW PARTITIONS daily_exports;

SHOW PARTITIONS daily_exports PARTITION (dt = '2024-01-01');

SHOW COLUMNS FROM payments;

SHOW COLUMNS IN fraud.payments LIKE 'amount%';

SHOW COLUMNS FROM payments NOT LIKE '%_id';

SHOW CREATE TABLE payments;

SHOW CREATE TABLE fraud_catalog.rules.alerts;

SHOW CREATE VIEW large_payments;

SHOW CREATE CATALOG fraud_catalog;

DESCRIBE payments;

DESC payments;

DESCRIBE EXTENDED fraud_catalog.rules.alerts;

describe `my-catalog`.`fraud db`.`alerts`;

DESCRIBE CATALOG fraud_catalog;

DESCRIBE CATALOG EXTENDED fraud_catalog;

DESCRIBE FUNCTION mask_card;

DESC FUNCTION EXTENDED risk_score;

DESCRIBE JOB '228d70913eab60dda85c5e7f78b5782c';

USE CATALOG fraud_catalog;

USE fraud;

USE fraud_catalog.rules;

USE `my-catalog`.`fraud db`;

USE MODULES hive, core;

USE MODULES core;

LOAD MODULE hive;

LOAD MODULE hive WITH ('hive-version' = '3.1.3');

UNLOAD MODULE hive;

ADD JAR '/opt/udfs/udf-bundle.jar';

ADD JAR 'hdfs:///libs/extra.jar';

REMOVE JAR '/opt/udfs/udf-bundle.jar';

STOP JOB '228d70913eab60dda85c5e7f78b5782c';

STOP JOB '228d70913eab60dda85c5e7f78b5782c' WITH SAVEPOINT;

STOP JOB '228d70913eab60dda85c5e7f78b5782c' WITH SAVEPOINT WITH DRAIN;

CALL fraud_catalog.sys.compact('rules.alerts');

CALL `system`.rollback_to(`table` => 'rules.alerts', snapshot_id => 5);

ANALYZE TABLE payments COMPUTE STATISTICS;

ANALYZE TABLE payments COMPUTE STATISTICS FOR ALL COLUMNS;

ANALYZE TABLE daily_exports PARTITION (dt = '2024-01-01', hr) COMPUTE STATISTICS FOR COLUMNS account_id, total_amount;

TRUNCATE TABLE staging_exports;
