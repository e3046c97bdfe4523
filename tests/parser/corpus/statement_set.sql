-- Statement sets: EXECUTE STATEMENT SET BEGIN ... END and the SQL client form BEGIN STATEMENT SET ... END.

EXECUTE STATEMENT SET
BEGIN
  INSERT INTO alerts SELECT CAST(payment_id AS STRING), 'large_amount', CAST(amount AS DOUBLE) FROM payments WHERE amount > 10000;
  INSERT INTO print_sink SELECT payment_id, account_id FROM payments;
END;

EXECUTE STATEMENT SET BEGIN
INSERT INTO hourly_counts SELECT window_start, window_end, COUNT(*) FROM TABLE(TUMBLE(TABLE logins, DESCRIPTOR(login_ts), INTERVAL '1' HOUR)) GROUP BY window_start, window_end;
END;

execute statement set
begin
  insert into sink_a select * from source_a;
  insert into sink_b (x, y) values (1, 'b');
  insert overwrite sink_c select x, y from source_c where x > 0;
end;

BEGIN STATEMENT SET;

INSERT INTO alerts SELECT alert_id, rule, score FROM candidate_alerts WHERE score > 0.5;

INSERT INTO alerts_archive SELECT alert_id, rule, score FROM candidate_alerts;

END;

EXECUTE STATEMENT SET
BEGIN
  -- each branch reads the same source once
  INSERT INTO per_account
  SELECT account_id, COUNT(*) FROM payments GROUP BY account_id;
  INSERT INTO per_currency
  SELECT currency, SUM(amount) FROM payments GROUP BY currency;
  INSERT INTO daily_exports PARTITION (dt = '2024-05-01', hr = '12')
  SELECT account_id, SUM(amount) FROM payments GROUP BY account_id;
END;

EXPLAIN STATEMENT SET
BEGIN
  INSERT INTO sink_a SELECT * FROM source_a;
  INSERT INTO sink_b SELECT * FROM source_b;
END;

EXPLAIN CHANGELOG_MODE STATEMENT SET BEGIN
  INSERT INTO per_account SELECT account_id, COUNT(*) FROM payments GROUP BY account_id;
  INSERT INTO sink_a SELECT * FROM source_a;
END;

EXECUTE STATEMENT SET
BEGIN
  INSERT INTO per_account
  WITH recent AS (SELECT * FROM payments WHERE created_at > CURRENT_TIMESTAMP - INTERVAL '1' HOUR)
  SELECT account_id, COUNT(*) FROM recent GROUP BY account_id;
  INSERT INTO alerts /*+ OPTIONS('sink.parallelism' = '1') */ (alert_id, rule, score)
  VALUES ('manual-1', 'manual', 1.0);
END;
