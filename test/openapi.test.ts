import { readFileSync } from 'node:fs';
import SwaggerParser from '@apidevtools/swagger-parser';
import t from 'tap';
import { parse } from 'yaml';
import { buildOpenApiDocument, renderOpenApi } from '../src/openapi.js';
import { client } from './helper.js';

const committed = (name: string) => readFileSync(new URL(`../openapi/${name}`, import.meta.url), 'utf8');

t.test('the committed document is what the schemas generate (run npm run openapi)', async (t) => {
  const { json, yaml } = await renderOpenApi(await buildOpenApiDocument());
  t.equal(committed('openapi.json'), json, 'openapi/openapi.json');
  t.equal(committed('openapi.yaml'), yaml, 'openapi/openapi.yaml');
});

t.test('the document is valid OpenAPI 3.1', async (t) => {
  const document = JSON.parse(committed('openapi.json'));
  await t.resolves(SwaggerParser.validate(structuredClone(document)));
  t.equal(document.openapi, '3.1.0');
  t.same(Object.keys(document.components.schemas), ['PricingTier', 'Account', 'InvalidCredentials', 'ErrorEnvelope']);
  t.same(document.components.securitySchemes, {
    AuthId: { type: 'apiKey', in: 'header', name: 'X-Auth-ID', description: 'Account Auth ID (MA_...)' },
    AuthToken: { type: 'apiKey', in: 'header', name: 'X-Auth-Token', description: 'Account Auth Token' },
  });
  t.same(document.servers, [{ url: 'http://127.0.0.1:4010', description: 'this vobiz-mock' }]);
  t.same(Object.keys(document.paths), ['/api/v1/auth/me'], 'only the emulated API, not /health or /docs');
  const get = document.paths['/api/v1/auth/me'].get;
  t.equal(get.operationId, 'getAccount');
  t.same(get.security, [{ AuthId: [], AuthToken: [] }]);
  t.same(Object.keys(get.responses), ['200', '401', '403', '500']);
  t.same(get.responses['200'].content['application/json'].schema, { $ref: '#/components/schemas/Account' });
  t.same(get.responses['401'].content['application/json'].schema.anyOf, [
    { $ref: '#/components/schemas/InvalidCredentials' },
    { $ref: '#/components/schemas/ErrorEnvelope' },
  ]);
  const account = document.components.schemas.Account;
  t.equal(Object.keys(account.properties).length, 46);
  t.equal(account.required.length, 46);
  t.equal(account.additionalProperties, false);
  t.same(account.properties.description.type, ['string', 'null']);
  t.same(account.properties.pricing_tier, { $ref: '#/components/schemas/PricingTier' });
});

t.test('served at /openapi.json and /openapi.yaml, with this server first', async (t) => {
  const api = await client(t, 'inject');
  const json = await api.request('GET', '/openapi.json', { host: '127.0.0.1:4010' });
  t.equal(json.status, 200);
  t.equal(json.headers['content-type'], 'application/json; charset=utf-8');
  t.equal(json.body, committed('openapi.json'), 'identical to the committed file when reached at the default address');
  const yaml = await api.request('GET', '/openapi.yaml', { host: '127.0.0.1:4010' });
  t.equal(yaml.headers['content-type'], 'application/yaml; charset=utf-8');
  t.equal(yaml.body, committed('openapi.yaml'));
  const mapped = await api.request('GET', '/openapi.json', { host: 'localhost:8080' });
  t.same(JSON.parse(mapped.body).servers, [{ url: 'http://localhost:8080', description: 'this vobiz-mock' }]);
  t.same(parse(yaml.body), JSON.parse(json.body));
});

t.test('Swagger UI at /docs', async (t) => {
  const api = await client(t, 'inject');
  const page = await api.request('GET', '/docs');
  t.equal(page.status, 200);
  t.equal(page.headers['content-type'], 'text/html; charset=utf-8');
  t.match(page.body, /<title>Swagger UI<\/title>/);
  const script = await api.request('GET', '/docs/static/swagger-ui-bundle.js');
  t.equal(script.status, 200);
  t.ok(script.body.length > 500_000, 'the Swagger UI bundle is served from the package');
  const spec = await api.request('GET', '/docs/json', { host: 'localhost:9999' });
  t.equal(spec.status, 200);
  t.same(JSON.parse(spec.body).servers, [{ url: 'http://localhost:9999', description: 'this vobiz-mock' }]);
  t.same(JSON.parse(spec.body).paths, JSON.parse(committed('openapi.json')).paths);
  const missing = await api.request('GET', '/docs/static/nope.js');
  t.equal(missing.status, 404);
  t.equal(JSON.parse(missing.body).error.code, 'NOT_FOUND');
});
