import { randomUUID } from 'node:crypto';
import type { Role } from '../../generated/prisma/enums.js';

/** RFC 9068 §2.1: the `typ` header of a JWT access token. */
export const ACCESS_TOKEN_TYPE = 'at+jwt';
/** The audience of this API: user tokens carry it, service tokens must to be accepted here. */
export const API_AUDIENCE = 'homeport';
/** The `client_id` of the first-party web and CLI sign-in (the password flows). */
export const FIRST_PARTY_CLIENT_ID = 'homeport-web';

/** Scopes a service client may hold, each owned by the module whose routes declare it. */
export const SERVICE_SCOPES = ['items:read', 'items:write'] as const;
export type ServiceScope = (typeof SERVICE_SCOPES)[number];

/**
 * RFC 8176 authentication method references that sign-in paths produce, `recovery_code` (a
 * single-use look-up secret, NIST SP 800-63B §5.1.2) and `fed` (a federated sign-in at an
 * OpenID Connect provider), for neither of which RFC 8176 registers a value.
 */
export type AuthMethod = 'pwd' | 'otp' | 'hwk' | 'swk' | 'mfa' | 'recovery_code' | 'fed';
/** Authentication assurance levels (NIST SP 800-63B) as `acr` values. */
export type AssuranceLevel = 'aal1' | 'aal2';

/** How the person proved who they are: a sign-in path passes its own values. */
export interface Authentication {
  /** When the person authenticated (the session's sign-in), not when this token was minted. */
  at: Date;
  methods: AuthMethod[];
  level: AssuranceLevel;
}

/** The password alone: one factor. */
export const PASSWORD_AUTHENTICATION = { methods: ['pwd'], level: 'aal1' } as const;
/** A sign-in at an OpenID Connect provider: one factor, as far as this service can tell. */
export const FEDERATED_AUTHENTICATION = { methods: ['fed'], level: 'aal1' } as const;

/** The second sign-in step's factors. */
export const SECOND_FACTOR_METHODS = ['totp', 'recovery_code', 'passkey'] as const;
export type SecondFactorMethod = (typeof SECOND_FACTOR_METHODS)[number];
/** The `amr` value each code adds; a passkey adds `hwk` or `swk` (`passkeyMethod`). */
export const CODE_METHODS = { totp: 'otp', recovery_code: 'recovery_code' } as const;

/**
 * RFC 8176 for a WebAuthn credential: `swk` for a synced passkey (its private key lives in a
 * cloud keychain, in software), `hwk` for one bound to its authenticator (a security key, a
 * platform key that is not backed up).
 */
export function passkeyMethod(passkey: { deviceType: string; backedUp: boolean }): AuthMethod {
  return passkey.deviceType === 'multiDevice' || passkey.backedUp ? 'swk' : 'hwk';
}

/**
 * A first factor (password, a provider's sign-in, a passkey without user verification) then a
 * second one: the first's `amr`, the second's, and `mfa` (RFC 8176), at AAL2.
 */
export function withSecondFactor(
  first: readonly AuthMethod[],
  second: AuthMethod,
): { methods: AuthMethod[]; level: AssuranceLevel } {
  const methods = new Set<AuthMethod>([...first, second, 'mfa']);
  return { methods: [...methods], level: 'aal2' };
}

const METHODS = new Set<string>(['pwd', 'otp', 'hwk', 'swk', 'mfa', 'recovery_code', 'fed']);

/** A session row's stored `amr`/`acr`, checked (an unknown value falls back to one factor). */
export function storedAuthentication(session: { authMethods: string[]; authLevel: string }): {
  methods: AuthMethod[];
  level: AssuranceLevel;
} {
  const methods = session.authMethods.filter((method): method is AuthMethod => METHODS.has(method));
  if (methods.length !== session.authMethods.length || methods.length === 0) {
    return { methods: ['pwd'], level: 'aal1' };
  }
  return { methods, level: session.authLevel === 'aal2' ? 'aal2' : 'aal1' };
}

/** Claims of a user's access token (besides iss, aud, iat, exp, which the signer adds). */
export interface UserClaims {
  sub: string;
  sid: string;
  roles: Role[];
  client_id: string;
  auth_time: number;
  amr: AuthMethod[];
  acr: AssuranceLevel;
  jti: string;
}

/** Claims of a service client's access token (RFC 9068 §2.2 with `sub` = `client_id`). */
export interface ServiceClaims {
  sub: string;
  client_id: string;
  scope: string;
  jti: string;
}

export function userClaims(
  user: { id: string; roles: readonly Role[]; sessionId: string },
  authentication: Authentication,
): UserClaims {
  return {
    sub: user.id,
    sid: user.sessionId,
    roles: [...user.roles],
    client_id: FIRST_PARTY_CLIENT_ID,
    auth_time: Math.floor(authentication.at.getTime() / 1000),
    amr: [...authentication.methods],
    acr: authentication.level,
    jti: randomUUID(),
  };
}

export function serviceClaims(clientId: string, scopes: readonly string[]): ServiceClaims {
  return { sub: clientId, client_id: clientId, scope: scopes.join(' '), jti: randomUUID() };
}

/** A service token names the client as its subject and has no session. */
export function isServiceToken(claims: { sub?: unknown; client_id?: unknown; sid?: unknown }) {
  return (
    claims.sid === undefined && typeof claims.sub === 'string' && claims.sub === claims.client_id
  );
}

/** RFC 9068 §4: `at+jwt`, or the full media type `application/at+jwt`, case-insensitively. */
export function isAccessTokenType(typ: unknown): boolean {
  if (typeof typ !== 'string') return false;
  const value = typ.toLowerCase();
  return value === ACCESS_TOKEN_TYPE || value === `application/${ACCESS_TOKEN_TYPE}`;
}
