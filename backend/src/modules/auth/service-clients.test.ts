import type { FastifyInstance } from 'fastify';
import { beforeAll, describe, expect, it } from 'vitest';
import { createSignedInUser, type SignedInUser } from '../../../test/support/auth.js';
import { setupTestContext, uniqueId } from '../../../test/support/context.js';

const ctx = setupTestContext();
let app: FastifyInstance;
let admin: SignedInUser;

beforeAll(async () => {
  app = await ctx.buildApp({ AUTH_AUTO_VERIFY: 'true' });
  admin = await createSignedInUser(app, ctx, { roles: ['admin', 'member'] });
});

const FORM = 'application/x-www-form-urlencoded';

function claimsOf(token: string) {
  return JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString());
}

function headerOf(token: string) {
  return JSON.parse(Buffer.from(token.split('.')[0] ?? '', 'base64url').toString());
}

function asAdmin(method: 'GET' | 'POST' | 'DELETE', url: string, payload?: object) {
  return app.inject({ method, url, headers: admin.headers, ...(payload ? { payload } : {}) });
}

interface Created {
  id: string;
  secret: string;
  secretId: string;
}

async function createClient(
  overrides: Record<string, unknown> = {},
): Promise<Created & { body: Record<string, unknown> }> {
  const response = await asAdmin('POST', '/api/admin/service-clients', {
    name: uniqueId('client'),
    allowedScopes: ['items:read', 'items:write'],
    allowedAudiences: ['homeport', 'reports'],
    tokenLifetimeSeconds: 600,
    rateLimitPerMinute: 100,
    ...overrides,
  });
  expect(response.statusCode, response.body).toBe(201);
  const body = response.json();
  return { id: body.client.id, secret: body.secret.value, secretId: body.secret.secret.id, body };
}

function tokenRequest(form: Record<string, string>, headers: Record<string, string> = {}) {
  return app.inject({
    method: 'POST',
    url: '/api/oauth/token',
    headers: { 'content-type': FORM, ...headers },
    payload: new URLSearchParams(form).toString(),
  });
}

const basic = (id: string, secret: string) => ({
  authorization: `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString('base64')}`,
});

function withBasic(client: Created, form: Record<string, string> = {}) {
  return tokenRequest(
    { grant_type: 'client_credentials', ...form },
    basic(client.id, client.secret),
  );
}

