import type { FastifyInstance } from 'fastify';
import { beforeAll, describe, expect, it } from 'vitest';
import { createSignedInUser, type SignedInUser } from '../../../test/support/auth.js';
import { setupTestContext } from '../../../test/support/context.js';
import {
  addMember,
  type BoardFixture,
  call,
  createBoard,
  createTask,
  uniqueBoardKey,
} from '../../../test/support/tasks.js';

const ctx = setupTestContext();
let app: FastifyInstance;
let fixture: BoardFixture;
const people: Record<string, SignedInUser> = {};
const ACTORS = ['admin', 'supervisor', 'pic', 'member', 'viewer', 'removed', 'outsider'] as const;
type ActorName = (typeof ACTORS)[number];

beforeAll(async () => {
  app = await ctx.buildApp({ AUTH_AUTO_VERIFY: 'true' });
  fixture = await createBoard(app, ctx);
  people.supervisor = fixture.supervisor;
  people.admin = await createSignedInUser(app, ctx, { roles: ['member', 'admin'] });
  for (const name of ['pic', 'member', 'viewer', 'removed', 'outsider'] as const) {
    people[name] = await createSignedInUser(app, ctx);
  }
  await addMember(app, fixture, people.pic as SignedInUser, 'member');
  await addMember(app, fixture, people.member as SignedInUser, 'member');
  await addMember(app, fixture, people.viewer as SignedInUser, 'viewer');
  await addMember(app, fixture, people.removed as SignedInUser, 'member');
  const removed = await call(
    app,
    fixture.supervisor,
    'DELETE',
    `/api/boards/${fixture.board.id}/members/${people.removed?.id}`,
  );
  expect(removed.statusCode).toBe(204);
  // The outsider supervises a board of their own.
  const other = await createBoard(app, ctx);
  await call(app, other.supervisor, 'POST', `/api/boards/${other.board.id}/members`, {
    email: people.outsider?.email,
    role: 'supervisor',
  });
});

async function freshTask() {
  return createTask(app, fixture, { picId: people.pic?.id, title: 'Matrix task' });
}

async function patch(as: SignedInUser, taskId: string, body: Record<string, unknown>) {
  const current = await call(app, fixture.supervisor, 'GET', `/api/tasks/${taskId}`);
  return call(app, as, 'PATCH', `/api/tasks/${taskId}`, body, {
    'if-match': current.headers.etag as string,
  });
}

type Expectation = number | readonly [number, string];
interface Operation {
  name: string;
  run(as: SignedInUser): Promise<{ statusCode: number; json(): { code?: string } }>;
  expect: Record<ActorName, Expectation>;
}

const NOT_VISIBLE = {
  removed: [404, 'board_not_found'],
  outsider: [404, 'board_not_found'],
} as const;
const TASK_NOT_VISIBLE = {
  removed: [404, 'task_not_found'],
  outsider: [404, 'task_not_found'],
} as const;
const doneColumn = () => fixture.columns.find((column) => column.isDone)?.id as string;
const inProgress = () => fixture.columns[1]?.id as string;

