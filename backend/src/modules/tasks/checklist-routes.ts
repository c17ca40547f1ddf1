import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { problemResponses } from '../../lib/problem.js';
import type { ChecklistService } from './checklist-service.js';
import { actorOf } from './request.js';
import { PositionFields, Refs, TaskParamsSchema, Uuid } from './schemas.js';

const ItemText = Type.String({ minLength: 1, maxLength: 500, pattern: '\\S' });
const ItemParams = Type.Object({ taskId: Uuid(), itemId: Uuid() });

/** A task's checklist: items added, ticked, reordered and removed. */
export const checklistRoutes: FastifyPluginAsyncTypebox<{ checklist: ChecklistService }> = async (
  app,
  { checklist },
) => {
  app.addHook('onRequest', app.authenticate);

  app.post(
    '/api/tasks/:taskId/checklist',
    {
      schema: {
        operationId: 'addChecklistItem',
        tags: ['tasks'],
        summary: 'Add a checklist item (at the end, or after/before another)',
        security: [{ bearerAuth: [] }],
        params: TaskParamsSchema,
        body: Type.Object({ text: ItemText, ...PositionFields }, { additionalProperties: false }),
        response: {
          201: Refs.ChecklistItem,
          ...problemResponses(400, 401, 403, 404, 413, 415, 422, 503),
        },
      },
    },
    async (request, reply) =>
      reply
        .code(201)
        .send(await checklist.add(actorOf(request), request.params.taskId, request.body)),
  );

  app.patch(
    '/api/tasks/:taskId/checklist/:itemId',
    {
      schema: {
        operationId: 'updateChecklistItem',
        tags: ['tasks'],
        summary: 'Tick, untick or reword a checklist item',
        security: [{ bearerAuth: [] }],
        params: ItemParams,
        body: Type.Object(
          { text: Type.Optional(ItemText), done: Type.Optional(Type.Boolean()) },
          { additionalProperties: false },
        ),
        response: {
          200: Refs.ChecklistItem,
          ...problemResponses(400, 401, 403, 404, 413, 415, 503),
        },
      },
    },
    async (request) =>
      checklist.update(
        actorOf(request),
        request.params.taskId,
        request.params.itemId,
        request.body,
      ),
  );

  app.post(
    '/api/tasks/:taskId/checklist/:itemId/move',
    {
      schema: {
        operationId: 'moveChecklistItem',
        tags: ['tasks'],
        summary: 'Reorder a checklist item: after/before another (neither: to the end)',
        security: [{ bearerAuth: [] }],
        params: ItemParams,
        body: Type.Object(PositionFields, { additionalProperties: false }),
        response: {
          200: Refs.ChecklistItem,
          ...problemResponses(400, 401, 403, 404, 413, 415, 422, 503),
        },
      },
    },
    async (request) =>
      checklist.move(actorOf(request), request.params.taskId, request.params.itemId, request.body),
  );

  app.delete(
    '/api/tasks/:taskId/checklist/:itemId',
    {
      schema: {
        operationId: 'removeChecklistItem',
        tags: ['tasks'],
        summary: 'Remove a checklist item',
        security: [{ bearerAuth: [] }],
        params: ItemParams,
        response: { 204: Type.Null(), ...problemResponses(400, 401, 403, 404, 503) },
      },
    },
    async (request, reply) => {
      await checklist.remove(actorOf(request), request.params.taskId, request.params.itemId);
      return reply.code(204).send(null);
    },
  );
};
