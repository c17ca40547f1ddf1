import type { Mailer } from '../../src/lib/mailer.js';
import { createMailSender, type PassResult } from '../../src/modules/mail/sender.js';
import type { TestContext } from './context.js';

/**
 * Delivers what the test's outbox holds right now, through the real sender and real SMTP, the way
 * the worker would; then read the result with `ctx.mailbox.waitFor(address)`.
 */
export async function deliverPendingMail(
  ctx: TestContext,
  options: { mailer?: Mailer; maxAttempts?: number; retryBaseMs?: number } = {},
): Promise<PassResult> {
  const sender = createMailSender({
    db: ctx.deps.db,
    mailer: options.mailer ?? ctx.deps.mailer,
    maxAttempts: options.maxAttempts ?? ctx.config.MAIL_MAX_ATTEMPTS,
    retryBaseMs: options.retryBaseMs ?? ctx.config.MAIL_RETRY_BASE_SECONDS * 1000,
  });
  return sender.drain();
}
