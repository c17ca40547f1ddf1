import type { components } from './api-schema';
import { t } from './i18n';

export type Problem = components['schemas']['Problem'];

/** An error answer from the API, carrying its RFC 9457 problem document. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly problem: Problem,
    /** From Retry-After on 429 and 503 answers: when trying again makes sense. */
    readonly retryAfterSeconds?: number,
  ) {
    super(problem.detail);
    this.name = 'ApiError';
  }

  get code(): string {
    return this.problem.code;
  }
}

function isProblem(value: unknown): value is Problem {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as Problem).code === 'string' &&
    typeof (value as Problem).detail === 'string'
  );
}

/** Turns whatever an error response carried into an ApiError (proxies may answer without JSON). */
export function toApiError(body: unknown, response: Response): ApiError {
  const retryAfter = Number(response.headers.get('retry-after'));
  const retryAfterSeconds = Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : undefined;
  if (isProblem(body)) return new ApiError(response.status, body, retryAfterSeconds);
  return new ApiError(
    response.status,
    {
      type: 'about:blank',
      title: response.statusText || t('common.error.title'),
      status: response.status,
      detail: t('common.error.status', { status: response.status }),
      code: `http_${response.status}`,
      requestId: response.headers.get('x-request-id') ?? '',
    },
    retryAfterSeconds,
  );
}

/** openapi-fetch's result: the data on success, else throws the answer as an ApiError. */
export function dataOrThrow<Data>(result: {
  data?: Data;
  error?: unknown;
  response: Response;
}): Data {
  if (!result.response.ok) throw toApiError(result.error, result.response);
  return result.data as Data;
}

/**
 * Field errors of a validation problem keyed by field name under `pointerPrefix`
 * (`/body/name` → `name`). Errors naming the whole body or unknown places are left to the caller.
 */
export function fieldErrorsOf(
  error: unknown,
  pointerPrefix = '/body/',
): { fields: Record<string, string>; other: string[] } {
  const fields: Record<string, string> = {};
  const other: string[] = [];
  if (!(error instanceof ApiError)) return { fields, other };
  for (const { field, message } of error.problem.errors ?? []) {
    if (field.startsWith(pointerPrefix)) {
      const name = field.slice(pointerPrefix.length).split('/')[0] ?? '';
      if (name && !fields[name]) fields[name] = message;
    } else {
      other.push(message);
    }
  }
  return { fields, other };
}

/** A sentence for a person: the problem's detail, or why the request never got an answer. */
export function describeError(error: unknown): string {
  if (error instanceof ApiError) {
    if (error.status === 429 && error.retryAfterSeconds) {
      return t('common.error.rateLimited', { minutes: Math.ceil(error.retryAfterSeconds / 60) });
    }
    return error.problem.detail;
  }
  if (error instanceof TypeError) return t('common.error.network');
  return t('common.error.unknown');
}
