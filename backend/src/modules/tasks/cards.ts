import { Prisma } from '../../generated/prisma/client.js';
import { encodeCursor } from '../../lib/pagination.js';

/** A task as a card (no content), as the card queries return it. */
export interface CardRow {
  id: string;
  boardId: string;
  boardKey: string;
  columnId: string;
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

/** The card fields of task `t`, each relation folded into the row (no query per card). */
export const CARD_FIELDS = Prisma.sql`
  t.id::text AS id, t.board_id::text AS "boardId",
  (SELECT b.key FROM boards b WHERE b.id = t.board_id) AS "boardKey",
  t.column_id::text AS "columnId", t.number, t.rank, t.title, t.pic_id::text AS "picId",
  t.priority::text AS priority,
  to_char(t.start_date, 'YYYY-MM-DD') AS "startDate",
  to_char(t.due_date, 'YYYY-MM-DD') AS "dueDate",
  t.archived, t.version,
  ARRAY(SELECT a.user_id::text FROM task_assignees a WHERE a.task_id = t.id ORDER BY a.user_id) AS "assigneeIds",
  ARRAY(SELECT l.label_id::text FROM task_labels l WHERE l.task_id = t.id ORDER BY l.label_id) AS "labelIds",
  (SELECT count(*)::int FROM checklist_items i WHERE i.task_id = t.id) AS "checklistTotal",
  (SELECT count(*)::int FROM checklist_items i WHERE i.task_id = t.id AND i.done) AS "checklistDone",
  (SELECT count(*)::int FROM task_comments m WHERE m.task_id = t.id AND m.deleted_at IS NULL) AS "commentCount",
  (SELECT count(*)::int FROM task_attachments f WHERE f.task_id = t.id) AS "attachmentCount"`;

export function toCard(row: CardRow) {
  const { boardKey, ...card } = row;
  return { ...card, key: `${boardKey}-${row.number}` };
}

/** `limit + 1` rows → a page and the cursor made of the last row's key. */
export function pageOfCards(rows: CardRow[], limit: number, keyOf: (row: CardRow) => string) {
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return {
    items: page.map(toCard),
    nextCursor: rows.length > limit && last ? encodeCursor(keyOf(last)) : null,
  };
}
