import { Type } from 'typebox';
import { SERVICE_SCOPES } from './access-claims.js';
import { MAX_TOKEN_LIFETIME_SECONDS } from './clients-service.js';

const ScopeSchema = Type.Union(
  SERVICE_SCOPES.map((scope) => Type.Literal(scope)),
  { description: 'A scope routes can require (`items:read`, `items:write`)' },
);

/** An audience: the identifier of an API that accepts these tokens (`homeport` is this one). */
const AudienceSchema = Type.String({
  minLength: 1,
  maxLength: 200,
  pattern: '^[A-Za-z0-9][A-Za-z0-9._:/-]*$',
});

export const CreateClientBodySchema = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 100, pattern: '\\S' }),
    allowedScopes: Type.Array(ScopeSchema, { minItems: 1, maxItems: SERVICE_SCOPES.length }),
    allowedAudiences: Type.Array(AudienceSchema, { minItems: 1, maxItems: 10 }),
    tokenLifetimeSeconds: Type.Integer({
      minimum: 60,
      maximum: MAX_TOKEN_LIFETIME_SECONDS,
      description: 'Access token lifetime, at most one hour',
    }),
    rateLimitPerMinute: Type.Integer({
      minimum: 1,
      maximum: 10_000,
      description: 'Token requests allowed per minute',
    }),
  },
  { additionalProperties: false },
);

export const ClientParamsSchema = Type.Object({ id: Type.String({ format: 'uuid' }) });
export const SecretParamsSchema = Type.Object({
  id: Type.String({ format: 'uuid' }),
  secretId: Type.String({ format: 'uuid' }),
});

export const ClientSecretSchema = Type.Object(
  {
    id: Type.String({ format: 'uuid' }),
    hint: Type.String({ description: 'The last four characters of the secret' }),
    createdAt: Type.String({ format: 'date-time' }),
    expiresAt: Type.String({ format: 'date-time' }),
    revokedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
    lastUsedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
    live: Type.Boolean(),
  },
  { $id: 'ServiceClientSecret' },
);

export const ServiceClientSchema = Type.Object(
  {
    id: Type.String({ format: 'uuid', description: 'The `client_id`' }),
    name: Type.String(),
    ownerId: Type.String({ format: 'uuid', description: 'The account the client acts for' }),
    allowedScopes: Type.Array(Type.String()),
    allowedAudiences: Type.Array(Type.String()),
    tokenLifetimeSeconds: Type.Integer(),
    rateLimitPerMinute: Type.Integer(),
    createdAt: Type.String({ format: 'date-time' }),
    disabledAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
    lastUsedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
    secrets: Type.Array(Type.Ref('ServiceClientSecret')),
  },
  { $id: 'ServiceClient' },
);

export const IssuedSecretSchema = Type.Object({
  secret: Type.Ref('ServiceClientSecret'),
  value: Type.String({ description: 'The client secret, shown this once' }),
});

export const CreatedClientSchema = Type.Object({
  client: Type.Ref('ServiceClient'),
  secret: IssuedSecretSchema,
});

export const ClientListSchema = Type.Object({ items: Type.Array(Type.Ref('ServiceClient')) });

/** RFC 6749 §4.4.2 (form-encoded); unknown parameters are ignored, as §3.2 requires. */
export const TokenRequestBodySchema = Type.Object({
  grant_type: Type.Optional(Type.String({ maxLength: 100 })),
  scope: Type.Optional(Type.String({ maxLength: 1000 })),
  audience: Type.Optional(Type.String({ maxLength: 200 })),
  resource: Type.Optional(Type.String({ maxLength: 200 })),
  client_id: Type.Optional(Type.String({ maxLength: 200 })),
  client_secret: Type.Optional(Type.String({ maxLength: 200 })),
});

export const TokenResponseBodySchema = Type.Object({
  access_token: Type.String(),
  token_type: Type.Literal('Bearer'),
  expires_in: Type.Integer(),
  scope: Type.String(),
});

export const OAuthErrorSchema = Type.Object({
  error: Type.String(),
  error_description: Type.Optional(Type.String()),
});

export const AuthorizationServerMetadataSchema = Type.Object({
  issuer: Type.String(),
  token_endpoint: Type.String(),
  jwks_uri: Type.String(),
  grant_types_supported: Type.Array(Type.String()),
  token_endpoint_auth_methods_supported: Type.Array(Type.String()),
  scopes_supported: Type.Array(Type.String()),
  response_types_supported: Type.Array(Type.String()),
  service_documentation: Type.String(),
});
