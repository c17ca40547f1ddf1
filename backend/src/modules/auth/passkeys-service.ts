import {
  type AuthenticationResponseJSON,
  generateRegistrationOptions,
  type PublicKeyCredentialCreationOptionsJSON,
  type PublicKeyCredentialRequestOptionsJSON,
  type RegistrationResponseJSON,
  verifyRegistrationResponse,
} from '@simplewebauthn/server';
import { type Database, isUniqueViolation } from '../../db/client.js';
import type { Passkey } from '../../generated/prisma/client.js';
import {
  AppError,
  BadRequestError,
  ConflictError,
  ForbiddenError,
  NotFoundError,
} from '../../lib/errors.js';
import { recordAudit } from '../audit/service.js';
import { type AssuranceLevel, passkeyMethod } from './access-claims.js';
import { type AuthOutbox, mailLocale } from './mail.js';
import { InvalidMfaChallengeError, type MfaService, RECENT_SIGN_IN_MS } from './mfa-service.js';
import { hashToken } from './secrets.js';
import { type RequestMeta, SecondFactorRequiredError, sessionLevel } from './session-store.js';
import {
  MFA_CHALLENGE_ATTEMPTS,
  type MfaChallenged,
  type SessionsService,
  type SignedIn,
} from './sessions-service.js';
import { assertAnotherSignInMethod } from './sign-in-methods.js';
import type { Throttle } from './throttle.js';
import {
  PasskeyChallengeError,
  PasskeyError,
  type RelyingParty,
  WEBAUTHN_CHALLENGE_TTL_MS,
  type Webauthn,
} from './webauthn.js';

/** Registered credentials per account: enough for every device a person owns, and a bound. */
export const MAX_PASSKEYS_PER_USER = 20;
/** Second-step passkey requests per account and window (each stores a challenge). */
export const PASSKEY_OPTIONS_PER_USER = 30;
/** Registration starts per account and window (each stores a challenge). */
const REGISTRATIONS_PER_USER = 30;
/** Passwordless sign-ins started per client address and window (each stores a challenge). */
const SIGN_INS_PER_IP = 120;
/** WebAuthn's transports; anything else a client sends is dropped, not stored. */
const TRANSPORTS = new Set(['usb', 'nfc', 'ble', 'smart-card', 'hybrid', 'internal', 'cable']);
/** WebAuthn allows credential ids up to 1023 bytes: 1364 base64url characters. */
export const CREDENTIAL_ID_MAX_LENGTH = 1364;

export interface PasskeyView {
  id: string;
  name: string;
  /** true: a synced passkey (iCloud Keychain, Google Password Manager…); false: device-bound. */
  synced: boolean;
  transports: string[];
  createdAt: string;
  lastUsedAt: string | null;
}

function view(passkey: Passkey): PasskeyView {
  return {
    id: passkey.id,
    name: passkey.name,
    synced: passkeyMethod(passkey) === 'swk',
    transports: passkey.transports,
    createdAt: passkey.createdAt.toISOString(),
    lastUsedAt: passkey.lastUsedAt?.toISOString() ?? null,
  };
}

/** Checks a new credential's answer: this challenge, this origin and RP id, a sound key. */
async function verifyRegistration(
  credential: RegistrationResponseJSON,
  challenge: string,
  rp: RelyingParty,
) {
  try {
    const result = await verifyRegistrationResponse({
      response: credential,
      expectedChallenge: challenge,
      expectedOrigin: rp.origin,
      expectedRPID: rp.id,
      requireUserVerification: false,
    });
    // The id stored is the one in the authenticator data: it must be the id the client named, and
    // within WebAuthn's bound (a forged attestation could carry a huge one).
    const id = result.registrationInfo?.credential.id;
    if (result.verified && id === credential.id && id.length <= CREDENTIAL_ID_MAX_LENGTH) {
      return result.registrationInfo;
    }
  } catch {
    // A malformed or forged answer: the same refusal as one that does not verify.
  }
  throw new PasskeyError();
}

