import { useMemo, useState } from 'preact/hooks';
import type { ControlClient } from '../../control/client.js';
import { Chart } from '../chart.js';
import { CopyButton, Done, ErrorText, href, html, Loading, money, Section, useAction, useLoad, type ViewProps, when } from '../lib.js';

type Row = Record<string, unknown>;
type State = Awaited<ReturnType<ControlClient['account']>>;

/** How often the account's panels are read again: a purchase made through the API shows within a second. */
const EVERY_MS = 500;
const LEDGER_PER_PAGE = 20;

/** One account: profile, credentials, balances, capacity, ledger with its chart, subscriptions, calls, sub-accounts. */
export function AccountView({ client, ns, id, query }: ViewProps) {
  const authId = id!;
  const state = useLoad(() => client.account(authId), [client, authId], EVERY_MS);
  if (!state.data) return html`<h1>Account <code>${authId}</code></h1><${ErrorText} text=${state.error} />${state.error ? html`<p><a href=${href(ns, 'accounts')}>All accounts</a></p>` : html`<${Loading} />`}`;
  const s = state.data;
  const account = s.account;
  return html`<h1>${String(account['name'])} <code>${authId}</code></h1>
    <${ErrorText} text=${state.error} />
    <div class="grid">
      <${Profile} account=${account} />
      <${CredentialsPanel} client=${client} authId=${authId} />
      <${Balances} client=${client} state=${s} reload=${state.reload} />
      <${Capacity} client=${client} authId=${authId} ns=${ns} state=${s} reload=${state.reload} />
    </div>
    <${Ledger} client=${client} authId=${authId} ns=${ns} query=${query} version=${JSON.stringify(s.balances)} />
    <div class="grid">
      <${Subscriptions} state=${s} />
      <${LiveCalls} client=${client} state=${s} reload=${state.reload} />
    </div>
    <${SubAccounts} client=${client} authId=${authId} />
    <${EditField} client=${client} authId=${authId} account=${account} reload=${state.reload} />`;
}

const shown = ['auth_id', 'id', 'email', 'phone', 'company', 'postpaid', 'is_trial_account', 'enabled', 'is_active', 'credit_limit', 'concurrent_calls_limit', 'cps_limit', 'timezone', 'created_at'];

function Profile({ account }: { account: Row }) {
  return html`<${Section} title="Profile (as /auth/me shows it)" id="profile">
    <dl class="pairs">${shown.map((key) => html`<dt>${key}</dt><dd><code>${JSON.stringify(account[key] ?? null)}</code></dd>`)}</dl>
    <details><summary>The whole Account object</summary><pre>${JSON.stringify(account, null, 2)}</pre></details>
  <//>`;
}

function CredentialsPanel({ client, authId }: { client: ControlClient; authId: string }) {
  const { data, error } = useLoad(() => client.credentials(authId), [client, authId]);
  const rows: [string, string, string][] = data
    ? [
        ['X-Auth-ID', data.auth_id, 'auth_id'],
        ['X-Auth-Token', data.auth_token, 'auth token'],
        ['Authorization (Basic)', data.basic, 'Basic header'],
        ['Authorization (Bearer)', `Bearer ${data.bearer}`, 'Bearer header'],
        ['X-Vobiz-Mock-Namespace', client.namespace, 'namespace header'],
      ]
    : [];
  return html`<${Section} title="Credentials" id="credentials">
    <${ErrorText} text=${error} />
    <dl class="pairs">${rows.map(([name, value, label]) => html`<dt>${name}</dt><dd><code class="secret">${value}</code> <${CopyButton} text=${value} label=${label} /></dd>`)}</dl>
    ${data ? html`<p class="muted">The pair works on every call; Basic on the transactions calls; Bearer on the capacity and KYC calls (valid until ${when(data.bearer_expires_at)} on the namespace clock).</p>` : null}
  <//>`;
}

