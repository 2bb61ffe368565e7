// npm run openapi: writes openapi/openapi.json and openapi/openapi.yaml from the route schemas.
// The tests fail when the committed files differ from what this writes.
import { mkdirSync, writeFileSync } from 'node:fs';
import { buildOpenApiDocument, renderOpenApi } from '../src/openapi.js';

const { json, yaml } = await renderOpenApi(await buildOpenApiDocument());
mkdirSync('openapi', { recursive: true });
writeFileSync('openapi/openapi.json', json);
writeFileSync('openapi/openapi.yaml', yaml);
process.stdout.write('wrote openapi/openapi.json and openapi/openapi.yaml\n');