describe('service clients: admin API', () => {
  it('creates a client whose secret is shown once and stored only as a hash, with an audit entry', async () => {
    const client = await createClient();
    expect(client.secret).toMatch(/^hps_[A-Za-z0-9_-]{43}$/);
    expect(client.body).toMatchObject({
      client: {
        ownerId: admin.id,
        allowedScopes: ['items:read', 'items:write'],
        tokenLifetimeSeconds: 600,
        disabledAt: null,
        lastUsedAt: null,
        secrets: [{ id: client.secretId, hint: client.secret.slice(-4), live: true }],
      },
    });
    const list = await asAdmin('GET', '/api/admin/service-clients');
    expect(list.statusCode).toBe(200);
    expect(list.body).not.toContain(client.secret);
    const rows = await ctx.deps.db.serviceClientSecret.findMany({ where: { clientId: client.id } });
    expect(rows).toHaveLength(1);
    expect(JSON.stringify(rows)).not.toContain(client.secret);
    const audit = await ctx.deps.db.auditEvent.findFirst({
      where: { type: 'service_client.created', actorId: admin.id },
      orderBy: { at: 'desc' },
    });
    expect(audit?.details).toMatchObject({ clientId: client.id });
    expect(JSON.stringify(audit?.details)).not.toContain(client.secret);
  });

  it('refuses members, lifetimes over an hour, unknown scopes and extra fields', async () => {
    const member = await createSignedInUser(app, ctx);
    const asMember = await app.inject({
      method: 'GET',
      url: '/api/admin/service-clients',
      headers: member.headers,
    });
    expect(asMember.statusCode).toBe(403);
    const base = {
      name: 'x',
      allowedScopes: ['items:read'],
      allowedAudiences: ['homeport'],
      tokenLifetimeSeconds: 600,
      rateLimitPerMinute: 10,
    };
    for (const bad of [
      { ...base, tokenLifetimeSeconds: 3601 },
      { ...base, allowedScopes: ['admin:all'] },
      { ...base, allowedAudiences: [] },
      { ...base, ownerId: member.id },
    ]) {
      const response = await asAdmin('POST', '/api/admin/service-clients', bad);
      expect(response.statusCode, JSON.stringify(bad)).toBe(400);
      expect(response.headers['content-type']).toContain('application/problem+json');
    }
    expect(await ctx.deps.db.serviceClient.count({ where: { name: 'x' } })).toBe(0);
  });

  it('keeps at most two live secrets: a third is refused until one is revoked', async () => {
    const client = await createClient();
    const second = await asAdmin('POST', `/api/admin/service-clients/${client.id}/secrets`);
    expect(second.statusCode).toBe(201);
    const third = await asAdmin('POST', `/api/admin/service-clients/${client.id}/secrets`);
    expect(third.statusCode).toBe(409);
    expect(third.json().code).toBe('too_many_secrets');
    expect(await ctx.deps.db.serviceClientSecret.count({ where: { clientId: client.id } })).toBe(2);

    // Both live secrets work during the rotation.
    const newSecret = second.json().value as string;
    expect((await withBasic(client)).statusCode).toBe(200);
    expect((await withBasic({ ...client, secret: newSecret })).statusCode).toBe(200);

    const revoked = await asAdmin(
      'DELETE',
      `/api/admin/service-clients/${client.id}/secrets/${client.secretId}`,
    );
    expect(revoked.statusCode).toBe(200);
    const old = await withBasic(client);
    expect(old.statusCode).toBe(401);
    expect(old.json()).toMatchObject({ error: 'invalid_client' });
    expect(
      (await asAdmin('POST', `/api/admin/service-clients/${client.id}/secrets`)).statusCode,
    ).toBe(201);
    const types = await ctx.deps.db.auditEvent.findMany({
      where: { actorId: admin.id, type: { startsWith: 'service_client.secret' } },
      select: { type: true, details: true },
    });
    const mine = types.filter(
      (row) => (row.details as { clientId?: string }).clientId === client.id,
    );
    expect(mine.map((row) => row.type).sort()).toEqual([
      'service_client.secret_created',
      'service_client.secret_created',
      'service_client.secret_revoked',
    ]);
  });

  it('two concurrent rotations cannot make a third live secret', async () => {
    const client = await createClient();
    const answers = await Promise.all(
      [1, 2, 3].map(() => asAdmin('POST', `/api/admin/service-clients/${client.id}/secrets`)),
    );
    expect(answers.map((answer) => answer.statusCode).sort()).toEqual([201, 409, 409]);
  });
});

