-- Average winning price per category: the highest bid while each auction
-- was open, averaged over the auctions of a category.
-- decode: auction.id auction.category auction.dateTime auction.expires bid.auction bid.price bid.dateTime
-- The sink's primary key must be NOT NULL, and the view's columns are
-- nullable because they come from nested JSON rows, hence the COALESCE.
SET 'client.statement-name' = 'q4';
CREATE TABLE q4 (
  category BIGINT NOT NULL,
  PRIMARY KEY (category) NOT ENFORCED
) AS
SELECT COALESCE(Q.category, 0) AS category, AVG(Q.final) AS avg_final
FROM (
  SELECT MAX(B.price) AS final, A.category
  FROM auction A, bid B
  WHERE A.id = B.auction AND B.dateTime BETWEEN A.dateTime AND A.expires
  GROUP BY A.id, A.category
) Q
GROUP BY Q.category;
