import { randomUUID } from 'node:crypto';
import { generateNKeysBetween } from 'fractional-indexing';
import type { Static, TSchema } from 'typebox';
import { Value } from 'typebox/value';
import { type Database, isUniqueViolation } from '../../db/client.js';
import type { Role } from '../../generated/prisma/enums.js';
import {
  ConflictError,
  type FieldError,
  ForbiddenError,
  UnprocessableError,
} from '../../lib/errors.js';
import { type Actor, boardAccess } from './access.js';
import { recordActivity } from './activity.js';
import { HomeportBoardFileSchema, TrelloBoardSchema } from './transfer-schemas.js';
import { dateOnly } from './views.js';

export type HomeportBoardFile = Static<typeof HomeportBoardFileSchema>;
type TrelloBoard = Static<typeof TrelloBoardSchema>;

const TRELLO_COLORS: Record<string, string> = {
  green: '#61bd4f',
  yellow: '#f2d600',
  orange: '#ff9f1a',
  red: '#eb5a46',
  purple: '#c377e0',
  blue: '#0079bf',
  sky: '#00c2e0',
  lime: '#51e898',
  pink: '#ff78cb',
  black: '#344563',
};
const DONE_NAMES = /^(done|complete|completed|완료)$/i;

function invalidFile(what: string, errors: FieldError[]): UnprocessableError {
  const first = errors[0];
  return new UnprocessableError(
    'invalid_import',
    `The file is not a valid ${what}${first ? `: ${first.field} ${first.message}` : ''}.`,
    errors.slice(0, 20),
  );
}

function checkShape<T>(schema: TSchema, data: unknown, what: string): T {
  if (Value.Check(schema, data)) return data as T;
  const errors = [...Value.Errors(schema, data)].slice(0, 20).map((error) => ({
    field: `/body/data${error.instancePath}`,
    message: error.message,
  }));
  throw invalidFile(what, errors);
}

/** Trello's board JSON → a Homeport board file: open lists → columns, cards → tasks. */
export function fromTrello(trello: TrelloBoard, key: string): HomeportBoardFile {
  const lists = trello.lists.filter((list) => !list.closed).sort((a, b) => a.pos - b.pos);
  if (lists.length === 0) {
    throw invalidFile('Trello board', [{ field: '/body/data/lists', message: 'has no open list' }]);
  }
  const listOrder = new Map(lists.map((list, index) => [list.id, index]));
  const usedNames = new Set<string>();
  const labels = trello.labels.map((label) => {
    let name = (label.name || label.color || 'label').slice(0, 50);
    for (let suffix = 2; usedNames.has(name.toLowerCase()); suffix++)
      name = `${name.slice(0, 45)} ${suffix}`;
    usedNames.add(name.toLowerCase());
    return { ref: label.id, name, color: TRELLO_COLORS[label.color ?? ''] ?? '#888888' };
  });
  const labelIds = new Set(labels.map((label) => label.ref));
  const comments = new Map<string, HomeportBoardFile['tasks'][number]['comments']>();
  for (const action of [...(trello.actions ?? [])].sort((a, b) => a.date.localeCompare(b.date))) {
    const cardId = action.data.card?.id;
    if (action.type !== 'commentCard' || !cardId || !action.data.text?.trim()) continue;
    const createdAt = new Date(action.date);
    const list = comments.get(cardId) ?? [];
    list.push({
      author: (action.memberCreator?.fullName ?? null)?.slice(0, 254) ?? null,
      content: action.data.text.slice(0, 20_000),
      createdAt: Number.isNaN(createdAt.getTime())
        ? new Date().toISOString()
        : createdAt.toISOString(),
      deleted: false,
    });
    comments.set(cardId, list);
  }
  const checklists = new Map<string, { text: string; done: boolean }[]>();
  for (const checklist of [...trello.checklists].sort((a, b) => (a.pos ?? 0) - (b.pos ?? 0))) {
    const items = checklists.get(checklist.idCard) ?? [];
    for (const item of [...checklist.checkItems].sort((a, b) => a.pos - b.pos)) {
      if (item.name.trim())
        items.push({ text: item.name.slice(0, 500), done: item.state === 'complete' });
    }
    checklists.set(checklist.idCard, items);
  }
  const firstList = lists[0]?.id as string;
  const cards = [...trello.cards].sort(
    (a, b) =>
      (listOrder.get(a.idList) ?? Number.MAX_SAFE_INTEGER) -
        (listOrder.get(b.idList) ?? Number.MAX_SAFE_INTEGER) || a.pos - b.pos,
  );
  const day = (value: string | null | undefined) => {
    if (!value) return null;
    const date = new Date(value);
    return Number.isNaN(date.getTime()) ? null : date.toISOString().slice(0, 10);
  };
  return {
    format: 'homeport-board',
    version: 1,
    board: {
      key,
      name: trello.name.slice(0, 120),
      description: (trello.desc ?? '').slice(0, 5000),
      viewersCanComment: false,
    },
    columns: lists.map((list) => ({
      ref: list.id,
      name: (list.name.trim() || 'List').slice(0, 80),
      wipLimit: null,
      isDone: DONE_NAMES.test(list.name.trim()),
      supervisorsOnlyMoveIn: false,
    })),
    labels,
    members: [],
    tasks: cards.map((card, index) => {
      const open = listOrder.has(card.idList);
      const startDate = day(card.start);
      const dueDate = day(card.due);
      return {
        number: index + 1,
        columnRef: open ? card.idList : firstList,
        title: (card.name.trim() || 'Untitled').slice(0, 300),
        content: card.desc.slice(0, 100_000),
        picEmail: null,
        reporterEmail: null,
        assigneeEmails: [],
        labelRefs: card.idLabels.filter((id) => labelIds.has(id)),
        priority: 'none' as const,
        startDate: startDate && dueDate && startDate > dueDate ? null : startDate,
        dueDate,
        archived: card.closed || !open,
        checklist: checklists.get(card.id) ?? [],
        comments: comments.get(card.id) ?? [],
      };
    }),
  };
}

