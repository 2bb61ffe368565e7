import { useState } from 'preact/hooks';
import { ErrorText, href, html, Loading, money, useLoad, type ViewProps } from '../lib.js';

const PER_PAGE = 25;

/** The namespace's accounts: searched and paged by the control plane, so a million generated ones stay instant. */
export function AccountsView({ client, ns, query }: ViewProps) {
  const q = query.get('q') ?? '';
  const page = Math.max(1, Number(query.get('page') ?? '1') || 1);
  const [text, setText] = useState(q);
  const { data, error } = useLoad(() => client.accounts({ q: q || undefined, page, per_page: PER_PAGE }), [client, q, page], 2000);
  const pages = data ? Math.max(1, Math.ceil(data.total / PER_PAGE)) : 1;
  const go = (p: number) => `${href(ns, 'accounts', undefined, { q, page: p })}`;
  return html`<h1>Accounts</h1>
    <form class="row" role="search" onSubmit=${(e: Event) => { e.preventDefault(); location.hash = href(ns, 'accounts', undefined, { q: text.trim() }); }}>
      <label for="account-search">Search auth_id or name</label>
      <input id="account-search" type="search" value=${text} maxlength="100" onInput=${(e: Event) => setText((e.target as HTMLInputElement).value)} />
      <button type="submit">Search</button>
    </form>
    <${ErrorText} text=${error} />
    ${!data && !error ? html`<${Loading} />` : null}
    ${data
      ? html`<p class="muted" aria-live="polite">${data.total.toLocaleString('en')} account${data.total === 1 ? '' : 's'}${q ? ` matching “${q}”` : ''}${data.complete ? '' : ' found so far (the search stopped after 100 ms: give more of the name, or the whole auth_id)'}; page ${page} of ${pages.toLocaleString('en')}.</p>
          <div class="scroll"><table class="accounts">
            <thead><tr><th scope="col">auth_id</th><th scope="col">Name</th><th scope="col">Billing</th><th scope="col" class="num">Balance</th><th scope="col" class="num">Concurrent calls limit</th><th scope="col" class="num">CPS limit</th><th scope="col" class="num">Live calls</th><th scope="col" class="num">Sub-accounts</th><th scope="col">Enabled</th></tr></thead>
            <tbody>${data.accounts.map(
              (a) => html`<tr>
                <td><a href=${href(ns, 'account', a.auth_id)}><code>${a.auth_id}</code></a></td>
                <td>${a.name}</td><td>${a.billing}</td><td class="num">${money(a.balance, a.currency)}</td>
                <td class="num">${a.concurrent_calls_limit}</td><td class="num">${a.cps_limit}</td><td class="num">${a.live_calls}</td><td class="num">${a.sub_accounts}</td>
                <td>${a.enabled ? 'yes' : html`<strong>no</strong>`}</td>
              </tr>`,
            )}</tbody>
          </table></div>
          <nav class="pager" aria-label="Pages">
            ${page > 1 ? html`<a href=${go(1)}>First</a> <a href=${go(page - 1)} rel="prev">Previous</a>` : null}
            ${page < pages ? html`<a href=${go(page + 1)} rel="next">Next</a> <a href=${go(pages)}>Last</a>` : null}
          </nav>`
      : null}`;
}
