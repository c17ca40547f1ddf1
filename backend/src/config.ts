import { readFileSync } from 'node:fs';
import { type Static, Type } from 'typebox';
import { Value } from 'typebox/value';
import { type GenericOidcProvider, loadGenericOidcProviders } from './modules/auth/oidc-config.js';

/**
 * Every setting the backend and worker read. Values come from the environment once, at boot;
 * each secret may instead be given as `<NAME>_FILE` (the Docker secrets convention).
 * See .env.example for a line on each.
 */
const ConfigSchema = Type.Object({
  NODE_ENV: Type.Union(
    [Type.Literal('development'), Type.Literal('test'), Type.Literal('production')],
    {
      default: 'production',
    },
  ),
  HOST: Type.String({ default: '0.0.0.0' }),
  PORT: Type.Integer({ minimum: 0, maximum: 65535, default: 3000 }),
  METRICS_PORT: Type.Integer({ minimum: 0, maximum: 65535, default: 9464 }),
  /** The worker's Prometheus scrape port (mail, webhook and reminder figures); internal only. */
  WORKER_METRICS_PORT: Type.Integer({ minimum: 0, maximum: 65535, default: 9465 }),
  LOG_LEVEL: Type.Union(
    ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].map((level) =>
      Type.Literal(level),
    ),
    { default: 'info' },
  ),
  /** Hops of reverse proxies whose X-Forwarded-* headers are trusted (nginx = 1). */
  TRUST_PROXY_HOPS: Type.Integer({ minimum: 0, maximum: 10, default: 1 }),
  /** The one origin users reach: every emailed link and public file URL starts with it. */
  PUBLIC_URL: Type.String({ pattern: '^https?://[^/]+$' }),
  DATABASE_URL: Type.String({ pattern: '^postgres(ql)?://' }),
  DATABASE_POOL_SIZE: Type.Integer({ minimum: 1, maximum: 100, default: 10 }),
  S3_ENDPOINT: Type.String({ pattern: '^https?://' }),
  /** Origin that presigned URLs are signed for (defaults to PUBLIC_URL: nginx proxies /<bucket>/). */
  S3_PUBLIC_ENDPOINT: Type.Optional(Type.String({ pattern: '^https?://' })),
  S3_REGION: Type.String({ minLength: 1, default: 'us-east-1' }),
  S3_BUCKET: Type.String({ pattern: '^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$' }),
  S3_ACCESS_KEY: Type.String({ minLength: 3 }),
  S3_SECRET_KEY: Type.String({ minLength: 8 }),
  S3_PATH_STYLE: Type.Boolean({ default: true }),
  SMTP_URL: Type.String({ pattern: '^smtps?://' }),
  MAIL_FROM: Type.String({ minLength: 3, default: 'Homeport <no-reply@localhost>' }),
  /** Outbox: attempts per email before it is dead-lettered, and the first retry delay (doubles). */
  MAIL_MAX_ATTEMPTS: Type.Integer({ minimum: 1, maximum: 50, default: 8 }),
  /** Sent, failed and suppressed emails (their rendered text included) are deleted after this. */
  MAIL_RETENTION_DAYS: Type.Integer({ minimum: 1, maximum: 3650, default: 14 }),
  MAIL_RETRY_BASE_SECONDS: Type.Integer({ minimum: 1, maximum: 3600, default: 30 }),
  /** Shared secret of POST /api/mail/events (bounces, complaints); the route is off without it. */
  MAIL_WEBHOOK_SECRET: Type.Optional(Type.String({ minLength: 16 })),
  /** SNS SubscribeURLs the webhook will GET to confirm a subscription (a regular expression). */
  MAIL_SNS_CONFIRM_URL_PATTERN: Type.String({
    minLength: 1,
    default: '^https://sns\\.[a-z0-9-]+\\.amazonaws\\.com(\\.cn)?/',
  }),
  /** Upper bound for each readiness probe (Postgres, S3, SMTP). */
  READY_TIMEOUT_MS: Type.Integer({ minimum: 100, maximum: 30000, default: 2000 }),
  /** The worker is reported stale after this many missed one-minute heartbeats. */
  WORKER_STALE_AFTER_BEATS: Type.Integer({ minimum: 1, maximum: 60, default: 3 }),
  SHUTDOWN_TIMEOUT_MS: Type.Integer({ minimum: 1000, maximum: 120000, default: 10000 }),
  /**
   * On SIGTERM, how long the stopped listener keeps refusing connections before the process
   * exits, so a proxy that resolves replicas by DNS marks this one down while it still refuses
   * (docs/deployment.md, "Stopping a replica"). 0 = exit as soon as in-flight requests are done.
   */
  SHUTDOWN_DRAIN_MS: Type.Integer({ minimum: 0, maximum: 60000, default: 0 }),
  BODY_LIMIT_BYTES: Type.Integer({ minimum: 1024, maximum: 104857600, default: 1048576 }),
  /** Shared secret the S3 server's event webhook sends; the webhook is disabled when unset. */
  STORAGE_WEBHOOK_SECRET: Type.Optional(Type.String({ minLength: 16 })),
  /** Bucket notification target set at start-up, e.g. arn:minio:sqs::homeport:webhook; unset = skip. */
  S3_NOTIFICATION_ARN: Type.Optional(Type.String({ pattern: '^arn:' })),
  /** Base URL of objects under public/; defaults to PUBLIC_URL/<S3_BUCKET> (nginx proxies it). */
  FILES_PUBLIC_BASE_URL: Type.Optional(Type.String({ pattern: '^https?://' })),
  FILES_AVATAR_MAX_BYTES: Type.Integer({ minimum: 1, default: 5 * 1024 * 1024 }),
  FILES_ATTACHMENT_MAX_BYTES: Type.Integer({ minimum: 1, default: 100 * 1024 * 1024 }),
  /** Lifetime of a presigned upload form and of its pending upload row. */
  FILES_UPLOAD_EXPIRY_SECONDS: Type.Integer({ minimum: 60, maximum: 86400, default: 900 }),
  /** Lifetime of a presigned download URL. */
  FILES_DOWNLOAD_EXPIRY_SECONDS: Type.Integer({ minimum: 10, maximum: 86400, default: 300 }),
  /** Files accepted in one multipart POST /api/files request. */
  /** ISO 4217 code of item prices: decides their minor unit (KRW: won, USD: cents). */
  ITEMS_CURRENCY: Type.String({ pattern: '^[A-Z]{3}$', default: 'KRW' }),
  FILES_MULTIPART_MAX_FILES: Type.Integer({ minimum: 1, maximum: 100, default: 5 }),
  /** ES256 (P-256) access-token signing key, PEM; one-line values may use `\n` escapes. */
  JWT_PRIVATE_KEY: Type.String({ pattern: 'BEGIN (EC )?PRIVATE KEY' }),
  /** Its public half (SPKI PEM), published as JWKS at /api/auth/jwks.json. */
  JWT_PUBLIC_KEY: Type.String({ pattern: 'BEGIN PUBLIC KEY' }),
  /** Access token lifetime; at most 15 minutes. */
  ACCESS_TOKEN_TTL_SECONDS: Type.Integer({ minimum: 30, maximum: 900, default: 600 }),
  /** Refresh lifetime of a "keep me signed in" session. */
  REFRESH_TOKEN_TTL_DAYS: Type.Integer({ minimum: 1, maximum: 365, default: 30 }),
  /** Refresh lifetime of an ordinary session (its cookie also ends with the browser session). */
  SESSION_TTL_HOURS: Type.Integer({ minimum: 1, maximum: 168, default: 12 }),
  /** Skip the emailed confirmation code: sign-up activates the account at once. */
  AUTH_AUTO_VERIFY: Type.Boolean({ default: false }),
  /** This address becomes admin when its account is confirmed (or at start if it already is). */
  ADMIN_EMAIL: Type.Optional(Type.String({ pattern: '^[^\\s@]+@[^\\s@]+$', maxLength: 254 })),
  /** Window of the per-IP and per-account limits on sign-in, confirm, resend, forgot, reset. */
  AUTH_RATE_LIMIT_WINDOW_SECONDS: Type.Integer({ minimum: 1, maximum: 86400, default: 900 }),
  /**
   * Key of the device cookies, unlock links and sealed refresh successors (HMAC / AES-GCM, via
   * HKDF); unset = derived from JWT_PRIVATE_KEY, so rotating that key also ends them.
   */
  AUTH_SECRET: Type.Optional(Type.String({ minLength: 32 })),
  /**
   * Key that encrypts TOTP secrets at rest (AES-256-GCM via HKDF); unset = MFA is off (its
   * routes answer 503 and nobody can enrol).
   */
  MFA_ENCRYPTION_KEY: Type.Optional(Type.String({ minLength: 32 })),
  /**
   * During a rotation, the key MFA_ENCRYPTION_KEY replaced: secrets sealed under it still open
   * and are sealed again under the new key (on use, or all at once with `rekey-mfa`).
   */
  MFA_ENCRYPTION_KEY_PREVIOUS: Type.Optional(Type.String({ minLength: 32 })),
  /** Admins who enrolled in MFA must have signed in with it (acr=aal2) to use admin routes. */
  AUTH_ADMIN_MFA_REQUIRED: Type.Boolean({ default: true }),
  /** A rotated refresh token presented again within this many seconds returns the same pair. */
  AUTH_REFRESH_GRACE_SECONDS: Type.Integer({ minimum: 0, maximum: 60, default: 10 }),
  /** Global roles that may create Tasks boards, comma-separated (admin, supervisor, member). */
  TASKS_BOARD_CREATORS: Type.String({
    pattern: '^(admin|supervisor|member)(,(admin|supervisor|member))*$',
    default: 'admin,supervisor',
  }),
  /** Rank keys longer than this make the server re-key the whole list (column, checklist). */
  TASKS_RANK_REBALANCE_LENGTH: Type.Integer({ minimum: 4, maximum: 200, default: 32 }),
  /** Lifetime of an emailed board invitation link. */
  TASKS_INVITATION_TTL_HOURS: Type.Integer({ minimum: 1, maximum: 720, default: 168 }),
  /** Live streams: a resume missing more board events than this gets `reset` instead. */
  TASKS_EVENTS_REPLAY_LIMIT: Type.Integer({ minimum: 1, maximum: 10000, default: 500 }),
  /** Live streams: seconds between heartbeat comments that keep proxies from closing them. */
  TASKS_EVENTS_HEARTBEAT_SECONDS: Type.Integer({ minimum: 1, maximum: 300, default: 15 }),
  /** Live streams one user may hold open on one backend process (board and personal alike). */
  TASKS_EVENTS_MAX_PER_USER: Type.Integer({ minimum: 1, maximum: 1000, default: 10 }),
  /** Immediate notification email waits this long for more changes of the same task (one email). */
  NOTIFICATIONS_EMAIL_WINDOW_SECONDS: Type.Integer({ minimum: 0, maximum: 3600, default: 120 }),
  /**
   * Key that encrypts webhook signing secrets at rest (AES-256-GCM via HKDF); unset = webhooks are
   * off (their routes answer 503 and the worker sends nothing).
   */
  WEBHOOKS_ENCRYPTION_KEY: Type.Optional(Type.String({ minLength: 32 })),
  /** Allow webhook endpoints on loopback/private/link-local addresses and plain http (tests, labs). */
  WEBHOOKS_ALLOW_PRIVATE_TARGETS: Type.Boolean({ default: false }),
  /** Connecting to a webhook endpoint gives up after this long. */
  WEBHOOKS_CONNECT_TIMEOUT_MS: Type.Integer({ minimum: 100, maximum: 30000, default: 3000 }),
  /** A webhook endpoint's whole answer (after connecting) must arrive within this. */
  WEBHOOKS_RESPONSE_TIMEOUT_MS: Type.Integer({ minimum: 100, maximum: 60000, default: 10000 }),
  /** First retry delay of a failed delivery; doubles per attempt (with jitter), at most an hour. */
  WEBHOOKS_RETRY_BASE_SECONDS: Type.Integer({ minimum: 1, maximum: 3600, default: 30 }),
  /** A delivery still failing this long after it was written is dead-lettered. */
  WEBHOOKS_RETRY_WINDOW_HOURS: Type.Integer({ minimum: 1, maximum: 168, default: 24 }),
  /** After a rotation the previous secret keeps signing (a second signature) for this long. */
  WEBHOOKS_ROTATION_OVERLAP_HOURS: Type.Integer({ minimum: 1, maximum: 720, default: 24 }),
  /** Sign in with Google (docs/auth.md): the OAuth client of the Google Cloud project. */
  OIDC_GOOGLE_CLIENT_ID: Type.Optional(Type.String({ minLength: 1 })),
  OIDC_GOOGLE_CLIENT_SECRET: Type.Optional(Type.String({ minLength: 1 })),
  OIDC_GOOGLE_ISSUER: Type.String({
    pattern: '^https?://',
    default: 'https://accounts.google.com',
  }),
  /** Sign in with Apple: the Services ID, the team, and the Sign in with Apple key (PEM). */
  OIDC_APPLE_CLIENT_ID: Type.Optional(Type.String({ minLength: 1 })),
  OIDC_APPLE_TEAM_ID: Type.Optional(Type.String({ minLength: 1 })),
  OIDC_APPLE_KEY_ID: Type.Optional(Type.String({ minLength: 1 })),
  OIDC_APPLE_PRIVATE_KEY: Type.Optional(Type.String({ minLength: 1 })),
  OIDC_APPLE_ISSUER: Type.String({ pattern: '^https?://', default: 'https://appleid.apple.com' }),
});

