import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { PageQuerySchema, pageOf } from '../../lib/pagination.js';
import { problemResponses } from '../../lib/problem.js';
import { actorOf } from './request.js';
import {
  BoardParamsSchema,
  DateOnly,
  Markdown,
  Nullable,
  PositionFields,
  PrioritySchema,
  Refs,
  TaskParamsSchema,
  Title,
  Uuid,
} from './schemas.js';
import type { TasksService } from './tasks-service.js';

const Ids = Type.Array(Uuid(), { maxItems: 50, uniqueItems: true });
const EditableFields = {
  title: Type.Optional(Title),
  content: Type.Optional(Markdown),
  picId: Type.Optional(Nullable(Uuid('The person in charge: a supervisor or member of the board'))),
  assigneeIds: Type.Optional(Ids),
  labelIds: Type.Optional(Ids),
  priority: Type.Optional(PrioritySchema),
  startDate: Type.Optional(Nullable(DateOnly)),
  dueDate: Type.Optional(Nullable(DateOnly)),
};
const etag = (version: number) => `"${version}"`;

/** Tasks: create, read (with ETag), edit (If-Match), move, and each task's activity. */
export const tasksRoutes: FastifyPluginAsyncTypebox<{ tasks: TasksService }> = async (
  app,
  { tasks },
) => {
  app.addHook('onRequest', app.authenticate);

  app.post(
    '/api/boards/:boardId/tasks',
    {
      schema: {
        operationId: 'createTask',
        tags: ['tasks'],
        summary: 'Create a task (in the first column unless columnId is given)',
        description:
          'Members may create tasks (they become the PIC); PIC, assignees and dates are set by supervisors.',
        security: [{ bearerAuth: [] }],
        params: BoardParamsSchema,
        body: Type.Object(
          { ...EditableFields, title: Title, columnId: Type.Optional(Uuid()), ...PositionFields },
          { additionalProperties: false },
        ),
        response: {
          201: Refs.Task,
          ...problemResponses(400, 401, 403, 404, 413, 415, 422, 503),
        },
      },
    },
    async (request, reply) => {
      const task = await tasks.create(actorOf(request), request.params.boardId, request.body);
      return reply.code(201).header('etag', etag(task.version)).send(task);
    },
  );

  app.get(
    '/api/tasks/:taskId',
    {
      schema: {
        operationId: 'getTask',
        tags: ['tasks'],
        summary: 'One task with its checklist; the ETag is its version',
        security: [{ bearerAuth: [] }],
        params: TaskParamsSchema,
        response: { 200: Refs.Task, ...problemResponses(400, 401, 404, 503) },
      },
    },
    async (request, reply) => {
      const task = await tasks.get(actorOf(request), request.params.taskId);
      return reply.header('etag', etag(task.version)).send(task);
    },
  );

  app.get(
    '/api/boards/:boardId/tasks/:number',
    {
      schema: {
        operationId: 'getTaskByNumber',
        tags: ['tasks'],
        summary: "One task by its board's id or key and its number (HP-42: HP, 42); ETag as above",
        security: [{ bearerAuth: [] }],
        params: Type.Object({
          boardId: Type.String({
            pattern: '^(?:[0-9a-fA-F]{8}-(?:[0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}|[A-Z0-9]{2,10})$',
            description: 'The board id, or its key such as HP',
          }),
          number: Type.Integer({ minimum: 1, maximum: 2_147_483_647 }),
        }),
        response: { 200: Refs.Task, ...problemResponses(400, 401, 404, 503) },
      },
    },
    async (request, reply) => {
      const task = await tasks.getByNumber(
        actorOf(request),
        request.params.boardId,
        request.params.number,
      );
      return reply.header('etag', etag(task.version)).send(task);
    },
  );

  app.patch(
    '/api/tasks/:taskId',
    {
      schema: {
        operationId: 'updateTask',
        tags: ['tasks'],
        summary: 'Change fields of a task; needs If-Match with the ETag you read',
        description:
          'Without If-Match: 428. With an older version: 412 with the current task and the fields ' +
          'changed since (`changedFields`); re-apply a change whose fields do not overlap.',
        security: [{ bearerAuth: [] }],
        params: TaskParamsSchema,
        headers: Type.Object({ 'if-match': Type.Optional(Type.String({ maxLength: 40 })) }),
        body: Type.Object(
          { ...EditableFields, archived: Type.Optional(Type.Boolean()) },
          { additionalProperties: false },
        ),
        response: {
          200: Refs.Task,
          412: Refs.StaleTaskProblem,
          ...problemResponses(400, 401, 403, 404, 413, 415, 422, 428, 503),
        },
      },
    },
    async (request, reply) => {
      const task = await tasks.update(
        actorOf(request),
        request.params.taskId,
        request.headers['if-match'],
        request.body,
      );
      return reply.header('etag', etag(task.version)).send(task);
    },
  );

  app.post(
    '/api/tasks/:taskId/move',
    {
      schema: {
        operationId: 'moveTask',
        tags: ['tasks'],
        summary: 'Move a task into a column, after/before a sibling (neither: to the end)',
        description:
          'The server computes the rank under the column lock. WIP limits are flagged ' +
          '(`wipLimitExceeded`), not refused; supervisors-only columns refuse members with 403.',
        security: [{ bearerAuth: [] }],
        params: TaskParamsSchema,
        body: Type.Object({ columnId: Uuid(), ...PositionFields }, { additionalProperties: false }),
        response: {
          200: Type.Object({ task: Refs.Task, wipLimitExceeded: Type.Boolean() }),
          ...problemResponses(400, 401, 403, 404, 413, 415, 422, 503),
        },
      },
    },
    async (request, reply) => {
      const moved = await tasks.move(actorOf(request), request.params.taskId, request.body);
      return reply.header('etag', etag(moved.task.version)).send(moved);
    },
  );

  app.get(
    '/api/tasks/:taskId/activity',
    {
      schema: {
        operationId: 'listTaskActivity',
        tags: ['tasks'],
        summary: "The task's activity, newest first, a page at a time",
        security: [{ bearerAuth: [] }],
        params: TaskParamsSchema,
        querystring: PageQuerySchema,
        response: { 200: pageOf(Refs.Activity), ...problemResponses(400, 401, 404, 503) },
      },
    },
    async (request) => tasks.activity(actorOf(request), request.params.taskId, request.query),
  );
};
