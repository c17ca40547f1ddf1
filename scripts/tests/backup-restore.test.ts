import { execFile } from 'node:child_process';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Client as S3Client } from 'minio';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readEnvFile } from './support/env-file.js';
import { root, sh } from './support/nginx.js';

// Restore drill: fill a database (every migration applied, plus rows) and a bucket, back both up
// with scripts/backup.sh, restore into a fresh database and bucket with scripts/restore.sh, and
// compare every table's rows and every object's bytes.
let services: Record<
  'TEST_DATABASE_URL' | 'S3_ENDPOINT' | 'S3_ACCESS_KEY' | 'S3_SECRET_KEY',
  string
>;
let s3: S3Client;
const suffix = randomBytes(4).toString('hex');
const source = { database: `hp_drill_src_${suffix}`, bucket: `hp-drill-src-${suffix}` };
const target = { database: `hp_drill_dst_${suffix}`, bucket: `hp-drill-dst-${suffix}` };
let work: string;
const run = promisify(execFile);

function databaseUrl(name: string) {
  const url = new URL(services.TEST_DATABASE_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

async function withDatabase<T>(name: string, run: (client: pg.Client) => Promise<T>) {
  const client = new pg.Client({ connectionString: databaseUrl(name) });
  await client.connect();
  try {
    return await run(client);
  } finally {
    await client.end();
  }
}

/** Row count and a digest of every row, per table of the public and pgboss schemas. */
async function tableDigests(name: string) {
  return withDatabase(name, async (client) => {
    const { rows: tables } = await client.query<{ schema: string; table: string }>(
      `SELECT table_schema AS schema, table_name AS table FROM information_schema.tables
       WHERE table_schema IN ('public', 'pgboss') AND table_type = 'BASE TABLE'
       ORDER BY 1, 2`,
    );
    const digests: Record<string, { rows: number; digest: string }> = {};
    for (const { schema, table } of tables) {
      const { rows } = await client.query<{ rows: string; digest: string | null }>(
        `SELECT count(*) AS rows, md5(string_agg(t::text, '|' ORDER BY t::text)) AS digest
         FROM "${schema}"."${table}" t`,
      );
      digests[`${schema}.${table}`] = {
        rows: Number(rows[0]?.rows),
        digest: rows[0]?.digest ?? '',
      };
    }
    return digests;
  });
}

async function objectDigests(bucket: string) {
  const result: Record<string, string> = {};
  for await (const entry of s3.listObjectsV2(bucket, '', true)) {
    if (!entry.name) continue;
    const stream = await s3.getObject(bucket, entry.name);
    const hash = createHash('sha256');
    for await (const chunk of stream) hash.update(chunk as Buffer);
    result[entry.name] = hash.digest('hex');
  }
  return result;
}

function nativeEnv(side: { database: string; bucket: string }) {
  return {
    ...process.env,
    DATABASE_URL: databaseUrl(side.database),
    S3_ENDPOINT: services.S3_ENDPOINT,
    S3_ACCESS_KEY: services.S3_ACCESS_KEY,
    S3_SECRET_KEY: services.S3_SECRET_KEY,
    S3_BUCKET: side.bucket,
  };
}

beforeAll(async () => {
  await sh('bash', [join(root, 'scripts/test-services.sh'), 'start']);
  services = readEnvFile(join(root, '.run/test-services.env'), [
    'TEST_DATABASE_URL',
    'S3_ENDPOINT',
    'S3_ACCESS_KEY',
    'S3_SECRET_KEY',
  ]);
  const endpoint = new URL(services.S3_ENDPOINT);
  s3 = new S3Client({
    endPoint: endpoint.hostname,
    port: Number(endpoint.port),
    useSSL: false,
    accessKey: services.S3_ACCESS_KEY,
    secretKey: services.S3_SECRET_KEY,
    region: 'us-east-1',
    pathStyle: true,
  });
  work = mkdtempSync(join(tmpdir(), 'homeport-backup-test-'));
  const admin = new pg.Client({ connectionString: services.TEST_DATABASE_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${source.database}`);
  await admin.query(`CREATE DATABASE ${target.database}`);
  await admin.end();
  // Both sides get the schema the way a real install does; rows exist only in the source.
  for (const side of [source, target]) {
    await sh('npm', ['run', 'migrate:native', '-w', 'backend', '--silent'], nativeEnv(side));
  }
  await withDatabase(source.database, async (client) => {
    const now = Date.now();
    for (let minute = 0; minute < 50; minute++) {
      await client.query('INSERT INTO worker_heartbeats (tick, worker_id) VALUES ($1, $2)', [
        new Date(Math.floor(now / 60_000) * 60_000 - minute * 60_000),
        `drill-${minute}`,
      ]);
    }
    await client.query(
      'CREATE TABLE drill_rows (id uuid PRIMARY KEY, payload bytea NOT NULL, note text)',
    );
    for (let index = 0; index < 200; index++) {
      await client.query('INSERT INTO drill_rows VALUES ($1, $2, $3)', [
        randomUUID(),
        randomBytes(64 + index),
        index % 7 === 0 ? null : `row ${index} ünïcödé '"\\`,
      ]);
    }
  });
  await s3.makeBucket(source.bucket, 'us-east-1');
  for (let index = 0; index < 25; index++) {
    const key = `users/${randomUUID()}/attachments/${index}-${randomUUID()}.bin`;
    await s3.putObject(source.bucket, key, randomBytes(1000 * index + 1), undefined, {
      'Content-Type': 'application/octet-stream',
    });
  }
  await s3.putObject(source.bucket, 'public/avatars/a.png', randomBytes(5000), undefined, {
    'Content-Type': 'image/png',
  });
});

