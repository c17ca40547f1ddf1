import type { FastifyInstance } from 'fastify';
import { beforeAll, describe, expect, it } from 'vitest';
import { setupTestContext, uniqueId } from '../../../test/support/context.js';
import { hashPassword } from './passwords.js';

/**
 * Timing equality between real accounts and unknown emails. Medians of many interleaved samples,
 * compared with a generous bound, so a loaded 2-core machine does not make it flaky; the defect
 * these guard against was a steady factor of about 2.
 */
const ctx = setupTestContext();
let app: FastifyInstance;
const SAMPLES = 30;
const MAX_RATIO = 1.5;
const password = 'Timing-password-2026';
let accounts: string[] = [];

beforeAll(async () => {
  app = await ctx.buildApp({ AUTH_AUTO_VERIFY: 'true' });
  const passwordHash = await hashPassword(password);
  accounts = Array.from({ length: SAMPLES + 5 }, () => `${uniqueId('timed')}@example.test`);
  await ctx.deps.db.user.createMany({
    data: accounts.map((email) => ({ email, passwordHash, status: 'active' as const })),
  });
});

let lastIp = 0;
const ip = () => {
  lastIp++;
  return `10.88.${Math.floor(lastIp / 250)}.${lastIp % 250}`;
};

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
};

async function timed(
  payload: object,
  url: string,
  expected: number,
  target = app,
): Promise<number> {
  const started = performance.now();
  const response = await target.inject({
    method: 'POST',
    url,
    headers: { 'x-forwarded-for': ip() },
    payload,
  });
  const elapsed = performance.now() - started;
  expect(response.statusCode, response.body).toBe(expected);
  return elapsed;
}

/** Lets the background work of a request finish, so it does not weigh on the next sample. */
async function settle(email: string) {
  for (let attempt = 0; attempt < 100; attempt++) {
    if ((await ctx.deps.db.mailOutbox.count({ where: { to: email } })) > 0) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('answer timing does not reveal which emails have accounts', () => {
  it('forgot-password: a real account and an unknown email take the same time', async () => {
    const known: number[] = [];
    const unknown: number[] = [];
    const forgot = (email: string) => timed({ email }, '/api/auth/forgot-password', 202);
    // Warm-up (JIT, connections, prepared statements) on both paths, not measured.
    for (const email of accounts.slice(SAMPLES)) {
      await forgot(email);
      await forgot(`${uniqueId('warm')}@example.test`);
      await settle(email);
    }
    for (let sample = 0; sample < SAMPLES; sample++) {
      const account = accounts[sample] as string;
      const nobody = `${uniqueId('nobody')}@example.test`;
      // Interleaved, alternating which goes first, so load changes hit both alike.
      if (sample % 2) {
        known.push(await forgot(account));
        unknown.push(await forgot(nobody));
      } else {
        unknown.push(await forgot(nobody));
        known.push(await forgot(account));
      }
      await settle(account);
    }
    const ratio = median(known) / median(unknown);
    const figures = `known ${median(known).toFixed(1)} ms, unknown ${median(unknown).toFixed(1)} ms`;
    expect(ratio, figures).toBeLessThan(MAX_RATIO);
    expect(ratio, figures).toBeGreaterThan(1 / MAX_RATIO);
    // Every real account got its code anyway.
    expect(
      await ctx.deps.db.mailOutbox.count({
        where: { to: { in: accounts }, template: 'password-reset-code' },
      }),
    ).toBe(accounts.length);
  });

  it('resend-code: a pending account and an unknown email take the same time', async () => {
    const passwordHash = await hashPassword(password);
    const pending = Array.from(
      { length: SAMPLES + 3 },
      () => `${uniqueId('pending')}@example.test`,
    );
    await ctx.deps.db.user.createMany({ data: pending.map((email) => ({ email, passwordHash })) });
    const known: number[] = [];
    const unknown: number[] = [];
    const confirming = await ctx.buildApp(); // codes by email, no auto-verify
    const resend = (email: string) => timed({ email }, '/api/auth/resend-code', 202, confirming);
    for (const email of pending.slice(SAMPLES)) {
      await resend(email);
      await resend(`${uniqueId('warm')}@example.test`);
      await settle(email);
    }
    for (let sample = 0; sample < SAMPLES; sample++) {
      const account = pending[sample] as string;
      const nobody = `${uniqueId('nobody')}@example.test`;
      if (sample % 2) {
        known.push(await resend(account));
        unknown.push(await resend(nobody));
      } else {
        unknown.push(await resend(nobody));
        known.push(await resend(account));
      }
      await settle(account);
    }
    const ratio = median(known) / median(unknown);
    const figures = `pending ${median(known).toFixed(1)} ms, unknown ${median(unknown).toFixed(1)} ms`;
    expect(ratio, figures).toBeLessThan(MAX_RATIO);
    expect(ratio, figures).toBeGreaterThan(1 / MAX_RATIO);
  });

  it('sign-in: an unknown email costs the same argon2 work as a wrong password', async () => {
    const known: number[] = [];
    const unknown: number[] = [];
    const signIn = (email: string) =>
      timed({ email, password: 'wrong-password-1' }, '/api/auth/sign-in', 401);
    await signIn(accounts[SAMPLES] as string);
    await signIn(`${uniqueId('warm')}@example.test`);
    for (let sample = 0; sample < SAMPLES; sample++) {
      const nobody = `${uniqueId('nobody')}@example.test`;
      if (sample % 2) {
        known.push(await signIn(accounts[sample] as string));
        unknown.push(await signIn(nobody));
      } else {
        unknown.push(await signIn(nobody));
        known.push(await signIn(accounts[sample] as string));
      }
    }
    const ratio = median(known) / median(unknown);
    const figures = `known ${median(known).toFixed(1)} ms, unknown ${median(unknown).toFixed(1)} ms`;
    expect(ratio, figures).toBeLessThan(MAX_RATIO);
    expect(ratio, figures).toBeGreaterThan(1 / MAX_RATIO);
  });
});
