// Browser tests of the web application: Playwright (npm playwright-core)
// driving Debian's Chromium headless against `rapport serve` on a store made
// from tests/fixtures/bank.json, one user per role.  Screenshots are kept in
// BUILD/web-shots as test artefacts.
//   node web/tests/browser.mjs [BUILD_DIR]      (make test runs it)
// Ends with "web: N passed, M failed"; exits 1 if any failed.
import { chromium } from 'playwright-core';
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const build = resolve(process.argv[2] || join(root, 'build'));
const rapport = join(build, 'rapport');
const shots = join(build, 'web-shots');
const chromiumPath = process.env.CHROMIUM || '/usr/bin/chromium';
const password = 'a long password 1';
const roles = ['teller', 'rm', 'csr', 'tsr', 'supervisor', 'analyst', 'steward', 'admin', 'auditor'];

const tmp = mkdtempSync(join(tmpdir(), 'rapport-web-'));
const env = { ...process.env, RAPPORT_DB: join(tmp, 'web.db'), RAPPORT_PROGRESS: 'never', RAPPORT_USER: 'web-test' };
const cli = (args, input) => execFileSync(rapport, args, { env, input, encoding: 'utf8' });

cli(['init']);
cli(['import', join(root, 'tests', 'fixtures', 'bank.json')]);
for (const r of roles) cli(['user', 'add', `w-${r}`, '--role', r, ...(r === 'teller' || r === 'rm' ? ['--branch', '0345'] : [])], password + '\n');
mkdirSync(shots, { recursive: true });

const server = spawn(rapport, ['serve', '--listen', '127.0.0.1:0', '--port-file', join(tmp, 'port'), '--static', join(build, 'web')],
  { env, stdio: ['ignore', 'ignore', 'pipe'] });
let port = '';
for (let i = 0; i < 100 && !port; i++) {
  await new Promise((r) => setTimeout(r, 100));
  if (existsSync(join(tmp, 'port'))) port = readFileSync(join(tmp, 'port'), 'utf8').trim();
}
if (!port) throw new Error('rapport serve did not start');
const base = `http://127.0.0.1:${port}/`;
const browser = await chromium.launch({ executablePath: chromiumPath, args: ['--no-sandbox'] });

class Failure extends Error {}
const expect = (cond, what) => { if (!cond) throw new Failure(what); };

async function signIn(page, role, lang = 'zh-TW') {
  await page.goto(base);
  await page.evaluate((l) => localStorage.setItem('rapport.lang', l), lang);
  await page.reload();
  await page.fill('input[name=name]', `w-${role}`);
  await page.fill('input[name=password]', password);
  await page.click('button[type=submit]');
  await page.waitForSelector('[data-test=who]');
}

async function openCustomer(page, query, name) {
  await page.fill('header [data-test=search]', query);
  await page.waitForSelector(`header [data-test=hits] >> text=${name}`);
  await page.click(`header [data-test=hits] >> text=${name}`);
  await page.waitForSelector('[data-test=customer] [data-test=name]');
}

