/**
 * Applies pending SQL migrations (prisma/migrations/<name>/migration.sql, in name order) to
 * DATABASE_URL and records each in `_prisma_migrations` the way `prisma migrate deploy` does
 * (same table, sha256 checksum of the file), so either tool can take over from the other.
 * For machines where Prisma's schema engine cannot be downloaded (development, native stack);
 * the compose `migrate` service uses `prisma migrate deploy` itself.
 * usage: DATABASE_URL=… tsx scripts/migrate-without-engine.ts
 */
import { createHash, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import pg from 'pg';
import { migrationFiles } from '../test/support/database.js';

const MIGRATIONS_TABLE = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
  "id" VARCHAR(36) PRIMARY KEY NOT NULL,
  "checksum" VARCHAR(64) NOT NULL,
  "finished_at" TIMESTAMPTZ,
  "migration_name" VARCHAR(255) NOT NULL,
  "logs" TEXT,
  "rolled_back_at" TIMESTAMPTZ,
  "started_at" TIMESTAMPTZ NOT NULL DEFAULT now(),
  "applied_steps_count" INTEGER NOT NULL DEFAULT 0
)`;

export async function migrate(
  databaseUrl: string,
  log: (line: string) => void = console.log,
): Promise<string[]> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  const applied: string[] = [];
  try {
    await client.query('SELECT pg_advisory_lock(72707001)');
    await client.query(MIGRATIONS_TABLE);
    const { rows } = await client.query<{ migration_name: string; checksum: string }>(
      'SELECT migration_name, checksum FROM "_prisma_migrations" WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL',
    );
    const done = new Map(rows.map((row) => [row.migration_name, row.checksum]));
    for (const { name, sql } of migrationFiles()) {
      const checksum = createHash('sha256').update(sql).digest('hex');
      const recorded = done.get(name);
      if (recorded) {
        if (recorded !== checksum)
          throw new Error(`migration ${name} was changed after it was applied`);
        continue;
      }
      await client.query('BEGIN');
      try {
        await client.query(sql);
        await client.query(
          `INSERT INTO "_prisma_migrations" (id, checksum, migration_name, finished_at, applied_steps_count)
           VALUES ($1, $2, $3, now(), 1)`,
          [randomUUID(), checksum, name],
        );
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK');
        throw new Error(`migration ${name} failed: ${(error as Error).message}`);
      }
      applied.push(name);
      log(`applied ${name}`);
    }
  } finally {
    await client.end();
  }
  return applied;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const url = process.env.DATABASE_URL_FILE
    ? readFileSync(process.env.DATABASE_URL_FILE, 'utf8').trim()
    : process.env.DATABASE_URL;
  if (!url) {
    console.error('DATABASE_URL (or DATABASE_URL_FILE) is required');
    process.exit(64);
  }
  migrate(url).then(
    (applied) =>
      console.log(
        applied.length ? `${applied.length} migration(s) applied` : 'database is up to date',
      ),
    (error: unknown) => {
      console.error((error as Error).message);
      process.exit(1);
    },
  );
}
