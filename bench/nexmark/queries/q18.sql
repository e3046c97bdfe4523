-- Last bid: the latest bid of each bidder on each auction.
-- decode: bid.auction bid.bidder bid.price bid.channel bid.url bid.dateTime bid.extra
-- The sink's primary key must be NOT NULL, and the view's columns are
-- nullable because they come from nested JSON rows, hence the COALESCE.
SET 'client.statement-name' = 'q18';
CREATE TABLE q18 (
  auction BIGINT NOT NULL,
  bidder BIGINT NOT NULL,
  PRIMARY KEY (auction, bidder) NOT ENFORCED
) AS
SELECT COALESCE(auction, 0) AS auction, COALESCE(bidder, 0) AS bidder, price, channel, url, dateTime, extra
FROM (
  SELECT *, ROW_NUMBER() OVER (PARTITION BY bidder, auction ORDER BY dateTime DESC) AS rank_number
  FROM bid
)
WHERE rank_number <= 1;
