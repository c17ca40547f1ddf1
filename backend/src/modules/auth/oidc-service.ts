import { timingSafeEqual } from 'node:crypto';
import * as client from 'openid-client';
import { type Database, isUniqueViolation } from '../../db/client.js';
import type { Prisma } from '../../generated/prisma/client.js';
import { AppError, NotFoundError } from '../../lib/errors.js';
import { recordAudit } from '../audit/service.js';
import { FEDERATED_AUTHENTICATION } from './access-claims.js';
import type { EventPublisher } from './events.js';
import { lockoutAccount, type SignInGuard } from './lockout.js';
import { type AuthOutbox, mailLocale } from './mail.js';
import type { OidcProviderDefinition, ProviderRegistry } from './oidc-providers.js';
import { verifyPassword } from './passwords.js';
import type { RevocationList } from './revocation.js';
import { hashCode, hashToken, newCode, newRefreshToken, normaliseEmail } from './secrets.js';
import { type AuthKeys, seal, unseal } from './server-keys.js';
import { applyRevocations, type RequestMeta, revokeSessions } from './session-store.js';
import type { createSessionsService, MfaChallenged, SignedIn } from './sessions-service.js';
import { assertAnotherSignInMethod } from './sign-in-methods.js';
import { activateAccount } from './signup-service.js';
import type { Throttle } from './throttle.js';

export const OIDC_COOKIE = '__Host-hp_oidc';
/** The round trip to the provider must finish within this (the cookie's Max-Age too). */
export const OIDC_ROUND_TRIP_SECONDS = 600;
export const LINK_REQUEST_TTL_MS = 10 * 60_000;
export const LINK_TICKET_TTL_MS = 5 * 60_000;
export const LINK_CODE_ATTEMPTS = 5;
const STATE_CONTEXT = 'oidc-state';
const TICKET_CONTEXT = 'oidc-link-ticket';
const PRIVATE_RELAY = /@privaterelay\.appleid\.com$/i;

/** Every refused callback: a stable code, shown to the browser as `/sign-in#error=<code>`. */
export class OidcError extends AppError {
  constructor(code: string, message: string, status = 400) {
    super(status, code, message);
  }
}

interface RoundTrip {
  state: string;
  nonce: string;
  verifier: string | null;
  provider: string;
  intent: 'sign_in' | 'link';
  keepSignedIn: boolean;
  userId: string | null;
  exp: number;
}

interface ProviderClaims {
  issuer: string;
  subject: string;
  email: string | null;
  emailVerified: boolean;
  privateRelay: boolean;
  name: string | null;
}

/** What the callback leads to; the route turns it into a redirect into the app. */
export type CallbackOutcome =
  | { kind: 'signed_in'; result: SignedIn | MfaChallenged }
  | { kind: 'linked'; provider: string }
  | { kind: 'proof_needed'; token: string; provider: string; email: string; hasPassword: boolean };

type Sessions = ReturnType<typeof createSessionsService>;

/** `email_verified` is a boolean, or (Apple) the string "true" / "false". */
export function isTrue(value: unknown): boolean {
  return value === true || value === 'true';
}