/** The user handle an authenticator stores with the credential: the account id's 16 bytes. */
function userHandle(userId: string): Uint8Array<ArrayBuffer> {
  return new Uint8Array(Buffer.from(userId.replaceAll('-', ''), 'hex'));
}

/**
 * Passkeys (Cognito StartWebAuthnRegistration / CompleteWebAuthnRegistration /
 * ListWebAuthnCredentials / DeleteWebAuthnCredential, and USER_AUTH with WEB_AUTHN): register,
 * list, rename, remove, and sign in without a password. A user-verified passkey is AAL2 on its
 * own; one without user verification is a first factor that meets the second step.
 */
export function createPasskeysService(deps: {
  db: Database;
  outbox: AuthOutbox;
  webauthn: Webauthn;
  sessions: Pick<SessionsService, 'signInVerified'>;
  mfa: Pick<MfaService, 'isEnabled'>;
  throttle: Throttle;
  confirmPassword(userId: string, password: string, meta: RequestMeta): Promise<unknown>;
}) {
  const { db, outbox, webauthn, sessions, throttle, mfa } = deps;
  const { rp } = webauthn;

  /**
   * Adding a credential that signs in on its own needs more than a stolen access token: an AAL2
   * session; without MFA, the password, or (for an account without one) a sign-in in the last
   * 10 minutes. With MFA on, only an AAL2 session: else an old session and the password would
   * add a user-verified passkey, which signs in at AAL2 with no second step.
   */
  async function assertFreshAuthentication(
    user: { id: string; sessionId: string; signedInAt: Date; level: AssuranceLevel },
    password: string | undefined,
    meta: RequestMeta,
  ) {
    const level = user.level === 'aal2' ? 'aal2' : await sessionLevel(db, user);
    if (level === 'aal2') return;
    // With MFA on, the password is one factor and a user-verified passkey would be two.
    if (await mfa.isEnabled(user.id)) throw new SecondFactorRequiredError('add the passkey');
    if (password !== undefined) {
      try {
        await deps.confirmPassword(user.id, password, meta);
      } catch (error) {
        if (error instanceof AppError && error.code === 'wrong_password') {
          throw new BadRequestError('wrong_password', 'The password is not correct.', [
            { field: '/body/password', message: 'is not correct' },
          ]);
        }
        throw error;
      }
      return;
    }
    const account = await db.user.findUniqueOrThrow({ where: { id: user.id } });
    const recent = Date.now() - user.signedInAt.getTime() <= RECENT_SIGN_IN_MS;
    if (account.passwordHash === null && recent) return;
    throw new ForbiddenError(
      'reauthentication_required',
      account.passwordHash === null
        ? 'Sign in again to add a passkey.'
        : 'Enter your password again to add a passkey.',
    );
  }

  return {
    async list(userId: string): Promise<PasskeyView[]> {
      return (await webauthn.passkeysOf(userId)).map(view);
    },

    /** Options for `navigator.credentials.create`; the user's own credentials are excluded. */
    async registrationOptions(
      user: { id: string; sessionId: string; signedInAt: Date; level: AssuranceLevel },
      password: string | undefined,
      meta: RequestMeta,
    ): Promise<PublicKeyCredentialCreationOptionsJSON> {
      await throttle.spend(`passkey-registration:user:${user.id}`, REGISTRATIONS_PER_USER);
      await assertFreshAuthentication(user, password, meta);
      const account = await db.user.findUniqueOrThrow({ where: { id: user.id } });
      const existing = await webauthn.passkeysOf(user.id);
      if (existing.length >= MAX_PASSKEYS_PER_USER) {
        throw new ConflictError(
          'passkey_limit',
          `An account can have at most ${MAX_PASSKEYS_PER_USER} passkeys; remove one first.`,
        );
      }
      const options = await generateRegistrationOptions({
        rpName: rp.name,
        rpID: rp.id,
        userName: account.email,
        userDisplayName: account.email,
        userID: userHandle(user.id),
        timeout: WEBAUTHN_CHALLENGE_TTL_MS,
        attestationType: 'none',
        excludeCredentials: existing.map((key) => ({
          id: key.credentialId,
          transports: key.transports,
        })),
        // A discoverable credential, so it can sign in without an email typed first.
        authenticatorSelection: { residentKey: 'required', userVerification: 'preferred' },
      });
      await webauthn.storeChallenge(options.challenge, 'registration', { userId: user.id });
      return options;
    },

    /** Verifies the new credential against the challenge this user was given and stores it. */
    async register(
      userId: string,
      input: { credential: RegistrationResponseJSON; name?: string | undefined },
      meta: RequestMeta,
    ): Promise<PasskeyView> {
      const spent = await webauthn.spendChallenge(input.credential, 'registration');
      if (spent.userId !== userId) throw new PasskeyChallengeError();
      const info = await verifyRegistration(input.credential, spent.challenge, rp);
      const { credential } = info;
      const created = await db
        .$transaction(async (tx) => {
          await tx.$queryRaw`SELECT id FROM users WHERE id = ${userId}::uuid FOR UPDATE`;
          const user = await tx.user.findUniqueOrThrow({ where: { id: userId } });
          const count = await tx.passkey.count({ where: { userId } });
          if (count >= MAX_PASSKEYS_PER_USER) {
            throw new ConflictError('passkey_limit', 'Remove a passkey first.');
          }
          const name = input.name?.trim() || `Passkey ${count + 1}`;
          const passkey = await tx.passkey.create({
            data: {
              userId,
              credentialId: credential.id,
              publicKey: Buffer.from(credential.publicKey),
              counter: BigInt(credential.counter),
              transports: (credential.transports ?? []).filter((item) => TRANSPORTS.has(item)),
              deviceType: info.credentialDeviceType,
              backedUp: info.credentialBackedUp,
              aaguid: info.aaguid,
              name,
            },
          });
          await recordAudit(tx, {
            type: 'passkey.added',
            userId,
            actorId: userId,
            ...meta,
            details: { passkeyId: passkey.id, synced: passkeyMethod(passkey) === 'swk' },
          });
          await outbox.enqueue(tx, {
            to: user.email,
            template: 'passkey-added',
            locale: mailLocale(user.locale),
            data: { name },
            userId,
          });
          return passkey;
        })
        .catch((error: unknown) => {
          if (isUniqueViolation(error)) {
            throw new ConflictError(
              'passkey_already_registered',
              'This passkey is already registered.',
            );
          }
          throw error;
        });
      return view(created);
    },

    async rename(userId: string, passkeyId: string, name: string): Promise<PasskeyView> {
      const [renamed] = await db.passkey.updateManyAndReturn({
        where: { id: passkeyId, userId },
        data: { name: name.trim() },
      });
      if (!renamed) throw new NotFoundError('Passkey');
      return view(renamed);
    },

    /** Refused when it is the last way to sign in; audited and emailed. */
    async remove(userId: string, passkeyId: string, meta: RequestMeta): Promise<void> {
      await db.$transaction(async (tx) => {
        const user = await assertAnotherSignInMethod(tx, userId, { passkeyId });
        const passkey = await tx.passkey.findFirst({ where: { id: passkeyId, userId } });
        if (!passkey) throw new NotFoundError('Passkey');
        await tx.passkey.delete({ where: { id: passkey.id } });
        await recordAudit(tx, {
          type: 'passkey.removed',
          userId,
          actorId: userId,
          ...meta,
          details: { passkeyId },
        });
        await outbox.enqueue(tx, {
          to: user.email,
          template: 'passkey-removed',
          locale: mailLocale(user.locale),
          data: { name: passkey.name },
          userId,
        });
      });
    },

    /** Options for a passwordless sign-in: any of this site's passkeys may answer. */
    async signInOptions(meta: RequestMeta): Promise<PublicKeyCredentialRequestOptionsJSON> {
      await throttle.spend(`passkey-sign-in:ip:${meta.ip}`, SIGN_INS_PER_IP);
      return webauthn.assertionOptions('sign_in', {});
    },

    /**
     * A passwordless sign-in. With user verification the passkey is two factors (AAL2) and no
     * second step follows; without it, it is one, and MFA (if on) asks for a second.
     */
    async signIn(
      input: { credential: AuthenticationResponseJSON; keepSignedIn: boolean },
      meta: RequestMeta,
      deviceCookie?: string,
    ): Promise<SignedIn | MfaChallenged> {
      const { credential } = input;
      const spent = await webauthn.spendChallenge(credential, 'sign_in');
      const passkey = await db.passkey.findUnique({
        where: { credentialId: credential.id },
        include: { user: true },
      });
      // A discoverable credential returns the account it was made for (WebAuthn §7.2 step 6).
      const handle = credential.response.userHandle;
      if (
        !passkey ||
        handle === undefined ||
        Buffer.from(handle, 'base64url').compare(Buffer.from(userHandle(passkey.userId))) !== 0
      ) {
        await recordAudit(db, {
          type: 'sign_in.failed',
          userId: passkey?.userId,
          ...meta,
          details: { reason: 'passkey_unknown' },
        });
        throw new PasskeyError(
          'passkey_unknown',
          'This passkey is not registered here; sign in another way, then add it on your account page.',
        );
      }
      const proof = await webauthn
        .verifyAssertion(passkey, credential, spent.challenge, meta)
        .catch(async (error: unknown) => {
          await recordAudit(db, {
            type: 'sign_in.failed',
            userId: passkey.userId,
            ...meta,
            details: { reason: error instanceof AppError ? error.code : 'passkey' },
          });
          throw error;
        });
      const authentication = proof.userVerified
        ? { methods: [proof.method, 'mfa' as const], level: 'aal2' as const }
        : { methods: [proof.method], level: 'aal1' as const };
      return sessions.signInVerified(
        passkey.user,
        { authentication, keepSignedIn: input.keepSignedIn, deviceCookie },
        meta,
      );
    },

    /**
     * Options for the second step with a passkey: only the user's own credentials, bound to this
     * MFA challenge. Not offered when the first step was itself a passkey.
     */
    async secondFactorOptions(
      challengeToken: string,
    ): Promise<PublicKeyCredentialRequestOptionsJSON> {
      const challenge = await db.mfaChallenge.findFirst({
        where: {
          tokenHash: hashToken(challengeToken),
          consumedAt: null,
          expiresAt: { gt: new Date() },
        },
      });
      if (!challenge) throw new InvalidMfaChallengeError();
      if (challenge.passkeyAttempts >= MFA_CHALLENGE_ATTEMPTS) {
        throw new InvalidMfaChallengeError(
          'mfa_attempts_exhausted',
          'Too many tries for this sign-in; sign in again.',
        );
      }
      await throttle.spend(`passkey-options:user:${challenge.userId}`, PASSKEY_OPTIONS_PER_USER);
      const keys = await webauthn.passkeysOf(challenge.userId);
      const firstWasPasskey = challenge.firstFactor.some((m) => m === 'hwk' || m === 'swk');
      if (keys.length === 0 || firstWasPasskey) {
        throw new ConflictError(
          'passkey_not_offered',
          'Use your authenticator app or a recovery code.',
        );
      }
      return webauthn.assertionOptions(
        'second_factor',
        { userId: challenge.userId, mfaChallengeId: challenge.id },
        keys,
      );
    },
  };
}

export type PasskeysService = ReturnType<typeof createPasskeysService>;
