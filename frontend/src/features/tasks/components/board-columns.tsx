import {
  type Announcements,
  closestCorners,
  DndContext,
  type DragEndEvent,
  MouseSensor,
  TouchSensor,
  useSensor,
  useSensors,
} from '@dnd-kit/core';
import { horizontalListSortingStrategy, SortableContext } from '@dnd-kit/sortable';
import { type KeyboardEvent, useId, useLayoutEffect, useState } from 'react';
import { Alert } from '../../../components/alert';
import { useT } from '../../../lib/i18n';
import { describeError } from '../../../lib/problem';
import { useSession } from '../../../lib/session-store';
import type { BoardView, BoardColumn as Column } from '../api/get-board';
import { useShowMoreColumnTasks } from '../api/list-column-tasks';
import { useMoveColumn } from '../api/move-column';
import { useMoveTask } from '../api/move-task';
import { canMoveTask, moveColumnInView, moveTaskInView, taskDropTarget } from '../lib/board-cache';
import { todayIn } from '../lib/due';
import { BoardColumn, COLUMN_PREFIX } from './board-column';

/** A card or column picked up with the keyboard, and where it would land now. */
type Picked =
  | {
      kind: 'task';
      id: string;
      columnId: string;
      index: number;
      from: { columnId: string; index: number };
    }
  | { kind: 'column'; id: string; index: number; from: { index: number } };

function locateTask(view: BoardView, taskId: string) {
  for (const [columnIndex, column] of view.columns.entries()) {
    const index = column.tasks.items.findIndex((card) => card.id === taskId);
    if (index >= 0) return { column, columnIndex, index, card: column.tasks.items[index] };
  }
  return undefined;
}

/**
 * The columns with drag and drop. Mouse and touch drags go through dnd-kit; the keyboard moves
 * by list position instead of geometry: Space or Enter on a card's handle picks it up, the arrows
 * move it (up/down in the column, left/right to the next column), Space or Enter drops, Escape
 * puts it back. Every step is announced. A drop sends the intent and updates the cache at once;
 * a refusal rolls back and says why.
 */
