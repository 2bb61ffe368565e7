import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { RecordedRequest } from '../../control/client.js';
import { Chart } from '../chart.js';
import { ErrorText, href, html, message, run, Section, type ViewProps, when } from '../lib.js';

/** Entries the tail keeps on screen, newest first. */
const KEPT = 500;
const EVERY_MS = 500;
/** The chart's window: the last minute, one bar a second. */
const WINDOW_S = 60;

const classOf = (status: number) => (status >= 500 || status === 0 ? '5xx' : status >= 400 ? '4xx' : '2xx');

/** The journal as a live tail: asked every half second for the entries after the last one shown (since=<id>). */
export function RequestsView({ client, ns, query }: ViewProps) {
  const filter = { path: query.get('path') ?? '', status: query.get('status') ?? '', auth_id: query.get('auth_id') ?? '' };
  const [entries, setEntries] = useState<RecordedRequest[]>([]);
  const [error, setError] = useState<string | undefined>(undefined);
  const [open, setOpen] = useState<number | undefined>(undefined);
  const [now, setNow] = useState(Date.now());
  const last = useRef<number | undefined>(undefined);
  useEffect(() => {
    let stopped = false;
    last.current = undefined;
    setEntries([]);
    const poll = async () => {
      try {
        const page = await run(() =>
          client.requests({ limit: last.current === undefined ? 200 : 1000, since: last.current, path: filter.path || undefined, status: filter.status ? Number(filter.status) : undefined, auth_id: filter.auth_id || undefined }),
        );
        if (stopped) return;
        setError(undefined);
        const fresh = page.requests;
        if (fresh.length > 0) {
          last.current = fresh[fresh.length - 1]!.id;
          setEntries((old) => [...fresh.reverse(), ...old].slice(0, KEPT));
        } else if (last.current === undefined) last.current = page.meta.total;
      } catch (failure) {
        if (!stopped) setError(message(failure));
      }
      if (!stopped) setNow(Date.now());
    };
    void poll();
    const timer = setInterval(() => void poll(), EVERY_MS);
    return () => {
      stopped = true;
      clearInterval(timer);
    };
  }, [client, filter.path, filter.status, filter.auth_id]);
  const chart = useMemo(() => perSecond(entries, now), [entries, now]);
  const selected = entries.find((e) => e.id === open);
  return html`<h1>Requests</h1>
    <${Filters} ns=${ns} filter=${filter} />
    <${ErrorText} text=${error} />
    <${Section} title="Requests per second (last minute)" id="rate">
      <${Chart} data=${chart} label="Requests per second by status class over the last minute" series=${[
        { label: '2xx', stroke: '#1a7f37', fill: 'rgba(26,127,55,0.15)' },
        { label: '4xx', stroke: '#9a6700', fill: 'rgba(154,103,0,0.15)' },
        { label: '5xx', stroke: '#cf222e', fill: 'rgba(207,34,46,0.15)' },
      ]} height=${140} />
    <//>
    ${selected ? html`<${Detail} entry=${selected} close=${() => setOpen(undefined)} />` : null}
    <p class="muted" aria-live="polite">${entries.length} shown (newest first, the last ${KEPT} at most); new ones appear as they come.</p>
    <div class="scroll"><table class="requests"><thead><tr><th scope="col">#</th><th scope="col">Time</th><th scope="col">Method</th><th scope="col">Path</th><th scope="col">Status</th><th scope="col" class="num">ms</th><th scope="col">Account</th><th scope="col">Fault</th></tr></thead>
      <tbody>${entries.map((e) => html`<tr class=${`s${classOf(e.status)}${e.id === open ? ' open' : ''}`}>
        <td><button type="button" class="link" aria-expanded=${e.id === open} onClick=${() => setOpen(e.id === open ? undefined : e.id)}>${e.id}</button></td>
        <td>${when(e.time)}</td><td>${e.method}</td><td><code>${e.path}${e.query ? `?${e.query}` : ''}</code></td><td>${e.status}</td><td class="num">${e.duration_ms}</td><td>${e.auth_id ?? '–'}</td><td>${e.fault ?? ''}</td></tr>`)}</tbody></table></div>`;
}

function Filters({ ns, filter }: { ns: string; filter: Record<'path' | 'status' | 'auth_id', string> }) {
  const [draft, setDraft] = useState(filter);
  const field = (name: keyof typeof filter, label: string, hint: string) => html`<label for=${`filter-${name}`}>${label}</label>
    <input id=${`filter-${name}`} placeholder=${hint} value=${draft[name]} onInput=${(e: Event) => setDraft({ ...draft, [name]: (e.target as HTMLInputElement).value })} />`;
  return html`<form class="row" aria-label="Filter the journal" onSubmit=${(e: Event) => { e.preventDefault(); location.hash = href(ns, 'requests', undefined, draft); }}>
    ${field('path', 'Path', '/api/v1/**')} ${field('status', 'Status', '200')} ${field('auth_id', 'Account', 'MA_POSTPAID')}
    <button type="submit">Filter</button>
  </form>`;
}

function Detail({ entry, close }: { entry: RecordedRequest; close: () => void }) {
  return html`<${Section} title=${`Request #${entry.id}: ${entry.method} ${entry.path} → ${entry.status}`} id="detail">
    <dl class="pairs">
      <dt>Time</dt><dd>${when(entry.time)}</dd><dt>Operation</dt><dd>${entry.operation ?? '–'}</dd><dt>Duration</dt><dd>${entry.duration_ms} ms</dd>
      <dt>Account</dt><dd>${entry.auth_id ?? '–'}</dd><dt>Fault rule</dt><dd>${entry.fault ?? 'none'}</dd><dt>Query</dt><dd><code>${entry.query || '–'}</code></dd>
    </dl>
    <h3>Headers (redacted)</h3><pre>${JSON.stringify(entry.headers, null, 2)}</pre>
    <h3>Body</h3><pre>${entry.body ?? '(none)'}</pre>
    <button type="button" onClick=${close}>Close</button>
  <//>`;
}

/** Counts per second by status class over the last WINDOW_S seconds: the chart's columns. */
function perSecond(entries: readonly RecordedRequest[], now: number): [number[], number[], number[], number[]] {
  const end = Math.floor(now / 1000);
  const xs = Array.from({ length: WINDOW_S }, (_, i) => end - WINDOW_S + 1 + i);
  const counts = { '2xx': new Array<number>(WINDOW_S).fill(0), '4xx': new Array<number>(WINDOW_S).fill(0), '5xx': new Array<number>(WINDOW_S).fill(0) };
  for (const e of entries) {
    const slot = Math.floor(Date.parse(e.time) / 1000) - (end - WINDOW_S + 1);
    if (slot >= 0 && slot < WINDOW_S) counts[classOf(e.status)][slot]! += 1;
  }
  return [xs, counts['2xx'], counts['4xx'], counts['5xx']];
}
