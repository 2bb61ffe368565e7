import type { FaultInput } from '../schemas/faults.js';
import { ApiError } from '../errors.js';
import { shortText } from '../schemas/expectation.js';
import { type ControlRoute, errors, invalidField } from './route.js';
import { FaultInputSchema, FaultListSchema, FaultSchema } from './schemas.js';

export const addFault: ControlRoute = {
  method: 'POST',
  path: '/faults',
  operationId: 'addFault',
  tag: 'Faults',
  summary: 'A fault rule: match, effect, after, times, probability and seed, ttl_ms',
  body: FaultInputSchema,
  responses: { 201: ['The rule', FaultSchema], ...errors(400, 422) },
  handle({ ns, body }) {
    const input = body as unknown as FaultInput;
    const e = input.effect;
    if (e.status === undefined && e.code === undefined && e.delay_ms === undefined && e.drop === undefined) {
      throw invalidField('effect', 'must give at least one of status, code, delay_ms, drop', 'REQUIRED');
    }
    // Expired rules go first; then a namespace holds at most --max-fault-rules.
    if (ns.faults.list(Date.now()).length >= ns.faults.max) {
      throw invalidField('(namespace)', `holds at most ${ns.faults.max} fault rules (--max-fault-rules): delete some (DELETE /__mock/v1/faults/{id}, or all with DELETE /__mock/v1/faults) first`, 'OUT_OF_RANGE');
    }
    return { status: 201, body: ns.faults.add(input, Date.now()).view };
  },
};

export const listFaults: ControlRoute = {
  method: 'GET',
  path: '/faults',
  operationId: 'listFaults',
  tag: 'Faults',
  summary: 'The rules, with hit counts',
  responses: { 200: ['The rules', FaultListSchema], ...errors() },
  handle: ({ ns }) => ({ status: 200, body: { faults: ns.faults.list(Date.now()).map((r) => r.view) } }),
};

export const clearFaults: ControlRoute = {
  method: 'DELETE',
  path: '/faults',
  operationId: 'clearFaults',
  tag: 'Faults',
  summary: 'Remove every rule',
  responses: { 204: ['Removed'], ...errors() },
  handle({ ns }) {
    ns.faults.clear();
    return { status: 204 };
  },
};

export const deleteFault: ControlRoute = {
  method: 'DELETE',
  path: '/faults/:id',
  operationId: 'deleteFault',
  tag: 'Faults',
  summary: 'Remove a rule',
  responses: { 204: ['Removed'], ...errors(404) },
  handle({ ns, params }) {
    if (!ns.faults.remove(params['id']!)) throw new ApiError('NOT_FOUND', `No fault rule ${shortText(params['id']!)}`);
    return { status: 204 };
  },
};
