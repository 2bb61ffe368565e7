// The dashboard in a real browser (Debian's Chromium, driven by playwright-core): every view loads without a
// console error and passes axe-core; what the API does shows on screen within a second; the forms act through
// the control plane. Screenshots of each view are written to .tap/dashboard/ (artefacts).
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import t, { type Test } from 'tap';
import type { Browser, Page } from 'playwright-core';
import { createEmulator, type Emulator } from '../src/emulator.js';
import type { EmulatorOptions } from '../src/emulator.js';

const chromium = '/usr/bin/chromium';
const args = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const skip = !existsSync(chromium) && !process.env.CI ? `no ${chromium} (apt-get install chromium)` : false;
const artefacts = new URL('../.tap/dashboard/', import.meta.url);
const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const postpaid = { 'X-Auth-ID': 'MA_POSTPAID', 'X-Auth-Token': 'postpaid-token' };

let browser: Browser | undefined;
t.before(async () => {
  if (skip) return;
  const { chromium: browserType } = await import('playwright-core');
  browser = await browserType.launch({ executablePath: chromium, args });
  mkdirSync(artefacts, { recursive: true });
});
t.teardown(() => browser?.close());

interface Opened {
  readonly emulator: Emulator;
  readonly tab: Page;
  /** Console errors and page errors seen so far. */
  readonly errors: string[];
}

async function open(t: Test, hash: string, options: EmulatorOptions = {}): Promise<Opened> {
  const emulator = await createEmulator({ port: 0, ...options });
  t.teardown(() => emulator.close());
  const context = await browser!.newContext({ viewport: { width: 1280, height: 900 } });
  t.teardown(() => context.close());
  const tab = await context.newPage();
  const errors: string[] = [];
  tab.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  tab.on('pageerror', (e) => errors.push(e.message));
  await tab.goto(`${emulator.url}/__mock/${hash}`);
  return { emulator, tab, errors };
}

/** axe-core's serious and critical violations on the page as it is (evaluated through the debugger, which the page's CSP does not govern). */
async function axeViolations(tab: Page): Promise<string[]> {
  await tab.evaluate(axeSource);
  // A string: this file is type-checked for Node, without the DOM's names.
  const found = (await tab.evaluate(`axe.run(document).then((r) => r.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.length })))`)) as { id: string; impact: string; nodes: number }[];
  return found.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id} (${v.impact}, ${v.nodes} nodes)`);
}

const views: [name: string, hash: string, heading: string, ready: string][] = [
  ['accounts', '#/default/accounts', 'Accounts', 'MA_POSTPAID'],
  ['account', '#/default/account/MA_POSTPAID', 'John Doe', 'Payment via Razorpay'],
  ['requests', '#/default/requests', 'Requests', 'shown (newest first'],
  ['faults', '#/default/faults', 'Faults', 'No rules'],
  ['clock', '#/default/clock', 'Clock', 'UTC'],
  ['namespace', '#/default/namespace', 'Namespace default', 'Accounts'],
];

for (const [name, hash, heading, ready] of views) {
  t.test(`the ${name} view loads with no console error and no serious axe-core violation`, { skip }, async (t) => {
    const { tab, errors } = await open(t, hash);
    await tab.getByRole('heading', { level: 1, name: heading }).waitFor({ timeout: 10_000 });
    await tab.getByText(ready, { exact: false }).first().waitFor({ timeout: 10_000 });
    await tab.waitForTimeout(300);
    await tab.screenshot({ path: new URL(`${name}.png`, artefacts).pathname, fullPage: true });
    t.same(await axeViolations(tab), [], 'axe-core: no serious or critical violation');
    t.same(errors, [], 'no console error');
  });
}

t.test('a purchase made through the API shows in the ledger view and in the journal tail within a second', { skip }, async (t) => {
  const { emulator, tab, errors } = await open(t, '#/default/account/MA_POSTPAID');
  await tab.getByText('Payment via Razorpay').first().waitFor({ timeout: 10_000 });
  const second = await browser!.newPage();
  t.teardown(() => second.close());
  await second.goto(`${emulator.url}/__mock/#/default/requests`);
  await second.getByText('0 shown', { exact: false }).waitFor({ timeout: 10_000 });
  const res = await fetch(`${emulator.url}/api/v1/accounts/MA_POSTPAID/channel-subscriptions`, { method: 'POST', headers: { ...postpaid, 'Content-Type': 'application/json' }, body: JSON.stringify({ resource_type: 'concurrent_calls', quantity: 10 }) });
  t.equal(res.status, 201);
  const bought = Date.now();
  await tab.getByRole('cell', { name: 'Capacity subscription: 10 concurrent calls, first month' }).waitFor({ timeout: 1000 });
  await second.getByRole('cell', { name: '/api/v1/accounts/MA_POSTPAID/channel-subscriptions' }).waitFor({ timeout: Math.max(1, 1000 - (Date.now() - bought)) });
  t.ok(Date.now() - bought <= 1000, 'both within a second');
  await second.getByRole('button', { name: '1', exact: true }).click();
  const detail = second.getByRole('region', { name: /Request #1: POST/ });
  await detail.waitFor({ timeout: 2000 });
  const text = (await detail.textContent()) ?? '';
  t.match(text, /"x-auth-token": "\[redacted\]"/, 'the entry opens to its headers, the token redacted');
  t.notMatch(text, /postpaid-token/);
  t.same(errors, []);
});

