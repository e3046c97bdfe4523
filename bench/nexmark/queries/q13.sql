-- Bounded side input join: each bid joined, as of the wall clock, with a
-- row of a side table. Flink nexmark reads the side table from a file; it
-- is a Kafka table here because fsql has no file connector. It fails on
-- its computed join key, because join keys are columns so far.
-- decode: bid.auction bid.bidder bid.price bid.dateTime
-- expect-error: joins need at least one equality between a column of each side
SET 'client.statement-name' = 'q13';
CREATE TABLE side_input (
  `key` BIGINT,
  `value` STRING,
  PRIMARY KEY (`key`) NOT ENFORCED
) WITH (
  'topic' = 'side_input',
  'value.format' = 'json'
);
CREATE TABLE q13 AS
SELECT B.auction, B.bidder, B.price, B.dateTime, S.`value`
FROM (SELECT *, PROCTIME() AS p_time FROM bid) B
JOIN side_input FOR SYSTEM_TIME AS OF B.p_time AS S
ON MOD(B.auction, 10000) = S.`key`;
