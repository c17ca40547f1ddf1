/**
 * The token endpoint's errors, in OAuth's own format (RFC 6749 §5.2: `{error,
 * error_description}`), not problem+json: OAuth client libraries read exactly these fields.
 */
export type OAuthErrorCode =
  | 'invalid_request'
  | 'invalid_client'
  | 'invalid_grant'
  | 'unauthorized_client'
  | 'unsupported_grant_type'
  | 'invalid_scope'
  | 'invalid_target'
  | 'rate_limited';

export class OAuthError extends Error {
  constructor(
    readonly statusCode: number,
    readonly error: OAuthErrorCode,
    readonly description: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(description);
    this.name = 'OAuthError';
  }

  body() {
    return { error: this.error, error_description: this.description };
  }
}

/** RFC 6749 §5.2: a failed client authentication is 401 with the scheme it may use. */
export class InvalidClientError extends OAuthError {
  constructor() {
    super(401, 'invalid_client', 'Client authentication failed.', {
      'www-authenticate': 'Basic realm="homeport", charset="UTF-8"',
    });
  }
}