/** References inside a Homeport file that its schema cannot check. */
function checkReferences(file: HomeportBoardFile): void {
  const errors: FieldError[] = [];
  const columnRefs = new Set<string>();
  file.columns.forEach((column, index) => {
    if (columnRefs.has(column.ref))
      errors.push({ field: `/body/data/columns/${index}/ref`, message: 'is used twice' });
    columnRefs.add(column.ref);
  });
  const labelRefs = new Set<string>();
  const labelNames = new Set<string>();
  file.labels.forEach((label, index) => {
    if (labelRefs.has(label.ref))
      errors.push({ field: `/body/data/labels/${index}/ref`, message: 'is used twice' });
    if (labelNames.has(label.name.toLowerCase())) {
      errors.push({ field: `/body/data/labels/${index}/name`, message: 'is used twice' });
    }
    labelRefs.add(label.ref);
    labelNames.add(label.name.toLowerCase());
  });
  const numbers = new Set<number>();
  file.tasks.forEach((task, index) => {
    const at = `/body/data/tasks/${index}`;
    if (!columnRefs.has(task.columnRef))
      errors.push({ field: `${at}/columnRef`, message: 'names no column of the file' });
    task.labelRefs.forEach((ref, labelIndex) => {
      if (!labelRefs.has(ref))
        errors.push({
          field: `${at}/labelRefs/${labelIndex}`,
          message: 'names no label of the file',
        });
    });
    if (numbers.has(task.number)) errors.push({ field: `${at}/number`, message: 'is used twice' });
    numbers.add(task.number);
    if (task.startDate && task.dueDate && task.startDate > task.dueDate) {
      errors.push({ field: `${at}/dueDate`, message: 'must not be before the start date' });
    }
  });
  if (errors.length > 0) throw invalidFile('Homeport board file', errors);
}

