import type { TSchema } from '@sinclair/typebox';
import { sharedSchemas } from '../schemas/index.js';

/** The part of JSON Schema that decides what a body holds. */
interface Shape {
  readonly $ref?: string;
  readonly properties?: Readonly<Record<string, Shape>>;
  readonly items?: Shape;
}

type Serialize = (value: unknown) => string;

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
  const properties = schema.properties;
  if (!properties || Object.keys(properties).length === 0) return (value) => JSON.stringify(value);
  const fields = Object.entries(properties).map(([key, property]) => ({ key, prefix: `${JSON.stringify(key)}:`, write: compile(property) }));
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

const compiled = new WeakMap<TSchema, Serialize>();

/** The serializer compiled from a body's TypeBox schema, when first used: a field added to a schema is a field of every body it describes. */
export function serializer<T>(schema: TSchema): (value: T) => string {
  let serialize = compiled.get(schema);
  if (!serialize) compiled.set(schema, (serialize = compile(schema as Shape)));
  return serialize as (value: T) => string;
}
