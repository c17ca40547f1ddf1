import * as http from 'node:http';
import * as https from 'node:https';
import * as Minio from 'minio';
import type { Config } from '../config.js';

export interface Storage {
  /** Talks to the S3 server over the internal network (uploads from the backend, stat, delete). */
  client: Minio.Client;
  /** Signs URLs for the public origin (nginx proxies /<bucket>/ to the S3 server). */
  presigner: Minio.Client;
  bucket: string;
}

/**
 * Idle keep-alive sockets are dropped after 2 s. Many S3 servers (and Node-based ones such as
 * s3rver) close idle connections after 5 s; reusing a socket the server is closing fails the
 * request with ECONNRESET, which the client does not retry, so ours must give up first.
 */
const IDLE_SOCKET_MS = 2000;
const agents = {
  http: new http.Agent({ keepAlive: true, scheduling: 'lifo', timeout: IDLE_SOCKET_MS }),
  https: new https.Agent({ keepAlive: true, scheduling: 'lifo', timeout: IDLE_SOCKET_MS }),
};

function clientFor(endpoint: string, config: Config): Minio.Client {
  const url = new URL(endpoint);
  const useSSL = url.protocol === 'https:';
  return new Minio.Client({
    transportAgent: useSSL ? agents.https : agents.http,
    endPoint: url.hostname,
    port: url.port ? Number(url.port) : useSSL ? 443 : 80,
    useSSL,
    accessKey: config.S3_ACCESS_KEY,
    secretKey: config.S3_SECRET_KEY,
    // An explicit region means no bucket-location lookup, which the public origin could not answer.
    region: config.S3_REGION,
    pathStyle: config.S3_PATH_STYLE,
    // S3 servers answer the odd 500/503 under load; retry those a few times with backoff (the
    // client's default is a single retry) before a request fails.
    retryOptions: { maximumRetryCount: 3, baseDelayMs: 100, maximumDelayMs: 2_000 },
  });
}

export function createStorage(config: Config): Storage {
  return {
    client: clientFor(config.S3_ENDPOINT, config),
    presigner: clientFor(config.S3_PUBLIC_ENDPOINT ?? config.PUBLIC_URL, config),
    bucket: config.S3_BUCKET,
  };
}

/** Creates the bucket when absent; safe to run on every start and from several replicas. */
export async function ensureBucket(storage: Storage, region: string): Promise<void> {
  if (await storage.client.bucketExists(storage.bucket)) return;
  try {
    await storage.client.makeBucket(storage.bucket, region);
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code !== 'BucketAlreadyOwnedByYou' && code !== 'BucketAlreadyExists') throw error;
  }
}

/**
 * Points the bucket's object-created events at a notification target (MinIO: the webhook ARN
 * `arn:minio:sqs::<id>:webhook` configured on the server). Replacing the configuration with the
 * same one is a no-op, so every replica may run it on start.
 */
export async function ensureBucketNotification(storage: Storage, arn: string): Promise<void> {
  const config = new Minio.NotificationConfig();
  const queue = new Minio.QueueConfig(arn);
  queue.addEvent(Minio.ObjectCreatedAll);
  config.add(queue);
  await storage.client.setBucketNotification(storage.bucket, config);
}

/** Anonymous read of `public/*` only (avatars), so nginx can serve them without signing. */
export async function ensurePublicReadPolicy(storage: Storage): Promise<void> {
  const policy = {
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Principal: { AWS: ['*'] },
        Action: ['s3:GetObject'],
        Resource: [`arn:aws:s3:::${storage.bucket}/public/*`],
      },
    ],
  };
  await storage.client.setBucketPolicy(storage.bucket, JSON.stringify(policy));
}