const tests = [
  ['a wrong password is refused with a message', async (page) => {
    await page.goto(base);
    await page.fill('input[name=name]', 'w-csr');
    await page.fill('input[name=password]', 'not the password');
    await page.click('button[type=submit]');
    const msg = await page.textContent('[role=alert]');
    expect(msg.includes('wrong user name or password'), `message was: ${msg}`);
  }],
  ...roles.map((role) => [`${role} signs in and sees what the role allows`, async (page) => {
    await signIn(page, role);
    const who = await page.textContent('[data-test=who]');
    expect(who.includes(`w-${role}`), `header: ${who}`);
    const perms = (await page.evaluate(() => fetch('/api/v1/session').then((r) => r.json()))).permissions;
    const hasSearch = (await page.$('header [data-test=search]')) !== null;
    expect(hasSearch === perms.includes('search'), `search box ${hasSearch} with permissions ${perms}`);
    if (!perms.includes('search') && perms.includes('analysis')) await page.waitForSelector('[data-test=runs]');
    await page.screenshot({ path: join(shots, `role-${role}.png`) });
  }]),
  ['a CSR finds a customer as she types and opens the 360, masked', async (page) => {
    await signIn(page, 'csr');
    await openCustomer(page, '陳怡', '陳怡君');
    const ids = await page.textContent('[data-test=identifiers-table]');
    expect(ids.includes('A22****781') && !ids.includes('A223456781'), `identifiers: ${ids}`);
    expect((await page.$('[data-test=reveal]')) === null, 'a CSR has no reveal button');
    const accounts = await page.textContent('[data-test=accounts]');
    expect(accounts.includes('1,287,654.32 TWD'), `accounts: ${accounts}`);
    for (const part of ['related', 'transactions', 'notes', 'consents', 'lineage', 'preferences', 'changes'])
      expect((await page.$(`[data-test=${part}]`)) !== null, `no ${part} section`);
    await page.screenshot({ path: join(shots, 'customer-zh-TW.png'), fullPage: true });
  }],
  ['search by phone and by national ID finds the one customer', async (page) => {
    await signIn(page, 'csr');
    for (const q of ['0912-345-678', 'A223456781']) {
      await page.fill('header [data-test=search]', q);
      await page.waitForSelector('header [data-test=hits] >> text=陳怡君');
      expect((await page.$$('header [data-test=hits] li')).length === 1, `one hit for ${q}`);
    }
  }],
  ['a supervisor reveals with a reason, and the audit trail has it', async (page) => {
    await signIn(page, 'supervisor');
    await page.goto(base + '#/customer/1');
    await page.click('[data-test=reveal]');
    await page.fill('[data-test=reveal-form] input[name=reason]', '客戶臨櫃申請對帳單');
    await page.click('[data-test=reveal-form] button[type=submit]');
    await page.waitForSelector('[data-test=revealed]');
    const ids = await page.textContent('[data-test=identifiers-table]');
    expect(ids.includes('A223456781'), `identifiers: ${ids}`);
    await page.screenshot({ path: join(shots, 'reveal.png'), fullPage: true });
    const trail = JSON.parse(cli(['audit', '--customer', '1', '--action', 'reveal', '--json']));
    expect(trail.some((e) => e.user === 'w-supervisor' && e.reason === '客戶臨櫃申請對帳單'), 'no reveal entry in the audit trail');
  }],
  ['a CSR adds a note, changes a phone and a preference; the history shows who', async (page) => {
    await signIn(page, 'csr');
    await page.goto(base + '#/customer/1');
    await page.waitForSelector('[data-test=note-form]');
    await page.fill('[data-test=note-form] textarea', '客戶提到女兒考上大學，下月生日');
    await page.click('[data-test=note-form] button[type=submit]');
    await page.waitForSelector('[data-test=notes] >> text=客戶提到女兒考上大學');
    await page.fill('[data-test=contact-form] input[name=value]', '0988 123 456');
    await page.fill('[data-test=contact-form] input[name=reason]', '客戶換號');
    await page.click('[data-test=contact-form] button[type=submit]');
    await page.waitForSelector('[data-test=changes] >> text=+886988123456');
    await page.selectOption('[data-test=prefs-form] select[name=language]', 'en');
    await page.click('[data-test=prefs-form] button[type=submit]');
    await page.waitForSelector('[data-test=changes] >> text=language');
    const changes = await page.textContent('[data-test=changes]');
    expect(changes.includes('w-csr'), `changes: ${changes}`);
    await page.fill('[data-test=contact-form] input[name=value]', '12');
    await page.click('[data-test=contact-form] button[type=submit]');
    const err = await page.textContent('[data-test=contact-form] [role=alert]');
    expect(err.includes('body.value'), `error: ${err}`);
    await page.screenshot({ path: join(shots, 'note-and-changes.png'), fullPage: true });
  }],
  ['a teller of another branch is refused the customer', async (page) => {
    await signIn(page, 'teller');
    await page.goto(base + '#/customer/1');
    const err = await page.textContent('[data-test=customer-error]');
    expect(err.includes('another branch'), `error: ${err}`);
  }],
  ['the language switches to English and back, dates in Taipei time', async (page) => {
    await signIn(page, 'csr');
    await page.goto(base + '#/customer/1');
    await page.waitForSelector('[data-test=transactions]');
    expect((await page.textContent('header')).includes('登出'), 'zh-TW first');
    await page.click('[data-test=lang]');
    await page.waitForSelector('header >> text=Sign out');
    const tx = await page.textContent('[data-test=transactions]');
    /* 2026-11-12T02:20:00Z is 10:20 in Taipei */
    expect(tx.includes('12/11/2026, 10:20') || tx.includes('12/11/2026 10:20'), `transactions: ${tx}`);
    await page.screenshot({ path: join(shots, 'customer-en.png'), fullPage: true });
    await page.click('[data-test=lang]');
    await page.waitForSelector('header >> text=登出');
  }],
];

let pass = 0;
let fail = 0;
const only = process.env.WEB_TEST;
for (const [name, fn] of tests) {
  if (only && !name.includes(only)) continue;
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 }, timezoneId: 'Europe/London' });
  const page = await context.newPage();
  page.setDefaultTimeout(10000);
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  try {
    await fn(page);
    if (errors.length) throw new Failure(`errors in the page: ${errors.join('; ')}`);
    console.log(`ok - ${name}`);
    pass++;
  } catch (e) {
    console.log(`not ok - ${name}\n    ${String(e.message || e).split('\n').slice(0, 6).join('\n    ')}`);
    await page.screenshot({ path: join(shots, `failed-${pass + fail}.png`), fullPage: true }).catch(() => {});
    fail++;
  }
  await context.close();
}
await browser.close();
server.kill('SIGTERM');
await new Promise((r) => server.on('exit', r));
rmSync(tmp, { recursive: true, force: true });
console.log(`web: ${pass} passed, ${fail} failed`);
process.exit(fail ? 1 : 0);
