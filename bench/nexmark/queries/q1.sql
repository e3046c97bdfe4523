-- Currency conversion: each bid's price in euros.
-- decode: bid.auction bid.bidder bid.price bid.dateTime bid.extra
SET 'client.statement-name' = 'q1';
CREATE TABLE q1 AS
SELECT auction, bidder, 0.908 * price AS price, dateTime, extra FROM bid;
