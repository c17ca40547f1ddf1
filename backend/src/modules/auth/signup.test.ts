import type { FastifyInstance } from 'fastify';
import PgBoss from 'pg-boss';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readCode, testPassword } from '../../../test/support/auth.js';
import { setupTestContext, uniqueId } from '../../../test/support/context.js';
import { deliverPendingMail } from '../../../test/support/mail.js';

const ctx = setupTestContext();
let app: FastifyInstance;
let boss: PgBoss;
const QUEUE = 'test.user-confirmed';

beforeAll(async () => {
  app = await ctx.buildApp();
  boss = new PgBoss({ connectionString: ctx.config.DATABASE_URL, schema: 'pgboss' });
  await boss.start();
  await boss.createQueue(QUEUE);
  await boss.subscribe('user.confirmed', QUEUE);
});

afterAll(async () => {
  await boss?.stop({ graceful: false, wait: true });
});

const newEmail = () => `${uniqueId('signup')}@example.test`;
const ip = () => `10.1.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}`;

/** Resend writes its code just after answering: wait until `count` emails are queued. */
async function waitForOutbox(to: string, count: number) {
  for (let attempt = 0; attempt < 250; attempt++) {
    if ((await ctx.deps.db.mailOutbox.count({ where: { to } })) >= count) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`fewer than ${count} emails queued for ${to}`);
}

function post(url: string, payload: object, clientIp = ip(), target = app) {
  return target.inject({ method: 'POST', url, payload, headers: { 'x-forwarded-for': clientIp } });
}

