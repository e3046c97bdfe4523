// The batch reference for the Nexmark benchmark: DuckDB (through the npm
// package @duckdb/node-api) loads the same JSON-lines events that
// `nexmark_bench generate` writes and computes each query it can express
// over them, materialising the result as fsql's sink would.
//
//   node bench/duckdb_reference.mjs EVENTS.jsonl [q0 q1 ...]
//
// Prints one Markdown table row per query: the query's own CPU time, and the
// events per second per core counting the JSON load as well, since fsql's
// figures include decoding. CPU time is the whole process's (every DuckDB
// thread), from process.cpuUsage().
import { DuckDBInstance } from '@duckdb/node-api';

// Each query reads the views person, auction and bid and computes what the
// file of the same name in nexmark/queries computes, in DuckDB's dialect.
// Window TVFs become time_bucket(); q5 and q11 are left out because DuckDB
// has no hopping or session windows to state them with the same result.
const QUERIES = {
  q0: `SELECT auction, bidder, price, dateTime, extra FROM bid`,
  q1: `SELECT auction, bidder, 0.908 * price AS price, dateTime, extra FROM bid`,
  q2: `SELECT auction, price FROM bid WHERE auction % 123 = 0`,
  q3: `SELECT P.name, P.city, P.state, A.id FROM auction A JOIN person P ON A.seller = P.id
       WHERE A.category = 10 AND P.state IN ('OR', 'ID', 'CA')`,
  q4: `SELECT Q.category, AVG(Q.final) AS avg_final FROM (
         SELECT MAX(B.price) AS final, A.category FROM auction A JOIN bid B ON A.id = B.auction
         WHERE B.dateTime BETWEEN A.dateTime AND A.expires GROUP BY A.id, A.category) Q
       GROUP BY Q.category`,
  q7: `SELECT B.auction, B.price, B.bidder, B.dateTime, B.extra FROM bid B JOIN (
         SELECT MAX(price) AS maxprice, time_bucket(INTERVAL 10 SECOND, dateTime) + INTERVAL 10 SECOND AS dateTime
         FROM bid GROUP BY 2) B1
       ON B.price = B1.maxprice
       WHERE B.dateTime BETWEEN B1.dateTime - INTERVAL 10 SECOND AND B1.dateTime`,
  q8: `SELECT P.id, P.name, P.starttime FROM (
         SELECT id, name, time_bucket(INTERVAL 10 SECOND, dateTime) AS starttime FROM person GROUP BY 1, 2, 3) P
       JOIN (
         SELECT seller, time_bucket(INTERVAL 10 SECOND, dateTime) AS starttime FROM auction GROUP BY 1, 2) A
       ON P.id = A.seller AND P.starttime = A.starttime`,
  q9: `SELECT * FROM (
         SELECT A.*, B.auction, B.bidder, B.price, B.dateTime AS bid_dateTime, B.extra AS bid_extra,
                ROW_NUMBER() OVER (PARTITION BY A.id ORDER BY B.price DESC, B.dateTime ASC) AS rownum
         FROM auction A JOIN bid B ON A.id = B.auction
         WHERE B.dateTime BETWEEN A.dateTime AND A.expires)
       WHERE rownum <= 1`,
  q14: `SELECT auction, bidder, 0.908 * price AS price,
          CASE WHEN hour(dateTime) BETWEEN 8 AND 18 THEN 'dayTime'
               WHEN hour(dateTime) <= 6 OR hour(dateTime) >= 20 THEN 'nightTime'
               ELSE 'otherTime' END AS bidTimeType,
          dateTime, extra, length(extra) - length(replace(extra, 'c', '')) AS c_counts
        FROM bid WHERE 0.908 * price > 1000000 AND 0.908 * price < 50000000`,
  q15: `SELECT strftime(dateTime, '%Y-%m-%d') AS day, count(*) AS total_bids,
          count(*) FILTER (WHERE price < 10000) AS rank1_bids,
          count(*) FILTER (WHERE price >= 10000 AND price < 1000000) AS rank2_bids,
          count(*) FILTER (WHERE price >= 1000000) AS rank3_bids,
          count(DISTINCT bidder) AS total_bidders,
          count(DISTINCT bidder) FILTER (WHERE price < 10000) AS rank1_bidders,
          count(DISTINCT bidder) FILTER (WHERE price >= 10000 AND price < 1000000) AS rank2_bidders,
          count(DISTINCT bidder) FILTER (WHERE price >= 1000000) AS rank3_bidders,
          count(DISTINCT auction) AS total_auctions,
          count(DISTINCT auction) FILTER (WHERE price < 10000) AS rank1_auctions,
          count(DISTINCT auction) FILTER (WHERE price >= 10000 AND price < 1000000) AS rank2_auctions,
          count(DISTINCT auction) FILTER (WHERE price >= 1000000) AS rank3_auctions
        FROM bid GROUP BY 1`,
  q16: `SELECT channel, strftime(dateTime, '%Y-%m-%d') AS day, max(strftime(dateTime, '%H:%M')) AS minute,
          count(*) AS total_bids,
          count(*) FILTER (WHERE price < 10000) AS rank1_bids,
          count(*) FILTER (WHERE price >= 10000 AND price < 1000000) AS rank2_bids,
          count(*) FILTER (WHERE price >= 1000000) AS rank3_bids,
          count(DISTINCT bidder) AS total_bidders,
          count(DISTINCT bidder) FILTER (WHERE price < 10000) AS rank1_bidders,
          count(DISTINCT bidder) FILTER (WHERE price >= 10000 AND price < 1000000) AS rank2_bidders,
          count(DISTINCT bidder) FILTER (WHERE price >= 1000000) AS rank3_bidders,
          count(DISTINCT auction) AS total_auctions,
          count(DISTINCT auction) FILTER (WHERE price < 10000) AS rank1_auctions,
          count(DISTINCT auction) FILTER (WHERE price >= 10000 AND price < 1000000) AS rank2_auctions,
          count(DISTINCT auction) FILTER (WHERE price >= 1000000) AS rank3_auctions
        FROM bid GROUP BY 1, 2`,
  q17: `SELECT auction, strftime(dateTime, '%Y-%m-%d') AS day, count(*) AS total_bids,
          count(*) FILTER (WHERE price < 10000) AS rank1_bids,
          count(*) FILTER (WHERE price >= 10000 AND price < 1000000) AS rank2_bids,
          count(*) FILTER (WHERE price >= 1000000) AS rank3_bids,
          min(price), max(price), avg(price), sum(price)
        FROM bid GROUP BY 1, 2`,
  q18: `SELECT auction, bidder, price, channel, url, dateTime, extra FROM (
          SELECT *, ROW_NUMBER() OVER (PARTITION BY bidder, auction ORDER BY dateTime DESC) AS rank_number FROM bid)
        WHERE rank_number <= 1`,
  q19: `SELECT * FROM (
          SELECT *, ROW_NUMBER() OVER (PARTITION BY auction ORDER BY price DESC) AS rank_number FROM bid)
        WHERE rank_number <= 10`,
  q20: `SELECT auction, bidder, price, channel, url, B.dateTime, B.extra, itemName, description, initialBid,
          reserve, A.dateTime, expires, seller, category, A.extra
        FROM bid B JOIN auction A ON B.auction = A.id WHERE A.category = 10`,
  q21: `SELECT auction, bidder, price, channel,
          CASE WHEN lower(channel) = 'apple' THEN '0' WHEN lower(channel) = 'google' THEN '1'
               WHEN lower(channel) = 'facebook' THEN '2' WHEN lower(channel) = 'baidu' THEN '3'
               ELSE nullif(regexp_extract(url, '(&|^)channel_id=([^&]*)', 2), '') END AS channel_id
        FROM bid
        WHERE nullif(regexp_extract(url, '(&|^)channel_id=([^&]*)', 2), '') IS NOT NULL
           OR lower(channel) IN ('apple', 'google', 'facebook', 'baidu')`,
  q22: `SELECT auction, bidder, price, channel, split_part(url, '/', 4) AS dir1,
          split_part(url, '/', 5) AS dir2, split_part(url, '/', 6) AS dir3 FROM bid`,
};

