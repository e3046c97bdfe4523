-- Model DDL and inference: CREATE/ALTER/DROP MODEL, SHOW and DESCRIBE of models, ML_PREDICT.

CREATE MODEL fraud_classifier
INPUT (amount DOUBLE, merchant_category STRING, country STRING)
OUTPUT (is_fraud BOOLEAN)
COMMENT 'binary fraud classifier'
WITH (
  'provider' = 'openai',
  'task' = 'classification',
  'openai.endpoint' = 'http://127.0.0.1:8080/v1/chat/completions',
  'openai.model' = 'local-model'
);

CREATE TEMPORARY MODEL IF NOT EXISTS risk_embedder
INPUT (`text` STRING)
OUTPUT (embedding ARRAY<FLOAT>)
WITH ('provider' = 'openai', 'task' = 'embedding');

ALTER MODEL fraud_classifier SET ('openai.model' = 'local-model-v2');

ALTER MODEL IF EXISTS fraud_classifier RENAME TO fraud_classifier_v1;

SHOW MODELS;

SHOW MODELS FROM fraud_catalog.rules LIKE 'fraud%';

SHOW CREATE MODEL fraud_classifier;

DESCRIBE MODEL fraud_classifier;

SELECT * FROM ML_PREDICT(TABLE transactions, MODEL fraud_classifier, DESCRIPTOR(amount, merchant_category, country));

SELECT txn_id, is_fraud
FROM ML_PREDICT(TABLE transactions, MODEL fraud_classifier, DESCRIPTOR(amount, country), MAP['async', 'true']);

DROP MODEL fraud_classifier_v1;

DROP TEMPORARY MODEL IF EXISTS risk_embedder;

SELECT t.txn_id, p.label
FROM transactions AS t,
LATERAL TABLE(ML_PREDICT('fraud_classifier', t.amount, t.merchant_category)) AS p (label);
