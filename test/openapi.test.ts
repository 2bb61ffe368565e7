import { readFileSync } from 'node:fs';
import SwaggerParser from '@apidevtools/swagger-parser';
import t from 'tap';
import { parse } from 'yaml';
import { buildOpenApiDocument, renderOpenApi } from '../src/http/api-document.js';
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
  t.same(Object.keys(document.components.schemas), [
    'PricingTier',
    'Account',
    'Balance',
    'Transaction',
    'ReferenceTypeTotals',
    'TransactionSummary',
    'TransactionList',
    'ReferenceTypes',
    'Concurrency',
    'PricingBracket',
    'ChannelPricingPreview',
    'ChannelSubscriptionRequest',
    'ChannelSubscription',
    'SubAccount',
    'SubAccountList',
    'CreateSubAccountRequest',
    'TokenPair',
    'SubAccountCreated',
    'UpdateSubAccountRequest',
    'Message',
    'KycStatus',
    'KycVerification',
    'CinMatches',
    'DigilockerInitiated',
    'TokenRotated',
    'InvalidCredentials',
    'ErrorEnvelope',
    'NumericError',
    'PlainError',
  ]);
  t.same(Object.keys(document.components.securitySchemes), ['AuthId', 'AuthToken', 'BasicAuth', 'BearerAuth']);
  t.same(document.components.securitySchemes.BasicAuth.scheme, 'basic');
  t.same(document.components.securitySchemes.BearerAuth.scheme, 'bearer');
  t.same(document.servers, [{ url: 'http://127.0.0.1:4010', description: 'this vobiz-mock' }]);
  const pair = { AuthId: [], AuthToken: [] };
  // Every route: its operationId, every status it can send, its security alternatives and its 2xx component.
  const expected: [string, string, string, string[], object[], string][] = [
    ['/api/v1/auth/me', 'get', 'getAccount', ['200', '401', '403', '500'], [pair], 'Account'],
    ['/api/v1/Account/{auth_id}/balance/{currency}', 'get', 'getBalance', ['200', '401', '403', '404', '422', '500'], [pair], 'Balance'],
    ['/api/v1/account/{auth_id}/balance/{currency}', 'get', 'getBalanceLowercase', ['200', '401', '403', '404', '422', '500'], [pair], 'Balance'],
    ['/api/v1/Account/{auth_id}/transactions', 'get', 'listTransactions', ['200', '400', '401', '403', '500'], [pair, { BasicAuth: [] }], 'TransactionList'],
    ['/api/v1/account/{auth_id}/transactions', 'get', 'listTransactionsLowercase', ['200', '400', '401', '403', '500'], [pair, { BasicAuth: [] }], 'TransactionList'],
    ['/api/v1/account/{auth_id}/transactions/reference-types', 'get', 'listTransactionReferenceTypes', ['200', '401', '403', '500'], [pair, { BasicAuth: [] }], 'ReferenceTypes'],
    ['/api/v1/Account/{auth_id}/transactions/reference-types', 'get', 'listTransactionReferenceTypesCapitalized', ['200', '401', '403', '500'], [pair, { BasicAuth: [] }], 'ReferenceTypes'],
    ['/api/v1/Account/{auth_id}/concurrency', 'get', 'getConcurrency', ['200', '401', '403', '500'], [pair], 'Concurrency'],
    ['/api/v1/account/{auth_id}/concurrency', 'get', 'getConcurrencyLowercase', ['200', '401', '403', '500'], [pair], 'Concurrency'],
    ['/api/v1/accounts/{auth_id}/channel-pricing-preview', 'get', 'previewChannelPricing', ['200', '400', '401', '403', '500'], [pair, { BearerAuth: [] }], 'ChannelPricingPreview'],
    ['/api/v1/accounts/{auth_id}/channel-subscriptions', 'post', 'createChannelSubscription', ['201', '400', '401', '403', '413', '415', '500'], [pair, { BearerAuth: [] }], 'ChannelSubscription'],
    ['/api/v1/accounts/{auth_id}/sub-accounts/', 'get', 'listSubAccounts', ['200', '400', '401', '403', '404', '500'], [pair], 'SubAccountList'],
    ['/api/v1/accounts/{auth_id}/sub-accounts/', 'post', 'createSubAccount', ['201', '400', '401', '403', '404', '409', '500'], [pair], 'SubAccountCreated'],
    ['/api/v1/accounts/{auth_id}/sub-accounts', 'get', 'listSubAccountsNoSlash', ['200', '400', '401', '403', '404', '500'], [pair], 'SubAccountList'],
    ['/api/v1/accounts/{auth_id}/sub-accounts', 'post', 'createSubAccountNoSlash', ['201', '400', '401', '403', '404', '409', '500'], [pair], 'SubAccountCreated'],
    ['/api/v1/accounts/{auth_id}/sub-accounts/{sub_auth_id}', 'get', 'getSubAccount', ['200', '401', '403', '404', '500'], [pair], 'SubAccount'],
    ['/api/v1/accounts/{auth_id}/sub-accounts/{sub_auth_id}', 'put', 'updateSubAccount', ['200', '400', '401', '403', '404', '500'], [pair], 'SubAccount'],
    ['/api/v1/accounts/{auth_id}/sub-accounts/{sub_auth_id}', 'delete', 'deleteSubAccount', ['200', '401', '403', '404', '500'], [pair], 'Message'],
    ['/api/v1/accounts/{auth_id}/sub-accounts/{sub_auth_id}/', 'get', 'getSubAccountSlash', ['200', '401', '403', '404', '500'], [pair], 'SubAccount'],
    ['/api/v1/accounts/{auth_id}/sub-accounts/{sub_auth_id}/', 'put', 'updateSubAccountSlash', ['200', '400', '401', '403', '404', '500'], [pair], 'SubAccount'],
    ['/api/v1/accounts/{auth_id}/sub-accounts/{sub_auth_id}/', 'delete', 'deleteSubAccountSlash', ['200', '401', '403', '404', '500'], [pair], 'Message'],
    ['/api/v1/sub-accounts/{sub_auth_id}/kyc/status', 'get', 'getSubAccountKycStatus', ['200', '401', '403', '404', '500'], [pair, { BearerAuth: [] }], 'KycStatus'],
    ['/api/v1/sub-accounts/{sub_auth_id}/kyc/verify-pan', 'post', 'kycVerifyPan', ['200', '400', '401', '403', '404', '500'], [pair, { BearerAuth: [] }], 'KycVerification'],
    ['/api/v1/sub-accounts/{sub_auth_id}/kyc/verify-gst', 'post', 'kycVerifyGst', ['200', '400', '401', '403', '404', '500'], [pair, { BearerAuth: [] }], 'KycVerification'],
    ['/api/v1/sub-accounts/{sub_auth_id}/kyc/cin/search', 'post', 'kycSearchCin', ['200', '400', '401', '403', '404', '500'], [pair, { BearerAuth: [] }], 'CinMatches'],
    ['/api/v1/sub-accounts/{sub_auth_id}/kyc/cin/confirm', 'post', 'kycConfirmCin', ['200', '400', '401', '403', '404', '500'], [pair, { BearerAuth: [] }], 'KycVerification'],
    ['/api/v1/sub-accounts/{sub_auth_id}/kyc/digilocker/initiate', 'post', 'kycInitiateDigilocker', ['200', '400', '401', '403', '404', '500'], [pair, { BearerAuth: [] }], 'DigilockerInitiated'],
    ['/api/v1/sub-accounts/{sub_auth_id}/kyc/digilocker/verify', 'post', 'kycVerifyDigilocker', ['200', '400', '401', '403', '404', '500'], [pair, { BearerAuth: [] }], 'KycVerification'],
    ['/api/v1/sub-accounts/test/{sub_auth_id}/kyc/verify-pan', 'post', 'testKycVerifyPan', ['200', '400', '401', '403', '404', '500'], [pair, { BearerAuth: [] }], 'KycVerification'],
    ['/api/v1/sub-accounts/test/{sub_auth_id}/kyc/verify-gst', 'post', 'testKycVerifyGst', ['200', '400', '401', '403', '404', '500'], [pair, { BearerAuth: [] }], 'KycVerification'],
    ['/api/v1/sub-accounts/test/{sub_auth_id}/kyc/cin/search', 'post', 'testKycSearchCin', ['200', '400', '401', '403', '404', '500'], [pair, { BearerAuth: [] }], 'CinMatches'],
    ['/api/v1/sub-accounts/test/{sub_auth_id}/kyc/cin/confirm', 'post', 'testKycConfirmCin', ['200', '400', '401', '403', '404', '500'], [pair, { BearerAuth: [] }], 'KycVerification'],
    ['/api/v1/sub-accounts/test/{sub_auth_id}/kyc/digilocker/initiate', 'post', 'testKycInitiateDigilocker', ['200', '400', '401', '403', '404', '500'], [pair, { BearerAuth: [] }], 'DigilockerInitiated'],
    ['/api/v1/sub-accounts/test/{sub_auth_id}/kyc/digilocker/verify', 'post', 'testKycVerifyDigilocker', ['200', '400', '401', '403', '404', '500'], [pair, { BearerAuth: [] }], 'KycVerification'],
    ['/api/v1/sub-accounts/test/{sub_auth_id}/kyc/finalize-pending', 'post', 'testKycFinalizePending', ['200', '400', '401', '403', '404', '500'], [pair, { BearerAuth: [] }], 'KycVerification'],
    ['/api/v1/auth/refresh', 'post', 'refreshTokens', ['200', '401', '403', '500'], [{ BearerAuth: [] }], 'TokenPair'],
    ['/api/v1/auth-token/rotate', 'post', 'rotateAuthToken', ['200', '401', '403', '500'], [pair], 'TokenRotated'],
  ];
  t.same(Object.keys(document.paths), [...new Set(expected.map(([path]) => path))], 'only the emulated API, not /health or /docs');
  for (const [path, method, operationId, statuses, security, component] of expected) {
    const op = document.paths[path][method];
    const fields = ['operationId', 'summary', 'tags', 'description', 'security', 'responses', ...(path.includes('{') ? ['parameters'] : []), ...((method === 'post' || method === 'put') && !['refreshTokens', 'rotateAuthToken'].includes(operationId) ? ['requestBody'] : [])];
    t.same(Object.keys(op).sort(), fields.sort(), `${operationId}: fields`);
    t.equal(op.operationId, operationId, path);
    t.same(Object.keys(op.responses), statuses, `${operationId}: every status it can send`);
    t.same(op.security, security, `${operationId}: security alternatives`);
    const success = op.responses[statuses[0]!].content['application/json'];
    t.same(success.schema, { $ref: `#/components/schemas/${component}` }, `${operationId}: 2xx by $id`);
    t.ok(Object.keys(success.examples).length > 0, `${operationId}: a 2xx example`);
    for (const status of statuses) t.same(Object.keys(op.responses[status].headers), ['X-Request-Id', ...(operationId.startsWith('listTransactions') && !operationId.includes('Reference') && status === '200' ? ['X-Vobiz-Mock-Warning'] : [])], `${operationId} ${status}: headers`);
    // Each error response shows an example of each code it can carry, and only those.
    for (const status of statuses.slice(1)) {
      const media = op.responses[status].content['application/json'];
      for (const [name, { value }] of Object.entries(media.examples) as [string, { value: { error: { code: unknown } | string } }][]) {
        if (typeof value.error === 'object' && typeof value.error.code === 'string') t.equal(value.error.code, name, `${operationId} ${status}: example ${name}`);
        if (typeof value.error === 'object' && typeof value.error.code === 'number') t.equal(value.error.code, Number(status), `${operationId} ${status}: example ${name}`);
      }
    }
  }
  const get = document.paths['/api/v1/auth/me'].get;
  t.same(get.responses['401'].content['application/json'].schema.anyOf, [
    { $ref: '#/components/schemas/InvalidCredentials' },
    { $ref: '#/components/schemas/ErrorEnvelope' },
  ]);
  t.same(Object.keys(get.responses['403'].content['application/json'].examples), ['ACCOUNT_INACTIVE', 'IP_NOT_WHITELISTED']);
  t.same(Object.keys(get.responses['500'].content['application/json'].examples), ['INTERNAL_ERROR']);
  t.same(document.paths['/api/v1/accounts/{auth_id}/channel-subscriptions'].post.requestBody.content['application/json'].schema, {
    $ref: '#/components/schemas/ChannelSubscriptionRequest',
  });
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
