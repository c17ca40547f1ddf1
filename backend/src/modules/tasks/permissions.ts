import type { FieldError } from '../../lib/errors.js';
import type { BoardAccess } from './access.js';
import { TaskForbiddenError } from './errors.js';

/**
 * Per-field rules of a task. Supervisors (and global admins) change everything. A member changes
 * the tasks they are PIC or assignee of, and of those only these fields; the PIC, assignees,
 * dates and archiving stay with supervisors. Viewers change nothing.
 */
export const MEMBER_EDITABLE_FIELDS = new Set(['title', 'content', 'priority', 'labelIds']);

export interface TaskPeople {
  picId: string | null;
  assigneeIds: readonly string[];
}

export function isInvolved(access: BoardAccess, task: TaskPeople): boolean {
  return task.picId === access.userId || task.assigneeIds.includes(access.userId);
}

/** Editing, moving and checklist changes of one task. */
export function requireTaskWriter(access: BoardAccess, task: TaskPeople): void {
  if (access.role === 'supervisor') return;
  if (access.role === 'viewer') {
    throw new TaskForbiddenError('board_read_only', 'Viewers of this board cannot change it.');
  }
  if (!isInvolved(access, task)) {
    throw new TaskForbiddenError(
      'task_not_yours',
      'Members change only the tasks they are PIC or assignee of.',
    );
  }
}

/** The changed fields the caller may not change, as field errors; throws when there are any. */
export function requireEditableFields(access: BoardAccess, changedFields: readonly string[]): void {
  if (access.role === 'supervisor') return;
  const refused: FieldError[] = changedFields
    .filter((field) => !MEMBER_EDITABLE_FIELDS.has(field))
    .map((field) => ({
      field: `/body/${field}`,
      message: 'may be changed only by a board supervisor',
    }));
  if (refused.length > 0) {
    throw new TaskForbiddenError(
      'task_field_forbidden',
      'Some of these fields may be changed only by a board supervisor.',
      refused,
    );
  }
}

export function requireCommenter(access: BoardAccess): void {
  if (access.role === 'viewer' && !access.viewersCanComment) {
    throw new TaskForbiddenError('comments_forbidden', 'Viewers may not comment on this board.');
  }
}
