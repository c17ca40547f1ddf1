import PgBoss from 'pg-boss';
import type { Prisma } from '../../generated/prisma/client.js';

/** Events the auth module publishes; handlers subscribe queues to them in src/jobs/worker-jobs.ts. */
export const USER_CONFIRMED = 'user.confirmed';
export const USER_DELETED = 'user.deleted';

export interface UserEventData {
  userId: string;
}

/**
 * Publishes pg-boss events inside the caller's Prisma transaction: a job exists for every
 * subscribed queue if and only if the change commits (the outbox pattern, for jobs).
 * pg-boss's own `publish` reads subscriptions outside the transaction and drops send errors, so
 * the fan-out is done here with `send`, which takes the transaction as its `db`.
 */
export function createEventPublisher({ connectionString }: { connectionString: string }) {
  // Never started: it only renders SQL, which runs on the transaction's connection.
  const boss = new PgBoss({ connectionString, schema: 'pgboss' });

  return {
    async publish(
      tx: Prisma.TransactionClient,
      event: typeof USER_CONFIRMED | typeof USER_DELETED,
      data: UserEventData,
    ): Promise<number> {
      const db = {
        executeSql: async (text: string, values: unknown[] = []) => ({
          rows: await tx.$queryRawUnsafe<unknown[]>(text, ...values),
        }),
      };
      const queues = await tx.$queryRaw<{ name: string }[]>`
        SELECT name FROM pgboss.subscription WHERE event = ${event}`;
      for (const { name } of queues) {
        await boss.send(name, { ...data }, { db } as PgBoss.SendOptions);
      }
      return queues.length;
    },
  };
}

export type EventPublisher = ReturnType<typeof createEventPublisher>;
