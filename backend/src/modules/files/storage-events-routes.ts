import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { problemResponses } from '../../lib/problem.js';
import { checkSharedSecret } from '../../lib/shared-secret.js';
import { StorageEventBodySchema, StorageEventResultSchema } from './schemas.js';
import type { UploadsService } from './uploads-service.js';

/** S3 event keys are URL-encoded, with `+` for spaces (AWS and MinIO alike). */
function decodeKey(key: string): string | undefined {
  try {
    return decodeURIComponent(key.replace(/\+/g, ' '));
  } catch {
    return undefined;
  }
}

/**
 * The S3 event → Lambda trigger: the storage server reports created objects, and each one that
 * belongs to a pending upload is verified and recorded exactly as the client's complete call
 * would. Answers 200 with per-record outcomes, so rejected uploads are not retried by the server.
 */
export const storageEventsRoutes: FastifyPluginAsyncTypebox<{
  uploads: UploadsService;
  secret: string | undefined;
  bucket: string;
}> = async (app, { uploads, secret, bucket }) => {
  app.post(
    '/api/internal/storage-events',
    {
      schema: {
        operationId: 'receiveStorageEvents',
        tags: ['internal'],
        summary: 'Bucket notification webhook (S3/MinIO event JSON), shared-secret authenticated',
        description:
          'Send `Authorization: Bearer <STORAGE_WEBHOOK_SECRET>` (MinIO: the webhook auth_token). ' +
          'Idempotent: a repeated event changes nothing.',
        body: StorageEventBodySchema,
        response: { 200: StorageEventResultSchema, ...problemResponses(400, 401, 503) },
      },
      onRequest: async (request) => {
        const header = request.headers.authorization;
        const given = header?.startsWith('Bearer ') ? header.slice('Bearer '.length) : header;
        checkSharedSecret(given, secret, {
          code: 'storage_webhook',
          variable: 'STORAGE_WEBHOOK_SECRET',
        });
      },
    },
    async (request) => {
      const records = [];
      for (const record of request.body.Records) {
        const key = decodeKey(record.s3.object.key);
        const created = /(^|:)ObjectCreated:/.test(record.eventName);
        if (!key || !created || record.s3.bucket.name !== bucket) {
          records.push({ key: key ?? record.s3.object.key, outcome: 'ignored' as const });
          continue;
        }
        records.push({ key, outcome: await uploads.completeByKey(key) });
      }
      return { records };
    },
  );
};
