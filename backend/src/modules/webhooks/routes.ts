import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { problemResponses } from '../../lib/problem.js';
import { actorOf } from '../tasks/request.js';
import { EventTypesSchema, WebhookParams, WebhookUrl } from './schemas.js';
import type { WebhooksService } from './service.js';

const BoardParams = Type.Object({ boardId: Type.String({ format: 'uuid' }) });
const security = [{ bearerAuth: [] }];
const tags = ['webhooks'];

/** Outgoing webhooks of a board: managed by its supervisors only. */
export const webhooksRoutes: FastifyPluginAsyncTypebox<{ webhooks: WebhooksService }> = async (
  app,
  { webhooks },
) => {
  app.addHook('onRequest', app.authenticate);

  app.get(
    '/api/boards/:boardId/webhooks',
    {
      schema: {
        operationId: 'listWebhooks',
        tags,
        summary: "The board's webhook endpoints (never their secrets)",
        security,
        params: BoardParams,
        response: {
          200: Type.Array(Type.Ref('Webhook')),
          ...problemResponses(400, 401, 403, 404, 503),
        },
      },
    },
    async (request) => webhooks.list(actorOf(request), request.params.boardId),
  );

  app.post(
    '/api/boards/:boardId/webhooks',
    {
      schema: {
        operationId: 'createWebhook',
        tags,
        summary: 'Register an endpoint; the answer carries its signing secret, shown once',
        security,
        params: BoardParams,
        body: Type.Object(
          { url: WebhookUrl, eventTypes: EventTypesSchema },
          { additionalProperties: false },
        ),
        response: {
          201: Type.Ref('WebhookWithSecret'),
          ...problemResponses(400, 401, 403, 404, 413, 415, 422, 503),
        },
      },
    },
    async (request, reply) =>
      reply
        .code(201)
        .send(await webhooks.create(actorOf(request), request.params.boardId, request.body)),
  );

  app.patch(
    '/api/boards/:boardId/webhooks/:webhookId',
    {
      schema: {
        operationId: 'updateWebhook',
        tags,
        summary: 'Change the URL or filter, disable, or re-enable (waiting deliveries resume)',
        security,
        params: WebhookParams,
        body: Type.Object(
          {
            url: Type.Optional(WebhookUrl),
            eventTypes: Type.Optional(EventTypesSchema),
            enabled: Type.Optional(Type.Boolean()),
          },
          { additionalProperties: false, minProperties: 1 },
        ),
        response: {
          200: Type.Ref('Webhook'),
          ...problemResponses(400, 401, 403, 404, 413, 415, 422, 503),
        },
      },
    },
    async (request) =>
      webhooks.update(
        actorOf(request),
        request.params.boardId,
        request.params.webhookId,
        request.body,
      ),
  );

  app.delete(
    '/api/boards/:boardId/webhooks/:webhookId',
    {
      schema: {
        operationId: 'deleteWebhook',
        tags,
        summary: 'Delete the endpoint and its deliveries',
        security,
        params: WebhookParams,
        response: { 204: Type.Null(), ...problemResponses(400, 401, 403, 404, 503) },
      },
    },
    async (request, reply) => {
      await webhooks.remove(actorOf(request), request.params.boardId, request.params.webhookId);
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/api/boards/:boardId/webhooks/:webhookId/rotate-secret',
    {
      schema: {
        operationId: 'rotateWebhookSecret',
        tags,
        summary: 'New signing secret (shown once); the previous one keeps signing for the overlap',
        security,
        params: WebhookParams,
        response: {
          200: Type.Ref('WebhookWithSecret'),
          ...problemResponses(400, 401, 403, 404, 503),
        },
      },
    },
    async (request) =>
      webhooks.rotateSecret(actorOf(request), request.params.boardId, request.params.webhookId),
  );

  app.post(
    '/api/boards/:boardId/webhooks/:webhookId/test',
    {
      schema: {
        operationId: 'sendWebhookTestEvent',
        tags,
        summary: 'Queue a webhook.test event for the endpoint',
        security,
        params: WebhookParams,
        response: {
          202: Type.Ref('WebhookDelivery'),
          ...problemResponses(400, 401, 403, 404, 503),
        },
      },
    },
    async (request, reply) =>
      reply
        .code(202)
        .send(
          await webhooks.sendTest(
            actorOf(request),
            request.params.boardId,
            request.params.webhookId,
          ),
        ),
  );

  app.get(
    '/api/boards/:boardId/webhooks/:webhookId/deliveries',
    {
      schema: {
        operationId: 'listWebhookDeliveries',
        tags,
        summary: "The endpoint's deliveries, newest first, with status and response code",
        security,
        params: WebhookParams,
        querystring: Type.Object(
          { limit: Type.Integer({ minimum: 1, maximum: 100, default: 50 }) },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Array(Type.Ref('WebhookDelivery')),
          ...problemResponses(400, 401, 403, 404, 503),
        },
      },
    },
    async (request) =>
      webhooks.listDeliveries(actorOf(request), request.params.boardId, request.params.webhookId, {
        limit: request.query.limit,
      }),
  );
};
