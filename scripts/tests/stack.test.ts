import { execFile } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Client } from 'minio';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readEnvFile } from './support/env-file.js';
import { request } from './support/http.js';
import { root, sh } from './support/nginx.js';
import { expectSpaSecurityHeaders } from './support/security-headers.js';
import { forgedTokens, signAccessToken } from './support/tokens.js';

// The whole native stack (scripts/stack.sh): nginx with the rendered templates in front of two
// backend processes, the worker, Postgres, s3rver and the SMTP capture.
const stackKeys = [
  'STACK_URL',
  'STACK_STATE',
  'STACK_BUCKET',
  'STACK_DATABASE',
  'STACK_DATABASE_URL',
  'STACK_BACKEND_LOGS',
] as const;
const serviceKeys = ['S3_ENDPOINT', 'S3_ACCESS_KEY', 'S3_SECRET_KEY', 'TEST_DATABASE_URL'] as const;
const stackScript = join(root, 'scripts/stack.sh');
const execFileAsync = promisify(execFile);

/** Runs a command and answers its exit code and output, whether or not it failed. */
async function attempt(
  command: string,
  args: string[],
  options: { env?: NodeJS.ProcessEnv; input?: string; cwd?: string } = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = execFile(
      command,
      args,
      { env: options.env ?? process.env, cwd: options.cwd ?? root, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = error ? Number((error as { code?: unknown }).code ?? 1) : 0;
        resolve({ code, stdout: String(stdout), stderr: String(stderr) });
      },
    );
    child.stdin?.end(options.input ?? '');
  });
}

function parseEnv(text: string): Record<string, string> {
  return Object.fromEntries(
    text
      .split('\n')
      .filter((line) => line.includes('='))
      .map((line) => {
        const at = line.indexOf('=');
        return [line.slice(0, at), line.slice(at + 1).replace(/^"|"$/g, '')];
      }),
  );
}

async function psql(url: string, sql: string): Promise<string> {
  const { stdout } = await execFileAsync('psql', [url, '-tAc', sql]);
  return stdout.trim();
}
let stack: Record<(typeof stackKeys)[number], string>;
let services: Record<(typeof serviceKeys)[number], string>;
let startedHere = false;

function backendLogs(): string {
  return stack.STACK_BACKEND_LOGS.trim()
    .split(/\s+/)
    .map((file) => readFileSync(file, 'utf8'))
    .join('\n');
}

