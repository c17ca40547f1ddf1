import { type Database, isUniqueViolation } from '../../db/client.js';
import { AppError, NotFoundError } from '../../lib/errors.js';
import { decodeCursor, encodeCursor } from '../../lib/pagination.js';
import { MAX_PRICE } from './schemas.js';

export interface ItemInput {
  id: string;
  name: string;
  price: number;
}

export interface ItemView extends ItemInput {
  currency: string;
  createdAt: string;
  updatedAt: string;
}

/** `If-None-Match: *` and the id is taken: the existing item is named, so the person can choose. */
export class ItemExistsError extends AppError {
  constructor(id: string, name: string) {
    super(
      412,
      'item_exists',
      `You already have an item with the id "${id}" ("${name}"); choose another id, or edit that item.`,
      { params: { id, name } },
    );
  }
}

function toView(
  item: {
    id: string;
    name: string;
    price: number;
    createdAt: Date;
    updatedAt: Date;
  },
  currency: string,
): ItemView {
  return {
    id: item.id,
    name: item.name,
    price: item.price,
    currency,
    createdAt: item.createdAt.toISOString(),
    updatedAt: item.updatedAt.toISOString(),
  };
}

export function createItemsService({ db, currency = 'KRW' }: { db: Database; currency?: string }) {
  const view = (item: Parameters<typeof toView>[0]) => toView(item, currency);
  return {
    settings() {
      return { currency, maxPrice: MAX_PRICE };
    },

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
        items: page.map(view),
        nextCursor: rows.length > limit && last ? encodeCursor(last.id) : null,
      };
    },

    /** Another owner's item is indistinguishable from a missing one. */
    async get(ownerId: string, id: string): Promise<ItemView> {
      const item = await db.item.findUnique({ where: { ownerId_id: { ownerId, id } } });
      if (!item) throw new NotFoundError('Item');
      return view(item);
    },

    /**
     * Creates the item, or replaces every field of an existing one; `createOnly` refuses to
     * replace (412 naming the existing item) and changes nothing.
     */
    async put(
      ownerId: string,
      input: ItemInput,
      { createOnly = false }: { createOnly?: boolean } = {},
    ): Promise<{ item: ItemView; created: boolean }> {
      try {
        return {
          item: view(await db.item.create({ data: { ...input, ownerId } })),
          created: true,
        };
      } catch (error) {
        if (!isUniqueViolation(error)) throw error;
      }
      if (createOnly) {
        const existing = await db.item.findUnique({
          where: { ownerId_id: { ownerId, id: input.id } },
        });
        throw new ItemExistsError(input.id, existing?.name ?? input.id);
      }
      const item = await db.item.update({
        where: { ownerId_id: { ownerId, id: input.id } },
        data: { name: input.name, price: input.price },
      });
      return { item: view(item), created: false };
    },

    /** Idempotent: deleting a missing item succeeds too. Returns whether a row was removed. */
    async remove(ownerId: string, id: string): Promise<boolean> {
      const { count } = await db.item.deleteMany({ where: { ownerId, id } });
      return count === 1;
    },
  };
}

export type ItemsService = ReturnType<typeof createItemsService>;
