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
} from '../../../test/support/tasks.js';

const ctx = setupTestContext();
let app: FastifyInstance;
let fixture: BoardFixture;
let pic: SignedInUser;
let viewer: SignedInUser;

function isoDay(offsetDays: number): string {
  return new Date(Date.now() + offsetDays * 86_400_000).toISOString().slice(0, 10);
}

beforeAll(async () => {
  app = await ctx.buildApp({ AUTH_AUTO_VERIFY: 'true' });
  fixture = await createBoard(app, ctx);
  pic = await createSignedInUser(app, ctx);
  viewer = await createSignedInUser(app, ctx);
  await addMember(app, fixture, pic, 'member');
  await addMember(app, fixture, viewer, 'viewer');
});

async function search(query: string, as: SignedInUser = fixture.supervisor) {
  const response = await call(app, as, 'GET', `/api/boards/${fixture.board.id}/tasks?${query}`);
  expect(response.statusCode, response.body).toBe(200);
  return response
    .json()
    .items.map((card: { title: string }) => card.title)
    .sort();
}

describe('search, filters, my tasks and comments', () => {
  it('finds Korean and English substrings in titles, content and comments; filters combine', async () => {
    const label = (
      await call(app, fixture.supervisor, 'POST', `/api/boards/${fixture.board.id}/labels`, {
        name: 'UX',
        color: '#00aa00',
      })
    ).json();
    await createTask(app, fixture, {
      title: '로그인 화면 개선',
      picId: pic.id,
      labelIds: [label.id],
      dueDate: isoDay(-2),
    });
    await createTask(app, fixture, {
      title: 'Improve the sign-in page',
      content: '결제 모듈과 연동',
      dueDate: isoDay(0),
    });
    const third = await createTask(app, fixture, {
      title: 'Quarterly report',
      assigneeIds: [pic.id],
    });
    await call(app, fixture.supervisor, 'POST', `/api/tasks/${third.id}/comments`, {
      content: 'needs the 매출 chart',
    });
    await createTask(app, fixture, { title: '100% done_ish' });

    expect(await search(`q=${encodeURIComponent('화면')}`)).toEqual(['로그인 화면 개선']);
    expect(await search(`q=${encodeURIComponent('결제')}`)).toEqual(['Improve the sign-in page']);
    expect(await search(`q=${encodeURIComponent('매출')}`)).toEqual(['Quarterly report']);
    expect(await search('q=SIGN-IN')).toEqual(['Improve the sign-in page']);
    expect(await search(`q=${encodeURIComponent('0%')}`)).toEqual(['100% done_ish']);
    expect(await search(`pic=${pic.id}`)).toEqual(['로그인 화면 개선']);
    expect(await search(`assignee=${pic.id}`)).toEqual(['Quarterly report']);
    expect(await search(`label=${label.id}`)).toEqual(['로그인 화면 개선']);
    expect(await search('due=overdue')).toEqual(['로그인 화면 개선']);
    expect(await search('due=this_week&tz=UTC')).toContain('Improve the sign-in page');
    expect(await search('due=none')).toEqual(['100% done_ish', 'Quarterly report']);
    expect(await search(`column=${fixture.columns[1]?.id}`)).toEqual([]);
    expect(await search(`pic=${pic.id}&due=none`)).toEqual([]);

    const badZone = await call(
      app,
      fixture.supervisor,
      'GET',
      `/api/boards/${fixture.board.id}/tasks?tz=Mars/Olympus`,
    );
    expect(badZone.statusCode).toBe(400);
    expect(badZone.json().errors[0].field).toBe('/querystring/tz');
    const badDue = await call(
      app,
      fixture.supervisor,
      'GET',
      `/api/boards/${fixture.board.id}/tasks?due=soon`,
    );
    expect(badDue.statusCode).toBe(400);
  });

  it('pages search results by number without repeats and lists archived tasks only when asked', async () => {
    const board = await createBoard(app, ctx, fixture.supervisor);
    const ids = [];
    for (let index = 0; index < 5; index++)
      ids.push((await createTask(app, board, { title: `Page ${index}` })).id);
    await call(
      app,
      fixture.supervisor,
      'PATCH',
      `/api/tasks/${ids[4]}`,
      { archived: true },
      { 'if-match': '"1"' },
    );
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const query: string = cursor ? `limit=2&cursor=${cursor}` : 'limit=2';
      const page = (
        await call(app, fixture.supervisor, 'GET', `/api/boards/${board.board.id}/tasks?${query}`)
      ).json();
      seen.push(...page.items.map((card: { id: string }) => card.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual(ids.slice(0, 4));
    const archived = (
      await call(
        app,
        fixture.supervisor,
        'GET',
        `/api/boards/${board.board.id}/tasks?archived=true`,
      )
    ).json();
    expect(archived.items.map((card: { id: string }) => card.id)).toEqual([ids[4]]);
  });

  it('lists my tasks across boards by due date, and drops a board I was removed from', async () => {
    const other = await createBoard(app, ctx, fixture.supervisor);
    await addMember(app, other, pic, 'member');
    await createTask(app, other, { title: 'Elsewhere soon', picId: pic.id, dueDate: isoDay(1) });
    await createTask(app, other, {
      title: 'Elsewhere later',
      assigneeIds: [pic.id],
      dueDate: isoDay(30),
    });
    const mine = (await call(app, pic, 'GET', '/api/me/tasks?limit=100')).json();
    expect(mine.items.map((card: { title: string }) => card.title)).toEqual([
      '로그인 화면 개선',
      'Elsewhere soon',
      'Elsewhere later',
      'Quarterly report',
    ]);
    expect(mine.items[1]).toMatchObject({ boardId: other.board.id, key: `${other.board.key}-1` });
    const firstPage = (await call(app, pic, 'GET', '/api/me/tasks?limit=3')).json();
    const secondPage = (
      await call(app, pic, 'GET', `/api/me/tasks?limit=3&cursor=${firstPage.nextCursor}`)
    ).json();
    expect(
      [...firstPage.items, ...secondPage.items].map((card: { id: string }) => card.id),
    ).toEqual(mine.items.map((card: { id: string }) => card.id));
    await call(
      app,
      fixture.supervisor,
      'DELETE',
      `/api/boards/${other.board.id}/members/${pic.id}`,
    );
    const after = (await call(app, pic, 'GET', '/api/me/tasks')).json();
    expect(after.items.map((card: { title: string }) => card.title)).toEqual([
      '로그인 화면 개선',
      'Quarterly report',
    ]);
  });

  it('stores comments raw with resolved @mentions; authors edit, supervisors moderate, viewers only where allowed', async () => {
    const task = await createTask(app, fixture, { title: 'Discussed' });
    const local = pic.email.split('@')[0];
    const added = await call(app, viewer, 'POST', `/api/tasks/${task.id}/comments`, {
      content: 'hi',
    });
    expect(added.statusCode).toBe(403);
    expect(added.json().code).toBe('comments_forbidden');
    await call(app, fixture.supervisor, 'PATCH', `/api/boards/${fixture.board.id}`, {
      viewersCanComment: true,
    });
    const content = `Please check, @${local} and @${fixture.supervisor.email}; not @nobody. <script>x</script>`;
    const comment = await call(app, viewer, 'POST', `/api/tasks/${task.id}/comments`, { content });
    expect(comment.statusCode).toBe(201);
    expect(comment.json().content).toBe(content);
    expect(comment.json().mentions).toEqual([pic.id, fixture.supervisor.id].sort());

    const commentId = comment.json().id;
    const notYours = await call(app, pic, 'PATCH', `/api/tasks/${task.id}/comments/${commentId}`, {
      content: 'mine now',
    });
    expect(notYours.statusCode).toBe(403);
    const edited = await call(app, viewer, 'PATCH', `/api/tasks/${task.id}/comments/${commentId}`, {
      content: 'edited',
    });
    expect(edited.json()).toMatchObject({ content: 'edited', mentions: [] });
    expect(edited.json().editedAt).not.toBeNull();
    const moderated = await call(
      app,
      fixture.supervisor,
      'DELETE',
      `/api/tasks/${task.id}/comments/${commentId}`,
    );
    expect(moderated.statusCode).toBe(204);
    const list = (await call(app, pic, 'GET', `/api/tasks/${task.id}/comments`)).json();
    expect(list.items).toEqual([
      expect.objectContaining({ id: commentId, deleted: true, content: '' }),
    ]);
    const types = (await call(app, pic, 'GET', `/api/tasks/${task.id}/activity`))
      .json()
      .items.map((row: { type: string }) => row.type);
    expect(types.slice(0, 3)).toEqual(['comment_deleted', 'comment_edited', 'comment_added']);
  });
});
