import type PgBoss from 'pg-boss';
import type { Database } from '../../db/client.js';
import { ensureQueue } from '../../jobs/boss.js';
import type { Storage } from '../../lib/storage.js';
import { removeExpiredUploads, removeOrphanObjects, removeUserFiles } from './cleanup.js';
import {
  CLEANUP_CRON,
  CLEANUP_QUEUE,
  DELETE_OBJECT_QUEUE,
  USER_DELETED_EVENT,
  USER_DELETED_QUEUE,
} from './queues.js';
import { removeObjectQuietly } from './verify.js';

export interface FilesJobContext {
  boss: PgBoss;
  db: Database;
  storage: Storage;
}

/** The files module's queues, schedule and subscription; every handler is idempotent. */
export async function registerFilesJobs({ boss, db, storage }: FilesJobContext): Promise<void> {
  await ensureQueue(boss, DELETE_OBJECT_QUEUE);
  await boss.work<{ key: string }>(DELETE_OBJECT_QUEUE, async (jobs) => {
    for (const job of jobs) await removeObjectQuietly(storage, job.data.key);
  });

  await ensureQueue(boss, CLEANUP_QUEUE, { retryLimit: 2 });
  await boss.schedule(CLEANUP_QUEUE, CLEANUP_CRON, {}, { tz: 'UTC' });
  await boss.work(CLEANUP_QUEUE, async () => {
    await removeExpiredUploads({ db, storage });
    await removeOrphanObjects({ db, storage });
  });

  await ensureQueue(boss, USER_DELETED_QUEUE);
  await boss.subscribe(USER_DELETED_EVENT, USER_DELETED_QUEUE);
  await boss.work<{ userId: string }>(USER_DELETED_QUEUE, async (jobs) => {
    for (const job of jobs) await removeUserFiles({ db, storage }, job.data.userId);
  });
}
