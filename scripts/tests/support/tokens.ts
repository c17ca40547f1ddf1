import {
  createHash,
  createHmac,
  createPrivateKey,
  createPublicKey,
  createSecretKey,
  createSign,
  generateKeyPairSync,
  type KeyObject,
} from 'node:crypto';

export interface TokenOptions {
  header?: Record<string, unknown>;
  claims?: Record<string, unknown>;
}

const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** The `kid` the backend gives a key: its RFC 7638 JWK thumbprint (backend/src/modules/auth/keys.ts). */
export function keyId(key: string | KeyObject): string {
  const { crv, kty, x, y } = createPublicKey(key).export({ format: 'jwk' });
  return createHash('sha256').update(JSON.stringify({ crv, kty, x, y })).digest('base64url');
}

/**
 * An ES256 access token as the auth module issues a user's (RFC 9068: typ at+jwt, kid = the key's
 * thumbprint, aud, client_id, sub, roles, sid, iat, exp).
 */
export function signAccessToken(privateKeyPem: string | KeyObject, options: TokenOptions = {}) {
  const now = Math.floor(Date.now() / 1000);
  const key = typeof privateKeyPem === 'string' ? createPrivateKey(privateKeyPem) : privateKeyPem;
  const header = { alg: 'ES256', typ: 'at+jwt', kid: keyId(key), ...options.header };
  const claims = {
    aud: 'homeport',
    client_id: 'homeport-web',
    sub: 'a7c3e0f4-0000-4000-8000-000000000001',
    roles: ['member'],
    sid: 'b7c3e0f4-0000-4000-8000-000000000002',
    iat: now,
    exp: now + 300,
    ...options.claims,
  };
  const input = `${encode(header)}.${encode(claims)}`;
  const signature = createSign('SHA256').update(input).sign({ key, dsaEncoding: 'ieee-p1363' });
  return `${input}.${signature.toString('base64url')}`;
}

/** A service client's token (client credentials): sub = client_id, a scope, no session. */
export function signServiceToken(privateKeyPem: string | KeyObject, options: TokenOptions = {}) {
  const clientId = 'c7c3e0f4-0000-4000-8000-000000000003';
  return signAccessToken(privateKeyPem, {
    ...options,
    claims: {
      sub: clientId,
      client_id: clientId,
      scope: 'items:read',
      roles: undefined,
      sid: undefined,
      ...options.claims,
    },
  });
}

/** The classic forgeries a gateway must refuse. */
export function forgedTokens(publicKeyPem: string): Record<string, string> {
  const now = Math.floor(Date.now() / 1000);
  const claims = { sub: 'attacker', roles: ['admin'], iat: now, exp: now + 300 };
  const otherKey = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
  const hsInput = `${encode({ alg: 'HS256', typ: 'JWT' })}.${encode(claims)}`;
  const hsSignature = createHmac('sha256', createSecretKey(Buffer.from(publicKeyPem)))
    .update(hsInput)
    .digest('base64url');
  const valid = signAccessToken(otherKey);
  const [head, body] = valid.split('.');
  return {
    'alg none': `${encode({ alg: 'none', typ: 'JWT' })}.${encode(claims)}.`,
    'HS256 with the public key as secret': `${hsInput}.${hsSignature}`,
    'signed by another key': signAccessToken(otherKey, { claims }),
    'claims swapped after signing': `${head}.${encode(claims)}.${valid.split('.')[2]}`,
    'not a JWT': 'hello',
    'garbage segments': `${head}.%%%.${body}`,
  };
}
