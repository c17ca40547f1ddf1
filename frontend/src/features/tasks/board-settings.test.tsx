import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterAll, describe, expect, it } from 'vitest';
import { createConfirmedUser, mailbox, signedInUser, signInAs } from '../../../test/accounts';
import { signedInWithRoles, testDatabase } from '../../../test/database';
import { renderApp } from '../../../test/render-app';
import { apiClient } from '../../lib/api-client';
import { dataOrThrow } from '../../lib/problem';
import { sessionStore } from '../../lib/session-store';
import { findBoardByKey } from './api/find-board-by-key';
import { getReminderSettings as reminderSettings } from './api/get-reminder-settings';
import { listColumns } from './api/list-columns';
import { listInvitations } from './api/list-invitations';
import { listLabels } from './api/list-labels';
import { listMembers } from './api/list-members';

afterAll(async () => {
  await testDatabase.$disconnect();
});

function uniqueKey(prefix = 'S') {
  return `${prefix}${crypto.getRandomValues(new Uint32Array(1))[0]}`.slice(0, 10);
}

/** A board made through the API by the signed-in supervisor. */
async function createBoard(name = 'Harbour works') {
  const key = uniqueKey();
  const board = dataOrThrow(await apiClient.POST('/api/boards', { body: { key, name } }));
  return board;
}

async function supervisorWithBoard(name?: string) {
  const supervisor = await signedInWithRoles(['supervisor']);
  const board = await createBoard(name);
  return { supervisor, board };
}

/** The token of the `count`-th invitation email to `email`, from the link in it. */
async function invitationToken(email: string, count = 1) {
  const message = await mailbox.waitFor(email, { count });
  const token = /invitations\/accept\?token=([A-Za-z0-9_-]{43})/.exec(message.Text)?.[1];
  if (!token) throw new Error(`no invitation link in the email to ${email}`);
  return token;
}

async function settingsPage(key: string, name: string) {
  const view = renderApp(`/boards/${key}/settings`);
  expect(
    await screen.findByRole('heading', { level: 1, name: `Settings of ${name}` }),
  ).toHaveFocus();
  return view;
}

function section(name: string) {
  return screen.getByRole('region', { name });
}

