import cookie from '@fastify/cookie';
import type { FastifyInstance } from 'fastify';
import type { Database } from '../../db/client.js';
import type { EventPublisher } from './events.js';
import type { AuthOutbox } from './mail.js';
import { createPasswordService } from './password-service.js';
import { passwordRoutes } from './routes-password.js';
import { sessionRoutes } from './routes-session.js';
import { signupRoutes } from './routes-signup.js';
import { createSessionsService } from './sessions-service.js';
import { createSignupService } from './signup-service.js';
import { createThrottle } from './throttle.js';

export interface AuthRoutesOptions {
  config: {
    PUBLIC_URL: string;
    AUTH_AUTO_VERIFY: boolean;
    ADMIN_EMAIL?: string | undefined;
    AUTH_RATE_LIMIT_WINDOW_SECONDS: number;
    REFRESH_TOKEN_TTL_DAYS: number;
    SESSION_TTL_HOURS: number;
  };
  db: Database;
  outbox: AuthOutbox;
  events: EventPublisher;
}

/** Every /api/auth route. Needs the `authenticate` plugin registered first. */
export async function authRoutes(app: FastifyInstance, options: AuthRoutesOptions) {
  const { config, db, outbox, events } = options;
  await app.register(cookie);
  const throttle = createThrottle({ db, windowSeconds: config.AUTH_RATE_LIMIT_WINDOW_SECONDS });
  const signup = createSignupService({
    db,
    outbox,
    events,
    throttle,
    autoVerify: config.AUTH_AUTO_VERIFY,
    adminEmail: config.ADMIN_EMAIL,
  });
  const sessions = createSessionsService({
    db,
    accessTokens: app.accessTokens,
    revocations: app.revocations,
    throttle,
    lifetimes: {
      persistentMs: config.REFRESH_TOKEN_TTL_DAYS * 86_400_000,
      ordinaryMs: config.SESSION_TTL_HOURS * 3_600_000,
    },
  });
  const passwords = createPasswordService({
    db,
    outbox,
    events,
    throttle,
    revocations: app.revocations,
  });
  await app.register(signupRoutes, { signup });
  await app.register(sessionRoutes, { sessions, publicUrl: config.PUBLIC_URL });
  await app.register(passwordRoutes, { passwords });
}
