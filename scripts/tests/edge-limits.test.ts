import { randomUUID } from 'node:crypto';
import { readFileSync, rmSync } from 'node:fs';
import { Agent, request as httpsRequest } from 'node:https';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, recordingServer, request } from './support/http.js';
import { gatewayFiles, gatewayWorkspace, startGateway } from './support/nginx.js';
import { signAccessToken } from './support/tokens.js';

// Rate limits at the edge, from one client address (a class behind one NAT): each access token
// has its own budget, requests without one share the address's. Its own nginx, so no other test
// drains these budgets.
let work: string;
let base: string;
let privateKey: string;
let backend: Awaited<ReturnType<typeof recordingServer>>;
let gateway: Awaited<ReturnType<typeof startGateway>>;

beforeAll(async () => {
  work = await gatewayWorkspace('homeport-edge-limits-');
  privateKey = readFileSync(join(work, 'secrets/jwt_private_key.pem'), 'utf8');
  backend = await recordingServer();
  const [httpPort, httpsPort, storagePort] = [await freePort(), await freePort(), await freePort()];
  gateway = await startGateway({
    httpPort,
    httpsPort,
    backendServers: `server 127.0.0.1:${backend.port};`,
    storageServers: `server 127.0.0.1:${storagePort};`,
    bucket: 'homeport-edge-test',
    ...gatewayFiles(work),
  });
  base = `https://localhost:${httpsPort}`;
});

afterAll(async () => {
  await gateway?.stop();
  await backend?.close();
  if (work) rmSync(work, { recursive: true, force: true });
});

/**
 * `count` GETs at once over kept-alive connections (so they arrive faster than any budget
 * refills); the statuses, and the seconds the burst took.
 */
async function burst(
  count: number,
  path: string,
  headers: () => Record<string, string> = () => ({}),
) {
  const agent = new Agent({ keepAlive: true, maxSockets: 32, rejectUnauthorized: false });
  const started = performance.now();
  const statuses = await Promise.all(
    Array.from(
      { length: count },
      () =>
        new Promise<number>((resolve, reject) => {
          const outgoing = httpsRequest(
            `${base}${path}`,
            { agent, headers: headers() },
            (response) => {
              response.resume();
              response.on('end', () => resolve(response.statusCode ?? 0));
            },
          );
          outgoing.on('error', reject);
          outgoing.end();
        }),
    ),
  );
  agent.destroy();
  return { statuses, seconds: (performance.now() - started) / 1000 };
}

const count = (statuses: number[], status: number) =>
  statuses.filter((value) => value === status).length;

const settle = () => new Promise((resolve) => setTimeout(resolve, 3000));

describe('per-token budgets', () => {
  it('gives two users behind one address each their own budget', async () => {
    const alice = {
      authorization: `Bearer ${signAccessToken(privateKey, { claims: { sub: 'alice' } })}`,
    };
    const bob = {
      authorization: `Bearer ${signAccessToken(privateKey, { claims: { sub: 'bob' } })}`,
    };
    // Alice spends more than her budget (burst 40, 20/s) and more than one per-address budget.
    const spent = await burst(160, `/api/items?user=alice-${randomUUID()}`, () => alice);
    expect(count(spent.statuses, 429)).toBeGreaterThan(0);
    expect(count(spent.statuses, 200)).toBeLessThanOrEqual(40 + 20 * spent.seconds + 5);
    // Bob, from the same address at the same moment, is not affected.
    const bobs = await burst(30, `/api/items?user=bob-${randomUUID()}`, () => bob);
    expect(bobs.statuses).toEqual(Array(30).fill(200));
    await settle();
  });

  it('answers over-budget requests with 429 problem+json and Retry-After', async () => {
    const token = { authorization: `Bearer ${signAccessToken(privateKey)}` };
    const replies = await Promise.all(
      Array.from({ length: 80 }, () => request(`${base}/api/items`, { headers: token })),
    );
    const limited = replies.find((reply) => reply.status === 429);
    if (!limited) throw new Error('no request was limited');
    expect(limited.headers['content-type']).toBe('application/problem+json');
    expect(limited.headers['retry-after']).toBe('1');
    expect(JSON.parse(limited.body).code).toBe('rate_limited');
    await settle();
  });
});

describe('per-address limits', () => {
  it('still limits requests without a token by address', async () => {
    const { statuses, seconds } = await burst(150, '/api/health');
    expect(count(statuses, 429)).toBeGreaterThan(0);
    expect(count(statuses, 200)).toBeLessThanOrEqual(40 + 20 * seconds + 5);
    await settle();
  });

  it('keeps a ceiling per address that invented tokens cannot escape', async () => {
    // Every request a different (bogus) token, so each has a fresh token budget; the address's
    // ceiling (burst 400, 200/s) still counts them all.
    const { statuses, seconds } = await burst(1000, '/api/items', () => ({
      authorization: `Bearer e30.e30.${randomUUID().replace(/-/g, '')}`,
    }));
    expect(statuses.every((status) => status === 401 || status === 429)).toBe(true);
    expect(count(statuses, 401)).toBeLessThanOrEqual(400 + 200 * seconds + 10);
    if (seconds < 2) expect(count(statuses, 429)).toBeGreaterThan(0);
    await settle();
  });
});
