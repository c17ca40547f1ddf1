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
let member: SignedInUser;

beforeAll(async () => {
  app = await ctx.buildApp({ AUTH_AUTO_VERIFY: 'true' });
  fixture = await createBoard(app, ctx);
  member = await createSignedInUser(app, ctx);
  await addMember(app, fixture, member, 'member');
  const label = (
    await call(app, fixture.supervisor, 'POST', `/api/boards/${fixture.board.id}/labels`, {
      name: '버그',
      color: '#cc0000',
    })
  ).json();
  const first = await createTask(app, fixture, {
    title: '=SUM(A1) 로그인 개선',
    content: 'Line one\nline "two", with a comma',
    picId: member.id,
    assigneeIds: [fixture.supervisor.id],
    labelIds: [label.id],
    priority: 'high',
    startDate: '2027-01-01',
    dueDate: '2027-01-15',
  });
  await call(app, fixture.supervisor, 'POST', `/api/tasks/${first.id}/checklist`, {
    text: 'Design',
  });
  await call(app, fixture.supervisor, 'POST', `/api/tasks/${first.id}/comments`, {
    content: 'Looks good',
  });
  const second = await createTask(app, fixture, {
    title: 'Second',
    columnId: fixture.columns[2]?.id,
  });
  await call(
    app,
    fixture.supervisor,
    'PATCH',
    `/api/tasks/${second.id}`,
    { archived: true },
    { 'if-match': '"1"' },
  );
  await createTask(app, fixture, { title: 'Third' });
});

/** A file without what differs between boards (ids, key, export time). */
function comparable(
  file: Record<string, unknown> & {
    columns: { ref: string }[];
    labels: { ref: string }[];
    tasks: { columnRef: string; labelRefs: string[] }[];
  },
) {
  const columns = new Map(file.columns.map((column, index) => [column.ref, index]));
  const labels = new Map(file.labels.map((label, index) => [label.ref, index]));
  return {
    ...file,
    exportedAt: undefined,
    board: { ...(file.board as object), key: undefined },
    columns: file.columns.map((column) => ({ ...column, ref: undefined })),
    labels: file.labels.map((label) => ({ ...label, ref: undefined })),
    tasks: file.tasks.map((task) => ({
      ...task,
      columnRef: columns.get(task.columnRef),
      labelRefs: task.labelRefs.map((ref) => labels.get(ref)),
    })),
  };
}

const TRELLO = {
  name: 'Trello board',
  desc: 'From Trello',
  lists: [
    { id: 'l2', name: 'Done', closed: false, pos: 200 },
    { id: 'l1', name: 'Backlog', closed: false, pos: 100 },
    { id: 'l3', name: 'Old', closed: true, pos: 300 },
  ],
  labels: [
    { id: 'g', name: '', color: 'green' },
    { id: 'r', name: 'Urgent', color: 'red' },
  ],
  cards: [
    {
      id: 'c2',
      name: 'Second card',
      desc: '',
      idList: 'l1',
      closed: false,
      pos: 2,
      due: null,
      idLabels: [],
    },
    {
      id: 'c1',
      name: 'First card',
      desc: 'Some **markdown**',
      idList: 'l1',
      closed: false,
      pos: 1,
      due: '2027-03-04T12:00:00.000Z',
      idLabels: ['g', 'r'],
    },
    {
      id: 'c3',
      name: 'Shipped',
      desc: '',
      idList: 'l2',
      closed: true,
      pos: 1,
      due: null,
      idLabels: [],
    },
    {
      id: 'c4',
      name: 'In a closed list',
      desc: '',
      idList: 'l3',
      closed: false,
      pos: 1,
      due: null,
      idLabels: [],
    },
  ],
  checklists: [
    {
      id: 'k1',
      idCard: 'c1',
      pos: 1,
      checkItems: [
        { name: 'b', state: 'incomplete', pos: 2 },
        { name: 'a', state: 'complete', pos: 1 },
      ],
    },
  ],
  actions: [
    {
      type: 'commentCard',
      date: '2026-01-02T00:00:00.000Z',
      data: { text: 'Second comment', card: { id: 'c1' } },
      memberCreator: { fullName: 'Kim' },
    },
    {
      type: 'commentCard',
      date: '2026-01-01T00:00:00.000Z',
      data: { text: 'First comment', card: { id: 'c1' } },
      memberCreator: { fullName: 'Lee' },
    },
    { type: 'updateCard', date: '2026-01-03T00:00:00.000Z', data: { card: { id: 'c1' } } },
  ],
};

