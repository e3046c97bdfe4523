-- CREATE FUNCTION, ALTER FUNCTION, CREATE CATALOG and CREATE DATABASE.

CREATE FUNCTION mask_card AS 'com.example.udf.MaskCard';

CREATE TEMPORARY FUNCTION IF NOT EXISTS geo_lookup AS 'com.example.udf.GeoLookup' LANGUAGE JAVA;

CREATE TEMPORARY SYSTEM FUNCTION risk_score AS 'com.example.udf.RiskScore';

CREATE FUNCTION IF NOT EXISTS fraud.scoring.normalize_ip AS 'com.example.NormalizeIp' LANGUAGE SCALA;

CREATE FUNCTION py_entropy AS 'udfs.entropy' LANGUAGE PYTHON;

CREATE FUNCTION jar_udf AS 'com.example.JarUdf' LANGUAGE JAVA USING JAR 'file:///opt/udfs/jar-udf-1.0.jar';

CREATE FUNCTION multi_jar_udf AS 'com.example.MultiJar'
USING JAR 'hdfs:///udfs/core.jar', JAR 'hdfs:///udfs/deps.jar';

create temporary function split_tags as 'com.example.SplitTags' language java;

ALTER FUNCTION mask_card AS 'com.example.udf.MaskCardV2';

ALTER TEMPORARY FUNCTION IF EXISTS geo_lookup AS 'com.example.udf.GeoLookupV2' LANGUAGE JAVA;

ALTER TEMPORARY SYSTEM FUNCTION risk_score AS 'com.example.udf.RiskScoreV3';

CREATE CATALOG fraud_catalog WITH ('type' = 'generic_in_memory');

CREATE CATALOG IF NOT EXISTS pg_catalog WITH (
  'type' = 'jdbc',
  'default-database' = 'bank',
  'username' = 'flink',
  'password' = 'secret',
  'base-url' = 'jdbc:postgresql://localhost:5432'
);

CREATE CATALOG hive_cat COMMENT 'warehouse tables' WITH ('type' = 'hive', 'hive-conf-dir' = '/etc/hive/conf');

CREATE DATABASE fraud;

CREATE DATABASE IF NOT EXISTS fraud_catalog.rules COMMENT 'rule outputs' WITH ('owner' = 'risk-team');

create database staging with ('retention' = '7d');

ALTER DATABASE fraud SET ('owner' = 'platform');

ALTER DATABASE fraud_catalog.rules SET ('owner' = 'risk', 'tier' = 'gold');

ALTER CATALOG fraud_catalog SET ('default-database' = 'rules');

ALTER CATALOG pg_catalog RESET ('username');

ALTER CATALOG hive_cat COMMENT 'hive warehouse, read only';

CREATE FUNCTION confluent_udf AS 'io.example.RiskUdf' USING JAR 'confluent-artifact://cfa-1x2y3z/ver-1';
