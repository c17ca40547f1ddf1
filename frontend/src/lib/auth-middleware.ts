import type { Middleware } from 'openapi-fetch';
import { sessionStore } from './session-store';

/** Calls whose 401 means "wrong credentials", not "access token expired": never refreshed. */
const CREDENTIAL_ROUTES = new Set([
  '/api/auth/sign-in',
  '/api/auth/refresh',
  '/api/auth/sign-up',
  '/api/auth/confirm',
  '/api/auth/resend-code',
  '/api/auth/forgot-password',
  '/api/auth/reset-password',
]);

function bearerOf(request: Request): string | undefined {
  return request.headers.get('authorization')?.replace(/^Bearer /, '');
}

/**
 * The one place that handles an expired or revoked access token: every request carries the
 * in-memory token; a 401 triggers one refresh (shared by concurrent requests) and the request is
 * sent once more with the new token. The retry's answer is final, so nothing loops.
 */
export function createAuthMiddleware(refresh: () => Promise<boolean>): Middleware {
  // Bodies can be read only once, so each request is copied before it leaves, for the retry.
  const pending = new Map<string, Request>();
  return {
    onRequest({ request, schemaPath, id }) {
      const token = sessionStore.accessToken();
      if (token) request.headers.set('authorization', `Bearer ${token}`);
      if (!CREDENTIAL_ROUTES.has(schemaPath)) pending.set(id, request.clone());
      return request;
    },
    async onResponse({ request, response, id, options }) {
      const copy = pending.get(id);
      pending.delete(id);
      if (response.status !== 401 || !copy) return response;
      const current = sessionStore.accessToken();
      // Another request may have refreshed while this one was on its way; then reuse that token.
      const refreshedMeanwhile = current !== undefined && current !== bearerOf(request);
      if (!refreshedMeanwhile && !(await refresh())) return response;
      const token = sessionStore.accessToken();
      if (!token) return response;
      copy.headers.set('authorization', `Bearer ${token}`);
      return options.fetch(copy);
    },
    onError({ id }) {
      pending.delete(id);
    },
  };
}
