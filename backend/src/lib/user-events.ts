import type { Prisma } from '../generated/prisma/client.js';

/** The channel of per-user events; a payload is `<userId> <type> <id>`. */
export const USER_EVENTS_CHANNEL = 'homeport_user_events';

type RawClient = Pick<Prisma.TransactionClient, '$queryRawUnsafe'>;

/**
 * Tells the user's open event streams, on every replica, that `type` `id` happened (say, a new
 * notification), once `tx` commits and never if it rolls back. The stream reads what it sends
 * from the table: the payload carries ids only (NOTIFY payloads are limited to 8000 bytes).
 */
export async function notifyUser(
  tx: RawClient,
  userId: string,
  type: string,
  id: string,
): Promise<void> {
  await tx.$queryRawUnsafe(
    'SELECT pg_notify($1, $2)::text AS sent',
    USER_EVENTS_CHANNEL,
    `${userId} ${type} ${id}`,
  );
}

/** Reads a payload written by `notifyUser`; null for anything else. */
export function parseUserEvent(
  payload: string,
): { userId: string; type: string; id: string } | null {
  const [userId, type, id, ...rest] = payload.split(' ');
  if (!userId || !type || !id || rest.length > 0) return null;
  return { userId, type, id };
}
