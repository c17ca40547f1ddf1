import { execFile, execFileSync } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request } from './support/http.js';

// The compose rehearsal: the unmodified docker-compose.yml of a fresh clone, built and started
// on a real Docker engine with `docker compose up -d`, then used through https://localhost the
// way a user would. Base images come from .ci/stand-ins/build.sh (no registry is reachable):
// docs/deployment.md says what that proves and what it does not.
// Needs an engine (scripts/docker-engine.sh start); skipped without one, except under CI=true,
// where a missing engine fails the run instead of silently proving nothing.
const root = join(import.meta.dirname, '../..');
const run = promisify(execFile);

function engineAnswers(): boolean {
  try {
    execFileSync('docker', ['compose', 'version'], { stdio: 'pipe', timeout: 10_000 });
    execFileSync('docker', ['info', '--format', '{{.ServerVersion}}'], {
      stdio: 'pipe',
      timeout: 10_000,
    });
    return true;
  } catch {
    return false;
  }
}

function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(true));
  });
}

const engine = engineAnswers();
const inCi = process.env.CI === 'true';
if (!engine) {
  console.warn(
    inCi
      ? 'compose rehearsal: no Docker engine answers under CI=true; .ci/run must start one'
      : 'compose rehearsal skipped: no Docker engine answers (bash scripts/docker-engine.sh start)',
  );
}

it.runIf(!engine && inCi)('runs under CI: a Docker engine answers', () => {
  expect.fail('no Docker engine answers; .ci/run starts one with scripts/docker-engine.sh start');
});

const project = `homeport-rehearsal-${process.pid}`;
const base = 'https://localhost';
let clone: string;
let work: string;
const timings: Record<string, number> = {};
// Named after every migration of the checkout, so it is the last one applied.
const upgradeMigration = `${new Date().toISOString().replace(/\D/g, '').slice(0, 14)}_rehearsal_upgrade`;
let nextBuild: Promise<void> | undefined;

// A user's shell, not the test runner's: compose interpolates ${SMTP_URL}, ${S3_BUCKET}, … from
// the environment, and the runner's holds the native test services' settings.
const userEnv: NodeJS.ProcessEnv = Object.fromEntries(
  Object.entries(process.env).filter(
    ([name]) => ['PATH', 'HOME', 'USER', 'LANG', 'TMPDIR'].includes(name) || /^DOCKER_/.test(name),
  ),
);

// The image tag the stack runs (compose's IMAGE_TAG); the upgrade moves it on.
let stackEnv: NodeJS.ProcessEnv = userEnv;

async function compose(...args: string[]): Promise<string> {
  try {
    const { stdout } = await run('docker', ['compose', '-p', project, ...args], {
      cwd: clone,
      env: stackEnv,
      maxBuffer: 64 * 1024 * 1024,
      timeout: 1_500_000,
    });
    return stdout;
  } catch (error) {
    const failure = error as { stdout?: string; stderr?: string; message: string };
    throw new Error(
      `docker compose ${args.join(' ')}: ${failure.message}\n${failure.stderr ?? ''}`,
    );
  }
}

/** A one-row query as the database owner, inside the postgres container. */
async function sql(query: string): Promise<string> {
  return (
    await compose(
      'exec',
      '-T',
      'postgres',
      'psql',
      '-U',
      'homeport',
      '-d',
      'homeport',
      '-Atc',
      query,
    )
  ).trim();
}

async function docker(...args: string[]): Promise<string> {
  const { stdout } = await run('docker', args, { maxBuffer: 16 * 1024 * 1024 });
  return stdout;
}

interface PsEntry {
  Service: string;
  State: string;
  Health: string;
  ExitCode: number;
  ID: string;
  Publishers: { URL: string; TargetPort: number; PublishedPort: number }[] | null;
}

async function ps(): Promise<PsEntry[]> {
  const text = (await compose('ps', '--all', '--format', 'json')).trim();
  if (!text) return [];
  // Compose 2.21+ prints one JSON object per line.
  return text.split('\n').map((line) => JSON.parse(line) as PsEntry);
}

const longRunning = ['postgres', 'minio', 'mailpit', 'certbot', 'backend', 'worker', 'nginx'];
const oneShots = ['secrets', 'migrate'];

