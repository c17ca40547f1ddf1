import { createHash } from 'node:crypto';
import type { Database } from '../../db/client.js';
import { RateLimitedError } from './errors.js';

export type ThrottledAction =
  | 'sign-up'
  | 'confirm'
  | 'resend'
  | 'forgot'
  | 'reset'
  | 'unlock'
  | 'oidc';

/**
 * Attempts allowed per window, per client IP and per account (email). Sized so that a class of
 * 40 behind one campus NAT signing up, confirming and resetting together stays well inside the
 * per-IP limits, while one account gets only a handful of emails or code guesses. Sign-in is
 * limited by failures instead (`lockout.ts`).
 */
export const LIMITS: Record<ThrottledAction, { perIp: number; perAccount: number }> = {
  'sign-up': { perIp: 100, perAccount: 3 },
  confirm: { perIp: 150, perAccount: 10 },
  resend: { perIp: 60, perAccount: 3 },
  forgot: { perIp: 60, perAccount: 3 },
  reset: { perIp: 100, perAccount: 10 },
  unlock: { perIp: 30, perAccount: 5 },
  /** Provider round trips and link proofs; the "account" is the provider (or `link-proof`). */
  oidc: { perIp: 120, perAccount: 100_000 },
};

/** Failed sign-ins (any account, unknown emails included) per client IP and window. */
export const SIGN_IN_FAILURES_PER_IP = 200;

function accountKey(action: string, email: string): string {
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

  const retryAfter = (windowStart: Date) =>
    (windowStart.getTime() + windowSeconds * 1000 - Date.now()) / 1000;

  const signInFailureKey = (ip: string) => `sign-in-failures:ip:${ip}`;

  async function uncountSignInFailure(ip: string): Promise<void> {
    await db.$executeRaw`
      UPDATE auth_throttles SET count = greatest(count - 1, 0) WHERE key = ${signInFailureKey(ip)}`;
  }

  return {
    /** Counts one attempt by this IP and for this account; 429 when either is over its limit. */
    async hit(action: ThrottledAction, ip: string, account: string): Promise<void> {
      const limits = LIMITS[action];
      const checks = [
        { key: `${action}:ip:${ip}`, limit: limits.perIp },
        { key: accountKey(action, account), limit: limits.perAccount },
      ];
      for (const { key, limit } of checks) {
        const { count: seen, windowStart } = await count(key);
        if (seen > limit) throw new RateLimitedError(retryAfter(windowStart));
      }
    },

    /**
     * Counts a sign-in attempt of this IP before its password is checked (so parallel attempts
     * cannot slip past the limit); 429 when over. `uncountSignInFailure` takes it back when the
     * attempt turns out not to be a failure.
     */
    async countSignInFailure(ip: string): Promise<void> {
      const { count: seen, windowStart } = await count(signInFailureKey(ip));
      if (seen > SIGN_IN_FAILURES_PER_IP) {
        await uncountSignInFailure(ip);
        throw new RateLimitedError(retryAfter(windowStart));
      }
    },

    uncountSignInFailure,

    /**
     * Counts one attempt on a per-account key in advance (so parallel attempts cannot slip past
     * the limit); 429 when over. `refund` takes it back when the attempt succeeded.
     */
    async spend(key: string, limit: number): Promise<void> {
      const { count: seen, windowStart } = await count(key);
      if (seen > limit) throw new RateLimitedError(retryAfter(windowStart));
    },

    async refund(key: string): Promise<void> {
      await db.$executeRaw`
        UPDATE auth_throttles SET count = greatest(count - 1, 0) WHERE key = ${key}`;
    },
  };
}

export type Throttle = ReturnType<typeof createThrottle>;
