import { describe, expect, it } from 'vitest';
import { setupTestContext, uniqueId } from '../../../test/support/context.js';
import { startDeliveryLoop } from './delivery-loop.js';
import { createOutbox } from './outbox.js';
import { createMailSender } from './sender.js';

const ctx = setupTestContext();
const quietLog = { info: () => undefined, error: () => undefined };

describe('worker delivery loop', () => {
  it('sends a committed email at once, woken by LISTEN/NOTIFY rather than polling', async () => {
    const sender = createMailSender({
      db: ctx.deps.db,
      mailer: ctx.deps.mailer,
      maxAttempts: 3,
      retryBaseMs: 1000,
    });
    // Polling is an hour apart, so only the notification can explain a prompt delivery.
    const loop = startDeliveryLoop({
      sender,
      databaseUrl: ctx.config.DATABASE_URL,
      pollIntervalMs: 3_600_000,
      log: quietLog,
    });
    try {
      // Let the listener connect (its start-up pass finds nothing).
      await new Promise((resolve) => setTimeout(resolve, 500));
      const to = `${uniqueId('loop')}@example.test`;
      const outbox = createOutbox({ publicUrl: ctx.config.PUBLIC_URL, from: ctx.config.MAIL_FROM });
      const { id } = await ctx.deps.db.$transaction((tx) =>
        outbox.enqueue(tx, { to, template: 'account-deleted', locale: 'ko', data: {} }),
      );
      const message = await ctx.mailbox.waitFor(to, { timeoutMs: 5_000 });
      expect(message.Subject).toContain('계정이 삭제되었습니다');
      const row = await ctx.deps.db.mailOutbox.findUniqueOrThrow({ where: { id } });
      expect(row.status).toBe('sent');
    } finally {
      await loop.stop();
    }
  });
});
