import { parse } from 'fast-querystring';
import { Value, ValueErrorType } from '@sinclair/typebox/value';
import { TypeCompiler, type TypeCheck } from '@sinclair/typebox/compiler';
import type { TSchema } from '@sinclair/typebox';

/** A query string's parameters (repeated ones as arrays), decoded as Fastify decodes them. */
export function parseQuery(raw: string): Record<string, string | string[]> {
  return raw === '' ? {} : (parse(raw) as Record<string, string | string[]>);
}

export interface FieldError {
  readonly field: string;
  readonly message: string;
  readonly code: 'REQUIRED' | 'INVALID_TYPE' | 'INVALID_VALUE' | 'OUT_OF_RANGE' | 'UNKNOWN_FIELD' | 'INVALID_FORMAT';
  readonly value?: unknown;
}

const checks = new WeakMap<TSchema, TypeCheck<TSchema>>();

/** A value's problems against a schema, in the errors page's `details.errors[]` form; one a field. */
export function fieldErrors(schema: TSchema, value: unknown): FieldError[] {
  // The quick check first (compiled on first use); the walk that names each problem only for a value that fails it.
  let check = checks.get(schema);
  if (!check) checks.set(schema, (check = TypeCompiler.Compile(schema)));
  if (check.Check(value)) return [];
  const seen = new Map<string, FieldError>();
  for (const error of Value.Errors(schema, value)) {
    const field = error.path.split('/').filter(Boolean).join('.') || '(body)';
    if (seen.has(field)) continue;
    const s = error.schema as { enum?: string[]; minimum?: number; maximum?: number; type?: string };
    let found: FieldError;
    if (error.type === ValueErrorType.ObjectRequiredProperty) found = { field, message: 'is required', code: 'REQUIRED' };
    else if (error.type === ValueErrorType.ObjectAdditionalProperties) found = { field, message: 'is not a field of this request', code: 'UNKNOWN_FIELD' };
    else if (s.enum) found = { field, message: `must be one of ${s.enum.join(', ')}`, code: 'INVALID_VALUE', value: error.value };
    else if (s.type === 'integer' && typeof error.value === 'number' && Number.isInteger(error.value)) {
      found = { field, message: `must be from ${s.minimum} to ${s.maximum}`, code: 'OUT_OF_RANGE', value: error.value };
    } else found = { field, message: `must be ${s.type === 'integer' ? 'an integer' : s.type === 'object' ? 'a JSON object' : `a ${s.type}`}`, code: 'INVALID_TYPE', value: error.value };
    seen.set(field, found);
  }
  return [...seen.values()];
}
