import type { TSchema } from '@sinclair/typebox';
import { instantExpected } from './instant.js';

/**
 * A schema's own words for what it wants, where its keywords would say it badly (a pattern, a union):
 * `Type.String({ pattern: '^[A-Z]{3}$', [Expected]: 'a three-letter currency code such as INR' })`. A symbol,
 * so that it never reaches the OpenAPI document.
 */
export const Expected: unique symbol = Symbol.for('vobiz-mock.expected');

interface Keywords {
  readonly [Expected]?: string;
  readonly const?: unknown;
  readonly anyOf?: readonly TSchema[];
  readonly type?: string | readonly string[];
  readonly enum?: readonly unknown[];
  readonly $ref?: string;
  readonly format?: string;
  readonly pattern?: string;
  readonly minimum?: number;
  readonly maximum?: number;
  readonly exclusiveMinimum?: number;
  readonly exclusiveMaximum?: number;
  readonly minLength?: number;
  readonly maxLength?: number;
  readonly minItems?: number;
  readonly maxItems?: number;
}

const formats: Record<string, string> = {
  'date-time': instantExpected,
  uuid: 'a UUID such as 3f2b8c1e-4d5a-4b6c-9e7f-8a9b0c1d2e3f',
  email: 'an email address',
};

const a = (type: string) => ({ integer: 'an integer', number: 'a number', string: 'a string', boolean: 'true or false', object: 'a JSON object', array: 'an array', null: 'null' })[type] ?? `a ${type}`;

/** A range in words ("from 1 to 10000", "of at least 1", "above 0 and at most 5"), or '' when there is none. */
function range(min?: number, max?: number, above?: number, below?: number, unit = ''): string {
  if (min !== undefined && max !== undefined) return unit === '' ? `from ${min} to ${max}` : `of ${min} to ${max}${unit}`;
  const words: string[] = [];
  if (min !== undefined) words.push(`of at least ${min}${unit}`);
  if (above !== undefined) words.push(`above ${above}${unit}`);
  if (max !== undefined) words.push(`${words.length === 0 ? 'of ' : ''}at most ${max}${unit}`);
  if (below !== undefined) words.push(`below ${below}${unit}`);
  return words.join(' and ');
}

/**
 * What a schema expects, in words: "an integer from 1 to 10000", "one of cps, concurrent_calls", "an RFC 3339
 * date-time such as 2026-01-01T00:00:00Z", "a string of at most 500 characters". Every message that says a value
 * is wrong (a 422's `must be ...`, a fixture's `expected ...`) is made from it.
 */
export function expectation(schema: TSchema): string {
  const s = schema as Keywords;
  if (s[Expected] !== undefined) return s[Expected];
  if ('const' in s) return JSON.stringify(s.const);
  if (s.anyOf) return s.anyOf.map(expectation).join(' or ');
  if (Array.isArray(s.type)) {
    // Nullable: the other type's words, or null.
    const other = (s.type as readonly string[]).find((t) => t !== 'null') ?? 'null';
    return `${expectation({ ...schema, type: other } as TSchema)} or null`;
  }
  if (s.enum) return `one of ${s.enum.map(String).join(', ')}`;
  if (s.$ref !== undefined) return `a ${s.$ref} object`;
  if (s.format !== undefined) return formats[s.format] ?? `a ${s.format} string`;
  if (s.pattern !== undefined) return `a string matching /${s.pattern}/`;
  const type = typeof s.type === 'string' ? s.type : 'value';
  if (type === 'integer' || type === 'number') {
    const bounds = range(s.minimum, s.maximum, s.exclusiveMinimum, s.exclusiveMaximum);
    return bounds === '' ? a(type) : `${a(type)} ${bounds}`;
  }
  if (type === 'string') {
    if (s.minLength === 1 && s.maxLength === undefined) return 'a non-empty string';
    const bounds = range(s.minLength, s.maxLength, undefined, undefined, ' characters');
    return bounds === '' ? 'a string' : `a string ${bounds}`;
  }
  if (type === 'array') {
    const bounds = range(s.minItems, s.maxItems, undefined, undefined, ' items');
    return bounds === '' ? 'an array' : `an array ${bounds}`;
  }
  return a(type);
}

/** Field names whose values are never repeated in a message. */
export const secretField = /token|secret|password/i;

/** A client's text as a message may repeat it: up to 64 characters, longer ones cut with "...". */
export function shortText(text: string): string {
  return text.length <= 64 ? text : `${text.slice(0, 64)}...`;
}

/**
 * A value as an error body may show it: numbers, booleans and null as they are, a string of up to 64
 * characters as it is (longer ones cut, with "..."); undefined for arrays and objects, whose size a client
 * controls (a body nested 5,000 deep must not come back in its answer).
 */
export function shownValue(value: unknown): unknown {
  if (value === null || typeof value === 'boolean') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value === 'string') return shortText(value);
  return undefined;
}
