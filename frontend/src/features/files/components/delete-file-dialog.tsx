import { Alert } from '../../../components/alert';
import { ConfirmDialog } from '../../../components/confirm-dialog';
import { describeError } from '../../../lib/problem';
import { useDeleteFile } from '../api/delete-file';
import type { StoredFile } from '../api/list-files';

export interface DeleteFileDialogProps {
  file: StoredFile;
  onDeleted: (file: StoredFile) => void;
  onCancel: () => void;
}

export function DeleteFileDialog({ file, onDeleted, onCancel }: DeleteFileDialogProps) {
  const deleteFile = useDeleteFile();
  return (
    <ConfirmDialog
      title="Delete this file?"
      confirmLabel={deleteFile.isPending ? 'Deleting…' : 'Delete'}
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
      <p>“{file.filename}” will be removed. This cannot be undone.</p>
    </ConfirmDialog>
  );
}