function Balances({ client, state, reload }: { client: ControlClient; state: State; reload: () => void }) {
  const { act, busy, status } = useAction();
  const [currency, setCurrency] = useState(String(state.balances[0]?.['currency'] ?? 'INR'));
  const [amount, setAmount] = useState('');
  return html`<${Section} title="Balances" id="balances">
    <table><thead><tr><th scope="col">Currency</th><th scope="col" class="num">Balance</th><th scope="col" class="num">Available</th></tr></thead>
      <tbody>${state.balances.map((b) => html`<tr><td>${String(b['currency'])}</td><td class="num">${money(b['balance'] as number)}</td><td class="num">${money(b['available_balance'] as number)}</td></tr>`)}</tbody>
    </table>
    <form class="row" onSubmit=${(e: Event) => { e.preventDefault(); void act(() => client.setBalance(state.auth_id, currency, Number(amount)), `Balance set to ${amount} ${currency}`, reload); }}>
      <label for="balance-currency">Currency</label>
      <select id="balance-currency" value=${currency} onChange=${(e: Event) => setCurrency((e.target as HTMLSelectElement).value)}>${state.balances.map((b) => html`<option>${String(b['currency'])}</option>`)}</select>
      <label for="balance-amount">New balance</label>
      <input id="balance-amount" inputmode="decimal" required value=${amount} onInput=${(e: Event) => setAmount((e.target as HTMLInputElement).value)} />
      <button type="submit" disabled=${busy}>Set balance</button>
    </form>
    <${ErrorText} text=${status.error} /><${Done} text=${status.done} />
  <//>`;
}

/** Buys capacity through the emulated API itself, with the account's own pair: the journal shows the request. */
function Capacity({ client, authId, ns, state, reload }: { client: ControlClient; authId: string; ns: string; state: State; reload: () => void }) {
  const { act, busy, status } = useAction();
  const [kind, setKind] = useState('concurrent_calls');
  const [quantity, setQuantity] = useState('10');
  const buy = async () => {
    const { auth_token } = await client.credentials(authId);
    const res = await fetch(`/api/v1/accounts/${encodeURIComponent(authId)}/channel-subscriptions`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-Auth-ID': authId, 'X-Auth-Token': auth_token, 'X-Vobiz-Mock-Namespace': ns },
      body: JSON.stringify({ resource_type: kind, quantity: Number(quantity) }),
    });
    const body = (await res.json()) as { error?: { message?: string }; detail?: unknown; message?: string };
    if (!res.ok) throw new Error(`${res.status}: ${body.error?.message ?? body.message ?? JSON.stringify(body.detail ?? body)}`);
  };
  return html`<${Section} title="Capacity" id="capacity">
    <p>Concurrent calls limit <strong>${String(state.account['concurrent_calls_limit'])}</strong>, CPS limit <strong>${String(state.account['cps_limit'])}</strong>.</p>
    <form class="row" onSubmit=${(e: Event) => { e.preventDefault(); void act(buy, `Bought ${quantity} ${kind === 'cps' ? 'CPS' : 'concurrent calls'}`, reload); }}>
      <label for="buy-kind">Buy</label>
      <select id="buy-kind" value=${kind} onChange=${(e: Event) => setKind((e.target as HTMLSelectElement).value)}><option value="concurrent_calls">concurrent calls</option><option value="cps">CPS</option></select>
      <label for="buy-quantity">Quantity</label>
      <input id="buy-quantity" type="number" min="1" required value=${quantity} onInput=${(e: Event) => setQuantity((e.target as HTMLInputElement).value)} />
      <button type="submit" disabled=${busy}>Buy capacity</button>
    </form>
    <p class="muted">Sent as <code>POST /api/v1/accounts/${authId}/channel-subscriptions</code> with the account's pair.</p>
    <${ErrorText} text=${status.error} /><${Done} text=${status.done} />
  <//>`;
}

/** The transactions call's filters the ledger panel offers; each is kept in the address (a link keeps them). */
const ledgerFilters = ['type', 'status', 'reference_type', 'description', 'from_date', 'to_date'] as const;
type LedgerFilter = Record<(typeof ledgerFilters)[number], string>;

