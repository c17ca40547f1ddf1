import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { LookupFunction } from 'node:net';
import type { CheckedTarget } from './target-guard.js';

/** Bytes of a receiver's answer kept with the delivery (the rest is discarded unread). */
export const RESPONSE_EXCERPT_BYTES = 1024;

export interface PostResult {
  /** The HTTP status, or null when no answer came (refused, timed out, reset). */
  status: number | null;
  excerpt: string | null;
  error: string | null;
}

export interface PostOptions {
  connectTimeoutMs: number;
  responseTimeoutMs: number;
}

/**
 * POSTs one delivery to the checked address (never re-resolving the name), with the URL's host as
 * Host header and TLS server name. Redirects are answers like any other: never followed.
 */
export function postWebhook(
  target: CheckedTarget,
  headers: Record<string, string>,
  body: string,
  { connectTimeoutMs, responseTimeoutMs }: PostOptions,
): Promise<PostResult> {
  const pinned: LookupFunction = (_hostname, options, callback) => {
    if (options.all) callback(null, [{ address: target.address, family: target.family }]);
    else callback(null, target.address, target.family);
  };
  const send = target.url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve) => {
    let settled = false;
    const finish = (result: PostResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(connectTimer);
      clearTimeout(responseTimer);
      request.destroy();
      resolve(result);
    };
    const request = send(target.url, {
      method: 'POST',
      lookup: pinned,
      agent: false,
      headers: {
        ...headers,
        'content-type': 'application/json',
        'content-length': String(Buffer.byteLength(body)),
        'user-agent': 'Homeport-Webhooks/1',
      },
    });
    const connectTimer = setTimeout(
      () =>
        finish({
          status: null,
          excerpt: null,
          error: `connect timed out after ${connectTimeoutMs} ms`,
        }),
      connectTimeoutMs,
    );
    let responseTimer: NodeJS.Timeout | undefined;
    request.on('socket', (socket) => {
      const connected = () => {
        clearTimeout(connectTimer);
        responseTimer = setTimeout(
          () =>
            finish({
              status: null,
              excerpt: null,
              error: `no answer within ${responseTimeoutMs} ms`,
            }),
          responseTimeoutMs,
        );
      };
      if (socket.connecting)
        socket.once(target.url.protocol === 'https:' ? 'secureConnect' : 'connect', connected);
      else connected();
    });
    request.on('response', (response: IncomingMessage) => {
      const chunks: Buffer[] = [];
      let size = 0;
      const done = () =>
        finish({
          status: response.statusCode ?? null,
          excerpt: Buffer.concat(chunks).subarray(0, RESPONSE_EXCERPT_BYTES).toString('utf8'),
          error: null,
        });
      response.on('data', (chunk: Buffer) => {
        chunks.push(chunk);
        size += chunk.length;
        if (size >= RESPONSE_EXCERPT_BYTES) done();
      });
      response.on('end', done);
      response.on('error', done);
    });
    request.on('error', (error: NodeJS.ErrnoException) =>
      finish({ status: null, excerpt: null, error: error.code ?? error.message }),
    );
    request.end(body);
  });
}
