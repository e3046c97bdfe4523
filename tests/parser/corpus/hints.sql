-- SQL hints: dynamic table options (OPTIONS) and query hints (STATE_TTL, BROADCAST, SHUFFLE_HASH, SHUFFLE_MERGE, NEST_LOOP, LOOKUP).

SELECT * FROM payments /*+ OPTIONS('scan.startup.mode' = 'earliest-offset') */;

SELECT id, name FROM kafka_users /*+ OPTIONS('scan.startup.mode' = 'timestamp', 'scan.startup.timestamp-millis' = '1700000000000') */;

SELECT p.payment_id FROM payments /*+ OPTIONS('properties.group.id' = 'adhoc') */ AS p WHERE p.amount > 10;

INSERT INTO alerts /*+ OPTIONS('sink.parallelism' = '4', 'sink.delivery-guarantee' = 'at-least-once') */
SELECT * FROM candidate_alerts;

SELECT a.*, b.*
FROM t1 /*+ OPTIONS('k1' = 'v1') */ AS a
JOIN t2 /*+ OPTIONS('k2' = 'v2') */ AS b ON a.id = b.id;

SELECT /*+ BROADCAST(small_dim) */ *
FROM fact JOIN small_dim ON fact.dim_id = small_dim.id;

SELECT /*+ SHUFFLE_HASH(t1) */ * FROM t1 JOIN t2 ON t1.id = t2.id;

SELECT /*+ SHUFFLE_HASH(t1, t2) */ * FROM t1 JOIN t2 ON t1.id = t2.id;

SELECT /*+ SHUFFLE_MERGE(t1) */ * FROM t1 JOIN t2 ON t1.id = t2.id;

SELECT /*+ NEST_LOOP(t2) */ * FROM t1 JOIN t2 ON t1.id > t2.id;

SELECT /*+ BROADCAST(t2), SHUFFLE_HASH(t3) */ *
FROM t1 JOIN t2 ON t1.id = t2.id JOIN t3 ON t1.id = t3.id;

SELECT /*+ BROADCAST(d) */ f.id, d.label FROM fact f JOIN dims d ON f.dim_id = d.id;

SELECT /*+ STATE_TTL('o' = '1d', 'c' = '20d') */ o.order_id, c.name
FROM orders o LEFT JOIN customers c ON o.customer_id = c.id;

SELECT /*+ STATE_TTL('payments' = '12h') */ account_id, SUM(amount) FROM payments GROUP BY account_id;

SELECT /*+ STATE_TTL('p' = '1h', 'l' = '30min') */ *
FROM payments p JOIN logins l ON p.user_id = l.user_id;

SELECT /*+ LOOKUP('table'='customers', 'async'='true', 'output-mode'='allow_unordered', 'capacity'='100', 'timeout'='180s') */
  o.order_id, c.name
FROM orders AS o
JOIN customers FOR SYSTEM_TIME AS OF o.proc_time AS c ON o.customer_id = c.id;

SELECT /*+ LOOKUP('table'='c', 'retry-predicate'='lookup_miss', 'retry-strategy'='fixed_delay', 'fixed-delay'='10s', 'max-attempts'='3') */
  o.order_id, c.name
FROM orders AS o
JOIN customers FOR SYSTEM_TIME AS OF o.proc_time AS c ON o.customer_id = c.id;

SELECT /*+ LOOKUP('table'='customers', 'shuffle'='true') */ o.order_id, customers.name
FROM orders AS o
JOIN customers FOR SYSTEM_TIME AS OF o.proc_time ON o.customer_id = customers.id;

select /*+ broadcast(d) */ * from fact f join d on f.k = d.k;

SELECT * FROM (
  SELECT /*+ SHUFFLE_HASH(b) */ a.id, b.v FROM a JOIN b ON a.id = b.id
) t;

INSERT INTO sink SELECT /*+ BROADCAST(d) */ f.id FROM fact f JOIN d ON f.k = d.k;

SELECT * FROM fraud_catalog.rules.alerts /*+ OPTIONS('scan.bounded.mode' = 'latest-offset') */;

CREATE TEMPORARY VIEW hinted AS
SELECT * FROM payments /*+ OPTIONS('scan.startup.mode' = 'latest-offset') */ WHERE amount > 0;
