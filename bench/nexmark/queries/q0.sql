-- Pass through: every bid, unchanged.
-- decode: bid.auction bid.bidder bid.price bid.dateTime bid.extra
SET 'client.statement-name' = 'q0';
CREATE TABLE q0 AS
SELECT auction, bidder, price, dateTime, extra FROM bid;
