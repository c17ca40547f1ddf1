import type { KeyboardEvent, ReactNode } from 'react';
import { Link } from 'react-router';
import { useLocale, useT } from '../../../lib/i18n';
import type { BoardView, TaskCard as Card } from '../api/get-board';
import { dueState } from '../lib/due';
import { initialsOf, memberName } from './member-name';

export interface TaskCardProps {
  card: Card;
  board: BoardView;
  today: string;
  /** The move handle (drag and keyboard moves); absent in search results. */
  handle?: ReactNode;
}

const DUE_KEYS = {
  overdue: 'tasks.card.due.overdue',
  soon: 'tasks.card.due.soon',
  later: 'tasks.card.due.later',
} as const;

function formatDue(dueDate: string, locale: string): string {
  // A calendar date, not an instant: format it as such (UTC), so no time zone shifts the day.
  return new Intl.DateTimeFormat(locale, {
    month: 'short',
    day: 'numeric',
    timeZone: 'UTC',
  }).format(new Date(`${dueDate}T00:00:00Z`));
}

/** A task on the board: number, title, PIC, labels, due date, checklist and counts. */
export function TaskCard({ card, board, today, handle }: TaskCardProps) {
  const t = useT();
  const pic = card.picId ? board.members.find((member) => member.userId === card.picId) : undefined;
  const labels = card.labelIds
    .map((id) => board.labels.find((label) => label.id === id))
    .filter((label) => label !== undefined);
  const due = card.dueDate ? dueState(card.dueDate, today) : undefined;
  const locale = useLocale();

  return (
    <article className="task-card" aria-label={`${card.key} ${card.title}`}>
      <div className="task-card__top">
        <span className="task-card__key">{card.key}</span>
        {handle}
      </div>
      <Link
        className="task-card__title"
        to={`/boards/${board.board.key}/tasks/${card.number}`}
        onKeyDown={(event: KeyboardEvent) => event.stopPropagation()}
      >
        {card.title}
      </Link>
      {labels.length > 0 ? (
        <ul className="task-card__labels" aria-label={t('tasks.card.labels')}>
          {labels.map((label) => (
            <li key={label.id} className="task-card__label">
              <span
                className="task-card__label-dot"
                style={{ backgroundColor: label.color }}
                aria-hidden="true"
              />
              {label.name}
            </li>
          ))}
        </ul>
      ) : null}
      <div className="task-card__meta">
        {card.dueDate && due ? (
          <span
            className={`task-card__due task-card__due--${due}`}
            title={t(DUE_KEYS[due], { date: formatDue(card.dueDate, locale) })}
          >
            <span aria-hidden="true">{formatDue(card.dueDate, locale)}</span>
            <span className="visually-hidden">
              {t(DUE_KEYS[due], { date: formatDue(card.dueDate, locale) })}
            </span>
          </span>
        ) : null}
        {card.checklistTotal > 0 ? (
          <span
            className={`task-card__count${card.checklistDone === card.checklistTotal ? ' task-card__count--done' : ''}`}
            title={t('tasks.card.checklist', {
              done: card.checklistDone,
              total: card.checklistTotal,
            })}
          >
            <span aria-hidden="true">☑ </span>
            {card.checklistDone}/{card.checklistTotal}
            <span className="visually-hidden"> {t('tasks.card.checklistShort')}</span>
          </span>
        ) : null}
        {card.commentCount > 0 ? (
          <span className="task-card__count">
            <span aria-hidden="true">💬 {card.commentCount}</span>
            <span className="visually-hidden">
              {t('tasks.card.comments', { count: card.commentCount })}
            </span>
          </span>
        ) : null}
        {card.attachmentCount > 0 ? (
          <span className="task-card__count">
            <span aria-hidden="true">📎 {card.attachmentCount}</span>
            <span className="visually-hidden">
              {t('tasks.card.attachments', { count: card.attachmentCount })}
            </span>
          </span>
        ) : null}
        {pic ? (
          <span
            className="task-card__avatar"
            title={t('tasks.card.pic', { name: memberName(pic) })}
          >
            <span aria-hidden="true">{initialsOf(pic)}</span>
            <span className="visually-hidden">
              {t('tasks.card.pic', { name: memberName(pic) })}
            </span>
          </span>
        ) : null}
      </div>
    </article>
  );
}
