import { readFileSync } from 'node:fs';
import { defineConfig } from 'prisma/config';

// The CLI (migrate deploy) reads the same variables as the app: DATABASE_URL or DATABASE_URL_FILE.
function databaseUrl(): string {
  const file = process.env.DATABASE_URL_FILE;
  if (file) return readFileSync(file, 'utf8').trim();
  return process.env.DATABASE_URL ?? '';
}

export default defineConfig({
  schema: 'prisma/schema',
  migrations: { path: 'prisma/migrations' },
  datasource: { url: databaseUrl() },
});
