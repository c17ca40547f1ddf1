import { PageHeading } from '../../../components/page-heading';
import { useCursorPages } from '../../../components/use-cursor-pages';
import { useListAuditEvents } from '../api/list-audit-events';
import { useFilters } from '../hooks/use-filters';
import { AuditTable } from './audit-table';
import { FilteredList } from './filtered-list';

export const AUDIT_PAGE_SIZE = 25;
const FILTERS = ['type', 'userId'] as const;

/** Suggestions only: the backend accepts any type name, and new modules add their own. */
const KNOWN_TYPES = [
  'account.signed_up',
  'account.confirmed',
  'account.deleted',
  'account.disabled',
  'account.enabled',
  'account.admin_bootstrapped',
  'sign_in.succeeded',
  'sign_in.failed',
  'sign_in.locked',
  'password.changed',
  'password.reset_requested',
  'password.reset',
  'roles.changed',
  'session.revoked',
  'session.signed_out_everywhere',
  'session.refresh_reused',
] as const;

export function AuditPage() {
  const filters = useFilters(FILTERS);
  const pages = useCursorPages(filters.key);
  const events = useListAuditEvents({
    limit: AUDIT_PAGE_SIZE,
    type: filters.applied.type,
    userId: filters.applied.userId,
    cursor: pages.cursor,
  });
  const filtered = Boolean(filters.applied.type || filters.applied.userId);

  return (
    <section className="page">
      <PageHeading>Audit log</PageHeading>
      <FilteredList
        filters={filters}
        searchLabel="Filter audit events"
        fields={[
          {
            name: 'type',
            label: 'Event type',
            hint: 'e.g. roles.changed',
            suggestions: KNOWN_TYPES,
          },
          { name: 'userId', label: 'User id', hint: 'The user the event is about.' },
        ]}
        query={events}
        pages={pages}
        loadingLabel="Loading audit events…"
        errorTitle="Audit events could not be loaded"
        empty={<p>{filtered ? 'No events match these filters.' : 'No events recorded yet.'}</p>}
      >
        {(items) => <AuditTable events={items} />}
      </FilteredList>
    </section>
  );
}
