import { type Account, AccountSchema } from '../schemas/account.js';
import { PricingTierSchema } from '../schemas/pricing-tier.js';

/** The part of JSON Schema that decides what a body holds. */
interface Shape {
  $ref?: string;
  properties?: Record<string, Shape>;
  items?: Shape;
  [keyword: string]: unknown;
}

const references: Record<string, Shape> = { PricingTier: PricingTierSchema };

/**
 * A copy of `value` holding what `schema` declares, in the schema's order: what is not in the schema is not
 * sent, and bodies come out byte for byte in the documented field order. Objects the schema leaves open
 * (a map, or additionalProperties: true) are copied whole.
 */
export function project(schema: Shape, value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (schema.$ref !== undefined) return project(references[schema.$ref] ?? {}, value);
  if (Array.isArray(value)) return value.map((item) => project(schema.items ?? {}, item));
  const properties = schema.properties;
  if (!properties || Object.keys(properties).length === 0) return value;
  const source = value as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const [key, property] of Object.entries(properties)) {
    if (source[key] !== undefined) out[key] = project(property, source[key]);
  }
  return out;
}

/** The Account body on the wire; run once per account state, not per request. */
export function serializeAccount(account: Account): string {
  return JSON.stringify(project(AccountSchema, account));
}
