// Generates src/lib/api-schema.d.ts from the backend's OpenAPI document, which
// backend/scripts/print-openapi.ts prints without any running service.
// usage: node scripts/generate-api-types.mjs [--check]
//   --check  exits 1 when the committed file differs from what the backend describes now.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import openapiTS, { astToString } from 'openapi-typescript';

const frontendDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const backendDir = join(frontendDir, '..', 'backend');
export const API_SCHEMA_PATH = join(frontendDir, 'src', 'lib', 'api-schema.d.ts');

const HEADER = `/**
 * Generated from the backend's OpenAPI document by frontend/scripts/generate-api-types.mjs.
 * Do not edit: change the backend's route schemas and run \`npm run generate:api -w frontend\`.
 */

`;

export function printOpenApiDocument() {
  const tsx = join(frontendDir, '..', 'node_modules', '.bin', 'tsx');
  const json = execFileSync(tsx, ['scripts/print-openapi.ts'], {
    cwd: backendDir,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  return JSON.parse(json);
}

/** The file's expected contents for the backend as it is now. */
export async function renderApiTypes() {
  const document = printOpenApiDocument();
  const ast = await openapiTS(document, { alphabetize: true, silent: true });
  return HEADER + astToString(ast);
}

const isMain = process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1];
if (isMain) {
  const rendered = await renderApiTypes();
  if (process.argv.includes('--check')) {
    const current = readFileSync(API_SCHEMA_PATH, 'utf8');
    if (current !== rendered) {
      console.error('src/lib/api-schema.d.ts is stale: run npm run generate:api -w frontend');
      process.exit(1);
    }
    console.log('src/lib/api-schema.d.ts is up to date');
  } else {
    writeFileSync(API_SCHEMA_PATH, rendered);
    console.log(`wrote ${API_SCHEMA_PATH}`);
  }
}
