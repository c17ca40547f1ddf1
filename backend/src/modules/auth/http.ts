import type { FastifyReply, FastifyRequest } from 'fastify';
import { BadRequestError } from '../../lib/errors.js';
import { setDeviceCookie } from './devices.js';
import { CsrfRejectedError } from './errors.js';
import type { RequestMeta } from './session-store.js';
import type { IssuedTokens, MfaChallenged, SignedIn } from './sessions-service.js';

export const REFRESH_COOKIE = 'hp_refresh';
export const REFRESH_COOKIE_PATH = '/api/auth';

export function requestMeta(request: FastifyRequest): RequestMeta {
  return { ip: request.ip, userAgent: request.headers['user-agent'] };
}

/**
 * Headers only browsers send: `Sec-Fetch-Site` (every current browser, on every request) and
 * `Origin` (every browser on a cross-origin request and on POST, older ones included).
 * `Sec-Fetch-Mode` alone is not one of them: Node's fetch (undici) sends `Sec-Fetch-Mode: cors`
 * on every request, and a CLI or service written with it must get its refresh token in the body.
 */
export function fromBrowser(request: FastifyRequest): boolean {
  const { headers } = request;
  return headers.origin !== undefined || headers['sec-fetch-site'] !== undefined;
}

/**
 * The cookie is sent by the browser on its own, so a request that relies on it must prove it
 * comes from our own pages: SameSite=Strict already keeps it off cross-site requests, and this
 * check (Origin, else Sec-Fetch-Site) also refuses them when an older browser or a sibling
 * subdomain would send it.
 */
export function assertSameOrigin(request: FastifyRequest, publicUrl: string): void {
  const origin = request.headers.origin;
  if (origin !== undefined) {
    if (origin !== publicUrl) throw new CsrfRejectedError();
    return;
  }
  if (request.headers['sec-fetch-site'] !== 'same-origin') throw new CsrfRejectedError();
}

export function setRefreshCookie(reply: FastifyReply, tokens: IssuedTokens): void {
  reply.setCookie(REFRESH_COOKIE, tokens.refreshToken, {
    httpOnly: true,
    secure: true,
    sameSite: 'strict',
    path: REFRESH_COOKIE_PATH,
    // Without "keep me signed in" the cookie ends with the browser session.
    ...(tokens.persistent ? { expires: tokens.refreshTokenExpiresAt } : {}),
  });
}

export function clearRefreshCookie(reply: FastifyReply): void {
  reply.clearCookie(REFRESH_COOKIE, {
    httpOnly: true,
    secure: true,
    sameSite: 'strict',
    path: REFRESH_COOKIE_PATH,
  });
}

/** The JSON answer; the refresh token appears in it only for non-browser clients. */
export function tokenBody(tokens: IssuedTokens, includeRefreshToken: boolean) {
  return {
    accessToken: tokens.accessToken,
    tokenType: 'Bearer' as const,
    expiresIn: tokens.expiresIn,
    sessionId: tokens.sessionId,
    refreshTokenExpiresAt: tokens.refreshTokenExpiresAt.toISOString(),
    user: tokens.user,
    ...(includeRefreshToken ? { refreshToken: tokens.refreshToken } : {}),
  };
}

export class BrowserBodyTokenError extends BadRequestError {
  constructor() {
    super(
      'body_tokens_not_for_browsers',
      'Browsers receive the refresh token only as an httpOnly cookie.',
      [{ field: '/body/refreshTokenIn', message: 'must be "cookie" for browser requests' }],
    );
  }
}

/**
 * The answer of every sign-in path: the second step's challenge (no cookies, no tokens), or the
 * tokens with the device cookie and, for browsers, the refresh cookie.
 */
export function answerSignIn(
  reply: FastifyReply,
  result: SignedIn | MfaChallenged,
  refreshTokenIn: 'cookie' | 'body' = 'cookie',
) {
  if ('mfaRequired' in result) {
    return { ...result, challengeExpiresAt: result.challengeExpiresAt.toISOString() };
  }
  setDeviceCookie(reply, result.deviceCookie);
  if (refreshTokenIn === 'cookie') setRefreshCookie(reply, result);
  return tokenBody(result, refreshTokenIn === 'body');
}
