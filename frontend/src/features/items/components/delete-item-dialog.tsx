import { Alert } from '../../../components/alert';
import { ConfirmDialog } from '../../../components/confirm-dialog';
import { describeError } from '../../../lib/problem';
import { useDeleteItem } from '../api/delete-item';
import type { Item } from '../api/put-item';

export interface DeleteItemDialogProps {
  item: Item;
  onDeleted: (item: Item) => void;
  onCancel: () => void;
}

export function DeleteItemDialog({ item, onDeleted, onCancel }: DeleteItemDialogProps) {
  const deleteItem = useDeleteItem();
  return (
    <ConfirmDialog
      title="Delete this item?"
      confirmLabel={deleteItem.isPending ? 'Deleting…' : 'Delete'}
      danger
      busy={deleteItem.isPending}
      error={
        deleteItem.isError ? (
          <Alert tone="error">{describeError(deleteItem.error)}</Alert>
        ) : undefined
      }
      onCancel={onCancel}
      onConfirm={() => deleteItem.mutate(item.id, { onSuccess: () => onDeleted(item) })}
    >
      <p>
        “{item.name}” ({item.id}) will be removed for everyone. This cannot be undone.
      </p>
    </ConfirmDialog>
  );
}
