import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from '../generated/prisma/client.js';

export type Database = PrismaClient;

export interface DatabaseOptions {
  url: string;
  poolSize: number;
  /** How long a query waits for a pooled connection before failing (and the route answers 503). */
  connectionTimeoutMs?: number;
}

/** Prisma 7 over node-postgres (driver adapter); one pool per process. */
export function createDatabase({
  url,
  poolSize,
  connectionTimeoutMs = 5000,
}: DatabaseOptions): Database {
  const adapter = new PrismaPg({
    connectionString: url,
    max: poolSize,
    connectionTimeoutMillis: connectionTimeoutMs,
    idleTimeoutMillis: 30_000,
  });
  return new PrismaClient({ adapter });
}
