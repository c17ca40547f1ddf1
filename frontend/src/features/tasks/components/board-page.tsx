import { Link, Outlet, useParams } from 'react-router';
import { Alert } from '../../../components/alert';
import { PageHeading } from '../../../components/page-heading';
import { Spinner } from '../../../components/spinner';
import { useT } from '../../../lib/i18n';
import { ApiError, describeError } from '../../../lib/problem';
import { useBoard, useBoardByKey } from '../api/get-board';
import { useBoardEvents } from '../hooks/use-board-events';
import { useBoardFilters } from '../hooks/use-board-filters';
import { BoardColumns } from './board-columns';
import { BoardFilters } from './board-filters';
import { BoardSettingsLink } from './board-settings-link';
import { LiveIndicator } from './live-indicator';
import { SearchResults } from './search-results';
import './board.css';

/**
 * `/boards/:key`: the filters bar, then the columns (or, with filters on, the search results),
 * kept current by the board's live event stream.
 */
export function BoardPage() {
  const t = useT();
  const { key = '' } = useParams();
  const byKey = useBoardByKey(key);
  const board = useBoard(byKey.data?.id);
  const filters = useBoardFilters();
  // Other people's moves, edits and comments arrive without a reload.
  const live = useBoardEvents(byKey.data?.id);

  const failure = byKey.error ?? board.error;
  if (failure) {
    const missing = failure instanceof ApiError && failure.status === 404;
    return (
      <section className="page">
        <PageHeading>{t('tasks.board.failed')}</PageHeading>
        <Alert tone="error">
          <p>{missing ? t('tasks.board.missing', { key }) : describeError(failure)}</p>
        </Alert>
        <Link to="/boards">{t('tasks.board.back')}</Link>
      </section>
    );
  }
  if (!board.data) return <Spinner label={t('tasks.board.loading')} />;
  const view = board.data;

  return (
    <section className="page board">
      <PageHeading
        title={view.board.name}
        actions={
          <>
            <span className="board__key">{view.board.key}</span>
            <LiveIndicator state={live} />
            <BoardSettingsLink boardKey={view.board.key} myRole={view.board.myRole} />
          </>
        }
      >
        {view.board.name}
      </PageHeading>
      {view.board.archived ? <Alert tone="info">{t('tasks.board.archived')}</Alert> : null}
      <BoardFilters view={view} filters={filters} />
      {filters.active ? (
        <SearchResults view={view} filters={filters.filters} />
      ) : (
        <BoardColumns view={view} />
      )}
      <Outlet />
    </section>
  );
}