export function BoardColumns({ view }: { view: BoardView }) {
  const t = useT();
  const session = useSession();
  const userId = session.status === 'signedIn' ? session.user.id : undefined;
  const role = view.board.myRole;
  const boardId = view.board.id;
  const moveTask = useMoveTask(boardId);
  const moveColumn = useMoveColumn(boardId);
  const showMore = useShowMoreColumnTasks();
  const instructionsId = useId();
  const [picked, setPicked] = useState<Picked | null>(null);
  const [announcement, setAnnouncement] = useState('');
  const [refusal, setRefusal] = useState<string | null>(null);
  const today = todayIn();
  const sensors = useSensors(
    useSensor(MouseSensor, { activationConstraint: { distance: 6 } }),
    // A short press before dragging, so a swipe still scrolls the columns on a phone.
    useSensor(TouchSensor, { activationConstraint: { delay: 250, tolerance: 8 } }),
  );

  const shown =
    picked?.kind === 'task'
      ? moveTaskInView(view, picked.id, picked.columnId, picked.index)
      : picked?.kind === 'column'
        ? moveColumnInView(view, picked.id, picked.index)
        : view;

  // A picked-up card that changes column is rendered anew there: keep the focus on its handle.
  useLayoutEffect(() => {
    if (!picked) return;
    const handle = document.querySelector<HTMLElement>(`[data-move-handle="${picked.id}"]`);
    if (handle && document.activeElement !== handle) handle.focus();
  }, [picked]);

  const canMove = (card: Parameters<typeof canMoveTask>[2]) => canMoveTask(role, userId, card);

  function sendTaskMove(taskId: string, columnId: string, index: number) {
    const key = locateTask(view, taskId)?.card?.key ?? '';
    setRefusal(null);
    moveTask.mutate(
      { taskId, columnId, index },
      {
        onError: (error) => {
          setRefusal(t('tasks.move.refused', { key, reason: describeError(error) }));
          setAnnouncement(t('tasks.move.rolledBack', { key }));
        },
      },
    );
  }

  function sendColumnMove(columnId: string, index: number) {
    const name = view.columns.find((column) => column.id === columnId)?.name ?? '';
    setRefusal(null);
    moveColumn.mutate(
      { columnId, index },
      {
        onError: (error) =>
          setRefusal(t('tasks.move.columnRefused', { name, reason: describeError(error) })),
      },
    );
  }

  function describeTaskPlace(next: BoardView, taskId: string) {
    const place = locateTask(next, taskId);
    if (!place) return '';
    return t('tasks.move.place', {
      column: place.column.name,
      position: place.index + 1,
      total: place.column.tasks.items.length,
    });
  }

  function onHandleKeyDown(event: KeyboardEvent, target: { kind: 'task' | 'column'; id: string }) {
    const key = event.key;
    const pick = key === ' ' || key === 'Enter';
    if (!picked) {
      if (!pick) return;
      event.preventDefault();
      if (target.kind === 'task') {
        const place = locateTask(view, target.id);
        if (!place) return;
        setPicked({
          kind: 'task',
          id: target.id,
          columnId: place.column.id,
          index: place.index,
          from: { columnId: place.column.id, index: place.index },
        });
        setAnnouncement(
          `${t('tasks.move.pickedUp', { name: place.card?.key ?? '' })} ${describeTaskPlace(view, target.id)}`,
        );
      } else {
        const index = view.columns.findIndex((column) => column.id === target.id);
        setPicked({ kind: 'column', id: target.id, index, from: { index } });
        setAnnouncement(
          `${t('tasks.move.pickedUp', { name: view.columns[index]?.name ?? '' })} ${t('tasks.move.columnPlace', { position: index + 1, total: view.columns.length })}`,
        );
      }
      return;
    }
    if (picked.id !== target.id) return;
    if (key === 'Escape') {
      event.preventDefault();
      setPicked(null);
      setAnnouncement(t('tasks.move.cancelled'));
      return;
    }
    if (pick) {
      event.preventDefault();
      setPicked(null);
      if (picked.kind === 'task') {
        const changed =
          picked.columnId !== picked.from.columnId || picked.index !== picked.from.index;
        setAnnouncement(`${t('tasks.move.dropped')} ${describeTaskPlace(shown, picked.id)}`);
        if (changed) sendTaskMove(picked.id, picked.columnId, picked.index);
      } else {
        setAnnouncement(
          `${t('tasks.move.dropped')} ${t('tasks.move.columnPlace', { position: picked.index + 1, total: view.columns.length })}`,
        );
        if (picked.index !== picked.from.index) sendColumnMove(picked.id, picked.index);
      }
      return;
    }
    const arrows: Record<string, [number, number]> = {
      ArrowUp: [0, -1],
      ArrowDown: [0, 1],
      ArrowLeft: [-1, 0],
      ArrowRight: [1, 0],
    };
    const step = arrows[key];
    if (!step) return;
    event.preventDefault();
    const [columnStep, rowStep] = step;
    if (picked.kind === 'column') {
      const index = Math.max(0, Math.min(view.columns.length - 1, picked.index + columnStep));
      setPicked({ ...picked, index });
      setAnnouncement(
        t('tasks.move.columnPlace', { position: index + 1, total: view.columns.length }),
      );
      return;
    }
    const columnIndex = Math.max(
      0,
      Math.min(
        view.columns.length - 1,
        view.columns.findIndex((column) => column.id === picked.columnId) + columnStep,
      ),
    );
    const column = view.columns[columnIndex];
    if (!column) return;
    const others = column.tasks.items.filter((card) => card.id !== picked.id).length;
    const index = Math.max(0, Math.min(others, picked.index + rowStep));
    const next = { ...picked, columnId: column.id, index };
    setPicked(next);
    setAnnouncement(
      describeTaskPlace(moveTaskInView(view, picked.id, column.id, index), picked.id),
    );
  }

  function onDragEnd({ active, over }: DragEndEvent) {
    if (!over) return;
    const activeType = active.data.current?.type;
    const overColumnId = over.data.current?.columnId as string | undefined;
    if (!overColumnId) return;
    if (activeType === 'column') {
      const columnId = String(active.id).slice(COLUMN_PREFIX.length);
      const index = view.columns.findIndex((column) => column.id === overColumnId);
      const from = view.columns.findIndex((column) => column.id === columnId);
      if (index >= 0 && index !== from) sendColumnMove(columnId, index);
      return;
    }
    const taskId = String(active.id);
    const overTaskId = over.data.current?.type === 'task' ? String(over.id) : undefined;
    const drop = taskDropTarget(view, taskId, overColumnId, overTaskId);
    if (drop) sendTaskMove(taskId, drop.columnId, drop.index);
  }

  const announcements: Announcements = {
    onDragStart: () => t('tasks.move.dragStarted'),
    onDragOver: ({ over }) => (over ? t('tasks.move.dragOver') : t('tasks.move.dragOutside')),
    onDragEnd: ({ over }) => (over ? t('tasks.move.dropped') : t('tasks.move.cancelled')),
    onDragCancel: () => t('tasks.move.cancelled'),
  };

  return (
    <>
      <p id={instructionsId} className="visually-hidden">
        {t('tasks.move.instructions')}
      </p>
      <div className="visually-hidden" aria-live="assertive" aria-atomic="true">
        {announcement}
      </div>
      {refusal ? (
        <div className="board__refusal">
          <Alert tone="error">
            <p>{refusal}</p>
          </Alert>
        </div>
      ) : null}
      <DndContext
        sensors={sensors}
        collisionDetection={closestCorners}
        onDragEnd={onDragEnd}
        accessibility={{
          announcements,
          screenReaderInstructions: { draggable: t('tasks.move.instructions') },
        }}
      >
        <SortableContext
          items={shown.columns.map((column) => `${COLUMN_PREFIX}${column.id}`)}
          strategy={horizontalListSortingStrategy}
        >
          <ol className="board__columns" aria-label={t('tasks.board.columns')}>
            {shown.columns.map((column: Column) => (
              <BoardColumn
                key={column.id}
                column={column}
                view={shown}
                today={today}
                instructionsId={instructionsId}
                canMoveColumns={role === 'supervisor'}
                canCreate={role !== 'viewer'}
                canMove={canMove}
                pickedId={picked?.id}
                onHandleKeyDown={onHandleKeyDown}
                onShowMore={(target) =>
                  target.tasks.nextCursor
                    ? showMore.mutate({
                        boardId,
                        columnId: target.id,
                        cursor: target.tasks.nextCursor,
                      })
                    : undefined
                }
                showingMore={showMore.isPending}
              />
            ))}
          </ol>
        </SortableContext>
      </DndContext>
    </>
  );
}
