import type { ReactNode } from 'react';
import { PagedList, type PagedListProps } from '../../../components/paged-list';
import type { useFilters } from '../hooks/use-filters';
import { type FilterFieldSpec, FilterForm } from './filter-form';

export interface FilteredListProps<Name extends string, Item>
  extends Omit<PagedListProps<Item>, 'errorShownAtFields'> {
  filters: ReturnType<typeof useFilters<Name>>;
  /** Names the search landmark, e.g. "Search users". */
  searchLabel: string;
  fields: readonly FilterFieldSpec<Name>[];
  /** Shown between the filters and the list, e.g. the outcome of the last action. */
  status?: ReactNode;
}

/**
 * An admin list: its filters (in the address bar), then the paged list. A filter the server
 * rejects is shown at its field, so the list shows no second error for it.
 */
export function FilteredList<Name extends string, Item>({
  filters,
  searchLabel,
  fields,
  status,
  ...list
}: FilteredListProps<Name, Item>) {
  const fieldErrors = filters.errorsOf(list.query.error);
  return (
    <>
      <FilterForm
        key={filters.key}
        label={searchLabel}
        fields={fields}
        applied={filters.applied}
        errors={fieldErrors}
        onApply={filters.apply}
      />
      {status}
      <PagedList {...list} errorShownAtFields={Object.keys(fieldErrors).length > 0} />
    </>
  );
}
