import { Kind, type SchemaOptions, type TNull, type TSchema, type TUnion, Type, TypeRegistry } from '@sinclair/typebox';

TypeRegistry.Set<{ enum: string[] }>('StringEnum', (schema, value) => typeof value === 'string' && schema.enum.includes(value));

/** A string enum from one list: the TS union of its members and a plain OpenAPI `enum` (not an `anyOf` of literals). */
export function StringEnum<const T extends readonly string[]>(values: T, options: SchemaOptions = {}) {
  return Type.Unsafe<T[number]>({ ...options, [Kind]: 'StringEnum', type: 'string', enum: [...values] });
}

/** `T | null`: documented as an `anyOf` of the type and `null` (OpenAPI 3.1). */
export function Nullable<T extends TSchema>(schema: T, options: SchemaOptions = {}): TUnion<[T, TNull]> {
  return Type.Union([schema, Type.Null()], options);
}
