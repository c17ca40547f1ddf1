import type { FastifyInstance } from 'fastify';
import { beforeAll, describe, expect, it } from 'vitest';
import { createSignedInUser, type SignedInUser } from '../../../test/support/auth.js';
import { setupTestContext, uniqueId } from '../../../test/support/context.js';
import { suppressAddress } from './suppression.js';

const ctx = setupTestContext();
let app: FastifyInstance;
let admin: SignedInUser;
let member: SignedInUser;

beforeAll(async () => {
  app = await ctx.buildApp();
  admin = await createSignedInUser(app, ctx, { roles: ['admin'] });
  member = await createSignedInUser(app, ctx);
});

function list(query: string, headers = admin.headers) {
  return app.inject({ method: 'GET', url: `/api/admin/mail/suppressions${query}`, headers });
}

describe('admin mail suppressions', () => {
  it('pages through the list and searches it', async () => {
    const prefix = uniqueId('listed');
    const emails = Array.from({ length: 5 }, (_, index) => `${prefix}-${index}@example.test`);
    for (const email of emails) await suppressAddress(ctx.deps.db, { email, reason: 'bounce' });

    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const query: string = `?limit=2&search=${prefix}${cursor ? `&cursor=${cursor}` : ''}`;
      const response = await list(query);
      expect(response.statusCode).toBe(200);
      const page = response.json() as { items: { email: string }[]; nextCursor: string | null };
      expect(page.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.items.map((item) => item.email));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual(emails);

    const one = await list(`?search=${encodeURIComponent(emails[3]?.toUpperCase() ?? '')}`);
    expect(one.json().items).toMatchObject([{ email: emails[3], reason: 'bounce', detail: null }]);
  });

  it('removes an entry, and answers 404 for an address that is not listed', async () => {
    const email = `${uniqueId('remove')}@example.test`;
    await suppressAddress(ctx.deps.db, { email, reason: 'complaint', detail: 'spam' });
    const removed = await app.inject({
      method: 'DELETE',
      url: `/api/admin/mail/suppressions/${encodeURIComponent(email.toUpperCase())}`,
      headers: admin.headers,
    });
    expect(removed.statusCode).toBe(204);
    expect(await ctx.deps.db.mailSuppression.count({ where: { email } })).toBe(0);

    const again = await app.inject({
      method: 'DELETE',
      url: `/api/admin/mail/suppressions/${encodeURIComponent(email)}`,
      headers: admin.headers,
    });
    expect(again.statusCode).toBe(404);
    expect(again.json().code).toBe('suppression_not_found');
  });

  it('refuses anonymous callers and non-admins, and changes nothing', async () => {
    const email = `${uniqueId('guarded')}@example.test`;
    await suppressAddress(ctx.deps.db, { email, reason: 'bounce' });
    const url = `/api/admin/mail/suppressions/${encodeURIComponent(email)}`;
    expect((await app.inject({ method: 'DELETE', url })).statusCode).toBe(401);
    expect((await list('', {} as SignedInUser['headers'])).statusCode).toBe(401);
    const forbidden = await app.inject({ method: 'DELETE', url, headers: member.headers });
    expect(forbidden.statusCode).toBe(403);
    expect((await list('', member.headers)).statusCode).toBe(403);
    expect(await ctx.deps.db.mailSuppression.count({ where: { email } })).toBe(1);
  });

  it('rejects bad queries and addresses with 400', async () => {
    expect((await list('?limit=0')).statusCode).toBe(400);
    expect((await list('?cursor=%25%25')).json().code).toBe('invalid_cursor');
    const bad = await app.inject({
      method: 'DELETE',
      url: '/api/admin/mail/suppressions/not-an-address',
      headers: admin.headers,
    });
    expect(bad.statusCode).toBe(400);
  });
});
