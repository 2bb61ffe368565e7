// npm run openapi: writes openapi/openapi.json and openapi/openapi.yaml from the route schemas.
// The tests fail when the committed files differ from what this writes.
import { mkdirSync, writeFileSync } from 'node:fs';
import { controlDocument } from '../src/control/index.js';
import { buildOpenApiDocument, renderOpenApi } from '../src/http/api-document.js';

const { json, yaml } = await renderOpenApi(await buildOpenApiDocument());
mkdirSync('openapi', { recursive: true });
writeFileSync('openapi/openapi.json', json);
writeFileSync('openapi/openapi.yaml', yaml);
writeFileSync('openapi/control-plane.json', `${JSON.stringify(controlDocument(), null, 2)}\n`);
process.stdout.write('wrote openapi/openapi.json, openapi/openapi.yaml and openapi/control-plane.json\n');