function cpuSeconds() {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1e6;
}

function rate(perSecond) {
  return perSecond >= 1e6 ? `${(perSecond / 1e6).toFixed(2)} M/s` : `${(perSecond / 1e3).toFixed(0)} k/s`;
}

const [file, ...wanted] = process.argv.slice(2);
if (!file) {
  console.error('usage: node bench/duckdb_reference.mjs EVENTS.jsonl [q0 q1 ...]');
  process.exit(2);
}
const names = wanted.length > 0 ? wanted : Object.keys(QUERIES);

const instance = await DuckDBInstance.create(':memory:');
const connection = await instance.connect();
const loadStart = cpuSeconds();
await connection.run(`
  CREATE TABLE nexmark AS SELECT * FROM read_json('${file}', format = 'newline_delimited', columns = {
    event_type: 'INTEGER',
    person: 'STRUCT(id BIGINT, name VARCHAR, emailAddress VARCHAR, creditCard VARCHAR, city VARCHAR, state VARCHAR, dateTime TIMESTAMP, extra VARCHAR)',
    auction: 'STRUCT(id BIGINT, itemName VARCHAR, description VARCHAR, initialBid BIGINT, reserve BIGINT, dateTime TIMESTAMP, expires TIMESTAMP, seller BIGINT, category BIGINT, extra VARCHAR)',
    bid: 'STRUCT(auction BIGINT, bidder BIGINT, price BIGINT, channel VARCHAR, url VARCHAR, dateTime TIMESTAMP, extra VARCHAR)'
  })`);
const loadCpu = cpuSeconds() - loadStart;
const events = Number((await connection.runAndReadAll('SELECT count(*) FROM nexmark')).getRows()[0][0]);
await connection.run(`CREATE VIEW person AS SELECT UNNEST(person) FROM nexmark WHERE event_type = 0`);
await connection.run(`CREATE VIEW auction AS SELECT UNNEST(auction) FROM nexmark WHERE event_type = 1`);
await connection.run(`CREATE VIEW bid AS SELECT UNNEST(bid) FROM nexmark WHERE event_type = 2`);

for (const name of names) {
  const sql = QUERIES[name];
  if (!sql) {
    console.log(`| ${name} | - | not expressed in DuckDB |`);
    continue;
  }
  const start = cpuSeconds();
  await connection.run(`CREATE OR REPLACE TEMP TABLE result AS ${sql}`);
  const queryCpu = cpuSeconds() - start;
  const rows = Number((await connection.runAndReadAll('SELECT count(*) FROM result')).getRows()[0][0]);
  console.log(`| ${name} | ${rows} | ${queryCpu.toFixed(3)} s | ${rate(events / queryCpu)} | ${rate(events / (queryCpu + loadCpu))} |`);
}
console.log(`\nDuckDB loaded the ${events} events in ${loadCpu.toFixed(2)} s of CPU (${rate(events / loadCpu)} per core).`);
