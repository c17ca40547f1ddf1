import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { PageQuerySchema, pageOf } from '../../lib/pagination.js';
import { problemResponses } from '../../lib/problem.js';
import {
  ItemParamsSchema,
  ItemSchema,
  ItemSettingsSchema,
  PutItemBodySchema,
  PutItemHeadersSchema,
} from './schemas.js';
import type { ItemsService } from './service.js';

const ItemRef = Type.Ref('Item');

export const itemsRoutes: FastifyPluginAsyncTypebox<{ items: ItemsService }> = async (
  app,
  { items },
) => {
  app.addSchema(ItemSchema);
  app.addSchema(ItemSettingsSchema);
  // Every item belongs to the signed-in user; the service scopes each query to that owner. A
  // service client's token is accepted with the declared scope and acts for the client's owner.
  app.addHook('onRequest', app.authenticate);
  const read = { serviceScopes: ['items:read'] };
  const write = { serviceScopes: ['items:write'] };

  app.get(
    '/api/settings/items',
    {
      config: read,
      schema: {
        operationId: 'getItemSettings',
        tags: ['items'],
        summary: 'The currency of item prices and the largest price accepted',
        security: [{ bearerAuth: [] }],
        response: { 200: Type.Ref('ItemSettings'), ...problemResponses(401, 503) },
      },
    },
    async () => items.settings(),
  );

  app.get(
    '/api/items',
    {
      config: read,
      schema: {
        operationId: 'listItems',
        tags: ['items'],
        summary: 'List my items, ordered by id, a page at a time',
        security: [{ bearerAuth: [] }],
        querystring: PageQuerySchema,
        response: { 200: pageOf(ItemRef), ...problemResponses(400, 401, 503) },
      },
    },
    async (request) => items.list(request.user.id, request.query),
  );

  app.put(
    '/api/items',
    {
      config: write,
      schema: {
        operationId: 'putItem',
        tags: ['items'],
        summary:
          'Create an item, or replace the item with this id; with `If-None-Match: *` only create (412 `item_exists` if the id is in use)',
        security: [{ bearerAuth: [] }],
        headers: PutItemHeadersSchema,
        body: PutItemBodySchema,
        response: {
          200: ItemRef,
          201: ItemRef,
          ...problemResponses(400, 401, 412, 413, 415, 503),
        },
      },
    },
    async (request, reply) => {
      const createOnly = request.headers['if-none-match'] === '*';
      const { item, created } = await items.put(request.user.id, request.body, { createOnly });
      return reply.code(created ? 201 : 200).send(item);
    },
  );

  app.get(
    '/api/items/:id',
    {
      config: read,
      schema: {
        operationId: 'getItem',
        tags: ['items'],
        summary: 'Get one item',
        security: [{ bearerAuth: [] }],
        params: ItemParamsSchema,
        response: { 200: ItemRef, ...problemResponses(400, 401, 404, 503) },
      },
    },
    async (request) => items.get(request.user.id, request.params.id),
  );

  app.delete(
    '/api/items/:id',
    {
      config: write,
      schema: {
        operationId: 'deleteItem',
        tags: ['items'],
        summary: 'Delete an item; succeeds (204) whether or not it existed',
        security: [{ bearerAuth: [] }],
        params: ItemParamsSchema,
        response: { 204: Type.Null(), ...problemResponses(400, 401, 503) },
      },
    },
    async (request, reply) => {
      await items.remove(request.user.id, request.params.id);
      return reply.code(204).send(null);
    },
  );
};
