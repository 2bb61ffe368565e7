import { type Account, type AccountData, AccountSchema, derivedAccountValues } from '../schemas/account.js';
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

/**
 * A writer for one account whose body is rewritten on every change: it keeps each top-level field's text and
 * writes again only the fields whose value changed (by identity: the store replaces nested objects, it never
 * mutates them in place). A purchase changes five of fifty fields, so it costs five fields, not fifty.
 * Made on an account's first change, not at load, so that untouched accounts cost nothing more.
 */
export function accountWriter(): (data: AccountData) => string {
  const fields = Object.entries(AccountSchema.properties as Record<string, Shape>).map(([key, property]) => ({
    key,
    prefix: `${JSON.stringify(key)}:`,
    write: compileSerializer(property),
  }));
  const unset = Symbol('unset');
  const values: unknown[] = fields.map(() => unset);
  const texts: string[] = fields.map(() => '');
  return (data) => {
    const derived: Record<string, unknown> = derivedAccountValues(data);
    const source = data as unknown as Record<string, unknown>;
    let out = '';
    for (let i = 0; i < fields.length; i++) {
      const { key, prefix, write } = fields[i]!;
      const value = key in derived ? derived[key] : source[key];
      if (value !== values[i]) {
        values[i] = value;
        texts[i] = value === undefined ? '' : prefix + write(value);
      }
      const text = texts[i]!;
      if (text !== '') out += out === '' ? text : `,${text}`;
    }
    return `{${out}}`;
  };
}
