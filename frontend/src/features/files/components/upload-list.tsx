import { useFormat } from '../../../lib/format';
import { useT } from '../../../lib/i18n';
import { explainFailure, type UploadEntry } from '../hooks/use-uploads';
import { FileName } from './file-name';

const STATUS_KEYS: Record<UploadEntry['status'], string> = {
  preparing: 'files.status.preparing',
  uploading: 'files.status.uploading',
  verifying: 'files.status.verifying',
  done: 'files.status.done',
  failed: 'files.status.failed',
  cancelled: 'files.status.cancelled',
};

export interface UploadListProps {
  entries: UploadEntry[];
  onCancel: (id: string) => void;
  onDismiss: (id: string) => void;
}

/** One row per file: a progress bar of bytes sent, the state in words, cancel or dismiss. */
export function UploadList({ entries, onCancel, onDismiss }: UploadListProps) {
  const t = useT();
  const format = useFormat();
  if (entries.length === 0) return null;
  return (
    <ul className="upload-list" aria-label={t('files.uploads')}>
      {entries.map((entry) => {
        const running = ['preparing', 'uploading', 'verifying'].includes(entry.status);
        const percent = entry.total > 0 ? Math.floor((entry.sent / entry.total) * 100) : 0;
        const failure =
          entry.status === 'failed'
            ? explainFailure(entry.name, entry.total, entry.failure, t, format)
            : undefined;
        return (
          <li key={entry.id} className={`upload-list__item upload-list__item--${entry.status}`}>
            <div className="upload-list__head">
              <FileName name={entry.name} className="upload-list__name" />
              <span className="upload-list__status" aria-live="polite">
                {t(STATUS_KEYS[entry.status])}
              </span>
            </div>
            {failure ? (
              <div className="upload-list__error" role="alert">
                <p>{failure.error}</p>
                {failure.details.map((detail) => (
                  <p key={detail} className="upload-list__detail">
                    {detail}
                  </p>
                ))}
              </div>
            ) : (
              <div className="upload-list__progress">
                <progress
                  max={entry.total || 1}
                  value={entry.sent}
                  aria-label={t('files.progress.label', { name: entry.name })}
                  aria-valuetext={t('files.progress.percent', { percent })}
                />
                <span className="upload-list__bytes">
                  {t('files.progress.bytes', {
                    sent: format.bytes(entry.sent),
                    total: format.bytes(entry.total),
                    percent,
                  })}
                </span>
              </div>
            )}
            <div className="upload-list__actions">
              {running ? (
                <button
                  type="button"
                  className="button button--small"
                  onClick={() => onCancel(entry.id)}
                  aria-label={t('files.cancelNamed', { name: entry.name })}
                >
                  {t('files.cancel')}
                </button>
              ) : (
                <button
                  type="button"
                  className="button button--small"
                  onClick={() => onDismiss(entry.id)}
                  aria-label={t('files.dismissNamed', { name: entry.name })}
                >
                  {t('files.dismiss')}
                </button>
              )}
            </div>
          </li>
        );
      })}
    </ul>
  );
}
