import { beforeAll, describe, expect, it } from 'vitest';
import { testPassword } from '../../../test/support/auth.js';
import { setupTestContext, uniqueId } from '../../../test/support/context.js';
import { createEventPublisher, type EventPublisher } from '../auth/events.js';
import { createAdmin } from './bootstrap.js';

const ctx = setupTestContext();
let events: EventPublisher;

beforeAll(() => {
  events = createEventPublisher({ connectionString: ctx.config.DATABASE_URL });
});

describe('create-admin', () => {
  it('creates an active admin with a profile, and refuses a missing or weak password', async () => {
    const email = `${uniqueId('admin')}@example.test`;
    const deps = { db: ctx.deps.db, events };
    await expect(createAdmin(deps, email, undefined)).rejects.toThrow();
    await expect(createAdmin(deps, email, 'password123')).rejects.toThrow();
    expect(await ctx.deps.db.user.count({ where: { email } })).toBe(0);

    expect(await createAdmin(deps, email.toUpperCase(), testPassword())).toBe('created');
    const user = await ctx.deps.db.user.findUniqueOrThrow({
      where: { email },
      include: { profile: true },
    });
    expect(user).toMatchObject({ status: 'active' });
    expect(user.roles.sort()).toEqual(['admin', 'member']);
    expect(user.profile).not.toBeNull();
    expect(await createAdmin(deps, email, undefined)).toBe('already_admin');
  });

  it('promotes an existing member without touching the password', async () => {
    const app = await ctx.buildApp({ AUTH_AUTO_VERIFY: 'true' });
    const email = `${uniqueId('member')}@example.test`;
    await app.inject({
      method: 'POST',
      url: '/api/auth/sign-up',
      payload: { email, password: testPassword() },
    });
    const before = await ctx.deps.db.user.findUniqueOrThrow({ where: { email } });
    expect(await createAdmin({ db: ctx.deps.db, events }, email, undefined)).toBe('promoted');
    const after = await ctx.deps.db.user.findUniqueOrThrow({ where: { email } });
    expect(after.roles).toContain('admin');
    expect(after.passwordHash).toBe(before.passwordHash);
    expect(after.rolesChangedAt).not.toBeNull();
  });
});
