import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { setupTestContext, uniqueId } from '../../../test/support/context.js';
import { purgeFinishedMail } from './retention.js';

const ctx = setupTestContext();

function outboxRow(status: 'pending' | 'sent' | 'failed' | 'suppressed', ageDays: number) {
  const id = randomUUID();
  const touched = new Date(Date.now() - ageDays * 86_400_000);
  return {
    id,
    to: `${uniqueId('r')}@example.test`,
    from: 'Homeport <no-reply@example.test>',
    template: 'signup-code',
    locale: 'en',
    subject: 'Your code',
    text: 'code 123456',
    html: '<p>code 123456</p>',
    messageId: `<${id}@example.test>`,
    status,
    createdAt: touched,
    updatedAt: touched,
  };
}

describe('mail retention', () => {
  it('deletes finished emails past the retention and keeps recent or pending ones', async () => {
    const rows = [
      outboxRow('sent', 20),
      outboxRow('failed', 20),
      outboxRow('suppressed', 20),
      outboxRow('sent', 2),
      outboxRow('pending', 20),
    ];
    await ctx.deps.db.mailOutbox.createMany({ data: rows });

    expect(await purgeFinishedMail(ctx.deps.db, 14)).toBe(3);
    const left = await ctx.deps.db.mailOutbox.findMany({
      where: { id: { in: rows.map((row) => row.id) } },
    });
    expect(left.map((row) => row.id).sort()).toEqual([rows[3]?.id, rows[4]?.id].sort());
    expect(await purgeFinishedMail(ctx.deps.db, 14)).toBe(0);
  });
});
