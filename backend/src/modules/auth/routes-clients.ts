import type {
  FastifyPluginAsyncTypebox,
  TypeBoxTypeProvider,
} from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { problemResponses } from '../../lib/problem.js';
import {
  ClientListSchema,
  ClientParamsSchema,
  ClientSecretSchema,
  CreateClientBodySchema,
  CreatedClientSchema,
  IssuedSecretSchema,
  SecretParamsSchema,
  ServiceClientSchema,
} from './clients-schemas.js';
import type { ClientsService } from './clients-service.js';
import { requestMeta } from './http.js';

const bearer = [{ bearerAuth: [] }];
const ClientRef = Type.Ref('ServiceClient');

/** Admin management of service clients (the Cognito app clients with a secret). */
export const clientAdminRoutes: FastifyPluginAsyncTypebox<{ clients: ClientsService }> = async (
  app,
  { clients },
) => {
  app.addSchema(ClientSecretSchema);
  app.addSchema(ServiceClientSchema);
  app.register(async (scope) => {
    const admins = scope.withTypeProvider<TypeBoxTypeProvider>();
    admins.addHook('onRequest', admins.authenticate);
    admins.addHook('onRequest', admins.requireRole('admin'));

    admins.get(
      '/api/admin/service-clients',
      {
        schema: {
          operationId: 'adminListServiceClients',
          tags: ['admin'],
          summary: 'Service clients and their secrets (Cognito ListUserPoolClients)',
          security: bearer,
          response: { 200: ClientListSchema, ...problemResponses(401, 403, 503) },
        },
      },
      async () => ({ items: await clients.list() }),
    );

    admins.post(
      '/api/admin/service-clients',
      {
        schema: {
          operationId: 'adminCreateServiceClient',
          tags: ['admin'],
          summary:
            'Create a client; its secret is in this answer only (Cognito CreateUserPoolClient with GenerateSecret)',
          security: bearer,
          body: CreateClientBodySchema,
          response: { 201: CreatedClientSchema, ...problemResponses(400, 401, 403, 503) },
        },
      },
      async (request, reply) =>
        reply
          .code(201)
          .send(await clients.create(request.user.id, request.body, requestMeta(request))),
    );

    admins.post(
      '/api/admin/service-clients/:id/secrets',
      {
        schema: {
          operationId: 'adminCreateServiceClientSecret',
          tags: ['admin'],
          summary: 'Add a secret for rotation (at most two live); shown in this answer only',
          security: bearer,
          params: ClientParamsSchema,
          response: { 201: IssuedSecretSchema, ...problemResponses(400, 401, 403, 404, 409, 503) },
        },
      },
      async (request, reply) =>
        reply
          .code(201)
          .send(
            await clients.createSecret(request.user.id, request.params.id, requestMeta(request)),
          ),
    );

    admins.delete(
      '/api/admin/service-clients/:id/secrets/:secretId',
      {
        schema: {
          operationId: 'adminRevokeServiceClientSecret',
          tags: ['admin'],
          summary: 'Revoke a secret: the token endpoint refuses it at once',
          security: bearer,
          params: SecretParamsSchema,
          response: { 200: ClientRef, ...problemResponses(400, 401, 403, 404, 503) },
        },
      },
      async (request) =>
        clients.revokeSecret(
          request.user.id,
          request.params.id,
          request.params.secretId,
          requestMeta(request),
        ),
    );

    admins.post(
      '/api/admin/service-clients/:id/disable',
      {
        schema: {
          operationId: 'adminDisableServiceClient',
          tags: ['admin'],
          summary: 'Disable a client: no new tokens, and its live tokens stop working at once',
          security: bearer,
          params: ClientParamsSchema,
          response: { 200: ClientRef, ...problemResponses(400, 401, 403, 404, 503) },
        },
      },
      async (request) => clients.disable(request.user.id, request.params.id, requestMeta(request)),
    );
  });
};
