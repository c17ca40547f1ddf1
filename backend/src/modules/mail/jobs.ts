import type { LoopContext } from '../../jobs/worker-jobs.js';
import { createMailer } from '../../lib/mailer.js';
import { startDeliveryLoop } from './delivery-loop.js';
import { createMailSender } from './sender.js';

/** The SES side of the worker: delivers the outbox over SMTP until stopped. */
export function startMailDelivery({ db, config, log, metrics }: LoopContext): () => Promise<void> {
  const mailLog = log.child({ module: 'mail' });
  const mailer = createMailer(config.SMTP_URL);
  const sender = createMailSender({
    db,
    mailer,
    maxAttempts: config.MAIL_MAX_ATTEMPTS,
    retryBaseMs: config.MAIL_RETRY_BASE_SECONDS * 1000,
    log: mailLog,
    ...(metrics ? { onOutcome: metrics.mailDelivered } : {}),
  });
  const loop = startDeliveryLoop({ sender, databaseUrl: config.DATABASE_URL, log: mailLog });
  return async () => {
    await loop.stop();
    mailer.close();
  };
}
