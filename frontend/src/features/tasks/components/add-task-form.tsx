import { type FormEvent, useId, useState } from 'react';
import { Alert } from '../../../components/alert';
import { useT } from '../../../lib/i18n';
import { describeError } from '../../../lib/problem';
import { useCreateTask } from '../api/create-task';
import type { BoardColumn } from '../api/get-board';

/** The quick "add task" at the bottom of a column: a title, Enter, and the card is there. */
export function AddTaskForm({ boardId, column }: { boardId: string; column: BoardColumn }) {
  const t = useT();
  const id = useId();
  const [title, setTitle] = useState('');
  const create = useCreateTask();

  function submit(event: FormEvent) {
    event.preventDefault();
    const trimmed = title.trim();
    if (!trimmed) return;
    create.mutate(
      { boardId, columnId: column.id, title: trimmed },
      { onSuccess: () => setTitle('') },
    );
  }

  return (
    <form className="add-task" onSubmit={submit} aria-busy={create.isPending}>
      <label className="visually-hidden" htmlFor={id}>
        {t('tasks.add.label', { column: column.name })}
      </label>
      <input
        id={id}
        className="field__input add-task__input"
        value={title}
        maxLength={300}
        placeholder={t('tasks.add.placeholder')}
        onChange={(event) => setTitle(event.target.value)}
      />
      <button type="submit" className="button button--small" disabled={create.isPending}>
        {t('tasks.add.submit')}
      </button>
      {create.isError ? (
        <Alert tone="error">
          <p>{describeError(create.error)}</p>
        </Alert>
      ) : null}
    </form>
  );
}
