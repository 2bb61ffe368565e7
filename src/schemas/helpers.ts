import { Kind, type SchemaOptions, type Static, type TObject, type TSchema, type TString, Type, TypeRegistry } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';

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
