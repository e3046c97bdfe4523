-- Highest bid: the bids that carry the highest price of their 10-second window.
-- decode: bid.auction bid.bidder bid.price bid.dateTime bid.extra
SET 'client.statement-name' = 'q7';
CREATE TABLE q7 AS
SELECT B.auction, B.price, B.bidder, B.dateTime, B.extra
FROM bid B
JOIN (
  SELECT MAX(price) AS maxprice, window_end AS dateTime
  FROM TABLE(TUMBLE(TABLE bid, DESCRIPTOR(dateTime), INTERVAL '10' SECOND))
  GROUP BY window_start, window_end
) B1
ON B.price = B1.maxprice
WHERE B.dateTime BETWEEN B1.dateTime - INTERVAL '10' SECOND AND B1.dateTime;