function Ledger({ client, authId, ns, query, version }: { client: ControlClient; authId: string; ns: string; query: URLSearchParams; version: string }) {
  const filter = Object.fromEntries(ledgerFilters.map((name) => [name, query.get(name) ?? ''])) as LedgerFilter;
  const page = Math.max(1, Number(query.get('page') ?? '1') || 1);
  const key = JSON.stringify(filter);
  const given = Object.fromEntries(Object.entries(filter).filter(([, value]) => value !== ''));
  const ledger = useLoad(() => client.ledger(authId, { ...given, page, per_page: LEDGER_PER_PAGE }), [client, authId, key, page, version]);
  const history = useLoad(() => client.balanceHistory(authId, { points: 400 }), [client, authId, version]);
  const data = useMemo(() => {
    const points = history.data?.points ?? [];
    return [points.map((p) => Date.parse(p.at) / 1000), points.map((p) => p.balance)] as [number[], number[]];
  }, [history.data]);
  const link = (q: Record<string, string | number | undefined>) => href(ns, 'account', authId, { ...filter, page, ...q });
  const l = ledger.data;
  return html`<${Section} title="Ledger" id="ledger">
    ${history.data ? html`<${Chart} data=${data} label=${`Balance in ${history.data.currency} over time, ${history.data.points.length} points`} series=${[{ label: `Balance (${history.data.currency})`, stroke: '#1f6feb' }]} stepped=${true} />` : null}
    <${LedgerForm} filter=${filter} go=${(next: LedgerFilter) => { location.hash = link({ ...next, page: 1 }); }} />
    <${ErrorText} text=${ledger.error ?? history.error} />
    ${!l ? html`<${Loading} />` : html`<p class="muted">${l.total} entr${l.total === 1 ? 'y' : 'ies'}; page ${l.page} of ${Math.max(1, l.total_pages)}; credit ${money(l.summary.total_credit)}, debit ${money(l.summary.total_debit)}.</p>
      <div class="scroll"><table class="ledger"><thead><tr><th scope="col">Created</th><th scope="col">Type</th><th scope="col" class="num">Amount</th><th scope="col">Description</th><th scope="col">Reference type</th><th scope="col">Status</th></tr></thead>
      <tbody>${l.transactions.map((t) => html`<tr><td>${when(t.created_at)}</td><td>${t.type}</td><td class="num">${money(t.amount, t.currency)}</td><td>${t.description}</td><td>${t.reference_type}</td><td>${t.status}</td></tr>`)}</tbody></table></div>
      <nav class="pager" aria-label="Ledger pages">${page > 1 ? html`<a href=${link({ page: page - 1 })} rel="prev">Newer</a>` : null} ${page < l.total_pages ? html`<a href=${link({ page: page + 1 })} rel="next">Older</a>` : null}</nav>`}
  <//>`;
}

/** The ledger's filters, as the transactions call takes them (a bad one is answered with the call's own message). */
function LedgerForm({ filter, go }: { filter: LedgerFilter; go: (next: LedgerFilter) => void }) {
  const [draft, setDraft] = useState(filter);
  const set = (name: keyof LedgerFilter) => (e: Event) => setDraft({ ...draft, [name]: (e.target as HTMLInputElement).value });
  const text = (name: keyof LedgerFilter, label: string, hint: string) => html`<div class="field"><label for=${`ledger-${name}`}>${label}</label><input id=${`ledger-${name}`} placeholder=${hint} value=${draft[name]} onInput=${set(name)} /></div>`;
  return html`<form class="fields" aria-label="Filter the ledger" onSubmit=${(e: Event) => { e.preventDefault(); go(draft); }}>
    <div class="field"><label for="ledger-type">Type</label><select id="ledger-type" value=${draft.type} onChange=${set('type')}><option value="">all</option><option value="credit">credit</option><option value="debit">debit</option></select></div>
    <div class="field"><label for="ledger-status">Status</label><select id="ledger-status" value=${draft.status} onChange=${set('status')}><option value="">all</option>${['completed', 'pending', 'failed', 'cancelled'].map((v) => html`<option>${v}</option>`)}</select></div>
    ${text('reference_type', 'Reference type', 'cdr')} ${text('description', 'Description holds', 'Razorpay')} ${text('from_date', 'From', 'YYYY-MM-DD')} ${text('to_date', 'To', 'YYYY-MM-DD')}
    <div class="field"><span aria-hidden="true">&nbsp;</span><button type="submit">Filter</button></div>
  </form>`;
}

