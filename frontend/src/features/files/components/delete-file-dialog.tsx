import { Alert } from '../../../components/alert';
import { ConfirmDialog } from '../../../components/confirm-dialog';
import { useT } from '../../../lib/i18n';
import { describeError } from '../../../lib/problem';
import { useDeleteFile } from '../api/delete-file';
import type { StoredFile } from '../api/list-files';

export interface DeleteFileDialogProps {
  file: StoredFile;
  onDeleted: (file: StoredFile) => void;
  onCancel: () => void;
}

export function DeleteFileDialog({ file, onDeleted, onCancel }: DeleteFileDialogProps) {
  const t = useT();
  const deleteFile = useDeleteFile();
  return (
    <ConfirmDialog
      title={t('files.delete.title')}
      confirmLabel={deleteFile.isPending ? t('files.delete.deleting') : t('files.delete.action')}
      danger
      busy={deleteFile.isPending}
      error={
        deleteFile.isError ? (
          <Alert tone="error">{describeError(deleteFile.error)}</Alert>
        ) : undefined
      }
      onCancel={onCancel}
      onConfirm={() => deleteFile.mutate(file.id, { onSuccess: () => onDeleted(file) })}
    >
      <p className="break-anywhere">{t('files.delete.body', { name: file.filename })}</p>
    </ConfirmDialog>
  );
}
