import { type Column, DataTable, RowButton } from '../../../components/data-table';
import { DateTime } from '../../../components/date-time';
import type { StoredFile } from '../api/list-files';
import { formatBytes } from '../lib/format-bytes';

export interface FilesTableProps {
  files: StoredFile[];
  downloading: string | undefined;
  onDownload: (file: StoredFile) => void;
  onDelete: (file: StoredFile) => void;
}

const purposeNames: Record<StoredFile['purpose'], string> = {
  attachment: 'Attachment',
  avatar: 'Avatar',
  task_attachment: 'Task attachment',
};

const COLUMNS: Column<StoredFile>[] = [
  { label: 'Name', rowHeader: true, cell: (file) => file.filename },
  { label: 'Kind', cell: (file) => purposeNames[file.purpose] },
  { label: 'Size', numeric: true, cell: (file) => formatBytes(file.size) },
  { label: 'Uploaded', cell: (file) => <DateTime value={file.createdAt} /> },
];

export function FilesTable({ files, downloading, onDownload, onDelete }: FilesTableProps) {
  return (
    <DataTable
      caption="Files"
      columns={COLUMNS}
      rows={files}
      rowKey={(file) => file.id}
      actions={(file) => (
        <>
          <RowButton
            label={`Download ${file.filename}`}
            onClick={() => onDownload(file)}
            disabled={downloading === file.id}
          >
            Download
          </RowButton>
          <RowButton label={`Delete ${file.filename}`} danger onClick={() => onDelete(file)}>
            Delete
          </RowButton>
        </>
      )}
    />
  );
}