export type Config = Static<typeof ConfigSchema> & { OIDC_PROVIDERS: GenericOidcProvider[] };

/** Every variable the backend reads (each secret also as `<NAME>_FILE`). */
export const CONFIG_NAMES = Object.keys(ConfigSchema.properties);

/** Names that may be given as `<NAME>_FILE`; their values never appear in errors or logs. */
export const SECRET_NAMES = [
  'DATABASE_URL',
  'S3_ACCESS_KEY',
  'S3_SECRET_KEY',
  'SMTP_URL',
  'MAIL_WEBHOOK_SECRET',
  'STORAGE_WEBHOOK_SECRET',
  'JWT_PRIVATE_KEY',
  'JWT_PUBLIC_KEY',
  'AUTH_SECRET',
  'MFA_ENCRYPTION_KEY',
  'MFA_ENCRYPTION_KEY_PREVIOUS',
  'WEBHOOKS_ENCRYPTION_KEY',
  'OIDC_GOOGLE_CLIENT_SECRET',
  'OIDC_APPLE_PRIVATE_KEY',
] as const;

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;

function readSecretFiles(
  env: Env,
  problems: string[],
  names: readonly string[] = SECRET_NAMES,
): Env {
  const resolved: Env = { ...env };
  for (const name of names) {
    const file = env[`${name}_FILE`];
    if (!file) continue;
    if (env[name]) {
      problems.push(`${name} and ${name}_FILE are both set; set only one`);
      continue;
    }
    try {
      resolved[name] = readFileSync(file, 'utf8').trim();
    } catch (error) {
      problems.push(`${name}_FILE: cannot read ${file} (${(error as NodeJS.ErrnoException).code})`);
    }
  }
  return resolved;
}

