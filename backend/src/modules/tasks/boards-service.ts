import { generateNKeysBetween } from 'fractional-indexing';
import { type Database, isUniqueViolation } from '../../db/client.js';
import type { Role } from '../../generated/prisma/enums.js';
import { ConflictError, ForbiddenError, NotFoundError } from '../../lib/errors.js';
import { decodeCursor, encodeCursor } from '../../lib/pagination.js';
import { type Actor, boardAccess, requireSupervisor } from './access.js';
import { diffFields, listActivity, recordActivity } from './activity.js';
import { COLUMNS_OF_BOARD, type Position, placeInList } from './ranks.js';
import { toColumnView, toLabelView } from './views.js';

export const DEFAULT_COLUMNS = [
  { name: 'To do', isDone: false },
  { name: 'In progress', isDone: false },
  { name: 'Review', isDone: false },
  { name: 'Done', isDone: true },
] as const;

export interface BoardsServiceOptions {
  db: Database;
  /** Global roles that may create boards (TASKS_BOARD_CREATORS). */
  boardCreators: readonly Role[];
  rebalanceLength: number;
}

interface BoardRow {
  id: string;
  key: string;
  name: string;
  description: string;
  archived: boolean;
  viewersCanComment: boolean;
  createdBy: string | null;
  createdAt: Date;
}

function toBoardView(board: BoardRow, myRole: string) {
  return {
    id: board.id,
    key: board.key,
    name: board.name,
    description: board.description,
    archived: board.archived,
    viewersCanComment: board.viewersCanComment,
    createdBy: board.createdBy,
    createdAt: board.createdAt.toISOString(),
    myRole: myRole as 'supervisor' | 'member' | 'viewer',
  };
}

export interface ColumnInput {
  name?: string | undefined;
  wipLimit?: number | null | undefined;
  isDone?: boolean | undefined;
  supervisorsOnlyMoveIn?: boolean | undefined;
}