export function createOidcService(deps: {
  db: Database;
  outbox: AuthOutbox;
  events: EventPublisher;
  keys: AuthKeys;
  sessions: Sessions;
  guard: SignInGuard;
  throttle: Throttle;
  revocations: RevocationList;
  registry: ProviderRegistry;
  publicUrl: string;
  adminEmail: string | undefined;
}) {
  const { db, outbox, events, keys, sessions, guard, throttle, revocations, registry } = deps;
  const { publicUrl, adminEmail } = deps;

  const redirectUri = (provider: OidcProviderDefinition) =>
    `${publicUrl}/api/auth/oidc/${provider.id}/callback`;

  function provider(id: string): OidcProviderDefinition {
    const found = registry.get(id);
    if (!found) throw new NotFoundError('Provider');
    return found;
  }

  /** Records a state or ticket as used; false when it already was (a replay). */
  async function spend(value: string, expiresAt: Date): Promise<boolean> {
    const rows = await db.$queryRaw<{ state_hash: string }[]>`
      INSERT INTO oidc_spent_states (state_hash, expires_at)
      VALUES (${hashToken(value)}, ${expiresAt})
      ON CONFLICT (state_hash) DO NOTHING RETURNING state_hash`;
    return rows.length === 1;
  }

  async function claimsFrom(
    definition: OidcProviderDefinition,
    trip: RoundTrip,
    params: Record<string, string>,
  ): Promise<ProviderClaims & { firstName: string | null }> {
    const configuration = await registry.configuration(definition);
    const current = new URL(redirectUri(definition));
    for (const [key, value] of Object.entries(params)) {
      if (key !== 'user') current.searchParams.set(key, value);
    }
    let tokens: Awaited<ReturnType<typeof client.authorizationCodeGrant>>;
    try {
      tokens = await client.authorizationCodeGrant(configuration, current, {
        expectedState: trip.state,
        expectedNonce: trip.nonce,
        idTokenExpected: true,
        ...(trip.verifier ? { pkceCodeVerifier: trip.verifier } : {}),
      });
    } catch (error) {
      if (error instanceof client.AuthorizationResponseError) {
        throw new OidcError('provider_error', 'The provider did not complete the sign-in.');
      }
      if (error instanceof Error && /state/i.test(error.message)) {
        throw new OidcError('invalid_state', 'The sign-in did not start in this browser.');
      }
      throw new OidcError('id_token_rejected', "The provider's answer was not accepted.");
    }
    const claims = tokens.claims();
    if (!claims)
      throw new OidcError('id_token_rejected', "The provider's answer was not accepted.");
    const email = typeof claims.email === 'string' ? normaliseEmail(claims.email) : null;
    let name: string | null = typeof claims.name === 'string' ? claims.name : null;
    // Apple sends the name only on the first authorization, as the `user` form field.
    if (definition.apple && params.user) {
      try {
        const user = JSON.parse(params.user) as {
          name?: { firstName?: string; lastName?: string };
        };
        const parts = [user.name?.firstName, user.name?.lastName].filter(Boolean);
        if (parts.length > 0) name = parts.join(' ');
      } catch {
        // A malformed `user` field only loses the name.
      }
    }
    return {
      issuer: claims.iss,
      subject: claims.sub,
      email,
      emailVerified: email !== null && isTrue(claims.email_verified),
      privateRelay:
        email !== null && (PRIVATE_RELAY.test(email) || isTrue(claims.is_private_email)),
      name,
      firstName: name,
    };
  }

  /** The identity row and its audit entry, in the caller's transaction. */
  async function createIdentity(
    tx: Prisma.TransactionClient,
    userId: string,
    definition: OidcProviderDefinition,
    claims: ProviderClaims,
    meta: RequestMeta,
  ) {
    await tx.identity.create({
      data: {
        userId,
        provider: definition.id,
        issuer: claims.issuer,
        subject: claims.subject,
        email: claims.email,
        emailVerified: claims.emailVerified,
        privateRelay: claims.privateRelay,
        lastUsedAt: new Date(),
      },
    });
    await recordAudit(tx, {
      type: 'identity.linked',
      userId,
      ...meta,
      details: { provider: definition.id, issuer: claims.issuer },
    });
  }

  async function linkIdentity(
    userId: string,
    definition: OidcProviderDefinition,
    claims: ProviderClaims,
    meta: RequestMeta,
  ): Promise<void> {
    await db.$transaction(async (tx) => {
      const user = await tx.user.findUniqueOrThrow({ where: { id: userId } });
      await createIdentity(tx, userId, definition, claims, meta);
      await outbox.enqueue(tx, {
        to: user.email,
        template: 'identity-linked',
        locale: mailLocale(user.locale),
        data: { provider: definition.displayName },
        userId,
      });
    });
  }

  async function signInUser(
    userId: string,
    trip: { keepSignedIn: boolean },
    deviceCookie: string | undefined,
    meta: RequestMeta,
    methods: readonly ('fed' | 'pwd')[] = FEDERATED_AUTHENTICATION.methods,
  ): Promise<SignedIn | MfaChallenged> {
    const user = await db.user.findUniqueOrThrow({ where: { id: userId } });
    return sessions.signInVerified(
      user,
      {
        authentication: { methods: [...methods], level: 'aal1' },
        keepSignedIn: trip.keepSignedIn,
        deviceCookie,
      },
      meta,
    );
  }

  /** The linking rules of a sign-in (not a signed-in user's link). */
  async function signInWith(
    definition: OidcProviderDefinition,
    trip: RoundTrip,
    claims: ProviderClaims,
    deviceCookie: string | undefined,
    meta: RequestMeta,
    retried = false,
  ): Promise<CallbackOutcome> {
    const known = await db.identity.findUnique({
      where: { issuer_subject: { issuer: claims.issuer, subject: claims.subject } },
    });
    if (known) {
      await db.identity.update({
        where: { id: known.id },
        data: {
          lastUsedAt: new Date(),
          email: claims.email,
          emailVerified: claims.emailVerified,
          privateRelay: claims.privateRelay,
        },
      });
      return {
        kind: 'signed_in',
        result: await signInUser(known.userId, trip, deviceCookie, meta),
      };
    }
    if (!claims.email || !claims.emailVerified) {
      throw new OidcError(
        'email_not_verified',
        'The provider did not confirm your email address, so no account was opened.',
      );
    }
    const email = claims.email;
    const local = await db.user.findUnique({ where: { email } });
    if (local?.status === 'disabled') {
      throw new OidcError('account_disabled', 'This account has been disabled.', 403);
    }
    if (local?.status === 'active') {
      // A verified account: linking needs proof of it, never silently (pre-hijack takeover).
      const token = newRefreshToken();
      await db.$transaction(async (tx) => {
        await tx.identityLinkRequest.create({
          data: {
            tokenHash: hashToken(token),
            userId: local.id,
            provider: definition.id,
            issuer: claims.issuer,
            subject: claims.subject,
            claims: {
              email: claims.email,
              emailVerified: claims.emailVerified,
              privateRelay: claims.privateRelay,
            },
            persistent: trip.keepSignedIn,
            expiresAt: new Date(Date.now() + LINK_REQUEST_TTL_MS),
          },
        });
        await recordAudit(tx, {
          type: 'identity.link_proof_requested',
          userId: local.id,
          ...meta,
          details: { provider: definition.id },
        });
      });
      return {
        kind: 'proof_needed',
        token,
        provider: definition.id,
        email,
        hasPassword: local.passwordHash !== null,
      };
    }
    let created: { id: string; revoked: string[] };
    try {
      created = await createOrClaim(definition, claims, email, local, meta);
    } catch (error) {
      // Two callbacks for one new person at once (two tabs): the loser finds the identity the
      // winner linked, and signs in through it.
      if (isUniqueViolation(error) && !retried) {
        return signInWith(definition, trip, claims, deviceCookie, meta, true);
      }
      throw error;
    }
    applyRevocations(revocations, created.revoked);
    return { kind: 'signed_in', result: await signInUser(created.id, trip, deviceCookie, meta) };
  }

  /** A new passwordless user, or an unverified local account claimed, with the identity linked. */
  function createOrClaim(
    definition: OidcProviderDefinition,
    claims: ProviderClaims,
    email: string,
    local: Awaited<ReturnType<typeof db.user.findUnique>>,
    meta: RequestMeta,
  ): Promise<{ id: string; revoked: string[] }> {
    return db.$transaction(async (tx) => {
      let id: string;
      let revoked: string[] = [];
      if (local) {
        // Unverified: whoever signed up with this address never proved it; the provider did.
        await tx.user.update({ where: { id: local.id }, data: { passwordHash: null } });
        revoked = await revokeSessions(tx, { userId: local.id }, 'unverified_account_claimed');
        await tx.verificationCode.updateMany({
          where: { userId: local.id, consumedAt: null },
          data: { consumedAt: new Date() },
        });
        await activateAccount(tx, local, { adminEmail, events, meta });
        await recordAudit(tx, {
          type: 'identity.unverified_account_claimed',
          userId: local.id,
          ...meta,
          details: { provider: definition.id, sessionsRevoked: revoked.length },
        });
        id = local.id;
      } else {
        const created = await tx.user.create({
          data: { email, passwordHash: null, status: 'pending' },
        });
        await recordAudit(tx, {
          type: 'account.signed_up',
          userId: created.id,
          ...meta,
          details: { provider: definition.id },
        });
        await activateAccount(tx, created, { adminEmail, events, meta });
        if (claims.name) {
          await tx.profile.update({
            where: { userId: created.id },
            data: { displayName: claims.name.slice(0, 80) },
          });
        }
        id = created.id;
      }
      await createIdentity(tx, id, definition, claims, meta);
      return { id, revoked };
    });
  }

  async function openLinkRequest(token: string) {
    const request = await db.identityLinkRequest.findUnique({
      where: { tokenHash: hashToken(token) },
      include: { user: true },
    });
    if (!request || request.consumedAt || request.expiresAt <= new Date()) {
      throw new OidcError('invalid_link_request', 'This link request has expired; sign in again.');
    }
    return request;
  }

  /** Links the waiting identity (once) and signs the account in: MFA as usual. */
  async function completeLink(
    request: Awaited<ReturnType<typeof openLinkRequest>>,
    methods: readonly ('fed' | 'pwd')[],
    deviceCookie: string | undefined,
    meta: RequestMeta,
  ): Promise<SignedIn | MfaChallenged> {
    const claimed = await db.identityLinkRequest.updateMany({
      where: { id: request.id, consumedAt: null },
      data: { consumedAt: new Date() },
    });
    if (claimed.count !== 1) {
      throw new OidcError('invalid_link_request', 'This link request has expired; sign in again.');
    }
    const definition = provider(request.provider);
    const stored = request.claims as {
      email?: string;
      emailVerified?: boolean;
      privateRelay?: boolean;
    };
    const taken = await db.identity.findUnique({
      where: { issuer_subject: { issuer: request.issuer, subject: request.subject } },
    });
    if (taken && taken.userId !== request.userId) {
      throw new OidcError(
        'identity_already_linked',
        'This sign-in belongs to another account.',
        409,
      );
    }
    if (!taken) {
      await linkIdentity(
        request.userId,
        definition,
        {
          issuer: request.issuer,
          subject: request.subject,
          email: stored.email ?? null,
          emailVerified: stored.emailVerified ?? false,
          privateRelay: stored.privateRelay ?? false,
          name: null,
        },
        meta,
      );
    }
    return signInUser(
      request.userId,
      { keepSignedIn: request.persistent },
      deviceCookie,
      meta,
      methods,
    );
  }

  return {
    providers: () => registry.list().map(({ id, displayName }) => ({ id, displayName })),

    /** A one-time ticket that lets `start` link a provider to this signed-in user. */
    linkTicket(userId: string, providerId: string): string {
      const definition = provider(providerId);
      const ticket = seal(
        keys.oidc,
        JSON.stringify({ userId, provider: definition.id, exp: Date.now() + LINK_TICKET_TTL_MS }),
        TICKET_CONTEXT,
      );
      return `${publicUrl}/api/auth/oidc/${definition.id}/start?ticket=${ticket}`;
    },

    /** The provider's authorization URL and the sealed round-trip cookie. */
    async start(
      providerId: string,
      input: { keepSignedIn: boolean; ticket?: string | undefined },
      meta: RequestMeta,
    ): Promise<{ url: string; cookie: string }> {
      const definition = provider(providerId);
      await throttle.hit('oidc', meta.ip, definition.id);
      let userId: string | null = null;
      if (input.ticket !== undefined) {
        const opened = unseal(keys.oidc, input.ticket, TICKET_CONTEXT);
        const ticket = opened
          ? (JSON.parse(opened) as { userId: string; provider: string; exp: number })
          : undefined;
        if (
          !ticket ||
          ticket.provider !== definition.id ||
          ticket.exp < Date.now() ||
          !(await spend(`ticket:${input.ticket}`, new Date(ticket.exp)))
        ) {
          throw new OidcError('invalid_link_ticket', 'Start linking again from your account page.');
        }
        userId = ticket.userId;
      }
      const configuration = await registry.configuration(definition);
      const metadata = configuration.serverMetadata();
      const pkce = metadata.code_challenge_methods_supported?.includes('S256') ?? false;
      const formPost =
        definition.apple !== undefined ||
        (metadata.response_modes_supported?.includes('form_post') ?? false);
      const trip: RoundTrip = {
        state: client.randomState(),
        nonce: client.randomNonce(),
        verifier: pkce ? client.randomPKCECodeVerifier() : null,
        provider: definition.id,
        intent: userId ? 'link' : 'sign_in',
        keepSignedIn: input.keepSignedIn,
        userId,
        exp: Date.now() + OIDC_ROUND_TRIP_SECONDS * 1000,
      };
      const parameters: Record<string, string> = {
        redirect_uri: redirectUri(definition),
        response_type: 'code',
        scope: definition.apple ? 'openid email name' : 'openid email profile',
        state: trip.state,
        nonce: trip.nonce,
      };
      if (formPost) parameters.response_mode = 'form_post';
      if (trip.verifier) {
        parameters.code_challenge = await client.calculatePKCECodeChallenge(trip.verifier);
        parameters.code_challenge_method = 'S256';
      }
      const url = client.buildAuthorizationUrl(configuration, parameters);
      return {
        url: url.href,
        cookie: seal(keys.oidc, JSON.stringify(trip), STATE_CONTEXT),
      };
    },

    /**
     * The provider's answer (query or form_post): the round trip must be this browser's and
     * unused, the code is exchanged and the ID token fully checked, then the linking rules.
     */
    async callback(
      providerId: string,
      params: Record<string, string>,
      cookieValue: string | undefined,
      deviceCookie: string | undefined,
      meta: RequestMeta,
    ): Promise<CallbackOutcome & { intent: 'sign_in' | 'link' }> {
      const definition = provider(providerId);
      await throttle.hit('oidc', meta.ip, definition.id);
      const opened = cookieValue ? unseal(keys.oidc, cookieValue, STATE_CONTEXT) : undefined;
      const trip = opened ? (JSON.parse(opened) as RoundTrip) : undefined;
      if (!trip || trip.provider !== definition.id || trip.exp < Date.now()) {
        throw new OidcError('invalid_state', 'The sign-in did not start in this browser.');
      }
      const given = Buffer.from(params.state ?? '');
      const expected = Buffer.from(trip.state);
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
        throw new OidcError('invalid_state', 'The sign-in did not start in this browser.');
      }
      if (!(await spend(`state:${trip.state}`, new Date(trip.exp)))) {
        throw new OidcError('invalid_state', 'This sign-in was already used; start again.');
      }
      try {
        const claims = await claimsFrom(definition, trip, params);
        if (trip.intent === 'link' && trip.userId) {
          const taken = await db.identity.findUnique({
            where: { issuer_subject: { issuer: claims.issuer, subject: claims.subject } },
          });
          if (taken && taken.userId !== trip.userId) {
            throw new OidcError(
              'identity_already_linked',
              'This sign-in belongs to another account.',
              409,
            );
          }
          if (!taken) await linkIdentity(trip.userId, definition, claims, meta);
          return { kind: 'linked', provider: definition.id, intent: 'link' };
        }
        return {
          ...(await signInWith(definition, trip, claims, deviceCookie, meta)),
          intent: 'sign_in',
        };
      } catch (error) {
        if (error instanceof OidcError) {
          await recordAudit(db, {
            type: 'sign_in.provider_failed',
            userId: trip.userId,
            ...meta,
            details: { provider: definition.id, reason: error.code },
          });
          (error as OidcError & { intent?: string }).intent = trip.intent;
        }
        throw error;
      }
    },

    /** Proof by the account's password; a wrong one counts like a failed sign-in. */
    async proveWithPassword(
      token: string,
      password: string,
      deviceCookie: string | undefined,
      meta: RequestMeta,
    ): Promise<SignedIn | MfaChallenged> {
      await throttle.hit('oidc', meta.ip, 'link-proof');
      const request = await openLinkRequest(token);
      const attempt = {
        account: lockoutAccount(request.user.email),
        source: `ip:${meta.ip}`,
        trusted: false,
        ip: meta.ip,
      };
      const admission = await guard.admit(attempt);
      if (!(await verifyPassword(request.user.passwordHash, password))) {
        await guard.failed(attempt, admission);
        throw new OidcError('invalid_credentials', 'The password is not correct.', 401);
      }
      await guard.succeeded(attempt, admission);
      return completeLink(request, ['fed', 'pwd'], deviceCookie, meta);
    },

    /** Emails a 6-digit code to the account; a new code replaces the previous one. */
    async sendLinkCode(token: string, meta: RequestMeta): Promise<void> {
      const request = await openLinkRequest(token);
      await throttle.hit('resend', meta.ip, request.user.email);
      const code = newCode();
      const definition = provider(request.provider);
      await db.$transaction(async (tx) => {
        await tx.identityLinkRequest.update({
          where: { id: request.id },
          data: { codeHash: hashCode(request.id, code), attempts: 0 },
        });
        await outbox.enqueue(tx, {
          to: request.user.email,
          template: 'identity-link-code',
          locale: mailLocale(request.user.locale),
          data: { code, provider: definition.displayName },
          userId: request.userId,
        });
      });
    },

    /** Proof by the emailed code: five tries per request. */
    async proveWithCode(
      token: string,
      code: string,
      deviceCookie: string | undefined,
      meta: RequestMeta,
    ): Promise<SignedIn | MfaChallenged> {
      await throttle.hit('oidc', meta.ip, 'link-proof');
      const request = await openLinkRequest(token);
      const counted = await db.identityLinkRequest.updateMany({
        where: { id: request.id, attempts: { lt: LINK_CODE_ATTEMPTS }, codeHash: { not: null } },
        data: { attempts: { increment: 1 } },
      });
      const expected = Buffer.from(request.codeHash ?? '');
      const given = Buffer.from(hashCode(request.id, code));
      if (
        counted.count !== 1 ||
        expected.length !== given.length ||
        !timingSafeEqual(expected, given)
      ) {
        throw new OidcError('invalid_code', 'The code is not valid; request a new one.');
      }
      return completeLink(request, FEDERATED_AUTHENTICATION.methods, deviceCookie, meta);
    },

    async identities(userId: string) {
      const rows = await db.identity.findMany({ where: { userId }, orderBy: { createdAt: 'asc' } });
      return rows.map((row) => ({
        id: row.id,
        provider: row.provider,
        displayName: registry.get(row.provider)?.displayName ?? row.provider,
        email: row.email,
        privateRelay: row.privateRelay,
        createdAt: row.createdAt.toISOString(),
        lastUsedAt: row.lastUsedAt?.toISOString() ?? null,
      }));
    },

    /** Refused when it is the last way to sign in (no password, other identity or passkey). */
    async unlink(userId: string, identityId: string, meta: RequestMeta): Promise<void> {
      await db.$transaction(async (tx) => {
        const user = await assertAnotherSignInMethod(tx, userId, { identityId });
        const identity = await tx.identity.findFirst({ where: { id: identityId, userId } });
        if (!identity) throw new NotFoundError('Identity');
        await tx.identity.delete({ where: { id: identity.id } });
        await recordAudit(tx, {
          type: 'identity.unlinked',
          userId,
          ...meta,
          details: { provider: identity.provider, issuer: identity.issuer },
        });
        await outbox.enqueue(tx, {
          to: user.email,
          template: 'identity-unlinked',
          locale: mailLocale(user.locale),
          data: { provider: registry.get(identity.provider)?.displayName ?? identity.provider },
          userId,
        });
      });
    },
  };
}

export type OidcService = ReturnType<typeof createOidcService>;