t.test('a fault created in the form fails the next API call as the rule says, and its hit count rises on screen', { skip }, async (t) => {
  const { emulator, tab, errors } = await open(t, '#/default/faults');
  await tab.getByLabel('Operation').locator('option', { hasText: 'getBalance' }).first().waitFor({ state: 'attached', timeout: 10_000 });
  await tab.getByLabel('Operation').selectOption('getBalance');
  await tab.getByLabel('Status').fill('503');
  await tab.getByLabel('Catalogue code').selectOption('SERVICE_UNAVAILABLE');
  await tab.getByLabel('Retry-After (s)').fill('7');
  await tab.getByLabel('Times').fill('1');
  await tab.getByRole('button', { name: 'Add rule' }).click();
  await tab.getByText('Rule added').waitFor({ timeout: 5000 });
  const hits = tab.locator('td.hits').first();
  t.equal(await hits.textContent(), '0');
  const failed = await fetch(`${emulator.url}/api/v1/Account/MA_POSTPAID/balance/INR`, { headers: postpaid });
  t.equal(failed.status, 503);
  t.equal(failed.headers.get('retry-after'), '7');
  t.equal(((await failed.json()) as { error: { code: string } }).error.code, 'SERVICE_UNAVAILABLE');
  await tab.locator('td.hits', { hasText: '1' }).waitFor({ timeout: 2000 });
  const next = await fetch(`${emulator.url}/api/v1/Account/MA_POSTPAID/balance/INR`, { headers: postpaid });
  t.equal(next.status, 200, 'times: 1 (the rule is spent)');
  await tab.getByRole('button', { name: /Delete fault_/ }).click();
  await tab.getByText('No rules').waitFor({ timeout: 5000 });
  t.same(errors, []);
});

t.test('a clock advance from the page shows the renewal it applied, and the ledger its entry', { skip }, async (t) => {
  const { emulator, tab, errors } = await open(t, '#/default/clock');
  await emulator.control().freeze('2026-12-01T00:00:00Z');
  const res = await fetch(`${emulator.url}/api/v1/accounts/MA_POSTPAID/channel-subscriptions`, { method: 'POST', headers: { ...postpaid, 'Content-Type': 'application/json' }, body: JSON.stringify({ resource_type: 'cps', quantity: 3 }) });
  t.equal(res.status, 201);
  await tab.getByText('frozen').waitFor({ timeout: 5000 });
  await tab.getByRole('button', { name: '+30 days' }).click();
  const row = tab.locator('table.applied tbody tr').first();
  await row.waitFor({ timeout: 5000 });
  t.same(await row.locator('td').allTextContents(), ['P30D', '2026-12-31 00:00:00 UTC', '1', '0'], 'one renewal applied, none failed');
  await tab.goto(`${emulator.url}/__mock/#/default/account/MA_POSTPAID`);
  await tab.getByRole('cell', { name: 'Capacity subscription: 3 CPS, renewal' }).waitFor({ timeout: 5000 });
  t.same(errors, []);
});