const OPERATIONS: Operation[] = [
  {
    name: 'read the board',
    run: (as) => call(app, as, 'GET', `/api/boards/${fixture.board.id}`),
    expect: { admin: 200, supervisor: 200, pic: 200, member: 200, viewer: 200, ...NOT_VISIBLE },
  },
  {
    name: 'read a task',
    run: async (as) => call(app, as, 'GET', `/api/tasks/${(await freshTask()).id}`),
    expect: {
      admin: 200,
      supervisor: 200,
      pic: 200,
      member: 200,
      viewer: 200,
      ...TASK_NOT_VISIBLE,
    },
  },
  {
    name: 'edit content',
    run: async (as) => patch(as, (await freshTask()).id, { content: 'New **content**' }),
    expect: {
      admin: 200,
      supervisor: 200,
      pic: 200,
      member: [403, 'task_not_yours'],
      viewer: [403, 'board_read_only'],
      ...TASK_NOT_VISIBLE,
    },
  },
  {
    name: 'change the due date',
    run: async (as) => patch(as, (await freshTask()).id, { dueDate: '2026-12-24' }),
    expect: {
      admin: 200,
      supervisor: 200,
      pic: [403, 'task_field_forbidden'],
      member: [403, 'task_not_yours'],
      viewer: [403, 'board_read_only'],
      ...TASK_NOT_VISIBLE,
    },
  },
  {
    name: 'change the PIC',
    run: async (as) => patch(as, (await freshTask()).id, { picId: people.member?.id }),
    expect: {
      admin: 200,
      supervisor: 200,
      pic: [403, 'task_field_forbidden'],
      member: [403, 'task_not_yours'],
      viewer: [403, 'board_read_only'],
      ...TASK_NOT_VISIBLE,
    },
  },
  {
    name: 'archive a task',
    run: async (as) => patch(as, (await freshTask()).id, { archived: true }),
    expect: {
      admin: 200,
      supervisor: 200,
      pic: [403, 'task_field_forbidden'],
      member: [403, 'task_not_yours'],
      viewer: [403, 'board_read_only'],
      ...TASK_NOT_VISIBLE,
    },
  },
  {
    name: 'move to In progress',
    run: async (as) =>
      call(app, as, 'POST', `/api/tasks/${(await freshTask()).id}/move`, {
        columnId: inProgress(),
      }),
    expect: {
      admin: 200,
      supervisor: 200,
      pic: 200,
      member: [403, 'task_not_yours'],
      viewer: [403, 'board_read_only'],
      ...TASK_NOT_VISIBLE,
    },
  },
  {
    name: 'move into a supervisors-only column',
    run: async (as) =>
      call(app, as, 'POST', `/api/tasks/${(await freshTask()).id}/move`, {
        columnId: doneColumn(),
      }),
    expect: {
      admin: 200,
      supervisor: 200,
      pic: [403, 'column_supervisors_only'],
      member: [403, 'task_not_yours'],
      viewer: [403, 'board_read_only'],
      ...TASK_NOT_VISIBLE,
    },
  },
  {
    name: 'add a checklist item',
    run: async (as) =>
      call(app, as, 'POST', `/api/tasks/${(await freshTask()).id}/checklist`, { text: 'Step' }),
    expect: {
      admin: 201,
      supervisor: 201,
      pic: 201,
      member: [403, 'task_not_yours'],
      viewer: [403, 'board_read_only'],
      ...TASK_NOT_VISIBLE,
    },
  },
  {
    name: 'create a task',
    run: (as) => call(app, as, 'POST', `/api/boards/${fixture.board.id}/tasks`, { title: 'Mine' }),
    expect: {
      admin: 201,
      supervisor: 201,
      pic: 201,
      member: 201,
      viewer: [403, 'board_read_only'],
      ...NOT_VISIBLE,
    },
  },
  {
    name: 'create a task with a due date',
    run: (as) =>
      call(app, as, 'POST', `/api/boards/${fixture.board.id}/tasks`, {
        title: 'Dated',
        dueDate: '2027-01-01',
      }),
    expect: {
      admin: 201,
      supervisor: 201,
      pic: [403, 'task_field_forbidden'],
      member: [403, 'task_field_forbidden'],
      viewer: [403, 'board_read_only'],
      ...NOT_VISIBLE,
    },
  },
  {
    name: 'change board settings',
    run: (as) =>
      call(app, as, 'PATCH', `/api/boards/${fixture.board.id}`, { description: 'Changed' }),
    expect: {
      admin: 200,
      supervisor: 200,
      pic: [403, 'board_supervisor_required'],
      member: [403, 'board_supervisor_required'],
      viewer: [403, 'board_supervisor_required'],
      ...NOT_VISIBLE,
    },
  },
  {
    name: 'add a column',
    run: (as) =>
      call(app, as, 'POST', `/api/boards/${fixture.board.id}/columns`, { name: 'Extra' }),
    expect: {
      admin: 201,
      supervisor: 201,
      pic: [403, 'board_supervisor_required'],
      member: [403, 'board_supervisor_required'],
      viewer: [403, 'board_supervisor_required'],
      ...NOT_VISIBLE,
    },
  },
  {
    name: 'read the board activity',
    run: (as) => call(app, as, 'GET', `/api/boards/${fixture.board.id}/activity`),
    expect: { admin: 200, supervisor: 200, pic: 200, member: 200, viewer: 200, ...NOT_VISIBLE },
  },
];

