import fastifyJwt from '@fastify/jwt';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { Database } from '../db/client.js';
import { Role } from '../generated/prisma/enums.js';
import { ForbiddenError, UnauthorizedError } from '../lib/errors.js';
import { loadSigningKeys, type SigningKeys } from '../modules/auth/keys.js';
import { type RevocationList, startRevocationList } from '../modules/auth/revocation.js';

export type { Role } from '../generated/prisma/enums.js';

/** Who made the request, from a verified access token. */
export interface AuthUser {
  id: string;
  roles: Role[];
  sessionId: string;
}

/** The claims of an access token. */
interface AccessClaims {
  sub: string;
  sid: string;
  roles: Role[];
}

export interface AccessTokens {
  kid: string;
  jwks: { keys: SigningKeys['jwk'][] };
  ttlSeconds: number;
  sign(user: AuthUser): string;
}

declare module '@fastify/jwt' {
  interface FastifyJWT {
    payload: AccessClaims;
    user: AuthUser;
  }
}

declare module 'fastify' {
  interface FastifyInstance {
    /** onRequest hook: 401 unless the request carries a valid, unrevoked access token. */
    authenticate(request: FastifyRequest, reply: FastifyReply): Promise<void>;
    /** onRequest hook (after authenticate): 403 unless the user has one of these roles. */
    requireRole(...roles: Role[]): (request: FastifyRequest) => Promise<void>;
    accessTokens: AccessTokens;
    revocations: RevocationList;
  }
}

// The scheme is case-insensitive (RFC 9110 §11.1), as at the gateway; one or more spaces follow.
const BEARER = /^Bearer +([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*)$/i;
const AUDIENCE = 'homeport';
const ROLES = new Set<string>(Object.values(Role));

export interface AuthenticateOptions {
  config: {
    PUBLIC_URL: string;
    DATABASE_URL: string;
    JWT_PRIVATE_KEY: string;
    JWT_PUBLIC_KEY: string;
    ACCESS_TOKEN_TTL_SECONDS: number;
  };
  db: Database;
}

function sameRoles(a: readonly Role[], b: readonly Role[]): boolean {
  return a.length === b.length && a.every((role) => b.includes(role));
}

/**
 * Access tokens: ES256 JWTs signed with JWT_PRIVATE_KEY (the only algorithm accepted, whatever a
 * token's header says), carrying `sub`, `sid` (the session) and `roles`. Verification needs no
 * database query: revoked sessions and changed roles come from the in-memory revocation list.
 */
async function authenticate(app: FastifyInstance, { config, db }: AuthenticateOptions) {
  const keys = loadSigningKeys(config);
  const ttlSeconds = config.ACCESS_TOKEN_TTL_SECONDS;
  await app.register(fastifyJwt, {
    secret: { private: keys.privateKeyPem, public: keys.publicKeyPem },
    sign: {
      algorithm: 'ES256',
      kid: keys.kid,
      iss: config.PUBLIC_URL,
      aud: AUDIENCE,
      expiresIn: ttlSeconds,
    },
    verify: {
      algorithms: ['ES256'],
      allowedIss: config.PUBLIC_URL,
      allowedAud: AUDIENCE,
      requiredClaims: ['exp', 'iat', 'sub', 'sid'],
    },
  });

  const revocations = await startRevocationList({
    databaseUrl: config.DATABASE_URL,
    db,
    accessTokenTtlSeconds: ttlSeconds,
    log: app.log,
  });
  app.addHook('onClose', async () => revocations.close());
  app.decorate('revocations', revocations);

  app.decorate('accessTokens', {
    kid: keys.kid,
    jwks: { keys: [keys.jwk] },
    ttlSeconds,
    sign: (user: AuthUser) =>
      app.jwt.sign({ sub: user.id, sid: user.sessionId, roles: [...user.roles] }),
  } satisfies AccessTokens);

  /** Without the listener, revocations are read from the database so none is ever missed. */
  async function currentState(claims: AccessClaims) {
    if (revocations.listening) {
      return {
        revoked: revocations.isSessionRevoked(claims.sid),
        roles: revocations.changedRoles(claims.sub),
      };
    }
    const session = await db.session.findUnique({
      where: { id: claims.sid },
      select: { revokedAt: true, user: { select: { roles: true, status: true } } },
    });
    return {
      revoked: !session || session.revokedAt !== null || session.user.status !== 'active',
      roles: session?.user.roles,
    };
  }

  app.decorate('authenticate', async (request: FastifyRequest) => {
    const header = request.headers.authorization;
    if (!header) throw new UnauthorizedError('missing_token', 'An access token is required.');
    const token = BEARER.exec(header)?.[1];
    if (!token) throw new UnauthorizedError('invalid_token', 'The access token is not valid.');
    let claims: AccessClaims;
    try {
      const decoded = app.jwt.decode<{ header: { alg?: string; kid?: string } }>(token, {
        complete: true,
      });
      // Checked before the signature so a token for another key never reaches the verifier.
      if (decoded?.header.alg !== 'ES256' || decoded.header.kid !== keys.kid) throw new Error();
      claims = app.jwt.verify<AccessClaims>(token);
    } catch (error) {
      const expired = (error as { code?: string }).code === 'FAST_JWT_EXPIRED';
      throw new UnauthorizedError(
        expired ? 'token_expired' : 'invalid_token',
        expired ? 'The access token has expired.' : 'The access token is not valid.',
      );
    }
    if (
      typeof claims.sub !== 'string' ||
      typeof claims.sid !== 'string' ||
      !Array.isArray(claims.roles) ||
      !claims.roles.every((role) => typeof role === 'string' && ROLES.has(role))
    ) {
      throw new UnauthorizedError('invalid_token', 'The access token is not valid.');
    }
    const state = await currentState(claims);
    if (state.revoked) {
      throw new UnauthorizedError('session_revoked', 'This session has been signed out.');
    }
    if (state.roles && !sameRoles(state.roles, claims.roles)) {
      // Roles changed since the token was issued: a refresh returns a token with the new ones.
      throw new UnauthorizedError('token_outdated', 'Your roles changed; refresh the token.');
    }
    request.user = { id: claims.sub, roles: claims.roles, sessionId: claims.sid };
  });

  app.decorate('requireRole', (...roles: Role[]) => async (request: FastifyRequest) => {
    if (!request.user?.roles.some((role) => roles.includes(role))) {
      throw new ForbiddenError('insufficient_role', 'Your role does not allow this.');
    }
  });
}

export default fp(authenticate, { name: 'authenticate' });
