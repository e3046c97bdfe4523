-- URL directories: the first three path segments of each bid's URL.
-- decode: bid.auction bid.bidder bid.price bid.channel bid.url
SET 'client.statement-name' = 'q22';
CREATE TABLE q22 AS
SELECT
  auction, bidder, price, channel,
  SPLIT_INDEX(url, '/', 3) AS dir1,
  SPLIT_INDEX(url, '/', 4) AS dir2,
  SPLIT_INDEX(url, '/', 5) AS dir3
FROM bid;
