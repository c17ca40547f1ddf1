import { Type } from 'typebox';
import { PATTERNS } from '../../lib/patterns.js';

/** Prices are stored as a 32-bit integer of minor units. */
export const MAX_PRICE = 2_147_483_647;

export const ItemIdSchema = Type.String({
  pattern: PATTERNS.itemId.source,
  description: 'Client-chosen id: 1-64 letters, digits, `_` or `-`',
});

export const ItemSchema = Type.Object(
  {
    id: ItemIdSchema,
    name: Type.String({ minLength: 1, maxLength: 200 }),
    price: Type.Integer({
      minimum: 0,
      maximum: MAX_PRICE,
      description: 'Amount in minor units of `currency` (won for KRW, cents for USD)',
    }),
    currency: Type.String({
      pattern: '^[A-Z]{3}$',
      description: 'ISO 4217 code; the server-wide ITEMS_CURRENCY',
    }),
    createdAt: Type.String({ format: 'date-time' }),
    updatedAt: Type.String({ format: 'date-time' }),
  },
  { $id: 'Item', title: 'Item' },
);

export const PutItemBodySchema = Type.Object(
  {
    id: ItemIdSchema,
    name: Type.String({ minLength: 1, maxLength: 200, pattern: PATTERNS.notBlank.source }),
    price: Type.Integer({
      minimum: 0,
      maximum: MAX_PRICE,
      description: 'Amount in minor units of the items currency (see GET /api/settings/items)',
    }),
  },
  { additionalProperties: false },
);

export const ItemSettingsSchema = Type.Object(
  {
    currency: Type.String({ pattern: '^[A-Z]{3}$', description: 'ISO 4217 code of every price' }),
    maxPrice: Type.Integer({ description: 'The largest price accepted, in minor units' }),
  },
  { $id: 'ItemSettings', title: 'ItemSettings' },
);

/** `If-None-Match: *` on PUT: create only, never replace (RFC 9110 §13.1.2). */
export const PutItemHeadersSchema = Type.Object({
  'if-none-match': Type.Optional(
    Type.String({
      pattern: '^\\*$',
      description: 'Send `*` to create only: 412 if the id is in use',
    }),
  ),
});

export const ItemParamsSchema = Type.Object({ id: ItemIdSchema });
