import { Type } from 'typebox';
import { BadRequestError } from './errors.js';

export const PageQuerySchema = Type.Object({
  limit: Type.Integer({ minimum: 1, maximum: 100, default: 20, description: 'Page size (1-100)' }),
  cursor: Type.Optional(
    Type.String({
      minLength: 1,
      maxLength: 200,
      description: 'Opaque cursor from the previous page',
    }),
  ),
});

export function pageOf<T extends Type.TSchema>(item: T) {
  return Type.Object({
    items: Type.Array(item),
    nextCursor: Type.Union([Type.String(), Type.Null()], {
      description: 'Pass as `cursor` to get the next page; null on the last page',
    }),
  });
}

/** Cursors are opaque to clients: base64url of the last row's sort key. */
export function encodeCursor(key: string): string {
  return Buffer.from(key, 'utf8').toString('base64url');
}

/** The error for a cursor this API did not issue; named like schema validation names fields. */
export function invalidCursor(): BadRequestError {
  return new BadRequestError(
    'invalid_cursor',
    'The cursor is not valid; start again from the first page.',
    [{ field: '/querystring/cursor', message: 'is not a cursor this API issued' }],
  );
}

export function decodeCursor(cursor: string): string {
  const key = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!key || encodeCursor(key) !== cursor) throw invalidCursor();
  return key;
}