describe('POST /api/oauth/token', () => {
  it('mints an RFC 9068 token with client_secret_basic; no refresh token, no-store', async () => {
    const client = await createClient({ allowedScopes: ['items:read'] });
    const response = await withBasic(client);
    expect(response.statusCode, response.body).toBe(200);
    expect(response.headers['cache-control']).toBe('no-store');
    expect(response.headers.pragma).toBe('no-cache');
    const body = response.json();
    expect(body).toEqual({
      access_token: expect.any(String),
      token_type: 'Bearer',
      expires_in: 600,
      scope: 'items:read',
    });
    expect(headerOf(body.access_token)).toMatchObject({
      alg: 'ES256',
      typ: 'at+jwt',
      kid: app.accessTokens.kid,
    });
    const claims = claimsOf(body.access_token);
    expect(claims).toMatchObject({
      sub: client.id,
      client_id: client.id,
      aud: 'homeport',
      iss: 'http://localhost:8080',
      scope: 'items:read',
    });
    expect(claims.exp - claims.iat).toBe(600);
    expect(claims.jti).toMatch(/^[0-9a-f-]{36}$/);
    expect(claims.sid).toBeUndefined();
    const row = await ctx.deps.db.serviceClient.findUniqueOrThrow({ where: { id: client.id } });
    expect(row.lastUsedAt).not.toBeNull();
  });

  it('accepts client_secret_post, and refuses both methods at once', async () => {
    const client = await createClient();
    const post = await tokenRequest({
      grant_type: 'client_credentials',
      client_id: client.id,
      client_secret: client.secret,
      scope: 'items:write',
    });
    expect(post.statusCode, post.body).toBe(200);
    expect(post.json().scope).toBe('items:write');
    const both = await tokenRequest(
      { grant_type: 'client_credentials', client_id: client.id, client_secret: client.secret },
      basic(client.id, client.secret),
    );
    expect(both.statusCode).toBe(400);
    expect(both.json().error).toBe('invalid_request');
  });

  it('refuses wrong, revoked and expired secrets, unknown and disabled clients with invalid_client', async () => {
    const client = await createClient();
    const other = await createClient();
    const expired = await createClient();
    await ctx.deps.db.serviceClientSecret.update({
      where: { id: expired.secretId },
      data: { expiresAt: new Date(Date.now() - 1000) },
    });
    const disabled = await createClient();
    expect(
      (await asAdmin('POST', `/api/admin/service-clients/${disabled.id}/disable`)).statusCode,
    ).toBe(200);
    const cases: Record<string, Created> = {
      'wrong secret': { ...client, secret: `${client.secret.slice(0, -1)}x` },
      "another client's secret": { ...client, secret: other.secret },
      'expired secret': expired,
      'disabled client': disabled,
      'unknown client': { ...client, id: '00000000-0000-4000-8000-000000000000' },
      'malformed client id': { ...client, id: 'not-a-uuid' },
    };
    for (const [name, credentials] of Object.entries(cases)) {
      const response = await withBasic(credentials);
      expect(response.statusCode, name).toBe(401);
      expect(response.headers['www-authenticate'], name).toMatch(/^Basic realm="homeport"/);
      expect(response.headers['content-type'], name).toContain('application/json');
      expect(response.json(), name).toEqual({
        error: 'invalid_client',
        error_description: 'Client authentication failed.',
      });
    }
    const posted = await tokenRequest({
      grant_type: 'client_credentials',
      client_id: client.id,
      client_secret: 'wrong',
    });
    expect(posted.statusCode).toBe(401);
    expect(posted.json().error).toBe('invalid_client');
    const none = await tokenRequest({ grant_type: 'client_credentials' });
    expect(none.json().error).toBe('invalid_client');
  });

  it('refuses scopes and audiences outside the allowlist, other grants and non-form bodies', async () => {
    const client = await createClient({ allowedScopes: ['items:read'] });
    const scope = await withBasic(client, { scope: 'items:read items:write' });
    expect(scope.statusCode).toBe(400);
    expect(scope.json().error).toBe('invalid_scope');
    const audience = await withBasic(client, { audience: 'billing' });
    expect(audience.statusCode).toBe(400);
    expect(audience.json().error).toBe('invalid_target');
    const resource = await withBasic(client, { resource: 'reports' });
    expect(resource.statusCode).toBe(200);
    expect(claimsOf(resource.json().access_token).aud).toBe('reports');
    const grant = await tokenRequest({ grant_type: 'password' }, basic(client.id, client.secret));
    expect(grant.statusCode).toBe(400);
    expect(grant.json().error).toBe('unsupported_grant_type');
    const missing = await tokenRequest({}, basic(client.id, client.secret));
    expect(missing.json().error).toBe('invalid_request');
    const json = await app.inject({
      method: 'POST',
      url: '/api/oauth/token',
      headers: basic(client.id, client.secret),
      payload: { grant_type: 'client_credentials' },
    });
    expect(json.statusCode).toBe(400);
    expect(json.json().error).toBe('invalid_request');
    expect(json.headers['cache-control']).toBe('no-store');
  });

  it('mints a new token per call; concurrent tokens are all valid at once', async () => {
    const client = await createClient();
    const answers = await Promise.all(Array.from({ length: 8 }, () => withBasic(client)));
    const tokens = answers.map((answer) => {
      expect(answer.statusCode).toBe(200);
      return answer.json().access_token as string;
    });
    expect(new Set(tokens).size).toBe(8);
    expect(new Set(tokens.map((token) => claimsOf(token).jti)).size).toBe(8);
    const uses = await Promise.all(
      tokens.map((token) =>
        app.inject({
          method: 'GET',
          url: '/api/items',
          headers: { authorization: `Bearer ${token}` },
        }),
      ),
    );
    expect(uses.map((use) => use.statusCode)).toEqual(Array(8).fill(200));
  });

  it('limits token requests per client and minute', async () => {
    const client = await createClient({ rateLimitPerMinute: 3 });
    const other = await createClient({ rateLimitPerMinute: 3 });
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) statuses.push((await withBasic(client)).statusCode);
    expect(statuses).toEqual([200, 200, 200, 429, 429]);
    const limited = await withBasic(client);
    expect(limited.json().error).toBe('rate_limited');
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect((await withBasic(other)).statusCode).toBe(200);
  });
});

