import 'uplot/dist/uPlot.min.css';
import './app.css';
import { render } from 'preact';
import { useEffect, useMemo, useState } from 'preact/hooks';
import { ControlClient } from '../control/client.js';
import { href, html, setUnauthorizedHandler, useLoad } from './lib.js';
import { AccountsView } from './views/accounts.js';
import { AccountView } from './views/account.js';
import { RequestsView } from './views/requests.js';
import { FaultsView } from './views/faults.js';
import { ClockView } from './views/clock.js';
import { NamespaceView } from './views/namespace.js';

/** The views, as the navigation lists them; `account` is reached from the accounts table. */
const views = {
  accounts: { title: 'Accounts', component: AccountsView },
  account: { title: 'Account', component: AccountView },
  requests: { title: 'Requests', component: RequestsView },
  faults: { title: 'Faults', component: FaultsView },
  clock: { title: 'Clock', component: ClockView },
  namespace: { title: 'Namespace', component: NamespaceView },
} as const;
type ViewName = keyof typeof views;

interface Route {
  readonly ns: string;
  readonly view: ViewName;
  readonly id: string | undefined;
  readonly query: URLSearchParams;
}

/** `#/<ns>/<view>/<id>?<query>`; anything else is the default namespace's accounts. */
function parse(hash: string): Route {
  const [path = '', search = ''] = hash.replace(/^#\/?/, '').split('?', 2);
  const [ns, view, id] = path.split('/').map((part) => decodeURIComponent(part));
  // `accounts/<id>` is the account too (the control plane's path for it).
  const known = view === 'accounts' && id ? 'account' : view !== undefined && view in views ? (view as ViewName) : 'accounts';
  const name = ns && /^[a-z0-9_-]{1,64}$/.test(ns) ? ns : 'default';
  return { ns: name, view: known === 'account' && !id ? 'accounts' : known, id: id || undefined, query: new URLSearchParams(search) };
}

const TOKEN_KEY = 'vobiz-mock-admin-token';

function useHash(): Route {
  const [hash, setHash] = useState(location.hash);
  useEffect(() => {
    const changed = () => setHash(location.hash);
    addEventListener('hashchange', changed);
    return () => removeEventListener('hashchange', changed);
  }, []);
  return useMemo(() => parse(hash), [hash]);
}

/** Asks for the --admin-token once; kept for the tab (sessionStorage), never sent anywhere but this emulator. */
const TokenPrompt = ({ onToken, wrong }: { onToken: (token: string) => void; wrong: boolean }) => {
  const [value, setValue] = useState('');
  return html`<main id="main" class="card narrow">
    <h1>Admin token</h1>
    <p>This emulator runs with <code>--admin-token</code>: the dashboard needs it to call the control plane. It is kept for this tab only.</p>
    ${wrong ? html`<p class="error" role="alert">The control plane refused that token.</p>` : null}
    <form onSubmit=${(e: Event) => { e.preventDefault(); if (value !== '') onToken(value); }}>
      <label for="admin-token">Token</label>
      <input id="admin-token" type="password" autocomplete="current-password" value=${value} onInput=${(e: Event) => setValue((e.target as HTMLInputElement).value)} />
      <button type="submit">Continue</button>
    </form>
  </main>`;
};

const NamespacePicker = ({ client, route }: { client: ControlClient; route: Route }) => {
  const { data } = useLoad(() => client.namespaces({ per_page: 1000 }), [client], 5000);
  const names = [...new Set(['default', route.ns, ...(data?.namespaces.map((n) => String(n['name'])) ?? [])])].sort();
  const choose = (e: Event) => {
    location.hash = href((e.target as HTMLSelectElement).value, route.view === 'account' ? 'accounts' : route.view);
  };
  return html`<label class="picker">Namespace
    <select value=${route.ns} onChange=${choose}>${names.map((n) => html`<option value=${n}>${n}</option>`)}</select>
  </label>`;
};

const App = () => {
  const route = useHash();
  const [token, setToken] = useState<string | undefined>(() => sessionStorage.getItem(TOKEN_KEY) ?? undefined);
  const [asking, setAsking] = useState<'no' | 'first' | 'wrong'>('no');
  useEffect(() => setUnauthorizedHandler(() => setAsking(token === undefined ? 'first' : 'wrong')), [token]);
  const client = useMemo(() => new ControlClient(location.origin, { namespace: route.ns, ...(token !== undefined ? { adminToken: token } : {}) }), [route.ns, token]);
  useEffect(() => {
    document.title = `${views[route.view].title} · ${route.ns} · vobiz-mock`;
  }, [route]);
  if (asking !== 'no') {
    return html`<${TokenPrompt} wrong=${asking === 'wrong'} onToken=${(value: string) => { sessionStorage.setItem(TOKEN_KEY, value); setToken(value); setAsking('no'); }} />`;
  }
  const View = views[route.view].component;
  const nav = (['accounts', 'requests', 'faults', 'clock', 'namespace'] as const).map((name) => {
    const current = route.view === name || (name === 'accounts' && route.view === 'account');
    return html`<li><a href=${href(route.ns, name)} aria-current=${current ? 'page' : undefined}>${views[name].title}</a></li>`;
  });
  return html`<a class="skip" href="#main" onClick=${(e: Event) => { e.preventDefault(); document.getElementById('main')?.focus(); }}>Skip to content</a>
    <header class="top">
      <span class="brand">vobiz-mock</span>
      <nav aria-label="Views"><ul>${nav}</ul></nav>
      <${NamespacePicker} client=${client} route=${route} />
    </header>
    <main id="main" tabindex="-1">
      <${View} key=${`${route.ns} ${route.view} ${route.id ?? ''}`} client=${client} ns=${route.ns} id=${route.id} query=${route.query} />
    </main>`;
};

const root = document.getElementById('app')!;
// The "Loading" line the page starts with goes (render() adds to what a container holds).
root.textContent = '';
render(html`<${App} />`, root);
