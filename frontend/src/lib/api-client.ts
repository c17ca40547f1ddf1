import createClient from 'openapi-fetch';
import type { paths } from './api-schema';
import { createAuthMiddleware } from './auth-middleware';
import { currentLocale } from './i18n';
import { sessionStore } from './session-store';

/**
 * The one typed client for the backend. In the browser the API shares the SPA's origin (nginx in
 * production, Vite's proxy in development), so the base URL is empty; tests point it at a real
 * backend through VITE_API_BASE_URL.
 */
export const apiClient = createClient<paths>({
  baseUrl: import.meta.env.VITE_API_BASE_URL ?? '',
  // Looked up per request rather than captured once, so the runtime's fetch is always the one used.
  fetch: (request) => globalThis.fetch(request),
});

let refreshing: Promise<boolean> | undefined;

/**
 * Exchanges the httpOnly refresh cookie for a new access token. Refresh tokens rotate and a
 * reused one revokes the whole session, so concurrent callers share one request, and tabs take
 * turns through a Web Lock where the browser has them (each then sends the newest cookie).
 */
export function refreshSession(): Promise<boolean> {
  refreshing ??= withRefreshLock(async () => {
    try {
      const { data, response } = await apiClient.POST('/api/auth/refresh', { body: {} });
      if (data) {
        sessionStore.signedIn(data);
        return true;
      }
      // The session is over (401) or refused (403); a server or network failure is not proof of
      // that, but the app cannot wait on it either, so only a known session survives it.
      if (response.status === 401 || response.status === 403) sessionStore.signedOut();
      else if (sessionStore.get().status === 'unknown') sessionStore.signedOut();
      return false;
    } catch {
      if (sessionStore.get().status === 'unknown') sessionStore.signedOut();
      return false;
    }
  }).finally(() => {
    refreshing = undefined;
  });
  return refreshing;
}

function withRefreshLock<T>(run: () => Promise<T>): Promise<T> {
  const locks = typeof navigator === 'undefined' ? undefined : navigator.locks;
  // The lock is held until run() settles; its promise resolves to run()'s value.
  return locks ? (locks.request('homeport-refresh', run) as Promise<T>) : run();
}

// The server writes its messages (problem details, field errors) in the page's language.
apiClient.use({
  onRequest({ request }) {
    request.headers.set('accept-language', currentLocale());
    return request;
  },
});
apiClient.use(createAuthMiddleware(refreshSession));
