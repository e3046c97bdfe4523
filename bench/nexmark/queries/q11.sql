-- User sessions: the number of bids each bidder makes in a session that
-- ends after 10 seconds without a bid.
-- decode: bid.bidder bid.dateTime
SET 'client.statement-name' = 'q11';
CREATE TABLE q11 AS
SELECT bidder, COUNT(*) AS bid_count, window_start AS starttime, window_end AS endtime
FROM TABLE(SESSION(TABLE bid PARTITION BY bidder, DESCRIPTOR(dateTime), INTERVAL '10' SECOND))
GROUP BY bidder, window_start, window_end;
