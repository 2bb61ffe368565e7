import { type Account, type AccountData, AccountSchema, derivedAccountFields, derivedAccountValues } from '../schemas/account.js';
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

const plain = /^[\x20\x21\x23-\x5b\x5d-\x7e]*$/;

/** A JSON string, as JSON.stringify writes it; text that needs no escape (an id, a timestamp) is only quoted. */
export function quoted(text: string): string {
  return plain.test(text) ? `"${text}"` : JSON.stringify(text);
}

const accountSerializer = compileSerializer(AccountSchema);

/** The Account body on the wire; run once per account state, not per request. */
export function serializeAccount(account: Account): string {
  return accountSerializer(account);
}

/**
 * A writer for one account whose body is rewritten on every change: it keeps each top-level field's text and
 * writes again only the fields whose value changed (by identity: the store replaces nested objects, it never
 * mutates them in place). A caller that knows which stored fields a change can touch names them, and only
 * those (and the derived fields) are looked at. The fields `volatile` names (and the derived ones) are kept
 * apart, and the runs of fields between them each joined into one flat string when one of them changes: a
 * purchase, which touches three of fifty, writes those three and joins a dozen strings. Made on an account's
 * first change, not at load, so that untouched accounts cost nothing more.
 */
export function accountWriter(volatile: readonly (keyof AccountData)[] = []): (data: AccountData, changed?: readonly (keyof AccountData)[]) => WrittenBody {
  const fields = Object.entries(AccountSchema.properties as Record<string, Shape>).map(([key, property]) => {
    // A number's text is ASCII, and String() writes a finite number as JSON does: no serializer, and no
    // counting of its bytes (a purchase rewrites three such fields).
    const numeric = property.type === 'integer' || property.type === 'number';
    const write = compileSerializer(property);
    return { key, prefix: `${JSON.stringify(key)}:`, write: numeric ? (value: unknown) => (typeof value === 'number' && Number.isFinite(value) ? String(value) : write(value)) : write, numeric, chunk: 0 };
  });
  // Chunks: each volatile or derived field alone, the fields between them together.
  const alone = new Set<string>([...volatile, ...derivedAccountFields]);
  const starts: number[] = [];
  fields.forEach((field, i) => {
    if (i === 0 || alone.has(field.key) || alone.has(fields[i - 1]!.key)) starts.push(i);
    field.chunk = starts.length - 1;
  });
  starts.push(fields.length);
  const index = new Map(fields.map((f, i) => [f.key, i]));
  const derivedIndexes = derivedAccountFields.map((key) => index.get(key)!);
  const isDerived = fields.map((f) => (derivedAccountFields as readonly string[]).includes(f.key));
  // The indexes of the fields a caller names, kept for the list it names them in (a purchase's is always one).
  let named: readonly (keyof AccountData)[] | undefined;
  let namedIndexes: number[] = [];
  const unset = Symbol('unset');
  const values: unknown[] = fields.map(() => unset);
  // Each field's text with its separating comma ('' when absent).
  const parts: string[] = fields.map(() => '');
  const chunks: string[] = starts.slice(1).map(() => '');
  // Each chunk's length in UTF-8 bytes: the body's is their sum, counted without flattening the body.
  const lengths: number[] = chunks.map(() => 0);
  const dirty: boolean[] = chunks.map(() => true);
  let first = -1;
  let derived: Record<string, unknown> = {};
  let source: Record<string, unknown> = {};
  /** Rewrites field i if its value changed; true when it appeared or disappeared. */
  const update = (i: number): boolean => {
    const { key, prefix, write, chunk } = fields[i]!;
    const value = isDerived[i] ? derived[key] : source[key];
    if (value === values[i]) return false;
    const was = values[i] !== undefined && values[i] !== unset;
    values[i] = value;
    parts[i] = value === undefined ? '' : (i === first ? '' : ',') + prefix + write(value);
    dirty[chunk] = true;
    return was !== (value !== undefined);
  };
  return (data, changed) => {
    derived = derivedAccountValues(data);
    source = data as unknown as Record<string, unknown>;
    let moved = false;
    if (changed === undefined || first < 0) {
      for (let i = 0; i < fields.length; i++) moved = update(i) || moved;
    } else {
      if (changed !== named) {
        named = changed;
        namedIndexes = changed.map((key) => index.get(key)!);
      }
      for (const i of namedIndexes) moved = update(i) || moved;
      for (const i of derivedIndexes) moved = update(i) || moved;
    }
    if (moved) {
      // A field appeared or disappeared: the separators are set again.
      first = values.findIndex((v) => v !== undefined && v !== unset);
      for (let i = 0; i < fields.length; i++) {
        if (values[i] === undefined || values[i] === unset) continue;
        const text = parts[i]!.startsWith(',') ? parts[i]!.slice(1) : parts[i]!;
        parts[i] = i === first ? text : `,${text}`;
      }
      dirty.fill(true);
    }
    let out = '{';
    let length = 2;
    for (let c = 0; c < chunks.length; c++) {
      if (dirty[c]) {
        const single = starts[c + 1]! - starts[c]! === 1;
        chunks[c] = single ? parts[starts[c]!]! : parts.slice(starts[c], starts[c + 1]).join('');
        lengths[c] = single && fields[starts[c]!]!.numeric ? chunks[c]!.length : Buffer.byteLength(chunks[c]!);
        dirty[c] = false;
      }
      out += chunks[c];
      length += lengths[c]!;
    }
    return { body: `${out}}`, length };
  };
}

/** A body and its length in bytes. */
export interface WrittenBody {
  readonly body: string;
  readonly length: number;
}
