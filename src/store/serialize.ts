import { type Account, AccountSchema } from '../schemas/account.js';
import { PricingTierSchema } from '../schemas/pricing-tier.js';

/** The part of JSON Schema that decides what a body holds. */
interface Shape {
  $ref?: string;
  type?: unknown;
  properties?: Record<string, Shape>;
  items?: Shape;
  [keyword: string]: unknown;
}

const references: Record<string, Shape> = { PricingTier: PricingTierSchema };

type Serialize = (value: unknown) => string;

/**
 * A serializer made once from a schema: it writes what the schema declares, in the schema's order, and
 * nothing else, so bodies come out byte for byte in the documented field order. Objects the schema leaves
 * open (a map, or additionalProperties: true) are written whole. Built from closures rather than by copying
 * the value into a projected object first: an account is serialized on every change, a purchase included.
 */
export function compileSerializer(schema: Shape): Serialize {
  if (schema.$ref !== undefined) {
    let target: Serialize | undefined;
    const ref = schema.$ref;
    return (value) => (target ??= compileSerializer(references[ref] ?? {}))(value);
  }
  if (schema.items !== undefined) {
    const item = compileSerializer(schema.items);
    return (value) => (Array.isArray(value) ? `[${value.map(item).join(',')}]` : JSON.stringify(value));
  }
  const properties = schema.properties;
  if (!properties || Object.keys(properties).length === 0) return (value) => JSON.stringify(value);
  const fields = Object.entries(properties).map(([key, property]) => ({ key, prefix: `${JSON.stringify(key)}:`, write: compileSerializer(property) }));
  return (value) => {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return JSON.stringify(value);
    const source = value as Record<string, unknown>;
    let out = '';
    for (const { key, prefix, write } of fields) {
      const field = source[key];
      if (field === undefined) continue;
      out += `${out === '' ? '' : ','}${prefix}${write(field)}`;
    }
    return `{${out}}`;
  };
}

const accountSerializer = compileSerializer(AccountSchema);

/** The Account body on the wire; run once per account state, not per request. */
export function serializeAccount(account: Account): string {
  return accountSerializer(account);
}
