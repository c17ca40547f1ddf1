import { afterAll, describe, expect, it } from 'vitest';
import { setupTestContext, uniqueId } from '../../../test/support/context.js';
import {
  type CapturedMessage,
  type SmtpCapture,
  startSmtpCapture,
} from '../../../test/support/smtp-capture.js';
import { createMailer } from '../../lib/mailer.js';
import { createOutbox } from './outbox.js';
import { createMailSender } from './sender.js';

const ctx = setupTestContext();
const servers: SmtpCapture[] = [];

afterAll(async () => {
  await Promise.allSettled(servers.map((server) => server.close()));
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('SMTP outage', () => {
  it('delivers every email exactly once after the relay comes back', async () => {
    const first = await startSmtpCapture();
    servers.push(first);
    const port = first.smtpPort;
    const mailer = createMailer(`smtp://127.0.0.1:${port}`);
    const sender = createMailSender({
      db: ctx.deps.db,
      mailer,
      maxAttempts: 10,
      retryBaseMs: 1000,
      batchSize: 3,
    });
    const outbox = createOutbox({ publicUrl: ctx.config.PUBLIC_URL, from: ctx.config.MAIL_FROM });
    const prefix = uniqueId('outage');
    const enqueue = (index: number) =>
      ctx.deps.db.$transaction((tx) =>
        outbox.enqueue(tx, {
          to: `${prefix}-${index}@example.test`,
          template: 'signup-code',
          locale: index % 2 ? 'ko' : 'en',
          data: { code: String(100000 + index) },
        }),
      );

    // Before the outage: mail flows.
    for (let index = 0; index < 3; index++) await enqueue(index);
    expect((await sender.drain()).sent).toBe(3);

    // The relay goes away; mail keeps being queued and every pass fails.
    await first.close();
    for (let index = 3; index < 10; index++) await enqueue(index);
    const during = await sender.drain();
    expect(during).toMatchObject({ claimed: 7, retried: 7, sent: 0 });
    await sleep(1100);
    expect((await sender.drain()).retried).toBe(7);

    // Back on the same port: retries go out as they fall due.
    const second = await startSmtpCapture({ smtpPort: port });
    servers.push(second);
    const deadline = Date.now() + 10_000;
    while (Date.now() < deadline) {
      await sender.drain();
      const left = await ctx.deps.db.mailOutbox.count({ where: { status: { not: 'sent' } } });
      if (left === 0) break;
      await sleep(100);
    }
    // More passes after everything is sent change nothing.
    await sender.drain();
    await sender.drain();
    mailer.close();

    const delivered: CapturedMessage[] = [...first.messages, ...second.messages].filter((message) =>
      message.To[0]?.Address.startsWith(prefix),
    );
    const recipients = delivered.map((message) => message.To[0]?.Address).sort();
    expect(recipients).toEqual(
      Array.from({ length: 10 }, (_, index) => `${prefix}-${index}@example.test`).sort(),
    );
    expect(new Set(delivered.map((message) => message.MessageID)).size).toBe(10);
    expect(second.messages).toHaveLength(7);

    const rows = await ctx.deps.db.mailOutbox.findMany({ where: { to: { startsWith: prefix } } });
    expect(rows).toHaveLength(10);
    for (const current of rows) {
      expect(current.status).toBe('sent');
      expect(current.sentAt).toBeInstanceOf(Date);
      const index = Number(current.to.slice(prefix.length + 1).split('@')[0]);
      expect(current.attempts).toBe(index < 3 ? 1 : 3);
      const message = delivered.find((candidate) => candidate.To[0]?.Address === current.to);
      expect(message?.Text).toContain(String(100000 + index));
    }
  });
});
