import { Type } from 'typebox';
import { PATTERNS } from '../../lib/patterns.js';

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
      maximum: 2147483647,
      description: 'Amount in minor units (cents)',
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
      maximum: 2147483647,
      description: 'Amount in minor units (cents)',
    }),
  },
  { additionalProperties: false },
);

export const ItemParamsSchema = Type.Object({ id: ItemIdSchema });
