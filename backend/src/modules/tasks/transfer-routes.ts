import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { problemResponses } from '../../lib/problem.js';
import { actorOf } from './request.js';
import { BoardParamsSchema, Uuid } from './schemas.js';
import { HomeportBoardFileSchema } from './transfer-schemas.js';
import type { TransferService } from './transfer-service.js';

const IMPORT_BODY_LIMIT = 20 * 1024 * 1024;
const BoardFileSchema = Type.Object(HomeportBoardFileSchema.properties, {
  $id: 'HomeportBoardFile',
  title: 'HomeportBoardFile',
  description: 'A complete board: importing it (source "homeport") gives the same board',
});

/** Board export (JSON, CSV) and import (Homeport JSON, Trello JSON). */
export const transferRoutes: FastifyPluginAsyncTypebox<{ transfer: TransferService }> = async (
  app,
  { transfer },
) => {
  app.addSchema(BoardFileSchema);
  app.addHook('onRequest', app.authenticate);

  app.get(
    '/api/boards/:boardId/export',
    {
      schema: {
        operationId: 'exportBoard',
        tags: ['tasks'],
        summary: 'The whole board as a Homeport board file (JSON), re-importable',
        security: [{ bearerAuth: [] }],
        params: BoardParamsSchema,
        response: { 200: Type.Ref('HomeportBoardFile'), ...problemResponses(400, 401, 404, 503) },
      },
    },
    async (request, reply) => {
      const file = await transfer.exportJson(actorOf(request), request.params.boardId);
      return reply
        .header('content-disposition', `attachment; filename="${file.board.key}.homeport.json"`)
        .send(file);
    },
  );

  app.get(
    '/api/boards/:boardId/export.csv',
    {
      schema: {
        operationId: 'exportBoardCsv',
        tags: ['tasks'],
        summary: 'The board’s tasks as CSV, one row per task',
        security: [{ bearerAuth: [] }],
        params: BoardParamsSchema,
        response: {
          200: Type.String({ description: 'text/csv; charset=utf-8' }),
          ...problemResponses(400, 401, 404, 503),
        },
      },
    },
    async (request, reply) => {
      const csv = await transfer.exportCsv(actorOf(request), request.params.boardId);
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', 'attachment; filename="board.csv"')
        .send(csv);
    },
  );

  app.post(
    '/api/boards/import',
    {
      bodyLimit: IMPORT_BODY_LIMIT,
      schema: {
        operationId: 'importBoard',
        tags: ['tasks'],
        summary:
          'Create a board from a Homeport board file or a Trello board export, all or nothing',
        description:
          'Trello: open lists become columns, cards tasks (closed cards archived) with labels, ' +
          'checklists, start/due dates and comments (kept with the Trello author name). Members ' +
          'are matched by email (Homeport files); unknown addresses are listed in skippedMembers.',
        security: [{ bearerAuth: [] }],
        body: Type.Object(
          {
            source: Type.Union([Type.Literal('homeport'), Type.Literal('trello')]),
            key: Type.String({
              pattern: '^[A-Z][A-Z0-9]{1,9}$',
              description: 'Key of the new board',
            }),
            name: Type.Optional(Type.String({ minLength: 1, maxLength: 120, pattern: '\\S' })),
            data: Type.Unknown({
              description: 'The file: a Homeport board file or Trello board JSON',
            }),
          },
          { additionalProperties: false },
        ),
        response: {
          201: Type.Object({
            boardId: Uuid(),
            tasks: Type.Integer(),
            skippedMembers: Type.Array(Type.String(), {
              description: 'Member addresses of the file with no active account here',
            }),
          }),
          ...problemResponses(400, 401, 403, 409, 413, 415, 422, 503),
        },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await transfer.import(actorOf(request), request.body)),
  );
};
