import {
  createCipheriv,
  createDecipheriv,
  createHmac,
  hkdfSync,
  randomBytes,
  timingSafeEqual,
} from 'node:crypto';

/**
 * Webhook secrets and signatures, the Standard Webhooks scheme: a secret is `whsec_` + base64 of
 * 24 random bytes; a delivery's `Webhook-Signature` is `v1,` + base64(HMAC-SHA256(secret bytes,
 * `${id}.${timestamp}.${body}`)), one per live secret, space-separated.
 */

const SECRET_PREFIX = 'whsec_';

export function generateSecret(): string {
  return SECRET_PREFIX + randomBytes(24).toString('base64');
}

function secretBytes(secret: string): Buffer {
  return Buffer.from(secret.slice(SECRET_PREFIX.length), 'base64');
}

export function sign(secret: string, id: string, timestamp: number, body: string): string {
  const digest = createHmac('sha256', secretBytes(secret))
    .update(`${id}.${timestamp}.${body}`, 'utf8')
    .digest('base64');
  return `v1,${digest}`;
}

/** The header value: one signature per live secret (two during a rotation). */
export function signatureHeader(
  secrets: readonly string[],
  id: string,
  timestamp: number,
  body: string,
): string {
  return secrets.map((secret) => sign(secret, id, timestamp, body)).join(' ');
}

/** What a receiver does: true when any `v1` signature of the header matches the secret. */
export function verifySignature(
  secret: string,
  header: string,
  id: string,
  timestamp: number,
  body: string,
): boolean {
  const expected = Buffer.from(sign(secret, id, timestamp, body));
  return header
    .split(' ')
    .map((part) => Buffer.from(part))
    .some((given) => given.length === expected.length && timingSafeEqual(given, expected));
}

export interface SecretBox {
  seal(secret: string, endpointId: string): string;
  open(sealed: string, endpointId: string): string;
}

/**
 * AES-256-GCM under a key derived from WEBHOOKS_ENCRYPTION_KEY; the endpoint id is the associated
 * data, so a sealed secret copied to another endpoint's row does not open.
 */
export function createSecretBox(encryptionKey: string): SecretBox {
  const key = Buffer.from(
    hkdfSync('sha256', encryptionKey, 'homeport-webhooks', 'signing-secret-encryption', 32),
  );
  return {
    seal(secret, endpointId) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      cipher.setAAD(Buffer.from(endpointId));
      const encrypted = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()]);
      return ['v1', iv, cipher.getAuthTag(), encrypted]
        .map((part) => (typeof part === 'string' ? part : part.toString('base64')))
        .join(':');
    },
    open(sealed, endpointId) {
      const [version, iv, tag, encrypted] = sealed.split(':');
      if (version !== 'v1' || !iv || !tag || !encrypted) throw new Error('Unknown sealed format');
      const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64'));
      decipher.setAAD(Buffer.from(endpointId));
      decipher.setAuthTag(Buffer.from(tag, 'base64'));
      return Buffer.concat([
        decipher.update(Buffer.from(encrypted, 'base64')),
        decipher.final(),
      ]).toString('utf8');
    },
  };
}
