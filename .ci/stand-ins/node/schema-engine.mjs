#!/usr/bin/env node
// Stand-in for Prisma's native schema engine, which cannot be downloaded on the machines the
// compose rehearsal runs on. It speaks the JSON-RPC subset `prisma migrate deploy` uses and
// applies the committed migration SQL in order, recording each in `_prisma_migrations` the way
// Prisma does (sha256 checksum of the file). See docs/deployment.md: what the rehearsal does not
// prove. Reached only through PRISMA_SCHEMA_ENGINE_BINARY, set in the stand-in node image.
import { createHash, randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import { createInterface } from 'node:readline';

const version = process.env.HOMEPORT_STAND_IN_ENGINE_HASH ?? '0'.repeat(40);
const args = process.argv.slice(2);
if (args.includes('--version')) {
  console.log(`schema-engine-cli ${version}`);
  process.exit(0);
}
const datasourceIndex = args.indexOf('--datasource');
const datasource = datasourceIndex >= 0 ? JSON.parse(args[datasourceIndex + 1]) : {};

// pg from the application that runs the CLI (the backend image has it).
function pgClient() {
  const require = createRequire(`${process.cwd()}/package.json`);
  const { Client } = require('pg');
  return new Client({ connectionString: datasource.url });
}

if (args.includes('cli')) {
  // `cli can-connect-to-database` and friends: a connection attempt decides.
  const client = pgClient();
  client.connect().then(
    () => client.end().then(() => process.exit(0)),
    (error) => {
      console.error(String(error));
      process.exit(1);
    },
  );
} else {
  const lines = createInterface({ input: process.stdin });
  const send = (message) =>
    process.stdout.write(`${JSON.stringify({ jsonrpc: '2.0', ...message })}\n`);
  lines.on('line', async (line) => {
    const request = JSON.parse(line);
    try {
      send({ id: request.id, result: await handle(request.method, request.params ?? {}) });
    } catch (error) {
      send({
        id: request.id,
        error: {
          code: 4466,
          message: String(error?.message ?? error),
          data: {
            is_panic: false,
            message: String(error?.message ?? error),
            meta: null,
            error_code: 'P3018',
          },
        },
      });
    }
  });
}

async function handle(method, params) {
  if (method === 'version') return version;
  if (method === 'applyMigrations') return applyMigrations(params.migrationsList);
  throw new Error(`the stand-in schema engine does not implement ${method}`);
}

async function applyMigrations(list) {
  const client = pgClient();
  await client.connect();
  try {
    await client.query(`CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
      "id" VARCHAR(36) PRIMARY KEY NOT NULL, "checksum" VARCHAR(64) NOT NULL,
      "finished_at" TIMESTAMPTZ, "migration_name" VARCHAR(255) NOT NULL, "logs" TEXT,
      "rolled_back_at" TIMESTAMPTZ, "started_at" TIMESTAMPTZ NOT NULL DEFAULT now(),
      "applied_steps_count" INTEGER NOT NULL DEFAULT 0)`);
    // One migrate at a time, as Prisma's advisory lock does.
    await client.query('SELECT pg_advisory_lock(72707369)');
    const done = new Set(
      (
        await client.query(
          'SELECT migration_name FROM "_prisma_migrations" WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL',
        )
      ).rows.map((row) => row.migration_name),
    );
    const applied = [];
    const directories = [...list.migrationDirectories].sort((a, b) => a.path.localeCompare(b.path));
    for (const directory of directories) {
      const name = directory.path.split('/').pop();
      if (done.has(name)) continue;
      const content = directory.migrationFile.content;
      const sql = typeof content === 'string' ? content : content.value;
      const id = randomUUID();
      const checksum = createHash('sha256').update(sql).digest('hex');
      await client.query(
        'INSERT INTO "_prisma_migrations" (id, checksum, migration_name) VALUES ($1, $2, $3)',
        [id, checksum, name],
      );
      await client.query('BEGIN');
      try {
        await client.query(sql);
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK');
        await client.query('UPDATE "_prisma_migrations" SET logs = $2 WHERE id = $1', [
          id,
          String(error.message),
        ]);
        throw new Error(`Migration ${name} failed: ${error.message}`);
      }
      await client.query(
        'UPDATE "_prisma_migrations" SET finished_at = now(), applied_steps_count = 1 WHERE id = $1',
        [id],
      );
      applied.push(name);
    }
    return { appliedMigrationNames: applied };
  } finally {
    await client.end();
  }
}
