import PgBoss from 'pg-boss';

export interface BossOptions {
  connectionString: string;
  /** Seconds between cron checks; pg-boss sends each tick once across all workers regardless. */
  cronMonitorIntervalSeconds?: number;
  cronWorkerIntervalSeconds?: number;
}

/**
 * pg-boss keeps queues and cron schedules in Postgres (schema `pgboss`, created and migrated by
 * pg-boss itself on start), so any number of workers share one schedule.
 */
export function createBoss({
  connectionString,
  cronMonitorIntervalSeconds = 30,
  cronWorkerIntervalSeconds = 5,
}: BossOptions): PgBoss {
  return new PgBoss({
    connectionString,
    schema: 'pgboss',
    max: 4,
    cronMonitorIntervalSeconds,
    cronWorkerIntervalSeconds,
  });
}

/** Retry policy every queue uses unless it says otherwise: exponential backoff, then dead-letter. */
export const DEFAULT_RETRY = { retryLimit: 8, retryDelay: 5, retryBackoff: true } as const;

export async function ensureQueue(
  boss: PgBoss,
  name: string,
  options: Omit<PgBoss.Queue, 'name'> = {},
): Promise<void> {
  const deadLetter = `${name}.dead`;
  if (!(await boss.getQueue(deadLetter))) await boss.createQueue(deadLetter);
  if (!(await boss.getQueue(name)))
    await boss.createQueue(name, { name, ...DEFAULT_RETRY, deadLetter, ...options });
}
