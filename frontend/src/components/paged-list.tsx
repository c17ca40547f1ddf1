import type { UseQueryResult } from '@tanstack/react-query';
import { type ReactNode, useEffect } from 'react';
import { useT } from '../lib/i18n';
import { describeError } from '../lib/problem';
import { Alert } from './alert';
import { Pagination } from './pagination';
import { Spinner } from './spinner';
import type { useCursorPages } from './use-cursor-pages';

export interface Page<Item> {
  items: Item[];
  nextCursor: string | null;
}

export interface PagedListProps<Item> {
  query: UseQueryResult<Page<Item>>;
  pages: ReturnType<typeof useCursorPages>;
  loadingLabel: string;
  errorTitle: string;
  /** The filters' own error display covers the failure: no second message above the table. */
  errorShownAtFields?: boolean;
  /** What an empty first page says (e.g. "No users match “x”."). */
  empty: ReactNode;
  children: (items: Item[]) => ReactNode;
}

/** The loading, failed, empty and paged states every cursor-paged list goes through. */
export function PagedList<Item>({
  query,
  pages,
  loadingLabel,
  errorTitle,
  errorShownAtFields = false,
  empty,
  children,
}: PagedListProps<Item>) {
  const t = useT();
  // Removing the last row of a later page leaves it empty: step back to one that has rows.
  const emptyLaterPage =
    pages.page > 1 && query.data?.items.length === 0 && !query.isPlaceholderData;
  const { previous } = pages;
  useEffect(() => {
    if (emptyLaterPage) previous();
  }, [emptyLaterPage, previous]);

  if (query.isPending) return <Spinner label={loadingLabel} />;
  if (query.isError) {
    if (errorShownAtFields) return null;
    return (
      <Alert tone="error" title={errorTitle}>
        <p>{describeError(query.error)}</p>
        <button type="button" className="button button--small" onClick={() => query.refetch()}>
          {t('common.tryAgain')}
        </button>
      </Alert>
    );
  }
  const { items, nextCursor } = query.data;
  if (items.length === 0 && pages.page === 1) return <div className="empty-state">{empty}</div>;
  return (
    <div className="card card--flush" aria-busy={query.isFetching || undefined}>
      {children(items)}
      <Pagination
        page={pages.page}
        hasPrevious={pages.page > 1}
        hasNext={Boolean(nextCursor) && !query.isPlaceholderData}
        onPrevious={pages.previous}
        onNext={() => {
          if (nextCursor) pages.next(nextCursor);
        }}
      />
    </div>
  );
}
