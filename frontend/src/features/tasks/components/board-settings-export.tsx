import { Alert } from '../../../components/alert';
import { useT } from '../../../lib/i18n';
import { describeError } from '../../../lib/problem';
import { useExportBoard } from '../api/export-board';

/** Downloads the board file (JSON, re-importable) or its tasks as CSV; any member may. */
export function BoardSettingsExport({ boardId, boardKey }: { boardId: string; boardKey: string }) {
  const t = useT();
  const exportBoard = useExportBoard(boardId, boardKey);
  return (
    <section className="card stack" aria-labelledby="board-export-heading">
      <h2 id="board-export-heading">{t('tasks.settings.export.title')}</h2>
      <p className="muted">{t('tasks.settings.export.hint')}</p>
      {exportBoard.isError ? (
        <Alert tone="error" title={t('tasks.settings.export.failed')}>
          {describeError(exportBoard.error)}
        </Alert>
      ) : null}
      {exportBoard.isSuccess ? (
        <Alert tone="success">
          {t('tasks.settings.export.done', { filename: exportBoard.data.filename })}
        </Alert>
      ) : null}
      <div className="form__actions">
        <button
          type="button"
          className="button"
          disabled={exportBoard.isPending}
          onClick={() => exportBoard.mutate('json')}
        >
          {t('tasks.settings.export.json')}
        </button>
        <button
          type="button"
          className="button"
          disabled={exportBoard.isPending}
          onClick={() => exportBoard.mutate('csv')}
        >
          {t('tasks.settings.export.csv')}
        </button>
      </div>
    </section>
  );
}
