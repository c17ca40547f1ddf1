import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { problemResponses } from '../../lib/problem.js';
import {
  CreateUploadBodySchema,
  FileRef,
  PresignedUploadSchema,
  UploadParamsSchema,
} from './schemas.js';
import type { UploadsService } from './uploads-service.js';

/** Presigned direct uploads: the browser sends the bytes to S3, the backend decides where. */
export const uploadRoutes: FastifyPluginAsyncTypebox<{ uploads: UploadsService }> = async (
  app,
  { uploads },
) => {
  app.addHook('onRequest', app.authenticate);

  app.post(
    '/api/files/uploads',
    {
      schema: {
        operationId: 'createFileUpload',
        tags: ['files'],
        summary: 'Start an upload: a presigned POST form for a server-chosen key',
        description:
          'Checks the purpose rules (type, size), creates a pending upload that expires with the ' +
          'form, and returns the URL and fields to POST as multipart/form-data (the file last, ' +
          'as `file`). Then call `POST /api/files/uploads/{id}/complete`.',
        security: [{ bearerAuth: [] }],
        body: CreateUploadBodySchema,
        response: { 201: PresignedUploadSchema, ...problemResponses(400, 401, 413, 422, 503) },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await uploads.create(request.user.id, request.body)),
  );

  app.post(
    '/api/files/uploads/:id/complete',
    {
      schema: {
        operationId: 'completeFileUpload',
        tags: ['files'],
        summary: 'Record an uploaded file after checking its key, size, type and first bytes',
        description:
          'On any mismatch the object is removed and the answer is 422 (the form may be used ' +
          'again until it expires). Completing again returns the same file.',
        security: [{ bearerAuth: [] }],
        params: UploadParamsSchema,
        response: { 200: FileRef, ...problemResponses(400, 401, 404, 410, 422, 503) },
      },
    },
    async (request) => uploads.complete(request.user.id, request.params.id),
  );
};