/** Waits until every long-running service is healthy and every one-shot exited 0. */
async function waitHealthy(timeoutMs: number): Promise<PsEntry[]> {
  const deadline = Date.now() + timeoutMs;
  let last: PsEntry[] = [];
  while (Date.now() < deadline) {
    last = await ps();
    const failed = last.find(
      (entry) => oneShots.includes(entry.Service) && entry.State === 'exited' && entry.ExitCode,
    );
    if (failed) throw new Error(`${failed.Service} exited ${failed.ExitCode}`);
    const ready = (service: string) =>
      last.some((entry) =>
        oneShots.includes(service)
          ? entry.Service === service && entry.State === 'exited' && entry.ExitCode === 0
          : entry.Service === service && entry.Health === 'healthy',
      );
    if ([...longRunning, ...oneShots].every(ready)) return last;
    await new Promise((resolve) => setTimeout(resolve, 2000));
  }
  throw new Error(
    `not healthy in time: ${last.map((e) => `${e.Service}=${e.State}/${e.Health}`).join(' ')}`,
  );
}

async function backendLogLines(): Promise<string[]> {
  return (await compose('logs', '--no-color', '--no-log-prefix', 'backend'))
    .split('\n')
    .filter(Boolean);
}

/** Runs a short Node script inside a service's container and returns its output. */
async function nodeIn(service: string, script: string): Promise<string> {
  return compose('exec', '-T', service, 'node', '-e', script);
}

async function readCode(address: string): Promise<string> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    const found = JSON.parse(
      await nodeIn(
        'mailpit',
        `fetch('http://127.0.0.1:8025/api/v1/search?query=' + encodeURIComponent('to:${address}')).then((r) => r.text()).then((t) => process.stdout.write(t))`,
      ),
    ) as { messages: { ID: string }[] };
    const id = found.messages[0]?.ID;
    if (id) {
      const message = JSON.parse(
        await nodeIn(
          'mailpit',
          `fetch('http://127.0.0.1:8025/api/v1/message/${id}').then((r) => r.text()).then((t) => process.stdout.write(t))`,
        ),
      ) as { Text: string };
      const code = /\b(\d{6})\b/.exec(message.Text)?.[1];
      if (code) return code;
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  const outbox = await compose(
    'exec',
    '-T',
    'postgres',
    'psql',
    '-U',
    'homeport',
    '-d',
    'homeport',
    '-Atc',
    'SELECT status, attempts, last_error FROM mail_outbox ORDER BY created_at DESC LIMIT 3',
  ).catch((error: Error) => error.message);
  throw new Error(`no code mailed to ${address}; outbox: ${outbox}`);
}

