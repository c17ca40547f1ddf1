import { type Column, DataTable, RowButton, RowLink } from '../../../components/data-table';
import { DateTime } from '../../../components/date-time';
import { useFormat } from '../../../lib/format';
import { useT } from '../../../lib/i18n';
import type { Item } from '../api/put-item';

export interface ItemsTableProps {
  items: Item[];
  onDelete: (item: Item) => void;
}

export function ItemsTable({ items, onDelete }: ItemsTableProps) {
  const t = useT();
  const format = useFormat();
  const columns: Column<Item>[] = [
    { label: t('items.field.name'), rowHeader: true, cell: (item) => item.name },
    { label: t('items.field.id'), cell: (item) => <code>{item.id}</code> },
    {
      label: t('items.field.price'),
      numeric: true,
      cell: (item) => format.money(item.price, item.currency),
    },
    {
      label: t('items.field.updated'),
      cell: (item) => <DateTime value={item.updatedAt} relative />,
    },
  ];
  return (
    <DataTable
      caption={t('items.title')}
      columns={columns}
      rows={items}
      rowKey={(item) => item.id}
      actions={(item) => (
        <>
          <RowLink
            to={`/items/${encodeURIComponent(item.id)}/edit`}
            label={t('items.editNamed', { name: item.name })}
          >
            {t('items.edit.action')}
          </RowLink>
          <RowButton
            label={t('items.deleteNamed', { name: item.name })}
            danger
            onClick={() => onDelete(item)}
          >
            {t('items.delete.action')}
          </RowButton>
        </>
      )}
    />
  );
}