function csvCell(value: string): string {
  // A leading = + - @ would make spreadsheets run the cell as a formula.
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export interface TransferServiceOptions {
  db: Database;
  boardCreators: readonly Role[];
}

export function createTransferService({ db, boardCreators }: TransferServiceOptions) {
  async function load(actor: Actor, boardId: string) {
    await boardAccess(db, actor, boardId);
    const [board, columns, labels, members, tasks] = await Promise.all([
      db.board.findUniqueOrThrow({ where: { id: boardId } }),
      db.boardColumn.findMany({ where: { boardId }, orderBy: { rank: 'asc' } }),
      db.label.findMany({ where: { boardId }, orderBy: { name: 'asc' } }),
      db.boardMember.findMany({ where: { boardId, removedAt: null } }),
      db.task.findMany({
        where: { boardId },
        include: {
          assignees: true,
          labels: true,
          checklist: { orderBy: { rank: 'asc' } },
          comments: { orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] },
        },
      }),
    ]);
    const userIds = new Set<string>(members.map((member) => member.userId));
    for (const task of tasks) {
      for (const id of [
        task.picId,
        task.reporterId,
        ...task.assignees.map((a) => a.userId),
        ...task.comments.map((c) => c.authorId),
      ]) {
        if (id) userIds.add(id);
      }
    }
    const users = await db.user.findMany({
      where: { id: { in: [...userIds] } },
      select: { id: true, email: true },
    });
    const emails = new Map(users.map((user) => [user.id, user.email]));
    const columnOrder = new Map(columns.map((column, index) => [column.id, index]));
    tasks.sort(
      (a, b) =>
        (columnOrder.get(a.columnId) ?? 0) - (columnOrder.get(b.columnId) ?? 0) ||
        (a.rank < b.rank ? -1 : a.rank > b.rank ? 1 : 0),
    );
    return { board, columns, labels, members, tasks, emails };
  }

  return {
    /** The whole board as a Homeport board file: importing it gives the same board. */
    async exportJson(actor: Actor, boardId: string): Promise<HomeportBoardFile> {
      const { board, columns, labels, members, tasks, emails } = await load(actor, boardId);
      const email = (id: string | null) => (id ? (emails.get(id) ?? null) : null);
      return {
        format: 'homeport-board',
        version: 1,
        exportedAt: new Date().toISOString(),
        board: {
          key: board.key,
          name: board.name,
          description: board.description,
          viewersCanComment: board.viewersCanComment,
        },
        columns: columns.map((column) => ({
          ref: column.id,
          name: column.name,
          wipLimit: column.wipLimit,
          isDone: column.isDone,
          supervisorsOnlyMoveIn: column.supervisorsOnlyMoveIn,
        })),
        labels: labels.map((label) => ({ ref: label.id, name: label.name, color: label.color })),
        members: members.flatMap((member) => {
          const address = emails.get(member.userId);
          return address ? [{ email: address, role: member.role }] : [];
        }),
        tasks: tasks.map((task) => ({
          number: task.number,
          columnRef: task.columnId,
          title: task.title,
          content: task.content,
          picEmail: email(task.picId),
          reporterEmail: email(task.reporterId),
          assigneeEmails: task.assignees.flatMap((assignee) => email(assignee.userId) ?? []),
          labelRefs: task.labels.map((label) => label.labelId),
          priority: task.priority,
          startDate: dateOnly(task.startDate),
          dueDate: dateOnly(task.dueDate),
          archived: task.archived,
          checklist: task.checklist.map((item) => ({ text: item.text, done: item.done })),
          comments: task.comments.map((comment) => ({
            author: email(comment.authorId) ?? comment.importedAuthor,
            content: comment.content,
            createdAt: comment.createdAt.toISOString(),
            deleted: comment.deletedAt !== null,
          })),
        })),
      };
    },

    /** One row per task, for spreadsheets (UTF-8 with a BOM so Excel reads Korean). */
    async exportCsv(actor: Actor, boardId: string): Promise<string> {
      const { board, columns, labels, tasks, emails } = await load(actor, boardId);
      const columnNames = new Map(columns.map((column) => [column.id, column.name]));
      const labelNames = new Map(labels.map((label) => [label.id, label.name]));
      const header = [
        'key',
        'title',
        'column',
        'pic',
        'assignees',
        'labels',
        'priority',
        'start_date',
        'due_date',
        'archived',
        'checklist_done',
        'checklist_total',
        'content',
      ];
      const rows = tasks.map((task) => [
        `${board.key}-${task.number}`,
        task.title,
        columnNames.get(task.columnId) ?? '',
        task.picId ? (emails.get(task.picId) ?? '') : '',
        task.assignees.map((assignee) => emails.get(assignee.userId) ?? '').join('; '),
        task.labels.map((label) => labelNames.get(label.labelId) ?? '').join('; '),
        task.priority,
        dateOnly(task.startDate) ?? '',
        dateOnly(task.dueDate) ?? '',
        String(task.archived),
        String(task.checklist.filter((item) => item.done).length),
        String(task.checklist.length),
        task.content,
      ]);
      return `\uFEFF${[header, ...rows].map((row) => row.map(csvCell).join(',')).join('\r\n')}\r\n`;
    },

    /**
     * A new board from a Homeport board file or a Trello board export, in one transaction: a bad
     * file is a 422 naming what is wrong, and nothing of it is stored.
     */
    async import(
      actor: Actor,
      input: {
        source: 'homeport' | 'trello';
        key: string;
        name?: string | undefined;
        data: unknown;
      },
    ) {
      if (!actor.user.roles.some((role) => boardCreators.includes(role))) {
        throw new ForbiddenError('board_creation_forbidden', 'Your role may not create boards.');
      }
      const file =
        input.source === 'trello'
          ? fromTrello(
              checkShape<TrelloBoard>(TrelloBoardSchema, input.data, 'Trello board export'),
              input.key,
            )
          : checkShape<HomeportBoardFile>(
              HomeportBoardFileSchema,
              input.data,
              'Homeport board file',
            );
      checkReferences(file);
      const emails = new Set<string>();
      for (const member of file.members) emails.add(member.email.toLowerCase());
      for (const task of file.tasks) {
        for (const address of [
          task.picEmail,
          task.reporterEmail,
          ...task.assigneeEmails,
          ...task.comments.map((c) => c.author),
        ]) {
          if (address?.includes('@')) emails.add(address.toLowerCase());
        }
      }
      const users = await db.user.findMany({
        where: { email: { in: [...emails] }, status: 'active' },
        select: { id: true, email: true },
      });
      const userIds = new Map(users.map((user) => [user.email, user.id]));
      const boardId = randomUUID();
      const members = new Map<string, 'supervisor' | 'member' | 'viewer'>([
        [actor.user.id, 'supervisor'],
      ]);
      for (const member of file.members) {
        const id = userIds.get(member.email.toLowerCase());
        if (id && !members.has(id)) members.set(id, member.role);
      }
      const skippedMembers = file.members
        .map((member) => member.email.toLowerCase())
        .filter((address) => !userIds.has(address));
      // A PIC or assignee must be able to work on the board.
      const worker = (address: string | null) => {
        const id = address ? userIds.get(address.toLowerCase()) : undefined;
        return id && members.get(id) !== 'viewer' && members.has(id) ? id : null;
      };
      try {
        await db.$transaction(
          async (tx) => {
            await tx.board.create({
              data: {
                id: boardId,
                key: input.key,
                name: (input.name ?? file.board.name).slice(0, 120),
                description: file.board.description,
                viewersCanComment: file.board.viewersCanComment,
                createdBy: actor.user.id,
                nextTaskNumber: Math.max(0, ...file.tasks.map((task) => task.number)) + 1,
              },
            });
            await tx.boardMember.createMany({
              data: [...members].map(([userId, role]) => ({
                boardId,
                userId,
                role,
                addedBy: actor.user.id,
              })),
            });
            const columnRanks = generateNKeysBetween(null, null, file.columns.length);
            const columnIds = new Map(file.columns.map((column) => [column.ref, randomUUID()]));
            await tx.boardColumn.createMany({
              data: file.columns.map((column, index) => ({
                id: columnIds.get(column.ref) as string,
                boardId,
                name: column.name,
                rank: columnRanks[index] as string,
                wipLimit: column.wipLimit,
                isDone: column.isDone,
                supervisorsOnlyMoveIn: column.supervisorsOnlyMoveIn,
              })),
            });
            const labelIds = new Map(file.labels.map((label) => [label.ref, randomUUID()]));
            await tx.label.createMany({
              data: file.labels.map((label) => ({
                id: labelIds.get(label.ref) as string,
                boardId,
                name: label.name,
                color: label.color,
              })),
            });
            const perColumn = new Map<string, number>();
            for (const task of file.tasks)
              perColumn.set(task.columnRef, (perColumn.get(task.columnRef) ?? 0) + 1);
            const ranks = new Map(
              [...perColumn].map(([ref, count]) => [ref, generateNKeysBetween(null, null, count)]),
            );
            const used = new Map<string, number>();
            const tasks = file.tasks.map((task) => {
              const index = used.get(task.columnRef) ?? 0;
              used.set(task.columnRef, index + 1);
              return { task, id: randomUUID(), rank: ranks.get(task.columnRef)?.[index] as string };
            });
            await tx.task.createMany({
              data: tasks.map(({ task, id, rank }) => ({
                id,
                boardId,
                columnId: columnIds.get(task.columnRef) as string,
                rank,
                number: task.number,
                title: task.title,
                content: task.content,
                picId: worker(task.picEmail),
                reporterId: task.reporterEmail
                  ? (userIds.get(task.reporterEmail.toLowerCase()) ?? null)
                  : null,
                priority: task.priority,
                startDate: task.startDate ? new Date(`${task.startDate}T00:00:00Z`) : null,
                dueDate: task.dueDate ? new Date(`${task.dueDate}T00:00:00Z`) : null,
                archived: task.archived,
              })),
            });
            await tx.taskAssignee.createMany({
              data: tasks.flatMap(({ task, id }) =>
                [
                  ...new Set(
                    task.assigneeEmails
                      .map(worker)
                      .filter((userId): userId is string => userId !== null),
                  ),
                ].map((userId) => ({ taskId: id, userId })),
              ),
            });
            await tx.taskLabel.createMany({
              data: tasks.flatMap(({ task, id }) =>
                [...new Set(task.labelRefs)].map((ref) => ({
                  taskId: id,
                  labelId: labelIds.get(ref) as string,
                })),
              ),
            });
            await tx.checklistItem.createMany({
              data: tasks.flatMap(({ task, id }) => {
                const keys = generateNKeysBetween(null, null, task.checklist.length);
                return task.checklist.map((item, index) => ({
                  taskId: id,
                  text: item.text,
                  done: item.done,
                  rank: keys[index] as string,
                }));
              }),
            });
            await tx.taskComment.createMany({
              data: tasks.flatMap(({ task, id }) =>
                task.comments.map((comment) => {
                  const authorId = comment.author?.includes('@')
                    ? userIds.get(comment.author.toLowerCase())
                    : undefined;
                  return {
                    taskId: id,
                    authorId: authorId ?? null,
                    importedAuthor: authorId ? null : (comment.author ?? 'unknown'),
                    content: comment.content,
                    createdAt: new Date(comment.createdAt),
                    deletedAt: comment.deleted ? new Date() : null,
                  };
                }),
              ),
            });
            await recordActivity(tx, actor, {
              boardId,
              type: 'board_imported',
              changes: {
                source: input.source,
                key: input.key,
                columns: file.columns.length,
                labels: file.labels.length,
                tasks: file.tasks.length,
                members: members.size,
                skippedMembers,
              },
            });
          },
          { timeout: 120_000, maxWait: 10_000 },
        );
      } catch (error) {
        if (isUniqueViolation(error)) {
          throw new ConflictError(
            'board_key_taken',
            `The board key ${input.key} is already in use.`,
          );
        }
        throw error;
      }
      return { boardId, tasks: file.tasks.length, skippedMembers };
    },
  };
}

export type TransferService = ReturnType<typeof createTransferService>;
