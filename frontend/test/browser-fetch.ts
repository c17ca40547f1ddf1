import { CookieJar } from 'tough-cookie';
import { inject } from 'vitest';

/**
 * What a browser adds to the app's fetch calls that Node's fetch does not: a cookie jar (the
 * httpOnly refresh cookie, scoped to /api/auth, is kept and sent back), the Origin header on
 * non-GET requests and Sec-Fetch-Site, as for a page served from the backend's PUBLIC_URL.
 * Each test is a fresh browser on a client address of its own, as nginx would forward it, so
 * the per-IP limits apply per test exactly as they would per visitor.
 */
export function installBrowserFetch({
  apiBaseUrl,
  publicUrl,
}: {
  apiBaseUrl: string;
  publicUrl: string;
}) {
  const nodeFetch = globalThis.fetch;
  let jar = new CookieJar();
  let clientAddress = randomAddress();

  globalThis.fetch = async (input: RequestInfo | URL, init?: RequestInit) => {
    const request = new Request(input, init);
    if (!request.url.startsWith(apiBaseUrl)) return nodeFetch(request);
    const headers = new Headers(request.headers);
    const cookies = await jar.getCookieString(request.url);
    if (cookies) headers.set('cookie', cookies);
    if (request.method !== 'GET' && request.method !== 'HEAD') headers.set('origin', publicUrl);
    headers.set('sec-fetch-site', 'same-origin');
    headers.set('x-forwarded-for', clientAddress);
    const response = await nodeFetch(new Request(request, { headers }));
    for (const cookie of response.headers.getSetCookie()) {
      await jar.setCookie(cookie, request.url, { ignoreError: true });
    }
    return response;
  };

  return {
    /** A new browser: no cookies, a different client address. */
    reset() {
      jar = new CookieJar();
      clientAddress = randomAddress();
    },
    /** Closing the browser: session cookies (no Expires) go, persistent ones stay. */
    async closeBrowser() {
      const serialized = await jar.serialize();
      serialized.cookies = serialized.cookies.filter(
        (cookie) => cookie.expires !== 'Infinity' && cookie.expires,
      );
      jar = await CookieJar.deserialize(serialized);
    },
  };
}

function randomAddress(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(3));
  return `10.${bytes[0]}.${bytes[1]}.${((bytes[2] ?? 0) % 250) + 1}`;
}

/** The one browser of this test file's worker; reset after every test (test/setup.ts). */
export const browser = installBrowserFetch({
  apiBaseUrl: inject('apiBaseUrl'),
  publicUrl: inject('publicUrl'),
});
