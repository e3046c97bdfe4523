-- DROP statements for tables, views, functions, databases and catalogs.

DROP TABLE payments;

DROP TABLE IF EXISTS fraud.rules.alerts;

DROP TEMPORARY TABLE tmp_numbers;

DROP TEMPORARY TABLE IF EXISTS blackhole_sink;

drop table `my-catalog`.`fraud db`.`alerts`;

DROP VIEW large_payments;

DROP VIEW IF EXISTS cat.db.enriched_logins;

DROP TEMPORARY VIEW recent_logins;

DROP TEMPORARY VIEW IF EXISTS v_high_risk;

DROP FUNCTION mask_card;

DROP FUNCTION IF EXISTS fraud.scoring.normalize_ip;

DROP TEMPORARY FUNCTION geo_lookup;

DROP TEMPORARY SYSTEM FUNCTION IF EXISTS risk_score;

DROP DATABASE staging;

DROP DATABASE IF EXISTS fraud_catalog.rules CASCADE;

DROP DATABASE fraud RESTRICT;

DROP CATALOG hive_cat;

DROP CATALOG IF EXISTS pg_catalog;

Drop Table If Exists MixedCase_Table;
