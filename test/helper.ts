import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Test } from 'tap';
import { buildApp, type BuildOptions } from '../src/app.js';
import { createEmulator } from '../src/emulator.js';

/** The published credentials of the built-in accounts. */
export const credentials = {
  MA_PREPAID1: 'prepaid-token',
  MA_POSTPAID: 'postpaid-token',
  MA_TRIAL001: 'trial-token',
  MA_NULLABLE: 'nullable-token',
  MA_DISABLED: 'disabled-token',
  MA_EXPIRED1: 'expired-token',
  MA_IPLOCKED: 'iplocked-token',
  MA_LEDGER01: 'ledger-token',
} as const;

export type AuthId = keyof typeof credentials;

export const pair = (authId: AuthId) => ({ 'X-Auth-ID': authId, 'X-Auth-Token': credentials[authId] });

/** A fixed clock: 2026-11-22T12:00:00Z. */
export const fixedNow = Date.parse('2026-11-22T12:00:00.000Z');

export interface Answer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/**
 * Something to send requests to, over one of the two ways in: `inject` (Fastify's router, no socket) and
 * `http` (a real listening server, where GET /api/v1/auth/me takes the fast path). Both must answer alike.
 */
export interface Client {
  request(method: string, url: string, headers?: Record<string, string>, body?: string): Promise<Answer>;
}

export const transports = ['inject', 'http'] as const;
export type Transport = (typeof transports)[number];

export async function client(t: Test, transport: Transport, options: BuildOptions = {}): Promise<Client> {
  if (transport === 'inject') {
    const app = await buildApp({ logLevel: 'silent', now: () => fixedNow, ...options });
    t.teardown(() => app.close());
    return {
      async request(method, url, headers = {}, body) {
        const res = await app.inject({ method: method as 'GET', url, headers, ...(body !== undefined ? { payload: body } : {}) });
        return { status: res.statusCode, headers: res.headers as Record<string, string>, body: res.body };
      },
    };
  }
  const emulator = await createEmulator({ port: 0, now: () => fixedNow, ...options });
  t.teardown(() => emulator.close());
  return {
    async request(method, url, headers = {}, body) {
      const res = await fetch(`${emulator.url}${url}`, { method, headers, redirect: 'manual', ...(body !== undefined ? { body } : {}) });
      return { status: res.status, headers: Object.fromEntries(res.headers), body: await res.text() };
    },
  };
}

/** A temporary fixtures directory holding the given files (name -> text or JSON value). */
export function fixtureDir(t: Test, files: Record<string, unknown>): string {
  const dir = mkdtempSync(join(tmpdir(), 'vobiz-mock-fixtures-'));
  for (const [name, content] of Object.entries(files)) {
    writeFileSync(join(dir, name), typeof content === 'string' ? content : JSON.stringify(content, null, 2));
  }
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/**
 * Writes raw bytes to a fresh connection and gives back every byte the server sent until it closed the
 * connection (or `waitMs` passed, when the connection is cut). Below Fastify and node's client, for
 * requests no well-behaved client would send. `afterAnswer`, if given, is written 100 ms after the first bytes
 * of the answer arrive (the rest of a request whose answer went out before its body ended).
 */
export async function rawExchange(port: number, bytes: string | Buffer, waitMs = 1500, afterAnswer?: string | Buffer): Promise<string> {
  const { connect } = await import('node:net');
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    socket.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      // More bytes for the same request, once its answer has come and gone out whole (100 ms on).
      if (afterAnswer !== undefined && chunks.length === 1) setTimeout(() => socket.write(afterAnswer), 100);
    });
    socket.on('error', () => {});
    const timer = setTimeout(() => socket.destroy(), waitMs);
    socket.on('close', () => {
      clearTimeout(timer);
      resolve(Buffer.concat(chunks).toString('latin1'));
    });
    socket.write(bytes);
  });
}

export interface RawResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** Splits what a server sent on one connection into its responses (Content-Length, chunked, or to the end). */
export function parseResponses(raw: string, head = false): RawResponse[] {
  const out: RawResponse[] = [];
  let rest = raw;
  while (rest.length > 0) {
    const match = /^HTTP\/1\.[01] (\d{3})[^\r\n]*\r\n/.exec(rest);
    if (!match) throw new Error(`not a response: ${JSON.stringify(rest.slice(0, 80))}`);
    const end = rest.indexOf('\r\n\r\n');
    if (end < 0) throw new Error('headers without an end');
    const headers: Record<string, string> = {};
    for (const line of rest.slice(match[0].length, end).split('\r\n').filter(Boolean)) {
      const colon = line.indexOf(':');
      headers[line.slice(0, colon).toLowerCase()] = line.slice(colon + 1).trim();
    }
    rest = rest.slice(end + 4);
    let body = '';
    const status = Number(match[1]);
    if (head || status < 200 || status === 204 || status === 304) {
      // no body
    } else if (headers['content-length'] !== undefined) {
      body = rest.slice(0, Number(headers['content-length']));
      rest = rest.slice(body.length);
    } else if (headers['transfer-encoding'] === 'chunked') {
      for (;;) {
        const line = rest.indexOf('\r\n');
        const size = parseInt(rest.slice(0, line), 16);
        rest = rest.slice(line + 2);
        if (size === 0) {
          rest = rest.slice(rest.indexOf('\r\n') + 2);
          break;
        }
        body += rest.slice(0, size);
        rest = rest.slice(size + 2);
      }
    } else {
      body = rest;
      rest = '';
    }
    out.push({ status, headers, body });
  }
  return out;
}
