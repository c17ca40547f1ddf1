import cookie from '@fastify/cookie';
import type { FastifyInstance } from 'fastify';
import type { Database } from '../../db/client.js';
import { PRODUCT_NAME } from '../mail/templates/layout.js';
import { createBackground } from './background.js';
import { createClientsService } from './clients-service.js';
import type { EventPublisher } from './events.js';
import { createSignInGuard } from './lockout.js';
import type { AuthOutbox } from './mail.js';
import { MfaChallengeSchema } from './mfa-schemas.js';
import { createMfaService } from './mfa-service.js';
import {
  createProviderRegistry,
  type OidcSettings,
  providersFromSettings,
} from './oidc-providers.js';
import { createOidcService } from './oidc-service.js';
import { createPasskeysService } from './passkeys-service.js';
import { createPasswordService } from './password-service.js';
import { prepareDummyHash } from './passwords.js';
import { clientAdminRoutes } from './routes-clients.js';
import { mfaRoutes } from './routes-mfa.js';
import { oauthRoutes } from './routes-oauth.js';
import { oidcRoutes } from './routes-oidc.js';
import { passkeyRoutes } from './routes-passkeys.js';
import { passwordRoutes } from './routes-password.js';
import { sessionRoutes } from './routes-session.js';
import { signupRoutes } from './routes-signup.js';
import { TokenResponseSchema } from './schemas.js';
import { deriveAuthKeys } from './server-keys.js';
import { createSessionsService } from './sessions-service.js';
import { createSignupService } from './signup-service.js';
import { createThrottle } from './throttle.js';
import { deriveMfaKeys } from './totp.js';
import { createWebauthn, relyingPartyOf } from './webauthn.js';

export interface AuthRoutesOptions {
  config: {
    PUBLIC_URL: string;
    AUTH_AUTO_VERIFY: boolean;
    ADMIN_EMAIL?: string | undefined;
    AUTH_RATE_LIMIT_WINDOW_SECONDS: number;
    REFRESH_TOKEN_TTL_DAYS: number;
    SESSION_TTL_HOURS: number;
    JWT_PRIVATE_KEY: string;
    AUTH_SECRET?: string | undefined;
    AUTH_REFRESH_GRACE_SECONDS: number;
    MFA_ENCRYPTION_KEY?: string | undefined;
    MFA_ENCRYPTION_KEY_PREVIOUS?: string | undefined;
  } & OidcSettings;
  db: Database;
  outbox: AuthOutbox;
  events: EventPublisher;
}

/**
 * Every /api/auth route, the OAuth token endpoint and metadata, and the admin routes of service
 * clients. Needs the `authenticate` plugin registered first.
 */
export async function authRoutes(app: FastifyInstance, options: AuthRoutesOptions) {
  const { config, db, outbox, events } = options;
  await app.register(cookie);
  // Answers here carry tokens, codes' outcomes or account state: never stored by any cache.
  // (The JWKS sets its own public caching.)
  app.addHook('onSend', async (_request, reply) => {
    if (!reply.hasHeader('cache-control')) reply.header('cache-control', 'no-store');
  });
  // Every sign-in path answers with these.
  app.addSchema(TokenResponseSchema);
  app.addSchema(MfaChallengeSchema);
  await prepareDummyHash();
  const windowSeconds = config.AUTH_RATE_LIMIT_WINDOW_SECONDS;
  const throttle = createThrottle({ db, windowSeconds });
  const guard = createSignInGuard({ db, throttle, windowSeconds });
  const keys = deriveAuthKeys(config.AUTH_SECRET ?? config.JWT_PRIVATE_KEY);
  const background = createBackground(app.log);
  app.addHook('onClose', async () => background.idle());
  const signup = createSignupService({
    background,
    db,
    outbox,
    events,
    throttle,
    autoVerify: config.AUTH_AUTO_VERIFY,
    adminEmail: config.ADMIN_EMAIL,
  });
  const passwords = createPasswordService({
    db,
    outbox,
    events,
    throttle,
    guard,
    revocations: app.revocations,
    background,
  });
  const mfa = createMfaService({
    db,
    outbox,
    keys: config.MFA_ENCRYPTION_KEY
      ? deriveMfaKeys(config.MFA_ENCRYPTION_KEY, config.MFA_ENCRYPTION_KEY_PREVIOUS)
      : null,
    confirmPassword: passwords.confirmPassword,
  });
  const webauthn = createWebauthn({ db, rp: relyingPartyOf(config.PUBLIC_URL, PRODUCT_NAME) });
  const sessions = createSessionsService({
    db,
    accessTokens: app.accessTokens,
    revocations: app.revocations,
    throttle,
    guard,
    outbox,
    keys,
    graceMs: config.AUTH_REFRESH_GRACE_SECONDS * 1000,
    windowSeconds,
    mfa,
    webauthn,
    lifetimes: {
      persistentMs: config.REFRESH_TOKEN_TTL_DAYS * 86_400_000,
      ordinaryMs: config.SESSION_TTL_HOURS * 3_600_000,
    },
  });
  await app.register(signupRoutes, { signup });
  await app.register(sessionRoutes, { sessions, publicUrl: config.PUBLIC_URL });
  await app.register(passwordRoutes, { passwords });
  await app.register(mfaRoutes, { mfa });
  const passkeys = createPasskeysService({
    db,
    outbox,
    webauthn,
    sessions,
    mfa,
    throttle,
    confirmPassword: passwords.confirmPassword,
  });
  await app.register(passkeyRoutes, { passkeys, sessions });
  const oidc = createOidcService({
    db,
    outbox,
    events,
    keys,
    sessions,
    guard,
    throttle,
    revocations: app.revocations,
    registry: createProviderRegistry(providersFromSettings(config)),
    publicUrl: config.PUBLIC_URL,
    adminEmail: config.ADMIN_EMAIL,
  });
  await app.register(oidcRoutes, { oidc, publicUrl: config.PUBLIC_URL });
  const clients = createClientsService({ db, accessTokens: app.accessTokens });
  await app.register(clientAdminRoutes, { clients });
  await app.register(oauthRoutes, { clients, publicUrl: config.PUBLIC_URL });
}
