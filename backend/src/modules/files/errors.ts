import { AppError, UnprocessableError } from '../../lib/errors.js';

export class FileTooLargeError extends AppError {
  constructor(maxBytes: number, field = '/body/size') {
    super(413, 'file_too_large', `The file is larger than the ${maxBytes} bytes allowed here.`, {
      errors: [{ field, message: `must be at most ${maxBytes} bytes` }],
    });
  }
}

export class ContentTypeNotAllowedError extends UnprocessableError {
  constructor(contentType: string, allowed: readonly string[], field = '/body/contentType') {
    super('content_type_not_allowed', `Files of type "${contentType}" are not accepted here.`, [
      { field, message: `must be one of: ${allowed.join(', ')}` },
    ]);
  }
}

export class UploadExpiredError extends AppError {
  constructor() {
    super(410, 'upload_expired', 'This upload has expired; request a new one.');
  }
}

/** The stored bytes do not match what was declared; the object has been removed. */
export class UploadRejectedError extends UnprocessableError {}
