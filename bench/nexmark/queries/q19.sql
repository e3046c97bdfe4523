-- Top 10 prices of each auction.
-- decode: bid.auction bid.bidder bid.price bid.channel bid.url bid.dateTime bid.extra
-- The sink's primary key must be NOT NULL, and the view's columns are
-- nullable because they come from nested JSON rows, hence the COALESCE.
SET 'client.statement-name' = 'q19';
CREATE TABLE q19 (
  auction BIGINT NOT NULL,
  rank_number BIGINT NOT NULL,
  PRIMARY KEY (auction, rank_number) NOT ENFORCED
) AS
SELECT COALESCE(auction, 0) AS auction, bidder, price, channel, url, dateTime, extra, rank_number
FROM (
  SELECT *, ROW_NUMBER() OVER (PARTITION BY auction ORDER BY price DESC) AS rank_number
  FROM bid
)
WHERE rank_number <= 10;
