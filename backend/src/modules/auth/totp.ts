import { createHash, hkdfSync } from 'node:crypto';
import { Secret, TOTP } from 'otpauth';
import { seal, unseal } from './server-keys.js';

/** RFC 6238 defaults every authenticator app understands: SHA-1, 6 digits, 30-second steps. */
export const TOTP_PERIOD_SECONDS = 30;
const TOTP_DIGITS = 6;
/** 160 bits, the HMAC-SHA-1 block RFC 4226 §4 recommends as the least. */
const SECRET_BYTES = 20;
/** Codes of the step before and after the current one are accepted too (clock drift). */
const DRIFT_STEPS = 1;
export const ISSUER = 'Homeport';

export const RECOVERY_CODE_COUNT = 10;
/** 80 random bits each: a plain SHA-256 is then enough to store them (no offline guessing). */
const RECOVERY_CODE_BYTES = 10;

function totpOf(secretBase32: string, label = ''): TOTP {
  return new TOTP({
    issuer: ISSUER,
    label,
    algorithm: 'SHA1',
    digits: TOTP_DIGITS,
    period: TOTP_PERIOD_SECONDS,
    secret: Secret.fromBase32(secretBase32),
  });
}

export function newTotpSecret(): string {
  return new Secret({ size: SECRET_BYTES }).base32;
}

/** The `otpauth://totp/...` URI an authenticator app reads from the QR code. */
export function otpauthUri(secretBase32: string, accountName: string): string {
  return totpOf(secretBase32, accountName).toString();
}

/** The code of a moment (tests and the account page's clock check use it). */
export function totpCode(secretBase32: string, at = Date.now()): string {
  return totpOf(secretBase32).generate({ timestamp: at });
}

/**
 * The time step whose code `code` is, within ±1 step of `at`, or undefined. The caller accepts
 * the code only if it can move the factor's last used step forward to this one.
 */
export function matchingStep(
  secretBase32: string,
  code: string,
  at = Date.now(),
): number | undefined {
  if (!/^\d{6}$/.test(code)) return undefined;
  const delta = totpOf(secretBase32).validate({ token: code, timestamp: at, window: DRIFT_STEPS });
  if (delta === null) return undefined;
  return Math.floor(at / 1000 / TOTP_PERIOD_SECONDS) + delta;
}

/** The AES-256-GCM key for TOTP secrets, derived from MFA_ENCRYPTION_KEY. */
export function deriveMfaKey(secret: string): Buffer {
  return Buffer.from(hkdfSync('sha256', secret, 'homeport-mfa', 'totp-secret', 32));
}

/**
 * The key that seals, and during a rotation the one before it (MFA_ENCRYPTION_KEY_PREVIOUS),
 * which still opens secrets sealed before the rotation.
 */
export interface MfaKeys {
  current: Buffer;
  previous: Buffer | null;
}

export function deriveMfaKeys(current: string, previous?: string): MfaKeys {
  return {
    current: deriveMfaKey(current),
    previous: previous ? deriveMfaKey(previous) : null,
  };
}

/** Sealed for one user: a sealed secret copied to another account's row does not open. */
export function sealTotpSecret(key: Buffer, userId: string, secretBase32: string): string {
  return seal(key, secretBase32, `totp:${userId}`);
}

/** The secret, and whether it was sealed under the previous key (so it should be sealed again). */
export function openTotpSecret(
  keys: MfaKeys,
  userId: string,
  sealed: string,
): { secret: string; stale: boolean } | undefined {
  const secret = unseal(keys.current, sealed, `totp:${userId}`);
  if (secret !== undefined) return { secret, stale: false };
  const old = keys.previous ? unseal(keys.previous, sealed, `totp:${userId}`) : undefined;
  return old === undefined ? undefined : { secret: old, stale: true };
}

/** `XXXX-XXXX-XXXX-XXXX`, base32 (no 0/1/8/9 to misread). */
export function newRecoveryCode(): string {
  const base32 = new Secret({ size: RECOVERY_CODE_BYTES }).base32;
  return base32.match(/.{4}/g)?.join('-') ?? base32;
}

/** What the user typed, with spaces and dashes dropped and letters upper-cased. */
export function normaliseRecoveryCode(input: string): string {
  return input.replace(/[\s-]/g, '').toUpperCase();
}

export function hashRecoveryCode(input: string): string {
  return createHash('sha256')
    .update(`recovery:${normaliseRecoveryCode(input)}`)
    .digest('hex');
}
