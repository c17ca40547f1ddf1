import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { problemResponses } from '../../lib/problem.js';
import type { BoardsService } from './boards-service.js';
import { actorOf } from './request.js';
import { BoardParamsSchema, PositionFields, Refs, Uuid } from './schemas.js';

const ColumnName = Type.String({ minLength: 1, maxLength: 80, pattern: '\\S' });
const WipLimit = Type.Union([Type.Integer({ minimum: 1, maximum: 10_000 }), Type.Null()], {
  description: 'Open tasks above this are flagged (overWipLimit), never refused',
});
const ColumnParams = Type.Object({ boardId: Uuid(), columnId: Uuid() });
const LabelParams = Type.Object({ boardId: Uuid(), labelId: Uuid() });
const LabelName = Type.String({ minLength: 1, maxLength: 50, pattern: '\\S' });
const Color = Type.String({ pattern: '^#[0-9a-fA-F]{6}$', description: '#rrggbb' });

/** Columns (statuses) and labels of a board; changed by its supervisors. */
export const columnsRoutes: FastifyPluginAsyncTypebox<{ boards: BoardsService }> = async (
  app,
  { boards },
) => {
  app.addHook('onRequest', app.authenticate);

  app.get(
    '/api/boards/:boardId/columns',
    {
      schema: {
        operationId: 'listColumns',
        tags: ['tasks'],
        summary: "The board's columns in order",
        security: [{ bearerAuth: [] }],
        params: BoardParamsSchema,
        response: { 200: Type.Array(Refs.Column), ...problemResponses(400, 401, 404, 503) },
      },
    },
    async (request) => boards.listColumns(actorOf(request), request.params.boardId),
  );

  app.post(
    '/api/boards/:boardId/columns',
    {
      schema: {
        operationId: 'createColumn',
        tags: ['tasks'],
        summary: 'Add a column (at the end, or after/before another)',
        security: [{ bearerAuth: [] }],
        params: BoardParamsSchema,
        body: Type.Object(
          {
            name: ColumnName,
            wipLimit: Type.Optional(WipLimit),
            isDone: Type.Optional(Type.Boolean()),
            supervisorsOnlyMoveIn: Type.Optional(Type.Boolean()),
            ...PositionFields,
          },
          { additionalProperties: false },
        ),
        response: { 201: Refs.Column, ...problemResponses(400, 401, 403, 404, 413, 415, 422, 503) },
      },
    },
    async (request, reply) =>
      reply
        .code(201)
        .send(await boards.createColumn(actorOf(request), request.params.boardId, request.body)),
  );

  app.patch(
    '/api/boards/:boardId/columns/:columnId',
    {
      schema: {
        operationId: 'updateColumn',
        tags: ['tasks'],
        summary: 'Rename a column or change its WIP limit and rules',
        security: [{ bearerAuth: [] }],
        params: ColumnParams,
        body: Type.Object(
          {
            name: Type.Optional(ColumnName),
            wipLimit: Type.Optional(WipLimit),
            isDone: Type.Optional(Type.Boolean()),
            supervisorsOnlyMoveIn: Type.Optional(Type.Boolean()),
          },
          { additionalProperties: false },
        ),
        response: { 200: Refs.Column, ...problemResponses(400, 401, 403, 404, 413, 415, 503) },
      },
    },
    async (request) =>
      boards.updateColumn(
        actorOf(request),
        request.params.boardId,
        request.params.columnId,
        request.body,
      ),
  );

  app.post(
    '/api/boards/:boardId/columns/:columnId/move',
    {
      schema: {
        operationId: 'moveColumn',
        tags: ['tasks'],
        summary: 'Reorder a column: after/before another (neither: to the end)',
        security: [{ bearerAuth: [] }],
        params: ColumnParams,
        body: Type.Object(PositionFields, { additionalProperties: false }),
        response: { 200: Refs.Column, ...problemResponses(400, 401, 403, 404, 413, 415, 422, 503) },
      },
    },
    async (request) =>
      boards.moveColumn(
        actorOf(request),
        request.params.boardId,
        request.params.columnId,
        request.body,
      ),
  );

  app.delete(
    '/api/boards/:boardId/columns/:columnId',
    {
      schema: {
        operationId: 'deleteColumn',
        tags: ['tasks'],
        summary: 'Delete an empty column',
        security: [{ bearerAuth: [] }],
        params: ColumnParams,
        response: { 204: Type.Null(), ...problemResponses(400, 401, 403, 404, 409, 503) },
      },
    },
    async (request, reply) => {
      await boards.deleteColumn(actorOf(request), request.params.boardId, request.params.columnId);
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/api/boards/:boardId/labels',
    {
      schema: {
        operationId: 'listLabels',
        tags: ['tasks'],
        summary: "The board's labels by name",
        security: [{ bearerAuth: [] }],
        params: BoardParamsSchema,
        response: { 200: Type.Array(Refs.Label), ...problemResponses(400, 401, 404, 503) },
      },
    },
    async (request) => boards.listLabels(actorOf(request), request.params.boardId),
  );

  app.post(
    '/api/boards/:boardId/labels',
    {
      schema: {
        operationId: 'createLabel',
        tags: ['tasks'],
        summary: 'Add a label to the board',
        security: [{ bearerAuth: [] }],
        params: BoardParamsSchema,
        body: Type.Object({ name: LabelName, color: Color }, { additionalProperties: false }),
        response: { 201: Refs.Label, ...problemResponses(400, 401, 403, 404, 409, 413, 415, 503) },
      },
    },
    async (request, reply) =>
      reply
        .code(201)
        .send(await boards.createLabel(actorOf(request), request.params.boardId, request.body)),
  );

  app.patch(
    '/api/boards/:boardId/labels/:labelId',
    {
      schema: {
        operationId: 'updateLabel',
        tags: ['tasks'],
        summary: 'Rename or recolour a label',
        security: [{ bearerAuth: [] }],
        params: LabelParams,
        body: Type.Object(
          { name: Type.Optional(LabelName), color: Type.Optional(Color) },
          { additionalProperties: false },
        ),
        response: { 200: Refs.Label, ...problemResponses(400, 401, 403, 404, 409, 413, 415, 503) },
      },
    },
    async (request) =>
      boards.updateLabel(
        actorOf(request),
        request.params.boardId,
        request.params.labelId,
        request.body,
      ),
  );

  app.delete(
    '/api/boards/:boardId/labels/:labelId',
    {
      schema: {
        operationId: 'deleteLabel',
        tags: ['tasks'],
        summary: 'Delete a label (it is removed from its tasks)',
        security: [{ bearerAuth: [] }],
        params: LabelParams,
        response: { 204: Type.Null(), ...problemResponses(400, 401, 403, 404, 503) },
      },
    },
    async (request, reply) => {
      await boards.deleteLabel(actorOf(request), request.params.boardId, request.params.labelId);
      return reply.code(204).send(null);
    },
  );
};
