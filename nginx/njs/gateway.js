/**
 * Gateway token check (the API Gateway JWT authorizer): runs in the auth_request subrequest of
 * every protected /api/ location. A request passes only with an ES256 access token whose
 * signature verifies against the backend's public key and whose exp/nbf admit the current time.
 *
 * Written for njs 0.7.9 (Debian's libnginx-mod-http-js) and newer alike: let/const, template
 * literals and async/await but no optional chaining, `crypto.subtle` ECDSA verify with an SPKI key (EC JWK import is missing in
 * 0.7.x), and no `ngx.shared` (0.8+), so the key file is read per request — cheap, and a rotated
 * key is used without a reload.
 */
// biome-ignore lint/style/useNodejsImportProtocol: njs knows no `node:` scheme.
import fs from 'fs';

const MAX_TOKEN_LENGTH = 8192;
const CLOCK_SKEW_SECONDS = 5;

function base64UrlDecode(text) {
  if (!/^[A-Za-z0-9_-]*$/.test(text)) throw new Error('bad base64url');
  return Buffer.from(text, 'base64url');
}

function pemToDer(pem) {
  const body = pem
    .replace(/-----BEGIN PUBLIC KEY-----/, '')
    .replace(/-----END PUBLIC KEY-----/, '')
    .replace(/\s+/g, '');
  return Buffer.from(body, 'base64');
}

function bearerToken(r) {
  const header = r.headersIn.Authorization;
  if (!header) return null;
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  return match ? match[1] : '';
}

/** Returns the reason the token is unacceptable, or '' when it passes. */
async function check(r) {
  const token = bearerToken(r);
  if (token === null) return 'missing_token';
  if (token === '' || token.length > MAX_TOKEN_LENGTH) return 'malformed_token';
  const parts = token.split('.');
  if (parts.length !== 3) return 'malformed_token';
  let header;
  let claims;
  let signature;
  try {
    header = JSON.parse(base64UrlDecode(parts[0]).toString());
    claims = JSON.parse(base64UrlDecode(parts[1]).toString());
    signature = base64UrlDecode(parts[2]);
  } catch (_error) {
    return 'malformed_token';
  }
  // The algorithm is pinned: the header may not choose HS256, none or another curve.
  if (typeof header !== 'object' || header === null) return 'malformed_token';
  if (header.alg !== 'ES256') return 'unsupported_algorithm';
  if (!claims || typeof claims !== 'object') return 'malformed_token';
  if (signature.length !== 64) return 'invalid_signature';

  const keyFile = r.variables.gateway_public_key_file;
  let key;
  try {
    const der = pemToDer(fs.readFileSync(keyFile).toString());
    key = await crypto.subtle.importKey(
      'spki',
      der,
      { name: 'ECDSA', namedCurve: 'P-256' },
      false,
      ['verify'],
    );
  } catch (error) {
    r.error(`gateway: cannot load the token public key from ${keyFile}: ${error}`);
    return 'key_unavailable';
  }
  const signed = Buffer.from(`${parts[0]}.${parts[1]}`);
  const valid = await crypto.subtle.verify(
    { name: 'ECDSA', hash: 'SHA-256' },
    key,
    signature,
    signed,
  );
  if (!valid) return 'invalid_signature';

  const now = Math.floor(Date.now() / 1000);
  if (typeof claims.exp !== 'number') return 'missing_expiry';
  if (claims.exp + CLOCK_SKEW_SECONDS <= now) return 'token_expired';
  if (claims.nbf !== undefined) {
    if (typeof claims.nbf !== 'number') return 'malformed_token';
    if (claims.nbf - CLOCK_SKEW_SECONDS > now) return 'token_not_yet_valid';
  }
  return '';
}

/** auth_request handler: 204 lets the request through, 401 sends it to `problem`. */
async function verify(r) {
  if (r.variables.gateway_route_public === '1') {
    r.return(204);
    return;
  }
  let reason;
  try {
    reason = await check(r);
  } catch (error) {
    r.error(`gateway: token check failed: ${error}`);
    reason = 'invalid_token';
  }
  if (reason === 'key_unavailable') {
    r.variables.gateway_error = reason;
    r.return(500);
    return;
  }
  r.variables.gateway_error = reason;
  r.return(reason === '' ? 204 : 401);
}

const DETAILS = {
  missing_token: 'This route needs an access token: send Authorization: Bearer <token>.',
  malformed_token: 'The access token is malformed.',
  unsupported_algorithm: 'The access token must be signed with ES256.',
  invalid_signature: 'The access token signature is not valid.',
  missing_expiry: 'The access token has no expiry.',
  token_expired: 'The access token has expired.',
  token_not_yet_valid: 'The access token is not valid yet.',
  invalid_token: 'The access token is not valid.',
};

/** Renders the gateway's 401 as application/problem+json, the backend's error format. */
function problem(r) {
  const reason = r.variables.gateway_error || 'invalid_token';
  const body = {
    type: 'urn:homeport:problem:unauthorized',
    title: 'Unauthorized',
    status: 401,
    detail: DETAILS[reason] || DETAILS.invalid_token,
    code: 'unauthorized',
    requestId: r.variables.request_id,
    instance: r.uri,
  };
  const challenge = reason === 'missing_token' ? 'Bearer' : 'Bearer error="invalid_token"';
  r.headersOut['WWW-Authenticate'] = challenge;
  r.headersOut['Content-Type'] = 'application/problem+json';
  r.headersOut['Cache-Control'] = 'no-store';
  r.return(401, JSON.stringify(body));
}

/** 500 when the gateway cannot read its key: a deployment fault, never the caller's. */
function keyUnavailable(r) {
  const body = {
    type: 'urn:homeport:problem:gateway_misconfigured',
    title: 'Internal Server Error',
    status: 500,
    detail: 'The gateway cannot verify access tokens right now.',
    code: 'gateway_misconfigured',
    requestId: r.variables.request_id,
    instance: r.uri,
  };
  r.headersOut['Content-Type'] = 'application/problem+json';
  r.headersOut['Cache-Control'] = 'no-store';
  r.return(500, JSON.stringify(body));
}

export default { verify: verify, problem: problem, keyUnavailable: keyUnavailable };
