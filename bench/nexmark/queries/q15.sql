-- Bidding statistics per day: bids, bidders and auctions in three price ranges.
-- decode: bid.auction bid.bidder bid.price bid.dateTime
-- The sink's primary key must be NOT NULL, and the view's columns are
-- nullable because they come from nested JSON rows, hence the COALESCE.
SET 'client.statement-name' = 'q15';
CREATE TABLE q15 (
  `day` STRING NOT NULL,
  PRIMARY KEY (`day`) NOT ENFORCED
) AS
SELECT
  COALESCE(DATE_FORMAT(dateTime, 'yyyy-MM-dd'), '') AS `day`,
  COUNT(*) AS total_bids,
  COUNT(*) FILTER (WHERE price < 10000) AS rank1_bids,
  COUNT(*) FILTER (WHERE price >= 10000 AND price < 1000000) AS rank2_bids,
  COUNT(*) FILTER (WHERE price >= 1000000) AS rank3_bids,
  COUNT(DISTINCT bidder) AS total_bidders,
  COUNT(DISTINCT bidder) FILTER (WHERE price < 10000) AS rank1_bidders,
  COUNT(DISTINCT bidder) FILTER (WHERE price >= 10000 AND price < 1000000) AS rank2_bidders,
  COUNT(DISTINCT bidder) FILTER (WHERE price >= 1000000) AS rank3_bidders,
  COUNT(DISTINCT auction) AS total_auctions,
  COUNT(DISTINCT auction) FILTER (WHERE price < 10000) AS rank1_auctions,
  COUNT(DISTINCT auction) FILTER (WHERE price >= 10000 AND price < 1000000) AS rank2_auctions,
  COUNT(DISTINCT auction) FILTER (WHERE price >= 1000000) AS rank3_auctions
FROM bid
GROUP BY DATE_FORMAT(dateTime, 'yyyy-MM-dd');
