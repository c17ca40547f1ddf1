import { AppError, type FieldError, UnprocessableError } from '../../lib/errors.js';

/** A role or field rule of the board refuses the change; `errors` names the refused fields. */
export class TaskForbiddenError extends AppError {
  constructor(code: string, message: string, errors?: FieldError[]) {
    super(403, code, message, errors ? { errors } : {});
  }
}

/** A position (afterId/beforeId) or reference (column, label, user) that is not on this board. */
export class InvalidReferenceError extends UnprocessableError {
  constructor(code: string, field: string, message: string) {
    super(code, `The request names something that is not on this board: ${field} ${message}.`, [
      { field, message },
    ]);
  }
}

export class PreconditionRequiredError extends AppError {
  constructor() {
    super(
      428,
      'if_match_required',
      'Send If-Match with the ETag of the task you edited, e.g. If-Match: "3".',
      { errors: [{ field: '/headers/if-match', message: 'is required' }] },
    );
  }
}

/** The client edited an older version; carries what it needs to merge or show the other edit. */
export class StaleVersionError extends AppError {
  constructor(
    readonly current: unknown,
    readonly changedFields: string[],
    currentVersion: number,
  ) {
    super(
      412,
      'version_mismatch',
      `The task changed since your version (now version ${currentVersion}); re-apply your change to the current task.`,
      { headers: { etag: `"${currentVersion}"` } },
    );
  }
}
