import { createHash } from 'node:crypto';
import type { Database } from '../../db/client.js';
import { TooManyRequestsError } from '../../lib/errors.js';

export type ThrottledAction = 'sign-up' | 'sign-in' | 'confirm' | 'resend' | 'forgot' | 'reset';

/** Attempts allowed per window, per client IP and per account (email). */
export const LIMITS: Record<ThrottledAction, { perIp: number; perAccount: number }> = {
  'sign-up': { perIp: 10, perAccount: 3 },
  'sign-in': { perIp: 30, perAccount: 10 },
  confirm: { perIp: 30, perAccount: 10 },
  resend: { perIp: 10, perAccount: 3 },
  forgot: { perIp: 10, perAccount: 3 },
  reset: { perIp: 30, perAccount: 10 },
};

function accountKey(action: ThrottledAction, email: string): string {
  // Hashed: the table then holds no list of addresses, including ones without an account.
  return `${action}:account:${createHash('sha256').update(email).digest('base64url')}`;
}

/**
 * Fixed-window counters in Postgres, so every replica shares them (an in-process limiter would
 * allow N times the limit with N replicas). One upsert per key per attempt.
 */
export function createThrottle({ db, windowSeconds }: { db: Database; windowSeconds: number }) {
  async function count(key: string): Promise<{ count: number; windowStart: Date }> {
    const [row] = await db.$queryRaw<{ count: number; window_start: Date }[]>`
      INSERT INTO auth_throttles (key, count, window_start) VALUES (${key}, 1, now())
      ON CONFLICT (key) DO UPDATE SET
        count = CASE WHEN auth_throttles.window_start <= now() - make_interval(secs => ${windowSeconds})
                THEN 1 ELSE auth_throttles.count + 1 END,
        window_start = CASE WHEN auth_throttles.window_start <= now() - make_interval(secs => ${windowSeconds})
                THEN now() ELSE auth_throttles.window_start END
      RETURNING count, window_start`;
    if (!row) throw new Error('throttle upsert returned no row');
    return { count: row.count, windowStart: row.window_start };
  }

  return {
    /** Counts one attempt by this IP and for this account; 429 when either is over its limit. */
    async hit(action: ThrottledAction, ip: string, email: string): Promise<void> {
      const limits = LIMITS[action];
      const checks = [
        { key: `${action}:ip:${ip}`, limit: limits.perIp },
        { key: accountKey(action, email), limit: limits.perAccount },
      ];
      for (const { key, limit } of checks) {
        const { count: seen, windowStart } = await count(key);
        if (seen > limit) {
          const retryMs = windowStart.getTime() + windowSeconds * 1000 - Date.now();
          throw new TooManyRequestsError(retryMs / 1000);
        }
      }
    },

    /** Forgets the account's sign-in failures (after a successful password reset). */
    async clearAccount(action: ThrottledAction, email: string): Promise<void> {
      await db.authThrottle.deleteMany({ where: { key: accountKey(action, email) } });
    },
  };
}

export type Throttle = ReturnType<typeof createThrottle>;
