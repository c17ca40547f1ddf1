import { PageHeading } from '../../../components/page-heading';
import { useCursorPages } from '../../../components/use-cursor-pages';
import { useT } from '../../../lib/i18n';
import { useListAuditEvents } from '../api/list-audit-events';
import { useFilters } from '../hooks/use-filters';
import { AuditTable } from './audit-table';
import { FilteredList } from './filtered-list';

export const AUDIT_PAGE_SIZE = 25;
const FILTERS = ['type', 'user'] as const;

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
  const t = useT();
  const filters = useFilters(FILTERS);
  const pages = useCursorPages(filters.key);
  const events = useListAuditEvents({
    limit: AUDIT_PAGE_SIZE,
    type: filters.applied.type,
    user: filters.applied.user,
    cursor: pages.cursor,
  });
  const filtered = Boolean(filters.applied.type || filters.applied.user);

  return (
    <section className="page">
      <PageHeading>{t('admin.audit.title')}</PageHeading>
      <FilteredList
        filters={filters}
        searchLabel={t('admin.audit.search')}
        fields={[
          {
            name: 'type',
            label: t('admin.audit.type'),
            hint: t('admin.audit.typeHint'),
            suggestions: KNOWN_TYPES,
          },
          { name: 'user', label: t('admin.audit.user'), hint: t('admin.audit.userHint') },
        ]}
        query={events}
        pages={pages}
        loadingLabel={t('admin.audit.loading')}
        errorTitle={t('admin.audit.loadFailed')}
        empty={<p>{filtered ? t('admin.audit.noMatch') : t('admin.audit.empty')}</p>}
      >
        {(items) => <AuditTable events={items} />}
      </FilteredList>
    </section>
  );
}