function Subscriptions({ state }: { state: State }) {
  return html`<${Section} title="Subscriptions" id="subscriptions">
    ${state.subscriptions.length === 0 ? html`<p class="muted">None.</p>` : html`<table><thead><tr><th scope="col">Resource</th><th scope="col" class="num">Quantity</th><th scope="col" class="num">Monthly cost</th><th scope="col">Status</th><th scope="col">Next billing</th></tr></thead>
      <tbody>${state.subscriptions.map((s) => html`<tr><td>${String(s['resource_type'])}</td><td class="num">${String(s['quantity'])}</td><td class="num">${String(s['monthly_cost'])} ${String(s['currency'])}</td><td>${String(s['status'])}</td><td>${when(s['next_billing_date'] as string)}</td></tr>`)}</tbody></table>`}
  <//>`;
}

function LiveCalls({ client, state, reload }: { client: ControlClient; state: State; reload: () => void }) {
  const { act, busy, status } = useAction();
  const limit = Number(state.account['concurrent_calls_limit'] ?? 0);
  return html`<${Section} title="Live calls" id="calls">
    <p>${state.live_calls.length} started from the control plane (a seed's own live calls count too, against the limit of ${limit}).</p>
    <ul class="plain">${state.live_calls.map((c) => html`<li><code>${c.id}</code> since ${when(c.started_at)} <button type="button" class="small" disabled=${busy} onClick=${() => void act(() => client.endCall(c.id), `Ended ${c.id}`, reload)}>End</button></li>`)}</ul>
    <button type="button" disabled=${busy} onClick=${() => void act(() => client.startCall(state.auth_id), 'Started a call', reload)}>Start a call</button>
    <${ErrorText} text=${status.error} /><${Done} text=${status.done} />
  <//>`;
}

function SubAccounts({ client, authId }: { client: ControlClient; authId: string }) {
  const { data, error } = useLoad(() => client.subAccounts(authId), [client, authId], 2000);
  return html`<${Section} title="Sub-accounts" id="sub-accounts">
    <${ErrorText} text=${error} />
    ${data && data.sub_accounts.length === 0 ? html`<p class="muted">None.</p>` : null}
    ${data && data.sub_accounts.length > 0
      ? html`<div class="scroll"><table><thead><tr><th scope="col">auth_id</th><th scope="col">Name</th><th scope="col">Enabled</th><th scope="col">KYC mode</th><th scope="col">KYC</th><th scope="col">Checks</th><th scope="col">Token</th></tr></thead>
        <tbody>${data.sub_accounts.map((s) => html`<tr><td><code>${s.auth_id}</code></td><td>${s.name}</td><td>${s.enabled ? 'yes' : 'no'}</td><td>${s.kyc_mode}</td><td>${s.kyc_status}${s.kyc_calls_blocked ? ' (calls blocked)' : ''}</td>
          <td>${Object.entries(s.kyc).map(([check, value]) => `${check} ${value}`).join(', ')}</td><td><${CopyButton} text=${s.auth_token} label=${`${s.auth_id}'s token`} /></td></tr>`)}</tbody></table></div>`
      : null}
  <//>`;
}

/** Changes one field of the account (PATCH, checked as a fixture is): the value is read as JSON, or else as text. */
function EditField({ client, authId, account, reload }: { client: ControlClient; authId: string; account: Row; reload: () => void }) {
  const { act, busy, status } = useAction();
  const fields = Object.keys(account).filter((k) => !['auth_id', 'auth_secret', 'type', 'cps_limit', 'concurrent_calls_limit'].includes(k));
  const [field, setField] = useState('name');
  const [value, setValue] = useState(JSON.stringify(account['name']));
  const parsed = () => {
    try {
      return JSON.parse(value) as unknown;
    } catch {
      return value;
    }
  };
  return html`<${Section} title="Edit a field" id="edit">
    <form class="row" onSubmit=${(e: Event) => { e.preventDefault(); void act(() => client.updateAccount(authId, { [field]: parsed() }), `${field} changed`, reload); }}>
      <label for="edit-field">Field</label>
      <select id="edit-field" value=${field} onChange=${(e: Event) => { const f = (e.target as HTMLSelectElement).value; setField(f); setValue(JSON.stringify(account[f] ?? null)); }}>${fields.map((f) => html`<option>${f}</option>`)}</select>
      <label for="edit-value">Value (JSON or text)</label>
      <input id="edit-value" value=${value} onInput=${(e: Event) => setValue((e.target as HTMLInputElement).value)} />
      <button type="submit" disabled=${busy}>Save</button>
    </form>
    <${ErrorText} text=${status.error} /><${Done} text=${status.done} />
  <//>`;
}
