import { Alert } from '../../../components/alert';
import { ConfirmDialog } from '../../../components/confirm-dialog';
import { useT } from '../../../lib/i18n';
import { describeError } from '../../../lib/problem';
import { useDeleteItem } from '../api/delete-item';
import type { Item } from '../api/put-item';

export interface DeleteItemDialogProps {
  item: Item;
  onDeleted: (item: Item) => void;
  onCancel: () => void;
}

export function DeleteItemDialog({ item, onDeleted, onCancel }: DeleteItemDialogProps) {
  const t = useT();
  const deleteItem = useDeleteItem();
  return (
    <ConfirmDialog
      title={t('items.delete.title')}
      confirmLabel={deleteItem.isPending ? t('items.delete.deleting') : t('items.delete.action')}
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
      <p>{t('items.delete.body', { name: item.name, id: item.id })}</p>
    </ConfirmDialog>
  );
}