function json(method: string, path: string, body?: unknown, token?: string) {
  return request(`${base}${path}`, {
    method,
    headers: {
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

describe.runIf(engine)('compose rehearsal on a real engine', () => {
  let accessToken: string;
  let refreshToken: string;
  let itemId: string;
  let uploaded: { id: string; body: string } | undefined;

  beforeAll(async () => {
    for (const port of [80, 443]) {
      if (!(await portFree(port))) {
        throw new Error(
          `port ${port} is taken on this machine; the rehearsal publishes 80 and 443`,
        );
      }
    }
    let started = Date.now();
    await run('bash', [join(root, '.ci/stand-ins/build.sh')], { timeout: 1_800_000 });
    timings.standIns = Date.now() - started;

    work = mkdtempSync(join(tmpdir(), 'homeport-rehearsal-'));
    clone = join(work, 'homeport');
    await run('git', ['clone', '--quiet', '--no-hardlinks', root, clone]);
    started = Date.now();
    await compose('build');
    timings.build = Date.now() - started;
    started = Date.now();
    await compose('up', '-d');
    await waitHealthy(600_000);
    timings.upToHealthy = Date.now() - started;
    console.log(
      `compose rehearsal: stand-ins ${timings.standIns} ms, build ${timings.build} ms, up -d to healthy ${timings.upToHealthy} ms`,
    );
    // The next release for the upgrade: the same clone plus one harmless migration, built as
    // IMAGE_TAG=next while the other checks run (the upgrade awaits it).
    const folder = join(clone, 'backend/prisma/migrations', upgradeMigration);
    mkdirSync(folder);
    writeFileSync(
      join(folder, 'migration.sql'),
      'CREATE TABLE rehearsal_upgrade (id integer PRIMARY KEY);\nINSERT INTO rehearsal_upgrade VALUES (1);\n',
    );
    nextBuild = (async () => {
      const started = Date.now();
      await run('docker', ['compose', '-p', project, 'build'], {
        cwd: clone,
        env: { ...userEnv, IMAGE_TAG: 'next' },
        maxBuffer: 64 * 1024 * 1024,
        timeout: 1_500_000,
      });
      timings.nextBuild = Date.now() - started;
    })();
    nextBuild.catch(() => undefined);
  }, 2_400_000);

  afterAll(async () => {
    if (clone) {
      const logs = await compose('logs', '--no-color', '--tail', '200').catch(() => '');
      writeFileSync(join(root, '.run/compose-rehearsal.log'), logs);
      await compose('down', '--volumes', '--remove-orphans').catch(() => undefined);
    }
    if (work) rmSync(work, { recursive: true, force: true });
  }, 300_000);

  it('brings every service up healthy; the one-shots exit 0', async () => {
    const entries = await ps();
    for (const service of longRunning) {
      expect(entries.find((entry) => entry.Service === service)?.Health, `${service} health`).toBe(
        'healthy',
      );
    }
    for (const service of oneShots) {
      expect(entries.find((entry) => entry.Service === service)?.ExitCode, service).toBe(0);
    }
  });

  it('generated every secret into the secrets volume', async () => {
    const listing = await compose('exec', '-T', 'backend', 'sh', '-c', 'wc -c /secrets/*');
    for (const name of [
      'database_url',
      'postgres_password',
      's3_access_key',
      's3_secret_key',
      'jwt_private_key.pem',
      'jwt_public_key.pem',
      'storage_webhook_secret',
      'mail_webhook_secret',
      'webhooks_encryption_key',
      'mfa_encryption_key',
    ]) {
      const line = listing.split('\n').find((entry) => entry.endsWith(`/secrets/${name}`));
      expect(line, name).toBeDefined();
      expect(Number(line?.trim().split(/\s+/)[0]), `${name} size`).toBeGreaterThan(8);
    }
  });

  it('runs no process as root in any container', async () => {
    for (const entry of (await ps()).filter((e) => e.State === 'running')) {
      const top = await docker('top', entry.ID, '-eo', 'uid,pid,comm');
      const rows = top.trim().split('\n').slice(1);
      expect(rows.length, entry.Service).toBeGreaterThan(0);
      for (const row of rows) {
        expect(row.trim().split(/\s+/)[0], `${entry.Service}: ${row}`).not.toBe('0');
      }
    }
  });

  it('publishes only 80 and 443, both on nginx', async () => {
    const published = (await ps()).flatMap((entry) =>
      (entry.Publishers ?? [])
        .filter((p) => p.PublishedPort)
        .map((p) => `${entry.Service}:${p.PublishedPort}->${p.TargetPort}`),
    );
    expect([...new Set(published)].sort()).toEqual(['nginx:443->8443', 'nginx:80->8080']);
  });

  it('gives the internal networks no route out, while the edge has one', async () => {
    for (const network of ['data', 'storage']) {
      const internal = await docker(
        'network',
        'inspect',
        '--format',
        '{{.Internal}}',
        `${project}_${network}`,
      );
      expect(internal.trim(), network).toBe('true');
    }
    const probe = `fetch('http://deb.debian.org/debian/', { signal: AbortSignal.timeout(5000) }).then(() => console.log('reached'), (e) => console.log('unreachable', e.cause?.code ?? e.name))`;
    // Postgres, MinIO, Mailpit: `data` (and `storage`) only.
    expect(await nodeIn('mailpit', probe)).toMatch(/^unreachable/);
    expect(
      await compose(
        'exec',
        '-T',
        'minio',
        'sh',
        '-c',
        'curl -s -m 5 -o /dev/null http://deb.debian.org/debian/ && echo reached || echo unreachable',
      ),
    ).toMatch(/^unreachable/);
    // The same probe can succeed: nginx is on `edge`.
    expect(
      await compose(
        'exec',
        '-T',
        'nginx',
        'sh',
        '-c',
        'wget -q -T 5 -O /dev/null http://deb.debian.org/debian/ && echo reached || echo unreachable',
      ),
    ).toMatch(/^reached/);
  });

  it('signs up with the mailed code and signs in through https://localhost', async () => {
    const email = `rehearsal-${randomUUID()}@example.com`;
    const password = `Rehearsal-${randomBytes(12).toString('base64url')}`;
    const signUp = await json('POST', '/api/auth/sign-up', { email, password, locale: 'en' });
    expect(signUp.status, signUp.body).toBe(202);
    const code = await readCode(email);
    const confirmed = await json('POST', '/api/auth/confirm', { email, code });
    expect(confirmed.status, confirmed.body).toBe(200);
    const signIn = await json('POST', '/api/auth/sign-in', {
      email,
      password,
      refreshTokenIn: 'body',
    });
    expect(signIn.status, signIn.body).toBe(200);
    ({ accessToken, refreshToken } = JSON.parse(signIn.body));
    expect(accessToken).toBeTruthy();
    expect(refreshToken).toBeTruthy();
  });

  it('creates and reads an item', async () => {
    const id = `rehearsal-${randomUUID().slice(0, 8)}`;
    itemId = id;
    const put = await json('PUT', '/api/items', { id, name: 'Rehearsed', price: 3 }, accessToken);
    expect(put.status, put.body).toBeLessThan(300);
    const read = await json('GET', `/api/items/${id}`, undefined, accessToken);
    expect(read.status, read.body).toBe(200);
    expect(JSON.parse(read.body)).toMatchObject({ id, name: 'Rehearsed', price: 3 });
  });

  it('uploads with a presigned POST and downloads through nginx', async () => {
    const pdf = Buffer.alloc(2048, 0x20);
    pdf.write('%PDF-1.7\n');
    const started = await json(
      'POST',
      '/api/files/uploads',
      {
        purpose: 'attachment',
        filename: 'rehearsal.pdf',
        contentType: 'application/pdf',
        size: pdf.length,
      },
      accessToken,
    );
    expect(started.status, started.body).toBe(201);
    const upload = JSON.parse(started.body) as {
      uploadId: string;
      url: string;
      fields: Record<string, string>;
    };
    expect(new URL(upload.url).origin).toBe(base);
    const form = new FormData();
    for (const [name, value] of Object.entries(upload.fields)) form.append(name, value);
    form.append('file', new Blob([pdf]), 'rehearsal.pdf');
    const encoded = new Response(form);
    const posted = await request(upload.url, {
      method: 'POST',
      headers: { 'content-type': encoded.headers.get('content-type') ?? '' },
      body: Buffer.from(await encoded.arrayBuffer()),
    });
    expect(posted.status, posted.body).toBeLessThan(300);
    const completed = await json(
      'POST',
      `/api/files/uploads/${upload.uploadId}/complete`,
      undefined,
      accessToken,
    );
    expect(completed.status, completed.body).toBe(200);
    const link = await json('GET', `/api/files/${upload.uploadId}`, undefined, accessToken);
    expect(link.status, link.body).toBe(200);
    const { url } = JSON.parse(link.body) as { url: string };
    expect(new URL(url).origin).toBe(base);
    const download = await request(url);
    expect(download.status, download.body).toBe(200);
    expect(download.body).toBe(pdf.toString('utf8'));
    uploaded = { id: upload.uploadId, body: download.body };
  });

  it('answers bad tokens with 401 at the gateway; the backend logs nothing', async () => {
    const before = (await backendLogLines()).length;
    const marker = randomUUID();
    for (const token of ['not-a-token', 'a.b.c', `${accessToken.slice(0, -4)}AAAA`]) {
      const reply = await json('GET', `/api/items?probe=${marker}`, undefined, token);
      expect(reply.status).toBe(401);
      expect(reply.headers['content-type']).toMatch(/application\/problem\+json/);
    }
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const after = await backendLogLines();
    expect(after.length - before, 'backend log lines').toBe(0);
    expect(after.join('\n')).not.toContain(marker);
  });

  it('does not serve /metrics from the outside', async () => {
    const reply = await request(`${base}/metrics`);
    expect(reply.status).not.toBe(200);
    expect(reply.body).not.toMatch(/process_cpu|nodejs_/);
  });

  it('keeps data, secrets and sessions across down and up -d', async () => {
    const key = await compose('exec', '-T', 'backend', 'cat', '/secrets/jwt_public_key.pem');
    await compose('down');
    const started = Date.now();
    await compose('up', '-d');
    await waitHealthy(300_000);
    timings.warmUp = Date.now() - started;
    console.log(`compose rehearsal: warm up -d to healthy ${timings.warmUp} ms`);
    expect(await compose('exec', '-T', 'backend', 'cat', '/secrets/jwt_public_key.pem')).toBe(key);
    const items = await json('GET', '/api/items', undefined, accessToken);
    expect(items.status, items.body).toBe(200);
    expect(items.body).toContain('Rehearsed');
    // The session is a database row: its refresh token still works.
    const refreshed = await json('POST', '/api/auth/refresh', { refreshToken });
    expect(refreshed.status, refreshed.body).toBe(200);
    // A refresh token is single use (reuse signs the session out): keep the new pair.
    ({ accessToken, refreshToken } = JSON.parse(refreshed.body));
    expect(accessToken).toBeTruthy();
  }, 600_000);

  it('backs up and restores the stack with scripts/backup.sh and restore.sh compose', async () => {
    const folder = join(work, 'backup');
    const scriptEnv = { ...userEnv, COMPOSE_PROJECT_NAME: project };
    const script = (name: string) =>
      run('bash', [join(clone, 'scripts', name), 'compose', folder], {
        cwd: clone,
        env: scriptEnv,
        timeout: 300_000,
      });
    await script('backup.sh');
    const later = `rehearsal-later-${randomUUID().slice(0, 8)}`;
    const put = await json(
      'PUT',
      '/api/items',
      { id: later, name: 'After', price: 1 },
      accessToken,
    );
    expect(put.status, put.body).toBeLessThan(300);
    await script('restore.sh');
    await waitHealthy(300_000);
    expect((await json('GET', `/api/items/${later}`, undefined, accessToken)).status).toBe(404);
    expect((await json('GET', `/api/items/${itemId}`, undefined, accessToken)).status).toBe(200);
    expect(uploaded).toBeDefined();
    const link = await json('GET', `/api/files/${uploaded?.id}`, undefined, accessToken);
    expect(link.status, link.body).toBe(200);
    const download = await request((JSON.parse(link.body) as { url: string }).url);
    expect(download.status).toBe(200);
    expect(download.body).toBe(uploaded?.body);
  }, 900_000);

  it('spreads requests over three backend replicas; stopping one under load fails no GET', async () => {
    await compose('up', '-d', '--scale', 'backend=3', '--no-recreate');
    const deadline = Date.now() + 180_000;
    let backends: PsEntry[] = [];
    while (Date.now() < deadline) {
      backends = (await ps()).filter((entry) => entry.Service === 'backend');
      if (backends.length === 3 && backends.every((entry) => entry.Health === 'healthy')) break;
      await new Promise((resolve) => setTimeout(resolve, 2000));
    }
    expect(backends.map((entry) => entry.Health)).toEqual(['healthy', 'healthy', 'healthy']);
    // nginx follows Docker's DNS every 5 s (`resolver … valid=5s`, `server backend:3000 resolve`).
    await new Promise((resolve) => setTimeout(resolve, 7000));
    const marker = randomUUID();
    for (let index = 0; index < 30; index++) {
      // nginx's access log names the upstream of each request; the user agent finds ours.
      const reply = await request(`${base}/api/items`, {
        headers: { authorization: `Bearer ${accessToken}`, 'user-agent': marker },
      });
      expect(reply.status).toBe(200);
    }
    const upstreams = new Set(
      (await compose('logs', '--no-color', '--no-log-prefix', 'nginx'))
        .split('\n')
        .filter((line) => line.includes(marker))
        .map((line) => /"upstreamAddress":"([^"]+)"/.exec(line)?.[1]),
    );
    expect(upstreams.size, [...upstreams].join(' ')).toBe(3);

    // Bounded loopback load: two clients sharing one token, one GET each every 120 ms (about
    // 16 requests/s, under the edge's 20/s per token), for 15 s; one replica stops after 3 s.
    // The stopping replica refuses connections for its drain (SHUTDOWN_DRAIN_MS), nginx retries
    // each refusal on another replica and marks it down (max_fails=1) until Docker's DNS no
    // longer names it: no request may fail (docs/deployment.md, "Stopping a replica").
    const statuses: number[] = [];
    const until = Date.now() + 15_000;
    const client = async () => {
      while (Date.now() < until) {
        statuses.push((await json('GET', '/api/items', undefined, accessToken)).status);
        await new Promise((resolve) => setTimeout(resolve, 120));
      }
    };
    const since = new Date().toISOString();
    const stopping = new Promise((resolve) => setTimeout(resolve, 3000)).then(() =>
      docker('stop', backends[1]?.ID ?? ''),
    );
    await Promise.all([client(), client(), stopping]);
    const errorLog = (
      await compose('logs', '--no-color', '--no-log-prefix', '--since', since, 'nginx')
    )
      .split('\n')
      .filter((line) => /\[(error|warn)\]/.test(line));
    console.log(`compose rehearsal: nginx errors while a replica stopped:\n${errorLog.join('\n')}`);
    expect(statuses.length).toBeGreaterThan(50);
    const failed = statuses.filter((status) => status !== 200);
    expect(failed, `${failed.length} of ${statuses.length} failed`).toEqual([]);
    // No request went to an address that no longer answers.
    expect(errorLog.join('\n')).not.toMatch(/no live upstreams|timed out|No route to host/);
  }, 600_000);

  it('upgrades to a new image tag: up -d runs the new migration first and keeps the data', async () => {
    await nextBuild;
    console.log(`compose rehearsal: build of the next tag ${timings.nextBuild} ms`);
    stackEnv = { ...userEnv, IMAGE_TAG: 'next' };
    const started = Date.now();
    await compose('up', '-d');
    const entries = await waitHealthy(300_000);
    timings.upgrade = Date.now() - started;
    console.log(`compose rehearsal: upgrade up -d to healthy ${timings.upgrade} ms`);
    // --scale is gone with a plain `up -d`: one replica again, every service on the new tag.
    expect(entries.filter((entry) => entry.Service === 'backend')).toHaveLength(1);
    const image = async (service: string) => {
      const id = entries.find((entry) => entry.Service === service)?.ID ?? '';
      const [name, startedAt, finishedAt] = (
        await docker(
          'inspect',
          '--format',
          '{{.Config.Image}} {{.State.StartedAt}} {{.State.FinishedAt}}',
          id,
        )
      )
        .trim()
        .split(' ');
      return {
        name,
        startedAt: Date.parse(startedAt ?? ''),
        finishedAt: Date.parse(finishedAt ?? ''),
      };
    };
    const migrate = await image('migrate');
    const backend = await image('backend');
    expect(migrate.name).toBe('homeport/backend:next');
    expect(backend.name).toBe('homeport/backend:next');
    expect((await image('nginx')).name).toBe('homeport/nginx:next');
    expect(migrate.finishedAt, 'migrate finished before the backend started').toBeLessThan(
      backend.startedAt,
    );
    expect(
      await sql(
        `SELECT count(*) FROM _prisma_migrations WHERE migration_name = '${upgradeMigration}' AND finished_at IS NOT NULL AND rolled_back_at IS NULL`,
      ),
    ).toBe('1');
    expect(await sql('SELECT id FROM rehearsal_upgrade')).toBe('1');
    // Every earlier migration is still recorded once, and the data and the session survived.
    expect(Number(await sql('SELECT count(*) FROM _prisma_migrations'))).toBe(
      readdirSync(join(clone, 'backend/prisma/migrations'), { withFileTypes: true }).filter(
        (entry) => entry.isDirectory(),
      ).length,
    );
    const read = await json('GET', `/api/items/${itemId}`, undefined, accessToken);
    expect(read.status, read.body).toBe(200);
    expect(JSON.parse(read.body)).toMatchObject({ id: itemId, name: 'Rehearsed' });
    const refreshed = await json('POST', '/api/auth/refresh', { refreshToken });
    expect(refreshed.status, refreshed.body).toBe(200);
    ({ accessToken, refreshToken } = JSON.parse(refreshed.body));
  }, 1_200_000);

  it('deploys with scripts/deploy.sh: a good tag switches behind the health gate, a broken one is rolled back', async () => {
    const stateDir = join(work, 'deploy-state');
    const deploy = async (tag: string) => {
      const started = Date.now();
      const outcome = await run('bash', [join(clone, 'scripts/deploy.sh'), tag], {
        cwd: clone,
        env: {
          ...userEnv,
          COMPOSE_PROJECT_NAME: project,
          DEPLOY_STATE_DIR: stateDir,
          DEPLOY_TIMEOUT_SECONDS: '180',
          DEPLOY_POLL_SECONDS: '2',
        },
        timeout: 900_000,
      }).then(
        ({ stderr }) => ({ code: 0, log: stderr }),
        (error: { code?: number; stderr?: string }) => ({
          code: error.code,
          log: error.stderr ?? '',
        }),
      );
      console.log(
        `compose rehearsal: deploy.sh ${tag}: exit ${outcome.code} in ${Date.now() - started} ms\n${outcome.log}`,
      );
      return outcome;
    };
    const backendImages = async () =>
      Promise.all(
        (await ps())
          .filter((entry) => ['backend', 'worker', 'nginx'].includes(entry.Service))
          .map(
            async (entry) =>
              `${entry.Service}=${(await docker('inspect', '--format', '{{.Config.Image}}', entry.ID)).trim()}`,
          ),
      ).then((list) => list.sort());

    // The access token may have expired during the long steps before: start with a fresh one.
    const refreshed = await json('POST', '/api/auth/refresh', { refreshToken });
    expect(refreshed.status, refreshed.body).toBe(200);
    ({ accessToken, refreshToken } = JSON.parse(refreshed.body));
    const postgresStarted = async () => {
      const entry = (await ps()).find((candidate) => candidate.Service === 'postgres');
      return (await docker('inspect', '--format', '{{.State.StartedAt}}', entry?.ID ?? '')).trim();
    };
    const databaseSince = await postgresStarted();

    // A good release: another tag (a rebuild of the same commit) replaces every container.
    for (const name of ['backend', 'nginx', 'certbot']) {
      await docker('tag', `homeport/${name}:next`, `homeport/${name}:good`);
    }
    const good = await deploy('good');
    expect(good.code, good.log).toBe(0);
    expect(good.log).toContain('good is deployed and healthy');
    expect(readFileSync(join(stateDir, 'current-tag'), 'utf8')).toBe('good\n');
    expect(await backendImages()).toEqual([
      'backend=homeport/backend:good',
      'nginx=homeport/nginx:good',
      'worker=homeport/backend:good',
    ]);
    expect((await json('GET', `/api/items/${itemId}`, undefined, accessToken)).status).toBe(200);

    // A broken release: the backend listens on another port, so its healthcheck never passes.
    const recipe = join(work, 'broken');
    mkdirSync(recipe);
    writeFileSync(join(recipe, 'Dockerfile'), 'FROM homeport/backend:good\nENV PORT=3001\n');
    await docker('build', '--quiet', '-t', 'homeport/backend:broken', recipe);
    for (const name of ['nginx', 'certbot']) {
      await docker('tag', `homeport/${name}:good`, `homeport/${name}:broken`);
    }
    const broken = await deploy('broken');
    expect(broken.code, broken.log).toBe(1);
    expect(broken.log).toContain('rolling back to good');
    expect(broken.log).toContain('rolled back to good, which is healthy again');
    // The recorded state never named the broken tag; the old version answers again.
    expect(readFileSync(join(stateDir, 'current-tag'), 'utf8')).toBe('good\n');
    expect(readFileSync(join(stateDir, 'history'), 'utf8')).not.toContain('broken');
    expect(await backendImages()).toEqual([
      'backend=homeport/backend:good',
      'nginx=homeport/nginx:good',
      'worker=homeport/backend:good',
    ]);
    const read = await json('GET', `/api/items/${itemId}`, undefined, accessToken);
    expect(read.status, read.body).toBe(200);
    expect((await request(`${base}/api/ready`)).status).toBe(200);
    // Neither deploy restarted the database: migrations and secrets run beside it.
    expect(await postgresStarted()).toBe(databaseSince);
  }, 1_200_000);

  it('reports the image sizes', async () => {
    const sizes = await docker(
      'image',
      'ls',
      '--format',
      '{{.Repository}}:{{.Tag}} {{.Size}}',
      '--filter',
      'reference=homeport/*',
    );
    console.log(`compose rehearsal: images\n${sizes}`);
    expect(sizes).toMatch(/homeport\/backend:local/);
    expect(sizes).toMatch(/homeport\/nginx:local/);
  });
});
