import { useRef, useState } from 'react';
import { Alert } from '../../../components/alert';
import { ConfirmDialog } from '../../../components/confirm-dialog';
import { PageHeading } from '../../../components/page-heading';
import { useCursorPages } from '../../../components/use-cursor-pages';
import { useT } from '../../../lib/i18n';
import { describeError } from '../../../lib/problem';
import { useDeleteSuppression } from '../api/delete-suppression';
import { type MailSuppression, useListSuppressions } from '../api/list-suppressions';
import { useFilters } from '../hooks/use-filters';
import { FilteredList } from './filtered-list';
import { StatusMessage } from './status-message';
import { SuppressionsTable } from './suppressions-table';

export const SUPPRESSIONS_PAGE_SIZE = 20;
const FILTERS = ['search'] as const;

export function SuppressionsPage() {
  const t = useT();
  const filters = useFilters(FILTERS);
  const pages = useCursorPages(filters.key);
  const suppressions = useListSuppressions({
    limit: SUPPRESSIONS_PAGE_SIZE,
    search: filters.applied.search,
    cursor: pages.cursor,
  });
  const [removing, setRemoving] = useState<MailSuppression | null>(null);
  const [message, setMessage] = useState<string>();
  const messageRef = useRef<HTMLDivElement>(null);
  const remove = useDeleteSuppression();

  return (
    <section className="page">
      <PageHeading>{t('admin.suppressions.title')}</PageHeading>
      <p className="muted">{t('admin.suppressions.intro')}</p>
      <FilteredList
        filters={filters}
        searchLabel={t('admin.suppressions.search')}
        fields={[{ name: 'search', label: t('admin.suppressions.addressContains') }]}
        status={<StatusMessage ref={messageRef} message={message} />}
        query={suppressions}
        pages={pages}
        loadingLabel={t('admin.suppressions.loading')}
        errorTitle={t('admin.suppressions.loadFailed')}
        empty={
          <p>
            {filters.applied.search
              ? t('admin.suppressions.noMatch', { search: filters.applied.search })
              : t('admin.suppressions.empty')}
          </p>
        }
      >
        {(items) => (
          <SuppressionsTable
            suppressions={items}
            onRemove={(entry) => {
              remove.reset();
              setRemoving(entry);
            }}
          />
        )}
      </FilteredList>
      {removing ? (
        <ConfirmDialog
          title={t('admin.suppressions.removeTitle', { email: removing.email })}
          confirmLabel={
            remove.isPending ? t('admin.suppressions.removing') : t('admin.suppressions.remove')
          }
          danger
          busy={remove.isPending}
          error={
            remove.isError ? <Alert tone="error">{describeError(remove.error)}</Alert> : undefined
          }
          onCancel={() => setRemoving(null)}
          onConfirm={() =>
            remove.mutate(removing.email, {
              onSuccess: () => {
                setRemoving(null);
                setMessage(t('admin.suppressions.removed', { email: removing.email }));
                requestAnimationFrame(() => messageRef.current?.focus());
              },
            })
          }
        >
          <p>{t('admin.suppressions.removeBody')}</p>
        </ConfirmDialog>
      ) : null}
    </section>
  );
}
