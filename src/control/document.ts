import type { TSchema } from '@sinclair/typebox';
import { sharedSchemas } from '../schemas/index.js';
import { version } from '../version.js';
import { CONTROL_PREFIX, type ControlRoute } from './route.js';
import { controlSchemas } from './schemas.js';

/** Every schema a document may name, by $id. */
const named = new Map<string, TSchema>([...controlSchemas, ...sharedSchemas].map((s) => [s.$id!, s]));

const ref = (schema: TSchema) => (schema.$id !== undefined ? { $ref: `#/components/schemas/${schema.$id}` } : schema);

/** The named schemas a schema uses, itself included: the document's components. */
function collect(schema: unknown, into: Map<string, TSchema>): void {
  if (schema === null || typeof schema !== 'object') return;
  const s = schema as Record<string, unknown>;
  if (typeof s['$id'] === 'string') {
    if (into.has(s['$id'])) return;
    into.set(s['$id'], s as TSchema);
  }
  if (typeof s['$ref'] === 'string' && named.has(s['$ref'])) collect(named.get(s['$ref']), into);
  for (const value of Object.values(s)) if (typeof value === 'object') collect(value, into);
}

/**
 * The control plane's own OpenAPI document (not mixed into the Vobiz one), made from its routes as they are
 * registered: their paths, bodies, queries and responses are the ones the routes check and send.
 */
export function buildControlDocument(routes: readonly ControlRoute[], server = 'http://127.0.0.1:4010'): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  const components = new Map<string, TSchema>();
  for (const r of routes) {
    const path = `${CONTROL_PREFIX}${r.path.replace(/:(\w+)/g, '{$1}')}`;
    const params = [...r.path.matchAll(/:(\w+)/g)].map(([, name]) => ({ name, in: 'path', required: true, schema: { type: 'string' } }));
    if (r.body) collect(r.body, components);
    for (const [, schema] of Object.values(r.responses)) if (schema) collect(schema, components);
    const operation = {
      operationId: r.operationId,
      summary: r.summary,
      tags: [r.tag],
      parameters: [
        { name: 'X-Vobiz-Mock-Namespace', in: 'header', required: false, description: 'The namespace (1-64 of a-z 0-9 _ -); default "default". Echoed.', schema: { type: 'string', pattern: '^[a-z0-9_-]{1,64}$' } },
        ...params,
        ...(r.query ?? []).map((q) => ({ ...q, in: 'query', required: false })),
      ],
      ...(r.body ? { requestBody: { required: r.bodyOptional !== true, content: { 'application/json': { schema: ref(r.body) } } } } : {}),
      responses: Object.fromEntries(
        Object.entries(r.responses).map(([status, [description, schema]]) => [status, { description, ...(schema ? { content: { 'application/json': { schema: ref(schema) } } } : {}) }]),
      ),
    };
    paths[path] = { ...paths[path], [r.method.toLowerCase()]: operation };
  }
  // TypeBox's `$ref: "Account"` become component references.
  const text = JSON.stringify(Object.fromEntries([...components].sort(([a], [b]) => a.localeCompare(b))));
  const schemas = JSON.parse(text.replace(/"\$ref":"(\w+)"/g, '"$ref":"#/components/schemas/$1"')) as Record<string, unknown>;
  return {
    openapi: '3.1.0',
    info: {
      title: 'vobiz-mock control plane',
      version,
      description:
        "The emulator's own API for test suites: namespaces, reset, runtime accounts, simulated calls, a clock, faults and a journal. Not part of Vobiz. Every call acts on the namespace of its X-Vobiz-Mock-Namespace header; every error is the standard envelope. With --admin-token, every call wants an `Authorization: Bearer` header carrying that token.",
    },
    servers: [{ url: server }],
    paths,
    components: { schemas, securitySchemes: { AdminToken: { type: 'http', scheme: 'bearer', description: 'Only when the emulator runs with --admin-token.' } } },
    security: [{}, { AdminToken: [] }],
  };
}
