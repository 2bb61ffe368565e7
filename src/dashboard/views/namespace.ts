import { useState } from 'preact/hooks';
import { Done, ErrorText, href, html, Loading, Section, useAction, useLoad, type ViewProps, when } from '../lib.js';

/** The namespace: its figures, reset, snapshot download and upload, drop; and a way to open another. */
export function NamespaceView({ client, ns }: ViewProps) {
  const list = useLoad(() => client.namespaces({ per_page: 1000 }), [client], 2000);
  const { act, busy, status } = useAction();
  const [other, setOther] = useState('');
  const info = list.data?.namespaces.find((n) => n['name'] === ns) as undefined | { accounts: number; accounts_in_memory: number; journal: { held: number; total: number }; faults: number; live_calls: number; clock: { mode: string; now: string }; last_used: string };
  const download = async () => {
    const snapshot = await client.snapshot();
    const url = URL.createObjectURL(new Blob([JSON.stringify(snapshot, null, 2)], { type: 'application/json' }));
    const a = Object.assign(document.createElement('a'), { href: url, download: `vobiz-mock-${ns}-snapshot.json` });
    a.click();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  };
  const upload = async (file: File) => client.restore(JSON.parse(await file.text()) as Record<string, unknown>);
  return html`<h1>Namespace <code>${ns}</code></h1>
    <${Section} title="Figures" id="figures">
      <${ErrorText} text=${list.error} />
      ${!info ? (list.data ? html`<p class="muted">Not made yet: it is at its seeds (it is made by the first request that names it).</p>` : html`<${Loading} />`) : html`<dl class="pairs">
        <dt>Accounts</dt><dd>${info.accounts} (${info.accounts_in_memory} in memory)</dd><dt>Journal</dt><dd>${info.journal.held} held of ${info.journal.total}</dd>
        <dt>Fault rules</dt><dd>${info.faults}</dd><dt>Live calls</dt><dd>${info.live_calls}</dd><dt>Clock</dt><dd>${info.clock.mode}, ${when(info.clock.now)}</dd><dt>Last used</dt><dd>${when(info.last_used)}</dd></dl>`}
    <//>
    <${Section} title="Actions" id="actions">
      <div class="row">
        <button type="button" disabled=${busy} onClick=${() => confirm(`Reset ${ns} to its seeds (accounts, clock, faults, journal)?`) && void act(() => client.reset(), 'Reset to the seeds', list.reload)}>Reset</button>
        <button type="button" disabled=${busy} onClick=${() => void act(download, 'Snapshot downloaded')}>Download snapshot</button>
        <label class="button" for="snapshot-file">Upload snapshot</label>
        <input id="snapshot-file" class="visually-hidden" type="file" accept="application/json,.json" onChange=${(e: Event) => { const f = (e.target as HTMLInputElement).files?.[0]; if (f) void act(() => upload(f), `Loaded ${f.name}`, list.reload); }} />
        <button type="button" class="danger" disabled=${busy || ns === 'default'} title=${ns === 'default' ? 'The default namespace cannot be dropped' : ''} onClick=${() => confirm(`Drop ${ns}?`) && void act(() => client.dropNamespace(), `Dropped ${ns}`, () => { location.hash = href('default', 'namespace'); })}>Drop</button>
      </div>
      <${ErrorText} text=${status.error} /><${Done} text=${status.done} />
    <//>
    <${Section} title="Open another namespace" id="open">
      <form class="row" onSubmit=${(e: Event) => { e.preventDefault(); if (/^[a-z0-9_-]{1,64}$/.test(other)) location.hash = href(other, 'accounts'); }}>
        <label for="other-ns">Name (1-64 of a-z 0-9 _ -)</label>
        <input id="other-ns" pattern="[a-z0-9_-]{1,64}" required value=${other} onInput=${(e: Event) => setOther((e.target as HTMLInputElement).value)} />
        <button type="submit">Open</button>
      </form>
    <//>`;
}