function importBoard(body: object, as: SignedInUser = fixture.supervisor) {
  return call(app, as, 'POST', '/api/boards/import', body);
}

describe('board export and import', () => {
  it('exports a complete file that re-imports into the same board', async () => {
    const exported = await call(app, member, 'GET', `/api/boards/${fixture.board.id}/export`);
    expect(exported.statusCode).toBe(200);
    const file = exported.json();
    expect(file).toMatchObject({ format: 'homeport-board', version: 1 });
    expect(file.tasks).toHaveLength(3);
    expect(file.tasks[0]).toMatchObject({
      picEmail: member.email,
      assigneeEmails: [fixture.supervisor.email],
      checklist: [{ text: 'Design', done: false }],
      comments: [
        expect.objectContaining({ author: fixture.supervisor.email, content: 'Looks good' }),
      ],
    });
    const key = uniqueBoardKey();
    const imported = await importBoard({ source: 'homeport', key, data: file });
    expect(imported.statusCode, imported.body).toBe(201);
    expect(imported.json()).toMatchObject({ tasks: 3, skippedMembers: [] });
    const again = (
      await call(app, fixture.supervisor, 'GET', `/api/boards/${imported.json().boardId}/export`)
    ).json();
    expect(again.board.key).toBe(key);
    expect(comparable(again)).toEqual(comparable(file));
    const view = (await call(app, member, 'GET', `/api/boards/${imported.json().boardId}`)).json();
    expect(view.board.myRole).toBe('member');
  });

  it('exports CSV with one row per task, quoting and formula-escaping cells', async () => {
    const response = await call(
      app,
      fixture.supervisor,
      'GET',
      `/api/boards/${fixture.board.id}/export.csv`,
    );
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toContain('text/csv');
    const text = response.body.replace(/^\uFEFF/, '');
    expect(text.split('\r\n')[0]).toBe(
      'key,title,column,pic,assignees,labels,priority,start_date,due_date,archived,checklist_done,checklist_total,content',
    );
    expect(text).toContain(
      `${fixture.board.key}-1,'=SUM(A1) 로그인 개선,To do,${member.email},${fixture.supervisor.email},버그,high,2027-01-01,2027-01-15,false,0,1,"Line one\nline ""two"", with a comma"`,
    );
    expect(text.trim().split('\r\n')).toHaveLength(4);
  });

  it('imports a Trello board: open lists, cards with labels, checklists, due dates and comments', async () => {
    const response = await importBoard({ source: 'trello', key: uniqueBoardKey(), data: TRELLO });
    expect(response.statusCode, response.body).toBe(201);
    const file = (
      await call(app, fixture.supervisor, 'GET', `/api/boards/${response.json().boardId}/export`)
    ).json();
    expect(file.board).toMatchObject({ name: 'Trello board', description: 'From Trello' });
    expect(
      file.columns.map((column: { name: string; isDone: boolean }) => [column.name, column.isDone]),
    ).toEqual([
      ['Backlog', false],
      ['Done', true],
    ]);
    expect(
      file.labels.map((label: { name: string; color: string }) => [label.name, label.color]).sort(),
    ).toEqual([
      ['Urgent', '#eb5a46'],
      ['green', '#61bd4f'],
    ]);
    const byTitle = new Map(file.tasks.map((task: { title: string }) => [task.title, task]));
    expect(byTitle.get('First card')).toMatchObject({
      content: 'Some **markdown**',
      dueDate: '2027-03-04',
      archived: false,
      checklist: [
        { text: 'a', done: true },
        { text: 'b', done: false },
      ],
      comments: [
        expect.objectContaining({ author: 'Lee', content: 'First comment' }),
        expect.objectContaining({ author: 'Kim', content: 'Second comment' }),
      ],
    });
    expect((byTitle.get('First card') as { labelRefs: string[] }).labelRefs).toHaveLength(2);
    expect(byTitle.get('Shipped')).toMatchObject({ archived: true });
    expect(byTitle.get('In a closed list')).toMatchObject({ archived: true });
    // Backlog order by Trello position: First card before Second card.
    const backlog = file.tasks.filter(
      (task: { columnRef: string }) => task.columnRef === file.columns[0].ref,
    );
    expect(backlog.map((task: { title: string }) => task.title)).toEqual([
      'First card',
      'Second card',
      'In a closed list',
    ]);
  });

  it('refuses bad files with a 4xx naming what is wrong, and stores nothing', async () => {
    const boards = await ctx.deps.db.board.count();
    const cases: { body: object; status: number; code: string; field?: string }[] = [
      {
        body: { source: 'trello', key: uniqueBoardKey(), data: { name: 'x' } },
        status: 422,
        code: 'invalid_import',
        field: '/body/data',
      },
      {
        body: { source: 'trello', key: uniqueBoardKey(), data: { ...TRELLO, lists: 'nope' } },
        status: 422,
        code: 'invalid_import',
        field: '/body/data/lists',
      },
      {
        body: { source: 'homeport', key: uniqueBoardKey(), data: [] },
        status: 422,
        code: 'invalid_import',
        field: '/body/data',
      },
      {
        body: { source: 'csv', key: uniqueBoardKey(), data: {} },
        status: 400,
        code: 'validation_failed',
        field: '/body/source',
      },
      {
        body: { source: 'trello', key: 'bad key', data: TRELLO },
        status: 400,
        code: 'validation_failed',
        field: '/body/key',
      },
      {
        body: { source: 'trello', key: fixture.board.key, data: TRELLO },
        status: 409,
        code: 'board_key_taken',
      },
    ];
    const exported = (
      await call(app, fixture.supervisor, 'GET', `/api/boards/${fixture.board.id}/export`)
    ).json();
    const broken = structuredClone(exported);
    broken.tasks[1].columnRef = 'no-such-column';
    cases.push({
      body: { source: 'homeport', key: uniqueBoardKey(), data: broken },
      status: 422,
      code: 'invalid_import',
      field: '/body/data/tasks/1/columnRef',
    });
    for (const { body, status, code, field } of cases) {
      const response = await importBoard(body);
      expect(response.statusCode, response.body).toBe(status);
      expect(response.json().code).toBe(code);
      if (field) {
        expect(
          response.json().errors.map((error: { field: string }) => error.field),
          response.body,
        ).toContainEqual(expect.stringMatching(new RegExp(`^${field}`)));
      }
    }
    const plain = await createSignedInUser(app, ctx);
    expect(
      (await importBoard({ source: 'trello', key: uniqueBoardKey(), data: TRELLO }, plain))
        .statusCode,
    ).toBe(403);
    expect(await ctx.deps.db.board.count()).toBe(boards);
  });

  it('is all or nothing: a failure while storing comments leaves no board, task or label behind', async () => {
    await ctx.deps.db.$executeRawUnsafe(`
      CREATE OR REPLACE FUNCTION test_fail_comment() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION 'comment insert failed'; END $$`);
    await ctx.deps.db.$executeRawUnsafe(
      'CREATE TRIGGER test_fail_comment BEFORE INSERT ON task_comments FOR EACH ROW EXECUTE FUNCTION test_fail_comment()',
    );
    const key = uniqueBoardKey();
    try {
      const failed = await importBoard({ source: 'trello', key, data: TRELLO });
      expect(failed.statusCode).toBe(500);
    } finally {
      await ctx.deps.db.$executeRawUnsafe('DROP TRIGGER test_fail_comment ON task_comments');
    }
    expect(await ctx.deps.db.board.count({ where: { key } })).toBe(0);
    expect(await ctx.deps.db.task.count({ where: { title: 'Shipped', board: { key } } })).toBe(0);
    expect((await importBoard({ source: 'trello', key, data: TRELLO })).statusCode).toBe(201);
  });
});
