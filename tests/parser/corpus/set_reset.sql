-- SET and RESET of configuration options: single keys, listing all options, resetting one key or all.

SET 'execution.runtime-mode' = 'streaming';

SET 'table.exec.state.ttl' = '1 h';

SET 'parallelism.default' = '2';

SET 'pipeline.name' = 'fraud rules: velocity';

SET 'table.local-time-zone' = 'Europe/Berlin';

SET 'sql-client.execution.result-mode' = 'tableau';

SET 'table.exec.mini-batch.enabled' = 'true';

SET 'table.exec.mini-batch.allow-latency' = '5 s';

set 'table.exec.source.idle-timeout' = '30 s';

SET 'client.statement-name' = 'velocity-rule-01';

SET;

RESET 'table.exec.state.ttl';

RESET 'parallelism.default';

RESET;

reset;

SET 'sql.state-ttl'='12 h';

SET 'table.exec.sink.not-null-enforcer' = 'DROP';

SET 'pipeline.name' = 'it''s quoted';
