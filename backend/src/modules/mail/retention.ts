import type PgBoss from 'pg-boss';
import type { Database } from '../../db/client.js';
import { ensureQueue } from '../../jobs/boss.js';

export const MAIL_RETENTION_QUEUE = 'mail-retention';
/** Daily: finished outbox rows hold rendered emails (one-time codes too), so they do not linger. */
export const MAIL_RETENTION_CRON = '41 3 * * *';
const FINISHED = ['sent', 'failed', 'rejected', 'suppressed'] as const;

/** Deletes finished outbox rows last touched more than `retentionDays` ago; pending ones stay. */
export async function purgeFinishedMail(db: Database, retentionDays: number, now = new Date()) {
  const before = new Date(now.getTime() - retentionDays * 86_400_000);
  const { count } = await db.mailOutbox.deleteMany({
    where: { status: { in: [...FINISHED] }, updatedAt: { lt: before } },
  });
  return count;
}

/** Idempotent: a repeated or retried tick deletes what is still there. */
export async function registerMailJobs({
  boss,
  db,
  retentionDays,
}: {
  boss: PgBoss;
  db: Database;
  retentionDays: number;
}) {
  await ensureQueue(boss, MAIL_RETENTION_QUEUE, { retryLimit: 2 });
  await boss.schedule(MAIL_RETENTION_QUEUE, MAIL_RETENTION_CRON, {}, { tz: 'UTC' });
  await boss.work(MAIL_RETENTION_QUEUE, async () => {
    await purgeFinishedMail(db, retentionDays);
  });
}
