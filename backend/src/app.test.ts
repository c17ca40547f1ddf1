import type { FastifyInstance } from 'fastify';
import { beforeAll, describe, expect, it } from 'vitest';
import { createSignedInUser, type SignedInUser } from '../test/support/auth.js';
import { setupTestContext } from '../test/support/context.js';

const ctx = setupTestContext();
let app: FastifyInstance;
// Protected routes refuse anonymous requests before reading the body, so the body errors below
// are sent by a signed-in user.
let user: SignedInUser;

beforeAll(async () => {
  app = await ctx.buildApp({ BODY_LIMIT_BYTES: '2048', AUTH_AUTO_VERIFY: 'true' });
  user = await createSignedInUser(app, ctx);
});

function expectProblem(
  response: {
    statusCode: number;
    headers: Record<string, unknown>;
    json(): Record<string, unknown> & { errors?: { field: string }[] };
  },
  status: number,
  code: string,
) {
  expect(response.statusCode).toBe(status);
  expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
  const body = response.json();
  expect(body).toMatchObject({ status, code, type: `urn:homeport:problem:${code}` });
  expect(typeof body.title).toBe('string');
  expect(typeof body.detail).toBe('string');
  expect(body.requestId).toBe(response.headers['x-request-id']);
  return body;
}

describe('HTTP errors are problem+json, never 500', () => {
  it('malformed JSON → 400 malformed_json', async () => {
    const response = await app.inject({
      method: 'PUT',
      url: '/api/items',
      headers: { ...user.headers, 'content-type': 'application/json' },
      payload: '{"id": "a", "name": ',
    });
    expectProblem(response, 400, 'malformed_json');
  });

  it('unknown route → 404 route_not_found', async () => {
    const response = await app.inject({ method: 'GET', url: '/api/nothing-here' });
    expectProblem(response, 404, 'route_not_found');
  });

  it('wrong method on a known path → 405 with Allow', async () => {
    const response = await app.inject({ method: 'POST', url: '/api/items/abc' });
    expectProblem(response, 405, 'method_not_allowed');
    expect(String(response.headers.allow)).toContain('GET');
    expect(String(response.headers.allow)).toContain('DELETE');
  });

  it('body over the limit → 413 payload_too_large', async () => {
    const response = await app.inject({
      method: 'PUT',
      url: '/api/items',
      headers: user.headers,
      payload: { id: 'big', name: 'x'.repeat(4096), price: 1 },
    });
    expectProblem(response, 413, 'payload_too_large');
    expect(await ctx.deps.db.item.count({ where: { id: 'big' } })).toBe(0);
  });

  it('unsupported media type → 415 unsupported_media_type', async () => {
    const response = await app.inject({
      method: 'PUT',
      url: '/api/items',
      headers: { ...user.headers, 'content-type': 'text/csv' },
      payload: 'id,name,price\na,b,1',
    });
    expectProblem(response, 415, 'unsupported_media_type');
  });

  it('validation failures name each field', async () => {
    const response = await app.inject({
      method: 'PUT',
      url: '/api/items',
      headers: user.headers,
      payload: { name: 7 },
    });
    const body = expectProblem(response, 400, 'validation_failed');
    const fields = (body.errors ?? []).map((error) => error.field);
    expect(fields).toEqual(expect.arrayContaining(['/body/id', '/body/price', '/body/name']));
  });
});

describe('request ids', () => {
  it('echoes a well-formed X-Request-Id and replaces a malformed one', async () => {
    const given = await app.inject({
      method: 'GET',
      url: '/api/health',
      headers: { 'x-request-id': 'edge-1234.abc' },
    });
    expect(given.headers['x-request-id']).toBe('edge-1234.abc');
    const bad = await app.inject({
      method: 'GET',
      url: '/api/health',
      headers: { 'x-request-id': 'has spaces\tand tabs' },
    });
    expect(bad.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe('OpenAPI', () => {
  it('serves the document with an operationId on every route', async () => {
    const response = await app.inject({ method: 'GET', url: '/api/openapi.json' });
    expect(response.statusCode).toBe(200);
    const document = response.json();
    expect(document.openapi).toBe('3.1.0');
    const operations = Object.entries(
      document.paths as Record<string, Record<string, { operationId?: string }>>,
    ).flatMap(([path, methods]) =>
      Object.entries(methods).map(([method, operation]) => ({ path, method, operation })),
    );
    expect(operations.length).toBeGreaterThan(4);
    const missing = operations
      .filter(({ operation }) => !operation.operationId)
      .map(({ method, path }) => `${method} ${path}`);
    expect(missing).toEqual([]);
    const ids = operations.map(({ operation }) => operation.operationId);
    expect(new Set(ids).size).toBe(ids.length);
    expect(document.components.schemas.Problem).toBeDefined();
  });

  it('serves the docs UI', async () => {
    const response = await app.inject({ method: 'GET', url: '/api/docs/' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toContain('text/html');
  });
});
