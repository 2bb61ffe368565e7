import { LATEST, LATEST_MS, readInstant } from '../schemas/instant.js';
import { type ControlRoute, errors, invalidField } from './route.js';
import { parseDuration } from './rules.js';
import { type ClockChange, ClockChangeSchema, ClockSchema } from './schemas.js';

/** The most renewals one clock move applies: each is a ledger entry, made before the answer (about half a second for 100,000 here). */
export const MAX_RENEWALS_PER_MOVE = 100_000;

export const getClock: ControlRoute = {
  method: 'GET',
  path: '/clock',
  operationId: 'getClock',
  tag: 'Clock',
  summary: "The namespace's clock",
  responses: { 200: ['The clock', ClockSchema], ...errors() },
  handle: ({ ns }) => ({ status: 200, body: ns.clock.state }),
};

/** Where a move takes the clock (epoch ms), or a 422 saying what was expected. */
function destination(change: ClockChange, from: number): number {
  if (change.freeze !== undefined) {
    // Any instant the emulator holds, past or future: a suite frozen at a fixed date passes whatever day it runs.
    const read = readInstant(change.freeze);
    if (!('micros' in read)) throw invalidField('freeze', `must be ${read.expected}`, 'INVALID_FORMAT');
    return Math.floor(read.micros / 1000);
  }
  if (change.advance === undefined) return from;
  const ms = typeof change.advance === 'number' ? change.advance * 1000 : parseDuration(change.advance);
  if (ms === undefined || !Number.isFinite(ms) || ms < 0) {
    throw invalidField('advance', 'must be a number of seconds (0 or more) or an ISO 8601 duration in weeks, days, hours, minutes and seconds such as P30D or PT1H30M', 'INVALID_FORMAT');
  }
  const to = from + Math.round(ms);
  if (to > LATEST_MS) {
    throw invalidField('advance', `must not move the clock past ${LATEST}: it shows ${new Date(from).toISOString()}, so at most ${Math.floor((LATEST_MS - from) / 1000)} seconds more`, 'OUT_OF_RANGE');
  }
  return to;
}

export const setClock: ControlRoute = {
  method: 'POST',
  path: '/clock',
  operationId: 'setClock',
  tag: 'Clock',
  summary: 'Freeze (at any instant), advance (applying renewals on the way) or run the clock',
  body: ClockChangeSchema,
  responses: { 200: ['The clock, and what the move applied', ClockSchema], ...errors(400, 422) },
  handle({ ns, body }) {
    const change = body as ClockChange;
    const given = ['freeze', 'advance', 'real'].filter((k) => k in change);
    if (given.length !== 1) throw invalidField('(body)', 'must give exactly one of freeze, advance, real', 'REQUIRED');
    const from = ns.now();
    const to = destination(change, from);
    // Everything that falls due on a forward move, before the answer (token expiry needs nothing: it is read at
    // each request). A backward freeze applies nothing: renewals follow the clock forward only.
    let renewed = 0;
    let failed = 0;
    if (to > from) {
      const accounts = [...ns.store.withSubscriptions()].map((stored) => stored.account);
      const due = accounts.reduce((sum, account) => sum + account.renewalsDue(from * 1000, to * 1000), 0);
      if (due > MAX_RENEWALS_PER_MOVE) {
        throw invalidField(given[0]!, `would apply ${due} subscription renewals, more than the ${MAX_RENEWALS_PER_MOVE} one move applies: move the clock in smaller steps`, 'OUT_OF_RANGE');
      }
      for (const account of accounts) {
        const outcome = account.renew(from * 1000, to * 1000, () => ns.store.newId());
        renewed += outcome.renewed;
        failed += outcome.failed;
      }
    }
    if (change.freeze !== undefined) ns.clock.freeze(to);
    else if (change.advance !== undefined) ns.clock.advance(to - from);
    else ns.clock.run();
    return { status: 200, body: { ...ns.clock.state, renewals: { renewed, failed } } };
  },
};
