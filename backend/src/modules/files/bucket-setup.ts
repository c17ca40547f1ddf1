import type { FastifyBaseLogger } from 'fastify';
import {
  ensureBucket,
  ensureBucketNotification,
  ensurePublicReadPolicy,
  type Storage,
} from '../../lib/storage.js';

export interface BucketSetupOptions {
  region: string;
  notificationArn: string | undefined;
}

/**
 * Idempotent start-up work on the bucket, using only standard S3 calls. The bucket must exist
 * (failure stops start-up); the public-read policy and event notifications are best effort,
 * because some S3 servers do not implement them (Garage has no bucket policies, s3rver neither;
 * only MinIO has webhook targets) and the module works without them: clients call "complete",
 * and public files can be proxied another way (see docs/storage.md).
 */
export async function prepareBucket(
  storage: Storage,
  { region, notificationArn }: BucketSetupOptions,
  log: FastifyBaseLogger,
): Promise<void> {
  await ensureBucket(storage, region);
  try {
    await ensurePublicReadPolicy(storage);
  } catch (error) {
    log.warn(
      { code: (error as { code?: string }).code },
      'bucket policy for public/* not set; public files need another anonymous read path',
    );
  }
  if (!notificationArn) {
    log.debug('S3_NOTIFICATION_ARN not set; uploads are recorded by the complete call only');
    return;
  }
  try {
    await ensureBucketNotification(storage, notificationArn);
    log.info({ arn: notificationArn }, 'bucket notifications configured');
  } catch (error) {
    log.warn(
      { code: (error as { code?: string }).code, arn: notificationArn },
      'bucket notifications not configured; uploads are recorded by the complete call only',
    );
  }
}
