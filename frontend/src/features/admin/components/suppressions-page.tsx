import { useRef, useState } from 'react';
import { Alert } from '../../../components/alert';
import { ConfirmDialog } from '../../../components/confirm-dialog';
import { PageHeading } from '../../../components/page-heading';
import { useCursorPages } from '../../../components/use-cursor-pages';
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
      <PageHeading>Mail suppressions</PageHeading>
      <p className="muted">
        Nothing is sent to these addresses: they bounced permanently, complained, or the mail server
        refused them.
      </p>
      <FilteredList
        filters={filters}
        searchLabel="Search suppressed addresses"
        fields={[{ name: 'search', label: 'Address contains' }]}
        status={<StatusMessage ref={messageRef} message={message} />}
        query={suppressions}
        pages={pages}
        loadingLabel="Loading suppressed addresses…"
        errorTitle="Suppressed addresses could not be loaded"
        empty={
          <p>
            {filters.applied.search
              ? `No suppressed address contains “${filters.applied.search}”.`
              : 'No address is suppressed.'}
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
          title={`Remove ${removing.email} from the list?`}
          confirmLabel={remove.isPending ? 'Removing…' : 'Remove'}
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
                setMessage(`${removing.email} can receive mail again.`);
                requestAnimationFrame(() => messageRef.current?.focus());
              },
            })
          }
        >
          <p>
            Mail will be sent to this address again. If it bounces permanently once more, it comes
            back on the list.
          </p>
        </ConfirmDialog>
      ) : null}
    </section>
  );
}
