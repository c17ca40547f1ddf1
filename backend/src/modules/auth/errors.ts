import {
  AppError,
  ForbiddenError,
  TooManyRequestsError,
  UnauthorizedError,
} from '../../lib/errors.js';

/** One answer for an unknown email and a wrong password, so neither reveals which it was. */
export class InvalidCredentialsError extends UnauthorizedError {
  constructor() {
    super('invalid_credentials', 'The email or password is not correct.');
  }
}

export class InvalidRefreshTokenError extends UnauthorizedError {
  constructor(code = 'invalid_refresh_token', message = 'Sign in again.') {
    super(code, message);
  }
}

export class AccountNotConfirmedError extends ForbiddenError {
  constructor() {
    super('account_not_confirmed', 'Confirm your email address with the code we sent first.');
  }
}

export class AccountDisabledError extends ForbiddenError {
  constructor() {
    super('account_disabled', 'This account has been disabled.');
  }
}

/** Wrong, expired, used-up or unknown: deliberately one answer. */
export class InvalidCodeError extends AppError {
  constructor() {
    super(400, 'invalid_code', 'The code is not valid; request a new one if it has expired.');
  }
}

export class CsrfRejectedError extends ForbiddenError {
  constructor() {
    super('csrf_rejected', 'Cross-site request refused.');
  }
}

/**
 * Every auth 429: code `rate_limited` (stable), `Retry-After` in seconds, and the wait in words
 * ("try again in 3 minutes"), the same for a lock, a rate limit, a real or an unknown account.
 */
export class RateLimitedError extends TooManyRequestsError {
  constructor(retryAfterSeconds: number) {
    const minutes = Math.max(1, Math.ceil(Math.ceil(retryAfterSeconds) / 60));
    super(
      retryAfterSeconds,
      `Too many attempts; try again in ${minutes} ${minutes === 1 ? 'minute' : 'minutes'}.`,
    );
  }
}

export class InvalidUnlockTokenError extends AppError {
  constructor() {
    super(
      400,
      'invalid_unlock_token',
      'This unlock link is not valid any more; sign in or reset your password.',
    );
  }
}