export function createBoardsService({ db, boardCreators, rebalanceLength }: BoardsServiceOptions) {
  async function columnOf(boardId: string, columnId: string) {
    const column = await db.boardColumn.findFirst({ where: { id: columnId, boardId } });
    if (!column) throw new NotFoundError('Column');
    return column;
  }

  return {
    /** A new board with To do / In progress / Review / Done; its creator is its supervisor. */
    async create(
      actor: Actor,
      input: {
        key: string;
        name: string;
        description?: string | undefined;
        viewersCanComment?: boolean | undefined;
      },
    ) {
      if (!actor.user.roles.some((role) => boardCreators.includes(role))) {
        throw new ForbiddenError('board_creation_forbidden', 'Your role may not create boards.');
      }
      const ranks = generateNKeysBetween(null, null, DEFAULT_COLUMNS.length);
      try {
        const board = await db.$transaction(async (tx) => {
          const created = await tx.board.create({
            data: {
              key: input.key,
              name: input.name,
              description: input.description ?? '',
              viewersCanComment: input.viewersCanComment ?? false,
              createdBy: actor.user.id,
              members: {
                create: { userId: actor.user.id, role: 'supervisor', addedBy: actor.user.id },
              },
              columns: {
                create: DEFAULT_COLUMNS.map((column, index) => ({
                  name: column.name,
                  isDone: column.isDone,
                  rank: ranks[index] as string,
                })),
              },
            },
          });
          await recordActivity(tx, actor, {
            boardId: created.id,
            type: 'board_created',
            changes: { key: input.key, name: input.name },
          });
          await recordActivity(tx, actor, {
            boardId: created.id,
            type: 'member_added',
            changes: { userId: actor.user.id, role: 'supervisor' },
          });
          return created;
        });
        return toBoardView(board, 'supervisor');
      } catch (error) {
        if (isUniqueViolation(error)) {
          throw new ConflictError(
            'board_key_taken',
            `The board key ${input.key} is already in use.`,
          );
        }
        throw error;
      }
    },

    /** Boards I am a current member of (every board for an admin), by key. */
    async list(actor: Actor, { limit, cursor }: { limit: number; cursor?: string | undefined }) {
      const isAdmin = actor.user.roles.includes('admin');
      const after = cursor ? decodeCursor(cursor) : undefined;
      const rows = await db.board.findMany({
        where: {
          ...(isAdmin ? {} : { members: { some: { userId: actor.user.id, removedAt: null } } }),
          ...(after ? { key: { gt: after } } : {}),
        },
        include: {
          members: { where: { userId: actor.user.id, removedAt: null }, select: { role: true } },
        },
        orderBy: { key: 'asc' },
        take: limit + 1,
      });
      const page = rows.slice(0, limit);
      const last = page.at(-1);
      return {
        items: page.map((board) =>
          toBoardView(board, isAdmin ? 'supervisor' : (board.members[0]?.role ?? 'viewer')),
        ),
        nextCursor: rows.length > limit && last ? encodeCursor(last.key) : null,
      };
    },

    async get(actor: Actor, boardId: string) {
      const access = await boardAccess(db, actor, boardId);
      const board = await db.board.findUniqueOrThrow({ where: { id: boardId } });
      return toBoardView(board, access.role);
    },

    /** The board named by its key (the web UI's URLs use keys); the same 404 as by id. */
    async getByKey(actor: Actor, key: string) {
      const found = await db.board.findUnique({ where: { key }, select: { id: true } });
      if (!found) throw new NotFoundError('Board');
      const access = await boardAccess(db, actor, found.id);
      const board = await db.board.findUniqueOrThrow({ where: { id: found.id } });
      return toBoardView(board, access.role);
    },

    async update(
      actor: Actor,
      boardId: string,
      input: {
        name?: string | undefined;
        description?: string | undefined;
        viewersCanComment?: boolean | undefined;
        archived?: boolean | undefined;
      },
    ) {
      const access = await boardAccess(db, actor, boardId);
      requireSupervisor(access);
      const board = await db.$transaction(async (tx) => {
        const before = await tx.board.findUniqueOrThrow({ where: { id: boardId } });
        const changes = diffFields(before, input);
        if (Object.keys(changes).length === 0) return before;
        const updated = await tx.board.update({ where: { id: boardId }, data: input });
        await recordActivity(tx, actor, { boardId, type: 'board_updated', changes });
        return updated;
      });
      return toBoardView(board, access.role);
    },

    async activity(
      actor: Actor,
      boardId: string,
      page: { limit: number; cursor?: string | undefined },
    ) {
      await boardAccess(db, actor, boardId);
      return listActivity(db, { boardId }, page);
    },

    async listColumns(actor: Actor, boardId: string) {
      await boardAccess(db, actor, boardId);
      const columns = await db.boardColumn.findMany({
        where: { boardId },
        orderBy: { rank: 'asc' },
      });
      return columns.map(toColumnView);
    },

    async createColumn(
      actor: Actor,
      boardId: string,
      input: ColumnInput & Position & { name: string },
    ) {
      requireSupervisor(await boardAccess(db, actor, boardId));
      const column = await db.$transaction(async (tx) => {
        const rank = await placeInList(tx, COLUMNS_OF_BOARD, boardId, null, input, rebalanceLength);
        const created = await tx.boardColumn.create({
          data: {
            boardId,
            name: input.name,
            rank,
            wipLimit: input.wipLimit ?? null,
            isDone: input.isDone ?? false,
            supervisorsOnlyMoveIn: input.supervisorsOnlyMoveIn ?? false,
          },
        });
        await recordActivity(tx, actor, {
          boardId,
          type: 'column_created',
          changes: { columnId: created.id, name: created.name },
        });
        return created;
      });
      return toColumnView(column);
    },

    async updateColumn(actor: Actor, boardId: string, columnId: string, input: ColumnInput) {
      requireSupervisor(await boardAccess(db, actor, boardId));
      await columnOf(boardId, columnId);
      const column = await db.$transaction(async (tx) => {
        const before = await tx.boardColumn.findUniqueOrThrow({ where: { id: columnId } });
        const changes = diffFields(before, input);
        if (Object.keys(changes).length === 0) return before;
        const updated = await tx.boardColumn.update({ where: { id: columnId }, data: input });
        await recordActivity(tx, actor, {
          boardId,
          type: 'column_updated',
          changes: { columnId, ...changes },
        });
        return updated;
      });
      return toColumnView(column);
    },

    async moveColumn(actor: Actor, boardId: string, columnId: string, position: Position) {
      requireSupervisor(await boardAccess(db, actor, boardId));
      await columnOf(boardId, columnId);
      const column = await db.$transaction(async (tx) => {
        const rank = await placeInList(
          tx,
          COLUMNS_OF_BOARD,
          boardId,
          columnId,
          position,
          rebalanceLength,
        );
        const before = await tx.boardColumn.findUniqueOrThrow({ where: { id: columnId } });
        const updated = await tx.boardColumn.update({ where: { id: columnId }, data: { rank } });
        await recordActivity(tx, actor, {
          boardId,
          type: 'column_moved',
          changes: { columnId, rank: { before: before.rank, after: rank } },
        });
        return updated;
      });
      return toColumnView(column);
    },

    /** Only an empty column (no task, archived ones included) may be deleted. */
    async deleteColumn(actor: Actor, boardId: string, columnId: string) {
      requireSupervisor(await boardAccess(db, actor, boardId));
      const column = await columnOf(boardId, columnId);
      await db.$transaction(async (tx) => {
        if ((await tx.task.count({ where: { columnId } })) > 0) {
          throw new ConflictError('column_not_empty', 'Move or archive-and-move its tasks first.');
        }
        if ((await tx.boardColumn.count({ where: { boardId } })) <= 1) {
          throw new ConflictError('last_column', 'A board keeps at least one column.');
        }
        await tx.boardColumn.delete({ where: { id: columnId } });
        await recordActivity(tx, actor, {
          boardId,
          type: 'column_deleted',
          changes: { columnId, name: column.name },
        });
      });
    },

    async listLabels(actor: Actor, boardId: string) {
      await boardAccess(db, actor, boardId);
      const labels = await db.label.findMany({ where: { boardId }, orderBy: { name: 'asc' } });
      return labels.map(toLabelView);
    },

    async createLabel(actor: Actor, boardId: string, input: { name: string; color: string }) {
      requireSupervisor(await boardAccess(db, actor, boardId));
      try {
        const label = await db.$transaction(async (tx) => {
          const created = await tx.label.create({ data: { boardId, ...input } });
          await recordActivity(tx, actor, {
            boardId,
            type: 'label_created',
            changes: { labelId: created.id, ...input },
          });
          return created;
        });
        return toLabelView(label);
      } catch (error) {
        if (isUniqueViolation(error)) {
          throw new ConflictError(
            'label_name_taken',
            `This board already has a label "${input.name}".`,
          );
        }
        throw error;
      }
    },

    async updateLabel(
      actor: Actor,
      boardId: string,
      labelId: string,
      input: { name?: string | undefined; color?: string | undefined },
    ) {
      requireSupervisor(await boardAccess(db, actor, boardId));
      const before = await db.label.findFirst({ where: { id: labelId, boardId } });
      if (!before) throw new NotFoundError('Label');
      try {
        const label = await db.$transaction(async (tx) => {
          const changes = diffFields(before, input);
          if (Object.keys(changes).length === 0) return before;
          const updated = await tx.label.update({ where: { id: labelId }, data: input });
          await recordActivity(tx, actor, {
            boardId,
            type: 'label_updated',
            changes: { labelId, ...changes },
          });
          return updated;
        });
        return toLabelView(label);
      } catch (error) {
        if (isUniqueViolation(error)) {
          throw new ConflictError(
            'label_name_taken',
            `This board already has a label "${input.name}".`,
          );
        }
        throw error;
      }
    },

    async deleteLabel(actor: Actor, boardId: string, labelId: string) {
      requireSupervisor(await boardAccess(db, actor, boardId));
      const label = await db.label.findFirst({ where: { id: labelId, boardId } });
      if (!label) throw new NotFoundError('Label');
      await db.$transaction(async (tx) => {
        await tx.label.delete({ where: { id: labelId } });
        await recordActivity(tx, actor, {
          boardId,
          type: 'label_deleted',
          changes: { labelId, name: label.name },
        });
      });
    },
  };
}

export type BoardsService = ReturnType<typeof createBoardsService>;
