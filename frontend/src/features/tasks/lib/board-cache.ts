import type { BoardColumn, BoardView, TaskCard } from '../api/get-board';

/** Where a moved thing goes, as the move routes take it: after a sibling, else before one, else last. */
export interface Position {
  afterId?: string;
  beforeId?: string;
}

/**
 * The intent for dropping an item at `index` of `siblings` (the list it lands in, without the item
 * itself): after the one above it, else before the one below it, else (an empty list) at the end.
 */
export function positionAt(siblings: readonly string[], index: number): Position {
  const clamped = Math.max(0, Math.min(index, siblings.length));
  const above = siblings[clamped - 1];
  if (above) return { afterId: above };
  const below = siblings[clamped];
  return below ? { beforeId: below } : {};
}

function withCount(column: BoardColumn, openCount: number): BoardColumn {
  return {
    ...column,
    openCount,
    overWipLimit: column.wipLimit !== null && openCount > column.wipLimit,
  };
}

/** The board with the task taken out of its column and put at `index` of `columnId`. */
export function moveTaskInView(
  view: BoardView,
  taskId: string,
  columnId: string,
  index: number,
): BoardView {
  const from = view.columns.find((column) => column.tasks.items.some((t) => t.id === taskId));
  const card = from?.tasks.items.find((t) => t.id === taskId);
  if (!from || !card) return view;
  const moved: TaskCard = { ...card, columnId };
  return {
    ...view,
    columns: view.columns.map((column) => {
      let items = column.tasks.items.filter((t) => t.id !== taskId);
      let count = column.openCount;
      if (column.id === from.id && column.id !== columnId) count -= 1;
      if (column.id === columnId) {
        const at = Math.max(0, Math.min(index, items.length));
        items = [...items.slice(0, at), moved, ...items.slice(at)];
        if (column.id !== from.id) count += 1;
      }
      if (items === column.tasks.items && count === column.openCount) return column;
      return withCount({ ...column, tasks: { ...column.tasks, items } }, count);
    }),
  };
}

/**
 * Where a pointer drop puts a card: on a card, at that card's place (after it when the card came
 * from above it in the same column, as a sortable list shows it); on a column, at its end.
 * `null` when nothing would change.
 */
export function taskDropTarget(
  view: BoardView,
  taskId: string,
  overColumnId: string,
  overTaskId: string | undefined,
): { columnId: string; index: number } | null {
  const source = view.columns.find((column) => column.tasks.items.some((t) => t.id === taskId));
  const target = view.columns.find((column) => column.id === overColumnId);
  if (!source || !target) return null;
  const from = source.tasks.items.findIndex((t) => t.id === taskId);
  let index = target.tasks.items.filter((t) => t.id !== taskId).length;
  const overIndex = overTaskId ? target.tasks.items.findIndex((t) => t.id === overTaskId) : -1;
  // The same index in every case: within the column, arrayMove(from, over) leaves the card at
  // `over`; from another column it goes right before the card it is over.
  if (overIndex >= 0) index = overIndex;
  if (target.id === source.id && index === from) return null;
  return { columnId: target.id, index };
}

/** The board with the column put at `index` of the columns. */
export function moveColumnInView(view: BoardView, columnId: string, index: number): BoardView {
  const column = view.columns.find((c) => c.id === columnId);
  if (!column) return view;
  const rest = view.columns.filter((c) => c.id !== columnId);
  const at = Math.max(0, Math.min(index, rest.length));
  return { ...view, columns: [...rest.slice(0, at), column, ...rest.slice(at)] };
}

/** Replaces a card with what the server answered (new rank, version), wherever it is. */
export function patchCardInView(
  view: BoardView,
  taskId: string,
  patch: Partial<TaskCard>,
): BoardView {
  return {
    ...view,
    columns: view.columns.map((column) =>
      column.tasks.items.some((t) => t.id === taskId)
        ? {
            ...column,
            tasks: {
              ...column.tasks,
              items: column.tasks.items.map((t) => (t.id === taskId ? { ...t, ...patch } : t)),
            },
          }
        : column,
    ),
  };
}

/** Appends the next page of a column's cards (skipping any already shown, e.g. moved in). */
export function appendColumnPage(
  view: BoardView,
  columnId: string,
  page: { items: TaskCard[]; nextCursor: string | null },
): BoardView {
  return {
    ...view,
    columns: view.columns.map((column) => {
      if (column.id !== columnId) return column;
      const shown = new Set(column.tasks.items.map((t) => t.id));
      return {
        ...column,
        tasks: {
          items: [...column.tasks.items, ...page.items.filter((t) => !shown.has(t.id))],
          nextCursor: page.nextCursor,
        },
      };
    }),
  };
}

/** Adds a new card at the end of its column when the column is fully shown; counts it always. */
export function addCardToView(view: BoardView, card: TaskCard): BoardView {
  return {
    ...view,
    columns: view.columns.map((column) => {
      if (column.id !== card.columnId) return column;
      const items =
        column.tasks.nextCursor === null ? [...column.tasks.items, card] : column.tasks.items;
      return withCount({ ...column, tasks: { ...column.tasks, items } }, column.openCount + 1);
    }),
  };
}

/**
 * Whether I may move this task (the server's rule, so the UI disables what it would refuse):
 * supervisors move any task, members the tasks they are PIC or assignee of, viewers none.
 * Supervisors-only columns are left to the server (a refused drop is rolled back with its message).
 */
export function canMoveTask(
  role: BoardView['board']['myRole'],
  userId: string | undefined,
  card: Pick<TaskCard, 'picId' | 'assigneeIds'>,
): boolean {
  if (role === 'supervisor') return true;
  if (role !== 'member' || !userId) return false;
  return card.picId === userId || card.assigneeIds.includes(userId);
}
