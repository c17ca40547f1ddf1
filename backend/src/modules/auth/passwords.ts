import { hash, verify } from '@node-rs/argon2';
import type { FieldError } from '../../lib/errors.js';
import { COMMON_PASSWORDS } from './common-passwords.js';

export const PASSWORD_MIN_LENGTH = 10;
export const PASSWORD_MAX_LENGTH = 128;

/**
 * argon2id with OWASP's first recommended setting (19 MiB, 2 passes, 1 lane). Measured with
 * backend/bench/auth.ts on our 2-core build VM: about 60 ms per hash or verify on one core, which
 * bounds sign-in throughput (the hash runs on libuv's thread pool, not the event loop) while
 * making offline guessing expensive. Changing these leaves old hashes valid: the parameters are
 * stored in each PHC string.
 */
export const ARGON2_OPTIONS = {
  algorithm: 2, // Argon2id
  memoryCost: 19_456,
  timeCost: 2,
  parallelism: 1,
} as const;

export function hashPassword(password: string): Promise<string> {
  return hash(password, ARGON2_OPTIONS);
}

/**
 * An account without a password (created by a provider's sign-in) has a null hash: the answer is
 * false after the same argon2 work, so timing does not tell it from a wrong password.
 */
export async function verifyPassword(
  passwordHash: string | null,
  password: string,
): Promise<boolean> {
  if (passwordHash === null) return spendVerifyTime(password);
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}

let dummyHash: Promise<string> | undefined;

/** Computes the throw-away hash ahead of the first unknown email (call at start). */
export function prepareDummyHash(): Promise<string> {
  dummyHash ??= hashPassword('timing-equaliser-not-a-password');
  return dummyHash;
}

/**
 * Verifies against a throw-away hash with the same parameters, so an unknown email costs the
 * same argon2 work as a known one and the answer's timing does not reveal which emails have
 * accounts. Always false.
 */
export async function spendVerifyTime(password: string): Promise<false> {
  await verifyPassword(await prepareDummyHash(), password);
  return false;
}

/** Length (counted in characters, not UTF-16 units) and the common-password list. */
export function passwordProblems(password: string, field: string): FieldError[] {
  const length = [...password].length;
  if (length < PASSWORD_MIN_LENGTH) {
    return [{ field, message: `must be at least ${PASSWORD_MIN_LENGTH} characters` }];
  }
  if (length > PASSWORD_MAX_LENGTH) {
    return [{ field, message: `must be at most ${PASSWORD_MAX_LENGTH} characters` }];
  }
  if (COMMON_PASSWORDS.has(password.toLowerCase())) {
    return [{ field, message: 'is too common; choose one that is harder to guess' }];
  }
  return [];
}
