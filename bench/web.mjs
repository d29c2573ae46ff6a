// The page loads of bench/web.sh: node bench/web.mjs RAPPORT_URL NGINX_URL CUSTOMER JOB [RUNS]
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(join(dirname(fileURLToPath(import.meta.url)), '..', 'web', 'package.json'));
const { chromium } = require('playwright-core');
const [base, nginx, cust, job, runsArg] = process.argv.slice(2);
const password = 'a long password 1';
const runs = Math.max(1, Number(runsArg) || 5);
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });

// A signed-in context's cookies, made once per user and given to each cold context.
const cookies = {};
async function signedIn(user) {
  if (!cookies[user]) {
    const c = await browser.newContext();
    const r = await c.request.post(base + 'api/v1/session', { data: { name: user, password } });
    if (!r.ok()) throw new Error(`${user}: sign-in ${r.status()}`);
    cookies[user] = await c.cookies();
    await c.close();
  }
  return cookies[user];
}

// ms from the address to the selector, cold: a fresh context each time.
async function load(url, ready, user, act) {
  const times = [];
  for (let i = 0; i < runs; i++) {
    const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    if (user) await context.addCookies(await signedIn(user));
    const page = await context.newPage();
    const t0 = performance.now();
    await page.goto(url);
    if (act) await act(page);
    await page.waitForSelector(ready, { timeout: 30000 });
    times.push(performance.now() - t0);
    await context.close();
  }
  times.sort((a, b) => a - b);
  return { median: times[Math.floor(times.length / 2)], max: times[times.length - 1] };
}

const screens = [
  ['sign-in page (rapport serve)', base, 'input[name=name]'],
  ['sign-in page (nginx, same files)', nginx, 'input[name=name]'],
  ['CSR: customer 360', `${base}#/customer/${cust}`, '[data-test=transactions] tbody tr', 'bench-csr'],
  ['CSR: search as you type', base, '[data-test=hits] li a', 'bench-csr',
    (p) => p.waitForSelector('[data-test=search]').then(() => p.fill('[data-test=search]', '陳怡'))],
  ['analyst: Pareto dashboard', `${base}#/dashboards/pareto`, '[data-test=chart][data-ready="1"] svg', 'bench-analyst'],
  ['analyst: RFM dashboard', `${base}#/dashboards/rfm`, '[data-test=chart][data-ready="1"] svg', 'bench-analyst'],
  ['analyst: migration dashboard', `${base}#/dashboards/migration`, '[data-test=chart][data-ready="1"] svg', 'bench-analyst'],
  ['steward: load jobs', `${base}#/jobs`, '[data-test=jobs-table] tbody tr', 'bench-steward'],
  ['steward: a job\'s rejects', `${base}#/jobs/${job}`, '[data-test=rejects-table] tbody tr', 'bench-steward'],
  ['auditor: audit trail', `${base}#/audit`, '[data-test=audit-table] tbody tr', 'bench-auditor'],
];
const rows = [];
for (const [name, url, ready, user, act] of screens) rows.push([name, await load(url, ready, user, act)]);
await browser.close();
const w = Math.max(...rows.map((r) => r[0].length));
console.log(`${'screen'.padEnd(w)}  median ms  max ms  under 1 s`);
for (const [name, r] of rows)
  console.log(`${name.padEnd(w)}  ${r.median.toFixed(0).padStart(9)}  ${r.max.toFixed(0).padStart(6)}  ${r.max < 1000 ? 'yes' : 'NO'}`);
const shell = rows[0][1].median / rows[1][1].median;
console.log(`the sign-in page from rapport serve takes ${shell.toFixed(2)} times as long as from nginx (median)`);
const slow = rows.filter(([, r]) => r.max >= 1000);
console.log(slow.length ? `over a second: ${slow.map((r) => r[0]).join(', ')}` : 'every screen loaded in under a second');
