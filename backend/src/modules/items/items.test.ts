import type { FastifyInstance } from 'fastify';
import { beforeAll, describe, expect, it } from 'vitest';
import { createSignedInUser, type SignedInUser } from '../../../test/support/auth.js';
import { setupTestContext, uniqueId } from '../../../test/support/context.js';

const ctx = setupTestContext();
let app: FastifyInstance;
let owner: SignedInUser;

beforeAll(async () => {
  app = await ctx.buildApp({ AUTH_AUTO_VERIFY: 'true' });
  owner = await createSignedInUser(app, ctx);
});

function put(body: unknown, as: SignedInUser = owner) {
  return app.inject({
    method: 'PUT',
    url: '/api/items',
    payload: body as object,
    headers: as.headers,
  });
}

function get(url: string, as: SignedInUser = owner) {
  return app.inject({ method: 'GET', url, headers: as.headers });
}

describe('items API', () => {
  it('creates with 201, replaces with 200, and reads back', async () => {
    const id = uniqueId('item');
    const created = await put({ id, name: 'Lamp', price: 1999 });
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({ id, name: 'Lamp', price: 1999 });

    const replaced = await put({ id, name: 'Desk lamp', price: 2499 });
    expect(replaced.statusCode).toBe(200);
    expect(replaced.json()).toMatchObject({ id, name: 'Desk lamp', price: 2499 });

    const read = await get(`/api/items/${id}`);
    expect(read.statusCode).toBe(200);
    expect(read.json()).toMatchObject({ id, name: 'Desk lamp', price: 2499 });
    expect(await ctx.deps.db.item.count({ where: { id } })).toBe(1);
    expect((await ctx.deps.db.item.findFirstOrThrow({ where: { id } })).ownerId).toBe(owner.id);
  });

  it('rejects bad input with field errors and stores nothing', async () => {
    const id = uniqueId('bad');
    // Each message is the one shown next to the field in a form.
    const cases = [
      { body: { id, name: '', price: 1 }, field: '/body/name', message: 'must not be empty' },
      { body: { id, name: '   ', price: 1 }, field: '/body/name', message: 'must not be blank' },
      {
        body: { id, name: 'x'.repeat(201), price: 1 },
        field: '/body/name',
        message: 'must be at most 200 characters long',
      },
      {
        body: { id, name: 'Chair', price: -1 },
        field: '/body/price',
        message: 'must be at least 0',
      },
      {
        body: { id, name: 'Chair', price: 1.5 },
        field: '/body/price',
        message: 'must be a whole number',
      },
      {
        body: { id, name: 'Chair', price: '7' },
        field: '/body/price',
        message: 'must be a whole number',
      },
      { body: { id, name: 'Chair' }, field: '/body/price', message: 'is required' },
      {
        body: { id: 'has space', name: 'Chair', price: 1 },
        field: '/body/id',
        message: 'must be 1 to 64 letters, digits, "-" or "_"',
      },
      {
        body: { id, name: 'Chair', price: 1, owner: 'someone' },
        field: '/body/owner',
        message: 'is not a field this request accepts',
      },
      {
        body: { id, name: 'Chair', price: 1, ownerId: '00000000-0000-0000-0000-000000000000' },
        field: '/body/ownerId',
        message: 'is not a field this request accepts',
      },
    ];
    for (const { body, field, message } of cases) {
      const response = await put(body);
      expect(response.statusCode, JSON.stringify(body)).toBe(400);
      expect(response.headers['content-type']).toContain('application/problem+json');
      const problem = response.json();
      expect(problem.code).toBe('validation_failed');
      expect(problem.errors, JSON.stringify(body)).toContainEqual({ field, message });
    }
    expect(await ctx.deps.db.item.count({ where: { id } })).toBe(0);
  });

  it('answers 404 problem+json for a missing item and 204 for deleting twice', async () => {
    const missing = await get(`/api/items/${uniqueId('none')}`);
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toMatchObject({ code: 'item_not_found', status: 404 });

    const id = uniqueId('gone');
    await put({ id, name: 'Temp', price: 0 });
    for (let attempt = 0; attempt < 2; attempt++) {
      const deleted = await app.inject({
        method: 'DELETE',
        url: `/api/items/${id}`,
        headers: owner.headers,
      });
      expect(deleted.statusCode).toBe(204);
    }
    expect(await ctx.deps.db.item.count({ where: { id } })).toBe(0);
  });

  it('pages through every item exactly once in id order', async () => {
    const prefix = uniqueId('page');
    const ids = Array.from({ length: 7 }, (_, index) => `${prefix}-${index}`);
    for (const id of ids) await put({ id, name: id, price: 1 });

    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const query: string = cursor ? `?limit=3&cursor=${cursor}` : '?limit=3';
      const response = await get(`/api/items${query}`);
      expect(response.statusCode).toBe(200);
      const page = response.json() as { items: { id: string }[]; nextCursor: string | null };
      expect(page.items.length).toBeLessThanOrEqual(3);
      seen.push(...page.items.map((item) => item.id));
      cursor = page.nextCursor;
    } while (cursor);

    const mine = seen.filter((id) => id.startsWith(prefix));
    expect(mine).toEqual([...ids].sort());
    expect(new Set(seen).size).toBe(seen.length);
  });

  it('rejects a forged cursor and an out-of-range limit', async () => {
    const forged = await get('/api/items?cursor=%%%');
    expect(forged.statusCode).toBe(400);
    expect(forged.json().code).toBe('invalid_cursor');
    const tooMany = await get('/api/items?limit=1000');
    expect(tooMany.statusCode).toBe(400);
    expect(tooMany.json().errors[0].field).toBe('/querystring/limit');
  });

  it('keeps every user to their own items, and refuses requests without a token', async () => {
    const other = await createSignedInUser(app, ctx);
    const id = uniqueId('mine');
    expect((await put({ id, name: 'Mine', price: 5 })).statusCode).toBe(201);

    expect((await get(`/api/items/${id}`, other)).statusCode).toBe(404);
    const othersList = (await get('/api/items?limit=100', other)).json();
    expect(othersList.items).toEqual([]);
    // The same client-chosen id is a separate item for another user; the owner's is untouched.
    expect((await put({ id, name: 'Theirs', price: 9 }, other)).statusCode).toBe(201);
    const removed = await app.inject({
      method: 'DELETE',
      url: `/api/items/${id}`,
      headers: other.headers,
    });
    expect(removed.statusCode).toBe(204);
    expect((await get(`/api/items/${id}`)).json()).toMatchObject({ name: 'Mine', price: 5 });
    expect(await ctx.deps.db.item.count({ where: { id, ownerId: owner.id } })).toBe(1);

    const anonymous = await app.inject({ method: 'GET', url: '/api/items' });
    expect(anonymous.statusCode).toBe(401);
    expect(anonymous.json().code).toBe('missing_token');
    const anonymousPut = await app.inject({
      method: 'PUT',
      url: '/api/items',
      payload: { id: uniqueId('anon'), name: 'x', price: 1 },
    });
    expect(anonymousPut.statusCode).toBe(401);
    // Authentication comes before validation: an anonymous caller learns nothing of the schema.
    const anonymousInvalid = await app.inject({
      method: 'PUT',
      url: '/api/items',
      payload: { id: 'no spaces allowed' },
    });
    expect(anonymousInvalid.statusCode).toBe(401);
    expect(anonymousInvalid.json().code).toBe('missing_token');
  });
});

