import { type Static, Type } from '@sinclair/typebox';

export const HealthSchema = Type.Object(
  {
    status: Type.Literal('ok'),
    version: Type.String(),
    accounts: Type.Integer({ minimum: 0, description: 'Number of accounts loaded.' }),
  },
  { additionalProperties: false },
);

export type Health = Static<typeof HealthSchema>;
