import { SortableContext, useSortable, verticalListSortingStrategy } from '@dnd-kit/sortable';
import { CSS } from '@dnd-kit/utilities';
import type { KeyboardEvent } from 'react';
import { useT } from '../../../lib/i18n';
import type { BoardView, TaskCard as Card, BoardColumn as Column } from '../api/get-board';
import { AddTaskForm } from './add-task-form';
import { TaskCard } from './task-card';

export const COLUMN_PREFIX = 'column:';

export interface BoardColumnProps {
  column: Column;
  view: BoardView;
  today: string;
  instructionsId: string;
  canMoveColumns: boolean;
  canCreate: boolean;
  canMove: (card: Card) => boolean;
  pickedId: string | undefined;
  onHandleKeyDown: (event: KeyboardEvent, target: { kind: 'task' | 'column'; id: string }) => void;
  onShowMore: (column: Column) => void;
  showingMore: boolean;
}

function SortableCard({
  card,
  view,
  today,
  movable,
  picked,
  instructionsId,
  onHandleKeyDown,
}: {
  card: Card;
  view: BoardView;
  today: string;
  movable: boolean;
  picked: boolean;
  instructionsId: string;
  onHandleKeyDown: BoardColumnProps['onHandleKeyDown'];
}) {
  const t = useT();
  const { setNodeRef, listeners, transform, transition, isDragging } = useSortable({
    id: card.id,
    data: { type: 'task', columnId: card.columnId },
    disabled: !movable,
  });
  return (
    <li
      ref={setNodeRef}
      className={`board-column__card${isDragging || picked ? ' board-column__card--moving' : ''}`}
      style={{ transform: CSS.Translate.toString(transform), transition }}
      {...(movable ? listeners : {})}
    >
      <TaskCard
        card={card}
        board={view}
        today={today}
        handle={
          <button
            type="button"
            className="move-handle"
            data-move-handle={card.id}
            aria-label={t('tasks.move.taskHandle', { key: card.key })}
            aria-describedby={instructionsId}
            aria-pressed={picked}
            aria-disabled={!movable}
            title={
              movable ? t('tasks.move.taskHandle', { key: card.key }) : t('tasks.move.notYours')
            }
            onKeyDown={(event) => {
              if (movable) onHandleKeyDown(event, { kind: 'task', id: card.id });
            }}
          >
            <span aria-hidden="true">⠿</span>
          </button>
        }
      />
    </li>
  );
}

/** One column: its name, open count against the WIP limit, its cards, "show more", quick add. */
export function BoardColumn({
  column,
  view,
  today,
  instructionsId,
  canMoveColumns,
  canCreate,
  canMove,
  pickedId,
  onHandleKeyDown,
  onShowMore,
  showingMore,
}: BoardColumnProps) {
  const t = useT();
  const { setNodeRef, setActivatorNodeRef, listeners, transform, transition, isDragging } =
    useSortable({
      id: `${COLUMN_PREFIX}${column.id}`,
      data: { type: 'column', columnId: column.id },
      disabled: !canMoveColumns,
    });
  const headingId = `column-${column.id}`;
  const picked = pickedId === column.id;
  const cards = column.tasks.items;

  return (
    <li
      ref={setNodeRef}
      className={`board-column${column.overWipLimit ? ' board-column--over' : ''}${isDragging || picked ? ' board-column--moving' : ''}`}
      style={{ transform: CSS.Translate.toString(transform), transition }}
      aria-labelledby={headingId}
      data-column-id={column.id}
    >
      <header className="board-column__header">
        <h2 id={headingId} className="board-column__name">
          {column.name}
        </h2>
        <span
          className="board-column__count"
          title={
            column.wipLimit === null
              ? t('tasks.column.count', { count: column.openCount })
              : t('tasks.column.countWithLimit', {
                  count: column.openCount,
                  limit: column.wipLimit,
                })
          }
        >
          <span aria-hidden="true">
            {column.wipLimit === null
              ? column.openCount
              : `${column.openCount} / ${column.wipLimit}`}
          </span>
          <span className="visually-hidden">
            {column.wipLimit === null
              ? t('tasks.column.count', { count: column.openCount })
              : t('tasks.column.countWithLimit', {
                  count: column.openCount,
                  limit: column.wipLimit,
                })}
          </span>
        </span>
        {column.overWipLimit ? (
          <span className="board-column__over">{t('tasks.column.overLimit')}</span>
        ) : null}
        {canMoveColumns ? (
          <button
            type="button"
            ref={setActivatorNodeRef}
            className="move-handle"
            data-move-handle={column.id}
            aria-label={t('tasks.move.columnHandle', { name: column.name })}
            aria-describedby={instructionsId}
            aria-pressed={picked}
            {...listeners}
            onKeyDown={(event) => onHandleKeyDown(event, { kind: 'column', id: column.id })}
          >
            <span aria-hidden="true">⠿</span>
          </button>
        ) : null}
      </header>
      <SortableContext items={cards.map((card) => card.id)} strategy={verticalListSortingStrategy}>
        <ol className="board-column__cards" aria-labelledby={headingId}>
          {cards.map((card) => (
            <SortableCard
              key={card.id}
              card={card}
              view={view}
              today={today}
              movable={canMove(card)}
              picked={pickedId === card.id}
              instructionsId={instructionsId}
              onHandleKeyDown={onHandleKeyDown}
            />
          ))}
        </ol>
      </SortableContext>
      {cards.length === 0 ? <p className="board-column__empty">{t('tasks.column.empty')}</p> : null}
      {column.tasks.nextCursor ? (
        <button
          type="button"
          className="button button--small board-column__more"
          disabled={showingMore}
          onClick={() => onShowMore(column)}
        >
          {t('tasks.column.showMore', { count: column.openCount - cards.length })}
        </button>
      ) : null}
      {canCreate ? <AddTaskForm boardId={view.board.id} column={column} /> : null}
    </li>
  );
}
