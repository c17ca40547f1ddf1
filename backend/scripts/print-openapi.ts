import { generateKeyPairSync } from 'node:crypto';
import { buildApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';

/**
 * Prints the OpenAPI document as JSON without any running service, so the frontend can generate
 * its API types on any machine: the app is built with placeholder settings whose addresses
 * (loopback port 1) refuse connections at once.
 * usage: tsx scripts/print-openapi.ts > openapi.json
 */
const signingKey = generateKeyPairSync('ec', { namedCurve: 'P-256' });
// Secrets that switch optional routes on (webhooks) are set so the document lists every route.
const placeholders = {
  NODE_ENV: 'test',
  LOG_LEVEL: 'silent',
  PUBLIC_URL: 'http://localhost:8080',
  DATABASE_URL: 'postgresql://openapi:openapi@127.0.0.1:1/openapi',
  S3_ENDPOINT: 'http://127.0.0.1:1',
  S3_BUCKET: 'openapi',
  S3_ACCESS_KEY: 'openapi',
  S3_SECRET_KEY: 'openapi-placeholder',
  SMTP_URL: 'smtp://127.0.0.1:1',
  JWT_PRIVATE_KEY: signingKey.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
  JWT_PUBLIC_KEY: signingKey.publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  MAIL_WEBHOOK_SECRET: 'openapi-placeholder-secret',
  STORAGE_WEBHOOK_SECRET: 'openapi-placeholder-secret',
};

const app = await buildApp(loadConfig(placeholders));
// Start-up work that needs a service (the files module's bucket set-up) fails against the
// placeholder address without stopping the app, so the document is complete once ready.
await app.ready();
process.stdout.write(`${JSON.stringify(app.swagger(), null, 2)}\n`);
await app.close();
