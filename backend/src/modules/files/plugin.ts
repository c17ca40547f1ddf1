import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Config } from '../../config.js';
import type { Database } from '../../db/client.js';
import type { Storage } from '../../lib/storage.js';
import { prepareBucket } from './bucket-setup.js';
import { fileRoutes } from './file-routes.js';
import { createFilesService } from './files-service.js';
import { createJobQueue } from './job-queue.js';
import { multipartRoutes } from './multipart-routes.js';
import { createMultipartService } from './multipart-service.js';
import type { FileAccessHooks } from './purposes.js';
import { FileSchema } from './schemas.js';
import { filesSettings } from './settings.js';
import { storageEventsRoutes } from './storage-events-routes.js';
import { uploadRoutes } from './upload-routes.js';
import { createUploadsService } from './uploads-service.js';

const BUCKET_SETUP_RETRY_MS = 10_000;

/** The files module (the S3 block): every route, its services, and the bucket set-up on start. */
export const filesModule: FastifyPluginAsyncTypebox<{
  config: Config;
  db: Database;
  storage: Storage;
  /** Permission hooks of purposes other modules own (task attachments). */
  access?: FileAccessHooks;
}> = async (app, { config, db, storage, access = {} }) => {
  const settings = filesSettings(config);
  const deps = { db, storage, settings, access, jobs: createJobQueue(db) };
  const uploads = createUploadsService(deps);

  // S3 being down at start must not keep the API down: set-up is retried until it succeeds, and
  // meanwhile /api/ready reports storage failing.
  let retry: NodeJS.Timeout | undefined;
  const setUpBucket = async () => {
    try {
      await prepareBucket(
        storage,
        { region: config.S3_REGION, notificationArn: config.S3_NOTIFICATION_ARN },
        app.log,
      );
    } catch (error) {
      app.log.error(
        { err: error },
        `bucket set-up failed; retrying in ${BUCKET_SETUP_RETRY_MS / 1000} s`,
      );
      retry = setTimeout(setUpBucket, BUCKET_SETUP_RETRY_MS);
      retry.unref();
    }
  };
  app.addHook('onReady', setUpBucket);
  app.addHook('onClose', async () => clearTimeout(retry));
  app.addSchema(FileSchema);

  await app.register(storageEventsRoutes, {
    uploads,
    secret: config.STORAGE_WEBHOOK_SECRET,
    bucket: storage.bucket,
  });
  await app.register(uploadRoutes, { uploads });
  await app.register(fileRoutes, { files: createFilesService(deps) });
  await app.register(multipartRoutes, {
    multipartUploads: createMultipartService(deps),
    maxFiles: settings.multipartMaxFiles,
    maxFileBytes: Math.max(...Object.values(settings.rules).map((rule) => rule.maxBytes)),
  });
};
