-- Row-level UPDATE and DELETE (batch mode) and TRUNCATE TABLE.

UPDATE account_balances SET balance = 0 WHERE account_id = 'acc-closed-1';

UPDATE account_balances SET balance = balance * 1.01, updated_at = CURRENT_TIMESTAMP WHERE balance > 0;

UPDATE fraud_alerts SET score = NULL;

UPDATE fraud.rules.alerts SET `rule` = 'renamed' WHERE `rule` = 'legacy' AND score < 0.1;

DELETE FROM fraud_alerts WHERE score < 0.2;

DELETE FROM fraud_alerts;

DELETE FROM account_balances WHERE account_id IN (SELECT account_id FROM closed_accounts);

delete from staging_exports where dt < '2024-01-01';

TRUNCATE TABLE fraud_alerts;

TRUNCATE TABLE fraud_catalog.rules.alerts;
