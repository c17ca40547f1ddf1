import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { PATTERNS } from '../../lib/patterns.js';
import { problemResponses } from '../../lib/problem.js';
import type { InvitationsService } from './invitations-service.js';
import { actorOf } from './request.js';
import { BoardParamsSchema, BoardRoleSchema, Uuid } from './schemas.js';

const InvitationSchema = Type.Object(
  {
    id: Uuid(),
    boardId: Uuid(),
    email: Type.String(),
    role: BoardRoleSchema,
    invitedBy: Uuid(),
    expiresAt: Type.String({ format: 'date-time' }),
    sentAt: Type.String({ format: 'date-time' }),
    createdAt: Type.String({ format: 'date-time' }),
    status: Type.Union([Type.Literal('pending'), Type.Literal('expired')]),
  },
  { $id: 'BoardInvitation', title: 'BoardInvitation' },
);
const InvitationRef = Type.Ref('BoardInvitation');
const InvitationParams = Type.Object({ boardId: Uuid(), invitationId: Uuid() });

/** Invitations: supervisors invite by email; the invited person accepts signed in. */
export const invitationsRoutes: FastifyPluginAsyncTypebox<{
  invitations: InvitationsService;
}> = async (app, { invitations }) => {
  app.addSchema(InvitationSchema);
  app.addHook('onRequest', app.authenticate);

  app.get(
    '/api/boards/:boardId/invitations',
    {
      schema: {
        operationId: 'listBoardInvitations',
        tags: ['tasks'],
        summary: 'Invitations not yet accepted or revoked (supervisors)',
        security: [{ bearerAuth: [] }],
        params: BoardParamsSchema,
        response: { 200: Type.Array(InvitationRef), ...problemResponses(400, 401, 403, 404, 503) },
      },
    },
    async (request) => invitations.list(actorOf(request), request.params.boardId),
  );

  app.post(
    '/api/boards/:boardId/invitations',
    {
      schema: {
        operationId: 'inviteToBoard',
        tags: ['tasks'],
        summary: 'Invite an email address to the board with a role; the link is emailed',
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
          201: InvitationRef,
          ...problemResponses(400, 401, 403, 404, 409, 413, 415, 503),
        },
      },
    },
    async (request, reply) =>
      reply
        .code(201)
        .send(await invitations.create(actorOf(request), request.params.boardId, request.body)),
  );

  app.post(
    '/api/boards/:boardId/invitations/:invitationId/resend',
    {
      schema: {
        operationId: 'resendBoardInvitation',
        tags: ['tasks'],
        summary: 'Email a new link (the previous one stops working) with a new expiry',
        security: [{ bearerAuth: [] }],
        params: InvitationParams,
        response: { 200: InvitationRef, ...problemResponses(400, 401, 403, 404, 503) },
      },
    },
    async (request) =>
      invitations.resend(actorOf(request), request.params.boardId, request.params.invitationId),
  );

  app.delete(
    '/api/boards/:boardId/invitations/:invitationId',
    {
      schema: {
        operationId: 'revokeBoardInvitation',
        tags: ['tasks'],
        summary: 'Revoke a pending invitation; its link stops working',
        security: [{ bearerAuth: [] }],
        params: InvitationParams,
        response: { 204: Type.Null(), ...problemResponses(400, 401, 403, 404, 503) },
      },
    },
    async (request, reply) => {
      await invitations.revoke(
        actorOf(request),
        request.params.boardId,
        request.params.invitationId,
      );
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/api/invitations/accept',
    {
      schema: {
        operationId: 'acceptBoardInvitation',
        tags: ['tasks'],
        summary: 'Join the board of an emailed invitation, signed in with the invited address',
        description:
          'Someone without an account signs up with the invited address first (the sign-up flow), ' +
          'signs in, and then accepts. The token is single-use.',
        security: [{ bearerAuth: [] }],
        body: Type.Object(
          {
            token: Type.String({
              pattern: '^[A-Za-z0-9_-]{43}$',
              description: 'The token from the emailed link',
            }),
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({ boardId: Uuid(), role: BoardRoleSchema }),
          ...problemResponses(400, 401, 403, 404, 409, 410, 413, 415, 503),
        },
      },
    },
    async (request) => invitations.accept(actorOf(request), request.body.token),
  );
};
