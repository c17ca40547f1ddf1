import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { AppError, type FieldError } from '../lib/errors.js';
import {
  type Locale,
  localeFromAcceptLanguage,
  requestLocale,
  type UserLocaleLookup,
} from '../lib/i18n.js';
import { fieldMessage, problemDetail, problemTitle } from '../lib/i18n-messages.js';
import { PROBLEM_CONTENT_TYPE } from '../lib/problem.js';
import { validationFieldErrors } from '../lib/validation-messages.js';

const STATUS_TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  412: 'Precondition Failed',
  413: 'Content Too Large',
  414: 'URI Too Long',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  428: 'Precondition Required',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

/** Fastify's own client errors, mapped to stable codes and readable messages. */
const FASTIFY_ERRORS: Record<string, { status: number; code: string; detail: string }> = {
  FST_ERR_CTP_INVALID_JSON_BODY: {
    status: 400,
    code: 'malformed_json',
    detail: 'The request body is not valid JSON.',
  },
  FST_ERR_CTP_EMPTY_JSON_BODY: {
    status: 400,
    code: 'empty_body',
    detail: 'The request body is empty but must be JSON.',
  },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: {
    status: 415,
    code: 'unsupported_media_type',
    detail: 'This content type is not accepted here.',
  },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: {
    status: 400,
    code: 'invalid_content_length',
    detail: 'The Content-Length header does not match the body.',
  },
  FST_ERR_CTP_BODY_TOO_LARGE: {
    status: 413,
    code: 'payload_too_large',
    detail: 'The request body is too large.',
  },
  // The router's own refusals, passed on by `frameworkErrors` (see app.ts).
  FST_ERR_BAD_URL: {
    status: 400,
    code: 'malformed_url',
    detail: 'The request path is not valid percent-encoded UTF-8.',
  },
  FST_ERR_MAX_PARAM_LENGTH: {
    status: 414,
    code: 'uri_too_long',
    detail: 'A path segment of the request is too long.',
  },
  // @fastify/multipart's parser limits and refusals.
  FST_PARTS_LIMIT: {
    status: 413,
    code: 'too_many_parts',
    detail: 'The form has more parts than this request accepts.',
  },
  FST_FILES_LIMIT: {
    status: 413,
    code: 'too_many_parts',
    detail: 'The form has more files than this request accepts.',
  },
  FST_FIELDS_LIMIT: {
    status: 413,
    code: 'too_many_parts',
    detail: 'The form has more fields than this request accepts.',
  },
  FST_REQ_FILE_TOO_LARGE: {
    status: 413,
    code: 'file_too_large',
    detail: 'A file in the form is larger than allowed.',
  },
  FST_PROTO_VIOLATION: {
    status: 400,
    code: 'malformed_multipart',
    detail: 'The form uses a field name that is not allowed.',
  },
  FST_INVALID_JSON_FIELD_ERROR: {
    status: 400,
    code: 'malformed_multipart',
    detail: 'A form field declared as JSON is not valid JSON.',
  },
  FST_MP_PREMATURE_CLOSE: {
    status: 400,
    code: 'malformed_multipart',
    detail: 'The request ended before the form was complete.',
  },
  FST_INVALID_MULTIPART_CONTENT_TYPE: {
    status: 415,
    code: 'unsupported_media_type',
    detail: 'Send this request as multipart/form-data.',
  },
};

/** Field errors reported at most per answer; a client fixes the first ones and tries again. */
const MAX_VALIDATION_ISSUES = 50;

/** Postgres or the pool is unreachable: answer 503 so clients and nginx retry, never 500. */
const DATABASE_UNAVAILABLE = new Set([
  'P1001',
  'P1002',
  'P1008',
  'P1017',
  'P2024',
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  '57P01',
  '57P03',
]);

export function isDatabaseUnavailable(error: unknown): boolean {
  let current: unknown = error;
  for (let depth = 0; current && depth < 5; depth++) {
    const { code, cause, message } = current as {
      code?: unknown;
      cause?: unknown;
      message?: unknown;
    };
    if (typeof code === 'string' && DATABASE_UNAVAILABLE.has(code)) return true;
    if (
      typeof message === 'string' &&
      /DatabaseNotReachable|Connection terminated|connect ECONNREFUSED|timeout exceeded when trying to connect/i.test(
        message,
      )
    ) {
      return true;
    }
    current = cause;
  }
  return false;
}

