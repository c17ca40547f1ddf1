import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { problemResponses } from '../../../lib/problem.js';
import { BoardParamsSchema } from '../schemas.js';
import type { LiveStreams } from './streams.js';

const EventStreamResponse = {
  description:
    'text/event-stream: `id:` the activity id, `event:` its type, `data:` one line of JSON',
  content: { 'text/event-stream': { schema: Type.String() } },
};

const LastEventIdHeaders = Type.Object({
  'last-event-id': Type.Optional(Type.String({ maxLength: 40 })),
});

/** When the request's (already verified) access token expires, in epoch milliseconds. */
function tokenExpiry(app: FastifyInstance, request: FastifyRequest): number {
  const token = request.headers.authorization?.split(' ').at(-1) ?? '';
  const claims = app.jwt.decode<{ exp?: number }>(token);
  return (claims?.exp ?? 0) * 1000;
}

/** Live event streams (server-sent events): a board's activity and the user's own events. */
export const liveRoutes: FastifyPluginAsyncTypebox<{ streams: LiveStreams }> = async (
  app,
  { streams },
) => {
  app.addHook('onRequest', app.authenticate);

  app.get(
    '/api/boards/:boardId/events',
    {
      schema: {
        operationId: 'streamBoardEvents',
        tags: ['tasks'],
        summary: "The board's activity as server-sent events, resumable with Last-Event-ID",
        security: [{ bearerAuth: [] }],
        params: BoardParamsSchema,
        headers: LastEventIdHeaders,
        response: { 200: EventStreamResponse, ...problemResponses(400, 401, 404, 429, 503) },
      },
    },
    async (request, reply) =>
      streams.board(request, reply, {
        boardId: request.params.boardId,
        lastEventId: request.headers['last-event-id'],
        expiresAt: tokenExpiry(app, request),
      }),
  );

  app.get(
    '/api/me/events',
    {
      schema: {
        operationId: 'streamMyEvents',
        tags: ['users'],
        summary: 'My own events (such as new notifications) as server-sent events',
        security: [{ bearerAuth: [] }],
        response: { 200: EventStreamResponse, ...problemResponses(401, 429, 503) },
      },
    },
    async (request, reply) =>
      streams.user(request, reply, { expiresAt: tokenExpiry(app, request) }),
  );
};
