import { useId } from 'react';
import { useT } from '../../../lib/i18n';
import type { BoardView } from '../api/get-board';
import { DUE_FILTERS, type FilterParam, type useBoardFilters } from '../hooks/use-board-filters';
import { memberName } from './member-name';

const DUE_FILTER_KEYS = {
  overdue: 'tasks.filters.due.overdue',
  this_week: 'tasks.filters.due.this_week',
  none: 'tasks.filters.due.none',
} as const;

type Filters = ReturnType<typeof useBoardFilters>;

function SelectFilter({
  name,
  label,
  value,
  options,
  onChange,
}: {
  name: FilterParam;
  label: string;
  value: string;
  options: { value: string; label: string }[];
  onChange: (name: FilterParam, value: string) => void;
}) {
  const t = useT();
  const id = useId();
  return (
    <div className="board-filters__field">
      <label className="field__label" htmlFor={id}>
        {label}
      </label>
      <select
        id={id}
        className="field__input"
        value={value}
        onChange={(event) => onChange(name, event.target.value)}
      >
        <option value="">{t('tasks.filters.any')}</option>
        {options.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
    </div>
  );
}

/** Text search, PIC, assignee, label, due and "show archived"; every value is in the URL. */
export function BoardFilters({ view, filters }: { view: BoardView; filters: Filters }) {
  const t = useT();
  const searchId = useId();
  const archivedId = useId();
  const { values, setFilter, active, clear } = filters;
  const people = view.members
    .filter((member) => member.role !== 'viewer')
    .map((member) => ({ value: member.userId, label: memberName(member) }));

  return (
    <search className="board-filters" aria-label={t('tasks.filters.title')}>
      <div className="board-filters__field board-filters__field--search">
        <label className="field__label" htmlFor={searchId}>
          {t('tasks.filters.q')}
        </label>
        <input
          id={searchId}
          type="search"
          className="field__input"
          value={values.q}
          maxLength={200}
          placeholder={t('tasks.filters.qPlaceholder')}
          onChange={(event) => setFilter('q', event.target.value)}
        />
      </div>
      <SelectFilter
        name="pic"
        label={t('tasks.filters.pic')}
        value={values.pic}
        options={people}
        onChange={setFilter}
      />
      <SelectFilter
        name="assignee"
        label={t('tasks.filters.assignee')}
        value={values.assignee}
        options={people}
        onChange={setFilter}
      />
      <SelectFilter
        name="label"
        label={t('tasks.filters.label')}
        value={values.label}
        options={view.labels.map((label) => ({ value: label.id, label: label.name }))}
        onChange={setFilter}
      />
      <SelectFilter
        name="due"
        label={t('tasks.filters.due')}
        value={values.due}
        options={DUE_FILTERS.map((due) => ({ value: due, label: t(DUE_FILTER_KEYS[due]) }))}
        onChange={setFilter}
      />
      <div className="board-filters__field board-filters__field--check">
        <input
          id={archivedId}
          type="checkbox"
          checked={values.archived === '1'}
          onChange={(event) => setFilter('archived', event.target.checked ? '1' : '')}
        />
        <label htmlFor={archivedId}>{t('tasks.filters.archived')}</label>
      </div>
      {active ? (
        <button type="button" className="button button--small" onClick={clear}>
          {t('tasks.filters.clear')}
        </button>
      ) : null}
    </search>
  );
}
