import fastifyJwt from '@fastify/jwt';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { Database } from '../db/client.js';
import { Role } from '../generated/prisma/enums.js';
import { AppError, ForbiddenError, UnauthorizedError } from '../lib/errors.js';
import {
  ACCESS_TOKEN_TYPE,
  API_AUDIENCE,
  type AssuranceLevel,
  type Authentication,
  isAccessTokenType,
  isServiceToken,
  type ServiceClaims,
  serviceClaims,
  type UserClaims,
  userClaims,
} from '../modules/auth/access-claims.js';
import { loadSigningKeys, type SigningKeys } from '../modules/auth/keys.js';
import { type RevocationList, startRevocationList } from '../modules/auth/revocation.js';

export type { Role } from '../generated/prisma/enums.js';

/**
 * Who made the request, from a verified access token. For a service client's token (accepted
 * only by routes that declare `serviceScopes`), `id` is the account the client acts for,
 * `roles` is empty, `sessionId` is empty and `clientId` names the client.
 */
export interface AuthUser {
  id: string;
  roles: Role[];
  sessionId: string;
  clientId?: string;
  /** User tokens: when the session signed in (`auth_time`) and its assurance level (`acr`). */
  signedInAt?: Date;
  level?: AssuranceLevel;
}

type AccessClaims = Partial<UserClaims & ServiceClaims>;

export interface ServiceTokenRequest {
  clientId: string;
  scopes: readonly string[];
  audience: string;
  ttlSeconds: number;
}

export interface AccessTokens {
  kid: string;
  jwks: { keys: SigningKeys['jwk'][] };
  /** Lifetime of user access tokens (service clients each have their own). */
  ttlSeconds: number;
  /** A user's token; `authentication` says how and when the session signed in. */
  signUser(user: AuthUser, authentication: Authentication): string;
  signService(request: ServiceTokenRequest): string;
}

declare module '@fastify/jwt' {
  interface FastifyJWT {
    payload: AccessClaims;
    user: AuthUser;
  }
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /**
     * Scopes a service client's token needs for this route; without it the route accepts user
     * tokens only. User tokens are unaffected (their roles and ownership rules apply).
     */
    serviceScopes?: readonly string[];
  }
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
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const ROLES = new Set<string>(Object.values(Role));

