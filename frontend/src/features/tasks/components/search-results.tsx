import { Alert } from '../../../components/alert';
import { Spinner } from '../../../components/spinner';
import { useT } from '../../../lib/i18n';
import { describeError } from '../../../lib/problem';
import type { BoardView } from '../api/get-board';
import { type BoardTaskFilters, useSearchBoardTasks } from '../api/search-board-tasks';
import { todayIn } from '../lib/due';
import { TaskCard } from './task-card';

/** With filters on: the matching tasks (searchBoardTasks), grouped under their columns. */
export function SearchResults({ view, filters }: { view: BoardView; filters: BoardTaskFilters }) {
  const t = useT();
  const search = useSearchBoardTasks(view.board.id, filters, true);
  const today = todayIn();

  if (search.isPending) return <Spinner label={t('tasks.search.loading')} />;
  if (search.isError) {
    return (
      <Alert tone="error" title={t('tasks.search.failed')}>
        <p>{describeError(search.error)}</p>
      </Alert>
    );
  }
  const cards = search.data.pages.flatMap((page) => page.items);
  const groups = view.columns
    .map((column) => ({ column, cards: cards.filter((card) => card.columnId === column.id) }))
    .filter((group) => group.cards.length > 0);

  return (
    <section className="board-search" aria-label={t('tasks.search.title')}>
      <p className="board-search__summary" role="status">
        {t('tasks.search.count', { count: cards.length })}
      </p>
      {groups.length > 0 ? (
        <ol className="board__columns">
          {groups.map(({ column, cards: matches }) => (
            <li key={column.id} className="board-column" aria-labelledby={`found-${column.id}`}>
              <header className="board-column__header">
                <h2 id={`found-${column.id}`} className="board-column__name">
                  {column.name}
                </h2>
                <span className="board-column__count">{matches.length}</span>
              </header>
              <ol className="board-column__cards" aria-labelledby={`found-${column.id}`}>
                {matches.map((card) => (
                  <li key={card.id} className="board-column__card">
                    <TaskCard card={card} board={view} today={today} />
                  </li>
                ))}
              </ol>
            </li>
          ))}
        </ol>
      ) : (
        <p className="board-search__empty">{t('tasks.search.empty')}</p>
      )}
      {search.hasNextPage ? (
        <button
          type="button"
          className="button button--small"
          disabled={search.isFetchingNextPage}
          onClick={() => search.fetchNextPage()}
        >
          {t('tasks.search.more')}
        </button>
      ) : null}
    </section>
  );
}
