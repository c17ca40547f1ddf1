import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSignedInUser } from '../../../test/support/auth.js';
import { setupTestContext } from '../../../test/support/context.js';
import { startSmtpCapture } from '../../../test/support/smtp-capture.js';
import { startTcpProxy } from '../../../test/support/tcp-proxy.js';
import { buildApp } from '../../app.js';
import { loadConfig } from '../../config.js';
import { closeDependencies, createDependencies } from '../../dependencies.js';
import { recordHeartbeat, tickOf } from '../../jobs/heartbeat.js';

const ctx = setupTestContext();

beforeAll(async () => {
  await recordHeartbeat(ctx.deps.db, 'test-worker', tickOf(new Date()));
});

describe('/api/health', () => {
  it('answers without touching any service', async () => {
    const app = await ctx.buildApp({ DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none' });
    const response = await app.inject({ method: 'GET', url: '/api/health' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ status: 'ok' });
  });
});

describe('/api/ready', () => {
  it('is ready when Postgres, S3, SMTP and the worker all answer', async () => {
    const app = await ctx.buildApp();
    const response = await app.inject({ method: 'GET', url: '/api/ready' });
    expect(response.statusCode, response.body).toBe(200);
    const body = response.json();
    expect(body.status).toBe('ready');
    for (const check of ['database', 'storage', 'smtp', 'worker']) {
      expect(body.checks[check].status).toBe('ok');
    }
  });

  it('starts without S3 and names the unreachable S3 and SMTP servers, with 503 problem+json', async () => {
    const s3 = new URL(ctx.env.S3_ENDPOINT as string);
    const proxy = await startTcpProxy(s3.hostname, Number(s3.port));
    const config = loadConfig({
      ...ctx.env,
      S3_ENDPOINT: `http://127.0.0.1:${proxy.port}`,
      SMTP_URL: 'smtp://127.0.0.1:1',
    });
    const deps = createDependencies(config);
    const app = await buildApp(config, { dependencies: deps });
    try {
      // S3 is already gone when the app starts: it still starts, and reports storage failing.
      await proxy.cut();
      await app.ready();
      const response = await app.inject({ method: 'GET', url: '/api/ready' });
      expect(response.statusCode).toBe(503);
      expect(response.headers['content-type']).toContain('application/problem+json');
      const body = response.json();
      expect(body.code).toBe('not_ready');
      expect(body.detail).toContain('storage');
      expect(body.detail).toContain('smtp');
      expect(body.detail).not.toContain('database');
      expect(body.checks.storage.status).toBe('failing');
      expect(body.checks.database.status).toBe('ok');
    } finally {
      await app.close();
      await closeDependencies(deps);
      await proxy.close();
    }
  });

  it('reports the worker stale after the configured missed beats', async () => {
    const config = loadConfig({ ...ctx.env, WORKER_STALE_AFTER_BEATS: '1' });
    const app = await buildApp(config, { dependencies: ctx.deps });
    try {
      await ctx.deps.db.workerHeartbeat.deleteMany({});
      await recordHeartbeat(ctx.deps.db, 'old-worker', tickOf(new Date(Date.now() - 5 * 60_000)));
      await ctx.deps.db.workerHeartbeat.updateMany({
        data: { recordedAt: new Date(Date.now() - 5 * 60_000) },
      });
      const response = await app.inject({ method: 'GET', url: '/api/ready' });
      expect(response.statusCode).toBe(503);
      expect(response.json().checks.worker).toMatchObject({ status: 'failing' });
      expect(response.json().checks.worker.ageSeconds).toBeGreaterThanOrEqual(290);
    } finally {
      await recordHeartbeat(ctx.deps.db, 'test-worker', tickOf(new Date()));
      await app.close();
    }
  });
});

describe('when Postgres goes away', () => {
  const proxy = { current: undefined as Awaited<ReturnType<typeof startTcpProxy>> | undefined };
  afterAll(async () => proxy.current?.close());

  it('answers 503 (not 500, no crash) and recovers when it returns', async () => {
    const target = new URL(ctx.env.DATABASE_URL as string);
    proxy.current = await startTcpProxy(target.hostname, Number(target.port || 5432));
    const proxied = new URL(target);
    proxied.host = `127.0.0.1:${proxy.current.port}`;
    const config = loadConfig({
      ...ctx.env,
      DATABASE_URL: proxied.toString(),
      READY_TIMEOUT_MS: '1000',
    });
    const deps = createDependencies(config);
    const app = await buildApp(config, { dependencies: deps });
    try {
      // Token checks need no database, so a signed-in request reaches the items query.
      const { headers } = await createSignedInUser(app, ctx);
      const listItems = () => app.inject({ method: 'GET', url: '/api/items', headers });
      expect((await listItems()).statusCode).toBe(200);

      await proxy.current.cut();
      const items = await listItems();
      expect(items.statusCode).toBe(503);
      expect(items.json()).toMatchObject({ code: 'database_unavailable' });
      expect(items.headers['retry-after']).toBeDefined();
      const ready = await app.inject({ method: 'GET', url: '/api/ready' });
      expect(ready.statusCode).toBe(503);
      expect(ready.json().detail).toContain('database');

      await proxy.current.restore();
      let recovered = 0;
      for (let attempt = 0; attempt < 50 && recovered !== 200; attempt++) {
        recovered = (await listItems()).statusCode;
        if (recovered !== 200) await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(recovered).toBe(200);
      expect((await app.inject({ method: 'GET', url: '/api/ready' })).statusCode).toBe(200);
    } finally {
      await app.close();
      await closeDependencies(deps);
    }
  });
});

describe('when SMTP goes away', () => {
  it('reports smtp failing and recovers', async () => {
    const capture = await startSmtpCapture();
    const config = loadConfig({ ...ctx.env, SMTP_URL: `smtp://127.0.0.1:${capture.smtpPort}` });
    const deps = createDependencies(config);
    const app = await buildApp(config, { dependencies: deps });
    try {
      expect((await app.inject({ method: 'GET', url: '/api/ready' })).statusCode).toBe(200);
      const port = capture.smtpPort;
      await capture.close();
      const down = await app.inject({ method: 'GET', url: '/api/ready' });
      expect(down.statusCode).toBe(503);
      expect(down.json().checks.smtp.status).toBe('failing');
      const again = await startSmtpCapture({ smtpPort: port });
      expect((await app.inject({ method: 'GET', url: '/api/ready' })).statusCode).toBe(200);
      await again.close();
    } finally {
      await app.close();
      await closeDependencies(deps);
    }
  });
});
