import type { IncomingHttpHeaders } from 'node:http';
import { expect } from 'vitest';

/**
 * The headers every SPA page gets from nginx/templates/snippets/security-headers and spa-csp,
 * whether the gateway runs alone or in front of the whole stack.
 */
export function expectSpaSecurityHeaders(headers: IncomingHttpHeaders) {
  const policy = headers['content-security-policy'];
  expect(policy).toContain("default-src 'self'");
  expect(policy).toContain("script-src 'self'");
  expect(policy).toContain("frame-ancestors 'none'");
  expect(headers['x-content-type-options']).toBe('nosniff');
  expect(headers['referrer-policy']).toBe('strict-origin-when-cross-origin');
  expect(headers['permissions-policy']).toContain('camera=()');
  expect(headers['permissions-policy']).toContain('geolocation=()');
  expect(headers['x-frame-options']).toBe('DENY');
}
