import { createHash, timingSafeEqual } from 'node:crypto';
import { ServiceUnavailableError, UnauthorizedError } from './errors.js';

function digest(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}

/**
 * Checks a webhook's shared secret in constant time (comparing digests, so neither the length
 * nor the content leaks). A webhook without a configured secret is off: 503, never open.
 */
export function checkSharedSecret(
  given: string | undefined,
  expected: string | undefined,
  webhook: { code: string; variable: string },
): void {
  if (!expected) {
    throw new ServiceUnavailableError(
      `${webhook.code}_disabled`,
      `This webhook is not configured (${webhook.variable}).`,
      60,
    );
  }
  if (given === undefined || !timingSafeEqual(digest(given), digest(expected))) {
    throw new UnauthorizedError(
      'invalid_webhook_secret',
      'The webhook secret is missing or wrong.',
    );
  }
}
