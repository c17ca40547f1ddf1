import { type ChildProcess, spawn } from 'node:child_process';
import { Agent, request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createServer, type Server } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { setupTestContext } from './support/context.js';

const ctx = setupTestContext();
const children: ChildProcess[] = [];
const servers: Server[] = [];

afterAll(async () => {
  for (const child of children) child.kill('SIGKILL');
  for (const server of servers) server.close();
});

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Accepts TCP connections and never answers: an SMTP server that hangs. */
async function silentServer(): Promise<number> {
  const server = createServer(() => {});
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

function startServer(env: Record<string, string>) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
    cwd: new URL('..', import.meta.url).pathname,
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, exited, output: () => output };
}

async function waitForHealth(port: number, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      if ((await fetch(`http://127.0.0.1:${port}/api/health`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('server did not become healthy');
}

describe('server process', () => {
  it('finishes in-flight requests on SIGTERM, then exits 0', async () => {
    const [port, metricsPort] = [await freePort(), await freePort()];
    const server = startServer({
      ...ctx.env,
      LOG_LEVEL: 'info',
      HOST: '127.0.0.1',
      PORT: String(port),
      METRICS_PORT: String(metricsPort),
      SMTP_URL: `smtp://127.0.0.1:${await silentServer()}`,
      READY_TIMEOUT_MS: '1500',
    });
    await waitForHealth(port);

    const metrics = await fetch(`http://127.0.0.1:${metricsPort}/metrics`);
    expect(await metrics.text()).toContain('http_request_duration_seconds');

    // /api/ready waits out the silent SMTP server, so it is still running when SIGTERM arrives.
    const inFlight = fetch(`http://127.0.0.1:${port}/api/ready`);
    await new Promise((resolve) => setTimeout(resolve, 300));
    server.child.kill('SIGTERM');

    const response = await inFlight;
    expect(response.status).toBe(503);
    const report = (await response.json()) as { checks: { smtp: { status: string } } };
    expect(report.checks.smtp.status).toBe('failing');
    expect(await server.exited).toBe(0);
    expect(server.output()).toContain('shutting down');
    await expect(fetch(`http://127.0.0.1:${port}/api/health`)).rejects.toThrow();
  });

  it('drains on SIGTERM: answers in flight with Connection: close, refuses new connections, then exits 0', async () => {
    const [port, metricsPort] = [await freePort(), await freePort()];
    const server = startServer({
      ...ctx.env,
      LOG_LEVEL: 'info',
      HOST: '127.0.0.1',
      PORT: String(port),
      METRICS_PORT: String(metricsPort),
      SMTP_URL: `smtp://127.0.0.1:${await silentServer()}`,
      READY_TIMEOUT_MS: '1500',
      SHUTDOWN_DRAIN_MS: '2000',
    });
    await waitForHealth(port);
    // One kept-alive connection, the way nginx holds its upstream connections.
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const get = (path: string) =>
      new Promise<{ status: number; connection: string | undefined; body: string }>(
        (resolve, reject) => {
          httpRequest({ host: '127.0.0.1', port, path, agent }, (response) => {
            let body = '';
            response.on('data', (chunk: Buffer) => {
              body += chunk.toString();
            });
            response.on('end', () =>
              resolve({
                status: response.statusCode ?? 0,
                connection: response.headers.connection,
                body,
              }),
            );
          })
            .on('error', reject)
            .end();
        },
      );
    expect(await get('/api/health')).toMatchObject({ status: 200, connection: 'keep-alive' });
    // /api/ready waits out the silent SMTP server on that connection while SIGTERM arrives.
    const slow = get('/api/ready');
    await new Promise((resolve) => setTimeout(resolve, 300));
    const signalled = Date.now();
    server.child.kill('SIGTERM');
    await new Promise((resolve) => setTimeout(resolve, 300));

    // A new connection is refused at once, not left unanswered, while the process still runs.
    const refused = await fetch(`http://127.0.0.1:${port}/api/health`).then(
      () => 'answered',
      (error: { cause?: { code?: string } }) => error.cause?.code,
    );
    expect(refused).toBe('ECONNREFUSED');
    expect(server.child.exitCode).toBeNull();
    // The request in flight gets its real answer (the readiness report), and its connection closes.
    const answered = await slow;
    expect(answered.connection).toBe('close');
    expect(JSON.parse(answered.body)).toHaveProperty('checks.smtp.status', 'failing');

    expect(await server.exited).toBe(0);
    // It lived out the drain, and not much longer.
    expect(Date.now() - signalled).toBeGreaterThanOrEqual(2000);
    expect(Date.now() - signalled).toBeLessThan(8000);
    expect(server.output()).toContain('"drainMs":2000');
    agent.destroy();
  });

  it('refuses to start on bad configuration, naming the variable (exit 78)', async () => {
    const server = startServer({ ...ctx.env, PORT: 'not-a-port', S3_ENDPOINT: '' });
    expect(await server.exited).toBe(78);
    expect(server.output()).toContain('PORT:');
    expect(server.output()).toContain('S3_ENDPOINT is required');
  });
});
