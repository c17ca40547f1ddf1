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

export interface Admission {
  /** This attempt, counted in advance, started the account-wide lock (its previous end). */
  lockedAccount: { previousUntil: Date | null } | undefined;
}

interface FailureRow {
  source: string;
  failures: number;
  window_start: Date;
  locked_until: Date | null;
  updated_at: Date;
  db_now: Date;
}

/**
 * The sign-in lockout (OWASP: limit by account and source, device cookies). Failures are counted
 * per (account, source) with a progressive lock — an attacker locks only their own address out —
 * and per account over all sources with a much higher threshold, which holds off new devices
 * (never recognised ones) and sends the owner an unlock link. Nothing here reads the users table:
 * an unknown email is counted, locked and answered exactly like a real account.
 *
 * Each attempt is counted as a failure *before* its password is checked, under a row lock held
 * for a few statements (never during the hash), and taken back if the password was right: so
 * parallel guesses cannot all pass the check before any of them is counted.
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
    /** Counts the attempt in advance; 429 when this IP, this pair or (new devices) the account is locked. */
    async admit(attempt: SignInAttempt): Promise<Admission> {
      await throttle.countSignInFailure(attempt.ip);
      type Decision = { refusedForMs: number } | { admission: Admission };
      const decision = await db.$transaction(async (tx): Promise<Decision> => {
        await tx.$executeRaw`
          INSERT INTO auth_sign_in_failures (account, source, failures, window_start, updated_at)
          VALUES (${attempt.account}, ${attempt.source}, 0, now(), now()),
                 (${attempt.account}, ${ACCOUNT_WIDE}, 0, now(), now())
          ON CONFLICT (account, source) DO NOTHING`;
        const rows = await tx.$queryRaw<FailureRow[]>`
          SELECT source, failures, window_start, locked_until, updated_at, now() AS db_now
          FROM auth_sign_in_failures
          WHERE account = ${attempt.account} AND source IN (${attempt.source}, ${ACCOUNT_WIDE})
          ORDER BY source
          FOR UPDATE`;
        const own = rows.find((row) => row.source === attempt.source);
        const all = rows.find((row) => row.source === ACCOUNT_WIDE);
        if (!own || !all) throw new Error('lockout rows missing');
        const now = own.db_now.getTime();
        const lockedUntil = Math.max(
          own.locked_until?.getTime() ?? 0,
          attempt.trusted ? 0 : (all.locked_until?.getTime() ?? 0),
        );
        if (lockedUntil > now) return { refusedForMs: lockedUntil - now };

        const ownFailures =
          (now - own.updated_at.getTime() >= SOURCE_MEMORY_MS ? 0 : own.failures) + 1;
        const ownLockMs = lockDurationMs(ownFailures);
        await tx.$executeRaw`
          UPDATE auth_sign_in_failures
          SET failures = ${ownFailures}, updated_at = now(),
              locked_until = CASE WHEN ${ownLockMs > 0}
                THEN now() + make_interval(secs => ${ownLockMs / 1000}) ELSE locked_until END
          WHERE account = ${attempt.account} AND source = ${attempt.source}`;

        const newWindow = now - all.window_start.getTime() >= windowSeconds * 1000;
        const allFailures = (newWindow ? 0 : all.failures) + 1;
        const accountLockStarts =
          allFailures >= ACCOUNT_LOCK_AFTER && !((all.locked_until?.getTime() ?? 0) > now);
        await tx.$executeRaw`
          UPDATE auth_sign_in_failures
          SET failures = ${allFailures}, updated_at = now(),
              window_start = CASE WHEN ${newWindow} THEN now() ELSE window_start END,
              locked_until = CASE WHEN ${accountLockStarts}
                THEN now() + make_interval(secs => ${windowSeconds}) ELSE locked_until END
          WHERE account = ${attempt.account} AND source = ${ACCOUNT_WIDE}`;
        return {
          admission: {
            lockedAccount: accountLockStarts ? { previousUntil: all.locked_until } : undefined,
          },
        };
      });
      if ('refusedForMs' in decision) {
        await throttle.uncountSignInFailure(attempt.ip);
        throw new RateLimitedError(decision.refusedForMs / 1000);
      }
      return decision.admission;
    },

    /**
     * The password was wrong: the advance count stands. When this failure started the
     * account-wide lock, returns the time to put in the unlock link if one should be emailed.
     */
    async failed(attempt: SignInAttempt, admission: Admission): Promise<{ unlockMailAt?: Date }> {
      if (!admission.lockedAccount) return {};
      const [row] = await db.$queryRaw<{ notified_at: Date }[]>`
        UPDATE auth_sign_in_failures SET notified_at = now()
        WHERE account = ${attempt.account} AND source = ${ACCOUNT_WIDE}
          AND (notified_at IS NULL
               OR notified_at <= now() - make_interval(secs => ${UNLOCK_EMAIL_EVERY_MS / 1000}))
        RETURNING notified_at`;
      return row ? { unlockMailAt: row.notified_at } : {};
    },

    /** The password was right: the advance count is taken back and this source starts from zero. */
    async succeeded(attempt: SignInAttempt, admission: Admission): Promise<void> {
      await throttle.uncountSignInFailure(attempt.ip);
      await db.authSignInFailure.deleteMany({
        where: { account: attempt.account, source: attempt.source },
      });
      const previousUntil = admission.lockedAccount?.previousUntil ?? null;
      await db.$executeRaw`
        UPDATE auth_sign_in_failures
        SET failures = greatest(failures - 1, 0),
            locked_until = CASE WHEN ${admission.lockedAccount !== undefined}
              THEN ${previousUntil}::timestamptz ELSE locked_until END
        WHERE account = ${attempt.account} AND source = ${ACCOUNT_WIDE}`;
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
