import type { Static } from 'typebox';
import type { Database } from '../../db/client.js';
import { latestHeartbeat } from '../../jobs/heartbeat.js';
import type { Mailer } from '../../lib/mailer.js';
import type { Storage } from '../../lib/storage.js';
import { withTimeout } from '../../lib/timeout.js';
import type { ChecksSchema } from './schemas.js';

type Checks = Static<typeof ChecksSchema>;

export interface ReadinessDeps {
  db: Database;
  storage: Storage;
  mailer: Mailer;
  timeoutMs: number;
  /** Worker beats once a minute; it is stale after this many minutes without one. */
  workerStaleAfterBeats: number;
}

async function timed(label: string, timeoutMs: number, probe: () => Promise<unknown>) {
  const started = performance.now();
  try {
    await withTimeout(probe(), timeoutMs, label);
    return { status: 'ok' as const, latencyMs: Math.round(performance.now() - started) };
  } catch (error) {
    return {
      status: 'failing' as const,
      latencyMs: Math.round(performance.now() - started),
      error: (error as Error).message.split('\n')[0] ?? 'failed',
    };
  }
}

export function createReadinessService(deps: ReadinessDeps) {
  const { db, storage, mailer, timeoutMs } = deps;

  async function checkWorker(): Promise<Checks['worker']> {
    try {
      const beat = await withTimeout(latestHeartbeat(db), timeoutMs, 'database');
      if (!beat)
        return {
          status: 'failing',
          lastBeatAt: null,
          ageSeconds: null,
          error: 'no heartbeat recorded yet',
        };
      const ageSeconds = Math.max(0, Math.round((Date.now() - beat.getTime()) / 1000));
      const stale = ageSeconds > deps.workerStaleAfterBeats * 60;
      return {
        status: stale ? 'failing' : 'ok',
        lastBeatAt: beat.toISOString(),
        ageSeconds,
        ...(stale ? { error: `no heartbeat for ${ageSeconds} s` } : {}),
      };
    } catch (error) {
      return {
        status: 'failing',
        lastBeatAt: null,
        ageSeconds: null,
        error: (error as Error).message.split('\n')[0] ?? 'failed',
      };
    }
  }

  return {
    async check(): Promise<{ ready: boolean; checks: Checks; failing: string[] }> {
      const [database, s3, smtp, worker] = await Promise.all([
        timed('database', timeoutMs, () => db.$queryRaw`SELECT 1`),
        timed('storage', timeoutMs, async () => {
          if (!(await storage.client.bucketExists(storage.bucket)))
            throw new Error(`bucket ${storage.bucket} is missing`);
        }),
        timed('smtp', timeoutMs, () => mailer.verify()),
        checkWorker(),
      ]);
      const checks: Checks = { database, storage: s3, smtp, worker };
      const failing = Object.entries(checks)
        .filter(([, check]) => check.status === 'failing')
        .map(([name]) => name);
      return { ready: failing.length === 0, checks, failing };
    },
  };
}
