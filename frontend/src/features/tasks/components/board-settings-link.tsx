import { Link } from 'react-router';
import { useT } from '../../../lib/i18n';

/**
 * The board header's way to its settings: a gear link shown to those who may change them
 * (supervisors; admins act as supervisors). Others get nothing, so no one meets a refusal.
 */
export function BoardSettingsLink({
  boardKey,
  myRole,
}: {
  boardKey: string;
  myRole: 'supervisor' | 'member' | 'viewer';
}) {
  const t = useT();
  if (myRole !== 'supervisor') return null;
  return (
    <Link
      to={`/boards/${encodeURIComponent(boardKey)}/settings`}
      className="button button--small board-settings-link"
      aria-label={t('tasks.settings.link')}
      title={t('tasks.settings.link')}
    >
      <svg aria-hidden="true" viewBox="0 0 24 24" width="16" height="16" focusable="false">
        <path
          fill="currentColor"
          d="M19.4 13a7.5 7.5 0 0 0 0-2l2.1-1.6-2-3.5-2.5 1a7.6 7.6 0 0 0-1.7-1L15 3.2h-4l-.4 2.7a7.6 7.6 0 0 0-1.7 1l-2.5-1-2 3.5L6.6 11a7.5 7.5 0 0 0 0 2l-2.1 1.6 2 3.5 2.5-1a7.6 7.6 0 0 0 1.7 1l.4 2.7h4l.4-2.7a7.6 7.6 0 0 0 1.7-1l2.5 1 2-3.5L19.4 13ZM13 15.5a3.5 3.5 0 1 1 0-7 3.5 3.5 0 0 1 0 7Z"
          transform="translate(-1 0)"
        />
      </svg>
    </Link>
  );
}
