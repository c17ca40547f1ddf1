import { useCallback, useMemo } from 'react';
import { useSearchParams } from 'react-router';
import type { BoardTaskFilters } from '../api/search-board-tasks';
import { userTimeZone } from '../lib/due';

export const DUE_FILTERS = ['overdue', 'this_week', 'none'] as const;
export type DueFilter = (typeof DUE_FILTERS)[number];

/** The filter bar's fields as they appear in the address (`?q=&pic=&assignee=&label=&due=&archived=1`). */
export const FILTER_PARAMS = ['q', 'pic', 'assignee', 'label', 'due', 'archived'] as const;
export type FilterParam = (typeof FILTER_PARAMS)[number];

function isDue(value: string | null): value is DueFilter {
  return (DUE_FILTERS as readonly string[]).includes(value ?? '');
}

/**
 * The board's filters live in the URL query, so a filtered board can be linked to and survives a
 * reload. Any filter set means the board shows search results instead of the columns.
 */
export function useBoardFilters() {
  const [params, setParams] = useSearchParams();
  const values = useMemo(
    () =>
      Object.fromEntries(FILTER_PARAMS.map((name) => [name, params.get(name) ?? ''])) as Record<
        FilterParam,
        string
      >,
    [params],
  );
  const active = FILTER_PARAMS.some((name) => values[name] !== '');

  const filters = useMemo<BoardTaskFilters>(() => {
    const query: BoardTaskFilters = { archived: values.archived === '1', tz: userTimeZone() };
    const q = values.q.trim();
    if (q) query.q = q;
    if (values.pic) query.pic = values.pic;
    if (values.assignee) query.assignee = values.assignee;
    if (values.label) query.label = values.label;
    if (isDue(values.due)) query.due = values.due;
    return query;
  }, [values]);

  const setFilter = useCallback(
    (name: FilterParam, value: string) =>
      setParams(
        (current) => {
          const next = new URLSearchParams(current);
          if (value) next.set(name, value);
          else next.delete(name);
          return next;
        },
        { replace: true },
      ),
    [setParams],
  );

  const clear = useCallback(
    () =>
      setParams(
        (current) => {
          const next = new URLSearchParams(current);
          for (const name of FILTER_PARAMS) next.delete(name);
          return next;
        },
        { replace: true },
      ),
    [setParams],
  );

  return { values, active, filters, setFilter, clear };
}
