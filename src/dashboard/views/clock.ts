import { useState } from 'preact/hooks';
import { Done, ErrorText, html, Loading, run, Section, useAction, useLoad, type ViewProps, when } from '../lib.js';

interface Applied {
  readonly by: string;
  readonly to: string;
  readonly renewed: number;
  readonly failed: number;
}

/** The namespace clock: freeze, advance (renewals that fall due are applied on the way, and shown), run again. */
export function ClockView({ client }: ViewProps) {
  const clock = useLoad(() => client.clock(), [client], 1000);
  const { act, busy, status } = useAction();
  const [at, setAt] = useState('');
  const [by, setBy] = useState('PT1H');
  const [log, setLog] = useState<Applied[]>([]);
  const advance = (step: string) =>
    act(async () => {
      const after = await run(() => client.advance(step));
      setLog((old) => [{ by: step, to: after.now, renewed: after.renewals.renewed, failed: after.renewals.failed }, ...old].slice(0, 50));
    }, `Advanced by ${step}`, clock.reload);
  return html`<h1>Clock</h1>
    <${Section} title="Now" id="now">
      ${!clock.data ? html`<${Loading} />` : html`<p class="big"><time datetime=${clock.data.now}>${when(clock.data.now)}</time> <span class="badge">${clock.data.mode}</span></p>`}
      <${ErrorText} text=${clock.error} />
    <//>
    <${Section} title="Move it" id="move">
      <div class="row">
        <button type="button" disabled=${busy} onClick=${() => void advance('P1D')}>+1 day</button>
        <button type="button" disabled=${busy} onClick=${() => void advance('P30D')}>+30 days</button>
        <form class="row" onSubmit=${(e: Event) => { e.preventDefault(); void advance(by); }}>
          <label for="advance-by">Advance by (ISO 8601 duration or seconds)</label>
          <input id="advance-by" value=${by} onInput=${(e: Event) => setBy((e.target as HTMLInputElement).value)} />
          <button type="submit" disabled=${busy}>Advance</button>
        </form>
      </div>
      <form class="row" onSubmit=${(e: Event) => { e.preventDefault(); void act(() => client.freeze(at.includes('Z') || /[+-]\d\d:\d\d$/.test(at) ? at : `${at}Z`), `Frozen at ${at}`, clock.reload); }}>
        <label for="freeze-at">Freeze at (UTC)</label>
        <input id="freeze-at" type="datetime-local" step="1" required value=${at} onInput=${(e: Event) => setAt((e.target as HTMLInputElement).value)} />
        <button type="submit" disabled=${busy}>Freeze</button>
        <button type="button" disabled=${busy} onClick=${() => void act(() => client.realTime(), 'Running in real time', clock.reload)}>Run in real time</button>
      </form>
      <${ErrorText} text=${status.error} /><${Done} text=${status.done} />
    <//>
    <${Section} title="What each advance applied" id="applied">
      ${log.length === 0 ? html`<p class="muted">No advance from this page yet.</p>` : html`<table class="applied"><thead><tr><th scope="col">Advance</th><th scope="col">To</th><th scope="col" class="num">Renewals applied</th><th scope="col" class="num">Renewals failed</th></tr></thead>
        <tbody>${log.map((l) => html`<tr><td>${l.by}</td><td>${when(l.to)}</td><td class="num">${l.renewed}</td><td class="num">${l.failed}</td></tr>`)}</tbody></table>`}
    <//>`;
}
