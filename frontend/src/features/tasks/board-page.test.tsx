import { screen, waitFor, within } from '@testing-library/react';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { createConfirmedUser, signInAs, type TestUser, uniqueEmail } from '../../../test/accounts';
import { grantRoles, signedInWithRoles, testDatabase } from '../../../test/database';
import { renderApp } from '../../../test/render-app';
import { apiClient } from '../../lib/api-client';
import { activateLocale } from '../../lib/i18n';
import { dataOrThrow } from '../../lib/problem';
import { createBoard } from './api/create-board';
import { createTask } from './api/create-task';
import { type BoardView, getBoard } from './api/get-board';
import { todayIn } from './lib/due';

afterAll(() => testDatabase.$disconnect());

function uniqueKey() {
  return `B${crypto.getRandomValues(new Uint32Array(1))[0]}`.slice(0, 10);
}

function daysFromToday(days: number) {
  const date = new Date(`${todayIn()}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}

async function patchColumn(boardId: string, columnId: string, body: Record<string, unknown>) {
  dataOrThrow(
    await apiClient.PATCH('/api/boards/{boardId}/columns/{columnId}', {
      params: { path: { boardId, columnId } },
      body,
    }),
  );
}

async function taskColumn(taskId: string) {
  const task = dataOrThrow(
    await apiClient.GET('/api/tasks/{taskId}', { params: { path: { taskId } } }),
  );
  return task.columnId;
}

function column(view: BoardView, name: string) {
  const found = view.columns.find((c) => c.name === name);
  if (!found) throw new Error(`no column ${name}`);
  return found;
}

/** The cards shown under a column's heading, by their accessible name. */
function cardsIn(name: string) {
  return within(screen.getByRole('list', { name }))
    .queryAllByRole('article')
    .map((card) => card.getAttribute('aria-label'));
}

describe('boards and the board view against the real API', () => {
  let supervisor: TestUser & { id: string };
  let view: BoardView;

  beforeEach(async () => {
    supervisor = await signedInWithRoles(['member', 'supervisor']);
    const board = await createBoard({ key: uniqueKey(), name: 'Harbour works' });
    view = await getBoard(board.id);
  });

  it('lists my boards without the archived ones and creates a board', async () => {
    const archived = await createBoard({ key: uniqueKey(), name: 'Old pier' });
    dataOrThrow(
      await apiClient.PATCH('/api/boards/{boardId}', {
        params: { path: { boardId: archived.id } },
        body: { archived: true },
      }),
    );
    const { user, router } = renderApp('/boards');
    expect(await screen.findByRole('link', { name: /Harbour works/ })).toBeInTheDocument();
    expect(screen.queryByRole('link', { name: /Old pier/ })).not.toBeInTheDocument();

    await user.type(screen.getByLabelText('Name'), 'Lighthouse');
    await user.type(screen.getByLabelText('Key'), '1x');
    await user.click(screen.getByRole('button', { name: 'Create board' }));
    // The client's check: nothing is sent, the message is at the field.
    expect(await screen.findByText(/Use 2–10 capital letters/)).toBeInTheDocument();

    const key = uniqueKey();
    await user.clear(screen.getByLabelText('Key'));
    await user.type(screen.getByLabelText('Key'), key.toLowerCase());
    await user.click(screen.getByRole('button', { name: 'Create board' }));
    expect(
      await screen.findByRole('heading', { level: 1, name: 'Lighthouse' }),
    ).toBeInTheDocument();
    expect(router.state.location.pathname).toBe(`/boards/${key}`);
    expect(screen.getByRole('list', { name: 'To do' })).toBeInTheDocument();
  });

  it('shows columns, cards with their details and the over-limit state, and adds a task', async () => {
    const todo = column(view, 'To do');
    await patchColumn(view.board.id, todo.id, { wipLimit: 1 });
    const label = dataOrThrow(
      await apiClient.POST('/api/boards/{boardId}/labels', {
        params: { path: { boardId: view.board.id } },
        body: { name: 'Urgent fix', color: '#cc0000' },
      }),
    );
    const first = await createTask({ boardId: view.board.id, columnId: todo.id, title: 'Paint' });
    dataOrThrow(
      await apiClient.PATCH('/api/tasks/{taskId}', {
        params: { path: { taskId: first.id } },
        headers: { 'if-match': `"${first.version}"` },
        body: { labelIds: [label.id], dueDate: daysFromToday(-1), picId: supervisor.id },
      }),
    );
    await createTask({ boardId: view.board.id, columnId: todo.id, title: 'Sand' });

    const { user } = renderApp(`/boards/${view.board.key}`);
    expect(await screen.findByRole('heading', { level: 1, name: 'Harbour works' })).toBeVisible();
    expect(cardsIn('To do')).toEqual([`${first.key} Paint`, `${view.board.key}-2 Sand`]);
    const todoColumn = screen.getByRole('listitem', { name: 'To do' });
    expect(within(todoColumn).getByText('Over limit')).toBeInTheDocument();
    expect(within(todoColumn).getByText('2 open tasks, WIP limit 1')).toBeInTheDocument();
    expect(
      within(screen.getByRole('listitem', { name: 'In progress' })).queryByText('Over limit'),
    ).not.toBeInTheDocument();

    const card = screen.getByRole('article', { name: `${first.key} Paint` });
    expect(within(card).getByText('Urgent fix')).toBeInTheDocument();
    expect(within(card).getByText(/^Overdue: was due/)).toBeInTheDocument();
    expect(card.querySelector('.task-card__due--overdue')).not.toBeNull();
    expect(within(card).getByText(`Person in charge: ${supervisor.email}`)).toBeInTheDocument();
    expect(within(card).getByRole('link', { name: 'Paint' })).toHaveAttribute(
      'href',
      `/boards/${view.board.key}/tasks/${first.number}`,
    );

    await user.type(screen.getByLabelText('Add a task to In progress'), 'Varnish{Enter}');
    await waitFor(() => expect(cardsIn('In progress')).toEqual([`${view.board.key}-3 Varnish`]));
    const after = await getBoard(view.board.id);
    expect(column(after, 'In progress').tasks.items.map((t) => t.title)).toEqual(['Varnish']);
  });

  it('shows a change made elsewhere without a reload, with the live indicator on', async () => {
    const todo = column(view, 'To do');
    renderApp(`/boards/${view.board.key}`);
    await waitFor(() => expect(screen.getByText('Live')).toBeInTheDocument(), { timeout: 10_000 });
    // Written through the API, not the page: only the board's event stream can bring it here.
    await createTask({ boardId: view.board.id, columnId: todo.id, title: 'Arrived live' });
    await waitFor(() => expect(screen.getByText('Arrived live')).toBeInTheDocument(), {
      timeout: 10_000,
    });
  });

  it('moves a card with the keyboard (space, arrow, space) and the server has it in the new column', async () => {
    const todo = column(view, 'To do');
    const task = await createTask({ boardId: view.board.id, columnId: todo.id, title: 'Caulk' });
    const { user } = renderApp(`/boards/${view.board.key}`);
    const handle = await screen.findByRole('button', { name: `Move ${task.key}` });

    handle.focus();
    await user.keyboard(' ');
    expect(await screen.findByText(/Picked up/)).toBeInTheDocument();
    await user.keyboard('{ArrowRight}');
    expect(screen.getByText('In progress, position 1 of 1.')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: `Move ${task.key}` })).toHaveFocus();
    await user.keyboard(' ');

    expect(cardsIn('In progress')).toEqual([`${task.key} Caulk`]);
    expect(cardsIn('To do')).toEqual([]);
    const inProgress = column(view, 'In progress').id;
    await waitFor(async () => expect(await taskColumn(task.id)).toBe(inProgress));

    // Escape puts a picked-up card back, and nothing is sent.
    screen.getByRole('button', { name: `Move ${task.key}` }).focus();
    await user.keyboard(' {ArrowLeft}{Escape}');
    expect(cardsIn('In progress')).toEqual([`${task.key} Caulk`]);
    expect(await taskColumn(task.id)).toBe(inProgress);
  });

  it("rolls a refused move back with the server's reason, and disables cards a member may not move", async () => {
    const review = column(view, 'Review');
    await patchColumn(view.board.id, review.id, { supervisorsOnlyMoveIn: true });
    const others = await createTask({ boardId: view.board.id, title: 'Supervisor task' });
    const member: TestUser = await createConfirmedUser();
    dataOrThrow(
      await apiClient.POST('/api/boards/{boardId}/members', {
        params: { path: { boardId: view.board.id } },
        body: { email: member.email, role: 'member' },
      }),
    );
    await signInAs(member);
    const mine = await createTask({ boardId: view.board.id, title: 'My task' });

    const { user } = renderApp(`/boards/${view.board.key}`);
    expect(await screen.findByRole('button', { name: `Move ${others.key}` })).toHaveAttribute(
      'aria-disabled',
      'true',
    );
    screen.getByRole('button', { name: `Move ${mine.key}` }).focus();
    await user.keyboard(' {ArrowRight}{ArrowRight} ');

    expect(
      await screen.findByText(new RegExp(`^${mine.key} could not be moved and is back in place`)),
    ).toBeInTheDocument();
    expect(screen.getByRole('alert')).toBeInTheDocument();
    expect(cardsIn('To do')).toEqual([`${others.key} Supervisor task`, `${mine.key} My task`]);
    expect(cardsIn('Review')).toEqual([]);
    expect(await taskColumn(mine.id)).toBe(column(view, 'To do').id);
  });

  it('filters the cards, keeps the filters in the URL and groups the results by column', async () => {
    const todo = column(view, 'To do');
    const done = column(view, 'Done');
    const needle = await createTask({
      boardId: view.board.id,
      columnId: done.id,
      title: 'Replace the needle valve',
    });
    await createTask({ boardId: view.board.id, columnId: todo.id, title: 'Polish brass' });
    const dated = await createTask({
      boardId: view.board.id,
      columnId: todo.id,
      title: 'Check needle gauge',
    });
    dataOrThrow(
      await apiClient.PATCH('/api/tasks/{taskId}', {
        params: { path: { taskId: dated.id } },
        headers: { 'if-match': `"${dated.version}"` },
        body: { dueDate: daysFromToday(-3) },
      }),
    );

    const { user, router } = renderApp(`/boards/${view.board.key}`);
    await screen.findByRole('list', { name: 'To do' });
    await user.type(screen.getByLabelText('Search'), 'needle');

    expect(await screen.findByText('2 tasks found')).toBeInTheDocument();
    expect(router.state.location.search).toBe('?q=needle');
    expect(cardsIn('Done')).toEqual([`${needle.key} Replace the needle valve`]);
    expect(cardsIn('To do')).toEqual([`${dated.key} Check needle gauge`]);
    expect(screen.queryByRole('list', { name: 'In progress' })).not.toBeInTheDocument();

    await user.selectOptions(screen.getByLabelText('Due'), 'Overdue');
    expect(await screen.findByText('1 task found')).toBeInTheDocument();
    expect(new URLSearchParams(router.state.location.search).get('due')).toBe('overdue');
    expect(screen.queryByRole('list', { name: 'Done' })).not.toBeInTheDocument();

    await user.click(screen.getByRole('button', { name: 'Clear filters' }));
    expect(await screen.findByRole('button', { name: `Move ${needle.key}` })).toBeInTheDocument();
    expect(router.state.location.search).toBe('');
  });

  it('opens a shared filtered link with the filters applied', async () => {
    await createTask({ boardId: view.board.id, title: 'Archived rope' }).then(async (task) =>
      dataOrThrow(
        await apiClient.PATCH('/api/tasks/{taskId}', {
          params: { path: { taskId: task.id } },
          headers: { 'if-match': `"${task.version}"` },
          body: { archived: true },
        }),
      ),
    );
    await createTask({ boardId: view.board.id, title: 'Open rope' });
    renderApp(`/boards/${view.board.key}?q=rope&archived=1`);
    expect(await screen.findByText('1 task found')).toBeInTheDocument();
    expect(screen.getByLabelText('Show archived')).toBeChecked();
    expect(screen.getByLabelText('Search')).toHaveValue('rope');
    expect(cardsIn('To do')).toEqual([expect.stringMatching(/Archived rope$/)]);
  });

  it('shows a long column a page at a time, the next page on request', async () => {
    const todo = column(view, 'To do');
    // Straight into the database: this is about reading 52 cards, not creating them.
    await testDatabase.task.createMany({
      data: Array.from({ length: 52 }, (_, index) => ({
        boardId: view.board.id,
        columnId: todo.id,
        rank: `a${String(index).padStart(3, '0')}`,
        number: 1000 + index,
        title: `Crate ${index}`,
      })),
    });
    const { user } = renderApp(`/boards/${view.board.key}`);
    await screen.findByRole('list', { name: 'To do' });
    expect(cardsIn('To do')).toHaveLength(50);
    expect(
      within(screen.getByRole('listitem', { name: 'To do' })).getByText('52 open tasks'),
    ).toBeInTheDocument();

    await user.click(screen.getByRole('button', { name: 'Show more (2)' }));
    await waitFor(() => expect(cardsIn('To do')).toHaveLength(52));
    expect(cardsIn('To do').at(-1)).toBe(`${view.board.key}-1051 Crate 51`);
    expect(screen.queryByRole('button', { name: /Show more/ })).not.toBeInTheDocument();
  });

  it('moves a column with the keyboard, and only supervisors get the column handles', async () => {
    const { user, unmount } = renderApp(`/boards/${view.board.key}`);
    const handle = await screen.findByRole('button', { name: 'Move column Done' });
    handle.focus();
    await user.keyboard(' {ArrowLeft}{ArrowLeft}');
    expect(screen.getByText('Column 2 of 4.')).toBeInTheDocument();
    await user.keyboard(' ');
    const names = () =>
      within(screen.getByRole('list', { name: 'Columns' }))
        .getAllByRole('heading', { level: 2 })
        .map((heading) => heading.textContent);
    expect(names()).toEqual(['To do', 'Done', 'In progress', 'Review']);
    await waitFor(async () => {
      const columns = dataOrThrow(
        await apiClient.GET('/api/boards/{boardId}/columns', {
          params: { path: { boardId: view.board.id } },
        }),
      );
      expect(columns.map((c) => c.name)).toEqual(['To do', 'Done', 'In progress', 'Review']);
    });
    unmount();

    const member: TestUser = await createConfirmedUser();
    dataOrThrow(
      await apiClient.POST('/api/boards/{boardId}/members', {
        params: { path: { boardId: view.board.id } },
        body: { email: member.email, role: 'member' },
      }),
    );
    await signInAs(member);
    renderApp(`/boards/${view.board.key}`);
    await screen.findByRole('list', { name: 'To do' });
    expect(screen.queryByRole('button', { name: /^Move column/ })).not.toBeInTheDocument();
  });
});

describe('the board in Korean', () => {
  beforeEach(async () => {
    await activateLocale('ko');
    // A Korean profile: the signed-in language follows it.
    const person = await createConfirmedUser(uniqueEmail(), 'ko');
    await grantRoles(person.email, ['member', 'supervisor']);
    await signInAs(person);
  });

  it('names columns, limits and moves in Korean', async () => {
    const board = await createBoard({ key: uniqueKey(), name: '항만 공사' });
    const view = await getBoard(board.id);
    const todo = column(view, 'To do');
    await patchColumn(board.id, todo.id, { wipLimit: 1 });
    const task = await createTask({ boardId: board.id, columnId: todo.id, title: '도색' });
    await createTask({ boardId: board.id, columnId: todo.id, title: '청소' });

    const { user } = renderApp(`/boards/${board.key}`);
    const handle = await screen.findByRole('button', { name: `${task.key} 옮기기` });
    expect(screen.getByText('한도 초과')).toBeInTheDocument();
    expect(screen.getByText('진행 중인 작업 2개, WIP 한도 1개')).toBeInTheDocument();
    handle.focus();
    await user.keyboard(' {ArrowRight}');
    expect(screen.getByText('In progress, 1개 중 1번째예요.')).toBeInTheDocument();
    await user.keyboard('{Escape}');
    expect(screen.getByText('이동을 취소했어요. 원래 자리로 돌아갔어요.')).toBeInTheDocument();
    await user.type(screen.getByLabelText('검색'), '도색');
    expect(await screen.findByText('작업 1개를 찾았어요')).toBeInTheDocument();
  });
});
