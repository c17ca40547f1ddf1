import { Link } from 'react-router';
import { type Column, DataTable } from '../../../components/data-table';
import { DateTime } from '../../../components/date-time';
import type { AuditEvent } from '../api/list-audit-events';

/** Ids link to the same log filtered to that user, the quickest way to follow one account. */
function UserLink({ id }: { id: string | null }) {
  if (!id) return <span className="muted">—</span>;
  return (
    <Link to={`/admin/audit?userId=${encodeURIComponent(id)}`} title={id}>
      <code>{id.slice(0, 8)}</code>
      <span className="visually-hidden"> (events of user {id})</span>
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

const COLUMNS: Column<AuditEvent>[] = [
  { label: 'When', cell: (event) => <DateTime value={event.at} precision="second" /> },
  { label: 'Event', rowHeader: true, cell: (event) => <code>{event.type}</code> },
  { label: 'User', cell: (event) => <UserLink id={event.userId} /> },
  { label: 'By', cell: (event) => <UserLink id={event.actorId} /> },
  { label: 'Address', cell: (event) => event.ip ?? '—' },
  { label: 'Details', details: true, cell: (event) => describeDetails(event.details) },
];

export function AuditTable({ events }: { events: AuditEvent[] }) {
  return (
    <DataTable
      caption="Audit events, newest first"
      columns={COLUMNS}
      rows={events}
      rowKey={(event) => event.id}
    />
  );
}
