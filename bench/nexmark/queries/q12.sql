-- Processing-time windows: bids per bidder in 10-second windows of the
-- wall clock, so the result depends on when the rows arrive. A bounded run
-- closes the windows still open at its end.
-- decode: bid.bidder
SET 'client.statement-name' = 'q12';
CREATE TEMPORARY VIEW bid_proctime AS SELECT *, PROCTIME() AS p_time FROM bid;
CREATE TABLE q12 AS
SELECT bidder, COUNT(*) AS bid_count, window_start AS starttime, window_end AS endtime
FROM TABLE(TUMBLE(TABLE bid_proctime, DESCRIPTOR(p_time), INTERVAL '10' SECOND))
GROUP BY bidder, window_start, window_end;
