import { useQueryClient } from '@tanstack/react-query';
import { useRef, useState } from 'react';
import { Alert } from '../../../components/alert';
import { PageHeading } from '../../../components/page-heading';
import { PagedList } from '../../../components/paged-list';
import { useCursorPages } from '../../../components/use-cursor-pages';
import { useT } from '../../../lib/i18n';
import { describeError } from '../../../lib/problem';
import { FILES_QUERY_KEY } from '../api/files-query-key';
import { useDownloadFile } from '../api/get-file-download';
import { type StoredFile, useListFiles } from '../api/list-files';
import { DeleteFileDialog } from './delete-file-dialog';
import './files.css';
import { UploadZone } from '../../../components/upload-zone';
import { FilesTable } from './files-table';

export const FILES_PAGE_SIZE = 20;

export function FilesPage() {
  const t = useT();
  const pages = useCursorPages('files');
  const [deleting, setDeleting] = useState<StoredFile | null>(null);
  const [message, setMessage] = useState<string>();
  const messageRef = useRef<HTMLDivElement>(null);
  const files = useListFiles({ limit: FILES_PAGE_SIZE, cursor: pages.cursor });
  const download = useDownloadFile();
  const queryClient = useQueryClient();

  function onDeleted(file: StoredFile) {
    setDeleting(null);
    setMessage(t('files.deleted', { name: file.filename }));
    // The row and its button are gone; give focus a stable place that also reads the outcome.
    requestAnimationFrame(() => messageRef.current?.focus());
  }

  return (
    <section className="page">
      <PageHeading>{t('files.title')}</PageHeading>

      <UploadZone
        purpose="attachment"
        onUploaded={(file) => {
          setMessage(t('files.uploaded', { name: file.filename }));
          void queryClient.invalidateQueries({ queryKey: FILES_QUERY_KEY });
        }}
      />

      <div ref={messageRef} tabIndex={-1} className="page__message">
        {message ? <Alert tone="success">{message}</Alert> : null}
        {download.isError ? <Alert tone="error">{describeError(download.error)}</Alert> : null}
      </div>

      <PagedList
        query={files}
        pages={pages}
        loadingLabel={t('files.loading')}
        errorTitle={t('files.loadFailed')}
        empty={<p>{t('files.empty')}</p>}
      >
        {(rows) => (
          <FilesTable
            files={rows}
            downloading={download.isPending ? download.variables : undefined}
            onDownload={(file) => download.mutate(file.id)}
            onDelete={setDeleting}
          />
        )}
      </PagedList>

      {deleting ? (
        <DeleteFileDialog
          file={deleting}
          onDeleted={onDeleted}
          onCancel={() => setDeleting(null)}
        />
      ) : null}
    </section>
  );
}
