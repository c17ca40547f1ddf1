import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { problemResponses } from '../../lib/problem.js';
import type { AttachmentsService } from './attachments-service.js';
import { actorOf } from './request.js';
import { TaskParamsSchema, Uuid } from './schemas.js';

const AttachmentSchema = Type.Object(
  {
    id: Uuid(),
    taskId: Uuid(),
    fileId: Uuid('Download with GET /api/files/:fileId; delete with DELETE /api/files/:fileId'),
    uploadedBy: Uuid(),
    createdAt: Type.String({ format: 'date-time' }),
    filename: Type.String(),
    contentType: Type.String(),
    size: Type.Integer(),
  },
  { $id: 'TaskAttachment', title: 'TaskAttachment' },
);

/** A task's attachments: files uploaded with purpose `task_attachment`, then attached here. */
export const attachmentsRoutes: FastifyPluginAsyncTypebox<{
  attachments: AttachmentsService;
}> = async (app, { attachments }) => {
  app.addSchema(AttachmentSchema);
  app.addHook('onRequest', app.authenticate);

  app.get(
    '/api/tasks/:taskId/attachments',
    {
      schema: {
        operationId: 'listTaskAttachments',
        tags: ['tasks'],
        summary: "A task's attachments, oldest first",
        security: [{ bearerAuth: [] }],
        params: TaskParamsSchema,
        response: {
          200: Type.Array(Type.Ref('TaskAttachment')),
          ...problemResponses(400, 401, 404, 503),
        },
      },
    },
    async (request) => attachments.list(actorOf(request), request.params.taskId),
  );

  app.post(
    '/api/tasks/:taskId/attachments',
    {
      schema: {
        operationId: 'attachFileToTask',
        tags: ['tasks'],
        summary: 'Attach one of your completed `task_attachment` uploads to the task',
        description:
          'Upload first (POST /api/files/uploads with purpose task_attachment, then complete). ' +
          'Every board member may then download it; you or a supervisor may delete it.',
        security: [{ bearerAuth: [] }],
        params: TaskParamsSchema,
        body: Type.Object({ fileId: Uuid() }, { additionalProperties: false }),
        response: {
          201: Type.Ref('TaskAttachment'),
          ...problemResponses(400, 401, 403, 404, 409, 413, 415, 422, 503),
        },
      },
    },
    async (request, reply) =>
      reply
        .code(201)
        .send(
          await attachments.attach(actorOf(request), request.params.taskId, request.body.fileId),
        ),
  );
};
