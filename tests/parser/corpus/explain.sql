-- EXPLAIN in all documented forms (PLAN FOR, detail lists, statement sets, CTAS) plus COMPILE PLAN and EXECUTE PLAN.

EXPLAIN SELECT account_id, SUM(amount) FROM payments GROUP BY account_id;

EXPLAIN PLAN FOR SELECT * FROM payments WHERE amount > 100;

EXPLAIN PLAN FOR
INSERT INTO alerts SELECT CAST(payment_id AS STRING), 'x', 1.0 FROM payments;

EXPLAIN ESTIMATED_COST SELECT * FROM payments;

EXPLAIN CHANGELOG_MODE
SELECT account_id, COUNT(*) FROM payments GROUP BY account_id;

EXPLAIN JSON_EXECUTION_PLAN SELECT * FROM logins;

EXPLAIN PLAN_ADVICE SELECT account_id, MAX(amount) FROM payments GROUP BY account_id;

EXPLAIN ESTIMATED_COST, CHANGELOG_MODE, JSON_EXECUTION_PLAN
SELECT l.user_id, u.country FROM logins AS l JOIN user_profiles AS u ON l.user_id = u.user_id;

EXPLAIN CHANGELOG_MODE, PLAN_ADVICE
INSERT INTO per_account SELECT account_id, COUNT(*) FROM payments GROUP BY account_id;

explain changelog_mode, estimated_cost select 1;

EXPLAIN
WITH big AS (SELECT * FROM payments WHERE amount > 1000)
SELECT account_id, COUNT(*) FROM big GROUP BY account_id;

EXPLAIN INSERT INTO print_sink VALUES (1, 'a');

EXPLAIN CREATE TABLE big_payments_ctas WITH ('connector' = 'blackhole') AS SELECT * FROM payments WHERE amount > 10000;

EXPLAIN
SELECT * FROM TABLE(HOP(TABLE payments, DESCRIPTOR(created_at), INTERVAL '1' MINUTE, INTERVAL '10' MINUTE));

EXPLAIN EXECUTE STATEMENT SET BEGIN
  INSERT INTO sink_a SELECT * FROM source_a;
END;

COMPILE PLAN 'file:///tmp/velocity.json' FOR INSERT INTO alerts SELECT * FROM candidate_alerts;

COMPILE PLAN '/tmp/velocity.json' IF NOT EXISTS FOR INSERT INTO alerts SELECT * FROM candidate_alerts;

COMPILE PLAN '/tmp/sets.json' FOR STATEMENT SET BEGIN
  INSERT INTO sink_a SELECT * FROM source_a;
  INSERT INTO sink_b SELECT * FROM source_b;
END;

EXECUTE PLAN 'file:///tmp/velocity.json';

COMPILE AND EXECUTE PLAN '/tmp/velocity.json' FOR INSERT INTO alerts SELECT * FROM candidate_alerts;
