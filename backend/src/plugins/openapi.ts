import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { ProblemSchema } from '../lib/problem.js';

/** Swagger UI's one inline style, allowed by its hash (`'unsafe-hashes'` covers style attributes). */
export const SWAGGER_UI_INLINE_STYLE_HASH = "'sha256-RL3ie0nH+Lzz2YNqQN83mnU0J1ot4QL7b99vMdIX99w='";

const SWAGGER_UI_CSP = [
  "default-src 'self'",
  "base-uri 'self'",
  "font-src 'self' data:",
  "frame-ancestors 'none'",
  "img-src 'self' data:",
  "object-src 'none'",
  "script-src 'self'",
  "script-src-attr 'none'",
  `style-src 'self' 'unsafe-hashes' ${SWAGGER_UI_INLINE_STYLE_HASH}`,
  "connect-src 'self'",
].join('; ');

/** OpenAPI 3.1 document built from the route schemas: JSON at /api/openapi.json, UI at /api/docs. */
async function openapi(app: FastifyInstance, options: { publicUrl: string }) {
  app.addSchema(ProblemSchema);
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Homeport API',
        version: '1.0.0',
        description:
          'Every error is application/problem+json (RFC 9457) with a stable `code`; see the Problem schema.',
      },
      servers: [{ url: options.publicUrl }],
      components: {
        securitySchemes: {
          bearerAuth: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' },
        },
      },
    },
    refResolver: {
      buildLocalReference: (json, _baseUri, _fragment, index) => String(json.$id ?? `def-${index}`),
    },
  });
  await app.register(swaggerUi, {
    routePrefix: '/api/docs',
    // The plugin's own policy (`staticCSP: true`) lacks the hash of the one inline style Swagger
    // UI applies, so the page logged a CSP violation; this is that policy with the hash added.
    // No 'unsafe-inline': a style or script injected into the page stays blocked.
    staticCSP: SWAGGER_UI_CSP,
  });
  app.get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger());
}

export default fp(openapi, { name: 'openapi' });
