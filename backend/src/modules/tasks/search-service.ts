import type { Database } from '../../db/client.js';
import { Prisma } from '../../generated/prisma/client.js';
import { BadRequestError } from '../../lib/errors.js';
import { decodeCursor, invalidCursor } from '../../lib/pagination.js';
import { type Actor, boardAccess } from './access.js';
import { CARD_FIELDS, type CardRow, pageOfCards } from './cards.js';

export interface TaskFilters {
  q?: string | undefined;
  pic?: string | undefined;
  assignee?: string | undefined;
  label?: string | undefined;
  column?: string | undefined;
  due?: 'overdue' | 'this_week' | 'none' | undefined;
  archived?: boolean | undefined;
  tz?: string | undefined;
  limit: number;
  cursor?: string | undefined;
}

/** A time zone Postgres and Intl both know; "today" for due filters is taken there. */
function timeZone(tz: string | undefined): string {
  if (tz === undefined) return 'UTC';
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return tz;
  } catch {
    throw new BadRequestError('invalid_time_zone', 'The time zone is not known.', [
      { field: '/querystring/tz', message: 'must be an IANA time zone such as Asia/Seoul' },
    ]);
  }
}

/** `%` and `_` in the search text match themselves. */
function likePattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (character) => `\\${character}`)}%`;
}

function dueCondition(due: TaskFilters['due'], tz: string): Prisma.Sql {
  const today = Prisma.sql`(now() AT TIME ZONE ${tz})::date`;
  switch (due) {
    case 'overdue':
      return Prisma.sql`AND t.due_date < ${today}`;
    case 'this_week':
      // From today to the end of the ISO week (Sunday).
      return Prisma.sql`AND t.due_date BETWEEN ${today} AND ${today} + (7 - extract(isodow FROM ${today})::int)`;
    case 'none':
      return Prisma.sql`AND t.due_date IS NULL`;
    default:
      return Prisma.empty;
  }
}

function numberCursor(cursor: string | undefined): number | null {
  if (!cursor) return null;
  const key = decodeCursor(cursor);
  if (!/^[0-9]{1,9}$/.test(key)) throw invalidCursor();
  return Number(key);
}

export function createSearchService({ db }: { db: Database }) {
  return {
    /**
     * A board's tasks matching every filter given, by number, a page at a time. Text matches a
     * substring (any language) of the title, the content or a comment, through trigram indexes.
     */
    async search(actor: Actor, boardId: string, filters: TaskFilters) {
      await boardAccess(db, actor, boardId);
      const tz = timeZone(filters.tz);
      const after = numberCursor(filters.cursor);
      const text = filters.q?.trim();
      const pattern = text ? likePattern(text) : null;
      const rows = await db.$queryRaw<CardRow[]>`
        SELECT ${CARD_FIELDS}
          FROM tasks t
         WHERE t.board_id = ${boardId}::uuid
           AND t.archived = ${filters.archived ?? false}
           ${
             pattern
               ? Prisma.sql`AND (t.title ILIKE ${pattern} OR t.content ILIKE ${pattern}
                  OR EXISTS (SELECT 1 FROM task_comments m
                              WHERE m.task_id = t.id AND m.deleted_at IS NULL AND m.content ILIKE ${pattern}))`
               : Prisma.empty
           }
           ${filters.pic ? Prisma.sql`AND t.pic_id = ${filters.pic}::uuid` : Prisma.empty}
           ${
             filters.assignee
               ? Prisma.sql`AND EXISTS (SELECT 1 FROM task_assignees a WHERE a.task_id = t.id AND a.user_id = ${filters.assignee}::uuid)`
               : Prisma.empty
           }
           ${
             filters.label
               ? Prisma.sql`AND EXISTS (SELECT 1 FROM task_labels l WHERE l.task_id = t.id AND l.label_id = ${filters.label}::uuid)`
               : Prisma.empty
           }
           ${filters.column ? Prisma.sql`AND t.column_id = ${filters.column}::uuid` : Prisma.empty}
           ${dueCondition(filters.due, tz)}
           ${after !== null ? Prisma.sql`AND t.number > ${after}` : Prisma.empty}
         ORDER BY t.number
         LIMIT ${filters.limit + 1}`;
      return pageOfCards(rows, filters.limit, (row) => String(row.number));
    },

    /**
     * Every open task where I am PIC or assignee, on the boards I am a current member of, by due
     * date (undated last), then id.
     */
    async mine(actor: Actor, { limit, cursor }: { limit: number; cursor?: string | undefined }) {
      let after: { due: string; id: string } | null = null;
      if (cursor) {
        const [due, id] = decodeCursor(cursor).split('|');
        if (
          !due ||
          !id ||
          !/^(\d{4}-\d{2}-\d{2}|infinity)$/.test(due) ||
          !/^[0-9a-f-]{36}$/.test(id)
        ) {
          throw invalidCursor();
        }
        after = { due, id };
      }
      const me = actor.user.id;
      const rows = await db.$queryRaw<(CardRow & { sortDue: string })[]>`
        SELECT ${CARD_FIELDS}, COALESCE(t.due_date, 'infinity'::date)::text AS "sortDue"
          FROM tasks t
          JOIN board_members bm
            ON bm.board_id = t.board_id AND bm.user_id = ${me}::uuid AND bm.removed_at IS NULL
         WHERE NOT t.archived
           AND (t.pic_id = ${me}::uuid
                OR EXISTS (SELECT 1 FROM task_assignees a WHERE a.task_id = t.id AND a.user_id = ${me}::uuid))
           ${
             after
               ? Prisma.sql`AND (COALESCE(t.due_date, 'infinity'::date), t.id) > (${after.due}::date, ${after.id}::uuid)`
               : Prisma.empty
           }
         ORDER BY COALESCE(t.due_date, 'infinity'::date), t.id
         LIMIT ${limit + 1}`;
      // The response schema leaves `sortDue` out of the cards.
      return pageOfCards(
        rows,
        limit,
        (row) => `${(row as CardRow & { sortDue: string }).sortDue}|${row.id}`,
      );
    },
  };
}

export type SearchService = ReturnType<typeof createSearchService>;
