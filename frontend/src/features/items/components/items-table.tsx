import { type Column, DataTable, RowButton, RowLink } from '../../../components/data-table';
import { DateTime } from '../../../components/date-time';
import type { Item } from '../api/put-item';
import { formatPrice } from '../lib/price';

export interface ItemsTableProps {
  items: Item[];
  onDelete: (item: Item) => void;
}

const COLUMNS: Column<Item>[] = [
  { label: 'Name', rowHeader: true, cell: (item) => item.name },
  { label: 'Id', cell: (item) => <code>{item.id}</code> },
  { label: 'Price', numeric: true, cell: (item) => formatPrice(item.price) },
  { label: 'Updated', cell: (item) => <DateTime value={item.updatedAt} /> },
];

export function ItemsTable({ items, onDelete }: ItemsTableProps) {
  return (
    <DataTable
      caption="Items"
      columns={COLUMNS}
      rows={items}
      rowKey={(item) => item.id}
      actions={(item) => (
        <>
          <RowLink to={`/items/${encodeURIComponent(item.id)}/edit`} label={`Edit ${item.name}`}>
            Edit
          </RowLink>
          <RowButton label={`Delete ${item.name}`} danger onClick={() => onDelete(item)}>
            Delete
          </RowButton>
        </>
      )}
    />
  );
}
