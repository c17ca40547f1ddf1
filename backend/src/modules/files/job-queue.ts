import PgBoss from 'pg-boss';
import type { Database } from '../../db/client.js';
import type { Prisma } from '../../generated/prisma/client.js';
import { ServiceUnavailableError } from '../../lib/errors.js';

type RawClient = Pick<Prisma.TransactionClient, '$queryRawUnsafe'>;

/** pg-boss talks to Postgres through this adapter, so a job can join a Prisma transaction. */
function executorFor(client: RawClient) {
  return {
    async executeSql(text: string, values: unknown[] = []) {
      const parameters = values.map((value) =>
        value !== null && typeof value === 'object' && !(value instanceof Date)
          ? JSON.stringify(value)
          : value,
      );
      return { rows: await client.$queryRawUnsafe<unknown[]>(text, ...parameters) };
    },
  };
}

export interface JobQueue {
  /**
   * Enqueues a job on `client` (a transaction, usually), so the job exists exactly when the
   * change that needs it commits. Throws 503 when the queue is missing (worker never started).
   */
  send(client: RawClient, queue: string, data: object): Promise<string>;
}

/** A pg-boss handle that never starts: the backend only enqueues, the worker runs the jobs. */
export function createJobQueue(db: Database): JobQueue {
  const boss = new PgBoss({ db: executorFor(db), schema: 'pgboss' });
  return {
    async send(client, queue, data) {
      const id = await boss.send(queue, data, { db: executorFor(client) } as PgBoss.SendOptions);
      if (!id) {
        throw new ServiceUnavailableError(
          'job_queue_unavailable',
          'Background jobs are not set up yet; try again shortly.',
        );
      }
      return id;
    },
  };
}
