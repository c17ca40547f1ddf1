import type { Database } from '../db/client.js';

export const HEARTBEAT_QUEUE = 'worker-heartbeat';
/** Every minute: the EventBridge `rate(1 minute)` of the source design. */
export const HEARTBEAT_CRON = '* * * * *';
const KEEP_HEARTBEATS_HOURS = 24;

/** Start of the minute `at` falls in: the tick a heartbeat belongs to. */
export function tickOf(at: Date): Date {
  return new Date(Math.floor(at.getTime() / 60_000) * 60_000);
}

/**
 * Records the worker's beat for one tick. Idempotent: a retried or duplicated job for the same
 * tick leaves one row. Returns whether this call inserted it.
 */
export async function recordHeartbeat(
  db: Database,
  workerId: string,
  tick: Date,
): Promise<boolean> {
  const inserted = await db.workerHeartbeat.createMany({
    data: [{ tick, workerId }],
    skipDuplicates: true,
  });
  await db.workerHeartbeat.deleteMany({
    where: { tick: { lt: new Date(tick.getTime() - KEEP_HEARTBEATS_HOURS * 3600_000) } },
  });
  return inserted.count === 1;
}

export async function latestHeartbeat(db: Database): Promise<Date | null> {
  const newest = await db.workerHeartbeat.findFirst({
    orderBy: { tick: 'desc' },
    select: { recordedAt: true },
  });
  return newest?.recordedAt ?? null;
}
