import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import PgBoss from 'pg-boss';

export const MIGRATIONS_DIR = join(import.meta.dirname, '../../prisma/migrations');
const TEST_DB_PREFIX = 'hp_test_';
const STALE_TEST_DB_HOURS = 6;

export function migrationFiles(): { name: string; sql: string }[] {
  return readdirSync(MIGRATIONS_DIR, { withFileTypes: true })
    .filter(
      (entry) =>
        entry.isDirectory() && existsSync(join(MIGRATIONS_DIR, entry.name, 'migration.sql')),
    )
    .map((entry) => entry.name)
    .sort()
    .map((name) => ({
      name,
      sql: readFileSync(join(MIGRATIONS_DIR, name, 'migration.sql'), 'utf8'),
    }));
}

export function databaseUrl(adminUrl: string, database: string): string {
  const url = new URL(adminUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

async function withClient<T>(url: string, run: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await run(client);
  } finally {
    await client.end();
  }
}

/**
 * A template database with exactly the committed migration SQL applied, named by the SQL's hash,
 * so a changed migration gets a fresh template and schema drift fails the tests.
 */
export async function prepareTemplate(adminUrl: string): Promise<string> {
  const files = migrationFiles();
  const hash = createHash('sha256');
  hash.update('pgboss-schema');
  for (const file of files) hash.update(file.name).update(file.sql);
  const template = `hp_tpl_${hash.digest('hex').slice(0, 16)}`;
  await withClient(adminUrl, async (admin) => {
    // Concurrent test runs on one server build each template once.
    await admin.query('SELECT pg_advisory_lock(727001)');
    try {
      const stale = Math.floor(Date.now() / 3600_000) - STALE_TEST_DB_HOURS;
      const { rows } = await admin.query<{ datname: string }>(
        "SELECT datname FROM pg_database WHERE datname LIKE 'hp\\_test\\_%'",
      );
      for (const { datname } of rows) {
        const hour = Number(datname.slice(TEST_DB_PREFIX.length).split('_')[0]);
        if (hour < stale) await admin.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
      }
      const exists = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [template]);
      if (exists.rowCount) return;
      const building = `${template}_building`;
      await admin.query(`DROP DATABASE IF EXISTS "${building}" WITH (FORCE)`);
      await admin.query(`CREATE DATABASE "${building}"`);
      await withClient(databaseUrl(adminUrl, building), async (client) => {
        for (const file of files) {
          try {
            await client.query(file.sql);
          } catch (error) {
            throw new Error(`migration ${file.name} failed: ${(error as Error).message}`);
          }
        }
      });
      // pg-boss creates and migrates its own schema; having it in the template lets every test
      // database enqueue jobs (also inside transactions) without starting a worker.
      await withClient(databaseUrl(adminUrl, building), (client) =>
        client.query(PgBoss.getConstructionPlans('pgboss')),
      );
      await admin.query(`ALTER DATABASE "${building}" RENAME TO "${template}"`);
    } finally {
      await admin.query('SELECT pg_advisory_unlock(727001)');
    }
  });
  return template;
}

/** A fresh database cloned from the template; drop it with the returned function. */
export async function createTestDatabase(adminUrl: string, template: string) {
  const name = `${TEST_DB_PREFIX}${Math.floor(Date.now() / 3600_000)}_${randomBytes(5).toString('hex')}`;
  await withClient(adminUrl, async (admin) => {
    for (let attempt = 1; ; attempt++) {
      try {
        await admin.query(`CREATE DATABASE "${name}" TEMPLATE "${template}"`);
        return;
      } catch (error) {
        // Another clone of the same template may hold it for a moment.
        if (attempt >= 20 || !/being accessed by other users/.test((error as Error).message))
          throw error;
        await new Promise((resolve) => setTimeout(resolve, 100 * attempt));
      }
    }
  });
  return {
    name,
    url: databaseUrl(adminUrl, name),
    drop: () =>
      withClient(adminUrl, (admin) =>
        admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`),
      ),
  };
}
