import type { Database } from '../../db/client.js';
import { NotFoundError } from '../../lib/errors.js';
import { decodeCursor, encodeCursor } from '../../lib/pagination.js';
import { normaliseAddress } from './suppression.js';

export interface SuppressionView {
  email: string;
  reason: 'bounce' | 'complaint' | 'smtp_rejection';
  detail: string | null;
  createdAt: string;
}

/** What admins see of the suppression list, and how they take an address off it. */
export function createSuppressionsService({ db }: { db: Database }) {
  return {
    /** Ordered by address (the key), so pages stay stable while entries come and go. */
    async list({
      limit,
      cursor,
      search,
    }: {
      limit: number;
      cursor?: string | undefined;
      search?: string | undefined;
    }) {
      const after = cursor ? decodeCursor(cursor) : undefined;
      const rows = await db.mailSuppression.findMany({
        where: {
          ...(after ? { email: { gt: after } } : {}),
          ...(search ? { AND: [{ email: { contains: normaliseAddress(search) } }] } : {}),
        },
        orderBy: { email: 'asc' },
        take: limit + 1,
      });
      const page = rows.slice(0, limit);
      const last = page.at(-1);
      return {
        items: page.map(
          (row): SuppressionView => ({
            email: row.email,
            reason: row.reason,
            detail: row.detail,
            createdAt: row.createdAt.toISOString(),
          }),
        ),
        nextCursor: rows.length > limit && last ? encodeCursor(last.email) : null,
      };
    },

    /** Lets mail reach the address again; 404 when it was not listed. */
    async remove(email: string): Promise<void> {
      const { count } = await db.mailSuppression.deleteMany({
        where: { email: normaliseAddress(email) },
      });
      if (count === 0) throw new NotFoundError('Suppressed address', 'suppression_not_found');
    },
  };
}

export type SuppressionsService = ReturnType<typeof createSuppressionsService>;
