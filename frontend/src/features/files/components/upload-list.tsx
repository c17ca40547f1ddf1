import type { UploadEntry } from '../hooks/use-uploads';
import { formatBytes } from '../lib/format-bytes';

const statusText: Record<UploadEntry['status'], string> = {
  preparing: 'Checking…',
  uploading: 'Uploading…',
  verifying: 'Verifying…',
  done: 'Uploaded',
  failed: 'Not uploaded',
  cancelled: 'Cancelled',
};

export interface UploadListProps {
  entries: UploadEntry[];
  onCancel: (id: string) => void;
  onDismiss: (id: string) => void;
}

/** One row per file: a progress bar of bytes sent, the state in words, cancel or dismiss. */
export function UploadList({ entries, onCancel, onDismiss }: UploadListProps) {
  if (entries.length === 0) return null;
  return (
    <ul className="upload-list" aria-label="Uploads">
      {entries.map((entry) => {
        const running = ['preparing', 'uploading', 'verifying'].includes(entry.status);
        const percent = entry.total > 0 ? Math.floor((entry.sent / entry.total) * 100) : 0;
        return (
          <li key={entry.id} className={`upload-list__item upload-list__item--${entry.status}`}>
            <div className="upload-list__head">
              <span className="upload-list__name">{entry.name}</span>
              <span className="upload-list__status" aria-live="polite">
                {statusText[entry.status]}
              </span>
            </div>
            {entry.status === 'failed' ? (
              <div className="upload-list__error" role="alert">
                <p>{entry.error}</p>
                {entry.details?.map((detail) => (
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
                  aria-label={`Upload of ${entry.name}`}
                  aria-valuetext={`${percent}%`}
                />
                <span className="upload-list__bytes">
                  {formatBytes(entry.sent)} of {formatBytes(entry.total)} ({percent}%)
                </span>
              </div>
            )}
            <div className="upload-list__actions">
              {running ? (
                <button
                  type="button"
                  className="button button--small"
                  onClick={() => onCancel(entry.id)}
                  aria-label={`Cancel upload of ${entry.name}`}
                >
                  Cancel
                </button>
              ) : (
                <button
                  type="button"
                  className="button button--small"
                  onClick={() => onDismiss(entry.id)}
                  aria-label={`Dismiss ${entry.name}`}
                >
                  Dismiss
                </button>
              )}
            </div>
          </li>
        );
      })}
    </ul>
  );
}