interface Problem {
  status: number;
  code: string;
  detail: string;
  errors?: FieldError[];
  headers?: Record<string, string>;
  /** Values for the translations of `detail` (lib/i18n-messages.ts). */
  params?: Record<string, string | number>;
}

export function toProblem(error: unknown, locale: Locale = 'en'): Problem {
  if (error instanceof AppError) {
    return {
      status: error.statusCode,
      code: error.code,
      detail: error.message,
      ...(error.extra.errors ? { errors: error.extra.errors } : {}),
      ...(error.extra.headers ? { headers: error.extra.headers } : {}),
      ...(error.extra.params ? { params: error.extra.params } : {}),
    };
  }
  const fastifyError = error as FastifyError;
  if (fastifyError.validation) {
    // A body of 80,000 unknown fields would otherwise be answered with 80,000 field errors.
    return {
      status: 400,
      code: 'validation_failed',
      detail: 'The request is not valid.',
      errors: validationFieldErrors(
        fastifyError.validation.slice(0, MAX_VALIDATION_ISSUES),
        fastifyError.validationContext ?? 'body',
        locale,
      ),
    };
  }
  const known = fastifyError.code ? FASTIFY_ERRORS[fastifyError.code] : undefined;
  if (known) return known;
  if (isDatabaseUnavailable(error)) {
    return {
      status: 503,
      code: 'database_unavailable',
      detail: 'The database is unavailable; try again shortly.',
      headers: { 'retry-after': '5' },
    };
  }
  const status = fastifyError.statusCode;
  if (status && status >= 400 && status < 500) {
    return { status, code: 'bad_request', detail: fastifyError.message };
  }
  return { status: 500, code: 'internal_error', detail: 'An unexpected error occurred.' };
}

/**
 * Sends the problem in `locale` (by default the request's Accept-Language): title, detail and
 * field messages translated, `code` unchanged.
 */
export function sendProblem(
  request: FastifyRequest,
  reply: FastifyReply,
  problem: Problem,
  locale: Locale = localeFromAcceptLanguage(request.headers['accept-language']) ?? 'en',
) {
  if (problem.headers) reply.headers(problem.headers);
  const retryAfter = Number(problem.headers?.['retry-after']);
  const params = {
    ...(Number.isFinite(retryAfter)
      ? { retryMinutes: Math.max(1, Math.ceil(retryAfter / 60)) }
      : {}),
    ...problem.params,
  };
  reply.header('content-language', locale);
  return reply
    .code(problem.status)
    .type(PROBLEM_CONTENT_TYPE)
    .send({
      type: `urn:homeport:problem:${problem.code}`,
      title: problemTitle(problem.status, locale) ?? STATUS_TITLES[problem.status] ?? 'Error',
      status: problem.status,
      detail: problemDetail(problem.code, problem.detail, locale, params),
      code: problem.code,
      requestId: request.id,
      instance: request.url.split('?')[0],
      ...(problem.errors
        ? {
            errors: problem.errors.map(({ field, message }) => ({
              field,
              message: fieldMessage(message, locale),
            })),
          }
        : {}),
    });
}

/**
 * Fastify's `frameworkErrors` option: the router's refusals (a path that is not valid UTF-8
 * once decoded, a path parameter over `maxParamLength`) arrive here before any hook has run,
 * and leave in the one error model like every other error.
 */
export function frameworkErrorHandler(
  error: FastifyError,
  request: FastifyRequest,
  reply: FastifyReply,
) {
  reply.header('x-request-id', request.id);
  const locale = localeFromAcceptLanguage(request.headers['accept-language']) ?? 'en';
  const problem = toProblem(error, locale);
  request.log.info({ code: problem.code, status: problem.status }, 'request rejected');
  return sendProblem(request, reply, problem, locale);
}

async function errorHandler(app: FastifyInstance, options: { userLocale?: UserLocaleLookup }) {
  app.setErrorHandler(async (error, request, reply) => {
    const locale = await requestLocale(request, options.userLocale);
    const problem = toProblem(error, locale);
    if (problem.status >= 500) request.log.error({ err: error }, 'request failed');
    else request.log.info({ code: problem.code, status: problem.status }, 'request rejected');
    return sendProblem(request, reply, problem, locale);
  });
}

export default fp(errorHandler, { name: 'error-handler' });
