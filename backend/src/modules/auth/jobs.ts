import type PgBoss from 'pg-boss';
import type { Database } from '../../db/client.js';
import { ensureQueue } from '../../jobs/boss.js';

export const AUTH_CLEANUP_QUEUE = 'auth-cleanup';
/** Hourly: the tables hold nothing worth keeping once sessions and codes have ended. */
export const AUTH_CLEANUP_CRON = '17 * * * *';
/** Ended sessions stay listed in the audit log; their rows are kept a week for investigations. */
const KEEP_ENDED_SESSIONS_MS = 7 * 86_400_000;
const KEEP_CODES_MS = 86_400_000;
/** Longer than any rate-limit window a deployment would set. */
const KEEP_THROTTLES_MS = 86_400_000;

/** Deletes expired sessions (with their refresh tokens), dead codes, MFA challenges and old attempt counters. */
export async function cleanUpAuth(db: Database, now = new Date()): Promise<void> {
  const endedBefore = new Date(now.getTime() - KEEP_ENDED_SESSIONS_MS);
  await db.session.deleteMany({
    where: { OR: [{ expiresAt: { lt: endedBefore } }, { revokedAt: { lt: endedBefore } }] },
  });
  await db.verificationCode.deleteMany({
    where: {
      OR: [
        { expiresAt: { lt: new Date(now.getTime() - KEEP_CODES_MS) } },
        { consumedAt: { lt: new Date(now.getTime() - KEEP_CODES_MS) } },
      ],
    },
  });
  await db.authThrottle.deleteMany({
    where: { windowStart: { lt: new Date(now.getTime() - KEEP_THROTTLES_MS) } },
  });
  // Idle for a day (a source's failures are forgotten then) and not locked any more.
  await db.authSignInFailure.deleteMany({
    where: {
      updatedAt: { lt: new Date(now.getTime() - KEEP_THROTTLES_MS) },
      OR: [{ lockedUntil: null }, { lockedUntil: { lt: now } }],
    },
  });
  // A sign-in's MFA challenge lives minutes; its try counts matter only while it lives.
  await db.mfaChallenge.deleteMany({
    where: { expiresAt: { lt: new Date(now.getTime() - KEEP_CODES_MS) } },
  });
  // A provider link request lives 10 minutes; a spent state matters only until its round trip
  // would have expired anyway (the sealed cookie carries the same expiry).
  await db.identityLinkRequest.deleteMany({
    where: { expiresAt: { lt: new Date(now.getTime() - KEEP_CODES_MS) } },
  });
  await db.oidcSpentState.deleteMany({ where: { expiresAt: { lt: now } } });
  // A passkey ceremony's challenge that nobody answered.
  await db.webauthnChallenge.deleteMany({ where: { expiresAt: { lt: now } } });
  // A sealed successor is only needed during the refresh grace window (at most a minute).
  await db.refreshToken.updateMany({
    where: { usedAt: { lt: new Date(now.getTime() - 60_000) }, successorSealed: { not: null } },
    data: { successorSealed: null },
  });
}

/** Idempotent: a repeated or retried tick deletes what is still there. */
export async function registerAuthJobs({ boss, db }: { boss: PgBoss; db: Database }) {
  await ensureQueue(boss, AUTH_CLEANUP_QUEUE, { retryLimit: 2 });
  await boss.schedule(AUTH_CLEANUP_QUEUE, AUTH_CLEANUP_CRON, {}, { tz: 'UTC' });
  await boss.work(AUTH_CLEANUP_QUEUE, async () => cleanUpAuth(db));
}
