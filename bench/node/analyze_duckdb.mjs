// RFM and Pareto in DuckDB (npm @duckdb/node-api) on its own in-memory copy
// of the transactions, for bench/analyze.sh.  Loading is not timed.
// usage: node analyze_duckdb.mjs CSV AS_OF FROM   (CSV: customer,day,value)
import { DuckDBInstance } from '@duckdb/node-api';
const [csv, asOf, from] = process.argv.slice(2);
const db = await DuckDBInstance.create(':memory:');
const c = await db.connect();
await c.run(`CREATE TABLE t AS SELECT * FROM read_csv('${csv}', header = false,
             columns = {'customer': 'INTEGER', 'day': 'DATE', 'value': 'BIGINT'})`);
const t0 = performance.now();
// the same rules as Rapport: recency from the last purchase ever up to AS_OF;
// frequency and monetary in [FROM, AS_OF]; score = 1 + floor(5 * below / n),
// below = customers strictly worse
const rfm = await c.runAndReadAll(`
  WITH c AS (
    SELECT customer, DATE '${asOf}' - max(day) AS recency,
           count(*) FILTER (WHERE day >= DATE '${from}') AS frequency,
           coalesce(sum(value) FILTER (WHERE day >= DATE '${from}'), 0) AS monetary
    FROM t WHERE day <= DATE '${asOf}' GROUP BY customer),
  s AS (
    SELECT 1 + (5 * (rank() OVER (ORDER BY recency DESC) - 1)) // count(*) OVER () AS r,
           1 + (5 * (rank() OVER (ORDER BY frequency) - 1)) // count(*) OVER () AS f,
           1 + (5 * (rank() OVER (ORDER BY monetary) - 1)) // count(*) OVER () AS m
    FROM c)
  SELECT 100 * r + 10 * f + m AS cell, count(*) AS n FROM s GROUP BY cell ORDER BY cell DESC`);
const pareto = await c.runAndReadAll(`
  WITH c AS (SELECT customer, sum(value) AS v FROM t WHERE day BETWEEN DATE '${from}' AND DATE '${asOf}'
             GROUP BY customer),
       r AS (SELECT v, row_number() OVER (ORDER BY v DESC) AS k, count(*) OVER () AS n, sum(v) OVER () AS total FROM c)
  SELECT sum(CASE WHEN k <= floor(0.2 * n) THEN v
                  WHEN k = floor(0.2 * n) + 1 THEN v * (0.2 * n - floor(0.2 * n)) ELSE 0 END) / any_value(total)
  FROM r`);
const ms = performance.now() - t0;
const cells = rfm.getRows().map(r => `${r[0]}:${r[1]}`).join(' ');
console.log(JSON.stringify({ seconds: ms / 1000, top20: Number(pareto.getRows()[0][0]), cells }));