/** Backend logs are written asynchronously; give them a moment before asserting absence. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 300));

beforeAll(async () => {
  const running = await sh('bash', [stackScript, 'status']).then(
    () => true,
    () => false,
  );
  if (!running) {
    await sh('bash', [join(root, 'scripts/stack.sh'), 'start']);
    startedHere = true;
  }
  stack = readEnvFile(join(root, '.run/stack/stack.env'), stackKeys);
  services = readEnvFile(join(root, '.run/test-services.env'), serviceKeys);
});

afterAll(async () => {
  if (startedHere) await sh('bash', [join(root, 'scripts/stack.sh'), 'stop']);
});

describe('native stack through nginx', () => {
  it('serves the built SPA with the security headers', async () => {
    const reply = await request(`${stack.STACK_URL}/`);
    expect(reply.status).toBe(200);
    expect(reply.body).toMatch(/<div id="root">|<script type="module"/);
    expectSpaSecurityHeaders(reply.headers);
  });

  it('caches the hashed bundles for a year and index.html not at all', async () => {
    const index = await request(`${stack.STACK_URL}/index.html`);
    expect(index.headers['cache-control']).toBe('no-cache');
    const asset = /\/assets\/[^"']+\.js/.exec(index.body)?.[0];
    expect(asset, 'index.html references a hashed bundle').toBeDefined();
    const bundle = await request(`${stack.STACK_URL}${asset}`);
    expect(bundle.status).toBe(200);
    expect(bundle.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    const clientRoute = await request(`${stack.STACK_URL}/account/sessions`);
    expect(clientRoute.status).toBe(200);
    expect(clientRoute.body).toBe(index.body);
  });

  it('answers unauthenticated and forged requests with 401 at nginx; no backend logs them', async () => {
    const marker = randomUUID();
    const publicKey = readFileSync(join(stack.STACK_STATE, 'secrets/jwt_public_key.pem'), 'utf8');
    const attempts: Record<string, string | undefined> = {
      none: undefined,
      ...forgedTokens(publicKey),
    };
    const requestIds: string[] = [];
    for (const [kind, token] of Object.entries(attempts)) {
      const reply = await request(`${stack.STACK_URL}/api/items?probe=${marker}`, {
        headers: token === undefined ? {} : { authorization: `Bearer ${token}` },
      });
      expect(reply.status, kind).toBe(401);
      expect(reply.headers['content-type'], kind).toBe('application/problem+json');
      requestIds.push(String(reply.headers['x-request-id']));
    }
    await settle();
    const logs = backendLogs();
    expect(logs).not.toContain(marker);
    for (const id of requestIds) expect(logs).not.toContain(id);
  });

  it('passes a validly signed token on to a backend', async () => {
    const privateKey = readFileSync(join(stack.STACK_STATE, 'secrets/jwt_private_key.pem'), 'utf8');
    const reply = await request(`${stack.STACK_URL}/api/items?probe=${randomUUID()}`, {
      headers: { authorization: `Bearer ${signAccessToken(privateKey)}` },
    });
    // The backend decides (the token names no real session); what matters is that it was asked.
    await settle();
    expect(backendLogs()).toContain(String(reply.headers['x-request-id']));
  });

  it('proxies presigned downloads on the public origin to the S3 server and refuses PUT', async () => {
    const publicOrigin = new URL(stack.STACK_URL);
    const credentials = {
      accessKey: services.S3_ACCESS_KEY,
      secretKey: services.S3_SECRET_KEY,
      region: 'us-east-1',
      pathStyle: true,
    };
    const presigner = new Client({
      endPoint: publicOrigin.hostname,
      port: Number(publicOrigin.port),
      useSSL: true,
      ...credentials,
    });
    const internal = new URL(services.S3_ENDPOINT);
    const direct = new Client({
      endPoint: internal.hostname,
      port: Number(internal.port),
      useSSL: false,
      ...credentials,
    });
    const key = `stack-test/${randomUUID()}.bin`;
    const body = randomBytes(256 * 1024);
    // Uploads are presigned forms (the browser e2e posts one); PUT never passes the edge.
    const putUrl = await presigner.presignedPutObject(stack.STACK_BUCKET, key, 60);
    expect(new URL(putUrl).host).toBe(publicOrigin.host);
    const put = await request(putUrl, { method: 'PUT', body });
    expect(put.status).toBe(405);
    await expect(direct.statObject(stack.STACK_BUCKET, key)).rejects.toThrow();
    await direct.putObject(stack.STACK_BUCKET, key, body);
    try {
      const getUrl = await presigner.presignedGetObject(stack.STACK_BUCKET, key, 60);
      const download = await new Promise<Buffer>((resolve, reject) => {
        import('node:https').then(({ get }) =>
          get(getUrl, { rejectUnauthorized: false, agent: false }, (response) => {
            const chunks: Buffer[] = [];
            response.on('data', (chunk: Buffer) => chunks.push(chunk));
            response.on('end', () => resolve(Buffer.concat(chunks)));
          }).on('error', reject),
        );
      });
      expect(download.equals(body)).toBe(true);
    } finally {
      await direct.removeObject(stack.STACK_BUCKET, key);
    }
  });

  it('reports every process up', async () => {
    const { stdout } = await sh('bash', [join(root, 'scripts/stack.sh'), 'status']);
    for (const name of ['backend-1', 'backend-2', 'worker', 'nginx', 'cert-watch']) {
      expect(stdout).toContain(`${name} up`);
    }
    expect(stdout).toContain('healthy');
  });

  it('writes the backend and worker logs as JSON lines only', () => {
    const files = [
      ...stack.STACK_BACKEND_LOGS.trim().split(/\s+/),
      join(stack.STACK_STATE, 'worker.log'),
    ];
    for (const file of files) {
      const lines = readFileSync(file, 'utf8').split('\n').filter(Boolean);
      expect(lines.length, file).toBeGreaterThan(0);
      for (const line of lines) {
        expect(() => JSON.parse(line), `${file}: ${line}`).not.toThrow();
      }
    }
  });

  it('makes an admin with scripts/create-admin.sh against this stack, as documented', async () => {
    const email = `admin-${randomUUID()}@example.test`;
    const password = `Pw-${randomUUID()}`;
    // Only PATH and HOME: the script finds the native stack's database by itself.
    const env = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '' };
    const created = await attempt('bash', [join(root, 'scripts/create-admin.sh'), email], {
      env,
      input: `${password}\n`,
    });
    expect(created.code, created.stderr).toBe(0);
    expect(created.stdout).toContain(`Created admin account ${email}`);
    const again = await attempt('bash', [join(root, 'scripts/create-admin.sh'), email], { env });
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toContain('is already an admin');

    const signIn = await request(`${stack.STACK_URL}/api/auth/sign-in`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, password, refreshTokenIn: 'body' }),
    });
    expect(signIn.status, signIn.body).toBe(200);
    const { accessToken } = JSON.parse(signIn.body) as { accessToken: string };
    const users = await request(
      `${stack.STACK_URL}/api/admin/users?q=${encodeURIComponent(email)}`,
      {
        headers: { authorization: `Bearer ${accessToken}` },
      },
    );
    expect(users.status, users.body).toBe(200);
  });
});

describe('refused uploads through nginx', () => {
  it('answer 413 problem+json every time, never a 502 from a reset connection', async () => {
    const email = `uploader-${randomUUID()}@example.test`;
    const password = `Pw-${randomUUID()}`;
    const env = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '' };
    const created = await attempt('bash', [join(root, 'scripts/create-admin.sh'), email], {
      env,
      input: `${password}\n`,
    });
    expect(created.code, created.stderr).toBe(0);
    const signIn = await request(`${stack.STACK_URL}/api/auth/sign-in`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, password, refreshTokenIn: 'body' }),
    });
    const { accessToken } = JSON.parse(signIn.body) as { accessToken: string };
    // A 20 MiB "avatar" (limit 5 MiB): the backend refuses it while nginx is still sending.
    const boundary = `b${randomBytes(8).toString('hex')}`;
    const png = Buffer.concat([
      Buffer.from('89504e470d0a1a0a', 'hex'),
      randomBytes(20 * 1024 * 1024),
    ]);
    const body = Buffer.concat([
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="purpose"\r\n\r\navatar\r\n` +
          `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="big.png"\r\n` +
          'Content-Type: image/png\r\n\r\n',
      ),
      png,
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    const statuses: string[] = [];
    for (let i = 0; i < 6; i++) {
      const reply = await request(`${stack.STACK_URL}/api/files`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${accessToken}`,
          'content-type': `multipart/form-data; boundary=${boundary}`,
        },
        body,
      });
      statuses.push(`${reply.status} ${String(reply.headers['content-type']).split(';')[0]}`);
    }
    expect(statuses).toEqual(Array(6).fill('413 application/problem+json'));
  });
});

describe('stack instances', () => {
  it('derive database, bucket, ports and state from the checkout or STACK_NAME, the same every time', async () => {
    const env = (name?: string) => {
      const {
        STACK_NAME: _name,
        STACK_HTTP_PORT,
        STACK_HTTPS_PORT,
        STACK_BACKEND_PORTS,
        ...rest
      } = process.env;
      return name ? { ...rest, STACK_NAME: name } : rest;
    };
    const own = parseEnv((await sh('bash', [stackScript, 'env'], env())).stdout);
    const ownAgain = parseEnv((await sh('bash', [stackScript, 'env'], env())).stdout);
    const first = parseEnv((await sh('bash', [stackScript, 'env'], env('alpha'))).stdout);
    const second = parseEnv((await sh('bash', [stackScript, 'env'], env('beta'))).stdout);
    expect(ownAgain).toEqual(own);
    // What start wrote is what env derives: status and stop talk to the stack start made.
    expect(own.STACK_URL).toBe(stack.STACK_URL);
    expect(own.STACK_DATABASE).toBe(stack.STACK_DATABASE);
    expect(first).toMatchObject({
      STACK_DATABASE: 'homeport_stack_alpha',
      STACK_BUCKET: 'homeport-stack-alpha',
      STACK_STATE: join(root, '.run/stack-alpha'),
    });
    const all = [own, first, second];
    for (const key of ['STACK_URL', 'STACK_DATABASE', 'STACK_BUCKET', 'STACK_STATE']) {
      expect(new Set(all.map((instance) => instance[key])).size, key).toBe(3);
    }
    const refused = await attempt('bash', [stackScript, 'env'], { env: env('Bad Name') });
    expect(refused.code).toBe(64);
  });

  it("report only their own state: another checkout's status never shows this stack", async () => {
    // Another clone on the same machine: its own copy of the script, no state of its own.
    const clone = mkdtempSync(join(tmpdir(), 'homeport-clone-'));
    try {
      mkdirSync(join(clone, 'scripts'));
      copyFileSync(stackScript, join(clone, 'scripts/stack.sh'));
      const other = await attempt('bash', [join(clone, 'scripts/stack.sh'), 'status'], {
        cwd: clone,
      });
      expect(other.code).toBe(3);
      expect(other.stdout).toContain('not started in this checkout');
      expect(other.stdout).not.toContain('healthy');
      const otherEnv = parseEnv(
        (await attempt('bash', [join(clone, 'scripts/stack.sh'), 'env'], { cwd: clone })).stdout,
      );
      expect(otherEnv.STACK_URL).not.toBe(stack.STACK_URL);
      expect(otherEnv.STACK_DATABASE).not.toBe(stack.STACK_DATABASE);
    } finally {
      rmSync(clone, { recursive: true, force: true });
    }
    // Whatever ports the environment names now, status reports the stack as started.
    const { stdout } = await sh('bash', [stackScript, 'status'], {
      ...process.env,
      STACK_HTTPS_PORT: '1',
    });
    expect(stdout).toContain(`gateway ${stack.STACK_URL} healthy`);
  });

  it('runs a second instance beside the first with its own database, bucket and ports', async () => {
    const name = `t${randomBytes(3).toString('hex')}`;
    const env: NodeJS.ProcessEnv = { ...process.env, STACK_NAME: name, STACK_SKIP_BUILD: '1' };
    for (const key of ['STACK_HTTP_PORT', 'STACK_HTTPS_PORT', 'STACK_BACKEND_PORTS']) {
      delete env[key];
    }
    const state = join(root, `.run/stack-${name}`);
    try {
      await sh('bash', [stackScript, 'start'], env);
      const second = readEnvFile(join(state, 'stack.env'), stackKeys);
      expect(second.STACK_URL).not.toBe(stack.STACK_URL);
      expect(second.STACK_DATABASE).not.toBe(stack.STACK_DATABASE);
      expect(second.STACK_BUCKET).not.toBe(stack.STACK_BUCKET);
      const both = await sh('bash', [stackScript, 'status'], env);
      expect(both.stdout).toContain(`gateway ${second.STACK_URL} healthy`);

      // A user signed up on one instance exists in its database only.
      const email = `iso-${randomUUID()}@example.test`;
      const signUp = await request(`${second.STACK_URL}/api/auth/sign-up`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email, password: `Pw-${randomUUID()}` }),
      });
      expect(signUp.status, signUp.body).toBe(202);
      const count = `SELECT count(*) FROM users WHERE email = '${email}'`;
      expect(await psql(second.STACK_DATABASE_URL, count)).toBe('1');
      expect(await psql(stack.STACK_DATABASE_URL, count)).toBe('0');
    } finally {
      await attempt('bash', [stackScript, 'stop'], { env });
      await psql(
        services.TEST_DATABASE_URL,
        `DROP DATABASE IF EXISTS homeport_stack_${name} WITH (FORCE)`,
      ).catch(() => {});
      rmSync(state, { recursive: true, force: true });
    }
    // The first instance never noticed.
    const { stdout } = await sh('bash', [stackScript, 'status']);
    expect(stdout).toContain(`gateway ${stack.STACK_URL} healthy`);
  });
});
