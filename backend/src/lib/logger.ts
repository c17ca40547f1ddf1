import { format } from 'node:util';
import type { FastifyRequest } from 'fastify';
import type { BaseLogger, LoggerOptions } from 'pino';

/** Query parameters whose values are credentials (codes, tokens, presigned signatures). */
const SECRET_PARAMS =
  'token|code|refresh_token|access_token|password|X-Amz-Signature|X-Amz-Credential|signature';

/** Credentials that may sit in a URL or in free text: query values, URL passwords, bearer tokens. */
const SECRETS: [RegExp, string][] = [
  [new RegExp(`([?&](?:${SECRET_PARAMS})=)[^&\\s]*`, 'gi'), '$1[redacted]'],
  [/(\b[a-z][a-z0-9+.-]*:\/\/[^:/\s@]+:)[^@\s]+@/gi, '$1[redacted]@'],
  [/(\bBearer\s+)[A-Za-z0-9._~+/=-]+/g, '$1[redacted]'],
];

/** Request URLs in access logs and text that libraries print, with credentials replaced. */
export function redactSecrets(text: string): string {
  return SECRETS.reduce(
    (result, [pattern, replacement]) => result.replace(pattern, replacement),
    text,
  );
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
        url: redactSecrets(request.url),
        remoteAddress: request.ip,
        userAgent: request.headers['user-agent'],
      }),
    },
  };
}

type ConsoleLevel = 'debug' | 'info' | 'warn' | 'error';

const CONSOLE_LEVELS = {
  debug: 'debug',
  log: 'info',
  info: 'info',
  warn: 'warn',
  error: 'error',
} as const satisfies Record<string, ConsoleLevel>;

/**
 * Sends what libraries print with `console.*` (the S3 client's retry notices, for one) through
 * the process logger, so every line the server and worker write stays a JSON log entry with a
 * level, with credentials in the text redacted. Returns a function that puts the console back.
 */
export function routeConsoleTo(log: Pick<BaseLogger, ConsoleLevel>): () => void {
  const original = new Map<keyof typeof CONSOLE_LEVELS, (...args: unknown[]) => void>();
  for (const [method, level] of Object.entries(CONSOLE_LEVELS) as [
    keyof typeof CONSOLE_LEVELS,
    ConsoleLevel,
  ][]) {
    original.set(method, console[method]);
    console[method] = (...args: unknown[]) => {
      const [first] = args;
      if (args.length === 1 && first instanceof Error) {
        const err = Object.assign(new Error(redactSecrets(first.message)), {
          name: first.name,
          stack: redactSecrets(first.stack ?? ''),
        });
        log[level]({ err, source: 'console' }, err.message);
      } else {
        log[level]({ source: 'console' }, redactSecrets(format(...args)));
      }
    };
  }
  return () => {
    for (const [method, write] of original) console[method] = write;
  };
}
