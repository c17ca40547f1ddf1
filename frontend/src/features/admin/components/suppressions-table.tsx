import { type Column, DataTable, RowButton } from '../../../components/data-table';
import { DateTime } from '../../../components/date-time';
import type { MailSuppression } from '../api/list-suppressions';

const REASONS: Record<MailSuppression['reason'], string> = {
  bounce: 'Permanent bounce',
  complaint: 'Complaint',
  smtp_rejection: 'Refused by the mail server',
};

const COLUMNS: Column<MailSuppression>[] = [
  { label: 'Address', rowHeader: true, cell: (entry) => entry.email },
  { label: 'Reason', cell: (entry) => REASONS[entry.reason] },
  { label: 'Detail', details: true, cell: (entry) => entry.detail ?? '—' },
  { label: 'Since', cell: (entry) => <DateTime value={entry.createdAt} /> },
];

export interface SuppressionsTableProps {
  suppressions: MailSuppression[];
  onRemove: (entry: MailSuppression) => void;
}

export function SuppressionsTable({ suppressions, onRemove }: SuppressionsTableProps) {
  return (
    <DataTable
      caption="Suppressed addresses"
      columns={COLUMNS}
      rows={suppressions}
      rowKey={(entry) => entry.email}
      actions={(entry) => (
        <RowButton
          label={`Remove ${entry.email} from the suppression list`}
          danger
          onClick={() => onRemove(entry)}
        >
          Remove
        </RowButton>
      )}
    />
  );
}
