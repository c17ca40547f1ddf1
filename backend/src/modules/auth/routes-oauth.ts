import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { SERVICE_SCOPES } from './access-claims.js';
import {
  AuthorizationServerMetadataSchema,
  OAuthErrorSchema,
  TokenRequestBodySchema,
  TokenResponseBodySchema,
} from './clients-schemas.js';
import type { ClientCredentials, ClientsService } from './clients-service.js';
import { InvalidClientError, OAuthError } from './oauth-errors.js';

const FORM = 'application/x-www-form-urlencoded';

/** Form decoding of one credential half (RFC 6749 §2.3.1: `+` is a space, then %XX). */
function formDecode(value: string): string {
  return decodeURIComponent(value.replace(/\+/g, ' '));
}

/**
 * `client_secret_basic` or `client_secret_post`, never both (RFC 6749 §2.3.1). Any malformed
 * Basic header is a failed client authentication.
 */
function clientCredentials(
  request: FastifyRequest,
  body: { client_id?: string | undefined; client_secret?: string | undefined },
): ClientCredentials {
  const header = request.headers.authorization;
  const inBody = body.client_id !== undefined || body.client_secret !== undefined;
  if (header !== undefined) {
    if (inBody) {
      throw new OAuthError(400, 'invalid_request', 'Use one client authentication method only.');
    }
    const match = /^Basic +([A-Za-z0-9+/]+=*)$/i.exec(header);
    const decoded = match?.[1] ? Buffer.from(match[1], 'base64').toString('utf8') : '';
    const colon = decoded.indexOf(':');
    if (colon < 0) throw new InvalidClientError();
    try {
      return {
        clientId: formDecode(decoded.slice(0, colon)),
        clientSecret: formDecode(decoded.slice(colon + 1)),
      };
    } catch {
      throw new InvalidClientError();
    }
  }
  if (body.client_id === undefined || body.client_secret === undefined) {
    throw new InvalidClientError();
  }
  return { clientId: body.client_id, clientSecret: body.client_secret };
}

/**
 * The OAuth 2.0 token endpoint (client credentials only) and the authorization server metadata
 * (RFC 8414). Errors here are OAuth's `{error, error_description}`, not problem+json.
 */
export const oauthRoutes: FastifyPluginAsyncTypebox<{
  clients: ClientsService;
  publicUrl: string;
}> = async (app, { clients, publicUrl }) => {
  app.addContentTypeParser(FORM, { parseAs: 'string' }, (_request, body, done) => {
    done(null, Object.fromEntries(new URLSearchParams(String(body))));
  });

  app.setErrorHandler(async (error, _request, reply) => {
    reply.header('cache-control', 'no-store').header('pragma', 'no-cache');
    if (error instanceof OAuthError) {
      return reply.code(error.statusCode).headers(error.headers).send(error.body());
    }
    const status = (error as { statusCode?: number }).statusCode ?? 500;
    if (status >= 400 && status < 500) {
      const description =
        status === 413 ? 'The request body is too large.' : 'The request is not valid.';
      return reply.code(status === 413 ? 413 : 400).send({
        error: 'invalid_request',
        error_description: description,
      });
    }
    throw error;
  });

  app.post(
    '/api/oauth/token',
    {
      schema: {
        operationId: 'oauthToken',
        tags: ['auth'],
        summary:
          'Client credentials grant, form-encoded (Cognito /oauth2/token with grant_type=client_credentials); errors are RFC 6749 §5.2 JSON',
        consumes: [FORM],
        body: TokenRequestBodySchema,
        response: {
          200: TokenResponseBodySchema,
          400: OAuthErrorSchema,
          401: OAuthErrorSchema,
          429: OAuthErrorSchema,
        },
      },
    },
    async (request, reply) => {
      reply.header('cache-control', 'no-store').header('pragma', 'no-cache');
      const contentType = request.headers['content-type']?.split(';')[0]?.trim().toLowerCase();
      if (contentType !== FORM) {
        throw new OAuthError(400, 'invalid_request', `The body must be ${FORM}.`);
      }
      const body = request.body;
      if (body.grant_type === undefined) {
        throw new OAuthError(400, 'invalid_request', 'grant_type is required.');
      }
      const credentials = clientCredentials(request, body);
      if (body.grant_type !== 'client_credentials') {
        throw new OAuthError(
          400,
          'unsupported_grant_type',
          'Only client_credentials is supported.',
        );
      }
      if (
        body.audience !== undefined &&
        body.resource !== undefined &&
        body.audience !== body.resource
      ) {
        throw new OAuthError(400, 'invalid_request', 'Give audience or resource, not two targets.');
      }
      return clients.issueToken(credentials, {
        scope: body.scope,
        audience: body.audience ?? body.resource,
      });
    },
  );

  app.get(
    '/.well-known/oauth-authorization-server',
    {
      schema: {
        operationId: 'getAuthorizationServerMetadata',
        tags: ['auth'],
        summary: 'OAuth 2.0 authorization server metadata (RFC 8414)',
        response: { 200: AuthorizationServerMetadataSchema },
      },
    },
    async (_request, reply) => {
      reply.header('cache-control', 'public, max-age=300');
      return {
        issuer: publicUrl,
        token_endpoint: `${publicUrl}/api/oauth/token`,
        jwks_uri: `${publicUrl}/api/auth/jwks.json`,
        grant_types_supported: ['client_credentials'],
        token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
        scopes_supported: [...SERVICE_SCOPES],
        // No authorization endpoint: people sign in through /api/auth, services use this grant.
        response_types_supported: [],
        service_documentation: `${publicUrl}/api/docs`,
      };
    },
  );
};
