import { Kind, type SchemaOptions, type Static, type TObject, type TSchema, type TString, Type, TypeRegistry } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { Expected } from './expectation.js';

/** A string enum from one list: the TS union of its members and a plain OpenAPI `enum` (not an `anyOf` of literals). */
export function StringEnum<const T extends readonly string[]>(values: T, options: SchemaOptions = {}) {
  return Type.Unsafe<T[number]>({ ...options, [Kind]: 'StringEnum', type: 'string', enum: [...values] });
}

TypeRegistry.Set<{ enum: string[] }>('StringEnum', (schema, value) => typeof value === 'string' && schema.enum.includes(value));

const inner = Symbol('vobiz-mock:nullable-inner');

/**
 * `T | null` as `type: [T, "null"]`: the OpenAPI 3.1 idiom, and a shape serializers handle without
 * trying each branch of an `anyOf`.
 */
export function Nullable<T extends TString | TObject>(schema: T, options: SchemaOptions = {}) {
  return Type.Unsafe<Static<T> | null>({ ...schema, ...options, [Kind]: 'Nullable', type: [schema.type, 'null'], [inner]: schema });
}

TypeRegistry.Set<{ [inner]: TSchema }>('Nullable', (schema, value) => value === null || Value.Check(schema[inner], value));

/** An X-Auth-Token (or the admin token): 1 to 256 visible ASCII characters. */
export const AuthTokenString = (options: SchemaOptions = {}) =>
  Type.String({ pattern: '^[\\x21-\\x7e]{1,256}$', [Expected]: '1 to 256 visible ASCII characters (no spaces)', ...options });

/** An upper-case ISO 4217 currency code. */
export const CurrencyCode = (options: SchemaOptions = {}) =>
  Type.String({ pattern: '^[A-Z]{3}$', [Expected]: 'an upper-case three-letter currency code such as INR', description: 'An upper-case ISO 4217 code.', ...options });
