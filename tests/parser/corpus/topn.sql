-- Top-N queries: ROW_NUMBER, RANK and DENSE_RANK in a subquery with a filter on the rank.

SELECT *
FROM (
  SELECT *, ROW_NUMBER() OVER (PARTITION BY merchant_id ORDER BY amount DESC) AS row_num
  FROM payments)
WHERE row_num <= 5;

SELECT payment_id, merchant_id, amount
FROM (
  SELECT payment_id, merchant_id, amount,
         ROW_NUMBER() OVER (PARTITION BY merchant_id ORDER BY amount DESC) AS rn
  FROM payments
) t
WHERE rn <= 3;

SELECT account_id, total
FROM (
  SELECT account_id, total, RANK() OVER (ORDER BY total DESC) AS rk
  FROM account_totals
)
WHERE rk <= 10;

SELECT * FROM (
  SELECT account_id, total, DENSE_RANK() OVER (PARTITION BY country ORDER BY total DESC) AS drk
  FROM account_totals
) WHERE drk < 4;

SELECT * FROM (
  SELECT *, ROW_NUMBER() OVER (PARTITION BY category ORDER BY sales DESC, product_id ASC) AS rownum
  FROM product_sales
) WHERE rownum = 1;

SELECT * FROM (
  SELECT *, ROW_NUMBER() OVER (ORDER BY amount DESC) AS rn FROM payments
) WHERE rn BETWEEN 11 AND 20;

SELECT product_id, category, sales
FROM (
  SELECT product_id, category, sales,
         ROW_NUMBER() OVER (PARTITION BY category ORDER BY sales DESC) AS rownum
  FROM (SELECT product_id, category, SUM(quantity) AS sales FROM order_items GROUP BY product_id, category)
)
WHERE rownum <= 3;

select * from (select *, row_number() over (partition by account_id order by amount asc) as r from payments) where r <= 2;

SELECT * FROM (
  SELECT merchant_id, amount, ROW_NUMBER() OVER (PARTITION BY merchant_id ORDER BY amount DESC) AS rn FROM payments
) WHERE rn < 10 AND amount > 0;

INSERT INTO top_merchants
SELECT merchant_id, amount, rn
FROM (
  SELECT merchant_id, amount, ROW_NUMBER() OVER (PARTITION BY merchant_id ORDER BY amount DESC) AS rn
  FROM payments
)
WHERE rn <= 3;
