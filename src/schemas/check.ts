import type { TSchema } from '@sinclair/typebox';
import { TypeCompiler, type TypeCheck } from '@sinclair/typebox/compiler';
import { Value, ValueErrorType } from '@sinclair/typebox/value';
import { expectation, secretField, shownValue } from './expectation.js';
import './formats.js';
import { readInstant } from './instant.js';

export interface FieldError {
  readonly field: string;
  readonly message: string;
  readonly code: 'REQUIRED' | 'INVALID_TYPE' | 'INVALID_VALUE' | 'OUT_OF_RANGE' | 'UNKNOWN_FIELD' | 'INVALID_FORMAT';
  readonly value?: unknown;
}

const ranges = new Set([
  ValueErrorType.NumberMinimum, ValueErrorType.NumberMaximum, ValueErrorType.NumberExclusiveMinimum, ValueErrorType.NumberExclusiveMaximum,
  ValueErrorType.IntegerMinimum, ValueErrorType.IntegerMaximum, ValueErrorType.IntegerExclusiveMinimum, ValueErrorType.IntegerExclusiveMaximum,
  ValueErrorType.StringMinLength, ValueErrorType.StringMaxLength, ValueErrorType.ArrayMinItems, ValueErrorType.ArrayMaxItems,
]);
const formats = new Set([ValueErrorType.StringPattern, ValueErrorType.StringFormat, ValueErrorType.StringFormatUnknown]);

const jsonType = (value: unknown) => (value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value === 'number' && Number.isInteger(value) ? 'integer' : typeof value);

/** The code of a value's first problem against a schema: its type, its range, its format, or its value. */
function codeOf(schema: TSchema, value: unknown): FieldError['code'] {
  const s = schema as { anyOf?: TSchema[]; type?: string | string[]; enum?: unknown[]; const?: unknown };
  // A union or a nullable type: judged by the member of the value's own type, if there is one.
  const members = s.anyOf ?? (Array.isArray(s.type) ? s.type.filter((t) => t !== 'null').map((type) => ({ ...schema, type })) : undefined);
  if (members) {
    const type = jsonType(value);
    const same = members.find((m) => m.type === type || (m.type === 'number' && type === 'integer'));
    return same ? codeOf(same as TSchema, value) : 'INVALID_TYPE';
  }
  if (s.enum || 'const' in s) return 'INVALID_VALUE';
  const first = Value.Errors(schema, value).First();
  if (!first) return 'INVALID_VALUE';
  if (ranges.has(first.type)) return 'OUT_OF_RANGE';
  if (formats.has(first.type)) return 'INVALID_FORMAT';
  return 'INVALID_TYPE';
}

/** What a schema expects, said of the value given: a date-time that is one but names no real instant says why. */
function expected(schema: TSchema, value: unknown): string {
  if ((schema as { format?: string }).format === 'date-time' && typeof value === 'string') {
    const read = readInstant(value);
    if ('expected' in read) return read.expected;
  }
  return expectation(schema);
}

const checks = new WeakMap<TSchema, TypeCheck<TSchema>>();

/**
 * A value's problems against a schema, in the errors page's `details.errors[]` form, one a field: what was
 * expected there in words ("must be an integer from 1 to 10000"), and the value when it is short and no
 * secret (see shownValue).
 */
export function fieldErrors(schema: TSchema, value: unknown): FieldError[] {
  // The quick check first (compiled on first use); the walk that names each problem only for a value that fails it.
  let check = checks.get(schema);
  if (!check) checks.set(schema, (check = TypeCompiler.Compile(schema)));
  if (check.Check(value)) return [];
  const seen = new Map<string, FieldError>();
  for (const error of Value.Errors(schema, value)) {
    const field = error.path.split('/').filter(Boolean).join('.') || '(body)';
    if (seen.has(field)) continue;
    const name = field.split('.').pop() ?? '';
    let found: FieldError;
    if (error.type === ValueErrorType.ObjectRequiredProperty) found = { field, message: `is required: ${expectation(error.schema)}`, code: 'REQUIRED' };
    else if (error.type === ValueErrorType.ObjectAdditionalProperties) {
      const known = Object.keys((error.schema as { properties?: object }).properties ?? {});
      found = { field, message: `is not a field here${known.length > 0 ? ` (the fields are ${known.join(', ')})` : ''}`, code: 'UNKNOWN_FIELD' };
    } else {
      const shown = secretField.test(name) ? undefined : shownValue(error.value);
      found = { field, message: `must be ${expected(error.schema, error.value)}`, code: codeOf(error.schema, error.value), ...(shown !== undefined ? { value: shown } : {}) };
    }
    seen.set(field, found);
  }
  return [...seen.values()];
}
