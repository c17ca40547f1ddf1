import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { beforeAll, describe, expect, it } from 'vitest';
import { createSignedInUser, type SignedInUser } from './support/auth.js';
import { setupTestContext } from './support/context.js';

// Bad input that once reached Postgres or the multipart parser and answered 500, or that the
// router answered outside the error model. Each must be a clear 4xx problem naming its field.
const ctx = setupTestContext();
let app: FastifyInstance;
let member: SignedInUser;
let admin: SignedInUser;

beforeAll(async () => {
  app = await ctx.buildApp({ AUTH_AUTO_VERIFY: 'true' });
  member = await createSignedInUser(app, ctx);
  admin = await createSignedInUser(app, ctx, { roles: ['admin'] });
});

function expectProblem(response: LightMyRequestResponse, status: number, code: string) {
  expect(response.statusCode, response.body).toBe(status);
  expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
  const body = response.json();
  expect(body.code).toBe(code);
  expect(body.status).toBe(status);
  expect(body.type).toBe(`urn:homeport:problem:${code}`);
  return body as { errors?: { field: string; message: string }[]; requestId: string };
}

describe('non-finite numbers in query strings', () => {
  const lists = [
    ['/api/items', 'member'],
    ['/api/files', 'member'],
    ['/api/admin/users', 'admin'],
    ['/api/admin/audit', 'admin'],
    ['/api/admin/mail/suppressions', 'admin'],
  ] as const;

  it('answer 400 naming limit on every list route, for 1e309, -1e309 and Infinity', async () => {
    for (const [path, who] of lists) {
      for (const limit of ['1e309', '-1e309', 'Infinity']) {
        const response = await app.inject({
          method: 'GET',
          url: `${path}?limit=${limit}`,
          headers: (who === 'admin' ? admin : member).headers,
        });
        const body = expectProblem(response, 400, 'validation_failed');
        expect(body.errors, `${path} ${limit}`).toContainEqual({
          field: '/querystring/limit',
          message: 'must be a finite number',
        });
      }
    }
  });

  it('still take a finite limit', async () => {
    const response = await app.inject({
      method: 'GET',
      url: '/api/items?limit=1e1',
      headers: member.headers,
    });
    expect(response.statusCode).toBe(200);
  });
});

describe('control characters in text', () => {
  it('are refused in displayName, item name, q and search, naming the field, changing nothing', async () => {
    const cases = [
      {
        request: {
          method: 'PATCH',
          url: '/api/users/me',
          headers: member.headers,
          payload: { displayName: 'Mina\u0000' },
        },
        field: '/body/displayName',
      },
      {
        request: {
          method: 'PUT',
          url: '/api/items',
          headers: member.headers,
          payload: { id: 'nul-item', name: 'a\u0000b', price: 1 },
        },
        field: '/body/name',
      },
      {
        request: {
          method: 'PUT',
          url: '/api/items',
          headers: member.headers,
          payload: { id: 'esc-item', name: '\u001b[31mred', price: 1 },
        },
        field: '/body/name',
      },
      {
        request: { method: 'GET', url: '/api/admin/users?q=a%00b', headers: admin.headers },
        field: '/querystring/q',
      },
      {
        request: {
          method: 'GET',
          url: '/api/admin/mail/suppressions?search=%00',
          headers: admin.headers,
        },
        field: '/querystring/search',
      },
      {
        request: {
          method: 'DELETE',
          url: '/api/admin/mail/suppressions/a%00@example.test',
          headers: admin.headers,
        },
        field: '/params/email',
      },
    ] as const;
    for (const { request, field } of cases) {
      const body = expectProblem(await app.inject(request), 400, 'validation_failed');
      expect(body.errors, request.url).toContainEqual({
        field,
        message: 'must not contain control characters',
      });
    }
    const profile = await ctx.deps.db.profile.findUnique({ where: { userId: member.id } });
    expect(profile?.displayName ?? null).toBeNull();
    expect(await ctx.deps.db.item.count({ where: { ownerId: member.id } })).toBe(0);
  });

  it('keep tabs, line breaks and every printable character', async () => {
    const response = await app.inject({
      method: 'PUT',
      url: '/api/items',
      headers: member.headers,
      payload: { id: 'text-item', name: 'Tab\there, 한국어 🙂', price: 1 },
    });
    expect(response.statusCode, response.body).toBe(201);
    expect(response.json().name).toBe('Tab\there, 한국어 🙂');
  });
});

