import { describe, expect, it } from 'vitest';
import type { BoardView, TaskCard } from '../api/get-board';
import {
  canMoveTask,
  moveColumnInView,
  moveTaskInView,
  positionAt,
  taskDropTarget,
} from './board-cache';
import { dueState, todayIn } from './due';

describe('positionAt', () => {
  it('places after the sibling above, else before the one below, else at the end', () => {
    expect(positionAt(['a', 'b', 'c'], 0)).toEqual({ beforeId: 'a' });
    expect(positionAt(['a', 'b', 'c'], 1)).toEqual({ afterId: 'a' });
    expect(positionAt(['a', 'b', 'c'], 3)).toEqual({ afterId: 'c' });
    expect(positionAt(['a', 'b', 'c'], 99)).toEqual({ afterId: 'c' });
    expect(positionAt([], 0)).toEqual({});
  });
});

function card(id: string, columnId: string): TaskCard {
  return {
    id,
    boardId: 'b',
    key: `HP-${id}`,
    number: 1,
    columnId,
    rank: 'a0',
    title: id,
    picId: null,
    assigneeIds: [],
    labelIds: [],
    priority: 'none',
    startDate: null,
    dueDate: null,
    archived: false,
    version: 1,
    checklistTotal: 0,
    checklistDone: 0,
    commentCount: 0,
    attachmentCount: 0,
  };
}

function view(): BoardView {
  const column = (id: string, ids: string[], wipLimit: number | null) => ({
    id,
    boardId: 'b',
    name: id,
    rank: id,
    wipLimit,
    isDone: false,
    supervisorsOnlyMoveIn: false,
    openCount: ids.length,
    overWipLimit: wipLimit !== null && ids.length > wipLimit,
    tasks: { items: ids.map((t) => card(t, id)), nextCursor: null },
  });
  return {
    board: {
      id: 'b',
      key: 'HP',
      name: 'HP',
      description: '',
      archived: false,
      viewersCanComment: false,
      createdBy: null,
      createdAt: '2026-01-01T00:00:00Z',
      myRole: 'supervisor',
    },
    columns: [column('todo', ['1', '2'], null), column('doing', ['3'], 1)],
    labels: [],
    members: [],
  };
}

describe('moveTaskInView', () => {
  it('moves a card between columns, recounting and flagging the WIP limit', () => {
    const next = moveTaskInView(view(), '1', 'doing', 0);
    expect(next.columns[0]?.tasks.items.map((t) => t.id)).toEqual(['2']);
    expect(next.columns[1]?.tasks.items.map((t) => [t.id, t.columnId])).toEqual([
      ['1', 'doing'],
      ['3', 'doing'],
    ]);
    expect(next.columns[0]).toMatchObject({ openCount: 1, overWipLimit: false });
    expect(next.columns[1]).toMatchObject({ openCount: 2, overWipLimit: true });
  });

  it('reorders within a column without changing counts, and ignores unknown tasks', () => {
    const next = moveTaskInView(view(), '1', 'todo', 1);
    expect(next.columns[0]?.tasks.items.map((t) => t.id)).toEqual(['2', '1']);
    expect(next.columns[0]?.openCount).toBe(2);
    const same = view();
    expect(moveTaskInView(same, 'missing', 'todo', 0)).toBe(same);
  });
});

describe('taskDropTarget', () => {
  it('takes the place of the card dropped on, or the end of the column dropped on', () => {
    // Down within the column: onto '2' puts '1' after it.
    expect(taskDropTarget(view(), '1', 'todo', '2')).toEqual({ columnId: 'todo', index: 1 });
    // Up within the column: onto '1' puts '2' before it.
    expect(taskDropTarget(view(), '2', 'todo', '1')).toEqual({ columnId: 'todo', index: 0 });
    // Onto a card of another column: right before it; onto the column itself: at its end.
    expect(taskDropTarget(view(), '1', 'doing', '3')).toEqual({ columnId: 'doing', index: 0 });
    expect(taskDropTarget(view(), '1', 'doing', undefined)).toEqual({
      columnId: 'doing',
      index: 1,
    });
  });

  it('is nothing when the card would stay where it is, or the target is unknown', () => {
    expect(taskDropTarget(view(), '1', 'todo', '1')).toBeNull();
    expect(taskDropTarget(view(), '2', 'todo', undefined)).toBeNull();
    expect(taskDropTarget(view(), '1', 'nowhere', undefined)).toBeNull();
  });
});

describe('moveColumnInView', () => {
  it('puts the column at the index', () => {
    expect(moveColumnInView(view(), 'doing', 0).columns.map((c) => c.id)).toEqual([
      'doing',
      'todo',
    ]);
  });
});

describe('canMoveTask', () => {
  it('follows the board roles: supervisors any, members their own, viewers none', () => {
    expect(canMoveTask('supervisor', 'u', { picId: null, assigneeIds: [] })).toBe(true);
    expect(canMoveTask('member', 'u', { picId: 'u', assigneeIds: [] })).toBe(true);
    expect(canMoveTask('member', 'u', { picId: 'x', assigneeIds: ['u'] })).toBe(true);
    expect(canMoveTask('member', 'u', { picId: 'x', assigneeIds: [] })).toBe(false);
    expect(canMoveTask('viewer', 'u', { picId: 'u', assigneeIds: [] })).toBe(false);
  });
});

describe('dueState', () => {
  it('is overdue before today, soon today and the next two days, later after', () => {
    expect(dueState('2026-12-01', '2026-12-02')).toBe('overdue');
    expect(dueState('2026-12-02', '2026-12-02')).toBe('soon');
    expect(dueState('2026-12-04', '2026-12-02')).toBe('soon');
    expect(dueState('2026-12-05', '2026-12-02')).toBe('later');
  });

  it("takes today in the user's time zone", () => {
    const instant = new Date('2026-12-02T20:00:00Z');
    expect(todayIn('Asia/Seoul', instant)).toBe('2026-12-03');
    expect(todayIn('America/New_York', instant)).toBe('2026-12-02');
  });
});
