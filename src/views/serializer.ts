import type { TSchema } from '@sinclair/typebox';
import { sharedSchemas } from '../schemas/index.js';

/** The part of JSON Schema that decides what a body holds. */
interface Shape {
  readonly $ref?: string;
  readonly properties?: Readonly<Record<string, Shape>>;
  readonly items?: Shape;
}

type Serialize = (value: unknown) => string;

/** An object schema's field as it is written: its key with its colon, and its value's serializer. */
interface Field {
  readonly key: string;
  readonly prefix: string;
  readonly write: Serialize;
}

/** The shared schemas by $id, for the references (`$ref: "PricingTier"`) inside the schemas compiled here. */
const references = new Map<string, Shape>(sharedSchemas.map((schema) => [schema.$id!, schema as Shape]));

/**
 * A serializer made once from a schema: it writes the fields the schema declares, in the schema's order, and
 * nothing else; an object the schema leaves open (no properties: a map, or details) and every scalar are
 * written as JSON.stringify writes them. (fast-json-stringify, which Fastify uses, writes an object's required
 * fields before its optional ones: the documented bodies and a snapshot's fixtures follow the schema's order.)
 */
function compile(schema: Shape): Serialize {
  if (schema.$ref !== undefined) {
    let target: Serialize | undefined;
    const ref = schema.$ref;
    return (value) => (target ??= compile(references.get(ref) ?? {}))(value);
  }
  if (schema.items !== undefined) {
    const item = compile(schema.items);
    return (value) => (Array.isArray(value) ? `[${value.map(item).join(',')}]` : JSON.stringify(value));
  }
  const fields = fieldsOf(schema);
  if (!fields) return (value) => JSON.stringify(value);
  return (value) => (value === null || typeof value !== 'object' || Array.isArray(value) ? JSON.stringify(value) : `{${members(fields, value as Record<string, unknown>)}}`);
}

/** An object schema's fields, in its order; undefined for a schema that leaves its object open. */
function fieldsOf(schema: Shape): Field[] | undefined {
  const properties = schema.properties;
  if (!properties || Object.keys(properties).length === 0) return undefined;
  return Object.entries(properties).map(([key, property]) => ({ key, prefix: `${JSON.stringify(key)}:`, write: compile(property) }));
}

/** The members an object's fields make, comma-separated, without braces (a field it does not hold is left out). */
function members(fields: readonly Field[], source: Record<string, unknown>): string {
  let out = '';
  for (const { key, prefix, write } of fields) {
    const field = source[key];
    if (field === undefined) continue;
    out += `${out === '' ? '' : ','}${prefix}${write(field)}`;
  }
  return out;
}

const compiled = new WeakMap<TSchema, Serialize>();

/** The serializer compiled from a body's TypeBox schema, when first used: a field added to a schema is a field of every body it describes. */
export function serializer<T>(schema: TSchema): (value: T) => string {
  let serialize = compiled.get(schema);
  if (!serialize) compiled.set(schema, (serialize = compile(schema as Shape)));
  return serialize as (value: T) => string;
}

/**
 * For a body whose fields are all the same until a change but one, filled per request (the request id in the
 * concurrency body): the body without that field, written once by the schema's serializer, and a function that
 * puts the field in its place. What serializer(schema) writes for the whole value, byte for byte. Kept because it
 * is worth more than 3 %: GET .../concurrency went from 83,600 to about 78,700 instructions a request with it
 * (valgrind --single-threaded, 50 keep-alive connections; a raw node:http server 71,100).
 */
export function serializerAround<T, K extends keyof T & string>(schema: TSchema, key: K): (value: Omit<T, K>) => (fill: T[K]) => string {
  let byKey = compiledAround.get(schema);
  if (!byKey) compiledAround.set(schema, (byKey = new Map()));
  let around = byKey.get(key);
  if (!around) byKey.set(key, (around = compileAround(schema as Shape, key)));
  return around as (value: Omit<T, K>) => (fill: T[K]) => string;
}

const compiledAround = new WeakMap<TSchema, Map<string, (value: unknown) => (fill: unknown) => string>>();

function compileAround(schema: Shape, key: string): (value: unknown) => (fill: unknown) => string {
  const fields = fieldsOf(schema) ?? [];
  const at = fields.findIndex((field) => field.key === key);
  if (at < 0) throw new Error(`the schema has no field ${key}`);
  const { prefix, write } = fields[at]!;
  const [before, after] = [fields.slice(0, at), fields.slice(at + 1)];
  return (value) => {
    const head = members(before, value as Record<string, unknown>);
    const tail = members(after, value as Record<string, unknown>);
    const open = `{${head}${head === '' ? '' : ','}${prefix}`;
    const close = `${tail === '' ? '' : ','}${tail}}`;
    return (fill) => open + write(fill) + close;
  };
}
