import { PrismaPg } from '@prisma/adapter-pg';
import { Prisma, PrismaClient } from '../generated/prisma/client.js';

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

/** A write refused by a unique constraint (Prisma P2002): another writer got there first. */
export function isUniqueViolation(error: unknown): boolean {
  return error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002';
}
