import { useState } from 'react';
import { Link } from 'react-router';
import { Alert } from '../../../components/alert';
import { PageHeading } from '../../../components/page-heading';
import { Spinner } from '../../../components/spinner';
import { useFormat } from '../../../lib/format';
import { useT } from '../../../lib/i18n';
import { describeError } from '../../../lib/problem';
import { type TaskCard, useMyTasks } from '../api/list-my-tasks';
import { PRIORITY_KEYS } from './task-dialog-fields';
import './task-dialog.css';

type DueGroup = 'overdue' | 'today' | 'week' | 'later' | 'none';

const GROUP_KEYS: Record<DueGroup, string> = {
  overdue: 'tasks.mine.group.overdue',
  today: 'tasks.mine.group.today',
  week: 'tasks.mine.group.week',
  later: 'tasks.mine.group.later',
  none: 'tasks.mine.group.none',
};

/** Today as `YYYY-MM-DD` in the user's own time zone (due dates are calendar dates). */
function localDay(offsetDays = 0): string {
  const day = new Date();
  day.setDate(day.getDate() + offsetDays);
  const month = String(day.getMonth() + 1).padStart(2, '0');
  return `${day.getFullYear()}-${month}-${String(day.getDate()).padStart(2, '0')}`;
}

function groupOf(card: TaskCard, today: string, weekEnd: string): DueGroup {
  if (!card.dueDate) return 'none';
  if (card.dueDate < today) return 'overdue';
  if (card.dueDate === today) return 'today';
  if (card.dueDate <= weekEnd) return 'week';
  return 'later';
}

/** `HP-42` → `/boards/HP/tasks/42`. */
export function taskPath(card: Pick<TaskCard, 'key' | 'number'>) {
  const boardKey = card.key.slice(0, card.key.lastIndexOf('-'));
  return `/boards/${boardKey}/tasks/${card.number}`;
}

/** `/my-tasks`: my open tasks across boards, grouped by due date, overdue first and marked. */
export function MyTasksPage() {
  const t = useT();
  const format = useFormat();
  const [cursors, setCursors] = useState<string[]>([]);
  const tasks = useMyTasks(cursors.at(-1));
  const today = localDay();
  const weekEnd = localDay(6);

  const groups = new Map<DueGroup, TaskCard[]>();
  for (const card of tasks.data?.items ?? []) {
    const group = groupOf(card, today, weekEnd);
    groups.set(group, [...(groups.get(group) ?? []), card]);
  }

  return (
    <section className="my-tasks">
      <PageHeading>{t('tasks.mine.title')}</PageHeading>
      {tasks.error ? (
        <Alert tone="error" title={t('tasks.mine.loadFailed')}>
          <p>{describeError(tasks.error)}</p>
        </Alert>
      ) : null}
      {tasks.isPending ? <Spinner label={t('tasks.mine.loading')} /> : null}
      {tasks.data && tasks.data.items.length === 0 ? <p>{t('tasks.mine.empty')}</p> : null}
      {(Object.keys(GROUP_KEYS) as DueGroup[]).map((group) => {
        const cards = groups.get(group);
        if (!cards) return null;
        return (
          <section key={group} className={`my-tasks__group my-tasks__group--${group}`}>
            <h2>
              {t(GROUP_KEYS[group])} <span className="task-dialog__count">{cards.length}</span>
            </h2>
            <ul className="my-tasks__list">
              {cards.map((card) => (
                <li key={card.id} className="my-tasks__item">
                  <Link
                    to={taskPath(card)}
                    state={{ returnTo: '/my-tasks' }}
                    className="my-tasks__link"
                  >
                    <span className="my-tasks__key">{card.key}</span>
                    <span className="my-tasks__title">{card.title}</span>
                  </Link>
                  <span className="my-tasks__meta">
                    {card.dueDate ? (
                      <span
                        className={
                          group === 'overdue'
                            ? 'my-tasks__due my-tasks__due--overdue'
                            : 'my-tasks__due'
                        }
                      >
                        {group === 'overdue'
                          ? t('tasks.mine.overdue', {
                              date: format.dateTime(`${card.dueDate}T00:00:00`, 'day'),
                            })
                          : t('tasks.mine.due', {
                              date: format.dateTime(`${card.dueDate}T00:00:00`, 'day'),
                            })}
                      </span>
                    ) : null}
                    {card.priority !== 'none' ? (
                      <span className={`task-priority task-priority--${card.priority}`}>
                        {t(PRIORITY_KEYS[card.priority])}
                      </span>
                    ) : null}
                  </span>
                </li>
              ))}
            </ul>
          </section>
        );
      })}
      {tasks.data?.nextCursor || cursors.length > 0 ? (
        <div className="task-dialog__actions">
          <button
            type="button"
            className="button button--small"
            aria-disabled={cursors.length === 0}
            onClick={() => cursors.length > 0 && setCursors(cursors.slice(0, -1))}
          >
            {t('tasks.mine.previous')}
          </button>
          <button
            type="button"
            className="button button--small"
            aria-disabled={!tasks.data?.nextCursor}
            onClick={() => {
              const next = tasks.data?.nextCursor;
              if (next) setCursors([...cursors, next]);
            }}
          >
            {t('tasks.mine.next')}
          </button>
        </div>
      ) : null}
    </section>
  );
}
