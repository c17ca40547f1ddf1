import { Link, useParams } from 'react-router';
import { Alert } from '../../../components/alert';
import { PageHeading } from '../../../components/page-heading';
import { Spinner } from '../../../components/spinner';
import { useT } from '../../../lib/i18n';
import { describeError } from '../../../lib/problem';
import { useFindBoardByKey } from '../api/find-board-by-key';
import { BoardSettingsColumns } from './board-settings-columns';
import { BoardSettingsExport } from './board-settings-export';
import { BoardSettingsGeneral } from './board-settings-general';
import { BoardSettingsInvitations } from './board-settings-invitations';
import { BoardSettingsLabels } from './board-settings-labels';
import { BoardSettingsMembers } from './board-settings-members';
import { BoardSettingsWebhooks } from './board-settings-webhooks';
import './board-settings.css';

/**
 * `/boards/:key/settings`: the board's supervisors (and admins) change it here. Other members
 * are told they cannot and may still export; the API refuses their changes with 403 anyway.
 */
export function BoardSettingsPage() {
  const t = useT();
  const { key = '' } = useParams();
  const board = useFindBoardByKey(key);

  if (board.isPending) return <Spinner label={t('tasks.settings.loading')} />;
  if (board.isError) {
    return (
      <section className="page page--narrow">
        <PageHeading>{t('tasks.settings.title')}</PageHeading>
        <Alert tone="error" title={t('tasks.settings.loadFailed')}>
          {describeError(board.error)}
        </Alert>
        <button type="button" className="button" onClick={() => void board.refetch()}>
          {t('common.tryAgain')}
        </button>
      </section>
    );
  }
  if (!board.data) {
    return (
      <section className="page page--narrow">
        <PageHeading>{t('tasks.settings.notFound.title')}</PageHeading>
        <p>{t('tasks.settings.notFound.body', { key })}</p>
        <Link to="/boards" className="button">
          {t('tasks.settings.allBoards')}
        </Link>
      </section>
    );
  }

  const { id, name } = board.data;
  const boardPath = `/boards/${encodeURIComponent(board.data.key)}`;
  const title = t('tasks.settings.titleOf', { name });
  if (board.data.myRole !== 'supervisor') {
    return (
      <section className="page page--narrow board-settings">
        <PageHeading title={title}>{title}</PageHeading>
        <Alert tone="info" title={t('tasks.settings.forbidden.title')}>
          {t('tasks.settings.forbidden.body')}
        </Alert>
        <p>
          <Link to={boardPath}>{t('tasks.settings.backToBoard', { name })}</Link>
        </p>
        <BoardSettingsExport boardId={id} boardKey={board.data.key} />
      </section>
    );
  }

  return (
    <section className="page board-settings">
      <PageHeading title={title}>{title}</PageHeading>
      <p>
        <Link to={boardPath}>{t('tasks.settings.backToBoard', { name })}</Link>
      </p>
      <BoardSettingsGeneral board={board.data} />
      <BoardSettingsMembers boardId={id} />
      <BoardSettingsInvitations boardId={id} />
      <BoardSettingsColumns boardId={id} />
      <BoardSettingsLabels boardId={id} />
      <BoardSettingsWebhooks boardId={id} />
      <BoardSettingsExport boardId={id} boardKey={board.data.key} />
    </section>
  );
}
