import { Link } from 'react-router';
import { type Column, DataTable } from '../../../components/data-table';
import { DateTime } from '../../../components/date-time';
import { useT } from '../../../lib/i18n';
import type { AuditEvent } from '../api/list-audit-events';

/** A user links to the same log filtered to them, the quickest way to follow one account. */
function UserLink({ id, email }: { id: string | null; email: string | null }) {
  const t = useT();
  if (!id) return <span className="muted">—</span>;
  return (
    <Link
      to={`/admin/audit?user=${encodeURIComponent(id)}`}
      title={id}
      aria-label={t('admin.audit.eventsOf', { user: email ?? id })}
      className="break-anywhere"
    >
      {email ?? <code>{id.slice(0, 8)}</code>}
    </Link>
  );
}

function describeDetails(details: AuditEvent['details']): string {
  const entries = Object.entries(details);
  if (entries.length === 0) return '';
  return entries
    .map(([key, value]) => `${key}: ${typeof value === 'string' ? value : JSON.stringify(value)}`)
    .join('; ');
}

export function AuditTable({ events }: { events: AuditEvent[] }) {
  const t = useT();
  const columns: Column<AuditEvent>[] = [
    {
      label: t('admin.audit.column.when'),
      cell: (event) => <DateTime value={event.at} precision="second" />,
    },
    {
      label: t('admin.audit.column.event'),
      rowHeader: true,
      cell: (event) => <code>{event.type}</code>,
    },
    {
      label: t('admin.audit.column.user'),
      cell: (event) => <UserLink id={event.userId} email={event.userEmail} />,
    },
    {
      label: t('admin.audit.column.by'),
      cell: (event) => <UserLink id={event.actorId} email={event.actorEmail} />,
    },
    { label: t('admin.audit.column.address'), cell: (event) => event.ip ?? '—' },
    {
      label: t('admin.audit.column.details'),
      details: true,
      cell: (event) => describeDetails(event.details),
    },
  ];
  return (
    <DataTable
      caption={t('admin.audit.caption')}
      columns={columns}
      rows={events}
      rowKey={(event) => event.id}
    />
  );
}
