/**
 * The behaviour corpus: whole responses (status, headers but dates and request ids, bodies) of every endpoint
 * for every seeded account and 200 generated ones, and of control-plane sequences (purchases, calls, clock
 * moves, faults, snapshots, the journal), all over real sockets on a fixed clock. A change that must not change
 * behaviour is proven by the same corpus, byte for byte (test/corpus.test.ts).
 *
 *   npx tsx scripts/corpus.ts            writes test/corpus/responses.jsonl.gz (the recorded corpus)
 *   npx tsx scripts/corpus.ts --check    compares a fresh corpus with the recorded one
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { gunzipSync, gzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { createEmulator, type Emulator } from '../src/emulator.js';
import { bearerToken } from '../src/domain/bearer.js';
import { generatedCredentials } from '../src/fixtures/generate.js';

export const corpusFile = fileURLToPath(new URL('../test/corpus/responses.jsonl.gz', import.meta.url));

/** 2026-11-22T12:00:00Z, the tests' fixed clock. */
const now = Date.parse('2026-11-22T12:00:00.000Z');

export interface Exchange {
  readonly n: number;
  readonly request: string;
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: string;
}

const seeded: Record<string, string> = {
  MA_PREPAID1: 'prepaid-token',
  MA_POSTPAID: 'postpaid-token',
  MA_TRIAL001: 'trial-token',
  MA_NULLABLE: 'nullable-token',
  MA_DISABLED: 'disabled-token',
  MA_EXPIRED1: 'expired-token',
  MA_IPLOCKED: 'iplocked-token',
  MA_LEDGER01: 'ledger-token',
};

/** Fields whose values come from the wall clock, timing or the port, not from the emulator's state. */
const unstable = /"(last_used|duration_ms|host)":("[^"]*"|[0-9.]+)/g;

function normalize(path: string, body: string): string {
  let out = body.replace(unstable, '"$1":"<unstable>"');
  // Fault rules are stamped with real time (their ttl_ms runs in real time).
  if (path.startsWith('/__mock/v1/faults')) out = out.replace(/"created_at":"[^"]*"/g, '"created_at":"<unstable>"');
  return out;
}