afterAll(async () => {
  if (!services) return;
  for (const bucket of [source.bucket, target.bucket]) {
    if (!(await s3.bucketExists(bucket).catch(() => false))) continue;
    const keys: string[] = [];
    for await (const entry of s3.listObjectsV2(bucket, '', true))
      if (entry.name) keys.push(entry.name);
    for (const key of keys) await s3.removeObject(bucket, key);
    await s3.removeBucket(bucket);
  }
  const admin = new pg.Client({ connectionString: services.TEST_DATABASE_URL });
  await admin.connect();
  for (const name of [source.database, target.database]) {
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  }
  await admin.end();
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('backup and restore (native)', () => {
  it('brings back every row and every object', async () => {
    const folder = join(work, 'backup-1');
    await sh('bash', [join(root, 'scripts/backup.sh'), 'native', folder], nativeEnv(source));
    await sh('bash', [join(root, 'scripts/restore.sh'), 'native', folder], nativeEnv(target));

    const before = await tableDigests(source.database);
    const after = await tableDigests(target.database);
    expect(before['public.drill_rows']?.rows).toBe(200);
    expect(before['public.worker_heartbeats']?.rows).toBe(50);
    expect(after).toEqual(before);

    const objectsBefore = await objectDigests(source.bucket);
    expect(Object.keys(objectsBefore)).toHaveLength(26);
    expect(await objectDigests(target.bucket)).toEqual(objectsBefore);
    const avatar = await s3.statObject(target.bucket, 'public/avatars/a.png');
    expect(avatar.metaData['content-type']).toBe('image/png');
  });

  it('refuses to write a backup into a folder that already holds files', async () => {
    const folder = join(work, 'backup-1');
    await expect(
      sh('bash', [join(root, 'scripts/backup.sh'), 'native', folder], nativeEnv(source)),
    ).rejects.toThrow(/not empty/);
  });

  it('refuses to restore from a folder that is not a backup, changing nothing', async () => {
    const before = await tableDigests(target.database);
    await expect(
      sh('bash', [join(root, 'scripts/restore.sh'), 'native', work], nativeEnv(target)),
    ).rejects.toThrow(/database.dump is missing/);
    expect(await tableDigests(target.database)).toEqual(before);
  });

  it.each([
    ['backup.sh', 'tape', ['backup-2']],
    ['backup.sh', 'native', []],
    ['restore.sh', 'tape', ['backup-1']],
    ['restore.sh', 'native', ['backup-1', 'extra']],
  ])(
    '%s refuses mode %s with folders %j: usage line, exit code 64, nothing touched',
    async (script, mode, names) => {
      const before = await tableDigests(target.database);
      const folders = names.map((name) => join(work, name));
      const outcome = await run('bash', [join(root, 'scripts', script), mode, ...folders], {
        env: nativeEnv(target),
        cwd: root,
      }).catch((error: { code: number; stderr: string }) => error);
      expect(outcome).toMatchObject({ code: 64 });
      expect((outcome as { stderr: string }).stderr).toContain('usage: ');
      if (script === 'backup.sh')
        for (const folder of folders) expect(existsSync(folder)).toBe(false);
      expect(await tableDigests(target.database)).toEqual(before);
    },
  );
});
