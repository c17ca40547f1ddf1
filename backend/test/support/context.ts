import { generateKeyPairSync, randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, inject } from 'vitest';
import { type BuildAppOptions, buildApp } from '../../src/app.js';
import { type Config, loadConfig } from '../../src/config.js';
import {
  closeDependencies,
  createDependencies,
  type Dependencies,
} from '../../src/dependencies.js';
import { ensureBucket } from '../../src/lib/storage.js';
import { createTestDatabase } from './database.js';
import { createMailbox, type Mailbox } from './mailbox.js';

export function uniqueId(prefix = 'id'): string {
  return `${prefix}-${randomBytes(6).toString('hex')}`;
}

let signingKeys: { privateKey: string; publicKey: string } | undefined;

/** One ES256 (P-256) key pair per test process: access tokens of every app in a file verify. */
export function testSigningKeys(): { privateKey: string; publicKey: string } {
  signingKeys ??= generateKeyPairSync('ec', {
    namedCurve: 'P-256',
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  });
  return signingKeys;
}

/** The environment a test app runs with: this file's database and bucket, the shared services. */
export function testEnv(databaseUrl: string, bucket: string): Record<string, string> {
  const services = inject('services');
  return {
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    PUBLIC_URL: 'http://localhost:8080',
    DATABASE_URL: databaseUrl,
    DATABASE_POOL_SIZE: '5',
    S3_ENDPOINT: services.s3.endpoint,
    S3_REGION: services.s3.region,
    S3_BUCKET: bucket,
    S3_ACCESS_KEY: services.s3.accessKey,
    S3_SECRET_KEY: services.s3.secretKey,
    SMTP_URL: services.smtpUrl,
    READY_TIMEOUT_MS: '1500',
    JWT_PRIVATE_KEY: testSigningKeys().privateKey,
    JWT_PUBLIC_KEY: testSigningKeys().publicKey,
    MFA_ENCRYPTION_KEY: 'test-mfa-encryption-key-0123456789abcdef',
  };
}

export interface TestContext {
  /** The environment this file's apps are built from (database, bucket, services). */
  env: Record<string, string>;
  config: Config;
  deps: Dependencies;
  mailbox: Mailbox;
  /** Builds an app on this file's services; closed after the file's tests. */
  buildApp(overrides?: Record<string, string>, options?: BuildAppOptions): Promise<FastifyInstance>;
}

/**
 * Call once at the top of a test file: gives the file its own database (cloned from the migrated
 * template) and bucket, and real dependencies, all removed after the file's tests.
 */
export function setupTestContext(): TestContext {
  const context = {} as TestContext;
  const apps: FastifyInstance[] = [];
  let dropDatabase: (() => Promise<unknown>) | undefined;

  beforeAll(async () => {
    const database = await createTestDatabase(
      inject('services').adminDatabaseUrl,
      inject('templateDatabase'),
    );
    dropDatabase = database.drop;
    const env = testEnv(database.url, `hp-${randomBytes(6).toString('hex')}`);
    context.env = env;
    context.config = loadConfig(env);
    context.deps = createDependencies(context.config);
    await ensureBucket(context.deps.storage, context.config.S3_REGION);
    context.mailbox = createMailbox(inject('services').mailApiUrl);
    context.buildApp = async (overrides = {}, options = {}) => {
      const config = loadConfig({ ...env, ...overrides });
      const app = await buildApp(config, { dependencies: context.deps, ...options });
      apps.push(app);
      return app;
    };
  });

  afterAll(async () => {
    await Promise.all(apps.map((app) => app.close()));
    if (context.deps) {
      await emptyBucket(context.deps);
      await closeDependencies(context.deps);
    }
    await dropDatabase?.();
  });

  return context;
}

async function emptyBucket({ storage }: Dependencies): Promise<void> {
  const names: string[] = [];
  for await (const object of storage.client.listObjectsV2(storage.bucket, '', true)) {
    if (object.name) names.push(object.name);
  }
  if (names.length > 0) await storage.client.removeObjects(storage.bucket, names);
  await storage.client.removeBucket(storage.bucket);
}
