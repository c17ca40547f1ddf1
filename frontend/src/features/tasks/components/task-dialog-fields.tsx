import { useId, useState } from 'react';
import { Alert } from '../../../components/alert';
import { useT } from '../../../lib/i18n';
import { describeError } from '../../../lib/problem';
import type { Task } from '../api/get-task';
import type { TaskBoard } from '../api/get-task-board';
import { useSetTaskColumn } from '../api/set-task-column';
import type { TaskPartProps } from '../hooks/use-task-editor';
import { assignableMembers } from './task-people';

export const PRIORITIES = ['none', 'low', 'medium', 'high', 'urgent'] as const;
export const PRIORITY_KEYS: Record<Task['priority'], string> = {
  none: 'tasks.priority.none',
  low: 'tasks.priority.low',
  medium: 'tasks.priority.medium',
  high: 'tasks.priority.high',
  urgent: 'tasks.priority.urgent',
};

function Hint({ id, messageKey }: { id: string; messageKey: string | undefined }) {
  const t = useT();
  if (!messageKey) return null;
  return (
    <p id={id} className="field__hint">
      {t(messageKey)}
    </p>
  );
}

/** Status, people, priority, labels and dates: each change is saved at once. */
export function TaskFields({
  task,
  board,
  editor,
  permissions,
}: TaskPartProps & { board: TaskBoard }) {
  const t = useT();
  const id = useId();
  const move = useSetTaskColumn(task.id);
  const [moveError, setMoveError] = useState<unknown>();
  const people = assignableMembers(board.members);
  const editHintId = `${id}-edit-hint`;
  const planningHintId = `${id}-planning-hint`;
  const editHint = permissions.canEdit ? undefined : editHintId;
  // Someone who may not edit at all reads the general reason; a PIC reads the supervisors-only one.
  const planningHint = permissions.canEditPlanning
    ? undefined
    : permissions.canEdit
      ? planningHintId
      : editHintId;

  function toggle(list: readonly string[], value: string, on: boolean) {
    return on ? [...list, value] : list.filter((item) => item !== value);
  }

  return (
    <div className="task-fields">
      <Hint id={editHintId} messageKey={permissions.editHint} />
      <div className="field">
        <label htmlFor={`${id}-status`}>{t('tasks.field.status')}</label>
        <select
          id={`${id}-status`}
          value={task.columnId}
          disabled={!permissions.canEdit || move.isPending}
          aria-describedby={editHint}
          onChange={(event) => {
            setMoveError(undefined);
            move.mutate(event.target.value, { onError: setMoveError });
          }}
        >
          {board.columns.map((column) => (
            <option key={column.id} value={column.id}>
              {column.supervisorsOnlyMoveIn
                ? t('tasks.field.status.supervisorsOnly', { name: column.name })
                : column.name}
            </option>
          ))}
        </select>
        {moveError ? (
          <Alert tone="error">
            <p>{describeError(moveError)}</p>
          </Alert>
        ) : null}
      </div>

      <div className="field">
        <label htmlFor={`${id}-priority`}>{t('tasks.field.priority')}</label>
        <select
          id={`${id}-priority`}
          value={task.priority}
          disabled={!permissions.canEdit}
          aria-describedby={editHint}
          onChange={(event) => editor.save({ priority: event.target.value as Task['priority'] })}
        >
          {PRIORITIES.map((priority) => (
            <option key={priority} value={priority}>
              {t(PRIORITY_KEYS[priority])}
            </option>
          ))}
        </select>
      </div>

      <Hint
        id={planningHintId}
        messageKey={permissions.canEdit ? permissions.planningHint : undefined}
      />
      <div className="field">
        <label htmlFor={`${id}-pic`}>{t('tasks.field.pic')}</label>
        <select
          id={`${id}-pic`}
          value={task.picId ?? ''}
          disabled={!permissions.canEditPlanning}
          aria-describedby={planningHint}
          onChange={(event) => editor.save({ picId: event.target.value || null })}
        >
          <option value="">{t('tasks.field.nobody')}</option>
          {people.map((member) => (
            <option key={member.userId} value={member.userId}>
              {member.displayName ?? member.email}
            </option>
          ))}
        </select>
      </div>

      <fieldset className="field task-fields__group" aria-describedby={planningHint}>
        <legend>{t('tasks.field.assignees')}</legend>
        {people.map((member) => (
          <label key={member.userId} className="task-fields__check">
            <input
              type="checkbox"
              checked={task.assigneeIds.includes(member.userId)}
              disabled={!permissions.canEditPlanning}
              onChange={(event) =>
                editor.save({
                  assigneeIds: toggle(task.assigneeIds, member.userId, event.target.checked),
                })
              }
            />
            {member.displayName ?? member.email}
          </label>
        ))}
      </fieldset>

      <fieldset className="field task-fields__group" aria-describedby={editHint}>
        <legend>{t('tasks.field.labels')}</legend>
        {board.labels.length === 0 ? (
          <p className="field__hint">{t('tasks.field.noLabels')}</p>
        ) : null}
        {board.labels.map((label) => (
          <label key={label.id} className="task-fields__check">
            <input
              type="checkbox"
              checked={task.labelIds.includes(label.id)}
              disabled={!permissions.canEdit}
              onChange={(event) =>
                editor.save({ labelIds: toggle(task.labelIds, label.id, event.target.checked) })
              }
            />
            <span
              className="task-label"
              style={{ '--label-color': label.color } as React.CSSProperties}
            >
              {label.name}
            </span>
          </label>
        ))}
      </fieldset>

      {(['startDate', 'dueDate'] as const).map((field) => (
        <div className="field" key={field}>
          <label htmlFor={`${id}-${field}`}>
            {t(field === 'startDate' ? 'tasks.field.startDate' : 'tasks.field.dueDate')}
          </label>
          <input
            id={`${id}-${field}`}
            type="date"
            value={task[field] ?? ''}
            disabled={!permissions.canEditPlanning}
            aria-describedby={planningHint}
            onChange={(event) => editor.save({ [field]: event.target.value || null })}
          />
        </div>
      ))}
    </div>
  );
}
