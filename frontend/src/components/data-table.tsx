import type { ButtonHTMLAttributes, ReactNode } from 'react';
import { Link } from 'react-router';
import { useT } from '../lib/i18n';

export interface Column<Row> {
  /** The column header; also labels the cell when rows become cards on narrow screens. */
  label: string;
  cell: (row: Row) => ReactNode;
  /** This column names the row (a row header), so screen readers announce actions in context. */
  rowHeader?: boolean;
  /** Right-aligned, tabular figures. */
  numeric?: boolean;
  /** Long free text: wraps anywhere, smaller and muted. */
  details?: boolean;
}

export interface DataTableProps<Row> {
  /** Names the table for screen readers; not shown. */
  caption: string;
  columns: readonly Column<Row>[];
  rows: readonly Row[];
  rowKey: (row: Row) => string;
  /** The row's buttons and links, in a last column whose header only screen readers get. */
  actions?: (row: Row) => ReactNode;
}

/** On narrow screens the rows become cards; each cell names its column through data-label. */
export function DataTable<Row>({ caption, columns, rows, rowKey, actions }: DataTableProps<Row>) {
  const t = useT();
  return (
    <table className="table">
      <caption className="visually-hidden">{caption}</caption>
      <thead>
        <tr>
          {columns.map((column) => (
            <th
              key={column.label}
              scope="col"
              className={column.numeric ? 'table__number' : undefined}
            >
              {column.label}
            </th>
          ))}
          {actions ? (
            <th scope="col">
              <span className="visually-hidden">{t('common.actions')}</span>
            </th>
          ) : null}
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => (
          <tr key={rowKey(row)}>
            {columns.map((column) => {
              const Cell = column.rowHeader ? 'th' : 'td';
              return (
                <Cell
                  key={column.label}
                  scope={column.rowHeader ? 'row' : undefined}
                  data-label={column.label}
                  className={cellClass(column)}
                >
                  {column.cell(row)}
                </Cell>
              );
            })}
            {actions ? (
              <td className="table__actions">
                <div className="table__action-group">{actions(row)}</div>
              </td>
            ) : null}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function cellClass(column: Pick<Column<unknown>, 'numeric' | 'details'>): string | undefined {
  if (column.numeric) return 'table__number';
  if (column.details) return 'table__details';
  return undefined;
}

export interface RowButtonProps extends Omit<ButtonHTMLAttributes<HTMLButtonElement>, 'type'> {
  /** The accessible name: the action and the row it acts on, e.g. "Delete report.pdf". */
  label: string;
  danger?: boolean;
}

/** A small button in a table row; its name carries the row, as several rows have the same text. */
export function RowButton({ label, danger = false, children, ...props }: RowButtonProps) {
  return (
    <button
      {...props}
      type="button"
      className={`button button--small${danger ? ' button--danger-quiet' : ''}`}
      aria-label={label}
    >
      {children}
    </button>
  );
}

/** A small link in a table row, named like `RowButton`. */
export function RowLink({
  to,
  label,
  children,
}: {
  to: string;
  label: string;
  children: ReactNode;
}) {
  return (
    <Link to={to} className="button button--small" aria-label={label}>
      {children}
    </Link>
  );
}