t.test('with --admin-token the page asks for the token, and works after it', { skip }, async (t) => {
  const { tab, errors } = await open(t, '#/default/accounts', { adminToken: 'dash-secret' });
  await tab.getByRole('heading', { name: 'Admin token' }).waitFor({ timeout: 10_000 });
  await tab.getByLabel('Token').fill('wrong');
  await tab.getByRole('button', { name: 'Continue' }).click();
  await tab.getByText('The control plane refused that token.').waitFor({ timeout: 5000 });
  await tab.getByLabel('Token').fill('dash-secret');
  await tab.getByRole('button', { name: 'Continue' }).click();
  await tab.getByRole('link', { name: 'MA_POSTPAID' }).waitFor({ timeout: 5000 });
  await tab.reload();
  await tab.getByRole('link', { name: 'MA_POSTPAID' }).waitFor({ timeout: 5000 });
  t.pass('kept for the tab: a reload does not ask again');
  // The browser logs each refused call (401) as a console error: those are the only ones.
  t.same(errors.filter((e) => !/status of 401/.test(e)), []);
});

t.test('the accounts view shows its first page within a second with --generate 1000000', { skip }, async (t) => {
  const { tab, errors, emulator } = await open(t, '#/default/accounts?page=2', { generate: 1_000_000 });
  const started = Date.now();
  await tab.reload();
  await tab.getByText('1,000,008 accounts', { exact: false }).waitFor({ timeout: 5000 });
  t.ok(Date.now() - started < 1000, `first page in ${Date.now() - started} ms`);
  t.equal(await tab.locator('table.accounts tbody tr').count(), 25);
  const ns = (await emulator.control().namespaces()).namespaces[0]!;
  t.ok((ns['accounts_in_memory'] as number) < 30, 'reading a page does not make its accounts');
  t.same(errors, []);
});

t.test('the ledger filters as the transactions call does, and a bad filter shows the call\'s own words', { skip }, async (t) => {
  const { tab, errors } = await open(t, '#/default/account/MA_POSTPAID');
  await tab.getByText('13 entries', { exact: false }).waitFor({ timeout: 10_000 });
  await tab.getByLabel('Type', { exact: true }).selectOption('credit');
  await tab.getByLabel('Status', { exact: true }).selectOption('completed');
  await tab.getByLabel('Description holds').fill('razorpay');
  await tab.getByRole('form', { name: 'Filter the ledger' }).getByRole('button', { name: 'Filter' }).click();
  await tab.getByText('2 entries', { exact: false }).waitFor({ timeout: 2000 });
  t.same(await tab.locator('table.ledger tbody tr td:nth-child(4)').allTextContents(), ['Payment via Razorpay', 'Payment via Razorpay']);
  t.match(tab.url(), /type=credit&status=completed/, 'in the address');
  await tab.getByLabel('From').fill('2026-13-01');
  await tab.getByRole('form', { name: 'Filter the ledger' }).getByRole('button', { name: 'Filter' }).click();
  await tab.getByText('invalid from_date "2026-13-01": expected YYYY-MM-DD or an RFC 3339 date-time', { exact: false }).waitFor({ timeout: 2000 });
  // The browser logs the refused call (422) itself: that is the only console error.
  t.same(errors.filter((e) => !/status of 422/.test(e)), []);
});