describe('service tokens on the API', () => {
  async function serviceToken(scopes: string, audience = 'homeport') {
    const client = await createClient();
    const response = await withBasic(client, { scope: scopes, audience });
    expect(response.statusCode, response.body).toBe(200);
    return { client, token: response.json().access_token as string };
  }

  const call = (token: string, method: 'GET' | 'PUT' | 'DELETE', url: string, payload?: object) =>
    app.inject({
      method,
      url,
      headers: { authorization: `Bearer ${token}` },
      ...(payload ? { payload } : {}),
    });

  it('reads and writes the owner’s items with items:read and items:write', async () => {
    const { token } = await serviceToken('items:read items:write');
    const id = uniqueId('sku');
    const put = await call(token, 'PUT', '/api/items', { id, name: 'Widget', price: 100 });
    expect(put.statusCode, put.body).toBe(201);
    const owned = await ctx.deps.db.item.findFirst({ where: { id } });
    expect(owned?.ownerId).toBe(admin.id);
    expect((await call(token, 'GET', `/api/items/${id}`)).json().name).toBe('Widget');
    // The owner sees the same item with a user token, which keeps working as before.
    const mine = await app.inject({
      method: 'GET',
      url: `/api/items/${id}`,
      headers: admin.headers,
    });
    expect(mine.statusCode).toBe(200);
  });

  it('refuses a missing scope with 403 insufficient_scope', async () => {
    const { token } = await serviceToken('items:read');
    const put = await call(token, 'PUT', '/api/items', {
      id: uniqueId('sku'),
      name: 'N',
      price: 1,
    });
    expect(put.statusCode).toBe(403);
    expect(put.json().code).toBe('insufficient_scope');
    expect(put.headers['www-authenticate']).toBe(
      'Bearer error="insufficient_scope", scope="items:write"',
    );
    expect((await call(token, 'GET', '/api/items')).statusCode).toBe(200);
  });

  it('is refused on user routes, for another audience, and once the client is disabled', async () => {
    const { client, token } = await serviceToken('items:read');
    for (const url of ['/api/users/me', '/api/auth/sessions', '/api/admin/users']) {
      const response = await call(token, 'GET', url);
      expect(response.statusCode, url).toBe(401);
      expect(response.json().code, url).toBe('service_token_refused');
    }
    const foreign = await serviceToken('items:read', 'reports');
    expect((await call(foreign.token, 'GET', '/api/items')).statusCode).toBe(401);

    expect((await call(token, 'GET', '/api/items')).statusCode).toBe(200);
    await asAdmin('POST', `/api/admin/service-clients/${client.id}/disable`);
    const after = await call(token, 'GET', '/api/items');
    expect(after.statusCode).toBe(401);
    expect(after.json().code).toBe('client_disabled');
    const audit = await ctx.deps.db.auditEvent.count({
      where: {
        type: 'service_client.disabled',
        details: { path: ['clientId'], equals: client.id },
      },
    });
    expect(audit).toBe(1);
  });
});

describe('GET /.well-known/oauth-authorization-server', () => {
  it('points at the token endpoint and the JWKS (RFC 8414)', async () => {
    const response = await app.inject({
      method: 'GET',
      url: '/.well-known/oauth-authorization-server',
    });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({
      issuer: 'http://localhost:8080',
      token_endpoint: 'http://localhost:8080/api/oauth/token',
      jwks_uri: 'http://localhost:8080/api/auth/jwks.json',
      grant_types_supported: ['client_credentials'],
      token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
      scopes_supported: ['items:read', 'items:write'],
    });
  });
});
