import { type Column, DataTable, RowButton } from '../../../components/data-table';
import { DateTime } from '../../../components/date-time';
import { useT } from '../../../lib/i18n';
import type { MailSuppression } from '../api/list-suppressions';

const REASON_KEYS: Record<MailSuppression['reason'], string> = {
  bounce: 'admin.suppressions.reason.bounce',
  complaint: 'admin.suppressions.reason.complaint',
  smtp_rejection: 'admin.suppressions.reason.smtpRejection',
};

export interface SuppressionsTableProps {
  suppressions: MailSuppression[];
  onRemove: (entry: MailSuppression) => void;
}

export function SuppressionsTable({ suppressions, onRemove }: SuppressionsTableProps) {
  const t = useT();
  const columns: Column<MailSuppression>[] = [
    {
      label: t('admin.suppressions.column.address'),
      rowHeader: true,
      cell: (entry) => <span className="break-anywhere">{entry.email}</span>,
    },
    { label: t('admin.suppressions.column.reason'), cell: (entry) => t(REASON_KEYS[entry.reason]) },
    {
      label: t('admin.suppressions.column.detail'),
      details: true,
      cell: (entry) => entry.detail ?? '—',
    },
    {
      label: t('admin.suppressions.column.since'),
      cell: (entry) => <DateTime value={entry.createdAt} />,
    },
  ];
  return (
    <DataTable
      caption={t('admin.suppressions.caption')}
      columns={columns}
      rows={suppressions}
      rowKey={(entry) => entry.email}
      actions={(entry) => (
        <RowButton
          label={t('admin.suppressions.removeNamed', { email: entry.email })}
          danger
          onClick={() => onRemove(entry)}
        >
          {t('admin.suppressions.remove')}
        </RowButton>
      )}
    />
  );
}
