import { execFileSync } from 'node:child_process';

/**
 * Where the real services for tests are. Resolved once per run (global setup) in this order:
 * 1. the environment (`TEST_DATABASE_URL` or `DATABASE_URL`, `S3_*`, `SMTP_URL`, `MAIL_API_URL`),
 *    which `scripts/test-services.sh` writes for native services;
 * 2. Testcontainers (Postgres 17, MinIO, Mailpit) only when asked for with
 *    `HOMEPORT_TEST_SERVICES=containers` and a Docker engine answers: an engine that merely runs
 *    (the compose rehearsal starts one) must not switch the suite to images it may not be able
 *    to pull;
 * 3. otherwise a clear failure saying how to start native services.
 */
export interface TestServices {
  /** A role that may CREATE DATABASE; each test file gets its own database cloned from a template. */
  adminDatabaseUrl: string;
  s3: { endpoint: string; accessKey: string; secretKey: string; region: string };
  smtpUrl: string;
  /** Mailpit-compatible HTTP API of the SMTP capture. */
  mailApiUrl: string;
  /** True when the S3 server checks signatures and POST policies (MinIO), false for s3rver. */
  s3EnforcesPolicies: boolean;
}

export function servicesFromEnv(env: NodeJS.ProcessEnv): TestServices | undefined {
  const adminDatabaseUrl = env.TEST_DATABASE_URL ?? env.DATABASE_URL;
  const { S3_ENDPOINT, S3_ACCESS_KEY, S3_SECRET_KEY, SMTP_URL, MAIL_API_URL } = env;
  if (!adminDatabaseUrl && !S3_ENDPOINT && !SMTP_URL) return undefined;
  const missing = Object.entries({
    'TEST_DATABASE_URL (or DATABASE_URL)': adminDatabaseUrl,
    S3_ENDPOINT,
    S3_ACCESS_KEY,
    S3_SECRET_KEY,
    SMTP_URL,
    MAIL_API_URL,
  })
    .filter(([, value]) => !value)
    .map(([name]) => name);
  if (missing.length > 0) {
    throw new Error(`Test services are partly configured; also set: ${missing.join(', ')}`);
  }
  return {
    adminDatabaseUrl: adminDatabaseUrl as string,
    s3: {
      endpoint: S3_ENDPOINT as string,
      accessKey: S3_ACCESS_KEY as string,
      secretKey: S3_SECRET_KEY as string,
      region: env.S3_REGION ?? 'us-east-1',
    },
    smtpUrl: SMTP_URL as string,
    mailApiUrl: MAIL_API_URL as string,
    s3EnforcesPolicies: env.S3_ENFORCES_POLICIES === 'true',
  };
}

/** True when Testcontainers is chosen (`HOMEPORT_TEST_SERVICES=containers`) and Docker answers. */
export function dockerAvailable(env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.HOMEPORT_TEST_SERVICES !== 'containers') return false;
  try {
    execFileSync('docker', ['info', '--format', '{{.ServerVersion}}'], {
      stdio: 'pipe',
      timeout: 5000,
    });
    return true;
  } catch {
    return false;
  }
}

export const NO_SERVICES_MESSAGE = `No test services found.
Either start the native ones:   bash scripts/test-services.sh start   (then: npm test)
or choose Testcontainers (Postgres 17, MinIO, Mailpit; needs a Docker engine that can pull):
  HOMEPORT_TEST_SERVICES=containers npm test
Or point the tests at your own: TEST_DATABASE_URL, S3_ENDPOINT, S3_ACCESS_KEY, S3_SECRET_KEY, SMTP_URL, MAIL_API_URL.`;

/** Starts Postgres 17, MinIO and Mailpit in containers; returns the services and a stop function. */
export async function startContainers(): Promise<{
  services: TestServices;
  stop: () => Promise<void>;
}> {
  const { GenericContainer, Wait } = await import('testcontainers');
  const { PostgreSqlContainer } = await import('@testcontainers/postgresql');
  const { randomBytes } = await import('node:crypto');
  const secret = randomBytes(18).toString('base64url');
  const [postgres, minio, mailpit] = await Promise.all([
    new PostgreSqlContainer('postgres:17-alpine').withPassword(secret).start(),
    new GenericContainer('quay.io/minio/minio:RELEASE.2025-09-07T16-13-09Z')
      .withCommand(['server', '/data'])
      .withEnvironment({ MINIO_ROOT_USER: 'homeport-test', MINIO_ROOT_PASSWORD: secret })
      .withExposedPorts(9000)
      .withWaitStrategy(Wait.forHttp('/minio/health/live', 9000))
      .start(),
    new GenericContainer('axllent/mailpit:v1.27')
      .withExposedPorts(1025, 8025)
      .withWaitStrategy(Wait.forHttp('/livez', 8025))
      .start(),
  ]);
  return {
    services: {
      adminDatabaseUrl: postgres.getConnectionUri(),
      s3: {
        endpoint: `http://${minio.getHost()}:${minio.getMappedPort(9000)}`,
        accessKey: 'homeport-test',
        secretKey: secret,
        region: 'us-east-1',
      },
      smtpUrl: `smtp://${mailpit.getHost()}:${mailpit.getMappedPort(1025)}`,
      mailApiUrl: `http://${mailpit.getHost()}:${mailpit.getMappedPort(8025)}`,
      s3EnforcesPolicies: true,
    },
    async stop() {
      await Promise.all([postgres.stop(), minio.stop(), mailpit.stop()]);
    },
  };
}
