import { useLayoutEffect, useRef } from 'react';
import { type Translate, useT } from '../../../lib/i18n';
import type { Task } from '../api/get-task';
import type { TaskBoard } from '../api/get-task-board';
import type { TaskChanges, TaskConflictError, TaskField } from '../api/update-task';
import type { TaskEditor } from '../hooks/use-task-editor';
import { PRIORITY_KEYS } from './task-dialog-fields';
import { TASK_FIELD_KEYS } from './task-field-names';
import { memberName } from './task-people';

/** A field's value in words, for comparing the user's value with the other person's. */
function describeValue(field: TaskField, value: unknown, board: TaskBoard, t: Translate): string {
  if (value === null || value === undefined || value === '') return t('tasks.conflict.empty');
  switch (field) {
    case 'picId':
      return memberName(board.members, value as string) ?? t('tasks.conflict.unknownPerson');
    case 'assigneeIds': {
      const ids = value as string[];
      if (ids.length === 0) return t('tasks.conflict.empty');
      return ids.map((id) => memberName(board.members, id) ?? id).join(', ');
    }
    case 'labelIds': {
      const ids = value as string[];
      if (ids.length === 0) return t('tasks.conflict.empty');
      return ids.map((id) => board.labels.find((label) => label.id === id)?.name ?? id).join(', ');
    }
    case 'priority':
      return t(PRIORITY_KEYS[value as Task['priority']]);
    case 'archived':
      return t(value ? 'tasks.conflict.yes' : 'tasks.conflict.no');
    default:
      return String(value);
  }
}

/**
 * Someone else changed the same fields meanwhile: their value and the user's, side by side, and
 * the choice. Nothing was overwritten; the task on screen already shows their version.
 */
export function TaskConflict({
  conflict,
  board,
  editor,
}: {
  conflict: TaskConflictError;
  board: TaskBoard;
  editor: TaskEditor;
}) {
  const t = useT();
  const heading = useRef<HTMLHeadingElement>(null);
  useLayoutEffect(() => {
    heading.current?.focus();
  }, []);
  return (
    <section className="task-conflict" role="alert" aria-labelledby="task-conflict-heading">
      <h3 id="task-conflict-heading" ref={heading} tabIndex={-1}>
        {t('tasks.conflict.title')}
      </h3>
      <p>{t('tasks.conflict.body')}</p>
      <dl className="task-conflict__fields">
        {conflict.fields.map((field) => (
          <div key={field} className="task-conflict__field">
            <dt>{t(TASK_FIELD_KEYS[field] ?? field)}</dt>
            <dd>
              {t('tasks.conflict.theirs', {
                value: describeValue(field, conflict.current[field as keyof Task], board, t),
              })}
            </dd>
            <dd>
              {t('tasks.conflict.mine', {
                value: describeValue(field, (conflict.mine as TaskChanges)[field], board, t),
              })}
            </dd>
          </div>
        ))}
      </dl>
      <div className="task-dialog__actions">
        <button
          type="button"
          className="button button--primary button--small"
          onClick={editor.keepMine}
        >
          {t('tasks.conflict.keepMine')}
        </button>
        <button type="button" className="button button--small" onClick={editor.takeTheirs}>
          {t('tasks.conflict.takeTheirs')}
        </button>
      </div>
    </section>
  );
}
