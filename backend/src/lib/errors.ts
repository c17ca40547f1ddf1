/**
 * The one error model. Services throw an AppError (or a subclass); the error handler renders
 * every error as RFC 9457 application/problem+json with a stable `code`.
 */
export interface FieldError {
  /** JSON pointer to the offending field, e.g. `/body/name`. */
  field: string;
  message: string;
}

export class AppError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
    readonly extra: {
      errors?: FieldError[];
      headers?: Record<string, string>;
      /** Values for the message's translations (lib/i18n-messages.ts). */
      params?: Record<string, string | number>;
    } = {},
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class BadRequestError extends AppError {
  constructor(code: string, message: string, errors?: FieldError[]) {
    super(400, code, message, errors ? { errors } : {});
  }
}

export class ValidationError extends AppError {
  constructor(errors: FieldError[], message = 'The request is not valid.') {
    super(400, 'validation_failed', message, { errors });
  }
}

export class UnauthorizedError extends AppError {
  constructor(code = 'unauthorized', message = 'Authentication is required.') {
    super(401, code, message, { headers: { 'www-authenticate': 'Bearer' } });
  }
}

export class ForbiddenError extends AppError {
  constructor(code = 'forbidden', message = 'You are not allowed to do this.') {
    super(403, code, message);
  }
}

export class NotFoundError extends AppError {
  constructor(resource: string, code = `${resource.toLowerCase().replace(/\s+/g, '_')}_not_found`) {
    super(404, code, `${resource} not found.`);
  }
}

export class ConflictError extends AppError {
  constructor(code: string, message: string) {
    super(409, code, message);
  }
}

export class UnprocessableError extends AppError {
  constructor(code: string, message: string, errors?: FieldError[]) {
    super(422, code, message, errors ? { errors } : {});
  }
}

export class TooManyRequestsError extends AppError {
  constructor(retryAfterSeconds: number, message = 'Too many requests; try again later.') {
    super(429, 'rate_limited', message, {
      headers: { 'retry-after': String(Math.max(1, Math.ceil(retryAfterSeconds))) },
    });
  }
}

export class ServiceUnavailableError extends AppError {
  constructor(code: string, message: string, retryAfterSeconds = 5) {
    super(503, code, message, { headers: { 'retry-after': String(retryAfterSeconds) } });
  }
}
