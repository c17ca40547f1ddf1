import type { FastifyInstance } from 'fastify';
import { beforeAll, describe, expect, it } from 'vitest';
import { createSignedInUser, type SignedInUser } from '../../../test/support/auth.js';
import { setupTestContext, uniqueId } from '../../../test/support/context.js';

const ctx = setupTestContext();
let app: FastifyInstance;
let admin: SignedInUser;

beforeAll(async () => {
  app = await ctx.buildApp({ AUTH_AUTO_VERIFY: 'true' });
  admin = await createSignedInUser(app, ctx, { roles: ['admin', 'member'] });
});

function as(
  user: SignedInUser,
  method: 'GET' | 'PUT' | 'POST' | 'PATCH',
  url: string,
  payload?: object,
) {
  return app.inject({ method, url, headers: user.headers, ...(payload ? { payload } : {}) });
}

describe('admin routes', () => {
  it('are closed to members and supervisors, and no body field raises a role', async () => {
    const member = await createSignedInUser(app, ctx);
    const supervisor = await createSignedInUser(app, ctx, { roles: ['supervisor', 'member'] });
    for (const user of [member, supervisor]) {
      const list = await as(user, 'GET', '/api/admin/users');
      expect(list.statusCode).toBe(403);
      expect(list.json().code).toBe('insufficient_role');
      const selfPromote = await as(user, 'PUT', `/api/admin/users/${user.id}/roles`, {
        roles: ['admin'],
      });
      expect(selfPromote.statusCode).toBe(403);
      // The role check comes before validation: a malformed body is still 403, not 400.
      const malformed = await as(user, 'PUT', `/api/admin/users/${user.id}/roles`, {
        roles: 'root',
      });
      expect(malformed.statusCode).toBe(403);
      expect((await as(user, 'GET', '/api/admin/audit')).statusCode).toBe(403);
    }
    const viaProfile = await as(member, 'PATCH', '/api/users/me', { roles: ['admin'] });
    expect(viaProfile.statusCode).toBe(400);
    const withName = await as(member, 'PATCH', '/api/users/me', {
      displayName: 'Mina',
      role: 'admin',
    });
    expect(withName.statusCode).toBe(400);
    // A union's branches collapse into what the field may be; a nullable field states its rule.
    const badProfile = await as(member, 'PATCH', '/api/users/me', {
      displayName: '   ',
      locale: 'fr',
    });
    expect(badProfile.json().errors).toHaveLength(2);
    expect(badProfile.json().errors).toEqual(
      expect.arrayContaining([
        { field: '/body/locale', message: 'must be one of: en or ko' },
        { field: '/body/displayName', message: 'must not be blank' },
      ]),
    );
    const me = await as(member, 'GET', '/api/users/me');
    expect(me.json()).toMatchObject({ id: member.id, roles: ['member'], displayName: null });
    expect((await ctx.deps.db.user.findUniqueOrThrow({ where: { id: member.id } })).roles).toEqual([
      'member',
    ]);
    expect(
      (await as(member, 'PATCH', '/api/users/me', { displayName: 'Mina', locale: 'ko' })).json(),
    ).toMatchObject({ displayName: 'Mina', locale: 'ko' });
  });

  it('search and page users, set roles (old tokens must refresh), disable and enable', async () => {
    const tag = uniqueId('find');
    const users: SignedInUser[] = [];
    for (let index = 0; index < 3; index++) {
      users.push(await createSignedInUser(app, ctx, { email: `${tag}-${index}@example.test` }));
    }
    const first = await as(admin, 'GET', `/api/admin/users?q=${tag}&limit=2`);
    expect(first.statusCode).toBe(200);
    expect(first.json().items.map((u: { email: string }) => u.email)).toEqual([
      `${tag}-0@example.test`,
      `${tag}-1@example.test`,
    ]);
    const second = await as(
      admin,
      'GET',
      `/api/admin/users?q=${tag}&limit=2&cursor=${first.json().nextCursor}`,
    );
    expect(second.json()).toMatchObject({
      items: [{ email: `${tag}-2@example.test` }],
      nextCursor: null,
    });

    const target = users[0] as SignedInUser;
    const bad = await as(admin, 'PUT', `/api/admin/users/${target.id}/roles`, { roles: ['root'] });
    expect(bad.statusCode).toBe(400);
    const set = await as(admin, 'PUT', `/api/admin/users/${target.id}/roles`, {
      roles: ['supervisor', 'member'],
    });
    expect(set.statusCode).toBe(200);
    expect(set.json().roles).toEqual(['supervisor', 'member']);
    const stale = await as(target, 'GET', '/api/users/me');
    expect(stale.statusCode).toBe(401);
    expect(stale.json().code).toBe('token_outdated');
    const refreshed = await app.inject({
      method: 'POST',
      url: '/api/auth/refresh',
      payload: { refreshToken: target.refreshToken },
    });
    expect(refreshed.json().user.roles).toEqual(['supervisor', 'member']);
    const fresh = await app.inject({
      method: 'GET',
      url: '/api/users/me',
      headers: { authorization: `Bearer ${refreshed.json().accessToken}` },
    });
    expect(fresh.statusCode).toBe(200);

    const demoteSelf = await as(admin, 'PUT', `/api/admin/users/${admin.id}/roles`, {
      roles: ['member'],
    });
    expect(demoteSelf.statusCode).toBe(409);

    const other = users[1] as SignedInUser;
    expect((await as(admin, 'POST', `/api/admin/users/${other.id}/disable`)).json().status).toBe(
      'disabled',
    );
    expect((await as(other, 'GET', '/api/users/me')).statusCode).toBe(401);
    expect((await as(admin, 'POST', `/api/admin/users/${other.id}/enable`)).json().status).toBe(
      'active',
    );
    const signIn = await app.inject({
      method: 'POST',
      url: '/api/auth/sign-in',
      payload: { email: other.email, password: other.password },
    });
    expect(signIn.statusCode).toBe(200);
    expect((await as(admin, 'POST', `/api/admin/users/${admin.id}/disable`)).statusCode).toBe(409);
    expect(
      (
        await as(
          admin,
          'GET',
          `/api/admin/users/${uniqueId('x').replace(/.*/, '00000000-0000-4000-8000-000000000000')}`,
        )
      ).statusCode,
    ).toBe(404);
  });

  it('read the audit log of security events, newest first, filtered by type', async () => {
    const user = await createSignedInUser(app, ctx);
    await app.inject({
      method: 'POST',
      url: '/api/auth/sign-in',
      payload: { email: user.email, password: 'wrong-password-x' },
    });
    await as(admin, 'PUT', `/api/admin/users/${user.id}/roles`, { roles: ['supervisor'] });
    const all = await as(admin, 'GET', `/api/admin/audit?userId=${user.id}`);
    expect(all.statusCode).toBe(200);
    const types = all.json().items.map((event: { type: string }) => event.type);
    expect(types.slice(0, 2)).toEqual(['roles.changed', 'sign_in.failed']);
    expect(types).toContain('sign_in.succeeded');
    const roles = await as(admin, 'GET', `/api/admin/audit?type=roles.changed&userId=${user.id}`);
    expect(roles.json().items).toEqual([
      expect.objectContaining({
        actorId: admin.id,
        details: { from: ['member'], to: ['supervisor'] },
      }),
    ]);
    const page = await as(admin, 'GET', `/api/admin/audit?userId=${user.id}&limit=1`);
    const next = await as(
      admin,
      'GET',
      `/api/admin/audit?userId=${user.id}&limit=1&cursor=${page.json().nextCursor}`,
    );
    expect(next.json().items[0].type).toBe('sign_in.failed');
  });

  it('names the people in the audit log by email, and filters by an email prefix or an id', async () => {
    const user = await createSignedInUser(app, ctx);
    await as(admin, 'PUT', `/api/admin/users/${user.id}/roles`, { roles: ['supervisor'] });
    const expected = expect.objectContaining({
      type: 'roles.changed',
      userId: user.id,
      userEmail: user.email,
      actorId: admin.id,
      actorEmail: admin.email,
    });
    const prefix = user.email.slice(0, user.email.indexOf('@')).toUpperCase();
    const byPrefix = await as(admin, 'GET', `/api/admin/audit?type=roles.changed&user=${prefix}`);
    expect(byPrefix.statusCode).toBe(200);
    expect(byPrefix.json().items).toEqual([expected]);
    const byId = await as(admin, 'GET', `/api/admin/audit?type=roles.changed&user=${user.id}`);
    expect(byId.json().items).toEqual([expected]);
    const nobody = await as(admin, 'GET', '/api/admin/audit?user=no-such-person-');
    expect(nobody.json().items).toEqual([]);
  });
});
