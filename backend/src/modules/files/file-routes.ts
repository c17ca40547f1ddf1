import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { pageOf } from '../../lib/pagination.js';
import { problemResponses } from '../../lib/problem.js';
import type { FilesService } from './files-service.js';
import {
  DownloadQuerySchema,
  DownloadSchema,
  FileParamsSchema,
  FileRef,
  ListFilesQuerySchema,
} from './schemas.js';

/** Reading and deleting the caller's own files. */
export const fileRoutes: FastifyPluginAsyncTypebox<{ files: FilesService }> = async (
  app,
  { files },
) => {
  app.addHook('onRequest', app.authenticate);

  app.get(
    '/api/files',
    {
      schema: {
        operationId: 'listFiles',
        tags: ['files'],
        summary: "The caller's files, newest first, a page at a time",
        security: [{ bearerAuth: [] }],
        querystring: ListFilesQuerySchema,
        response: { 200: pageOf(FileRef), ...problemResponses(400, 401, 503) },
      },
    },
    async (request) => files.list(request.user.id, request.query),
  );

  app.get(
    '/api/files/:id',
    {
      schema: {
        operationId: 'getFileDownload',
        tags: ['files'],
        summary: 'A download URL for one of your files (JSON, or 302 with ?redirect=true)',
        description:
          'Private files: a presigned GET valid for FILES_DOWNLOAD_EXPIRY_SECONDS whose response ' +
          'carries Content-Disposition with the original name (RFC 5987 `filename*`). Public ' +
          'files (avatars): their permanent public URL.',
        security: [{ bearerAuth: [] }],
        params: FileParamsSchema,
        querystring: DownloadQuerySchema,
        response: {
          200: DownloadSchema,
          302: Type.Null({ description: 'Redirect to the URL (Location header)' }),
          ...problemResponses(400, 401, 404, 503),
        },
      },
    },
    async (request, reply) => {
      const download = await files.download(request.user.id, request.params.id);
      if (!request.query.redirect) return download;
      return reply.header('cache-control', 'no-store').redirect(download.url, 302);
    },
  );

  app.delete(
    '/api/files/:id',
    {
      schema: {
        operationId: 'deleteFile',
        tags: ['files'],
        summary: 'Delete one of your files; the object is removed by a retried background job',
        security: [{ bearerAuth: [] }],
        params: FileParamsSchema,
        response: { 204: Type.Null(), ...problemResponses(400, 401, 404, 503) },
      },
    },
    async (request, reply) => {
      await files.remove({ userId: request.user.id, requestId: request.id }, request.params.id);
      return reply.code(204).send(null);
    },
  );
};
