import type PgBoss from 'pg-boss';
import { Counter, type Registry } from 'prom-client';
import type { Config } from '../../config.js';
import type { Database } from '../../db/client.js';
import { ensureQueue } from '../../jobs/boss.js';
import type { LoopContext } from '../../jobs/worker-jobs.js';
import { createOutbox } from '../mail/outbox.js';
import { startFeedConsumer } from '../tasks/feed.js';
import { createNotificationEmails } from './emails.js';
import { notificationsSecret } from './plugin.js';
import { createNotificationsHandler } from './recipients.js';

export const NOTIFICATION_EMAIL_QUEUE = 'notifications-email';
/** Every minute: coalescing windows close and digests fall due at minute granularity. */
export const NOTIFICATION_EMAIL_CRON = '* * * * *';

/** The durable feed consumer that turns activity rows into notifications. */
export function startNotificationsConsumer({ db, config, log }: LoopContext): () => Promise<void> {
  const loop = startFeedConsumer({
    db,
    name: 'notifications',
    databaseUrl: config.DATABASE_URL,
    log: log.child({ module: 'notifications' }),
    handle: createNotificationsHandler({
      emailWindowMs: config.NOTIFICATIONS_EMAIL_WINDOW_SECONDS * 1000,
    }),
  });
  return () => loop.stop();
}

export function notificationEmailsFor(
  db: Database,
  config: Pick<Config, 'PUBLIC_URL' | 'MAIL_FROM' | 'AUTH_SECRET' | 'JWT_PRIVATE_KEY'>,
  registry?: Registry,
) {
  const queued = new Counter({
    name: 'notification_emails_queued_total',
    help: 'Notification emails written to the outbox, by template',
    labelNames: ['template'] as const,
    registers: registry ? [registry] : [],
  });
  return createNotificationEmails({
    db,
    outbox: createOutbox({ publicUrl: config.PUBLIC_URL, from: config.MAIL_FROM }),
    publicUrl: config.PUBLIC_URL,
    unsubscribeKey: notificationsSecret(config),
    onQueued: (template) => queued.inc({ template }),
  });
}

/** The minute job that batches pending notification email into outbox rows. */
export async function registerNotificationJobs({
  boss,
  db,
  config,
  registry,
}: {
  boss: PgBoss;
  db: Database;
  config: Parameters<typeof notificationEmailsFor>[1];
  /** Where `notification_emails_queued_total` is counted (the worker's metrics). */
  registry?: Registry;
}): Promise<void> {
  const emails = notificationEmailsFor(db, config, registry);
  await ensureQueue(boss, NOTIFICATION_EMAIL_QUEUE, { retryLimit: 0 });
  await boss.schedule(NOTIFICATION_EMAIL_QUEUE, NOTIFICATION_EMAIL_CRON, {}, { tz: 'UTC' });
  await boss.work(NOTIFICATION_EMAIL_QUEUE, async () => {
    await emails.flush();
  });
}
