import { Type } from '@sinclair/typebox';
import { ChannelPricingPreviewSchema, ChannelSubscriptionRequestSchema, ChannelSubscriptionSchema } from '../schemas/capacity.js';
import type { Account } from '../domain/account.js';
import { isQuote, type Quote } from '../domain/capacity.js';
import { fromMicros, decimalString } from '../domain/money.js';
import { previewBody, subscriptionBody } from '../views/capacity.js';
import { AuthIdParam, envelopeResponse, forbiddenExamples, internalError, response } from './docs.js';
import { type Env, Failure, type Operation } from './operation.js';
import { fieldErrors } from '../schemas/check.js';
import { parseQuery } from './query.js';
import { parseJson } from '../schemas/json.js';

/** The capacity pages document 400 for a bad resource_type or quantity, not the errors page's 422. */
const BAD_INPUT = 400;

const invalid = (errors: unknown[]) => new Failure('VALIDATION_ERROR', undefined, { errors }, BAD_INPUT);

/** A quote for what a request asks, or the failure to answer: the same rules for the preview and the purchase. */
function quoteFor(account: Account, env: Env, input: unknown): Quote | Failure {
  const errors = fieldErrors(ChannelSubscriptionRequestSchema, input);
  if (errors.length > 0) return invalid(errors);
  const { resource_type, quantity } = input as { resource_type: 'cps' | 'concurrent_calls'; quantity: number };
  const quote = env.store.pricing.quote(account.profile.pricing_tier_id, resource_type, quantity);
  if (isQuote(quote)) return quote;
  if (quote.problem === 'no-pricing') return new Failure('BAD_REQUEST', quote.message);
  return invalid([{ field: 'quantity', message: quote.message, code: 'OUT_OF_RANGE', value: quantity }]);
}

const unauthorized = envelopeResponse(
  'Missing or invalid credentials or Bearer token (INVALID_CREDENTIALS), or an expired token (TOKEN_EXPIRED)',
  ['INVALID_CREDENTIALS', 'Invalid or missing credentials: send X-Auth-ID and X-Auth-Token, or Authorization: Bearer <token>'],
  ['TOKEN_EXPIRED', 'Auth token expired at 2026-01-01T00:00:00.000000+00:00'],
);
const forbidden = envelopeResponse('Another account (ACCESS_DENIED), an inactive account or a refused client IP', ...forbiddenExamples);
const quantityError = ['VALIDATION_ERROR', undefined, { errors: [{ field: 'quantity', message: 'concurrent calls are sold in blocks of 10, from 10 to 10000; got 25', code: 'OUT_OF_RANGE', value: 25 }] }] as const;
const tierError = ['BAD_REQUEST', 'No capacity pricing for pricing tier 11223344-5566-7788-99aa-bbccddeeff00'] as const;

export const previewChannelPricing: Operation = {
  method: 'GET',
  routes: [{ url: '/api/v1/accounts/:auth_id/channel-pricing-preview', operationId: 'previewChannelPricing' }],
  auth: ['pair', 'bearer'],
  errorStyle: 'envelope',
  doc: {
    tags: ['Capacity'],
    summary: 'Preview capacity pricing',
    description: "The monthly cost of buying `quantity` more channels or CPS on the account's pricing tier, bracket by bracket. Nothing is charged.",
    params: Type.Object({ auth_id: AuthIdParam }),
    querystring: Type.Object({ resource_type: ChannelSubscriptionRequestSchema.properties.resource_type, quantity: ChannelSubscriptionRequestSchema.properties.quantity }),
    responses: {
      200: response('The quote', Type.Ref(ChannelPricingPreviewSchema), {
        concurrent_calls: { resource_type: 'concurrent_calls', quantity: 30, monthly_cost: '10470.00', currency: 'INR', breakdown: [{ from: 1, to: 30, quantity: 30, unit_price: '349.00', amount: '10470.00' }] },
      }),
      400: envelopeResponse('A bad resource_type or quantity, a quantity outside the tier\'s blocks (VALIDATION_ERROR), or no pricing for the tier (BAD_REQUEST)', quantityError, tierError),
      401: unauthorized,
      403: forbidden,
      500: internalError,
    },
  },
  handle(account, request, env) {
    const query = parseQuery(request.query);
    const input: Record<string, unknown> = {};
    for (const name of ['resource_type', 'quantity'] as const) {
      const value = query[name];
      if (value === undefined) continue;
      if (Array.isArray(value)) return invalid([{ field: name, message: `given ${value.length} times: give it once`, code: 'INVALID_VALUE', value }]);
      input[name] = name === 'quantity' && /^-?[0-9]{1,9}$/.test(value) ? Number(value) : value;
    }
    const quote = quoteFor(account, env, input);
    return quote instanceof Failure ? quote : { status: 200, body: previewBody(quote) };
  },
};

