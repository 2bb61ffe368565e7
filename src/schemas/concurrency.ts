import { type Static, Type } from '@sinclair/typebox';

export const ConcurrencySchema = Type.Object(
  {
    account_id: Type.String({ description: 'The Auth ID of the account (MA_...).', examples: ['MA_POSTPAID'] }),
    concurrent_calls: Type.Integer({ minimum: 0, description: 'Calls in progress now.', examples: [3] }),
    max_concurrent: Type.Integer({ minimum: 0, description: "The account's concurrent_calls_limit.", examples: [46] }),
    utilization_pct: Type.Integer({ minimum: 0, description: 'concurrent_calls as a whole percentage of max_concurrent (rounded).', examples: [7] }),
    request_id: Type.String({ description: 'The request id, also sent as the X-Request-Id header.', examples: ['req_00000000002a'] }),
  },
  { $id: 'Concurrency', additionalProperties: false, description: 'Live concurrency of an account.' },
);

export type Concurrency = Static<typeof ConcurrencySchema>;
