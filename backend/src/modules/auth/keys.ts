import { createHash, createPrivateKey, createPublicKey } from 'node:crypto';
import { ConfigError } from '../../config.js';

export interface SigningKeys {
  privateKeyPem: string;
  publicKeyPem: string;
  /** RFC 7638 thumbprint of the public key: changes exactly when the key does. */
  kid: string;
  jwk: { kty: string; crv: string; x: string; y: string; kid: string; alg: 'ES256'; use: 'sig' };
}

/** A PEM given on one line (as .env files need) carries literal `\n` sequences. */
function unescapePem(pem: string): string {
  return pem.replace(/\\n/g, '\n').trim();
}

/**
 * Reads the ES256 pair from config; a key of another type or curve, or halves that do not belong
 * together, stop start-up (a token signed with one key and checked with another would fail later
 * and far less clearly).
 */
export function loadSigningKeys(config: {
  JWT_PRIVATE_KEY: string;
  JWT_PUBLIC_KEY: string;
}): SigningKeys {
  const privateKeyPem = unescapePem(config.JWT_PRIVATE_KEY);
  const publicKeyPem = unescapePem(config.JWT_PUBLIC_KEY);
  let privateKey: ReturnType<typeof createPrivateKey>;
  let publicKey: ReturnType<typeof createPublicKey>;
  try {
    privateKey = createPrivateKey(privateKeyPem);
    publicKey = createPublicKey(publicKeyPem);
  } catch {
    throw new ConfigError(['JWT_PRIVATE_KEY / JWT_PUBLIC_KEY: not readable PEM keys']);
  }
  if (
    privateKey.asymmetricKeyType !== 'ec' ||
    privateKey.asymmetricKeyDetails?.namedCurve !== 'prime256v1'
  ) {
    throw new ConfigError(['JWT_PRIVATE_KEY: must be an EC P-256 key (ES256)']);
  }
  const derived = createPublicKey(privateKey).export({ format: 'der', type: 'spki' });
  if (!derived.equals(publicKey.export({ format: 'der', type: 'spki' }))) {
    throw new ConfigError(['JWT_PUBLIC_KEY: is not the public half of JWT_PRIVATE_KEY']);
  }
  const { crv = '', kty = '', x = '', y = '' } = publicKey.export({ format: 'jwk' });
  const kid = createHash('sha256').update(JSON.stringify({ crv, kty, x, y })).digest('base64url');
  return {
    privateKeyPem,
    publicKeyPem,
    kid,
    jwk: { kty, crv, x, y, kid, alg: 'ES256', use: 'sig' },
  };
}
