import { useState } from 'react';
import { Link } from 'react-router';
import { useT } from '../../../lib/i18n';
import { type Notification, useNotifications } from '../api/list-notifications';
import { useMarkAllRead, useMarkRead } from '../api/mark-read';
import { CATEGORY_KEYS, type Category, TYPE_KEYS } from './labels';

function NotificationLine({ item }: { item: Notification }) {
  const t = useT();
  const actor = item.actorName ?? t('notifications.someone');
  return (
    <>
      <span className="notification__what">
        {t(TYPE_KEYS[item.type] ?? 'notifications.type.task_updated', { actor })} ·{' '}
        {t(CATEGORY_KEYS[item.category as Category] ?? 'notifications.category.status')}
      </span>
      <span className="notification__task">
        {item.taskNumber === null ? '' : `${item.boardKey}-${item.taskNumber} `}
        {item.taskTitle}
      </span>
    </>
  );
}

/** My newest notifications, with links to their tasks; opening one marks it read. */
export function NotificationCentre({ onNavigate }: { onNavigate?: () => void }) {
  const t = useT();
  const [unreadOnly, setUnreadOnly] = useState(false);
  const list = useNotifications(unreadOnly, true);
  const markRead = useMarkRead();
  const markAll = useMarkAllRead();
  const items = list.data?.items ?? [];

  return (
    <section className="notification-centre stack" aria-label={t('notifications.title')}>
      <div className="notification-centre__bar">
        <label className="checkbox">
          <input
            type="checkbox"
            checked={unreadOnly}
            onChange={(event) => setUnreadOnly(event.target.checked)}
          />
          {t('notifications.unreadOnly')}
        </label>
        <button
          type="button"
          className="button button--secondary"
          disabled={markAll.isPending}
          onClick={() => markAll.mutate()}
        >
          {t('notifications.markAllRead')}
        </button>
      </div>
      {list.isPending ? <p className="muted">{t('notifications.loading')}</p> : null}
      {list.isError ? (
        <p className="field__error" role="alert">
          {t('notifications.failed')}
        </p>
      ) : null}
      {list.isSuccess && items.length === 0 ? (
        <p className="muted">{t('notifications.empty')}</p>
      ) : null}
      {items.length > 0 ? (
        <ul className="notification-centre__list" aria-label={t('notifications.list')}>
          {items.map((item) => (
            <li
              key={item.id}
              className={item.read ? 'notification' : 'notification notification--unread'}
            >
              {item.link ? (
                <Link
                  to={item.link}
                  onClick={() => {
                    if (!item.read) markRead.mutate(item.id);
                    onNavigate?.();
                  }}
                >
                  <NotificationLine item={item} />
                </Link>
              ) : (
                <NotificationLine item={item} />
              )}
              {item.read ? null : (
                <button
                  type="button"
                  className="button button--link"
                  onClick={() => markRead.mutate(item.id)}
                >
                  {t('notifications.markRead')}
                </button>
              )}
            </li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}
