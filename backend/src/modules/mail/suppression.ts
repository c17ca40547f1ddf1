import type { DatabaseClient } from './outbox.js';

export type SuppressionReason = 'bounce' | 'complaint' | 'smtp_rejection';

/** Addresses are compared case-insensitively; the list stores them lower-cased. */
export function normaliseAddress(email: string): string {
  return email.trim().toLowerCase();
}

/**
 * Puts an address on the suppression list. Idempotent: an address already listed keeps its first
 * entry. Returns whether this call added it.
 */
export async function suppressAddress(
  db: DatabaseClient,
  entry: { email: string; reason: SuppressionReason; detail?: string | null },
): Promise<boolean> {
  const { count } = await db.mailSuppression.createMany({
    data: [
      {
        email: normaliseAddress(entry.email),
        reason: entry.reason,
        detail: entry.detail ? entry.detail.slice(0, 1000) : null,
      },
    ],
    skipDuplicates: true,
  });
  return count === 1;
}

export async function isSuppressed(db: DatabaseClient, email: string): Promise<boolean> {
  const found = await db.mailSuppression.findUnique({
    where: { email: normaliseAddress(email) },
    select: { email: true },
  });
  return found !== null;
}
