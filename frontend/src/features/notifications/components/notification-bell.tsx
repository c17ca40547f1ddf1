import { useId, useState } from 'react';
import { useT } from '../../../lib/i18n';
import { useUnreadCount } from '../api/unread-count';
import { useNotificationEvents } from '../hooks/use-notification-events';
import { NotificationCentre } from './notification-centre';

/**
 * The header's bell: my unread count, kept current by my event stream, opening the notification
 * centre as a dropdown.
 */
export function NotificationBell() {
  const t = useT();
  useNotificationEvents(true);
  const panelId = useId();
  const [open, setOpen] = useState(false);
  const count = useUnreadCount();
  const unread = count.data?.unread ?? 0;

  return (
    <div className="notification-bell">
      <button
        type="button"
        className="button button--ghost notification-bell__button"
        aria-expanded={open}
        aria-controls={panelId}
        aria-label={t('notifications.bell', { count: unread })}
        onClick={() => setOpen((value) => !value)}
      >
        <span aria-hidden="true">🔔</span>
        {unread > 0 ? (
          <span className="notification-bell__count" aria-hidden="true">
            {unread > 99 ? '99+' : unread}
          </span>
        ) : null}
      </button>
      {open ? (
        <div id={panelId} className="notification-bell__panel card">
          <NotificationCentre onNavigate={() => setOpen(false)} />
        </div>
      ) : null}
    </div>
  );
}
