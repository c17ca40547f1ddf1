import { useFormat } from '../lib/format';
import { useT } from '../lib/i18n';
import { FileName } from './file-name';
import { explainFailure, type UploadEntry } from './use-uploads';

const STATUS_KEYS: Record<UploadEntry['status'], string> = {
  preparing: 'common.upload.status.preparing',
  uploading: 'common.upload.status.uploading',
  verifying: 'common.upload.status.verifying',
  done: 'common.upload.status.done',
  failed: 'common.upload.status.failed',
  cancelled: 'common.upload.status.cancelled',
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
    <ul className="upload-list" aria-label={t('common.upload.uploads')}>
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
                  aria-label={t('common.upload.progress.label', { name: entry.name })}
                  aria-valuetext={t('common.upload.progress.percent', { percent })}
                />
                <span className="upload-list__bytes">
                  {t('common.upload.progress.bytes', {
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
                  aria-label={t('common.upload.cancelNamed', { name: entry.name })}
                >
                  {t('common.upload.cancel')}
                </button>
              ) : (
                <button
                  type="button"
                  className="button button--small"
                  onClick={() => onDismiss(entry.id)}
                  aria-label={t('common.upload.dismissNamed', { name: entry.name })}
                >
                  {t('common.upload.dismiss')}
                </button>
              )}
            </div>
          </li>
        );
      })}
    </ul>
  );
}
