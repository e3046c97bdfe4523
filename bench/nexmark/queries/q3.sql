-- Local item suggestion: sellers in three states with auctions in category 10.
-- decode: auction.id auction.seller auction.category auction.dateTime person.id person.name person.city person.state person.dateTime
SET 'client.statement-name' = 'q3';
CREATE TABLE q3 AS
SELECT P.name, P.city, P.state, A.id
FROM auction AS A INNER JOIN person AS P ON A.seller = P.id
WHERE A.category = 10 AND (P.state = 'OR' OR P.state = 'ID' OR P.state = 'CA');
