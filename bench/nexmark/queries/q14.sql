-- Calculation: converted prices in a range, the time of day of each bid,
-- and how often 'c' occurs in its extra field. Flink nexmark counts the
-- 'c's with a Java UDF; fsql has no UDFs, so built-in functions count them.
-- decode: bid.auction bid.bidder bid.price bid.dateTime bid.extra
SET 'client.statement-name' = 'q14';
CREATE TABLE q14 AS
SELECT
  auction,
  bidder,
  0.908 * price AS price,
  CASE
    WHEN HOUR(dateTime) >= 8 AND HOUR(dateTime) <= 18 THEN 'dayTime'
    WHEN HOUR(dateTime) <= 6 OR HOUR(dateTime) >= 20 THEN 'nightTime'
    ELSE 'otherTime'
  END AS bidTimeType,
  dateTime,
  extra,
  CHAR_LENGTH(extra) - CHAR_LENGTH(REPLACE(extra, 'c', '')) AS c_counts
FROM bid
WHERE 0.908 * price > 1000000 AND 0.908 * price < 50000000;
