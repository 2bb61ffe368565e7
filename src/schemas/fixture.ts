import { type Static, Type } from '@sinclair/typebox';
import { AccountSchema } from './account.js';

const { auth_secret, cps_limit, concurrent_calls_limit, ...stored } = AccountSchema.properties;

/**
 * One fixture file: an account's credentials and state. The derived fields may be present (so a real
 * response can be pasted in as it is), but must then agree with what the emulator derives.
 */
export const FixtureFileSchema = Type.Object(
  {
    $schema: Type.Optional(Type.String()),
    auth_token: Type.String({
      pattern: '^[\\x21-\\x7e]{1,256}$',
      description: 'The X-Auth-Token of this account: 1 to 256 visible ASCII characters.',
    }),
    account: Type.Object(
      {
        ...stored,
        auth_id: Type.String({
          pattern: '^[A-Za-z0-9_.-]{1,64}$',
          description: 'The X-Auth-ID of this account: 1 to 64 of A-Z a-z 0-9 _ . -',
        }),
        auth_secret: Type.Optional(auth_secret),
        cps_limit: Type.Optional(cps_limit),
        concurrent_calls_limit: Type.Optional(concurrent_calls_limit),
      },
      { additionalProperties: false },
    ),
  },
  { $id: 'FixtureFile', additionalProperties: false },
);

export type FixtureFile = Static<typeof FixtureFileSchema>;
