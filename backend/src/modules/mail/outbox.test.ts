import { describe, expect, it } from 'vitest';
import { setupTestContext, uniqueId } from '../../../test/support/context.js';
import { deliverPendingMail } from '../../../test/support/mail.js';
import { createOutbox } from './outbox.js';
import { MailTemplateError } from './templates/render.js';

const ctx = setupTestContext();

function outbox() {
  return createOutbox({ publicUrl: ctx.config.PUBLIC_URL, from: ctx.config.MAIL_FROM });
}

function address(label: string) {
  return `${uniqueId(label)}@example.test`;
}

describe('mail outbox', () => {
  it('writes the email in the caller transaction and the sender delivers it over SMTP', async () => {
    const to = address('signup');
    const { id } = await ctx.deps.db.$transaction((tx) =>
      outbox().enqueue(tx, { to, template: 'signup-code', locale: 'en', data: { code: '123456' } }),
    );
    const queued = await ctx.deps.db.mailOutbox.findUniqueOrThrow({ where: { id } });
    expect(queued).toMatchObject({ status: 'pending', attempts: 0, template: 'signup-code' });

    const result = await deliverPendingMail(ctx);
    expect(result.sent).toBeGreaterThanOrEqual(1);

    const message = await ctx.mailbox.waitFor(to, { subject: 'confirmation code' });
    expect(message.Text).toContain('123456');
    expect(message.HTML).toContain('123456');
    // Mailpit drops the angle brackets, the native capture keeps them.
    const bare = (id: string) => id.replace(/^<|>$/g, '');
    expect(bare(message.MessageID)).toBe(bare(queued.messageId));
    const sent = await ctx.deps.db.mailOutbox.findUniqueOrThrow({ where: { id } });
    expect(sent).toMatchObject({ status: 'sent', attempts: 1, lockedUntil: null });
    expect(sent.sentAt).toBeInstanceOf(Date);

    // A second pass finds nothing: the row is sent exactly once.
    await deliverPendingMail(ctx);
    expect(await ctx.mailbox.messagesTo(to)).toHaveLength(1);
  });

  it('leaves no email behind when the transaction rolls back', async () => {
    const to = address('rollback');
    await expect(
      ctx.deps.db.$transaction(async (tx) => {
        await outbox().enqueue(tx, {
          to,
          template: 'password-changed',
          locale: 'ko',
          data: {},
        });
        throw new Error('the change failed');
      }),
    ).rejects.toThrow('the change failed');
    expect(await ctx.deps.db.mailOutbox.count({ where: { to } })).toBe(0);
    await deliverPendingMail(ctx);
    expect(await ctx.mailbox.messagesTo(to)).toHaveLength(0);
  });

  it('refuses bad template data, unknown templates and header-splitting recipients', async () => {
    const to = address('bad');
    const box = outbox();
    const attempts = [
      () =>
        box.enqueue(ctx.deps.db, {
          to,
          template: 'signup-code',
          locale: 'en',
          data: { code: '12' },
        }),
      () =>
        box.enqueue(ctx.deps.db, {
          to,
          template: 'password-changed',
          locale: 'en',
          data: { extra: 'x' } as never,
        }),
      () =>
        box.enqueue(ctx.deps.db, {
          to,
          template: 'no-such-template' as never,
          locale: 'en',
          data: {} as never,
        }),
      () =>
        box.enqueue(ctx.deps.db, {
          to,
          template: 'password-changed',
          locale: 'fr' as never,
          data: {},
        }),
      () =>
        box.enqueue(ctx.deps.db, {
          to: `${to}\r\nBcc: victim@example.test`,
          template: 'password-changed',
          locale: 'en',
          data: {},
        }),
      () =>
        box.enqueue(ctx.deps.db, {
          to,
          template: 'password-changed',
          locale: 'en',
          data: {},
          headers: { 'List-Unsubscribe': '<https://x>\r\nBcc: victim@example.test' },
        }),
      () =>
        box.enqueue(ctx.deps.db, {
          to,
          template: 'password-changed',
          locale: 'en',
          data: {},
          headers: { 'Bad Name:': 'x' },
        }),
      () =>
        box.enqueue(ctx.deps.db, {
          to: `a@example.test, ${to}`,
          template: 'password-changed',
          locale: 'en',
          data: {},
        }),
    ];
    for (const attempt of attempts) await expect(attempt()).rejects.toThrow(MailTemplateError);
    expect(await ctx.deps.db.mailOutbox.count({ where: { to: { contains: to } } })).toBe(0);
  });
});
