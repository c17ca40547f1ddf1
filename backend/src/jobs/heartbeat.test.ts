import { afterAll, describe, expect, it } from 'vitest';
import { setupTestContext } from '../../test/support/context.js';
import { createBoss } from './boss.js';
import { HEARTBEAT_QUEUE } from './heartbeat.js';
import { registerJobs } from './worker-jobs.js';

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

    const jobsPerMinute = await ctx.deps.db.$queryRaw<{ minute: Date; jobs: bigint }[]>`
      SELECT date_trunc('minute', created_on) AS minute, count(*) AS jobs
      FROM pgboss.job WHERE name = ${HEARTBEAT_QUEUE} GROUP BY 1`;
    expect(jobsPerMinute.length).toBeGreaterThan(0);
    for (const { jobs } of jobsPerMinute) expect(Number(jobs)).toBe(1);

    // A tick that began during the wait may not be handled yet; every handled one left one beat.
    const [handled] = await ctx.deps.db.$queryRaw<{ jobs: bigint }[]>`
      SELECT count(*) AS jobs FROM pgboss.job WHERE name = ${HEARTBEAT_QUEUE} AND state = 'completed'`;
    const beats = await ctx.deps.db.workerHeartbeat.findMany();
    expect(beats.length).toBe(Number(handled?.jobs));
    expect(['worker-a', 'worker-b']).toContain(beats[0]?.workerId);
  }, 60_000);
});
