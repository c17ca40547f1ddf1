import pg from 'pg';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { migrate } from '../scripts/migrate-without-engine.js';
import { databaseUrl, migrationFiles } from './support/database.js';

const adminUrl = inject('services').adminDatabaseUrl;
const name = `hp_test_${Math.floor(Date.now() / 3600_000)}_migrate${process.pid}`;

async function query<T extends pg.QueryResultRow>(url: string, sql: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql)).rows;
  } finally {
    await client.end();
  }
}

afterAll(async () => {
  await query(adminUrl, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
});

describe('migrate without the schema engine', () => {
  it('applies every migration once, records it like prisma migrate deploy, and is idempotent; refuses edited migrations', async () => {
    await query(adminUrl, `CREATE DATABASE "${name}"`);
    const url = databaseUrl(adminUrl, name);
    const files = migrationFiles().map((file) => file.name);

    expect(await migrate(url, () => {})).toEqual(files);
    expect(await migrate(url, () => {})).toEqual([]);

    const recorded = await query<{ migration_name: string; checksum: string }>(
      url,
      'SELECT migration_name, checksum FROM "_prisma_migrations" ORDER BY migration_name',
    );
    expect(recorded.map((row) => row.migration_name)).toEqual(files);
    expect(recorded.every((row) => /^[0-9a-f]{64}$/.test(row.checksum))).toBe(true);
    const tables = await query<{ tablename: string }>(
      url,
      "SELECT tablename FROM pg_tables WHERE schemaname = 'public'",
    );
    expect(tables.map((table) => table.tablename)).toEqual(
      expect.arrayContaining(['items', 'worker_heartbeats']),
    );

    // An applied migration whose file changed afterwards stops the run.
    const [first] = migrationFiles();
    await query(
      url,
      `UPDATE "_prisma_migrations" SET checksum = repeat('0', 64) WHERE migration_name = '${first?.name}'`,
    );
    await expect(migrate(url, () => {})).rejects.toThrow(/was changed after it was applied/);
  });
});