describe('create-only PUT (If-None-Match: *)', () => {
  it('creates a new item, and refuses to replace an existing one with 412 naming it', async () => {
    const id = uniqueId('once');
    const first = await app.inject({
      method: 'PUT',
      url: '/api/items',
      payload: { id, name: 'Original', price: 500 },
      headers: { ...owner.headers, 'if-none-match': '*' },
    });
    expect(first.statusCode).toBe(201);

    const second = await app.inject({
      method: 'PUT',
      url: '/api/items',
      payload: { id, name: 'Impostor', price: 1 },
      headers: { ...owner.headers, 'if-none-match': '*' },
    });
    expect(second.statusCode).toBe(412);
    expect(second.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(second.json()).toMatchObject({
      code: 'item_exists',
      status: 412,
      detail: `You already have an item with the id "${id}" ("Original"); choose another id, or edit that item.`,
    });
    // Nothing changed; a plain PUT (the edit form) still replaces.
    expect(await ctx.deps.db.item.findFirstOrThrow({ where: { id } })).toMatchObject({
      name: 'Original',
      price: 500,
    });
    expect((await put({ id, name: 'Edited', price: 2 })).statusCode).toBe(200);
  });

  it('accepts only `*` as If-None-Match', async () => {
    const response = await app.inject({
      method: 'PUT',
      url: '/api/items',
      payload: { id: uniqueId('etag'), name: 'x', price: 1 },
      headers: { ...owner.headers, 'if-none-match': '"abc"' },
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().code).toBe('validation_failed');
  });
});

describe('item currency', () => {
  it('states the currency and the largest price, and every item carries the currency', async () => {
    const settings = await get('/api/settings/items');
    expect(settings.statusCode).toBe(200);
    expect(settings.json()).toEqual({ currency: 'KRW', maxPrice: 2147483647 });
    const id = uniqueId('won');
    expect((await put({ id, name: 'Desk', price: 12000 })).json()).toMatchObject({
      price: 12000,
      currency: 'KRW',
    });
  });
});

describe('messages in the request’s language', () => {
  it('answers in Korean for Accept-Language ko, with the same codes', async () => {
    const id = uniqueId('ko');
    await put({ id, name: '책상', price: 1 });
    const refused = await app.inject({
      method: 'PUT',
      url: '/api/items',
      payload: { id, name: '다른 것', price: 1 },
      headers: {
        ...owner.headers,
        'if-none-match': '*',
        'accept-language': 'ko-KR,ko;q=0.9,en;q=0.8',
      },
    });
    expect(refused.headers['content-language']).toBe('ko');
    expect(refused.json()).toMatchObject({
      code: 'item_exists',
      title: '전제 조건 실패',
      detail: `아이디가 “${id}”인 항목(“책상”)이 이미 있어요. 다른 아이디를 쓰거나 그 항목을 수정하세요.`,
    });

    const invalid = await app.inject({
      method: 'PUT',
      url: '/api/items',
      payload: { id: 'bad id', name: '   ', price: -1, extra: true },
      headers: { ...owner.headers, 'accept-language': 'ko' },
    });
    expect(invalid.statusCode).toBe(400);
    expect(invalid.json()).toMatchObject({
      code: 'validation_failed',
      detail: '요청 내용이 올바르지 않아요.',
    });
    const messages = Object.fromEntries(
      (invalid.json().errors as { field: string; message: string }[]).map((error) => [
        error.field,
        error.message,
      ]),
    );
    expect(messages).toMatchObject({
      '/body/id': '영문자, 숫자, "-", "_"로 1~64자여야 해요',
      '/body/name': '공백만 입력할 수는 없어요',
      '/body/price': '0 이상이어야 해요',
      '/body/extra': '이 요청에서 받지 않는 필드예요',
    });

    const missing = await get(`/api/items/${uniqueId('none')}`, owner);
    expect(missing.json()).toMatchObject({ code: 'item_not_found', detail: 'Item not found.' });
  });

  it('uses the signed-in user’s profile language when the request names none', async () => {
    await ctx.deps.db.user.update({ where: { id: owner.id }, data: { locale: 'ko' } });
    try {
      const missing = await get(`/api/items/${uniqueId('none')}`);
      expect(missing.json()).toMatchObject({
        code: 'item_not_found',
        title: '찾을 수 없음',
        detail: '항목을 찾을 수 없어요.',
      });
      // Accept-Language still wins.
      const english = await app.inject({
        method: 'GET',
        url: `/api/items/${uniqueId('none')}`,
        headers: { ...owner.headers, 'accept-language': 'en-US' },
      });
      expect(english.json()).toMatchObject({ title: 'Not Found', detail: 'Item not found.' });
    } finally {
      await ctx.deps.db.user.update({ where: { id: owner.id }, data: { locale: 'en' } });
    }
  });
});
