import type { Database } from '../../db/client.js';
import { Prisma } from '../../generated/prisma/client.js';
import { NotFoundError } from '../../lib/errors.js';
import { decodeCursor } from '../../lib/pagination.js';
import { type Actor, boardAccess } from './access.js';
import { CARD_FIELDS, type CardRow, pageOfCards } from './cards.js';
import { currentMembers } from './members-service.js';
import { toColumnView, toLabelView } from './views.js';

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
    SELECT t.*
      FROM board_columns c
     CROSS JOIN LATERAL (
       SELECT ${CARD_FIELDS}
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

const byRank = (row: CardRow) => row.rank;

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
          tasks: pageOfCards(byColumn.get(column.id) ?? [], perColumn, byRank),
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
      await boardAccess(db, actor, boardId);
      const column = await db.boardColumn.findFirst({
        where: { id: columnId, boardId },
        select: { id: true },
      });
      if (!column) throw new NotFoundError('Column');
      const afterRank = cursor ? decodeCursor(cursor) : null;
      const rows = await db.$queryRaw<CardRow[]>(
        cardsQuery(boardId, limit, { columnId, afterRank }),
      );
      return pageOfCards(rows, limit, byRank);
    },
  };
}

export type BoardViewService = ReturnType<typeof createBoardViewService>;
