import { useId, useState } from 'react';
import { useT } from '../../../lib/i18n';
import type { TaskPartProps } from '../hooks/use-task-editor';
import { EditorActions } from './editor-actions';
import { Markdown } from './markdown';

/** Markdown editor with Write / Preview tabs; what is saved is shown rendered. */
export function MarkdownEditor({
  label,
  value,
  onChange,
  rows = 8,
  textareaProps,
}: {
  label: string;
  value: string;
  onChange: (value: string) => void;
  rows?: number;
  textareaProps?: React.TextareaHTMLAttributes<HTMLTextAreaElement>;
}) {
  const t = useT();
  const id = useId();
  const [tab, setTab] = useState<'write' | 'preview'>('write');
  return (
    <div className="markdown-editor">
      <div className="markdown-editor__tabs" role="tablist" aria-label={label}>
        {(['write', 'preview'] as const).map((name) => (
          <button
            key={name}
            type="button"
            role="tab"
            id={`${id}-${name}-tab`}
            aria-selected={tab === name}
            aria-controls={`${id}-${name}`}
            className={`markdown-editor__tab${tab === name ? ' markdown-editor__tab--active' : ''}`}
            onClick={() => setTab(name)}
          >
            {t(name === 'write' ? 'tasks.markdown.write' : 'tasks.markdown.preview')}
          </button>
        ))}
      </div>
      {tab === 'write' ? (
        <div role="tabpanel" id={`${id}-write`} aria-labelledby={`${id}-write-tab`}>
          <label className="visually-hidden" htmlFor={`${id}-input`}>
            {label}
          </label>
          <textarea
            id={`${id}-input`}
            className="markdown-editor__input"
            rows={rows}
            value={value}
            onChange={(event) => onChange(event.target.value)}
            {...textareaProps}
          />
        </div>
      ) : (
        <div
          role="tabpanel"
          id={`${id}-preview`}
          aria-labelledby={`${id}-preview-tab`}
          className="markdown-editor__preview"
        >
          {value.trim() ? <Markdown source={value} /> : <p>{t('tasks.markdown.nothing')}</p>}
        </div>
      )}
    </div>
  );
}

export function TaskContent({ task, editor, permissions }: TaskPartProps) {
  const t = useT();
  const [draft, setDraft] = useState<string>();
  // The version the user began editing on: a change of the content meanwhile is a conflict.
  const [since, setSince] = useState(task.version);
  return (
    <section className="task-dialog__section" aria-labelledby="task-dialog-content-heading">
      <div className="task-dialog__section-head">
        <h3 id="task-dialog-content-heading">{t('tasks.dialog.content')}</h3>
        {permissions.canEdit && draft === undefined ? (
          <button
            type="button"
            className="button button--small"
            onClick={() => {
              setSince(task.version);
              setDraft(task.content);
            }}
            aria-label={t('tasks.dialog.content.edit')}
          >
            {t('tasks.dialog.edit')}
          </button>
        ) : null}
      </div>
      {draft === undefined ? (
        task.content.trim() ? (
          <Markdown source={task.content} />
        ) : (
          <p className="task-dialog__empty">{t('tasks.dialog.content.empty')}</p>
        )
      ) : (
        <form
          noValidate
          onSubmit={(event) => {
            event.preventDefault();
            if (draft !== task.content) editor.save({ content: draft }, since);
            setDraft(undefined);
          }}
        >
          <MarkdownEditor label={t('tasks.dialog.content')} value={draft} onChange={setDraft} />
          <EditorActions onCancel={() => setDraft(undefined)} />
        </form>
      )}
    </section>
  );
}
