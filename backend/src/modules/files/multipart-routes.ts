import multipart from '@fastify/multipart';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { AppError } from '../../lib/errors.js';
import { discardRestOfBody, readParts } from '../../lib/multipart.js';
import { problemResponses } from '../../lib/problem.js';
import type { MultipartService } from './multipart-service.js';
import { FileListSchema, MultipartBodySchema } from './schemas.js';

/** Form fields and part headers on top of the files a request may carry. */
const DRAIN_SLACK_BYTES = 1024 * 1024;
const DRAIN_TIMEOUT_MS = 60_000;

/** Uploads through the backend, for clients that cannot POST to S3 themselves. */
export const multipartRoutes: FastifyPluginAsyncTypebox<{
  multipartUploads: MultipartService;
  maxFiles: number;
  maxFileBytes: number;
}> = async (app, { multipartUploads, maxFiles, maxFileBytes }) => {
  await app.register(multipart, {
    // Backstops only: the service enforces each purpose's limits itself, as bytes arrive.
    limits: {
      files: maxFiles + 1,
      fileSize: maxFileBytes + 1,
      fields: 10,
      fieldSize: 1024,
      parts: maxFiles + 11,
    },
  });
  app.addHook('onRequest', app.authenticate);

  app.post(
    '/api/files',
    {
      schema: {
        operationId: 'uploadFiles',
        tags: ['files'],
        summary: 'Upload files through the backend (multipart/form-data, streamed to S3)',
        description:
          'Send `purpose` first, then up to FILES_MULTIPART_MAX_FILES file parts. Each file streams ' +
          'to S3 without being buffered whole; the size limit (413) and type checks (422) apply ' +
          'as bytes arrive, and on any failure nothing is kept.',
        security: [{ bearerAuth: [] }],
        consumes: ['multipart/form-data'],
        body: MultipartBodySchema,
        response: { 201: FileListSchema, ...problemResponses(400, 401, 413, 415, 422, 503) },
      },
      // The body is a stream, validated part by part in the service; the schema documents it.
      validatorCompiler: () => () => true,
    },
    async (request, reply) => {
      if (!request.isMultipart()) {
        throw new AppError(415, 'unsupported_media_type', 'Send the files as multipart/form-data.');
      }
      try {
        const items = await multipartUploads.upload(
          request.user.id,
          readParts(() => request.parts()),
        );
        return reply.code(201).send({ items });
      } catch (error) {
        // Answer at once, then read the rest of the body away once the answer is out, so no
        // proxy in front loses the answer to a reset (bounded by what one request may carry).
        reply.raw.once('finish', () => {
          void discardRestOfBody(request.raw, {
            maxBytes: DRAIN_SLACK_BYTES + maxFiles * maxFileBytes,
            timeoutMs: DRAIN_TIMEOUT_MS,
          });
        });
        throw error;
      }
    },
  );
};
