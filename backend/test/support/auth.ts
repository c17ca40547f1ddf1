import type { FastifyInstance } from 'fastify';
import type { Role } from '../../src/generated/prisma/client.js';
import type { TestContext } from './context.js';
import { uniqueId } from './context.js';
import { deliverPendingMail } from './mail.js';

export interface SignedInUser {
  id: string;
  email: string;
  password: string;
  accessToken: string;
  sessionId: string;
  /** The refresh token (requested in the body, as a non-browser client would). */
  refreshToken: string;
  headers: { authorization: string };
}

/** A password that passes the rules; unique so tests never share one by accident. */
export function testPassword(): string {
  return `Pw-${uniqueId('secret')}`;
}

/** Delivers pending mail, then reads the 6-digit code from the `count`-th email to `email`. */
export async function readCode(
  ctx: TestContext,
  email: string,
  options: { count?: number; subject?: string } = {},
): Promise<string> {
  await deliverPendingMail(ctx);
  const message = await ctx.mailbox.waitFor(email, options);
  const code = /\b(\d{6})\b/.exec(message.Text ?? '')?.[1];
  if (!code) throw new Error(`no 6-digit code in the email to ${email}`);
  return code;
}

/**
 * Signs a new user up and in through the real API: sign-up, then the emailed code read from the
 * real mailbox (skipped when the app auto-verifies), then sign-in. Roles other than `member` are
 * granted directly in the database, since granting them through the API needs an admin.
 */
export async function createSignedInUser(
  app: FastifyInstance,
  ctx: TestContext,
  options: { roles?: Role[]; email?: string; password?: string } = {},
): Promise<SignedInUser> {
  const email = options.email ?? `${uniqueId('user')}@example.test`;
  const password = options.password ?? testPassword();
  // A unique client address per user keeps the per-IP limits out of unrelated tests' way.
  const ip = `10.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}`;
  const headers = { 'x-forwarded-for': ip };
  const signUp = await app.inject({
    method: 'POST',
    url: '/api/auth/sign-up',
    headers,
    payload: { email, password },
  });
  if (signUp.statusCode !== 202) throw new Error(`sign-up failed: ${signUp.body}`);
  if (signUp.json().confirmation === 'email_code') {
    const code = await readCode(ctx, email);
    const confirmed = await app.inject({
      method: 'POST',
      url: '/api/auth/confirm',
      headers,
      payload: { email, code },
    });
    if (confirmed.statusCode !== 200) throw new Error(`confirm failed: ${confirmed.body}`);
  }
  const user = await ctx.deps.db.user.findUniqueOrThrow({ where: { email } });
  if (options.roles) {
    await ctx.deps.db.user.update({ where: { id: user.id }, data: { roles: options.roles } });
  }
  const signIn = await app.inject({
    method: 'POST',
    url: '/api/auth/sign-in',
    headers,
    payload: { email, password, refreshTokenIn: 'body' },
  });
  if (signIn.statusCode !== 200) throw new Error(`sign-in failed: ${signIn.body}`);
  const tokens = signIn.json() as { accessToken: string; sessionId: string; refreshToken: string };
  return {
    id: user.id,
    email,
    password,
    accessToken: tokens.accessToken,
    sessionId: tokens.sessionId,
    refreshToken: tokens.refreshToken,
    headers: { authorization: `Bearer ${tokens.accessToken}` },
  };
}
