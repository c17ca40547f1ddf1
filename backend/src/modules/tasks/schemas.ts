import { Type } from 'typebox';
import { PATTERNS } from '../../lib/patterns.js';
import { ProblemSchema } from '../../lib/problem.js';

// Shared by the tasks module's route groups; registered once with addSchema by the plugin.

const Uuid = (description?: string) =>
  Type.String({ format: 'uuid', ...(description ? { description } : {}) });
const Nullable = <T extends Type.TSchema>(schema: T) => Type.Union([schema, Type.Null()]);
const DateOnly = Type.String({ format: 'date', description: 'A calendar date, YYYY-MM-DD' });

export const BOARD_ROLES = ['supervisor', 'member', 'viewer'] as const;
export const PRIORITIES = ['none', 'low', 'medium', 'high', 'urgent'] as const;

export const BoardRoleSchema = Type.Union(
  [Type.Literal('supervisor'), Type.Literal('member'), Type.Literal('viewer')],
  {
    description:
      'supervisor: manages the board; member: edits the tasks they are PIC or assignee of; viewer: reads',
  },
);
export const PrioritySchema = Type.Union([
  Type.Literal('none'),
  Type.Literal('low'),
  Type.Literal('medium'),
  Type.Literal('high'),
  Type.Literal('urgent'),
]);

export const Title = Type.String({
  minLength: 1,
  maxLength: 300,
  pattern: PATTERNS.notBlank.source,
});
export const Markdown = Type.String({
  maxLength: 100_000,
  description: 'Markdown, stored as written',
});

export const BoardParamsSchema = Type.Object({ boardId: Uuid() });
export const TaskParamsSchema = Type.Object({ taskId: Uuid() });

export const PositionFields = {
  afterId: Type.Optional(Uuid('Place right after this sibling')),
  beforeId: Type.Optional(Uuid('Place right before this sibling (used when afterId is absent)')),
};

export const ColumnSchema = Type.Object(
  {
    id: Uuid(),
    boardId: Uuid(),
    name: Type.String(),
    rank: Type.String({
      description: 'Server-owned order key; clients move with afterId/beforeId',
    }),
    wipLimit: Nullable(Type.Integer()),
    isDone: Type.Boolean(),
    supervisorsOnlyMoveIn: Type.Boolean(),
  },
  { $id: 'TaskColumn', title: 'TaskColumn' },
);

export const LabelSchema = Type.Object(
  { id: Uuid(), boardId: Uuid(), name: Type.String(), color: Type.String() },
  { $id: 'TaskLabel', title: 'TaskLabel' },
);

export const MemberSchema = Type.Object(
  {
    userId: Uuid(),
    email: Type.String(),
    displayName: Nullable(Type.String()),
    role: BoardRoleSchema,
    addedAt: Type.String({ format: 'date-time' }),
  },
  { $id: 'BoardMember', title: 'BoardMember' },
);

export const BoardSchema = Type.Object(
  {
    id: Uuid(),
    key: Type.String(),
    name: Type.String(),
    description: Type.String(),
    archived: Type.Boolean(),
    viewersCanComment: Type.Boolean(),
    createdBy: Nullable(Uuid()),
    createdAt: Type.String({ format: 'date-time' }),
    myRole: BoardRoleSchema,
  },
  { $id: 'Board', title: 'Board' },
);

export const ChecklistItemSchema = Type.Object(
  { id: Uuid(), text: Type.String(), done: Type.Boolean(), rank: Type.String() },
  { $id: 'ChecklistItem', title: 'ChecklistItem' },
);

export const TaskSchema = Type.Object(
  {
    id: Uuid(),
    boardId: Uuid(),
    key: Type.String({ description: 'Board key and number, e.g. HP-42' }),
    number: Type.Integer(),
    columnId: Uuid(),
    rank: Type.String(),
    title: Type.String(),
    content: Type.String(),
    picId: Nullable(Uuid()),
    reporterId: Nullable(Uuid()),
    assigneeIds: Type.Array(Uuid()),
    labelIds: Type.Array(Uuid()),
    priority: PrioritySchema,
    startDate: Nullable(DateOnly),
    dueDate: Nullable(DateOnly),
    archived: Type.Boolean(),
    version: Type.Integer({ description: 'Also the ETag: "<version>"' }),
    checklist: Type.Array(Type.Ref('ChecklistItem')),
    createdAt: Type.String({ format: 'date-time' }),
    updatedAt: Type.String({ format: 'date-time' }),
  },
  { $id: 'Task', title: 'Task' },
);

/** A task as a card on the board: what a card shows, no content. */
export const TaskCardSchema = Type.Object(
  {
    id: Uuid(),
    boardId: Uuid(),
    key: Type.String(),
    number: Type.Integer(),
    columnId: Uuid(),
    rank: Type.String(),
    title: Type.String(),
    picId: Nullable(Uuid()),
    assigneeIds: Type.Array(Uuid()),
    labelIds: Type.Array(Uuid()),
    priority: PrioritySchema,
    startDate: Nullable(DateOnly),
    dueDate: Nullable(DateOnly),
    archived: Type.Boolean(),
    version: Type.Integer(),
    checklistTotal: Type.Integer(),
    checklistDone: Type.Integer(),
    commentCount: Type.Integer(),
    attachmentCount: Type.Integer(),
  },
  { $id: 'TaskCard', title: 'TaskCard' },
);

export const ActivitySchema = Type.Object(
  {
    id: Type.String({ description: 'Increasing (bigserial): the event id realtime streams use' }),
    boardId: Uuid(),
    taskId: Nullable(Uuid()),
    taskVersion: Nullable(Type.Integer()),
    actorId: Nullable(Uuid()),
    requestId: Nullable(Type.String()),
    type: Type.String(),
    changes: Type.Record(Type.String(), Type.Unknown(), {
      description: '{ field: { before, after } } for field changes; details otherwise',
    }),
    createdAt: Type.String({ format: 'date-time' }),
  },
  { $id: 'Activity', title: 'Activity' },
);

export const StaleTaskProblemSchema = Type.Object(
  {
    ...ProblemSchema.properties,
    current: Type.Ref('Task'),
    changedFields: Type.Array(Type.String(), {
      description: 'Fields changed since the version in If-Match',
    }),
  },
  { $id: 'StaleTaskProblem', title: 'StaleTaskProblem' },
);

export const TASK_SCHEMAS = [
  ColumnSchema,
  LabelSchema,
  MemberSchema,
  BoardSchema,
  ChecklistItemSchema,
  TaskSchema,
  TaskCardSchema,
  ActivitySchema,
  StaleTaskProblemSchema,
];

export const Refs = {
  Board: Type.Ref('Board'),
  Column: Type.Ref('TaskColumn'),
  Label: Type.Ref('TaskLabel'),
  Member: Type.Ref('BoardMember'),
  Task: Type.Ref('Task'),
  Card: Type.Ref('TaskCard'),
  ChecklistItem: Type.Ref('ChecklistItem'),
  Activity: Type.Ref('Activity'),
  StaleTaskProblem: Type.Ref('StaleTaskProblem'),
};

export { DateOnly, Nullable, Uuid };
