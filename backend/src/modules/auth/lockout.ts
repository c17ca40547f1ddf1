import { createHash } from 'node:crypto';
import type { Database } from '../../db/client.js';
import { RateLimitedError } from './errors.js';
import type { Throttle } from './throttle.js';

/** Consecutive failures per (account, source) before that pair locks; each further one doubles it. */
export const SOURCE_LOCK_AFTER = 5;
const FIRST_LOCK_MS = 60_000;
const MAX_LOCK_MS = 60 * 60_000;
/** A source's consecutive failures are forgotten after a day without one. */
export const SOURCE_MEMORY_MS = 86_400_000;
/** Failures per account and window, all sources together, before new devices are held off. */
export const ACCOUNT_LOCK_AFTER = 50;
/** At most one unlock email per account in this time. */
export const UNLOCK_EMAIL_EVERY_MS = 3_600_000;
/** An unlock link works this long (and only while its lock is the account's current one). */
export const UNLOCK_LINK_TTL_MS = 24 * 3_600_000;

export const ACCOUNT_WIDE = '*';

export function lockDurationMs(failures: number): number {
  if (failures < SOURCE_LOCK_AFTER) return 0;
  return Math.min(FIRST_LOCK_MS * 2 ** (failures - SOURCE_LOCK_AFTER), MAX_LOCK_MS);
}

/** The lockout key of an email, whether or not it has an account (so both behave alike). */
export function lockoutAccount(email: string): string {
  return createHash('sha256').update(`sign-in:${email}`).digest('base64url');
}

export interface SignInAttempt {
  /** `lockoutAccount(email)` */
  account: string;
  /** `device:<id>` for a browser with a valid device cookie, else `ip:<address>`. */
  source: string;
  /** A recognised device (or a signed-in user re-entering the password): the account-wide lock does not apply. */
  trusted: boolean;
  ip: string;
}

/**
 * The sign-in lockout (OWASP: limit by account and source, device cookies). Failures are counted
 * per (account, source) with a progressive lock — an attacker locks only their own address out —
 * and per account over all sources with a much higher threshold, which holds off new devices
 * (never recognised ones) and sends the owner an unlock link. Nothing here reads the users table:
 * an unknown email is counted, locked and answered exactly like a real account.
 */
export function createSignInGuard({
  db,
  throttle,
  windowSeconds,
}: {
  db: Database;
  throttle: Throttle;
  windowSeconds: number;
}) {
  return {
    /** 429 when this IP, this (account, source) pair or (for new devices) the account is locked. */
    async check(attempt: SignInAttempt): Promise<void> {
      await throttle.checkSignInFailures(attempt.ip);
      const rows = await db.authSignInFailure.findMany({
        where: { account: attempt.account, source: { in: [attempt.source, ACCOUNT_WIDE] } },
      });
      const now = Date.now();
      let lockedUntil = 0;
      for (const row of rows) {
        if (row.source === ACCOUNT_WIDE && attempt.trusted) continue;
        const until = row.lockedUntil?.getTime() ?? 0;
        if (until > now) lockedUntil = Math.max(lockedUntil, until);
      }
      if (lockedUntil > 0) throw new RateLimitedError((lockedUntil - now) / 1000);
    },

    /**
     * Counts a failure. Returns `accountLocked` when this failure started an account-wide lock,
     * with the time to put in the unlock link when one should be emailed now.
     */
    async fail(attempt: SignInAttempt): Promise<{ unlockMailAt?: Date }> {
      await throttle.countSignInFailure(attempt.ip);
      const [own] = await db.$queryRaw<{ failures: number }[]>`
        INSERT INTO auth_sign_in_failures (account, source, failures, window_start, updated_at)
        VALUES (${attempt.account}, ${attempt.source}, 1, now(), now())
        ON CONFLICT (account, source) DO UPDATE SET
          failures = CASE WHEN auth_sign_in_failures.updated_at <= now() - make_interval(secs => ${SOURCE_MEMORY_MS / 1000})
                     THEN 1 ELSE auth_sign_in_failures.failures + 1 END,
          updated_at = now()
        RETURNING failures`;
      const lockMs = lockDurationMs(own?.failures ?? 0);
      if (lockMs > 0) {
        await db.$executeRaw`
          UPDATE auth_sign_in_failures
          SET locked_until = now() + make_interval(secs => ${lockMs / 1000})
          WHERE account = ${attempt.account} AND source = ${attempt.source}`;
      }

      const [all] = await db.$queryRaw<
        { failures: number; locked_until: Date | null; notified_at: Date | null }[]
      >`
        INSERT INTO auth_sign_in_failures (account, source, failures, window_start, updated_at)
        VALUES (${attempt.account}, ${ACCOUNT_WIDE}, 1, now(), now())
        ON CONFLICT (account, source) DO UPDATE SET
          failures = CASE WHEN auth_sign_in_failures.window_start <= now() - make_interval(secs => ${windowSeconds})
                     THEN 1 ELSE auth_sign_in_failures.failures + 1 END,
          window_start = CASE WHEN auth_sign_in_failures.window_start <= now() - make_interval(secs => ${windowSeconds})
                     THEN now() ELSE auth_sign_in_failures.window_start END,
          updated_at = now()
        RETURNING failures, locked_until, notified_at`;
      if (!all || all.failures < ACCOUNT_LOCK_AFTER) return {};
      if (all.locked_until && all.locked_until.getTime() > Date.now()) return {};
      const mailDue =
        !all.notified_at || Date.now() - all.notified_at.getTime() >= UNLOCK_EMAIL_EVERY_MS;
      const [locked] = await db.$queryRaw<{ notified_at: Date | null }[]>`
        UPDATE auth_sign_in_failures
        SET locked_until = now() + make_interval(secs => ${windowSeconds}),
            notified_at = CASE WHEN ${mailDue} THEN now() ELSE notified_at END
        WHERE account = ${attempt.account} AND source = ${ACCOUNT_WIDE}
        RETURNING notified_at`;
      return mailDue && locked?.notified_at ? { unlockMailAt: locked.notified_at } : {};
    },

    /** A correct password: this source starts again from zero (the account-wide count stays). */
    async succeed(attempt: SignInAttempt): Promise<void> {
      await db.authSignInFailure.deleteMany({
        where: { account: attempt.account, source: attempt.source },
      });
    },

    /** The account-wide lock and its count, if the current lock's unlock email went out at `notifiedAt`. */
    async unlock(account: string, notifiedAt: Date, source: string): Promise<boolean> {
      const { count } = await db.authSignInFailure.deleteMany({
        where: { account, source: ACCOUNT_WIDE, notifiedAt },
      });
      if (count === 0) return false;
      await db.authSignInFailure.deleteMany({ where: { account, source } });
      return true;
    },

    /** Everything counted for the account (a password reset proves the owner holds the email). */
    async clearAccount(account: string): Promise<void> {
      await db.authSignInFailure.deleteMany({ where: { account } });
    },
  };
}

export type SignInGuard = ReturnType<typeof createSignInGuard>;
