import { type Column, DataTable, RowButton } from '../../../components/data-table';
import { DateTime } from '../../../components/date-time';
import { FileName } from '../../../components/file-name';
import { useFormat } from '../../../lib/format';
import { useT } from '../../../lib/i18n';
import type { StoredFile } from '../api/list-files';

export interface FilesTableProps {
  files: StoredFile[];
  downloading: string | undefined;
  onDownload: (file: StoredFile) => void;
  onDelete: (file: StoredFile) => void;
}

const PURPOSE_KEYS: Record<StoredFile['purpose'], string> = {
  attachment: 'files.purpose.attachment',
  avatar: 'files.purpose.avatar',
  task_attachment: 'files.purpose.taskAttachment',
};

export function FilesTable({ files, downloading, onDownload, onDelete }: FilesTableProps) {
  const t = useT();
  const format = useFormat();
  const columns: Column<StoredFile>[] = [
    {
      label: t('files.column.name'),
      rowHeader: true,
      cell: (file) => <FileName name={file.filename} />,
    },
    { label: t('files.column.kind'), cell: (file) => t(PURPOSE_KEYS[file.purpose]) },
    { label: t('files.column.size'), numeric: true, cell: (file) => format.bytes(file.size) },
    { label: t('files.column.uploaded'), cell: (file) => <DateTime value={file.createdAt} /> },
  ];
  return (
    <DataTable
      caption={t('files.title')}
      columns={columns}
      rows={files}
      rowKey={(file) => file.id}
      actions={(file) => (
        <>
          <RowButton
            label={t('files.downloadNamed', { name: file.filename })}
            onClick={() => onDownload(file)}
            disabled={downloading === file.id}
          >
            {t('files.download')}
          </RowButton>
          <RowButton
            label={t('files.deleteNamed', { name: file.filename })}
            danger
            onClick={() => onDelete(file)}
          >
            {t('files.delete.action')}
          </RowButton>
        </>
      )}
    />
  );
}
