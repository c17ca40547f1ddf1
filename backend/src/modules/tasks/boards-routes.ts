import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { PageQuerySchema, pageOf } from '../../lib/pagination.js';
import { problemResponses } from '../../lib/problem.js';
import type { BoardViewService } from './board-view-service.js';
import type { BoardsService } from './boards-service.js';
import { actorOf } from './request.js';
import { BoardParamsSchema, Markdown, Refs, Uuid } from './schemas.js';

const BoardKey = Type.String({
  pattern: '^[A-Z][A-Z0-9]{1,9}$',
  description: '2-10 capital letters or digits, starting with a letter, e.g. HP',
});
const BoardName = Type.String({ minLength: 1, maxLength: 120, pattern: '\\S' });

const BoardViewSchema = Type.Object({
  board: Refs.Board,
  columns: Type.Array(
    Type.Object({
      id: Uuid(),
      boardId: Uuid(),
      name: Type.String(),
      rank: Type.String(),
      wipLimit: Type.Union([Type.Integer(), Type.Null()]),
      isDone: Type.Boolean(),
      supervisorsOnlyMoveIn: Type.Boolean(),
      openCount: Type.Integer({ description: 'Open (not archived) tasks in the column' }),
      overWipLimit: Type.Boolean({
        description: 'More open tasks than the WIP limit (flagged, never refused)',
      }),
      tasks: pageOf(Refs.Card),
    }),
  ),
  labels: Type.Array(Refs.Label),
  members: Type.Array(Refs.Member),
});

/** Boards: create, list, read (the board view), settings, and the board's activity. */
export const boardsRoutes: FastifyPluginAsyncTypebox<{
  boards: BoardsService;
  boardView: BoardViewService;
}> = async (app, { boards, boardView }) => {
  app.addHook('onRequest', app.authenticate);

  app.post(
    '/api/boards',
    {
      schema: {
        operationId: 'createBoard',
        tags: ['tasks'],
        summary: 'Create a board (To do / In progress / Review / Done); you become its supervisor',
        security: [{ bearerAuth: [] }],
        body: Type.Object(
          {
            key: BoardKey,
            name: BoardName,
            description: Type.Optional(Type.String({ maxLength: 5000 })),
            viewersCanComment: Type.Optional(Type.Boolean()),
          },
          { additionalProperties: false },
        ),
        response: { 201: Refs.Board, ...problemResponses(400, 401, 403, 409, 413, 415, 503) },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await boards.create(actorOf(request), request.body)),
  );

  app.get(
    '/api/boards',
    {
      schema: {
        operationId: 'listBoards',
        tags: ['tasks'],
        summary: 'The boards I am a member of (all boards for an admin), by key',
        security: [{ bearerAuth: [] }],
        querystring: PageQuerySchema,
        response: { 200: pageOf(Refs.Board), ...problemResponses(400, 401, 503) },
      },
    },
    async (request) => boards.list(actorOf(request), request.query),
  );

  app.get(
    '/api/boards/by-key/:key',
    {
      schema: {
        operationId: 'getBoardByKey',
        tags: ['tasks'],
        summary: 'The board with this key (e.g. HP), as the web UI addresses boards',
        description: 'Not a member, or no such key: the same 404.',
        security: [{ bearerAuth: [] }],
        params: Type.Object({ key: BoardKey }),
        response: { 200: Refs.Board, ...problemResponses(400, 401, 404, 503) },
      },
    },
    async (request) => boards.getByKey(actorOf(request), request.params.key),
  );

  app.get(
    '/api/boards/:boardId',
    {
      schema: {
        operationId: 'getBoard',
        tags: ['tasks'],
        summary: 'The board view: columns with their first page of open cards, labels, members',
        description:
          'A constant number of queries whatever the board size; archived tasks are not loaded.',
        security: [{ bearerAuth: [] }],
        params: BoardParamsSchema,
        querystring: Type.Object({
          perColumn: Type.Integer({
            minimum: 1,
            maximum: 200,
            default: 50,
            description: 'Cards per column',
          }),
        }),
        response: { 200: BoardViewSchema, ...problemResponses(400, 401, 404, 503) },
      },
    },
    async (request) =>
      boardView.load(actorOf(request), request.params.boardId, request.query.perColumn),
  );

  app.get(
    '/api/boards/:boardId/columns/:columnId/tasks',
    {
      schema: {
        operationId: 'listColumnTasks',
        tags: ['tasks'],
        summary: "The next page of a column's open cards, in rank order",
        security: [{ bearerAuth: [] }],
        params: Type.Object({ boardId: Uuid(), columnId: Uuid() }),
        querystring: PageQuerySchema,
        response: { 200: pageOf(Refs.Card), ...problemResponses(400, 401, 404, 503) },
      },
    },
    async (request) =>
      boardView.columnPage(
        actorOf(request),
        request.params.boardId,
        request.params.columnId,
        request.query,
      ),
  );

  app.patch(
    '/api/boards/:boardId',
    {
      schema: {
        operationId: 'updateBoard',
        tags: ['tasks'],
        summary: 'Change board settings (supervisors)',
        security: [{ bearerAuth: [] }],
        params: BoardParamsSchema,
        body: Type.Object(
          {
            name: Type.Optional(BoardName),
            description: Type.Optional(Markdown),
            viewersCanComment: Type.Optional(Type.Boolean()),
            archived: Type.Optional(Type.Boolean()),
          },
          { additionalProperties: false },
        ),
        response: { 200: Refs.Board, ...problemResponses(400, 401, 403, 404, 413, 415, 503) },
      },
    },
    async (request) => boards.update(actorOf(request), request.params.boardId, request.body),
  );

  app.get(
    '/api/boards/:boardId/activity',
    {
      schema: {
        operationId: 'listBoardActivity',
        tags: ['tasks'],
        summary: "The board's activity, newest first, a page at a time",
        security: [{ bearerAuth: [] }],
        params: BoardParamsSchema,
        querystring: PageQuerySchema,
        response: { 200: pageOf(Refs.Activity), ...problemResponses(400, 401, 404, 503) },
      },
    },
    async (request) => boards.activity(actorOf(request), request.params.boardId, request.query),
  );
};