export const createChannelSubscription: Operation = {
  method: 'POST',
  routes: [{ url: '/api/v1/accounts/:auth_id/channel-subscriptions', operationId: 'createChannelSubscription' }],
  auth: ['pair', 'bearer'],
  errorStyle: 'envelope',
  doc: {
    tags: ['Capacity'],
    summary: 'Buy capacity',
    description:
      'Buys channels or CPS: the first month is debited at once (a debit ledger entry with reference_type channel_subscription), purchased_* rise, and the subscription renews every 30 days. Refused, changing nothing, when a prepaid balance (or a hard-limited postpaid balance plus credit) cannot pay.',
    params: Type.Object({ auth_id: AuthIdParam }),
    body: Type.Ref(ChannelSubscriptionRequestSchema),
    responses: {
      201: response('The subscription', Type.Ref(ChannelSubscriptionSchema), {
        concurrent_calls: {
            id: '5ed57f90-b1f1-4c32-9475-b85aa6739aec', account_id: 500002, resource_type: 'concurrent_calls', quantity: 30, monthly_cost: '10470.00', currency: 'INR', status: 'active',
            last_billing_date: '2026-07-16T10:00:00Z', next_billing_date: '2026-08-15T10:00:00Z', purchased_at: '2026-07-16T10:00:00Z', cancelled_at: null, cancellation_reason: null,
            is_active: true, created_at: '2026-07-16T10:00:00Z', updated_at: '2026-07-16T10:00:00Z',
        },
      }),
      400: envelopeResponse(
        'A body that is not the documented JSON object, a bad resource_type or quantity (VALIDATION_ERROR), no pricing for the tier (BAD_REQUEST), or funds that cannot pay (INSUFFICIENT_BALANCE, 400 as the purchase page documents)',
        quantityError,
        tierError,
        ['BAD_REQUEST', 'Request body must be valid JSON: the text ends before the JSON value does'],
        ['INSUFFICIENT_BALANCE', undefined, { required: 3490, available: 7.3, currency: 'INR', shortfall: 3482.7 }],
      ),
      401: unauthorized,
      403: forbidden,
      413: envelopeResponse('A body over 64 KB, refused before it is read (PAYLOAD_TOO_LARGE)', [
        'PAYLOAD_TOO_LARGE',
        'Request body is larger than 65536 bytes, the most POST /api/v1/accounts/:auth_id/channel-subscriptions takes',
      ]),
      415: envelopeResponse('A body that is not application/json (UNSUPPORTED_MEDIA_TYPE)', ['UNSUPPORTED_MEDIA_TYPE']),
      500: internalError,
    },
  },
  handle(account, request, env) {
    if (request.body === undefined || request.body.trim() === '') {
      return new Failure('BAD_REQUEST', 'Request body required: a JSON object {"resource_type": "concurrent_calls" or "cps", "quantity": n}');
    }
    const parsed = parseJson(request.body);
    if ('problem' in parsed) return new Failure('BAD_REQUEST', `Request body must be ${parsed.problem}`);
    const quote = quoteFor(account, env, parsed.value);
    if (quote instanceof Failure) return quote;
    const result = account.purchase(quote, env.now() * 1000, () => env.store.newId());
    if ('refusal' in result) {
      const { required, available, currency, shortfall } = result.refusal;
      return new Failure(
        'INSUFFICIENT_BALANCE',
        `Insufficient balance: the first month costs ${decimalString(required * 1_000_000)} ${currency}, ${decimalString(available * 1_000_000)} ${currency} available`,
        { required, available, currency, shortfall: fromMicros(Math.round(shortfall * 1_000_000)) },
        BAD_INPUT,
      );
    }
    return { status: 201, body: subscriptionBody(result.subscription, account.numericId) };
  },
};
