-- Expand bids with their auction, for auctions in category 10.
-- decode: bid.auction bid.bidder bid.price bid.channel bid.url bid.dateTime bid.extra auction.id auction.itemName auction.description auction.initialBid auction.reserve auction.dateTime auction.expires auction.seller auction.category auction.extra
SET 'client.statement-name' = 'q20';
CREATE TABLE q20 AS
SELECT
  auction, bidder, price, channel, url, B.dateTime AS bid_dateTime, B.extra AS bid_extra,
  itemName, description, initialBid, reserve, A.dateTime AS auction_dateTime, expires, seller, category,
  A.extra AS auction_extra
FROM bid AS B INNER JOIN auction AS A ON B.auction = A.id
WHERE A.category = 10;