describe('sign-up and confirmation', () => {
  it('emails a code; confirming activates the account, creates the profile, publishes user.confirmed', async () => {
    const email = newEmail();
    const password = testPassword();
    const signUp = await post('/api/auth/sign-up', { email, password, locale: 'en' });
    expect(signUp.statusCode).toBe(202);
    expect(signUp.json()).toEqual({ confirmation: 'email_code' });
    const user = await ctx.deps.db.user.findUniqueOrThrow({ where: { email } });
    expect(user.status).toBe('pending');
    expect(user.passwordHash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);

    const early = await post('/api/auth/sign-in', { email, password });
    expect(early.statusCode).toBe(403);
    expect(early.json().code).toBe('account_not_confirmed');

    const code = await readCode(ctx, email, { subject: 'confirmation code' });
    const wrong = await post('/api/auth/confirm', {
      email,
      code: code === '000000' ? '111111' : '000000',
    });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().code).toBe('invalid_code');

    const confirmed = await post('/api/auth/confirm', { email, code });
    expect(confirmed.statusCode).toBe(200);
    const active = await ctx.deps.db.user.findUniqueOrThrow({
      where: { email },
      include: { profile: true },
    });
    expect(active.status).toBe('active');
    expect(active.roles).toEqual(['member']);
    expect(active.profile).not.toBeNull();
    const jobs = await ctx.deps.db.$queryRaw<{ data: { userId: string } }[]>`
      SELECT data FROM pgboss.job WHERE name = ${QUEUE}`;
    expect(jobs.map((job) => job.data.userId)).toContain(user.id);

    const reused = await post('/api/auth/confirm', { email, code });
    expect(reused.statusCode).toBe(400);
    expect((await post('/api/auth/sign-in', { email, password })).statusCode).toBe(200);
  });

  it('kills a code after 5 wrong tries and after 24 hours; resend issues a working one', async () => {
    const email = newEmail();
    const clientIp = ip();
    await post('/api/auth/sign-up', { email, password: testPassword() }, clientIp);
    const code = await readCode(ctx, email);
    const wrong = code === '999999' ? '888888' : '999999';
    for (let attempt = 0; attempt < 5; attempt++) {
      expect((await post('/api/auth/confirm', { email, code: wrong }, clientIp)).statusCode).toBe(
        400,
      );
    }
    expect((await post('/api/auth/confirm', { email, code }, clientIp)).statusCode).toBe(400);
    expect((await ctx.deps.db.user.findUniqueOrThrow({ where: { email } })).status).toBe('pending');

    const resend = await post('/api/auth/resend-code', { email }, clientIp);
    expect(resend.statusCode).toBe(202);
    await waitForOutbox(email, 2);
    const second = await readCode(ctx, email, { count: 2 });
    const user = await ctx.deps.db.user.findUniqueOrThrow({ where: { email } });
    await ctx.deps.db.verificationCode.updateMany({
      where: { userId: user.id, consumedAt: null },
      data: { expiresAt: new Date(Date.now() - 1000) },
    });
    expect((await post('/api/auth/confirm', { email, code: second }, clientIp)).statusCode).toBe(
      400,
    );

    await post('/api/auth/resend-code', { email }, clientIp);
    await waitForOutbox(email, 3);
    const third = await readCode(ctx, email, { count: 3 });
    expect((await post('/api/auth/confirm', { email, code: third }, clientIp)).statusCode).toBe(
      200,
    );
  });

  it('answers a taken email exactly like a new one, and sends no code for it', async () => {
    const taken = newEmail();
    await post('/api/auth/sign-up', { email: taken, password: testPassword() });
    await post('/api/auth/confirm', { email: taken, code: await readCode(ctx, taken) });
    const fresh = await post('/api/auth/sign-up', { email: newEmail(), password: testPassword() });
    const again = await post('/api/auth/sign-up', {
      email: taken.toUpperCase(),
      password: testPassword(),
    });
    expect(again.statusCode).toBe(fresh.statusCode);
    expect(again.body).toBe(fresh.body);
    expect(again.headers['content-type']).toBe(fresh.headers['content-type']);
    await deliverPendingMail(ctx);
    expect(await ctx.mailbox.messagesTo(taken)).toHaveLength(1);

    const other = await ctx.buildApp();
    const resendUnknown = await post('/api/auth/resend-code', { email: newEmail() }, ip(), other);
    const resendActive = await post('/api/auth/resend-code', { email: taken }, ip(), other);
    expect(resendUnknown.statusCode).toBe(202);
    expect(resendActive.body).toBe(resendUnknown.body);
    await other.close(); // waits for the work started after the answers
    expect(await ctx.deps.db.mailOutbox.count({ where: { to: taken } })).toBe(1);
  });

  it('refuses weak passwords and extra fields such as roles, creating nothing', async () => {
    const email = newEmail();
    const cases = [
      { body: { email, password: 'short-pw1' }, field: '/body/password' },
      { body: { email, password: 'Password123' }, field: '/body/password' },
      { body: { email, password: 'x'.repeat(129) }, field: '/body/password' },
      { body: { email, password: testPassword(), roles: ['admin'] }, field: '/body/roles' },
      { body: { email, password: testPassword(), status: 'active' }, field: '/body/status' },
      { body: { email: 'not-an-email', password: testPassword() }, field: '/body/email' },
    ];
    for (const { body, field } of cases) {
      const response = await post('/api/auth/sign-up', body);
      expect(response.statusCode, JSON.stringify(body)).toBe(400);
      expect(response.json().errors.map((e: { field: string }) => e.field)).toContain(field);
    }
    const badEmail = await post('/api/auth/sign-up', {
      email: 'not-an-email',
      password: testPassword(),
    });
    expect(badEmail.json().errors).toContainEqual({
      field: '/body/email',
      message: 'must be an email address',
    });
    expect(await ctx.deps.db.user.count({ where: { email } })).toBe(0);
  });

  it('with AUTH_AUTO_VERIFY skips the code, and ADMIN_EMAIL becomes admin', async () => {
    const adminEmail = newEmail();
    const autoApp = await ctx.buildApp({ AUTH_AUTO_VERIFY: 'true', ADMIN_EMAIL: adminEmail });
    const signUp = await post(
      '/api/auth/sign-up',
      { email: adminEmail, password: testPassword() },
      ip(),
      autoApp,
    );
    expect(signUp.json()).toEqual({ confirmation: 'none' });
    const admin = await ctx.deps.db.user.findUniqueOrThrow({
      where: { email: adminEmail },
      include: { profile: true },
    });
    expect(admin.status).toBe('active');
    expect(admin.roles.sort()).toEqual(['admin', 'member']);
    expect(admin.profile).not.toBeNull();

    const other = newEmail();
    await post('/api/auth/sign-up', { email: other, password: testPassword() }, ip(), autoApp);
    expect((await ctx.deps.db.user.findUniqueOrThrow({ where: { email: other } })).roles).toEqual([
      'member',
    ]);
  });
});
