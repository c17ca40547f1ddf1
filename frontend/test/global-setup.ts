import { createHash, generateKeyPairSync, randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { pino } from 'pino';
import type { TestProject } from 'vitest/node';
import { buildApp } from '../../backend/src/app.js';
import { loadConfig } from '../../backend/src/config.js';
import { closeDependencies, createDependencies } from '../../backend/src/dependencies.js';
import { createBoss } from '../../backend/src/jobs/boss.js';
import { startWorkerLoops } from '../../backend/src/jobs/worker-jobs.js';
import { ensureBucket, type Storage } from '../../backend/src/lib/storage.js';
import { registerFilesJobs } from '../../backend/src/modules/files/jobs.js';
import { createTestDatabase, prepareTemplate } from '../../backend/test/support/database.js';
import {
  dockerAvailable,
  NO_SERVICES_MESSAGE,
  servicesFromEnv,
  startContainers,
  type TestServices,
} from '../../backend/test/support/services.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Origin of the real backend the pages talk to during this run. */
    apiBaseUrl: string;
    /** Mailpit-compatible API of the SMTP capture the backend sends through. */
    mailApiUrl: string;
    /** The backend's PUBLIC_URL: the origin the pages are served from, as far as it knows. */
    publicUrl: string;
    /** This address becomes admin when its account is confirmed (ADMIN_EMAIL). */
    adminEmail: string;
    /** The backend's database, for test set-up the API cannot do (granting roles, fixtures). */
    databaseUrl: string;
  }
}

/**
 * The page tests talk to the real backend: the same services, migrated template database and
 * configuration shape the backend's own tests use (backend/test/support), built once per run on
 * a database and bucket of its own and listening on a random loopback port.
 */
export default async function setup(project: TestProject) {
  let services: TestServices | undefined = servicesFromEnv(process.env);
  let stopContainers: (() => Promise<void>) | undefined;
  if (!services) {
    if (!dockerAvailable()) throw new Error(NO_SERVICES_MESSAGE);
    const started = await startContainers();
    services = started.services;
    stopContainers = started.stop;
  }

  const database = await createTestDatabase(
    services.adminDatabaseUrl,
    await prepareTemplate(services.adminDatabaseUrl),
  );
  // The values of backend/test/support/context.ts testEnv(), which reads the services through
  // Vitest's inject() and so cannot run in a global setup.
  const signingKeys = generateKeyPairSync('ec', {
    namedCurve: 'P-256',
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  });
  const adminEmail = `fe-admin-${randomBytes(5).toString('hex')}@example.test`;
  const config = loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    PUBLIC_URL: 'http://localhost:8080',
    DATABASE_URL: database.url,
    DATABASE_POOL_SIZE: '5',
    S3_ENDPOINT: services.s3.endpoint,
    S3_REGION: services.s3.region,
    S3_BUCKET: `hp-fe-${randomBytes(6).toString('hex')}`,
    S3_ACCESS_KEY: services.s3.accessKey,
    S3_SECRET_KEY: services.s3.secretKey,
    // The upload component POSTs the presigned form from the page (jsdom's XMLHttpRequest, real
    // HTTP), so forms are signed for the S3 server itself rather than for nginx's public origin.
    S3_PUBLIC_ENDPOINT: services.s3.endpoint,
    SMTP_URL: services.smtpUrl,
    READY_TIMEOUT_MS: '1500',
    JWT_PRIVATE_KEY: signingKeys.privateKey,
    JWT_PUBLIC_KEY: signingKeys.publicKey,
    MFA_ENCRYPTION_KEY: randomBytes(32).toString('base64url'),
    ADMIN_EMAIL: adminEmail,
    // Webhooks on, as in production, but with loopback receivers allowed: the settings page's
    // test sends a real test event to a receiver the test starts on 127.0.0.1 (plain http).
    // The target guard's other refusals still apply; the address refusals are tested in the
    // backend's webhooks.test.ts.
    WEBHOOKS_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
    WEBHOOKS_ALLOW_PRIVATE_TARGETS: 'true',
    WEBHOOKS_RESPONSE_TIMEOUT_MS: '2000',
  });
  const deps = createDependencies(config);
  await ensureBucket(deps.storage, config.S3_REGION);
  await allowBrowserUploads(deps.storage);
  const app = await buildApp(config, { dependencies: deps });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const { port } = app.server.address() as AddressInfo;
  // The worker's loops (the email outbox sender), so codes reach the SMTP capture as in production.
  const stopWorkerLoops = startWorkerLoops({
    db: deps.db,
    config,
    log: pino({ level: 'silent' }),
  });
  // The worker's files jobs too: DELETE enqueues the object's removal and needs the queue.
  const boss = createBoss({ connectionString: database.url });
  boss.on('error', () => undefined);
  await boss.start();
  await registerFilesJobs({ boss, db: deps.db, storage: deps.storage });

  project.provide('apiBaseUrl', `http://127.0.0.1:${port}`);
  project.provide('mailApiUrl', services.mailApiUrl);
  project.provide('publicUrl', config.PUBLIC_URL);
  project.provide('adminEmail', adminEmail);
  project.provide('databaseUrl', database.url);

  return async () => {
    await stopWorkerLoops();
    await boss.stop({ graceful: false, wait: true });
    await app.close();
    const names: string[] = [];
    for await (const object of deps.storage.client.listObjectsV2(deps.storage.bucket, '', true)) {
      if (object.name) names.push(object.name);
    }
    if (names.length > 0) await deps.storage.client.removeObjects(deps.storage.bucket, names);
    await deps.storage.client.removeBucket(deps.storage.bucket);
    await closeDependencies(deps);
    await database.drop();
    await stopContainers?.();
  };
}

/**
 * jsdom's page origin differs from the S3 server's, and jsdom enforces CORS (with a preflight,
 * since the upload has progress listeners), so the test bucket allows cross-origin form POSTs.
 * In production the page, the API and the bucket share nginx's origin and need no CORS.
 * MinIO has no bucket CORS API (it allows every origin by default), so NotImplemented is fine.
 */
async function allowBrowserUploads(storage: Storage) {
  const body =
    '<CORSConfiguration><CORSRule><AllowedOrigin>*</AllowedOrigin>' +
    '<AllowedMethod>POST</AllowedMethod><AllowedMethod>GET</AllowedMethod>' +
    '<AllowedHeader>*</AllowedHeader></CORSRule></CORSConfiguration>';
  try {
    await storage.client.makeRequestAsync(
      {
        method: 'PUT',
        bucketName: storage.bucket,
        query: 'cors',
        headers: { 'Content-MD5': createHash('md5').update(body).digest('base64') },
      },
      body,
      [200],
    );
  } catch (error) {
    if ((error as { code?: string }).code !== 'NotImplemented') throw error;
  }
}