describe('malformed multipart bodies', () => {
  const boundary = 'xYzBoundary';
  const head = (name: string, extra = '') =>
    `--${boundary}\r\nContent-Disposition: form-data; name="${name}"${extra}\r\n`;
  const cases = [
    { label: 'no boundary', type: 'multipart/form-data', body: 'purpose=avatar' },
    { label: 'empty boundary', type: 'multipart/form-data; boundary=', body: '--\r\n\r\n' },
    {
      label: 'the boundary never appears',
      type: `multipart/form-data; boundary=${boundary}`,
      body: 'not a form',
    },
    {
      label: 'a field cut off',
      type: `multipart/form-data; boundary=${boundary}`,
      body: `${head('purpose')}\r\nattach`,
    },
    {
      label: 'a file cut off',
      type: `multipart/form-data; boundary=${boundary}`,
      body: `${head('purpose')}\r\nattachment\r\n${head('file', '; filename="a.txt"')}Content-Type: text/plain\r\n\r\nhello`,
    },
  ];

  it('answer 400 malformed_multipart and store nothing', async () => {
    for (const { label, type, body } of cases) {
      const response = await app.inject({
        method: 'POST',
        url: '/api/files',
        headers: { ...member.headers, 'content-type': type },
        payload: body,
      });
      expect(response.statusCode, label).toBe(400);
      expectProblem(response, 400, 'malformed_multipart');
    }
    expect(await ctx.deps.db.storedFile.count({ where: { userId: member.id } })).toBe(0);
  });
});

describe("the router's own refusals", () => {
  it('answer an undecodable path with 400 malformed_url problem+json and a request id', async () => {
    for (const url of ['/api/items/%ff', '/api/files/%ff', '/api/admin/users/%c0', '/api/%ff']) {
      const response = await app.inject({ method: 'GET', url, headers: admin.headers });
      const body = expectProblem(response, 400, 'malformed_url');
      expect(response.headers['x-request-id']).toBe(body.requestId);
    }
  });

  it('name the field of an over-long id, and answer 414 uri_too_long past the router limit', async () => {
    const long = await app.inject({
      method: 'GET',
      url: `/api/items/${'x'.repeat(101)}`,
      headers: member.headers,
    });
    const body = expectProblem(long, 400, 'validation_failed');
    expect(body.errors?.[0]?.field).toBe('/params/id');
    const huge = await app.inject({
      method: 'DELETE',
      url: `/api/files/${'x'.repeat(1001)}`,
      headers: member.headers,
    });
    expectProblem(huge, 414, 'uri_too_long');
  });
});

describe('bodies built to make errors', () => {
  it('answer a body of thousands of unknown fields with a bounded list of field errors', async () => {
    const fields = Object.fromEntries(
      Array.from({ length: 20_000 }, (_, index) => [`f${index}`, 1]),
    );
    const response = await app.inject({
      method: 'PUT',
      url: '/api/items',
      headers: member.headers,
      payload: { id: 'many', name: 'many', price: 1, ...fields },
    });
    const body = expectProblem(response, 400, 'validation_failed');
    expect(body.errors?.length).toBeGreaterThan(0);
    expect(body.errors?.length).toBeLessThanOrEqual(50);
    expect(response.body.length).toBeLessThan(10_000);
  });

  it('answer deeply nested JSON with 400', async () => {
    const response = await app.inject({
      method: 'PUT',
      url: '/api/items',
      headers: { ...member.headers, 'content-type': 'application/json' },
      payload: `${'['.repeat(100_000)}${']'.repeat(100_000)}`,
    });
    expectProblem(response, 400, 'validation_failed');
  });
});
