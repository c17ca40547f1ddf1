import { useId } from 'react';
import { Alert } from '../../../components/alert';
import { DateTime } from '../../../components/date-time';
import { type Translate, useT } from '../../../lib/i18n';
import { describeError } from '../../../lib/problem';
import type { Task } from '../api/get-task';
import type { TaskBoard } from '../api/get-task-board';
import { type Activity, useTaskActivity } from '../api/list-task-activity';
import { TASK_FIELD_KEYS } from './task-field-names';
import { memberName } from './task-people';

/** Activity types with a sentence of their own; the values are `{actor}` and what the row names. */
const SENTENCE_KEYS: Record<string, string> = {
  task_created: 'tasks.activity.taskCreated',
  task_archived: 'tasks.activity.taskArchived',
  task_restored: 'tasks.activity.taskRestored',
  checklist_item_added: 'tasks.activity.checklistAdded',
  checklist_item_updated: 'tasks.activity.checklistUpdated',
  checklist_item_checked: 'tasks.activity.checklistChecked',
  checklist_item_unchecked: 'tasks.activity.checklistUnchecked',
  checklist_item_moved: 'tasks.activity.checklistMoved',
  checklist_item_removed: 'tasks.activity.checklistRemoved',
  comment_added: 'tasks.activity.commentAdded',
  comment_edited: 'tasks.activity.commentEdited',
  comment_deleted: 'tasks.activity.commentDeleted',
  attachment_added: 'tasks.activity.attachmentAdded',
  attachment_removed: 'tasks.activity.attachmentRemoved',
};

function after(change: unknown): unknown {
  return typeof change === 'object' && change !== null && 'after' in change
    ? (change as { after: unknown }).after
    : change;
}

/** One activity row as a sentence in the active language. */
export function describeActivity(activity: Activity, board: TaskBoard, t: Translate): string {
  const actor = memberName(board.members, activity.actorId) ?? t('tasks.someone');
  const changes = activity.changes;
  if (activity.type === 'task_moved') {
    const columnId = after(changes.columnId);
    const column = board.columns.find((candidate) => candidate.id === columnId);
    return column
      ? t('tasks.activity.taskMoved', { actor, column: column.name })
      : t('tasks.activity.taskReordered', { actor });
  }
  if (activity.type === 'task_updated') {
    const fields = Object.keys(changes)
      .map((field) => TASK_FIELD_KEYS[field])
      .filter((key): key is string => key !== undefined)
      .map((key) => t(key));
    return t('tasks.activity.taskUpdated', { actor, fields: fields.join(', ') });
  }
  const key = SENTENCE_KEYS[activity.type];
  const text = typeof changes.text === 'string' ? changes.text : '';
  const filename = typeof changes.filename === 'string' ? changes.filename : '';
  if (key) return t(key, { actor, text, filename });
  return t('tasks.activity.other', { actor, type: activity.type });
}

/** The task's history, newest first, a page at a time. */
export function TaskActivity({ task, board }: { task: Task; board: TaskBoard }) {
  const t = useT();
  const id = useId();
  const activity = useTaskActivity(task.id);
  const rows = activity.data?.pages.flatMap((page) => page.items) ?? [];
  return (
    <section className="task-dialog__section" aria-labelledby={`${id}-heading`}>
      <h3 id={`${id}-heading`}>{t('tasks.activity.title')}</h3>
      {activity.error ? (
        <Alert tone="error">
          <p>{describeError(activity.error)}</p>
        </Alert>
      ) : null}
      <ol className="activity" aria-label={t('tasks.activity.title')}>
        {rows.map((row) => (
          <li key={row.id} className="activity__item">
            <span>{describeActivity(row, board, t)}</span>{' '}
            <DateTime value={row.createdAt} relative />
          </li>
        ))}
      </ol>
      {activity.hasNextPage ? (
        <button
          type="button"
          className="button button--small"
          disabled={activity.isFetchingNextPage}
          onClick={() => void activity.fetchNextPage()}
        >
          {t('tasks.activity.more')}
        </button>
      ) : null}
    </section>
  );
}
