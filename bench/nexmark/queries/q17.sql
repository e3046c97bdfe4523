-- Auction statistics per day: bid counts by price range and price figures.
-- decode: bid.auction bid.price bid.dateTime
-- The sink's primary key must be NOT NULL, and the view's columns are
-- nullable because they come from nested JSON rows, hence the COALESCE.
SET 'client.statement-name' = 'q17';
CREATE TABLE q17 (
  auction BIGINT NOT NULL,
  `day` STRING NOT NULL,
  PRIMARY KEY (auction, `day`) NOT ENFORCED
) AS
SELECT
  COALESCE(auction, 0) AS auction,
  COALESCE(DATE_FORMAT(dateTime, 'yyyy-MM-dd'), '') AS `day`,
  COUNT(*) AS total_bids,
  COUNT(*) FILTER (WHERE price < 10000) AS rank1_bids,
  COUNT(*) FILTER (WHERE price >= 10000 AND price < 1000000) AS rank2_bids,
  COUNT(*) FILTER (WHERE price >= 1000000) AS rank3_bids,
  MIN(price) AS min_price,
  MAX(price) AS max_price,
  AVG(price) AS avg_price,
  SUM(price) AS sum_price
FROM bid
GROUP BY auction, DATE_FORMAT(dateTime, 'yyyy-MM-dd');
