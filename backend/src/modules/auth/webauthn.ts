import {
  type AuthenticationResponseJSON,
  generateAuthenticationOptions,
  type PublicKeyCredentialRequestOptionsJSON,
  type RegistrationResponseJSON,
  verifyAuthenticationResponse,
} from '@simplewebauthn/server';
import { decodeClientDataJSON } from '@simplewebauthn/server/helpers';
import type { Database } from '../../db/client.js';
import type { Passkey } from '../../generated/prisma/client.js';
import { BadRequestError } from '../../lib/errors.js';
import { recordAudit } from '../audit/service.js';
import type { AuthMethod } from './access-claims.js';
import { passkeyMethod } from './access-claims.js';
import { hashToken } from './secrets.js';
import type { RequestMeta } from './session-store.js';

/** A ceremony's challenge lives this long; the browser's own timeout is the same. */
export const WEBAUTHN_CHALLENGE_TTL_MS = 5 * 60_000;

export type ChallengePurpose = 'registration' | 'sign_in' | 'second_factor';

/** This site as a WebAuthn relying party: its id is PUBLIC_URL's host, its origin PUBLIC_URL. */
export interface RelyingParty {
  id: string;
  name: string;
  origin: string;
}

export function relyingPartyOf(publicUrl: string, name: string): RelyingParty {
  const url = new URL(publicUrl);
  return { id: url.hostname, name, origin: url.origin };
}

/** 400 with a stable code: a passkey answer that does not prove what it claims. */
export class PasskeyError extends BadRequestError {
  constructor(
    code = 'passkey_not_verified',
    message = 'The passkey could not be verified; try again.',
  ) {
    super(code, message, [{ field: '/body/credential', message: 'is not valid' }]);
  }
}

export class PasskeyChallengeError extends PasskeyError {
  constructor() {
    super('passkey_challenge_invalid', 'This passkey request has expired or was used; try again.');
  }
}

/** The challenge the browser signed, read from the answer's client data (not yet trusted). */
function challengeOf(response: RegistrationResponseJSON | AuthenticationResponseJSON): string {
  try {
    const { challenge } = decodeClientDataJSON(response.response.clientDataJSON);
    if (typeof challenge !== 'string' || challenge.length === 0) throw new Error('no challenge');
    return challenge;
  } catch {
    throw new PasskeyError();
  }
}

/**
 * The WebAuthn parts every passkey ceremony shares: challenges kept server-side (their hash) and
 * spent by the first answer, right or wrong; and an assertion check whose signature counter moves
 * forward by a compare-and-set, so a cloned authenticator's older counter is refused.
 */