describe('tasks permissions (role × operation)', () => {
  beforeAll(async () => {
    const done = await call(
      app,
      fixture.supervisor,
      'PATCH',
      `/api/boards/${fixture.board.id}/columns/${doneColumn()}`,
      { supervisorsOnlyMoveIn: true },
    );
    expect(done.statusCode).toBe(200);
  });

  for (const operation of OPERATIONS) {
    it(operation.name, async () => {
      const seen: Record<string, unknown> = {};
      const wanted: Record<string, unknown> = {};
      for (const actor of ACTORS) {
        const response = await operation.run(people[actor] as SignedInUser);
        const expectation = operation.expect[actor];
        const [status, code] = Array.isArray(expectation) ? expectation : [expectation, undefined];
        seen[actor] = code ? [response.statusCode, response.json().code] : response.statusCode;
        wanted[actor] = code ? [status, code] : status;
      }
      expect(seen).toEqual(wanted);
    });
  }

  it('a refused field change writes nothing: the task, its version and its activity stay', async () => {
    const task = await freshTask();
    const before = await ctx.deps.db.activity.count({ where: { taskId: task.id } });
    const refused = await patch(people.pic as SignedInUser, task.id, {
      content: 'allowed',
      dueDate: '2027-02-02',
    });
    expect(refused.statusCode).toBe(403);
    expect(refused.json().errors).toEqual([
      { field: '/body/dueDate', message: 'may be changed only by a board supervisor' },
    ]);
    const after = await ctx.deps.db.task.findUniqueOrThrow({ where: { id: task.id } });
    expect(after).toMatchObject({ content: '', version: task.version, dueDate: null });
    expect(await ctx.deps.db.activity.count({ where: { taskId: task.id } })).toBe(before);
  });

  it('a member who files a task becomes its PIC and its reporter', async () => {
    const filed = await call(app, people.member, 'POST', `/api/boards/${fixture.board.id}/tasks`, {
      title: 'Filed by a member',
    });
    expect(filed.json()).toMatchObject({ picId: people.member?.id, reporterId: people.member?.id });
  });

  it('global roles decide who creates boards; TASKS_BOARD_CREATORS widens it', async () => {
    const plain = await createSignedInUser(app, ctx);
    const refused = await call(app, plain, 'POST', '/api/boards', {
      key: uniqueBoardKey(),
      name: 'No',
    });
    expect(refused.statusCode).toBe(403);
    expect(refused.json().code).toBe('board_creation_forbidden');
    const open = await ctx.buildApp({
      AUTH_AUTO_VERIFY: 'true',
      TASKS_BOARD_CREATORS: 'admin,supervisor,member',
    });
    const allowed = await call(open, plain, 'POST', '/api/boards', {
      key: uniqueBoardKey(),
      name: 'Yes',
    });
    expect(allowed.statusCode).toBe(201);
    expect(allowed.json().myRole).toBe('supervisor');
  });

  it('keeps one supervisor, and a removed member who is added again gets their role back', async () => {
    const last = await call(
      app,
      fixture.supervisor,
      'DELETE',
      `/api/boards/${fixture.board.id}/members/${fixture.supervisor.id}`,
    );
    expect(last.statusCode).toBe(409);
    expect(last.json().code).toBe('last_supervisor');
    await addMember(app, fixture, people.removed as SignedInUser, 'viewer');
    const read = await call(app, people.removed, 'GET', `/api/boards/${fixture.board.id}`);
    expect(read.json().board.myRole).toBe('viewer');
    const removedAgain = await call(
      app,
      fixture.supervisor,
      'DELETE',
      `/api/boards/${fixture.board.id}/members/${people.removed?.id}`,
    );
    expect(removedAgain.statusCode).toBe(204);
    const types = (
      await ctx.deps.db.activity.findMany({
        where: { boardId: fixture.board.id, type: { in: ['member_added', 'member_removed'] } },
        orderBy: { id: 'asc' },
        select: { type: true, changes: true },
      })
    )
      .filter((row) => (row.changes as { userId?: string }).userId === people.removed?.id)
      .map((row) => row.type);
    expect(types).toEqual(['member_added', 'member_removed', 'member_added', 'member_removed']);
  });

  it('refuses every route without a token', async () => {
    for (const [method, url] of [
      ['GET', '/api/boards'],
      ['POST', '/api/boards'],
      ['GET', `/api/boards/${fixture.board.id}`],
      ['GET', `/api/tasks/${fixture.board.id}`],
      ['POST', `/api/tasks/${fixture.board.id}/move`],
    ] as const) {
      const response = await call(app, undefined, method, url, method === 'POST' ? {} : undefined);
      expect(response.statusCode, url).toBe(401);
    }
  });
});
