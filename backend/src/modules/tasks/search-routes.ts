import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { PageQuerySchema, pageOf } from '../../lib/pagination.js';
import { problemResponses } from '../../lib/problem.js';
import { actorOf } from './request.js';
import { BoardParamsSchema, Refs, Uuid } from './schemas.js';
import type { SearchService } from './search-service.js';

/** Finding tasks: a board's tasks by text and filters, and "my tasks" across boards. */
export const searchRoutes: FastifyPluginAsyncTypebox<{ search: SearchService }> = async (
  app,
  { search },
) => {
  app.addHook('onRequest', app.authenticate);

  app.get(
    '/api/boards/:boardId/tasks',
    {
      schema: {
        operationId: 'searchBoardTasks',
        tags: ['tasks'],
        summary: "A board's tasks by text and filters, by number, a page at a time",
        security: [{ bearerAuth: [] }],
        params: BoardParamsSchema,
        querystring: Type.Object({
          ...PageQuerySchema.properties,
          q: Type.Optional(
            Type.String({
              minLength: 1,
              maxLength: 200,
              description: 'A substring of the title, content or a comment (any language)',
            }),
          ),
          pic: Type.Optional(Uuid('PIC')),
          assignee: Type.Optional(Uuid('An assignee')),
          label: Type.Optional(Uuid('A label of the board')),
          column: Type.Optional(Uuid('A column of the board')),
          due: Type.Optional(
            Type.Union([Type.Literal('overdue'), Type.Literal('this_week'), Type.Literal('none')]),
          ),
          archived: Type.Boolean({
            default: false,
            description: 'Archived tasks instead of open ones',
          }),
          tz: Type.Optional(
            Type.String({
              maxLength: 64,
              description: 'IANA time zone "today" is taken in (default UTC)',
            }),
          ),
        }),
        response: { 200: pageOf(Refs.Card), ...problemResponses(400, 401, 404, 503) },
      },
    },
    async (request) => search.search(actorOf(request), request.params.boardId, request.query),
  );

  app.get(
    '/api/me/tasks',
    {
      schema: {
        operationId: 'listMyTasks',
        tags: ['tasks'],
        summary: 'Open tasks where I am PIC or assignee, across my boards, by due date',
        security: [{ bearerAuth: [] }],
        querystring: PageQuerySchema,
        response: { 200: pageOf(Refs.Card), ...problemResponses(400, 401, 503) },
      },
    },
    async (request) => search.mine(actorOf(request), request.query),
  );
};
