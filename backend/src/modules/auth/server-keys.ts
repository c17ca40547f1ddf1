import {
  createCipheriv,
  createDecipheriv,
  createHmac,
  hkdfSync,
  randomBytes,
  timingSafeEqual,
} from 'node:crypto';

/**
 * Keys of the auth module's own MACs and ciphers, each derived with HKDF from one secret
 * (AUTH_SECRET, else the access-token signing key), so no key is ever used for two purposes.
 */
export interface AuthKeys {
  /** HMAC of the `__Host-hp_device` cookie. */
  device: Buffer;
  /** HMAC of the emailed unlock link. */
  unlock: Buffer;
  /** AES-256-GCM key that seals a rotated refresh token's successor for the grace window. */
  successor: Buffer;
  /** AES-256-GCM key of the `__Host-hp_oidc` cookie and of account-linking tickets. */
  oidc: Buffer;
}

export function deriveAuthKeys(secret: string): AuthKeys {
  const derive = (label: string) =>
    Buffer.from(hkdfSync('sha256', secret, 'homeport-auth', label, 32));
  return {
    device: derive('device-cookie'),
    unlock: derive('unlock-link'),
    successor: derive('refresh-successor'),
    oidc: derive('oidc-state'),
  };
}

export function mac(key: Buffer, message: string): string {
  return createHmac('sha256', key).update(message).digest('base64url');
}

export function macMatches(key: Buffer, message: string, given: string): boolean {
  const expected = Buffer.from(mac(key, message));
  const actual = Buffer.from(given);
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}

/** AES-256-GCM; `context` is authenticated too, so a sealed value only opens for its own row. */
export function seal(key: Buffer, plaintext: string, context: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(context));
  const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url');
}

/** The plaintext, or undefined when the value was not sealed with this key for this context. */
export function unseal(key: Buffer, sealed: string, context: string): string | undefined {
  const raw = Buffer.from(sealed, 'base64url');
  if (raw.length < 29) return undefined;
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, 12));
    decipher.setAAD(Buffer.from(context));
    decipher.setAuthTag(raw.subarray(12, 28));
    return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
  } catch {
    return undefined;
  }
}
