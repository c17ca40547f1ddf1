import { useId, useState } from 'react';
import { Alert } from '../../../components/alert';
import { useT } from '../../../lib/i18n';
import { describeError } from '../../../lib/problem';
import { type ChecklistAction, useChecklistAction } from '../api/checklist';
import type { Task } from '../api/get-task';
import type { TaskPermissions } from '../hooks/use-task-permissions';

/** The checklist: tick, add, reword, delete, and move items up or down. */
export function TaskChecklist({ task, permissions }: { task: Task; permissions: TaskPermissions }) {
  const t = useT();
  const id = useId();
  const action = useChecklistAction(task.id);
  const [newText, setNewText] = useState('');
  const [editing, setEditing] = useState<{ itemId: string; text: string }>();
  const items = task.checklist;
  const done = items.filter((item) => item.done).length;
  const disabled = !permissions.canEdit;

  function run(change: ChecklistAction) {
    action.mutate(change);
  }

  return (
    <section className="task-dialog__section" aria-labelledby={`${id}-heading`}>
      <div className="task-dialog__section-head">
        <h3 id={`${id}-heading`}>{t('tasks.checklist.title')}</h3>
        {items.length > 0 ? (
          <span className="task-dialog__count">
            {t('tasks.checklist.progress', { done, total: items.length })}
          </span>
        ) : null}
      </div>
      {action.error ? (
        <Alert tone="error">
          <p>{describeError(action.error)}</p>
        </Alert>
      ) : null}
      <ul className="checklist">
        {items.map((item, index) => (
          <li key={item.id} className="checklist__item">
            {editing?.itemId === item.id ? (
              <form
                className="checklist__edit"
                onSubmit={(event) => {
                  event.preventDefault();
                  const text = editing.text.trim();
                  if (text && text !== item.text) run({ kind: 'update', itemId: item.id, text });
                  setEditing(undefined);
                }}
              >
                <label className="visually-hidden" htmlFor={`${id}-edit-${item.id}`}>
                  {t('tasks.checklist.itemText')}
                </label>
                <input
                  id={`${id}-edit-${item.id}`}
                  value={editing.text}
                  maxLength={500}
                  // biome-ignore lint/a11y/noAutofocus: the user asked to edit this item
                  autoFocus
                  onChange={(event) => setEditing({ itemId: item.id, text: event.target.value })}
                  onKeyDown={(event) => {
                    if (event.key === 'Escape') {
                      event.stopPropagation();
                      setEditing(undefined);
                    }
                  }}
                />
                <button type="submit" className="button button--small">
                  {t('tasks.dialog.save')}
                </button>
              </form>
            ) : (
              <label className="checklist__label">
                <input
                  type="checkbox"
                  checked={item.done}
                  disabled={disabled}
                  onChange={(event) =>
                    run({ kind: 'update', itemId: item.id, done: event.target.checked })
                  }
                />
                <span
                  className={
                    item.done ? 'checklist__text checklist__text--done' : 'checklist__text'
                  }
                >
                  {item.text}
                </span>
              </label>
            )}
            {permissions.canEdit && editing?.itemId !== item.id ? (
              <span className="checklist__actions">
                <button
                  type="button"
                  className="button button--small"
                  aria-label={t('tasks.checklist.moveUp', { text: item.text })}
                  disabled={index === 0}
                  onClick={() => {
                    const before = items[index - 1];
                    if (before) run({ kind: 'move', itemId: item.id, beforeId: before.id });
                  }}
                >
                  ↑
                </button>
                <button
                  type="button"
                  className="button button--small"
                  aria-label={t('tasks.checklist.moveDown', { text: item.text })}
                  disabled={index === items.length - 1}
                  onClick={() => {
                    const after = items[index + 1];
                    if (after) run({ kind: 'move', itemId: item.id, afterId: after.id });
                  }}
                >
                  ↓
                </button>
                <button
                  type="button"
                  className="button button--small"
                  aria-label={t('tasks.checklist.editNamed', { text: item.text })}
                  onClick={() => setEditing({ itemId: item.id, text: item.text })}
                >
                  {t('tasks.dialog.edit')}
                </button>
                <button
                  type="button"
                  className="button button--small button--danger"
                  aria-label={t('tasks.checklist.deleteNamed', { text: item.text })}
                  onClick={() => run({ kind: 'remove', itemId: item.id })}
                >
                  {t('tasks.dialog.delete')}
                </button>
              </span>
            ) : null}
          </li>
        ))}
      </ul>
      {permissions.canEdit ? (
        <form
          className="checklist__add"
          onSubmit={(event) => {
            event.preventDefault();
            const text = newText.trim();
            if (!text) return;
            run({ kind: 'add', text });
            setNewText('');
          }}
        >
          <label className="visually-hidden" htmlFor={`${id}-new`}>
            {t('tasks.checklist.new')}
          </label>
          <input
            id={`${id}-new`}
            value={newText}
            maxLength={500}
            placeholder={t('tasks.checklist.new')}
            onChange={(event) => setNewText(event.target.value)}
          />
          <button type="submit" className="button button--small">
            {t('tasks.checklist.add')}
          </button>
        </form>
      ) : null}
    </section>
  );
}
