import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setupTestContext, uniqueId } from '../../../test/support/context.js';
import { deliverPendingMail } from '../../../test/support/mail.js';
import { type SmtpCapture, startSmtpCapture } from '../../../test/support/smtp-capture.js';
import { createMailer, type Mailer } from '../../lib/mailer.js';
import { createOutbox } from './outbox.js';
import { createMailSender, retryDelayMs } from './sender.js';

const ctx = setupTestContext();
let capture: SmtpCapture;
let mailer: Mailer;
const REJECTED = /^reject-/;

beforeAll(async () => {
  capture = await startSmtpCapture({ rejectRecipients: (address) => REJECTED.test(address) });
  mailer = createMailer(`smtp://127.0.0.1:${capture.smtpPort}`);
});

afterAll(async () => {
  mailer.close();
  await capture.close();
});

function enqueue(to: string) {
  const outbox = createOutbox({ publicUrl: ctx.config.PUBLIC_URL, from: ctx.config.MAIL_FROM });
  return outbox.enqueue(ctx.deps.db, { to, template: 'password-reset', locale: 'en', data: {} });
}

function row(id: string) {
  return ctx.deps.db.mailOutbox.findUniqueOrThrow({ where: { id } });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('mail sender', () => {
  it('computes exponential backoff with a ceiling', () => {
    expect([1, 2, 3, 4].map((attempts) => retryDelayMs(attempts, 30_000, 3_600_000))).toEqual([
      30_000, 60_000, 120_000, 240_000,
    ]);
    expect(retryDelayMs(20, 30_000, 3_600_000)).toBe(3_600_000);
  });

  // The delays are long enough that a stalled CI machine cannot make a retry fall due between
  // two passes that expect it not to be.
  it('retries a temporary failure with doubling delays, then dead-letters it', async () => {
    const down = await startSmtpCapture();
    const port = down.smtpPort;
    await down.close();
    const unreachable = createMailer(`smtp://127.0.0.1:${port}`);
    const sender = createMailSender({
      db: ctx.deps.db,
      mailer: unreachable,
      maxAttempts: 3,
      retryBaseMs: 1000,
    });
    const { id } = await enqueue(`${uniqueId('retry')}@example.test`);

    expect(await sender.runPass()).toMatchObject({ claimed: 1, retried: 1 });
    let current = await row(id);
    expect(current).toMatchObject({ status: 'pending', attempts: 1, lockedUntil: null });
    expect(current.lastError).toMatch(/ECONNREFUSED|ECONNECTION|ESOCKET/);
    expect(current.nextAttemptAt.getTime() - current.updatedAt.getTime()).toBe(1000);
    // Not due yet: a pass right away leaves it alone.
    expect((await sender.runPass()).claimed).toBe(0);

    await sleep(1050);
    expect(await sender.runPass()).toMatchObject({ claimed: 1, retried: 1 });
    current = await row(id);
    expect(current.attempts).toBe(2);
    expect(current.nextAttemptAt.getTime() - current.updatedAt.getTime()).toBe(2000);

    await sleep(2050);
    expect(await sender.runPass()).toMatchObject({ claimed: 1, failed: 1 });
    current = await row(id);
    expect(current).toMatchObject({ status: 'failed', attempts: 3, sentAt: null });
    await sleep(100);
    expect((await sender.runPass()).claimed).toBe(0);
    unreachable.close();
  });

  it('suppresses an address the relay rejects permanently (5xx) and never tries it again', async () => {
    const to = `reject-${uniqueId('hard')}@example.test`;
    const { id } = await enqueue(to);
    const result = await deliverPendingMail(ctx, { mailer });
    expect(result.rejected).toBe(1);
    const rejected = await row(id);
    expect(rejected).toMatchObject({ status: 'rejected', attempts: 1, sentAt: null });
    expect(rejected.lastError).toContain('550');
    const entry = await ctx.deps.db.mailSuppression.findUniqueOrThrow({ where: { email: to } });
    expect(entry.reason).toBe('smtp_rejection');

    const { id: next } = await enqueue(to.toUpperCase());
    expect((await deliverPendingMail(ctx, { mailer })).suppressed).toBe(1);
    expect(await row(next)).toMatchObject({ status: 'suppressed', attempts: 1 });
    expect(capture.messages.some((message) => message.To[0]?.Address === to)).toBe(false);
  });

  it('reclaims a row whose sender died mid-send once its lease has run out', async () => {
    const stale = await enqueue(`${uniqueId('stale')}@example.test`);
    const leased = await enqueue(`${uniqueId('leased')}@example.test`);
    await ctx.deps.db.mailOutbox.update({
      where: { id: stale.id },
      data: { status: 'sending', attempts: 1, lockedUntil: new Date(Date.now() - 1000) },
    });
    await ctx.deps.db.mailOutbox.update({
      where: { id: leased.id },
      data: { status: 'sending', attempts: 1, lockedUntil: new Date(Date.now() + 60_000) },
    });
    await deliverPendingMail(ctx, { mailer });
    expect(await row(stale.id)).toMatchObject({ status: 'sent', attempts: 2 });
    expect(await row(leased.id)).toMatchObject({ status: 'sending', attempts: 1, sentAt: null });
    await ctx.deps.db.mailOutbox.delete({ where: { id: leased.id } });
  });

  it('sends each email once when several senders drain the same outbox', async () => {
    const prefix = uniqueId('race');
    const ids = [];
    for (let index = 0; index < 12; index++) {
      ids.push((await enqueue(`${prefix}-${index}@example.test`)).id);
    }
    const senders = [1, 2, 3].map(() =>
      createMailSender({
        db: ctx.deps.db,
        mailer,
        maxAttempts: 3,
        retryBaseMs: 1000,
        batchSize: 2,
      }),
    );
    const results = await Promise.all(senders.map((sender) => sender.drain()));
    expect(results.reduce((sum, result) => sum + result.sent, 0)).toBe(12);
    const received = capture.messages.filter((message) =>
      message.To[0]?.Address.startsWith(prefix),
    );
    expect(received).toHaveLength(12);
    expect(new Set(received.map((message) => message.MessageID)).size).toBe(12);
    const rows = await ctx.deps.db.mailOutbox.findMany({ where: { id: { in: ids } } });
    expect(rows.every((current) => current.status === 'sent' && current.attempts === 1)).toBe(true);
  });
});
