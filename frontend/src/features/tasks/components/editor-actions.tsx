import { useT } from '../../../lib/i18n';

/** Save (submits the form around it) and Cancel, under an in-place editor of the task dialog. */
export function EditorActions({ onCancel }: { onCancel: () => void }) {
  const t = useT();
  return (
    <div className="task-dialog__actions">
      <button type="submit" className="button button--primary button--small">
        {t('tasks.dialog.save')}
      </button>
      <button type="button" className="button button--small" onClick={onCancel}>
        {t('tasks.dialog.cancel')}
      </button>
    </div>
  );
}