/** Records the corpus: one exchange after another, in one order, so that every id and counter repeats. */
export async function recordCorpus(): Promise<Exchange[]> {
  const emu: Emulator = await createEmulator({ port: 0, now: () => now, generate: 200, seed: 7, allowFaultHeaders: true });
  const out: Exchange[] = [];
  const send = async (method: string, path: string, headers: Record<string, string> = {}, body?: unknown) => {
    const text = body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body);
    const res = await fetch(`${emu.url}${path}`, { method, headers: { ...headers, ...(text !== undefined ? { 'content-type': 'application/json' } : {}) }, ...(text !== undefined ? { body: text } : {}) });
    const kept: Record<string, string> = {};
    for (const [name, value] of res.headers) if (name !== 'date' && name !== 'x-request-id' && name !== 'keep-alive' && name !== 'connection') kept[name] = value;
    const shown = Object.entries(headers).map(([k, v]) => `${k}: ${/token|authorization/i.test(k) ? v.slice(0, 12) : v}`).join('; ');
    const raw = await res.text();
    const answer = normalize(path, raw);
    // A body with unstable values has an unstable length too.
    if (answer !== raw) delete kept['content-length'];
    out.push({ n: out.length, request: `${method} ${path}${shown ? ` [${shown}]` : ''}${text !== undefined ? ` ${text.slice(0, 200)}` : ''}`, status: res.status, headers: kept, body: answer });
    return res.status;
  };
  try {
    const accounts: [string, string][] = [...Object.entries(seeded)];
    for (let i = 0; i < 200; i++) {
      const { authId, token } = generatedCredentials(7, i);
      accounts.push([authId, token]);
    }
    for (const [index, [authId, token]] of accounts.entries()) {
      const ns = { 'x-vobiz-mock-namespace': `acct-${index}` };
      const pair = { ...ns, 'x-auth-id': authId, 'x-auth-token': token };
      const full = index < 8;
      await send('GET', '/api/v1/auth/me', pair);
      const me = JSON.parse(out.at(-1)!.body) as { pricing_tier?: { currency?: string } };
      const currency = me.pricing_tier?.currency ?? 'INR';
      await send('GET', `/api/v1/Account/${authId}/balance/${currency}`, pair);
      await send('GET', `/api/v1/Account/${authId}/transactions`, pair);
      await send('GET', `/api/v1/Account/${authId}/transactions/reference-types`, pair);
      await send('GET', `/api/v1/Account/${authId}/concurrency`, pair);
      await send('GET', `/api/v1/accounts/${authId}/channel-pricing-preview?resource_type=cps&quantity=3`, pair);
      if (full) {
        await send('GET', '/api/v1/auth/me', { ...ns, 'x-auth-id': authId, 'x-auth-token': 'wrong' });
        await send('GET', '/api/v1/auth/me', { ...ns, 'x-auth-id': authId, 'x-auth-token': token, authorization: 'Bearer placeholder' });
        await send('GET', `/api/v1/account/${authId}/balance/${currency.toLowerCase()}`, pair);
        await send('GET', `/api/v1/Account/${authId}/balance/EUR`, pair);
        await send('GET', `/api/v1/Account/${authId}/balance/rupees`, pair);
        await send('GET', `/api/v1/Account/MA_OTHER/balance/${currency}`, pair);
        for (const query of ['?page=2&per_page=5', '?type=debit&per_page=20', '?type=credit', '?status=failed', '?from_date=2026-05-01&to_date=2026-05-31', '?reference_type=cdr&per_page=3', '?description=call&page=1&per_page=7', '?limit=3&offset=9', '?per_page=5000', '?page=0', '?from_date=yesterday', '?transaction_id=42', '?currency=inr&unknown=1', '?page=999']) {
          await send('GET', `/api/v1/Account/${authId}/transactions${query}`, pair);
        }
        await send('GET', `/api/v1/account/${authId}/transactions?per_page=2`, { ...ns, authorization: `Basic ${Buffer.from(`${authId}:${token}`).toString('base64')}` });
        await send('GET', `/api/v1/Account/${authId}/transactions`, { ...ns, authorization: `Basic ${Buffer.from(`${authId}:nope`).toString('base64')}` });
        await send('GET', `/api/v1/account/${authId}/concurrency`, pair);
        for (const query of ['?resource_type=concurrent_calls&quantity=30', '?resource_type=concurrent_calls&quantity=25', '?resource_type=channels&quantity=10', '?quantity=3']) {
          await send('GET', `/api/v1/accounts/${authId}/channel-pricing-preview${query}`, pair);
        }
        await send('GET', `/api/v1/accounts/${authId}/channel-pricing-preview?resource_type=cps&quantity=3`, { ...ns, authorization: `Bearer ${bearerToken(authId)}` });
      }
      // A purchase (as many of the accounts can pay for), and what it changed.
      await send('POST', `/api/v1/accounts/${authId}/channel-subscriptions`, pair, { resource_type: 'cps', quantity: 3 });
      if (full) {
        await send('POST', `/api/v1/accounts/${authId}/channel-subscriptions`, pair, { resource_type: 'concurrent_calls', quantity: 10 });
        await send('POST', `/api/v1/accounts/${authId}/channel-subscriptions`, pair, { resource_type: 'cps', quantity: 4 });
        await send('POST', `/api/v1/accounts/${authId}/channel-subscriptions`, pair, '{"resource_type":"cps",');
        await send('POST', `/api/v1/accounts/${authId}/channel-subscriptions`, { ...ns, authorization: `Bearer ${bearerToken(authId)}` }, { resource_type: 'cps', quantity: 3 });
      }
      await send('GET', '/api/v1/auth/me', pair);
      await send('GET', `/api/v1/Account/${authId}/balance/${currency}`, pair);
      await send('GET', `/api/v1/Account/${authId}/transactions?per_page=3`, pair);
      await send('GET', `/api/v1/Account/${authId}/transactions/reference-types`, pair);
      await send('GET', `/__mock/v1/accounts/${authId}`, ns);
    }

    // The control plane, in sequences.
    const ns = { 'x-vobiz-mock-namespace': 'control' };
    const post = { ...ns, 'x-auth-id': 'MA_POSTPAID', 'x-auth-token': 'postpaid-token' };
    await send('POST', '/__mock/v1/clock', ns, { freeze: '2026-12-01T10:00:00Z' });
    await send('GET', '/__mock/v1/clock', ns);
    await send('POST', '/api/v1/accounts/MA_POSTPAID/channel-subscriptions', post, { resource_type: 'cps', quantity: 3 });
    await send('POST', '/__mock/v1/clock', ns, { advance: 'P30D' });
    await send('POST', '/__mock/v1/clock', ns, { advance: 90 * 86_400 });
    await send('POST', '/__mock/v1/clock', ns, { advance: 'P1M' });
    await send('POST', '/__mock/v1/clock', ns, { freeze: '2030-02-30T00:00:00Z' });
    await send('POST', '/__mock/v1/clock', ns, { freeze: '2026-06-01T00:00:00Z' });
    await send('POST', '/__mock/v1/clock', ns, { real: true, advance: 'P1D' });
    await send('GET', '/__mock/v1/accounts/MA_POSTPAID', ns);
    await send('POST', '/__mock/v1/accounts', ns, { from: 'MA_PREPAID1', balances: [{ currency: 'INR', balance: 1000 }], auth_token: 'copy-token' });
    const created = JSON.parse(out.at(-1)!.body) as { auth_id: string; auth_token: string };
    const createdPair = { ...ns, 'x-auth-id': created.auth_id, 'x-auth-token': created.auth_token };
    await send('GET', '/api/v1/auth/me', createdPair);
    await send('POST', '/__mock/v1/accounts', ns, { account: { auth_id: 'MA_MADE', name: 'Made' }, auth_token: 'made-token' });
    await send('POST', '/__mock/v1/accounts', ns, { account: { auth_id: 'MA_MADE' }, auth_token: 'made-token' });
    await send('POST', '/__mock/v1/accounts', ns, { account: { credit_limit: 'lots' } });
    await send('POST', '/__mock/v1/accounts', ns, { from: 'MA_NOBODY' });
    await send('PATCH', '/__mock/v1/accounts/MA_MADE', ns, { enabled: false, base_cps_limit: 7 });
    await send('GET', '/api/v1/auth/me', { ...ns, 'x-auth-id': 'MA_MADE', 'x-auth-token': 'made-token' });
    await send('PATCH', '/__mock/v1/accounts/MA_MADE', ns, { enabled: true, auth_token: 'new-token' });
    await send('GET', '/api/v1/auth/me', { ...ns, 'x-auth-id': 'MA_MADE', 'x-auth-token': 'new-token' });
    await send('PATCH', '/__mock/v1/accounts/MA_MADE', ns, { auth_id: 'MA_OTHER' });
    await send('PUT', '/__mock/v1/accounts/MA_MADE/balances/INR', ns, { balance: 250.5 });
    await send('PUT', '/__mock/v1/accounts/MA_MADE/balances/USD', ns, { balance: 1 });
    await send('GET', '/api/v1/Account/MA_MADE/transactions', { ...ns, 'x-auth-id': 'MA_MADE', 'x-auth-token': 'new-token' });
    await send('POST', '/__mock/v1/accounts/MA_POSTPAID/calls', ns, { duration_seconds: 70 });
    await send('POST', '/__mock/v1/accounts/MA_POSTPAID/calls', ns, {});
    const live = JSON.parse(out.at(-1)!.body) as { id: string };
    await send('GET', '/api/v1/Account/MA_POSTPAID/concurrency', post);
    await send('POST', '/__mock/v1/clock', ns, { advance: 'PT2M' });
    await send('DELETE', `/__mock/v1/calls/${live.id}`, ns);
    await send('DELETE', `/__mock/v1/calls/${live.id}`, ns);
    await send('POST', '/__mock/v1/accounts/MA_TRIAL001/calls', ns, { duration_seconds: 100_000 });
    for (let i = 0; i < 3; i++) await send('POST', '/__mock/v1/accounts/MA_TRIAL001/calls', ns, {});
    await send('POST', '/__mock/v1/faults', ns, { match: { operation: 'getBalance' }, effect: { status: 429, retry_after: 2 }, after: 1, times: 2 });
    for (let i = 0; i < 4; i++) await send('GET', '/api/v1/Account/MA_POSTPAID/balance/INR', post);
    await send('POST', '/__mock/v1/faults', ns, { match: { path: '/api/v1/auth/*', method: 'get' }, effect: { code: 'SERVICE_UNAVAILABLE', message: 'down' }, times: 1 });
    await send('GET', '/api/v1/auth/me', post);
    await send('GET', '/api/v1/auth/me', { ...post, 'x-vobiz-mock-fault': 'status=503, retry_after=4' });
    await send('GET', '/__mock/v1/faults', ns);
    await send('POST', '/__mock/v1/faults', ns, { effect: {} });
    await send('DELETE', '/__mock/v1/faults/fault_1', ns);
    await send('DELETE', '/__mock/v1/faults/fault_99', ns);
    await send('GET', '/__mock/v1/requests?limit=5', ns);
    await send('GET', '/__mock/v1/requests?path=/api/v1/Account/*/balance/*&status=429', ns);
    await send('POST', '/__mock/v1/requests/count', ns, { path: '/api/v1/Account/*/balance/*' });
    await send('POST', '/__mock/v1/requests/verify', ns, { match: { path: '/api/v1/auth/me' }, times: { at_least: 1 } });
    await send('POST', '/__mock/v1/requests/verify', ns, { match: { path: '/api/v1/Account/*/balanse/*' }, times: { exactly: 1 } });
    await send('GET', '/__mock/v1/snapshot', ns);
    const snapshot = out.at(-1)!.body;
    await send('PUT', '/__mock/v1/snapshot', { 'x-vobiz-mock-namespace': 'restored' }, snapshot);
    for (const path of ['/api/v1/auth/me', '/api/v1/Account/MA_POSTPAID/balance/INR', '/api/v1/Account/MA_POSTPAID/transactions?per_page=100', '/api/v1/Account/MA_POSTPAID/concurrency']) {
      await send('GET', path, { ...post, 'x-vobiz-mock-namespace': 'restored' });
    }
    await send('GET', '/__mock/v1/snapshot', { 'x-vobiz-mock-namespace': 'restored' });
    await send('DELETE', '/__mock/v1/accounts/MA_MADE', ns);
    await send('GET', '/api/v1/auth/me', { ...ns, 'x-auth-id': 'MA_MADE', 'x-auth-token': 'new-token' });
    await send('DELETE', '/__mock/v1/requests', ns);
    await send('GET', '/__mock/v1/requests', ns);
    await send('GET', '/__mock/v1/namespaces?per_page=3', ns);
    await send('POST', '/__mock/v1/reset', ns);
    await send('GET', '/__mock/v1/snapshot', ns);
    await send('DELETE', '/__mock/v1/namespaces/restored', ns);
    await send('DELETE', '/__mock/v1/namespaces/restored', ns);

    // Pages and refusals the routes answer.
    for (const [method, path] of [['GET', '/health'], ['GET', '/nowhere'], ['DELETE', '/api/v1/auth/me'], ['POST', '/api/v1/auth/me'], ['GET', '/__mock/v1/nowhere'], ['PUT', '/__mock/v1/clock'], ['OPTIONS', '/api/v1/auth/me'], ['HEAD', '/api/v1/auth/me'], ['GET', '/%zz']] as const) {
      await send(method, path, { 'x-auth-id': 'MA_POSTPAID', 'x-auth-token': 'postpaid-token' });
    }
    await send('OPTIONS', '/api/v1/auth/me', { origin: 'https://app.example', 'access-control-request-method': 'GET', 'access-control-request-headers': 'x-auth-id, x-auth-token' });
    await send('GET', '/api/v1/auth/me', { 'x-vobiz-mock-namespace': 'Bad Name' });
    await send('POST', '/__mock/v1/clock', {}, '{"advance":');
  } finally {
    await emu.close(200);
  }
  return out;
}

