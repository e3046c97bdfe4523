-- User-defined table functions: LATERAL TABLE with comma and JOIN syntax, LEFT JOIN ... ON TRUE, column aliases.

SELECT e.event_id, t.token
FROM events AS e, LATERAL TABLE(split_tokens(e.payload)) AS t (token);

SELECT e.event_id, word, len
FROM events e, LATERAL TABLE(split_words(e.text, ' ')) AS T(word, len);

SELECT e.event_id, t.token
FROM events e
JOIN LATERAL TABLE(split_tokens(e.payload)) AS t (token) ON TRUE;

SELECT e.event_id, t.token
FROM events e
LEFT JOIN LATERAL TABLE(split_tokens(e.payload)) AS t (token) ON TRUE;

SELECT e.event_id, g.city, g.country
FROM events e
LEFT JOIN LATERAL TABLE(geo_lookup(e.ip)) AS g (city, country) ON TRUE
WHERE g.country IS NULL OR g.country <> 'US';

SELECT e.event_id, r.k, r.v
FROM events e
CROSS JOIN LATERAL TABLE(parse_kv(e.query_string, '&', '=')) AS r (k, v);

select e.id, s from events e, lateral table(my_split(e.tags)) as x(s);

SELECT * FROM LATERAL TABLE(generate_series(1, 10)) AS g (n);

SELECT * FROM TABLE(generate_series(1, 5));

SELECT e.event_id, s.part
FROM events e, LATERAL TABLE(fraud.udfs.split_tokens(e.payload, 3)) s (part);

SELECT u.user_id, t.window_id
FROM logins u, LATERAL TABLE(assign_windows(u.login_ts, INTERVAL '5' MINUTE)) AS t (window_id);

SELECT * FROM count_events(input => TABLE logins PARTITION BY user_id, threshold => 3);

SELECT * FROM session_tracker(input => TABLE logins PARTITION BY user_id, on_time => DESCRIPTOR(login_ts), uid => 'tracker-v1');
