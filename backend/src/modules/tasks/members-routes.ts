import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { PATTERNS } from '../../lib/patterns.js';
import { problemResponses } from '../../lib/problem.js';
import type { MembersService } from './members-service.js';
import { actorOf } from './request.js';
import { BoardParamsSchema, BoardRoleSchema, Refs, Uuid } from './schemas.js';

const MemberParams = Type.Object({ boardId: Uuid(), userId: Uuid() });

/** Board membership: read by every member, changed by supervisors. */
export const membersRoutes: FastifyPluginAsyncTypebox<{ members: MembersService }> = async (
  app,
  { members },
) => {
  app.addHook('onRequest', app.authenticate);

  app.get(
    '/api/boards/:boardId/members',
    {
      schema: {
        operationId: 'listBoardMembers',
        tags: ['tasks'],
        summary: 'Current members of the board with their roles',
        security: [{ bearerAuth: [] }],
        params: BoardParamsSchema,
        response: { 200: Type.Array(Refs.Member), ...problemResponses(400, 401, 404, 503) },
      },
    },
    async (request) => members.list(actorOf(request), request.params.boardId),
  );

  app.post(
    '/api/boards/:boardId/members',
    {
      schema: {
        operationId: 'addBoardMember',
        tags: ['tasks'],
        summary: 'Add an existing account to the board (others are invited)',
        security: [{ bearerAuth: [] }],
        params: BoardParamsSchema,
        body: Type.Object(
          {
            email: Type.String({ maxLength: 254, pattern: PATTERNS.email.source }),
            role: BoardRoleSchema,
          },
          { additionalProperties: false },
        ),
        response: {
          201: Refs.Member,
          ...problemResponses(400, 401, 403, 404, 409, 413, 415, 422, 503),
        },
      },
    },
    async (request, reply) =>
      reply
        .code(201)
        .send(await members.add(actorOf(request), request.params.boardId, request.body)),
  );

  app.patch(
    '/api/boards/:boardId/members/:userId',
    {
      schema: {
        operationId: 'changeBoardMemberRole',
        tags: ['tasks'],
        summary: "Change a member's board role (a board keeps one supervisor at least)",
        security: [{ bearerAuth: [] }],
        params: MemberParams,
        body: Type.Object({ role: BoardRoleSchema }, { additionalProperties: false }),
        response: { 200: Refs.Member, ...problemResponses(400, 401, 403, 404, 409, 413, 415, 503) },
      },
    },
    async (request) =>
      members.changeRole(
        actorOf(request),
        request.params.boardId,
        request.params.userId,
        request.body.role,
      ),
  );

  app.delete(
    '/api/boards/:boardId/members/:userId',
    {
      schema: {
        operationId: 'removeBoardMember',
        tags: ['tasks'],
        summary: 'Remove a member; their tasks and history stay',
        security: [{ bearerAuth: [] }],
        params: MemberParams,
        response: { 204: Type.Null(), ...problemResponses(400, 401, 403, 404, 409, 503) },
      },
    },
    async (request, reply) => {
      await members.remove(actorOf(request), request.params.boardId, request.params.userId);
      return reply.code(204).send(null);
    },
  );
};
