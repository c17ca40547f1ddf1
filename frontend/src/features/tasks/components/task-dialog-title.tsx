import { useState } from 'react';
import { useT } from '../../../lib/i18n';
import type { TaskPartProps } from '../hooks/use-task-editor';
import { EditorActions } from './editor-actions';

/** The title as the dialog's heading; a click (or Enter on its button) edits it in place. */
export function TaskTitle({ task, editor, permissions }: TaskPartProps) {
  const t = useT();
  const [draft, setDraft] = useState<string>();
  // The version the user began editing on: a change of the title meanwhile is a conflict.
  const [since, setSince] = useState(task.version);
  const [problem, setProblem] = useState<string>();

  if (draft === undefined) {
    return (
      <div className="task-dialog__title-row">
        <h2 className="task-dialog__title" id="task-dialog-title">
          {task.title}
        </h2>
        {permissions.canEdit ? (
          <button
            type="button"
            className="button button--small"
            onClick={() => {
              setSince(task.version);
              setDraft(task.title);
            }}
            aria-label={t('tasks.dialog.title.edit')}
          >
            {t('tasks.dialog.edit')}
          </button>
        ) : null}
      </div>
    );
  }

  function submit() {
    const title = (draft ?? '').trim();
    if (!title) {
      setProblem(t('tasks.dialog.title.required'));
      return;
    }
    if (title !== task.title) editor.save({ title }, since);
    setDraft(undefined);
    setProblem(undefined);
  }

  return (
    <form
      className="task-dialog__title-form"
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        submit();
      }}
    >
      <label className="visually-hidden" htmlFor="task-dialog-title-input">
        {t('tasks.dialog.title.label')}
      </label>
      <input
        id="task-dialog-title-input"
        className="task-dialog__title-input"
        value={draft}
        maxLength={300}
        // biome-ignore lint/a11y/noAutofocus: the user asked to edit the title
        autoFocus
        aria-invalid={problem ? true : undefined}
        aria-describedby={problem ? 'task-dialog-title-error' : undefined}
        onChange={(event) => setDraft(event.target.value)}
        onKeyDown={(event) => {
          if (event.key === 'Escape') {
            event.stopPropagation();
            setDraft(undefined);
            setProblem(undefined);
          }
        }}
      />
      {problem ? (
        <p id="task-dialog-title-error" className="field__error">
          {problem}
        </p>
      ) : null}
      <EditorActions
        onCancel={() => {
          setDraft(undefined);
          setProblem(undefined);
        }}
      />
    </form>
  );
}
