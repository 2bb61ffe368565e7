import { existsSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import t, { type Test } from 'tap';
import { createEmulator } from '../src/emulator.js';

const chromium = '/usr/bin/chromium';
const args = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
// .ci/run installs Debian's Chromium; elsewhere the browser tests need it too, and say so when it is missing.
const skip = !existsSync(chromium) && !process.env.CI ? `no ${chromium} (apt-get install chromium)` : false;

t.test('a page on another origin calls GET /api/v1/auth/me with the pair and reads the body', { skip }, async (t) => {
  const { chromium: browserType } = await import('playwright-core');
  const emulator = await createEmulator({ port: 0 });
  t.teardown(() => emulator.close());
  const page = `<!doctype html><title>app</title><pre id="out">waiting</pre><script>
    fetch(${JSON.stringify(`${emulator.url}/api/v1/auth/me`)}, { headers: { 'X-Auth-ID': 'MA_POSTPAID', 'X-Auth-Token': 'postpaid-token', 'Content-Type': 'application/json', 'X-Request-Id': 'from-the-browser' } })
      .then(async (r) => { document.getElementById('out').textContent = r.status + ' ' + r.headers.get('x-request-id') + ' ' + (await r.json()).auth_id; })
      .catch((e) => { document.getElementById('out').textContent = 'failed: ' + e; });
  </script>`;
  const site = createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end(page)).listen(0, '127.0.0.1');
  await new Promise((resolve) => site.once('listening', resolve));
  t.teardown(() => new Promise((resolve) => site.close(resolve)));
  const browser = await browserType.launch({ executablePath: chromium, args });
  t.teardown(() => browser.close());
  const tab = await browser.newPage();
  // localhost, not 127.0.0.1: another origin than the emulator's, so the browser asks for CORS (and preflights the custom headers).
  await tab.goto(`http://localhost:${(site.address() as AddressInfo).port}/`);
  await tab.waitForFunction("document.getElementById('out').textContent !== 'waiting'", undefined, { timeout: 10_000 });
  t.equal(await tab.textContent('#out'), '200 from-the-browser MA_POSTPAID', 'status, an exposed header and the body, from another origin');
});

/** Swagger UI of a fresh emulator in Chromium, loaded (its pre-authorization note shown). */
async function openDocs(t: Test, path: string) {
  const { chromium: browserType } = await import('playwright-core');
  const emulator = await createEmulator({ port: 0 });
  t.teardown(() => emulator.close());
  const browser = await browserType.launch({ executablePath: chromium, args });
  t.teardown(() => browser.close());
  const tab = await browser.newPage();
  await tab.goto(`${emulator.url}${path}`);
  await tab.getByText('pre-authorized as the seeded account', { exact: false }).waitFor({ timeout: 15_000 });
  return tab;
}

t.test('/docs: "Try it out" on GET /api/v1/auth/me answers 200 at once, pre-authorized', { skip }, async (t) => {
  const tab = await openDocs(t, '/docs#/Account/getAccount');
  const operation = tab.locator('#operations-Account-getAccount');
  await operation.locator('.try-out__btn').click();
  await operation.locator('.execute').click();
  const status = operation.locator('.live-responses-table .response .response-col_status').first();
  await status.waitFor({ timeout: 10_000 });
  t.equal((await status.textContent())?.trim().slice(0, 3), '200');
  const body = await operation.locator('.live-responses-table .response-col_description pre').first().textContent();
  t.match(body ?? '', /"auth_id": "MA_POSTPAID"/, 'the account the page is authorized as');
});

t.test('/docs: the control plane has its own section (its own document, chosen in the top bar)', { skip }, async (t) => {
  const tab = await openDocs(t, '/docs');
  const select = tab.locator('.topbar select');
  t.same(await select.locator('option').allTextContents(), ['Vobiz Account API (emulated)', 'vobiz-mock control plane (/__mock/v1)']);
  await select.selectOption({ label: 'vobiz-mock control plane (/__mock/v1)' });
  await tab.locator('#operations-Namespaces-reset').waitFor({ timeout: 10_000 });
  t.ok(await tab.getByText('The emulator\'s own API for test suites', { exact: false }).isVisible(), 'its own description');
  t.equal(await tab.locator('#operations-Account-getAccount').count(), 0, 'not mixed with the Vobiz operations');
});
