import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { PageQuerySchema, pageOf } from '../../lib/pagination.js';
import { problemResponses } from '../../lib/problem.js';
import type { CommentsService } from './comments-service.js';
import { actorOf } from './request.js';
import { Nullable, TaskParamsSchema, Uuid } from './schemas.js';

const CommentSchema = Type.Object(
  {
    id: Uuid(),
    taskId: Uuid(),
    authorId: Nullable(Uuid()),
    importedAuthor: Nullable(Type.String({ description: 'Author name from an imported board' })),
    content: Type.String({ description: 'Markdown as written; empty once deleted' }),
    mentions: Type.Array(Uuid(), { description: 'Board members named with @' }),
    createdAt: Type.String({ format: 'date-time' }),
    editedAt: Nullable(Type.String({ format: 'date-time' })),
    deleted: Type.Boolean(),
  },
  { $id: 'TaskComment', title: 'TaskComment' },
);
const CommentRef = Type.Ref('TaskComment');
const CommentBody = Type.Object(
  { content: Type.String({ minLength: 1, maxLength: 20_000, pattern: '\\S' }) },
  { additionalProperties: false },
);
const CommentParams = Type.Object({ taskId: Uuid(), commentId: Uuid() });

/** A task's comments. */
export const commentsRoutes: FastifyPluginAsyncTypebox<{ comments: CommentsService }> = async (
  app,
  { comments },
) => {
  app.addSchema(CommentSchema);
  app.addHook('onRequest', app.authenticate);

  app.get(
    '/api/tasks/:taskId/comments',
    {
      schema: {
        operationId: 'listTaskComments',
        tags: ['tasks'],
        summary: "A task's comments, oldest first, a page at a time",
        security: [{ bearerAuth: [] }],
        params: TaskParamsSchema,
        querystring: PageQuerySchema,
        response: { 200: pageOf(CommentRef), ...problemResponses(400, 401, 404, 503) },
      },
    },
    async (request) => comments.list(actorOf(request), request.params.taskId, request.query),
  );

  app.post(
    '/api/tasks/:taskId/comments',
    {
      schema: {
        operationId: 'addTaskComment',
        tags: ['tasks'],
        summary: 'Comment on a task (Markdown; @name mentions board members)',
        security: [{ bearerAuth: [] }],
        params: TaskParamsSchema,
        body: CommentBody,
        response: { 201: CommentRef, ...problemResponses(400, 401, 403, 404, 413, 415, 503) },
      },
    },
    async (request, reply) =>
      reply
        .code(201)
        .send(await comments.add(actorOf(request), request.params.taskId, request.body.content)),
  );

  app.patch(
    '/api/tasks/:taskId/comments/:commentId',
    {
      schema: {
        operationId: 'editTaskComment',
        tags: ['tasks'],
        summary: 'Edit your comment',
        security: [{ bearerAuth: [] }],
        params: CommentParams,
        body: CommentBody,
        response: { 200: CommentRef, ...problemResponses(400, 401, 403, 404, 413, 415, 503) },
      },
    },
    async (request) =>
      comments.edit(
        actorOf(request),
        request.params.taskId,
        request.params.commentId,
        request.body.content,
      ),
  );

  app.delete(
    '/api/tasks/:taskId/comments/:commentId',
    {
      schema: {
        operationId: 'deleteTaskComment',
        tags: ['tasks'],
        summary: 'Delete your comment (supervisors: any comment)',
        security: [{ bearerAuth: [] }],
        params: CommentParams,
        response: { 204: Type.Null(), ...problemResponses(400, 401, 403, 404, 503) },
      },
    },
    async (request, reply) => {
      await comments.remove(actorOf(request), request.params.taskId, request.params.commentId);
      return reply.code(204).send(null);
    },
  );
};
