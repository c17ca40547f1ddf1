import type PgBoss from 'pg-boss';
import type { Database } from '../../db/client.js';
import { ensureQueue } from '../../jobs/boss.js';
import { USER_DELETED } from '../auth/events.js';
import { recordActivity } from './activity.js';

export const TASKS_USER_DELETED_QUEUE = 'tasks.user-deleted';

/** The Tasks module's background work; every handler is idempotent. */
export async function registerTasksJobs({ boss, db }: { boss: PgBoss; db: Database }) {
  await ensureQueue(boss, TASKS_USER_DELETED_QUEUE);
  await boss.subscribe(USER_DELETED, TASKS_USER_DELETED_QUEUE);
  await boss.work<{ userId: string }>(TASKS_USER_DELETED_QUEUE, async (jobs) => {
    for (const job of jobs) await removeDeletedAccount(db, job.data.userId);
  });
}

/**
 * A withdrawn account leaves every board it belonged to, as a removal does: the membership keeps
 * `removedAt`, one `member_removed` row per board says why, and tasks and history stay as they
 * were (a task's PIC may then name an account that no longer exists). Running it again finds no
 * current membership and changes nothing.
 */
export async function removeDeletedAccount(db: Database, userId: string): Promise<number> {
  return db.$transaction(async (tx) => {
    const memberships = await tx.$queryRaw<{ board_id: string; role: string }[]>`
      SELECT board_id, role FROM board_members
       WHERE user_id = ${userId}::uuid AND removed_at IS NULL
       FOR UPDATE`;
    for (const { board_id: boardId, role } of memberships) {
      await tx.boardMember.update({
        where: { boardId_userId: { boardId, userId } },
        data: { removedAt: new Date() },
      });
      await recordActivity(tx, null, {
        boardId,
        type: 'member_removed',
        changes: { userId, role, reason: 'account_deleted' },
      });
    }
    return memberships.length;
  });
}
