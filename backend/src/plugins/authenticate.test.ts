import type { FastifyInstance } from 'fastify';
import { beforeAll, describe, expect, it } from 'vitest';
import { createSignedInUser } from '../../test/support/auth.js';
import { setupTestContext } from '../../test/support/context.js';

const ctx = setupTestContext();
let app: FastifyInstance;

beforeAll(async () => {
  app = await ctx.buildApp({ AUTH_AUTO_VERIFY: 'true' });
});

describe('the Authorization header', () => {
  it('takes the Bearer scheme in any case, as the gateway does (RFC 9110 §11.1)', async () => {
    const user = await createSignedInUser(app, ctx);
    for (const scheme of ['Bearer', 'bearer', 'BEARER', 'bEaReR']) {
      const response = await app.inject({
        method: 'GET',
        url: '/api/auth/sessions',
        headers: { authorization: `${scheme} ${user.accessToken}` },
      });
      expect(response.statusCode, scheme).toBe(200);
    }
  });

  it('still refuses other schemes and a token glued to the scheme', async () => {
    const user = await createSignedInUser(app, ctx);
    for (const header of [`Basic ${user.accessToken}`, `Bearer${user.accessToken}`]) {
      const response = await app.inject({
        method: 'GET',
        url: '/api/auth/sessions',
        headers: { authorization: header },
      });
      expect(response.statusCode, header).toBe(401);
      expect(response.json().code, header).toBe('invalid_token');
    }
  });
});
