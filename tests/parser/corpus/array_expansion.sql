-- Array, map and multiset expansion with UNNEST, including WITH ORDINALITY and derived column aliases.

SELECT o.order_id, item
FROM orders_with_items AS o
CROSS JOIN UNNEST(o.items) AS t (item);

SELECT order_id, tag
FROM orders_with_items, UNNEST(tags) AS t (tag);

SELECT o.order_id, li.sku, li.qty
FROM orders_with_items o
CROSS JOIN UNNEST(o.line_items) AS li (sku, qty);

SELECT u.user_id, k, v
FROM user_attributes u
CROSS JOIN UNNEST(u.attrs) AS a (k, v);

SELECT order_id, item, pos
FROM orders_with_items
CROSS JOIN UNNEST(items) WITH ORDINALITY AS t (item, pos);

SELECT * FROM UNNEST(ARRAY[1, 2, 3]) AS t (n);

SELECT n FROM UNNEST(ARRAY['a', 'b', 'c']) WITH ORDINALITY AS x (n, idx) WHERE idx > 1;

SELECT o.order_id, t.item
FROM orders_with_items o
LEFT JOIN UNNEST(o.items) AS t (item) ON TRUE;

SELECT e.event_id, ip
FROM events e CROSS JOIN UNNEST(SPLIT(e.forwarded_for, ',')) AS ips (ip);

select id, x from nested_table cross join unnest(nested_table.numbers) as t(x);

SELECT a.id, b.elem
FROM doubled a
CROSS JOIN UNNEST(a.matrix) AS r (inner_arr)
CROSS JOIN UNNEST(r.inner_arr) AS b (elem);
