// The dashboard in Firefox (Debian's firefox-esr), driven through WebDriver BiDi, the protocol Firefox itself
// speaks (Playwright's Firefox needs its own patched build): each view renders its data with no console error
// and no uncaught exception.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import WebSocket from 'ws';
import { createEmulator } from '../src/emulator.js';

const firefox = '/usr/bin/firefox-esr';
// .ci/run installs it; elsewhere the test says what it needs.
const skip = !existsSync(firefox) && !process.env.CI ? `no ${firefox} (apt-get install firefox-esr)` : false;

/** A WebDriver BiDi session over one WebSocket: commands by id, events to a listener. */
class Bidi {
  #next = 0;
  readonly #waiting = new Map<number, { resolve: (v: Record<string, unknown>) => void; reject: (e: Error) => void }>();
  constructor(
    private readonly socket: WebSocket,
    onEvent: (method: string, params: Record<string, unknown>) => void,
  ) {
    socket.on('message', (data) => {
      const message = JSON.parse(String(data)) as { id?: number; type: string; method?: string; params?: Record<string, unknown>; result?: Record<string, unknown>; error?: string; message?: string };
      if (message.id !== undefined) {
        const waiter = this.#waiting.get(message.id);
        this.#waiting.delete(message.id);
        if (message.type === 'error') waiter?.reject(new Error(`${message.error}: ${message.message}`));
        else waiter?.resolve(message.result ?? {});
      } else if (message.method) onEvent(message.method, message.params ?? {});
    });
  }
  send(method: string, params: Record<string, unknown> = {}): Promise<Record<string, unknown>> {
    const id = ++this.#next;
    return new Promise((resolve, reject) => {
      this.#waiting.set(id, { resolve, reject });
      this.socket.send(JSON.stringify({ id, method, params }));
    });
  }
}

/** The address Firefox says its WebDriver BiDi server listens on (it chose the port: --remote-debugging-port=0). */
function listening(stderr: NodeJS.ReadableStream): Promise<string> {
  return new Promise((resolve, reject) => {
    let seen = '';
    const timer = setTimeout(() => reject(new Error(`Firefox did not start WebDriver BiDi: ${seen.slice(-500)}`)), 30_000);
    stderr.on('data', (chunk: Buffer) => {
      seen += chunk.toString();
      const found = /WebDriver BiDi listening on (ws:\/\/\S+)/.exec(seen);
      if (found) {
        clearTimeout(timer);
        resolve(found[1]!);
      }
    });
  });
}

const views: [hash: string, shows: string][] = [
  ['#/default/accounts', 'Trial Tester'],
  ['#/default/account/MA_POSTPAID', 'Payment via Razorpay'],
  ['#/default/requests', 'shown (newest first'],
  ['#/default/faults', 'No rules'],
  ['#/default/clock', 'What each advance applied'],
  ['#/default/namespace', 'Download snapshot'],
];

t.test('every view renders its data in Firefox, with no console error and no uncaught exception', { skip }, async (t) => {
  const emulator = await createEmulator({ port: 0 });
  t.teardown(() => emulator.close());
  const profile = mkdtempSync(join(tmpdir(), 'vobiz-mock-firefox-'));
  t.teardown(() => rmSync(profile, { recursive: true, force: true }));
  // Firefox's sandbox needs namespaces a container may not give; the page is our own.
  const env = { ...process.env, MOZ_DISABLE_CONTENT_SANDBOX: '1', MOZ_DISABLE_GMP_SANDBOX: '1', MOZ_DISABLE_RDD_SANDBOX: '1', MOZ_DISABLE_SOCKET_PROCESS_SANDBOX: '1' };
  const browser = spawn(firefox, ['--headless', '--no-remote', '--profile', profile, '--remote-debugging-port=0', 'about:blank'], { env, stdio: ['ignore', 'ignore', 'pipe'] });
  t.teardown(() => void browser.kill('SIGKILL'));
  const socket = new WebSocket(`${await listening(browser.stderr!)}/session`);
  await new Promise((resolve, reject) => {
    socket.once('open', resolve);
    socket.once('error', reject);
  });
  t.teardown(() => socket.close());
  const problems: string[] = [];
  const bidi = new Bidi(socket, (method, params) => {
    if (method === 'log.entryAdded' && (params['level'] === 'error' || params['type'] === 'javascript')) problems.push(String(params['text']));
  });
  await bidi.send('session.new', { capabilities: {} });
  await bidi.send('session.subscribe', { events: ['log.entryAdded'] });
  const tree = (await bidi.send('browsingContext.getTree')) as { contexts: { context: string }[] };
  const context = tree.contexts[0]!.context;
  const text = async () =>
    ((await bidi.send('script.evaluate', { expression: 'document.body.innerText', target: { context }, awaitPromise: false })) as { result: { value?: string } }).result.value ?? '';
  for (const [hash, shows] of views) {
    await bidi.send('browsingContext.navigate', { context, url: `${emulator.url}/__mock/${hash}`, wait: 'complete' });
    let seen = '';
    for (let i = 0; i < 100 && !seen.includes(shows); i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      seen = await text();
    }
    t.match(seen, shows, `${hash} shows ${shows}`);
  }
  t.same(problems, [], 'no console error, no uncaught exception');
  await bidi.send('session.end').catch(() => undefined);
});