export function createWebauthn(deps: { db: Database; rp: RelyingParty }) {
  const { db, rp } = deps;

  async function storeChallenge(
    challenge: string,
    purpose: ChallengePurpose,
    owner: { userId?: string; mfaChallengeId?: string } = {},
  ): Promise<void> {
    await db.webauthnChallenge.create({
      data: {
        challengeHash: hashToken(challenge),
        purpose,
        userId: owner.userId ?? null,
        mfaChallengeId: owner.mfaChallengeId ?? null,
        expiresAt: new Date(Date.now() + WEBAUTHN_CHALLENGE_TTL_MS),
      },
    });
  }

  /**
   * Spends the challenge the answer carries: deleted in one statement, so of two answers with it
   * (a replay, two tabs) only one finds it. Refused when unknown, expired or of another purpose.
   */
  async function spendChallenge(
    response: RegistrationResponseJSON | AuthenticationResponseJSON,
    purpose: ChallengePurpose,
  ): Promise<{ challenge: string; userId: string | null; mfaChallengeId: string | null }> {
    const challenge = challengeOf(response);
    const rows = await db.$queryRaw<{ user_id: string | null; mfa_challenge_id: string | null }[]>`
      DELETE FROM webauthn_challenges
      WHERE challenge_hash = ${hashToken(challenge)} AND purpose = ${purpose} AND expires_at > now()
      RETURNING user_id, mfa_challenge_id`;
    const row = rows[0];
    if (!row) throw new PasskeyChallengeError();
    return { challenge, userId: row.user_id, mfaChallengeId: row.mfa_challenge_id };
  }

  /** Options for an assertion; `allow` limits it to these credentials (the second step). */
  async function assertionOptions(
    purpose: 'sign_in' | 'second_factor',
    owner: { userId?: string; mfaChallengeId?: string },
    allow: Pick<Passkey, 'credentialId' | 'transports'>[] = [],
  ): Promise<PublicKeyCredentialRequestOptionsJSON> {
    const options = await generateAuthenticationOptions({
      rpID: rp.id,
      timeout: WEBAUTHN_CHALLENGE_TTL_MS,
      allowCredentials: allow.map((key) => ({ id: key.credentialId, transports: key.transports })),
      // A second step needs possession only; a first factor asks for the PIN or biometrics.
      userVerification: purpose === 'second_factor' ? 'discouraged' : 'preferred',
    });
    await storeChallenge(options.challenge, purpose, owner);
    return options;
  }

  /**
   * Checks an assertion against the stored credential and moves its counter. Counter 0 on both
   * sides is an authenticator that does not count (most synced passkeys); otherwise the new
   * counter must be higher than the stored one, also against a racing assertion.
   */
  async function verifyAssertion(
    passkey: Passkey,
    response: AuthenticationResponseJSON,
    challenge: string,
    meta: RequestMeta,
  ): Promise<{ userVerified: boolean; method: AuthMethod }> {
    let info: Awaited<ReturnType<typeof verifyAuthenticationResponse>>['authenticationInfo'];
    try {
      const result = await verifyAuthenticationResponse({
        response,
        expectedChallenge: challenge,
        expectedOrigin: rp.origin,
        expectedRPID: rp.id,
        // The counter is checked below, in the same statement that stores the new one.
        credential: {
          id: passkey.credentialId,
          publicKey: new Uint8Array(passkey.publicKey),
          counter: 0,
          transports: passkey.transports,
        },
        requireUserVerification: false,
      });
      if (!result.verified) throw new PasskeyError();
      info = result.authenticationInfo;
    } catch (error) {
      if (error instanceof PasskeyError) throw error;
      throw new PasskeyError();
    }
    const next = BigInt(info.newCounter);
    // Both 0: a key that does not count, still 0 (a racing answer may have moved it since).
    const counts = next > 0n || passkey.counter > 0n;
    const { count } = await db.passkey.updateMany({
      where: { id: passkey.id, counter: counts ? { lt: next } : 0n },
      data: { counter: next, backedUp: info.credentialBackedUp, lastUsedAt: new Date() },
    });
    if (count !== 1) {
      if ((await db.passkey.count({ where: { id: passkey.id } })) === 0) {
        throw new PasskeyError('passkey_unknown', 'This passkey was removed.');
      }
      await recordAudit(db, {
        type: 'passkey.counter_regressed',
        userId: passkey.userId,
        ...meta,
        details: {
          passkeyId: passkey.id,
          stored: passkey.counter.toString(),
          seen: next.toString(),
        },
      });
      throw new PasskeyError(
        'passkey_counter_regressed',
        'This passkey answered with an old signature counter and may have been copied: sign in another way and remove it.',
      );
    }
    return {
      userVerified: info.userVerified,
      method: passkeyMethod({ deviceType: passkey.deviceType, backedUp: info.credentialBackedUp }),
    };
  }

  return {
    rp,
    storeChallenge,
    spendChallenge,
    assertionOptions,
    verifyAssertion,

    async passkeysOf(userId: string) {
      return db.passkey.findMany({ where: { userId }, orderBy: { createdAt: 'asc' } });
    },

    async hasPasskey(userId: string): Promise<boolean> {
      return (await db.passkey.count({ where: { userId } })) > 0;
    },

    /**
     * The second sign-in step with a passkey: the answer must spend a challenge handed out for
     * this very MFA challenge, with one of this user's own credentials. Wrong answers are false.
     */
    async verifySecondFactor(
      user: { id: string; mfaChallengeId: string },
      response: AuthenticationResponseJSON,
      meta: RequestMeta,
    ): Promise<{ method: AuthMethod } | undefined> {
      const spent = await spendChallenge(response, 'second_factor');
      if (spent.userId !== user.id || spent.mfaChallengeId !== user.mfaChallengeId) {
        throw new PasskeyChallengeError();
      }
      const passkey = await db.passkey.findFirst({
        where: { credentialId: response.id, userId: user.id },
      });
      if (!passkey) return undefined;
      try {
        return { method: (await verifyAssertion(passkey, response, spent.challenge, meta)).method };
      } catch (error) {
        if (error instanceof PasskeyError && error.code === 'passkey_not_verified')
          return undefined;
        throw error;
      }
    },
  };
}

export type Webauthn = ReturnType<typeof createWebauthn>;