t.test('a failed call shows the control plane\'s message, never a blank panel', { skip }, async (t) => {
  const { tab } = await open(t, '#/default/account/MA_NOBODY');
  const alert = tab.getByRole('alert');
  await alert.waitFor({ timeout: 10_000 });
  t.equal(await alert.textContent(), '404 NOT_FOUND: No account MA_NOBODY in namespace default');
  t.ok(await tab.getByRole('link', { name: 'All accounts' }).isVisible(), 'and a way back');
});

t.test('the journal tail filters by status and path (a deep link), and opens an entry by keyboard', { skip }, async (t) => {
  const { emulator, tab, errors } = await open(t, '#/default/requests?status=401');
  await tab.getByText('0 shown', { exact: false }).waitFor({ timeout: 10_000 });
  t.equal(await tab.getByLabel('Status', { exact: true }).inputValue(), '401', 'the form shows the link\'s filter');
  await fetch(`${emulator.url}/api/v1/auth/me`, { headers: postpaid });
  await fetch(`${emulator.url}/api/v1/auth/me`, { headers: { 'X-Auth-ID': 'MA_POSTPAID', 'X-Auth-Token': 'wrong' } });
  await tab.getByText('1 shown', { exact: false }).waitFor({ timeout: 2000 });
  t.same(await tab.locator('table.requests tbody tr td:nth-child(5)').allTextContents(), ['401']);
  await tab.getByLabel('Status', { exact: true }).fill('');
  await tab.getByLabel('Path').fill('/api/v1/auth/*');
  await tab.getByRole('button', { name: 'Filter' }).click();
  await tab.getByText('2 shown', { exact: false }).waitFor({ timeout: 2000 });
  t.match(tab.url(), /#\/default\/requests\?path=%2Fapi%2Fv1%2Fauth%2F\*$/, 'the filter is in the address');
  const first = tab.getByRole('button', { name: '2', exact: true });
  await first.focus();
  await tab.keyboard.press('Enter');
  await tab.getByRole('region', { name: /Request #2: GET \/api\/v1\/auth\/me → 401/ }).waitFor({ timeout: 2000 });
  t.same(errors, []);
});

t.test('the namespace view resets the namespace and downloads its snapshot', { skip }, async (t) => {
  const { emulator, tab, errors } = await open(t, '#/worker-7/namespace');
  const control = emulator.control('worker-7');
  await control.setBalance('MA_PREPAID1', 'INR', 1);
  await tab.getByText('Accounts').first().waitFor({ timeout: 10_000 });
  const [download] = await Promise.all([tab.waitForEvent('download'), tab.getByRole('button', { name: 'Download snapshot' }).click()]);
  t.equal(download.suggestedFilename(), 'vobiz-mock-worker-7-snapshot.json');
  const snapshot = JSON.parse(readFileSync((await download.path())!, 'utf8')) as { namespace: string; accounts: { account: { auth_id: string } }[] };
  t.equal(snapshot.namespace, 'worker-7');
  t.ok(snapshot.accounts.some((a) => a.account.auth_id === 'MA_PREPAID1'), 'the changed account is in it');
  tab.once('dialog', (dialog) => void dialog.accept());
  await tab.getByRole('button', { name: 'Reset' }).click();
  await tab.getByText('Reset to the seeds').waitFor({ timeout: 5000 });
  const balance = (await control.account('MA_PREPAID1')).balances[0]!;
  t.equal(balance['balance'], 3082.65, 'back to its seed');
  t.same(errors, []);
});

t.test('the account view screenshot for the README', { skip }, async (t) => {
  const { tab } = await open(t, '#/default/account/MA_POSTPAID');
  await tab.getByText('Payment via Razorpay').first().waitFor({ timeout: 10_000 });
  await tab.waitForTimeout(300);
  await tab.screenshot({ path: new URL('account-readme.png', artefacts).pathname, clip: { x: 0, y: 0, width: 1280, height: 900 } });
  t.pass('written');
});