export interface AuthenticateOptions {
  config: {
    PUBLIC_URL: string;
    DATABASE_URL: string;
    JWT_PRIVATE_KEY: string;
    JWT_PUBLIC_KEY: string;
    ACCESS_TOKEN_TTL_SECONDS: number;
    /** Admins who enrolled in MFA need an `acr=aal2` token for admin routes (default true). */
    AUTH_ADMIN_MFA_REQUIRED?: boolean;
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
      header: { alg: 'ES256', typ: ACCESS_TOKEN_TYPE },
      iss: config.PUBLIC_URL,
      aud: API_AUDIENCE,
      expiresIn: ttlSeconds,
    },
    verify: {
      algorithms: ['ES256'],
      allowedIss: config.PUBLIC_URL,
      allowedAud: API_AUDIENCE,
      requiredClaims: ['exp', 'iat', 'sub', 'jti', 'client_id'],
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
    signUser: (user, authentication) => app.jwt.sign({ ...userClaims(user, authentication) }),
    signService: ({ clientId, scopes, audience, ttlSeconds: lifetime }) =>
      app.jwt.sign({ ...serviceClaims(clientId, scopes) }, { aud: audience, expiresIn: lifetime }),
  } satisfies AccessTokens);

  /** Without the listener, revocations are read from the database so none is ever missed. */
  async function currentState(claims: { sub: string; sid: string }) {
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

  /**
   * A service client's token: accepted only where the route declares the scopes it needs and the
   * token holds all of them, and only while the client is enabled and its account active (one
   * primary-key read, so disabling a client stops its live tokens at once).
   */
  async function servicePrincipal(
    claims: AccessClaims,
    required: readonly string[] | undefined,
  ): Promise<AuthUser> {
    if (!required) {
      throw new UnauthorizedError(
        'service_token_refused',
        'This route does not accept service client tokens.',
      );
    }
    const clientId = String(claims.sub);
    const granted = typeof claims.scope === 'string' ? claims.scope.split(' ') : [];
    const client = UUID.test(clientId)
      ? await db.serviceClient.findUnique({
          where: { id: clientId },
          select: { disabledAt: true, ownerId: true, owner: { select: { status: true } } },
        })
      : null;
    if (!client || client.disabledAt || client.owner.status !== 'active') {
      throw new UnauthorizedError('client_disabled', 'This service client is disabled.');
    }
    const missing = required.filter((scope) => !granted.includes(scope));
    if (missing.length > 0) {
      throw new AppError(403, 'insufficient_scope', `This route needs ${required.join(' ')}.`, {
        headers: {
          'www-authenticate': `Bearer error="insufficient_scope", scope="${required.join(' ')}"`,
        },
      });
    }
    return { id: client.ownerId, roles: [], sessionId: '', clientId };
  }

  app.decorate('authenticate', async (request: FastifyRequest) => {
    const header = request.headers.authorization;
    if (!header) throw new UnauthorizedError('missing_token', 'An access token is required.');
    const token = BEARER.exec(header)?.[1];
    if (!token) throw new UnauthorizedError('invalid_token', 'The access token is not valid.');
    let claims: AccessClaims;
    try {
      const decoded = app.jwt.decode<{ header: { alg?: string; kid?: string; typ?: string } }>(
        token,
        { complete: true },
      );
      // Checked before the signature so a token for another key never reaches the verifier; the
      // type keeps other JWTs (an ID token, a token minted before RFC 9068 claims) out.
      if (
        decoded?.header.alg !== 'ES256' ||
        decoded.header.kid !== keys.kid ||
        !isAccessTokenType(decoded.header.typ)
      ) {
        throw new Error();
      }
      claims = app.jwt.verify<AccessClaims>(token);
      if (typeof claims.sub !== 'string') throw new Error();
    } catch (error) {
      const expired = (error as { code?: string }).code === 'FAST_JWT_EXPIRED';
      throw new UnauthorizedError(
        expired ? 'token_expired' : 'invalid_token',
        expired ? 'The access token has expired.' : 'The access token is not valid.',
      );
    }
    if (isServiceToken(claims)) {
      request.user = await servicePrincipal(claims, request.routeOptions.config.serviceScopes);
      return;
    }
    if (
      typeof claims.sub !== 'string' ||
      typeof claims.sid !== 'string' ||
      !Array.isArray(claims.roles) ||
      !claims.roles.every((role) => typeof role === 'string' && ROLES.has(role))
    ) {
      throw new UnauthorizedError('invalid_token', 'The access token is not valid.');
    }
    const state = await currentState({ sub: claims.sub, sid: claims.sid });
    if (state.revoked) {
      throw new UnauthorizedError('session_revoked', 'This session has been signed out.');
    }
    if (state.roles && !sameRoles(state.roles, claims.roles)) {
      // Roles changed since the token was issued: a refresh returns a token with the new ones.
      throw new UnauthorizedError('token_outdated', 'Your roles changed; refresh the token.');
    }
    request.user = {
      id: claims.sub,
      roles: claims.roles,
      sessionId: claims.sid,
      signedInAt: new Date((typeof claims.auth_time === 'number' ? claims.auth_time : 0) * 1000),
      level: claims.acr === 'aal2' ? 'aal2' : 'aal1',
    };
  });

  const adminMfaRequired = config.AUTH_ADMIN_MFA_REQUIRED ?? true;

  app.decorate('requireRole', (...roles: Role[]) => async (request: FastifyRequest) => {
    const granting = request.user?.roles.filter((role) => roles.includes(role)) ?? [];
    if (granting.length === 0) {
      throw new ForbiddenError('insufficient_role', 'Your role does not allow this.');
    }
    // An admin who enrolled a second factor must have used it for this session: a stolen
    // password alone never reaches admin routes. (Admins without MFA are not locked out.)
    const onlyAsAdmin = granting.every((role) => role === 'admin');
    if (adminMfaRequired && onlyAsAdmin && request.user.level !== 'aal2') {
      const enrolled = await db.mfaTotpFactor.count({
        where: { userId: request.user.id, activatedAt: { not: null } },
      });
      if (enrolled > 0) {
        throw new ForbiddenError(
          'mfa_required',
          'Admin actions need a sign-in with two-step verification.',
        );
      }
    }
  });
}

export default fp(authenticate, { name: 'authenticate' });
