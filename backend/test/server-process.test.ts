import { type ChildProcess, spawn } from 'node:child_process';
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

  it('refuses to start on bad configuration, naming the variable (exit 78)', async () => {
    const server = startServer({ ...ctx.env, PORT: 'not-a-port', S3_ENDPOINT: '' });
    expect(await server.exited).toBe(78);
    expect(server.output()).toContain('PORT:');
    expect(server.output()).toContain('S3_ENDPOINT is required');
  });
});
