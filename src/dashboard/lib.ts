import type { ComponentChildren } from 'preact';
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { html } from 'htm/preact';
import { type ControlClient, ControlPlaneError } from '../control/client.js';

export { html };

/** What every view is given: the namespace's client, the namespace, and what the address bar says. */
export interface ViewProps {
  readonly client: ControlClient;
  readonly ns: string;
  readonly id: string | undefined;
  readonly query: URLSearchParams;
}

/** Told when a call was refused for want of the admin token (the shell then asks for it). */
let onUnauthorized: () => void = () => {};
export const setUnauthorizedHandler = (handler: () => void) => {
  onUnauthorized = handler;
};

/** The words of a failure, as the control plane said them. */
export function message(error: unknown): string {
  if (error instanceof ControlPlaneError) return error.message;
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return String(error);
}

/** Runs a call, telling the shell when the admin token is missing or wrong; rethrows. */
export async function run<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (error instanceof ControlPlaneError && error.status === 401) onUnauthorized();
    throw error;
  }
}

/**
 * Loads with `load`, again whenever `keys` change, and every `everyMs` if given (the views that show what
 * changes under them: the ledger, the journal, hit counts, the clock). A failed load keeps the last data and
 * shows the control plane's message.
 */
export function useLoad<T>(load: () => Promise<T>, keys: readonly unknown[], everyMs?: number) {
  const [data, setData] = useState<T | undefined>(undefined);
  const [error, setError] = useState<string | undefined>(undefined);
  const latest = useRef(load);
  latest.current = load;
  const generation = useRef(0);
  const reload = useCallback(async () => {
    const mine = ++generation.current;
    try {
      const value = await run(() => latest.current());
      if (mine !== generation.current) return;
      setData(value);
      setError(undefined);
    } catch (failure) {
      if (mine === generation.current) setError(message(failure));
    }
  }, []);
  // The last data stays on screen while the next loads (a poll, a page turned): no flicker.
  useEffect(() => {
    void reload();
    if (everyMs === undefined) return undefined;
    const timer = setInterval(() => void reload(), everyMs);
    return () => clearInterval(timer);
  }, keys);
  return { data, error, reload };
}

/** A button's action: runs it, shows its failure (or `done`), and calls `then` after a success. */
export function useAction() {
  const [status, setStatus] = useState<{ error?: string; done?: string }>({});
  const [busy, setBusy] = useState(false);
  const act = useCallback(async (call: () => Promise<unknown>, done?: string, then?: () => unknown) => {
    setBusy(true);
    try {
      await run(call);
      setStatus(done ? { done } : {});
      await then?.();
    } catch (failure) {
      setStatus({ error: message(failure) });
    } finally {
      setBusy(false);
    }
  }, []);
  return { act, busy, status };
}

export const ErrorText = ({ text }: { text: string | undefined }) => (text ? html`<p class="error" role="alert">${text}</p>` : null);
export const Done = ({ text }: { text: string | undefined }) => (text ? html`<p class="done" role="status">${text}</p>` : null);
export const Loading = () => html`<p class="muted" aria-live="polite">Loading…</p>`;

export const Section = ({ title, children, id }: { title: string; children: ComponentChildren; id?: string }) =>
  html`<section class="card" aria-labelledby=${`h-${id ?? title}`}><h2 id=${`h-${id ?? title}`}>${title}</h2>${children}</section>`;

/** A link to a view of a namespace: `#/<ns>/<view>/<id>?<query>`. */
export function href(ns: string, view: string, id?: string, query?: Record<string, string | number | undefined>): string {
  const q = new URLSearchParams(Object.entries(query ?? {}).filter(([, v]) => v !== undefined && v !== '').map(([k, v]) => [k, String(v)])).toString();
  return `#/${encodeURIComponent(ns)}/${view}${id !== undefined ? `/${encodeURIComponent(id)}` : ''}${q ? `?${q}` : ''}`;
}

/** Copies text, and says so beside the button. */
export const CopyButton = ({ text, label }: { text: string; label: string }) => {
  const [copied, setCopied] = useState(false);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(text);
    } catch {
      // No clipboard (an insecure origin): select the text instead.
      const area = document.createElement('textarea');
      area.value = text;
      document.body.append(area);
      area.select();
      document.execCommand('copy');
      area.remove();
    }
    setCopied(true);
    setTimeout(() => setCopied(false), 1500);
  };
  return html`<button type="button" class="small" onClick=${copy} aria-label=${`Copy ${label}`}>${copied ? 'Copied' : 'Copy'}</button>`;
};

export const money = (value: number | null | undefined, currency?: string) =>
  value === null || value === undefined ? '–' : `${value.toLocaleString('en-IN', { minimumFractionDigits: 2, maximumFractionDigits: 6 })}${currency ? ` ${currency}` : ''}`;

/** A date-time as the page shows it: ISO, to the second, UTC. */
export const when = (iso: string | null | undefined) => (iso ? `${iso.slice(0, 19).replace('T', ' ')} UTC` : '–');