function parseEnv<T extends Type.TObject>(schema: T, env: Env): Static<T> {
  const problems: string[] = [];
  const names = Object.keys(schema.properties);
  const resolved = readSecretFiles(
    env,
    problems,
    SECRET_NAMES.filter((name) => names.includes(name)),
  );
  const known = Object.fromEntries(
    names
      .filter((key) => resolved[key] !== undefined && resolved[key] !== '')
      .map((key) => [key, resolved[key]]),
  );
  const withDefaults = Value.Default(schema, known);
  const converted = Value.Convert(schema, withDefaults);
  for (const error of Value.Errors(schema, converted)) {
    if (error.keyword === 'required') {
      const { requiredProperties } = error.params as { requiredProperties: string[] };
      for (const name of requiredProperties) problems.push(`${name} is required`);
    } else {
      problems.push(`${error.instancePath.replace(/^\//, '')}: ${error.message}`);
    }
  }
  if (problems.length > 0) throw new ConfigError([...new Set(problems)]);
  return converted as Static<T>;
}

/** Parses and validates the environment; throws ConfigError naming every bad variable. */
export function loadConfig(env: Env = process.env): Config {
  const config = parseEnv(ConfigSchema, env);
  return {
    ...config,
    S3_PUBLIC_ENDPOINT: config.S3_PUBLIC_ENDPOINT ?? config.PUBLIC_URL,
    OIDC_PROVIDERS: loadGenericOidcProviders(env),
  };
}

const DatabaseConfigSchema = Type.Object({
  DATABASE_URL: ConfigSchema.properties.DATABASE_URL,
});

/**
 * Only what a command-line tool that talks to the database needs (`DATABASE_URL` or
 * `DATABASE_URL_FILE`), so it runs wherever the database is reachable without the server's
 * other settings.
 */
export function loadDatabaseConfig(env: Env = process.env): Static<typeof DatabaseConfigSchema> {
  return parseEnv(DatabaseConfigSchema, env);
}

const MfaKeysConfigSchema = Type.Object({
  DATABASE_URL: ConfigSchema.properties.DATABASE_URL,
  MFA_ENCRYPTION_KEY: Type.String({ minLength: 32 }),
  MFA_ENCRYPTION_KEY_PREVIOUS: ConfigSchema.properties.MFA_ENCRYPTION_KEY_PREVIOUS,
});

/** The database and the MFA keys (each also as `_FILE`): what `rekey-mfa` needs. */
export function loadMfaKeysConfig(env: Env = process.env): Static<typeof MfaKeysConfigSchema> {
  return parseEnv(MfaKeysConfigSchema, env);
}
