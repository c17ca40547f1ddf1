import { screen, waitFor, within } from '@testing-library/react';
import { afterAll, beforeEach, describe, expect, inject, it } from 'vitest';
import {
  createConfirmedUser,
  signInAs,
  signInElsewhere,
  type TestUser,
  uniqueEmail,
} from '../../../test/accounts';
import { grantRoles, testDatabase } from '../../../test/database';
import { renderApp } from '../../../test/render-app';

/** A second API client: another person, with their own token, beside the page's session. */
interface OtherClient {
  id: string;
  call: (
    method: string,
    path: string,
    body?: unknown,
    headers?: Record<string, string>,
  ) => Promise<Response>;
  json: <T = Record<string, unknown>>(method: string, path: string, body?: unknown) => Promise<T>;
}

async function otherClient(user: TestUser): Promise<OtherClient> {
  const tokens = await signInElsewhere(user);
  const base = inject('apiBaseUrl');
  const call = (
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ) =>
    fetch(`${base}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${tokens.accessToken}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...headers,
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  return {
    id: tokens.user.id,
    call,
    async json(method, path, body) {
      const response = await call(method, path, body);
      if (!response.ok)
        throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
      return response.status === 204 ? ({} as never) : response.json();
    },
  };
}

function boardKey() {
  return `D${String(crypto.getRandomValues(new Uint32Array(1))[0]).slice(0, 7)}`;
}

function isoDay(offset: number) {
  return new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
}

interface Setup {
  key: string;
  boardId: string;
  columns: { id: string; name: string }[];
  supervisor: OtherClient;
  pic: TestUser & { id: string };
  task: { id: string; number: number; key: string };
}

/** A board made by a supervisor (another client), a member who is PIC of one task, signed in here. */
async function setUp(picRole: 'member' | 'viewer' = 'member'): Promise<Setup> {
  const supervisorUser = await createConfirmedUser(uniqueEmail('sup'));
  await grantRoles(supervisorUser.email, ['member', 'supervisor']);
  const supervisor = await otherClient(supervisorUser);
  const picUser = await createConfirmedUser(uniqueEmail('pic'));
  const key = boardKey();
  const board = await supervisor.json<{ id: string }>('POST', '/api/boards', {
    key,
    name: 'Harbour',
  });
  const columns = await supervisor.json<{ id: string; name: string }[]>(
    'GET',
    `/api/boards/${board.id}/columns`,
  );
  const done = columns.find((column) => column.name === 'Done');
  await supervisor.json('PATCH', `/api/boards/${board.id}/columns/${done?.id}`, {
    supervisorsOnlyMoveIn: true,
  });
  await supervisor.json('POST', `/api/boards/${board.id}/members`, {
    email: picUser.email,
    role: picRole,
  });
  const tokens = await signInAs(picUser);
  const task = await supervisor.json<{ id: string; number: number; key: string }>(
    'POST',
    `/api/boards/${board.id}/tasks`,
    {
      title: 'Paint the lighthouse',
      content: 'Use **white** paint.\n\n<script>window.hacked = true</script>',
      ...(picRole === 'member' ? { picId: tokens.user.id } : {}),
      dueDate: isoDay(-1),
      priority: 'high',
    },
  );
  return {
    key,
    boardId: board.id,
    columns,
    supervisor,
    pic: { ...picUser, id: tokens.user.id },
    task,
  };
}

async function openDialog(setup: Setup) {
  const view = renderApp(`/boards/${setup.key}/tasks/${setup.task.number}`);
  const dialog = await screen.findByRole('dialog', {
    name: `${setup.task.key} Paint the lighthouse`,
  });
  // The board (statuses, members) loads after the task: wait for its fields.
  await within(dialog).findByLabelText('Status');
  return { ...view, dialog };
}

afterAll(async () => {
  await testDatabase.$disconnect();
});

describe('task dialog against the real API', () => {
  let setup: Setup;
  beforeEach(async () => {
    setup = await setUp();
  });

  // One person's whole session in the dialog, a step at a time against the real API: it needs
  // more than the default time when the machine is busy.
  it('opens from a deep link and lets the PIC edit, tick, comment and move, but not into Done', async () => {
    const { user, dialog, router } = await openDialog(setup);
    expect(dialog).toHaveFocus();
    expect(
      within(dialog).getByRole('heading', { name: 'Paint the lighthouse' }),
    ).toBeInTheDocument();
    // The content is rendered Markdown, the script is gone.
    expect(within(dialog).getByText('white').tagName).toBe('STRONG');
    expect(dialog.querySelector('script')).toBeNull();
    // Supervisor-only fields are disabled for a PIC, with the reason.
    expect(within(dialog).getByLabelText('Person in charge')).toBeDisabled();
    expect(within(dialog).getByLabelText('Due date')).toBeDisabled();
    expect(
      within(dialog).getByText('PIC, assignees and dates are set by supervisors.'),
    ).toBeInTheDocument();
    expect(within(dialog).getByLabelText('Priority')).toBeEnabled();

    await user.click(within(dialog).getByRole('button', { name: 'Edit the title' }));
    const titleInput = within(dialog).getByLabelText('Title');
    await user.clear(titleInput);
    await user.type(titleInput, 'Paint the lighthouse red{Enter}');
    expect(
      await within(dialog).findByRole('heading', { name: 'Paint the lighthouse red' }),
    ).toBeInTheDocument();
    await waitFor(async () =>
      expect(
        (await setup.supervisor.json<{ title: string }>('GET', `/api/tasks/${setup.task.id}`))
          .title,
      ).toBe('Paint the lighthouse red'),
    );

    await user.type(within(dialog).getByLabelText('New checklist item'), 'Buy paint{Enter}');
    await user.type(within(dialog).getByLabelText('New checklist item'), 'Rent a ladder{Enter}');
    const buy = await within(dialog).findByRole('checkbox', { name: 'Buy paint' });
    await within(dialog).findByRole('checkbox', { name: 'Rent a ladder' });
    await user.click(buy);
    expect(await within(dialog).findByText('1 of 2 done')).toBeInTheDocument();
    await user.click(within(dialog).getByRole('button', { name: 'Move “Rent a ladder” up' }));
    await waitFor(async () => {
      const task = await setup.supervisor.json<{ checklist: { text: string; done: boolean }[] }>(
        'GET',
        `/api/tasks/${setup.task.id}`,
      );
      expect(task.checklist.map((item) => [item.text, item.done])).toEqual([
        ['Rent a ladder', false],
        ['Buy paint', true],
      ]);
    });
    await user.click(within(dialog).getByRole('button', { name: 'Delete “Rent a ladder”' }));
    await waitFor(() =>
      expect(
        within(dialog).queryByRole('checkbox', { name: 'Rent a ladder' }),
      ).not.toBeInTheDocument(),
    );

    // @mention: typing "@sup" offers the supervisor; Enter inserts the address.
    const comment = within(dialog).getByLabelText('New comment');
    await user.type(comment, 'Ready for review @sup');
    const listbox = await within(dialog).findByRole('listbox', {
      name: 'Board members to mention',
    });
    expect(within(listbox).getByText(/^sup-/)).toHaveAttribute('aria-selected', 'true');
    await user.keyboard('{Enter}');
    expect(listbox).not.toBeVisible();
    expect((comment as HTMLTextAreaElement).value).toMatch(
      /^Ready for review @sup-\S+@example\.test $/,
    );
    await user.click(within(dialog).getByRole('button', { name: 'Comment' }));
    const comments = await waitFor(async () => {
      const page = await setup.supervisor.json<{
        items: { content: string; mentions: string[] }[];
      }>('GET', `/api/tasks/${setup.task.id}/comments?limit=10`);
      expect(page.items).toHaveLength(1);
      return page.items;
    });
    expect(comments[0]?.mentions).toEqual([setup.supervisor.id]);

    const status = within(dialog).getByLabelText('Status');
    const review = setup.columns.find((column) => column.name === 'Review');
    await user.selectOptions(status, review?.id ?? '');
    await waitFor(() => expect(status).toHaveValue(review?.id));
    await waitFor(async () =>
      expect(
        (await setup.supervisor.json<{ columnId: string }>('GET', `/api/tasks/${setup.task.id}`))
          .columnId,
      ).toBe(review?.id),
    );
    const done = setup.columns.find((column) => column.name === 'Done');
    await user.selectOptions(status, done?.id ?? '');
    // The refusal is the server's 403 (a round trip, slow on a loaded CI machine).
    expect(
      await within(dialog).findByText(
        'Only supervisors may move tasks into "Done".',
        {},
        { timeout: 10_000 },
      ),
    ).toBeInTheDocument();
    await waitFor(() => expect(status).toHaveValue(review?.id));

    // The activity reads as sentences.
    expect(
      await within(dialog).findByText(/moved the task to Review/, {}, { timeout: 10_000 }),
    ).toBeInTheDocument();
    expect(within(dialog).getByText(/added “Buy paint” to the checklist/)).toBeInTheDocument();
    expect(within(dialog).getAllByText(/changed Title/).length).toBeGreaterThan(0);

    await user.keyboard('{Escape}');
    await waitFor(() => expect(router.state.location.pathname).toBe(`/boards/${setup.key}`));
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
  }, 120_000);

  it('re-applies an edit of another field after a concurrent change, and lets the user choose on overlap', async () => {
    const { user, dialog } = await openDialog(setup);
    // Another person changes the content meanwhile (version 2).
    const patch = (body: unknown, version: number) =>
      setup.supervisor.call('PATCH', `/api/tasks/${setup.task.id}`, body, {
        'if-match': `"${version}"`,
      });
    expect((await patch({ content: 'Theirs content' }, 1)).status).toBe(200);

    // The page still shows version 1; editing the priority does not overlap: saved on version 2.
    await user.selectOptions(within(dialog).getByLabelText('Priority'), 'urgent');
    await waitFor(async () => {
      const task = await setup.supervisor.json<{ priority: string; content: string }>(
        'GET',
        `/api/tasks/${setup.task.id}`,
      );
      expect(task).toMatchObject({ priority: 'urgent', content: 'Theirs content' });
    });
    expect(screen.queryByText('This task changed meanwhile')).not.toBeInTheDocument();

    // Now both change the title: the other person saves while the page's editor is open. The
    // board's live stream may refresh the task on screen meanwhile; the edit still began on the
    // older version, so it overlaps instead of silently overwriting theirs.
    await user.click(within(dialog).getByRole('button', { name: 'Edit the title' }));
    const current = await setup.supervisor.json<{ version: number }>(
      'GET',
      `/api/tasks/${setup.task.id}`,
    );
    expect((await patch({ title: 'Their title' }, current.version)).status).toBe(200);
    await user.clear(within(dialog).getByLabelText('Title'));
    await user.type(within(dialog).getByLabelText('Title'), 'My title{Enter}');
    const conflict = await within(dialog).findByRole('alert', {
      name: 'This task changed meanwhile',
    });
    expect(within(conflict).getByText('Theirs: Their title')).toBeInTheDocument();
    expect(within(conflict).getByText('Yours: My title')).toBeInTheDocument();
    // Nothing was overwritten, and the page shows their value meanwhile.
    expect(within(dialog).getByRole('heading', { name: 'Their title' })).toBeInTheDocument();
    await user.click(within(conflict).getByRole('button', { name: 'Keep mine' }));
    expect(await within(dialog).findByRole('heading', { name: 'My title' })).toBeInTheDocument();
    await waitFor(async () =>
      expect(
        (await setup.supervisor.json<{ title: string }>('GET', `/api/tasks/${setup.task.id}`))
          .title,
      ).toBe('My title'),
    );

    // Once more, and this time the other person's value is taken.
    const again = await setup.supervisor.json<{ version: number }>(
      'GET',
      `/api/tasks/${setup.task.id}`,
    );
    await user.click(within(dialog).getByRole('button', { name: 'Edit the title' }));
    expect((await patch({ title: 'Final title' }, again.version)).status).toBe(200);
    await user.clear(within(dialog).getByLabelText('Title'));
    await user.type(within(dialog).getByLabelText('Title'), 'Another of mine{Enter}');
    const second = await within(dialog).findByRole('alert', {
      name: 'This task changed meanwhile',
    });
    await user.click(within(second).getByRole('button', { name: 'Take theirs' }));
    expect(within(dialog).getByRole('heading', { name: 'Final title' })).toBeInTheDocument();
    expect(
      (await setup.supervisor.json<{ title: string }>('GET', `/api/tasks/${setup.task.id}`)).title,
    ).toBe('Final title');
  });

  it('uploads an attachment with the progress bar, lists it for others, and lets the uploader delete it', async () => {
    const { user, dialog } = await openDialog(setup);
    const text = 'Paint order: 20 litres of white.\n';
    await user.upload(
      within(dialog).getByLabelText('Attach a file'),
      new File([text], 'paint-order.txt', { type: 'text/plain' }),
    );
    const bar = await within(dialog).findByRole('progressbar', {
      name: 'Upload of paint-order.txt',
    });
    await waitFor(() => expect(bar).toHaveAttribute('value', String(text.length)));
    expect(await within(dialog).findByText(/ · pic-/)).toBeInTheDocument();
    const listed = await setup.supervisor.json<{ filename: string; fileId: string }[]>(
      'GET',
      `/api/tasks/${setup.task.id}/attachments`,
    );
    expect(listed.map((attachment) => attachment.filename)).toEqual(['paint-order.txt']);
    // Any member may download it: the presigned URL serves the same bytes.
    const download = await setup.supervisor.json<{ url: string }>(
      'GET',
      `/api/files/${listed[0]?.fileId}?redirect=false`,
    );
    expect(await (await fetch(download.url)).text()).toBe(text);

    await user.click(within(dialog).getByRole('button', { name: 'Delete paint-order.txt' }));
    await waitFor(async () =>
      expect(
        await setup.supervisor.json<unknown[]>('GET', `/api/tasks/${setup.task.id}/attachments`),
      ).toEqual([]),
    );
    expect(
      await within(dialog).findByText(/removed the attachment “paint-order.txt”/),
    ).toBeInTheDocument();
  });

  it('lists my tasks by due date, marks the overdue one and opens it; Escape returns there', async () => {
    await setup.supervisor.json('POST', `/api/boards/${setup.boardId}/tasks`, {
      title: 'Check the lamps',
      picId: setup.pic.id,
    });
    const { user, router } = renderApp('/my-tasks');
    expect(await screen.findByRole('heading', { level: 1, name: 'My tasks' })).toBeInTheDocument();
    const overdue = await screen.findByRole('heading', { name: /Overdue/ });
    const overdueGroup = overdue.closest('section') as HTMLElement;
    expect(within(overdueGroup).getByText(/Overdue since/)).toBeInTheDocument();
    const undated = screen
      .getByRole('heading', { name: /No due date/ })
      .closest('section') as HTMLElement;
    expect(within(undated).getByText('Check the lamps')).toBeInTheDocument();

    await user.click(within(overdueGroup).getByRole('link', { name: /Paint the lighthouse/ }));
    const dialog = await screen.findByRole('dialog', {
      name: `${setup.task.key} Paint the lighthouse`,
    });
    expect(dialog).toBeInTheDocument();
    await user.keyboard('{Escape}');
    await waitFor(() => expect(router.state.location.pathname).toBe('/my-tasks'));
  });
});

describe('task dialog for a viewer', () => {
  it('shows everything read-only with the reason, and a missing task as not found', async () => {
    const setup = await setUp('viewer');
    const { dialog } = await openDialog(setup);
    expect(
      within(dialog).getByText('You can view this board but not change it.'),
    ).toBeInTheDocument();
    expect(within(dialog).getByLabelText('Status')).toBeDisabled();
    expect(within(dialog).getByLabelText('Priority')).toBeDisabled();
    expect(
      within(dialog).queryByRole('button', { name: 'Edit the title' }),
    ).not.toBeInTheDocument();
    expect(within(dialog).queryByLabelText('New checklist item')).not.toBeInTheDocument();
    expect(within(dialog).getByText('Viewers cannot comment on this board.')).toBeInTheDocument();
  });

  it('says when a task does not exist', async () => {
    const setup = await setUp('viewer');
    renderApp(`/boards/${setup.key}/tasks/999`);
    expect(
      await screen.findByText(`There is no task ${setup.key}-999 on a board you can see.`),
    ).toBeInTheDocument();
  });
});
