-- Hot items: the auctions with the most bids in each 10-second window,
-- sliding by 2 seconds. The maximum per window is a regular aggregation, so
-- the result is an update stream; it goes to an upsert table keyed by
-- auction and window start, which the Flink version does not output.
-- decode: bid.auction bid.dateTime
SET 'client.statement-name' = 'q5';
CREATE TABLE q5 (
  auction BIGINT NOT NULL,
  starttime TIMESTAMP(3) NOT NULL,
  PRIMARY KEY (auction, starttime) NOT ENFORCED
) AS
SELECT COALESCE(AuctionBids.auction, 0) AS auction, AuctionBids.starttime, AuctionBids.num
FROM (
  SELECT auction, COUNT(*) AS num, window_start AS starttime, window_end AS endtime
  FROM TABLE(HOP(TABLE bid, DESCRIPTOR(dateTime), INTERVAL '2' SECOND, INTERVAL '10' SECOND))
  GROUP BY auction, window_start, window_end
) AS AuctionBids
JOIN (
  SELECT MAX(CountBids.num) AS maxn, CountBids.starttime, CountBids.endtime
  FROM (
    SELECT COUNT(*) AS num, window_start AS starttime, window_end AS endtime
    FROM TABLE(HOP(TABLE bid, DESCRIPTOR(dateTime), INTERVAL '2' SECOND, INTERVAL '10' SECOND))
    GROUP BY auction, window_start, window_end
  ) AS CountBids
  GROUP BY CountBids.starttime, CountBids.endtime
) AS MaxBids
ON AuctionBids.starttime = MaxBids.starttime
  AND AuctionBids.endtime = MaxBids.endtime
  AND AuctionBids.num >= MaxBids.maxn;
