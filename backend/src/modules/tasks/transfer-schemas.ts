import { Type } from 'typebox';

// The Homeport board file (export and import) and the parts of a Trello board export that are read.

const Text = (maxLength: number) => Type.String({ maxLength });
const DateOnlyOrNull = Type.Union([Type.String({ format: 'date' }), Type.Null()]);
const Email = Type.String({ maxLength: 254 });

export const HomeportBoardFileSchema = Type.Object({
  format: Type.Literal('homeport-board'),
  version: Type.Literal(1),
  exportedAt: Type.Optional(Type.String()),
  board: Type.Object({
    key: Type.String(),
    name: Type.String({ minLength: 1, maxLength: 120 }),
    description: Text(5000),
    viewersCanComment: Type.Boolean(),
  }),
  columns: Type.Array(
    Type.Object({
      ref: Type.String({ minLength: 1, maxLength: 64 }),
      name: Type.String({ minLength: 1, maxLength: 80 }),
      wipLimit: Type.Union([Type.Integer({ minimum: 1, maximum: 10_000 }), Type.Null()]),
      isDone: Type.Boolean(),
      supervisorsOnlyMoveIn: Type.Boolean(),
    }),
    { minItems: 1, maxItems: 100 },
  ),
  labels: Type.Array(
    Type.Object({
      ref: Type.String({ minLength: 1, maxLength: 64 }),
      name: Type.String({ minLength: 1, maxLength: 50 }),
      color: Type.String({ pattern: '^#[0-9a-fA-F]{6}$' }),
    }),
    { maxItems: 500 },
  ),
  members: Type.Array(
    Type.Object({
      email: Email,
      role: Type.Union([
        Type.Literal('supervisor'),
        Type.Literal('member'),
        Type.Literal('viewer'),
      ]),
    }),
    { maxItems: 1000 },
  ),
  tasks: Type.Array(
    Type.Object({
      number: Type.Integer({ minimum: 1, maximum: 2_000_000_000 }),
      columnRef: Type.String({ minLength: 1, maxLength: 64 }),
      title: Type.String({ minLength: 1, maxLength: 300 }),
      content: Text(100_000),
      picEmail: Type.Union([Email, Type.Null()]),
      reporterEmail: Type.Union([Email, Type.Null()]),
      assigneeEmails: Type.Array(Email, { maxItems: 50 }),
      labelRefs: Type.Array(Type.String({ maxLength: 64 }), { maxItems: 50 }),
      priority: Type.Union([
        Type.Literal('none'),
        Type.Literal('low'),
        Type.Literal('medium'),
        Type.Literal('high'),
        Type.Literal('urgent'),
      ]),
      startDate: DateOnlyOrNull,
      dueDate: DateOnlyOrNull,
      archived: Type.Boolean(),
      checklist: Type.Array(
        Type.Object({ text: Type.String({ minLength: 1, maxLength: 500 }), done: Type.Boolean() }),
        { maxItems: 500 },
      ),
      comments: Type.Array(
        Type.Object({
          author: Type.Union([Type.String({ maxLength: 254 }), Type.Null()]),
          content: Type.String({ minLength: 1, maxLength: 20_000 }),
          createdAt: Type.String({ format: 'date-time' }),
          deleted: Type.Boolean(),
        }),
        { maxItems: 5000 },
      ),
    }),
    { maxItems: 20_000 },
  ),
});

export const TrelloBoardSchema = Type.Object({
  name: Type.String({ minLength: 1 }),
  desc: Type.Optional(Type.String()),
  lists: Type.Array(
    Type.Object({
      id: Type.String(),
      name: Type.String(),
      closed: Type.Boolean(),
      pos: Type.Number(),
    }),
    { minItems: 1, maxItems: 100 },
  ),
  cards: Type.Array(
    Type.Object({
      id: Type.String(),
      name: Type.String(),
      desc: Type.String(),
      idList: Type.String(),
      closed: Type.Boolean(),
      pos: Type.Number(),
      due: Type.Union([Type.String(), Type.Null()]),
      start: Type.Optional(Type.Union([Type.String(), Type.Null()])),
      idLabels: Type.Array(Type.String()),
    }),
    { maxItems: 20_000 },
  ),
  labels: Type.Array(
    Type.Object({
      id: Type.String(),
      name: Type.String(),
      color: Type.Union([Type.String(), Type.Null()]),
    }),
  ),
  checklists: Type.Array(
    Type.Object({
      id: Type.String(),
      idCard: Type.String(),
      pos: Type.Optional(Type.Number()),
      checkItems: Type.Array(
        Type.Object({ name: Type.String(), state: Type.String(), pos: Type.Number() }),
      ),
    }),
  ),
  actions: Type.Optional(
    Type.Array(
      Type.Object({
        type: Type.String(),
        date: Type.String(),
        data: Type.Object({
          text: Type.Optional(Type.String()),
          card: Type.Optional(Type.Object({ id: Type.String() })),
        }),
        memberCreator: Type.Optional(Type.Object({ fullName: Type.Optional(Type.String()) })),
      }),
    ),
  ),
});
