-- Winning bids: each auction with its highest bid placed while it was open.
-- decode: auction.id auction.itemName auction.description auction.initialBid auction.reserve auction.dateTime auction.expires auction.seller auction.category auction.extra bid.auction bid.bidder bid.price bid.dateTime bid.extra
-- expect-error: OVER windows need exactly one ORDER BY column
SET 'client.statement-name' = 'q9';
CREATE TABLE q9 (
  id BIGINT NOT NULL,
  PRIMARY KEY (id) NOT ENFORCED
) AS
SELECT id, itemName, description, initialBid, reserve, dateTime, expires, seller, category, extra,
       auction, bidder, price, bid_dateTime, bid_extra
FROM (
  SELECT A.*, B.auction, B.bidder, B.price, B.dateTime AS bid_dateTime, B.extra AS bid_extra,
         ROW_NUMBER() OVER (PARTITION BY A.id ORDER BY B.price DESC, B.dateTime ASC) AS rownum
  FROM auction A, bid B
  WHERE A.id = B.auction AND B.dateTime BETWEEN A.dateTime AND A.expires
)
WHERE rownum <= 1;
