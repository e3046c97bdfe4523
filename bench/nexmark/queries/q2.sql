-- Selection: the bids on a fixed set of auctions.
-- decode: bid.auction bid.price
SET 'client.statement-name' = 'q2';
CREATE TABLE q2 AS
SELECT auction, price FROM bid WHERE MOD(auction, 123) = 0;
