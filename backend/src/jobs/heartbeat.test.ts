import { afterAll, describe, expect, it } from 'vitest';
import { setupTestContext } from '../../test/support/context.js';
import { createBoss } from './boss.js';
import { HEARTBEAT_QUEUE } from './heartbeat.js';
import { registerJobs } from './worker-jobs.js';

/** pg-boss's internal queue that turns a due cron tick into a job (pg-boss 10). */
const SEND_IT_QUEUE = '__pgboss__send-it';

const ctx = setupTestContext();
const bosses: ReturnType<typeof createBoss>[] = [];

afterAll(async () => {
  await Promise.all(bosses.map((boss) => boss.stop({ graceful: false, wait: true })));
});

async function waitFor<T>(probe: () => Promise<T | undefined>, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const value = await probe();
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`condition not met within ${timeoutMs} ms`);
}

describe('worker heartbeat schedule', () => {
  it('fires each tick exactly once across two workers', async () => {
    for (const workerId of ['worker-a', 'worker-b']) {
      const boss = createBoss({
        connectionString: ctx.env.DATABASE_URL as string,
        cronMonitorIntervalSeconds: 1,
        cronWorkerIntervalSeconds: 1,
      });
      bosses.push(boss);
      await boss.start();
      await registerJobs({ boss, db: ctx.deps.db, workerId, mailRetentionDays: 14 });
    }

    // Both workers poll the schedule every second for the whole minute the tick is due in.
    await waitFor(
      async () => ((await ctx.deps.db.workerHeartbeat.count()) > 0 ? true : undefined),
      30_000,
    );
    await new Promise((resolve) => setTimeout(resolve, 5_000));
    // Stop both workers (letting running handlers finish) so the counts below are settled.
    await Promise.all(bosses.splice(0).map((boss) => boss.stop({ graceful: true, wait: true })));

    // pg-boss turns each due tick into one "send-it" job, a singleton per minute of database
    // time, and whichever worker takes it inserts the heartbeat job. Grouping heartbeat jobs by
    // their own creation minute would not do: a tick taken just before a minute ends can land in
    // the next minute beside that minute's own tick.
    const [counts] = await ctx.deps.db.$queryRaw<
      { ticks: bigint; tickMinutes: bigint; handedOver: bigint; jobs: bigint; handled: bigint }[]
    >`
      SELECT
        count(*) FILTER (WHERE name = ${SEND_IT_QUEUE}) AS "ticks",
        count(DISTINCT singleton_on) FILTER (WHERE name = ${SEND_IT_QUEUE}) AS "tickMinutes",
        count(*) FILTER (WHERE name = ${SEND_IT_QUEUE} AND state = 'completed') AS "handedOver",
        count(*) FILTER (WHERE name = ${HEARTBEAT_QUEUE}) AS "jobs",
        count(*) FILTER (WHERE name = ${HEARTBEAT_QUEUE} AND state = 'completed') AS "handled"
      FROM pgboss.job
      WHERE name = ${HEARTBEAT_QUEUE} OR (name = ${SEND_IT_QUEUE} AND singleton_key = ${HEARTBEAT_QUEUE})`;
    const count = (value: bigint | undefined) => Number(value ?? 0);
    expect(count(counts?.ticks)).toBeGreaterThan(0);
    // One tick per minute, although both workers checked the schedule every second…
    expect(count(counts?.ticks)).toBe(count(counts?.tickMinutes));
    // …and each tick handed over became exactly one heartbeat job.
    expect(count(counts?.jobs)).toBe(count(counts?.handedOver));

    // Every handled job left a beat, by one of the two workers; a beat is keyed by the minute its
    // job was created in, so the late tick above shares its row with the next (a retried or
    // doubled job never adds one).
    const beats = await ctx.deps.db.workerHeartbeat.findMany();
    expect(beats.length).toBeGreaterThan(0);
    expect(beats.length).toBeLessThanOrEqual(count(counts?.handled));
    for (const beat of beats) expect(['worker-a', 'worker-b']).toContain(beat.workerId);
  }, 60_000);
});
