/**
 * Gateway token check (the API Gateway JWT authorizer): runs in the auth_request subrequest of
 * every protected /api/ location. A request passes only with an ES256 access token (RFC 9068,
 * `typ: at+jwt`) whose header names the current key (`kid`, the key's RFC 7638 thumbprint, as
 * the backend derives it), whose signature verifies against the backend's public key, whose
 * exp/nbf admit the current time, whose `aud` is this API, and whose kind (a user's token or a
 * service client's) the route accepts (`$gateway_route_kinds`, from the route map).
 *
 * Written for njs 0.7.9 (Debian's libnginx-mod-http-js) and newer alike: let/const, template
 * literals and async/await but no optional chaining, `crypto.subtle` ECDSA verify with an SPKI key (EC JWK import is missing in
 * 0.7.x), and no `ngx.shared` (0.8+), so the key file is read per request — cheap, and a rotated
 * key is used without a reload.
 */
// biome-ignore lint/style/useNodejsImportProtocol: njs knows no `node:` scheme.
import hashes from 'crypto';
// biome-ignore lint/style/useNodejsImportProtocol: njs knows no `node:` scheme.
import fs from 'fs';

const MAX_TOKEN_LENGTH = 8192;
const CLOCK_SKEW_SECONDS = 5;
/** The backend's API_AUDIENCE (backend/src/modules/auth/access-claims.ts). */
const AUDIENCE = 'homeport';

/** RFC 9068 §4: `at+jwt` or `application/at+jwt`, case-insensitively. */
function isAccessTokenType(typ) {
  if (typeof typ !== 'string') return false;
  const value = typ.toLowerCase();
  return value === 'at+jwt' || value === 'application/at+jwt';
}

function hasAudience(aud) {
  if (typeof aud === 'string') return aud === AUDIENCE;
  return Array.isArray(aud) && aud.indexOf(AUDIENCE) >= 0;
}

/** A service client's token names the client as its subject and has no session. */
function tokenKind(claims) {
  return claims.sid === undefined &&
    typeof claims.sub === 'string' &&
    claims.sub === claims.client_id
    ? 'service'
    : 'user';
}

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

/**
 * The RFC 7638 JWK thumbprint of a P-256 SPKI key, which the backend uses as `kid`. The DER of
 * such a key is a fixed 27-byte prefix, then the 32-byte x and y coordinates.
 */
function thumbprint(der) {
  if (der.length !== 91 || der[26] !== 4) throw new Error('not an uncompressed P-256 SPKI key');
  const x = der.slice(27, 59).toString('base64url');
  const y = der.slice(59, 91).toString('base64url');
  return hashes
    .createHash('sha256')
    .update(JSON.stringify({ crv: 'P-256', kty: 'EC', x: x, y: y }))
    .digest('base64url');
}

function bearerToken(r) {
  const header = r.headersIn.Authorization;
  if (!header) return null;
  // Case-insensitive scheme (RFC 9110 §11.1), then one or more spaces, as the backend reads it.
  const match = /^Bearer +(\S+)$/i.exec(header);
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
  // Another JWT signed with this key (or one minted before the RFC 9068 claims) is no access token.
  if (!isAccessTokenType(header.typ)) return 'wrong_token_type';
  if (!claims || typeof claims !== 'object') return 'malformed_token';
  if (signature.length !== 64) return 'invalid_signature';

  const keyFile = r.variables.gateway_public_key_file;
  let key;
  let kid;
  try {
    const der = pemToDer(fs.readFileSync(keyFile).toString());
    kid = thumbprint(der);
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
  // A token for another (older, foreign) key is refused before its signature is checked, as the
  // backend does.
  if (header.kid !== kid) return 'unknown_key';
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
  if (!hasAudience(claims.aud)) return 'wrong_audience';
  const kind = tokenKind(claims);
  const accepted = (r.variables.gateway_route_kinds || 'user').split(' ');
  if (accepted.indexOf(kind) < 0) {
    return kind === 'service' ? 'service_token_refused' : 'user_token_refused';
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
  unknown_key: 'The access token was signed with a key this service does not use.',
  wrong_token_type: 'The token is not an access token (typ must be at+jwt).',
  wrong_audience: 'The access token is meant for another audience.',
  service_token_refused: 'This route does not accept service client tokens.',
  user_token_refused: 'This route accepts service client tokens only.',
  invalid_token: 'The access token is not valid.',
};

/*
 * The gateway's answers are rendered by `js_set` variables that a `return` in
 * snippets/error-locations.conf sends: an njs content handler would first read the request body
 * (njs 0.7 does for every js_content of a main request), so a refused request with a large body
 * would be read whole, and over client_max_body_size turned into a 413 instead of its 401.
 */

/** The 401 problem+json body, in the backend's error format. */
function unauthorizedBody(r) {
  const reason = r.variables.gateway_error || 'invalid_token';
  return JSON.stringify({
    type: 'urn:homeport:problem:unauthorized',
    title: 'Unauthorized',
    status: 401,
    detail: DETAILS[reason] || DETAILS.invalid_token,
    code: 'unauthorized',
    requestId: r.variables.request_id,
    // The path as sent, as the backend reports it (js_set may run with the subrequest's r).
    instance: r.variables.homeport_raw_path,
  });
}

/** The WWW-Authenticate challenge of the 401 (RFC 6750 §3). */
function challenge(r) {
  return r.variables.gateway_error === 'missing_token' ? 'Bearer' : 'Bearer error="invalid_token"';
}

/**
 * The body of nginx's own 500: `gateway_misconfigured` when the token check could not read its
 * key (a deployment fault, never the caller's), else a plain `internal_error`.
 */
function internalErrorBody(r) {
  const misconfigured = r.variables.gateway_error === 'key_unavailable';
  const code = misconfigured ? 'gateway_misconfigured' : 'internal_error';
  return JSON.stringify({
    type: `urn:homeport:problem:${code}`,
    title: 'Internal Server Error',
    status: 500,
    detail: misconfigured
      ? 'The gateway cannot verify access tokens right now.'
      : 'The gateway failed to handle this request.',
    code: code,
    requestId: r.variables.request_id,
    // The path as sent, as the backend reports it (js_set may run with the subrequest's r).
    instance: r.variables.homeport_raw_path,
  });
}

export default {
  verify: verify,
  unauthorizedBody: unauthorizedBody,
  challenge: challenge,
  internalErrorBody: internalErrorBody,
};