/** Where a fresh exchange first differs from the recorded one, with the text around it. */
export function describeDifference(now: Exchange, recorded: Exchange | undefined): string {
  if (!recorded) return `#${now.n} ${now.request}: not recorded`;
  const a = JSON.stringify({ status: now.status, headers: now.headers, body: now.body });
  const b = JSON.stringify({ status: recorded.status, headers: recorded.headers, body: recorded.body });
  let at = 0;
  while (at < a.length && a[at] === b[at]) at++;
  return `#${now.n} ${now.request}\n  now:      ...${a.slice(Math.max(0, at - 120), at + 120)}\n  recorded: ...${b.slice(Math.max(0, at - 120), at + 120)}`;
}

export function readCorpus(file = corpusFile): Exchange[] {
  return gunzipSync(readFileSync(file))
    .toString('utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Exchange);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const corpus = await recordCorpus();
  if (process.argv.includes('--check')) {
    const recorded = readCorpus();
    const differ = corpus.filter((e, i) => JSON.stringify(e) !== JSON.stringify(recorded[i]));
    console.log(`${corpus.length} exchanges (recorded ${recorded.length}), ${differ.length} differ`);
    for (const e of differ.slice(0, 5)) console.log(describeDifference(e, recorded[e.n]));
    process.exitCode = differ.length > 0 || corpus.length !== recorded.length ? 1 : 0;
  } else {
    const text = `${corpus.map((e) => JSON.stringify(e)).join('\n')}\n`;
    writeFileSync(corpusFile, gzipSync(text, { level: 9 }));
    console.log(`${corpus.length} exchanges, ${text.length} bytes, ${gzipSync(text, { level: 9 }).length} gzipped: ${corpusFile}`);
  }
}
