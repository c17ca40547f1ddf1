import type { Database } from '../../db/client.js';
import { Prisma } from '../../generated/prisma/client.js';
import { NotFoundError } from '../../lib/errors.js';
import { decodeCursor, encodeCursor } from '../../lib/pagination.js';
import { type Actor, boardAccess } from './access.js';
import { currentMembers } from './members-service.js';
import { toColumnView, toLabelView } from './views.js';

interface CardRow {
  columnId: string;
  id: string;
  number: number;
  rank: string;
  title: string;
  picId: string | null;
  priority: 'none' | 'low' | 'medium' | 'high' | 'urgent';
  startDate: string | null;
  dueDate: string | null;
  archived: boolean;
  version: number;
  assigneeIds: string[];
  labelIds: string[];
  checklistTotal: number;
  checklistDone: number;
  commentCount: number;
  attachmentCount: number;
}

/**
 * One statement for the cards of every column (or one column): a LATERAL subquery takes each
 * column's first `limit + 1` open tasks in rank order, with their assignees, labels and counts, so
 * the number of queries does not grow with the board.
 */
function cardsQuery(
  boardId: string,
  limit: number,
  only?: { columnId: string; afterRank: string | null },
) {
  return Prisma.sql`
    SELECT c.id::text AS "columnId", t.*
      FROM board_columns c
     CROSS JOIN LATERAL (
       SELECT t.id::text AS id, t.number, t.rank, t.title, t.pic_id::text AS "picId",
              t.priority::text AS priority,
              to_char(t.start_date, 'YYYY-MM-DD') AS "startDate",
              to_char(t.due_date, 'YYYY-MM-DD') AS "dueDate",
              t.archived, t.version,
              ARRAY(SELECT a.user_id::text FROM task_assignees a WHERE a.task_id = t.id ORDER BY a.user_id) AS "assigneeIds",
              ARRAY(SELECT l.label_id::text FROM task_labels l WHERE l.task_id = t.id ORDER BY l.label_id) AS "labelIds",
              (SELECT count(*)::int FROM checklist_items i WHERE i.task_id = t.id) AS "checklistTotal",
              (SELECT count(*)::int FROM checklist_items i WHERE i.task_id = t.id AND i.done) AS "checklistDone",
              (SELECT count(*)::int FROM task_comments m WHERE m.task_id = t.id AND m.deleted_at IS NULL) AS "commentCount",
              (SELECT count(*)::int FROM task_attachments f WHERE f.task_id = t.id) AS "attachmentCount"
         FROM tasks t
        WHERE t.column_id = c.id AND NOT t.archived
          ${only?.afterRank ? Prisma.sql`AND t.rank > ${only.afterRank}` : Prisma.empty}
        ORDER BY t.rank
        LIMIT ${limit + 1}
     ) t
     WHERE c.board_id = ${boardId}::uuid
       ${only ? Prisma.sql`AND c.id = ${only.columnId}::uuid` : Prisma.empty}
     ORDER BY c.rank, t.rank`;
}

function toCard(boardKey: string, row: CardRow) {
  const { columnId, ...card } = row;
  return { ...card, columnId, key: `${boardKey}-${row.number}` };
}

function pageOfCards(boardKey: string, rows: CardRow[], limit: number) {
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return {
    items: page.map((row) => toCard(boardKey, row)),
    nextCursor: rows.length > limit && last ? encodeCursor(last.rank) : null,
  };
}

export function createBoardViewService({ db }: { db: Database }) {
  return {
    /**
     * The board as a client first draws it: columns with their open-task counts and first page of
     * cards, labels and members. Five queries whatever the board's size; archived tasks are left out.
     */
    async load(actor: Actor, boardId: string, perColumn: number) {
      const access = await boardAccess(db, actor, boardId);
      const [board, columns, cards, labels, members] = await Promise.all([
        db.board.findUniqueOrThrow({ where: { id: boardId } }),
        db.$queryRaw<
          {
            id: string;
            boardId: string;
            name: string;
            rank: string;
            wipLimit: number | null;
            isDone: boolean;
            supervisorsOnlyMoveIn: boolean;
            openCount: number;
          }[]
        >`SELECT c.id::text AS id, c.board_id::text AS "boardId", c.name, c.rank, c.wip_limit AS "wipLimit",
                 c.is_done AS "isDone", c.supervisors_only_move_in AS "supervisorsOnlyMoveIn",
                 (SELECT count(*)::int FROM tasks t WHERE t.column_id = c.id AND NOT t.archived) AS "openCount"
            FROM board_columns c WHERE c.board_id = ${boardId}::uuid ORDER BY c.rank`,
        db.$queryRaw<CardRow[]>(cardsQuery(boardId, perColumn)),
        db.label.findMany({ where: { boardId }, orderBy: { name: 'asc' } }),
        currentMembers(db, boardId),
      ]);
      const byColumn = new Map<string, CardRow[]>();
      for (const row of cards) {
        const list = byColumn.get(row.columnId) ?? [];
        list.push(row);
        byColumn.set(row.columnId, list);
      }
      return {
        board: {
          id: board.id,
          key: board.key,
          name: board.name,
          description: board.description,
          archived: board.archived,
          viewersCanComment: board.viewersCanComment,
          createdBy: board.createdBy,
          createdAt: board.createdAt.toISOString(),
          myRole: access.role,
        },
        columns: columns.map((column) => ({
          ...toColumnView(column),
          openCount: column.openCount,
          overWipLimit: column.wipLimit !== null && column.openCount > column.wipLimit,
          tasks: pageOfCards(board.key, byColumn.get(column.id) ?? [], perColumn),
        })),
        labels: labels.map(toLabelView),
        members,
      };
    },

    /** The next page of one column's open cards (cursor from the board or a previous page). */
    async columnPage(
      actor: Actor,
      boardId: string,
      columnId: string,
      { limit, cursor }: { limit: number; cursor?: string | undefined },
    ) {
      const access = await boardAccess(db, actor, boardId);
      const column = await db.boardColumn.findFirst({
        where: { id: columnId, boardId },
        select: { id: true },
      });
      if (!column) throw new NotFoundError('Column');
      const afterRank = cursor ? decodeCursor(cursor) : null;
      const rows = await db.$queryRaw<CardRow[]>(
        cardsQuery(boardId, limit, { columnId, afterRank }),
      );
      return pageOfCards(access.boardKey, rows, limit);
    },
  };
}

export type BoardViewService = ReturnType<typeof createBoardViewService>;