describe('board settings against the real API', () => {
  it('changes the general settings and archives the board', async () => {
    const { board } = await supervisorWithBoard('Harbour works');
    const { user } = await settingsPage(board.key, 'Harbour works');
    expect(screen.getByRole('link', { name: 'Back to Harbour works' })).toHaveAttribute(
      'href',
      `/boards/${board.key}`,
    );
    const general = section('General');

    const name = within(general).getByLabelText('Name');
    await user.clear(name);
    await user.click(within(general).getByRole('button', { name: 'Save' }));
    // Refused on the client: nothing sent.
    expect(await within(general).findByText('Enter the board’s name.')).toBeInTheDocument();
    expect(name).toHaveFocus();

    await user.type(name, 'Quay repairs');
    await user.type(within(general).getByLabelText('Description'), 'Pier 4 *first*');
    await user.click(within(general).getByLabelText('Viewers may comment'));
    await user.click(within(general).getByRole('button', { name: 'Save' }));
    expect(await within(general).findByText('The settings are saved.')).toBeInTheDocument();
    expect(await findBoardByKey(board.key)).toMatchObject({
      name: 'Quay repairs',
      description: 'Pier 4 *first*',
      viewersCanComment: true,
      archived: false,
    });

    await user.click(within(general).getByRole('button', { name: 'Archive board' }));
    const dialog = await screen.findByRole('alertdialog', { name: 'Archive Quay repairs?' });
    // Cancel first keeps it.
    await user.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    expect(screen.queryByRole('alertdialog')).not.toBeInTheDocument();
    expect((await findBoardByKey(board.key))?.archived).toBe(false);

    await user.click(within(general).getByRole('button', { name: 'Archive board' }));
    await user.click(
      within(await screen.findByRole('alertdialog')).getByRole('button', { name: 'Archive board' }),
    );
    expect(await screen.findByText('This board is archived')).toBeInTheDocument();
    expect((await findBoardByKey(board.key))?.archived).toBe(true);
    expect(screen.getByRole('button', { name: 'Restore board' })).toBeInTheDocument();
  }, 60_000);

  it('sets the due-soon hours within the API’s bounds', async () => {
    const { board } = await supervisorWithBoard('Reminder board');
    const { user } = await settingsPage(board.key, 'Reminder board');
    const reminders = await within(section('General')).findByRole('form', {
      name: 'Due soon reminder',
    });
    const hours = await within(reminders).findByLabelText('Hours before the due date');
    // The server's default until a supervisor changes it.
    expect(hours).toHaveValue(24);

    for (const refused of ['0', '337', '2.5']) {
      await user.clear(hours);
      await user.type(hours, refused);
      await user.click(within(reminders).getByRole('button', { name: 'Save reminder' }));
      expect(
        await within(reminders).findByText('Enter a whole number of hours from 1 to 336.'),
      ).toBeInTheDocument();
      expect(hours).toHaveFocus();
    }
    expect(await reminderSettings(board.id)).toEqual({ dueSoonHours: 24 });

    await user.clear(hours);
    await user.type(hours, '72');
    await user.click(within(reminders).getByRole('button', { name: 'Save reminder' }));
    expect(
      await within(reminders).findByText('The reminder setting is saved.'),
    ).toBeInTheDocument();
    expect(await reminderSettings(board.id)).toEqual({ dueSoonHours: 72 });
  });

  it('adds a member, changes the role, refuses removing the last supervisor, removes with confirmation', async () => {
    const other = await createConfirmedUser();
    const { supervisor, board } = await supervisorWithBoard('Members board');
    const { user } = await settingsPage(board.key, 'Members board');
    const members = section('Members');
    const list = await within(members).findByRole('list', { name: 'Members of the board' });
    expect(within(list).getByText(supervisor.email)).toBeInTheDocument();

    // Someone without an account is named at the field, and nothing changes.
    await user.type(within(members).getByLabelText('Email'), 'nobody-here@example.test');
    await user.click(within(members).getByRole('button', { name: 'Add' }));
    expect(await within(members).findByText(/not an active account/i)).toBeInTheDocument();
    expect(await listMembers(board.id)).toHaveLength(1);

    const email = within(members).getByLabelText('Email');
    await user.clear(email);
    await user.type(email, other.email);
    await user.selectOptions(within(members).getByLabelText('Role'), 'viewer');
    await user.click(within(members).getByRole('button', { name: 'Add' }));
    expect(
      await within(members).findByText(`${other.email} was added as Viewer.`),
    ).toBeInTheDocument();
    const otherRole = await within(members).findByLabelText(`Role of ${other.email}`);
    expect(otherRole).toHaveValue('viewer');

    await user.selectOptions(otherRole, 'member');
    expect(await within(members).findByText(`${other.email} is now Member.`)).toBeInTheDocument();
    expect((await listMembers(board.id)).find((m) => m.email === other.email)?.role).toBe('member');

    // The board's only supervisor cannot step down: the server says why, the select rolls back.
    const ownRole = within(members).getByLabelText(`Role of ${supervisor.email}`);
    await user.selectOptions(ownRole, 'viewer');
    expect(
      await within(members).findByText('A board keeps at least one supervisor.'),
    ).toBeInTheDocument();
    await waitFor(() => expect(ownRole).toHaveValue('supervisor'));

    await user.click(within(members).getByRole('button', { name: `Remove ${other.email}` }));
    const dialog = await screen.findByRole('alertdialog', {
      name: `Remove ${other.email} from the board?`,
    });
    await user.click(within(dialog).getByRole('button', { name: 'Remove' }));
    expect(
      await within(members).findByText(`${other.email} was removed from the board.`),
    ).toBeInTheDocument();
    expect((await listMembers(board.id)).map((m) => m.email)).toEqual([supervisor.email]);
    expect(within(members).queryByLabelText(`Role of ${other.email}`)).not.toBeInTheDocument();
  });

  it('invites by email, lists the pending invitation, resends and revokes it', async () => {
    const { board } = await supervisorWithBoard('Invite board');
    const invitee = `invitee-${uniqueKey('x').toLowerCase()}@example.test`;
    const { user } = await settingsPage(board.key, 'Invite board');
    const invitations = section('Invitations');
    expect(
      await within(invitations).findByText('No invitation is waiting for an answer.'),
    ).toBeInTheDocument();

    await user.type(within(invitations).getByLabelText('Email to invite'), invitee);
    await user.selectOptions(within(invitations).getByLabelText('Role'), 'viewer');
    await user.click(within(invitations).getByRole('button', { name: 'Send invitation' }));
    expect(
      await within(invitations).findByText(`An invitation was emailed to ${invitee}.`),
    ).toBeInTheDocument();
    const first = await invitationToken(invitee);
    const pending = await within(invitations).findByRole('list', { name: 'Pending invitations' });
    expect(within(pending).getByText(invitee)).toBeInTheDocument();
    expect(within(pending).getByText(/Viewer/)).toHaveTextContent(/expires/);
    expect(within(pending).getByRole('time')).toBeInTheDocument();

    await user.click(
      within(pending).getByRole('button', { name: `Resend the invitation to ${invitee}` }),
    );
    expect(await within(invitations).findByText(/A new link was emailed to/)).toBeInTheDocument();
    expect(await invitationToken(invitee, 2)).not.toBe(first);

    await user.click(
      within(pending).getByRole('button', { name: `Revoke the invitation to ${invitee}` }),
    );
    await user.click(
      within(await screen.findByRole('alertdialog')).getByRole('button', { name: 'Revoke' }),
    );
    expect(
      await within(invitations).findByText(`The invitation to ${invitee} was revoked.`),
    ).toBeInTheDocument();
    expect(
      await within(invitations).findByText('No invitation is waiting for an answer.'),
    ).toBeInTheDocument();
    expect(await listInvitations(board.id)).toEqual([]);
  });

  it('adds, edits, reorders columns and refuses deleting one that holds tasks', async () => {
    const { board } = await supervisorWithBoard('Columns board');
    const initial = await listColumns(board.id);
    const todo = initial[0];
    if (!todo) throw new Error('a new board has columns');
    dataOrThrow(
      await apiClient.POST('/api/boards/{boardId}/tasks', {
        params: { path: { boardId: board.id } },
        body: { title: 'Paint the bollards', columnId: todo.id },
      }),
    );
    const { user } = await settingsPage(board.key, 'Columns board');
    const columns = section('Columns');
    const list = await within(columns).findByRole('list', { name: 'Columns in board order' });
    const names = () =>
      within(list)
        .getAllByRole('form')
        .map((form) => form.getAttribute('aria-label'));
    expect(names()).toEqual(initial.map((column) => `Column ${column.name}`));

    const addName = within(columns).getByLabelText('Name of the new column');
    await user.type(addName, 'QA');
    await user.click(within(columns).getByRole('button', { name: 'Add column' }));
    expect(
      await within(columns).findByText('The column QA was added at the end.'),
    ).toBeInTheDocument();
    await waitFor(() => expect(names().at(-1)).toBe('Column QA'));

    // Edit QA: rename, a WIP limit, done, supervisors only; a bad WIP limit is refused first.
    const qa = within(list).getByRole('form', { name: 'Column QA' });
    const qaName = within(qa).getByLabelText('Column name');
    await user.clear(qaName);
    await user.type(qaName, 'Quality check');
    await user.type(within(qa).getByLabelText('WIP limit'), '0');
    await user.click(within(qa).getByRole('button', { name: 'Save' }));
    expect(
      await within(qa).findByText('Enter a whole number from 1 to 10,000, or leave it empty.'),
    ).toBeInTheDocument();
    const wip = within(qa).getByLabelText('WIP limit');
    await user.clear(wip);
    await user.type(wip, '3');
    await user.click(within(qa).getByLabelText('Tasks here are done'));
    await user.click(within(qa).getByLabelText('Only supervisors may move tasks in'));
    await user.click(within(qa).getByRole('button', { name: 'Save' }));
    expect(await within(qa).findByText('Quality check is saved.')).toBeInTheDocument();
    const saved = (await listColumns(board.id)).at(-1);
    expect(saved).toMatchObject({
      name: 'Quality check',
      wipLimit: 3,
      isDone: true,
      supervisorsOnlyMoveIn: true,
    });

    // Reorder with the buttons: the last column one place earlier.
    await user.click(await within(list).findByRole('button', { name: 'Move Quality check left' }));
    expect(
      await within(columns).findByText('Quality check moved one place earlier.'),
    ).toBeInTheDocument();
    const reordered = (await listColumns(board.id)).map((column) => column.name);
    expect(reordered.at(-2)).toBe('Quality check');
    await waitFor(() => expect(names().at(-2)).toBe('Column Quality check'));
    expect(within(list).getByRole('button', { name: `Move ${todo.name} left` })).toBeDisabled();

    // A column with a task is refused with a clear reason, and stays.
    await user.click(within(list).getByRole('button', { name: `Delete ${todo.name}` }));
    let dialog = await screen.findByRole('alertdialog', {
      name: `Delete the column ${todo.name}?`,
    });
    await user.click(within(dialog).getByRole('button', { name: 'Delete' }));
    expect(
      await within(dialog).findByText(
        `${todo.name} still holds tasks. Move them to another column first, then delete it.`,
      ),
    ).toBeInTheDocument();
    await user.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    expect((await listColumns(board.id)).map((column) => column.id)).toContain(todo.id);

    // An empty one goes.
    await user.click(within(list).getByRole('button', { name: 'Delete Quality check' }));
    dialog = await screen.findByRole('alertdialog');
    await user.click(within(dialog).getByRole('button', { name: 'Delete' }));
    expect(
      await within(columns).findByText('The column Quality check was deleted.'),
    ).toBeInTheDocument();
    expect((await listColumns(board.id)).map((column) => column.name)).toEqual(
      initial.map((column) => column.name),
    );
  });

  it('adds, renames, recolours and deletes labels', async () => {
    const { board } = await supervisorWithBoard('Labels board');
    const { user } = await settingsPage(board.key, 'Labels board');
    const labels = section('Labels');
    expect(await within(labels).findByText('The board has no labels yet.')).toBeInTheDocument();

    await user.click(within(labels).getByRole('button', { name: 'Add label' }));
    expect(await within(labels).findByText('Enter the label’s name.')).toBeInTheDocument();
    await user.type(within(labels).getByLabelText('Name of the new label'), 'Urgent');
    await user.click(within(labels).getByRole('button', { name: 'Add label' }));
    expect(await within(labels).findByText('The label Urgent was added.')).toBeInTheDocument();
    expect(await listLabels(board.id)).toMatchObject([{ name: 'Urgent', color: '#3b82f6' }]);

    // A second label of the same name is refused by the server and not created.
    await user.type(within(labels).getByLabelText('Name of the new label'), 'Urgent');
    await user.click(within(labels).getByRole('button', { name: 'Add label' }));
    expect(await within(labels).findByRole('alert')).toBeInTheDocument();
    expect(await listLabels(board.id)).toHaveLength(1);

    const editor = await within(labels).findByRole('form', { name: 'Label Urgent' });
    const name = within(editor).getByLabelText('Label name');
    await user.clear(name);
    await user.type(name, 'Blocker');
    const colour = within(editor).getByLabelText('Colour');
    // A colour input takes its value as a whole, as the picker sets it.
    fireEvent.change(colour, { target: { value: '#b42318' } });
    await user.click(within(editor).getByRole('button', { name: 'Save' }));
    expect(await within(editor).findByText('Blocker is saved.')).toBeInTheDocument();
    expect(await listLabels(board.id)).toMatchObject([{ name: 'Blocker', color: '#b42318' }]);

    await user.click(within(labels).getByRole('button', { name: 'Delete the label Blocker' }));
    await user.click(
      within(await screen.findByRole('alertdialog')).getByRole('button', { name: 'Delete' }),
    );
    expect(await within(labels).findByText('The label Blocker was deleted.')).toBeInTheDocument();
    expect(await listLabels(board.id)).toEqual([]);
  });

  it('downloads the board file and the CSV with the bearer token', async () => {
    const { board } = await supervisorWithBoard('Export board');
    const saved: Blob[] = [];
    const original = { create: URL.createObjectURL, revoke: URL.revokeObjectURL };
    // jsdom has no object URLs; the browser's part of a download is all that is replaced.
    URL.createObjectURL = (blob: Blob) => {
      saved.push(blob);
      return 'blob:export';
    };
    URL.revokeObjectURL = () => undefined;
    try {
      const { user } = await settingsPage(board.key, 'Export board');
      const exports = section('Export');
      await user.click(within(exports).getByRole('button', { name: 'Download board file (JSON)' }));
      expect(
        await within(exports).findByText(`${board.key}.homeport.json was downloaded.`),
      ).toBeInTheDocument();
      const file = JSON.parse(await (saved[0] as Blob).text());
      expect(file.board).toMatchObject({ key: board.key, name: 'Export board' });

      await user.click(within(exports).getByRole('button', { name: 'Download tasks (CSV)' }));
      expect(
        await within(exports).findByText(`${board.key}.csv was downloaded.`),
      ).toBeInTheDocument();
      const csv = await (saved[1] as Blob).text();
      expect(csv.replace(/^\uFEFF/, '').split('\r\n')[0]).toMatch(/^key,title,column/i);
    } finally {
      URL.createObjectURL = original.create;
      URL.revokeObjectURL = original.revoke;
    }
  });

  it('shows a member no settings, and the API refuses them', async () => {
    const member = await createConfirmedUser();
    const { board } = await supervisorWithBoard('Read only board');
    dataOrThrow(
      await apiClient.POST('/api/boards/{boardId}/members', {
        params: { path: { boardId: board.id } },
        body: { email: member.email, role: 'member' },
      }),
    );
    sessionStore.reset();
    await signInAs(member);
    renderApp(`/boards/${board.key}/settings`);
    expect(await screen.findByText('Only supervisors can change this board')).toBeInTheDocument();
    expect(screen.queryByRole('region', { name: 'General' })).not.toBeInTheDocument();
    expect(screen.queryByRole('region', { name: 'Members' })).not.toBeInTheDocument();
    expect(screen.getByRole('region', { name: 'Export' })).toBeInTheDocument();

    const refused = await apiClient.PATCH('/api/boards/{boardId}', {
      params: { path: { boardId: board.id } },
      body: { name: 'Taken over' },
    });
    expect(refused.response.status).toBe(403);
    expect((await findBoardByKey(board.key))?.name).toBe('Read only board');
  });

  it('says so when the board is not one of yours', async () => {
    await signedInUser();
    renderApp('/boards/NOPE42/settings');
    expect(
      await screen.findByRole('heading', { level: 1, name: 'Board not found' }),
    ).toBeInTheDocument();
  });
});
