import { useState } from 'preact/hooks';
import type { ControlClient, FaultRuleInput } from '../../control/client.js';
import { Done, ErrorText, html, Loading, Section, useAction, useLoad, type ViewProps } from '../lib.js';

/** The operations and error codes a rule may name, read from the control plane's own document (MockFaultInput). */
async function choices(): Promise<{ operations: string[]; codes: string[] }> {
  const res = await fetch('/__mock/v1/openapi.json');
  const doc = (await res.json()) as { components: { schemas: Record<string, { properties: Record<string, { properties: Record<string, { enum?: string[] }> }> }> } };
  const input = doc.components.schemas['MockFaultInput']!;
  return { operations: input.properties['match']!.properties['operation']!.enum ?? [], codes: input.properties['effect']!.properties['code']!.enum ?? [] };
}

/** The rules with their hit counts (read every second), a form for a new one, and delete. */
export function FaultsView({ client }: ViewProps) {
  const rules = useLoad(() => client.faults(), [client], 1000);
  const { act, busy, status } = useAction();
  return html`<h1>Faults</h1>
    <${Section} title="Rules" id="rules">
      <${ErrorText} text=${rules.error} />
      ${!rules.data ? html`<${Loading} />` : rules.data.faults.length === 0 ? html`<p class="muted">No rules: every call is answered as documented.</p>` : html`<div class="scroll"><table class="faults">
        <thead><tr><th scope="col">id</th><th scope="col">Match</th><th scope="col">Effect</th><th scope="col">after / times / probability</th><th scope="col" class="num">Hits</th><th scope="col" class="num">Matched</th><th scope="col"><span class="visually-hidden">Actions</span></th></tr></thead>
        <tbody>${rules.data.faults.map((f) => html`<tr>
          <td><code>${f.id}</code></td><td><code>${JSON.stringify(f.match ?? {})}</code></td><td><code>${JSON.stringify(f.effect)}</code></td>
          <td>${f.after ?? 0} / ${f.times ?? '∞'} / ${f.probability ?? 1}${f.seed !== undefined ? ` (seed ${f.seed})` : ''}</td>
          <td class="num hits">${f.hits}</td><td class="num">${f.matched}</td>
          <td><button type="button" class="small" disabled=${busy} onClick=${() => void act(() => client.deleteFault(f.id), `Deleted ${f.id}`, rules.reload)} aria-label=${`Delete ${f.id}`}>Delete</button></td>
        </tr>`)}</tbody></table></div>
        <button type="button" disabled=${busy} onClick=${() => void act(() => client.clearFaults(), 'Deleted every rule', rules.reload)}>Delete all</button>`}
      <${ErrorText} text=${status.error} /><${Done} text=${status.done} />
    <//>
    <${NewRule} client=${client} reload=${rules.reload} />`;
}

const fields = ['operation', 'method', 'path', 'auth_id', 'status', 'code', 'message', 'retry_after', 'delay_ms', 'drop', 'after', 'times', 'probability', 'seed'] as const;
type Draft = Record<(typeof fields)[number], string>;

/** The form's fields as a rule: empty fields left out, numbers read as numbers (the control plane checks the rest). */
function ruleOf(d: Draft): FaultRuleInput {
  const int = (text: string) => (text === '' ? undefined : Number(text));
  const defined = <T extends object>(o: T) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined && v !== '')) as T;
  const match = defined({ operation: d.operation, method: d.method, path: d.path, auth_id: d.auth_id });
  const effect = defined({ status: int(d.status), code: d.code, message: d.message, retry_after: int(d.retry_after), delay_ms: int(d.delay_ms), drop: d.drop });
  return defined({ ...(Object.keys(match).length > 0 ? { match } : {}), effect, after: int(d.after), times: int(d.times), probability: int(d.probability), seed: int(d.seed) }) as FaultRuleInput;
}

function NewRule({ client, reload }: { client: ControlClient; reload: () => void }) {
  const options = useLoad(choices, []);
  const { act, busy, status } = useAction();
  const [d, setD] = useState<Draft>(Object.fromEntries(fields.map((f) => [f, ''])) as Draft);
  const set = (name: keyof Draft) => (e: Event) => setD({ ...d, [name]: (e.target as HTMLInputElement).value });
  const input = (name: keyof Draft, label: string, attrs: Record<string, string> = {}) => html`<div class="field"><label for=${`rule-${name}`}>${label}</label><input id=${`rule-${name}`} ...${attrs} value=${d[name]} onInput=${set(name)} /></div>`;
  const select = (name: keyof Draft, label: string, values: readonly string[]) => html`<div class="field"><label for=${`rule-${name}`}>${label}</label>
    <select id=${`rule-${name}`} value=${d[name]} onChange=${set(name)}><option value="">(any)</option>${values.map((v) => html`<option>${v}</option>`)}</select></div>`;
  return html`<${Section} title="New rule" id="new-rule">
    <${ErrorText} text=${options.error} />
    <form onSubmit=${(e: Event) => { e.preventDefault(); void act(() => client.addFault(ruleOf(d)), 'Rule added', reload); }}>
      <fieldset><legend>Match (all that are given)</legend><div class="fields">
        ${select('operation', 'Operation', options.data?.operations ?? [])} ${input('method', 'Method', { placeholder: 'GET' })}
        ${input('path', 'Path glob', { placeholder: '/api/v1/Account/*/balance/*' })} ${input('auth_id', 'auth_id', { placeholder: 'MA_POSTPAID' })}
      </div></fieldset>
      <fieldset><legend>Effect</legend><div class="fields">
        ${input('status', 'Status', { type: 'number', min: '400', max: '599', placeholder: '503' })} ${select('code', 'Catalogue code', options.data?.codes ?? [])}
        ${input('message', 'Message')} ${input('retry_after', 'Retry-After (s)', { type: 'number', min: '0' })} ${input('delay_ms', 'Delay (ms)', { type: 'number', min: '0' })}
        ${select('drop', 'Drop the connection', ['reset', 'empty', 'truncated'])}
      </div></fieldset>
      <fieldset><legend>When</legend><div class="fields">
        ${input('after', 'After (matches let through first)', { type: 'number', min: '0' })} ${input('times', 'Times', { type: 'number', min: '1' })}
        ${input('probability', 'Probability (0 to 1)', { type: 'number', min: '0', max: '1', step: 'any' })} ${input('seed', 'Seed', { type: 'number', min: '0' })}
      </div></fieldset>
      <button type="submit" disabled=${busy}>Add rule</button>
    </form>
    <${ErrorText} text=${status.error} /><${Done} text=${status.done} />
  <//>`;
}
