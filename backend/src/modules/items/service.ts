import type { Database } from '../../db/client.js';
import { Prisma } from '../../generated/prisma/client.js';
import { NotFoundError } from '../../lib/errors.js';
import { decodeCursor, encodeCursor } from '../../lib/pagination.js';

export interface ItemInput {
  id: string;
  name: string;
  price: number;
}

export interface ItemView extends ItemInput {
  createdAt: string;
  updatedAt: string;
}

function toView(item: {
  id: string;
  name: string;
  price: number;
  createdAt: Date;
  updatedAt: Date;
}): ItemView {
  return {
    id: item.id,
    name: item.name,
    price: item.price,
    createdAt: item.createdAt.toISOString(),
    updatedAt: item.updatedAt.toISOString(),
  };
}

export function createItemsService({ db }: { db: Database }) {
  return {
    /** The owner's items ordered by id, unique per owner, so pages are stable while rows change. */
    async list(ownerId: string, { limit, cursor }: { limit: number; cursor?: string | undefined }) {
      const after = cursor ? decodeCursor(cursor) : undefined;
      const rows = await db.item.findMany({
        where: after ? { ownerId, id: { gt: after } } : { ownerId },
        orderBy: { id: 'asc' },
        take: limit + 1,
      });
      const page = rows.slice(0, limit);
      const last = page.at(-1);
      return {
        items: page.map(toView),
        nextCursor: rows.length > limit && last ? encodeCursor(last.id) : null,
      };
    },

    /** Another owner's item is indistinguishable from a missing one. */
    async get(ownerId: string, id: string): Promise<ItemView> {
      const item = await db.item.findUnique({ where: { ownerId_id: { ownerId, id } } });
      if (!item) throw new NotFoundError('Item');
      return toView(item);
    },

    /** Creates the item, or replaces every field of an existing one. */
    async put(ownerId: string, input: ItemInput): Promise<{ item: ItemView; created: boolean }> {
      try {
        return {
          item: toView(await db.item.create({ data: { ...input, ownerId } })),
          created: true,
        };
      } catch (error) {
        if (!(error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002'))
          throw error;
      }
      const item = await db.item.update({
        where: { ownerId_id: { ownerId, id: input.id } },
        data: { name: input.name, price: input.price },
      });
      return { item: toView(item), created: false };
    },

    /** Idempotent: deleting a missing item succeeds too. Returns whether a row was removed. */
    async remove(ownerId: string, id: string): Promise<boolean> {
      const { count } = await db.item.deleteMany({ where: { ownerId, id } });
      return count === 1;
    },
  };
}

export type ItemsService = ReturnType<typeof createItemsService>;
