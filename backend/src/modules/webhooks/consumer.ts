import { randomUUID } from 'node:crypto';
import type { Prisma } from '../../generated/prisma/client.js';
import type { FeedEntry } from '../tasks/feed.js';
import { eventOf, matchesFilter } from './events.js';

export const WEBHOOKS_CONSUMER = 'webhooks';

/**
 * The feed handler: one delivery row per (endpoint, activity row) whose board and filter match.
 * It runs inside the consumer's transaction and makes no network call; an endpoint hears only
 * of activity that happened after it was registered, so a consumer catching up on old rows
 * sends nothing stale.
 */
export async function writeDeliveries(
  tx: Prisma.TransactionClient,
  entries: FeedEntry[],
): Promise<number> {
  const boardIds = [...new Set(entries.map((entry) => entry.boardId))];
  const endpoints = await tx.webhookEndpoint.findMany({
    where: { boardId: { in: boardIds } },
    select: {
      id: true,
      boardId: true,
      eventTypes: true,
      createdAt: true,
      board: { select: { key: true } },
    },
  });
  if (endpoints.length === 0) return 0;
  const rows: Prisma.WebhookDeliveryCreateManyInput[] = [];
  for (const entry of entries) {
    for (const endpoint of endpoints) {
      if (endpoint.boardId !== entry.boardId) continue;
      if (new Date(entry.createdAt) < endpoint.createdAt) continue;
      if (!matchesFilter(endpoint.eventTypes, entry.type)) continue;
      rows.push({
        id: randomUUID(),
        endpointId: endpoint.id,
        activityId: BigInt(entry.id),
        taskId: entry.taskId,
        eventType: entry.type,
        payload: JSON.stringify(eventOf(entry, endpoint.board.key)),
      });
    }
  }
  // createMany keeps the list's order, so `seq` follows feed order.
  if (rows.length > 0) await tx.webhookDelivery.createMany({ data: rows, skipDuplicates: true });
  return rows.length;
}
