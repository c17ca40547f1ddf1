import type { FastifyRequest } from 'fastify';
import type { LoggerOptions } from 'pino';

/** Query parameters whose values are credentials (codes, tokens, presigned signatures). */
const SECRET_QUERY =
  /([?&](?:token|code|refresh_token|access_token|password|X-Amz-Signature|X-Amz-Credential|signature)=)[^&]*/gi;

export function redactUrl(url: string): string {
  return url.replace(SECRET_QUERY, '$1[redacted]');
}

/**
 * pino options shared by server and worker: JSON lines, no secrets. Request logs carry method,
 * path (credentials in the query redacted), request id and client address; headers and bodies
 * are never logged, and the redact list is a second guard for objects logged by hand.
 */
export function loggerOptions(level: string): LoggerOptions {
  return {
    level,
    base: { service: 'homeport' },
    redact: {
      paths: [
        'req.headers.authorization',
        'req.headers.cookie',
        'res.headers["set-cookie"]',
        '*.password',
        '*.newPassword',
        '*.currentPassword',
        '*.token',
        '*.refreshToken',
        '*.accessToken',
        '*.secret',
      ],
      censor: '[redacted]',
    },
    serializers: {
      req: (request: FastifyRequest) => ({
        method: request.method,
        url: redactUrl(request.url),
        remoteAddress: request.ip,
        userAgent: request.headers['user-agent'],
      }),
    },
  };
}
