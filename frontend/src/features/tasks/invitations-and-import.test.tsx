import { screen, waitFor, within } from '@testing-library/react';
import { afterAll, describe, expect, it } from 'vitest';
import {
  createConfirmedUser,
  emailedCode,
  mailbox,
  signInAs,
  strongPassword,
  uniqueEmail,
} from '../../../test/accounts';
import { browser } from '../../../test/browser-fetch';
import { signedInWithRoles, testDatabase } from '../../../test/database';
import { renderApp } from '../../../test/render-app';
import { apiClient } from '../../lib/api-client';
import { dataOrThrow } from '../../lib/problem';
import { sessionStore } from '../../lib/session-store';
import { findBoardByKey } from './api/find-board-by-key';
import { listMembers } from './api/list-members';

afterAll(async () => {
  await testDatabase.$disconnect();
});

function uniqueKey(prefix = 'I') {
  return `${prefix}${crypto.getRandomValues(new Uint32Array(1))[0]}`.slice(0, 10);
}

/** A supervisor's new board and an emailed invitation to `email`; the supervisor stays signed in. */
async function boardWithInvitation(
  email: string,
  { role = 'member', emailsBefore = 0 }: { role?: 'member' | 'viewer'; emailsBefore?: number } = {},
) {
  await signedInWithRoles(['supervisor']);
  const key = uniqueKey();
  const board = dataOrThrow(
    await apiClient.POST('/api/boards', { body: { key, name: 'Invited board' } }),
  );
  const invitation = dataOrThrow(
    await apiClient.POST('/api/boards/{boardId}/invitations', {
      params: { path: { boardId: board.id } },
      body: { email, role },
    }),
  );
  const message = await mailbox.waitFor(email, { count: emailsBefore + 1 });
  const token = /invitations\/accept\?token=([A-Za-z0-9_-]{43})/.exec(message.Text)?.[1];
  if (!token) throw new Error('no invitation link in the email');
  return { board, invitation, token };
}

function fileOf(content: string, name = 'board.json') {
  return new File([content], name, { type: 'application/json' });
}

describe('accepting an invitation', () => {
  it('accepts while signed in and lands on the board', async () => {
    const invitee = await createConfirmedUser();
    const { board, token } = await boardWithInvitation(invitee.email, {
      role: 'viewer',
      emailsBefore: 1,
    });
    sessionStore.reset();
    await signInAs(invitee);
    const { router } = renderApp(`/invitations/accept?token=${token}`);
    await waitForPath(router, `/boards/${board.key}`);
    const members = await listMembers(board.id);
    expect(members.find((member) => member.email === invitee.email)?.role).toBe('viewer');
  });

  it('takes a visitor without an account through sign-up, confirmation and sign-in, then joins', async () => {
    const email = uniqueEmail('invited');
    // The invitation is the first email to the address; the sign-up code the second.
    const password = strongPassword();
    const { board, token } = await boardWithInvitation(email);
    // A new visitor: no refresh cookie, nothing in memory.
    browser.reset();
    sessionStore.reset();

    const view = renderApp(`/invitations/accept?token=${token}`);
    expect(await screen.findByText(/You have been invited to a board/)).toBeInTheDocument();
    await view.user.click(within(screen.getByRole('main')).getByRole('link', { name: 'Sign up' }));

    await view.user.type(await screen.findByLabelText('Email'), email);
    await view.user.type(screen.getByLabelText('Password'), password);
    await view.user.click(screen.getByRole('button', { name: 'Create account' }));
    await screen.findByRole('heading', { name: 'Confirm your email' });
    await view.user.type(screen.getByLabelText('Code'), await emailedCode(email, 2));
    await view.user.click(screen.getByRole('button', { name: 'Confirm' }));

    expect(await screen.findByText('Your account is confirmed. Sign in.')).toBeInTheDocument();
    await view.user.type(screen.getByLabelText('Password'), password);
    await view.user.click(screen.getByRole('button', { name: 'Sign in' }));

    await waitForPath(view.router, `/boards/${board.key}`);
    const members = await listMembers(board.id);
    expect(members.find((member) => member.email === email)?.role).toBe('member');
  }, 60_000);

  it('explains an expired, a used and a wrong-address invitation', async () => {
    const invitee = await createConfirmedUser();
    const { invitation, token } = await boardWithInvitation(invitee.email, { emailsBefore: 1 });
    await testDatabase.boardInvitation.update({
      where: { id: invitation.id },
      data: { expiresAt: new Date(Date.now() - 1000) },
    });
    sessionStore.reset();
    await signInAs(invitee);
    const expired = renderApp(`/invitations/accept?token=${token}`);
    expect(
      await screen.findByText(
        'This invitation has expired. Ask the board’s supervisor to send it again.',
      ),
    ).toBeInTheDocument();
    expired.unmount();

    const unknown = renderApp(`/invitations/accept?token=${'A'.repeat(43)}`);
    expect(await screen.findByText(/already been used or was revoked/)).toBeInTheDocument();
    unknown.unmount();

    const stranger = await createConfirmedUser();
    const second = await boardWithInvitation(uniqueEmail('elsewhere'));
    sessionStore.reset();
    await signInAs(stranger);
    renderApp(`/invitations/accept?token=${second.token}`);
    expect(
      await screen.findByText(/This invitation is for another email address/),
    ).toHaveTextContent(stranger.email);
  });
});

describe('importing a board', () => {
  it('refuses a file that is not JSON, shows the problems the server names, and imports a board file', async () => {
    await signedInWithRoles(['supervisor']);
    const sourceKey = uniqueKey('E');
    const source = dataOrThrow(
      await apiClient.POST('/api/boards', { body: { key: sourceKey, name: 'Source board' } }),
    );
    const exported = dataOrThrow(
      await apiClient.GET('/api/boards/{boardId}/export', {
        params: { path: { boardId: source.id } },
      }),
    );
    const key = uniqueKey('N');
    const { user, router } = renderApp('/boards/import');
    expect(await screen.findByRole('heading', { level: 1, name: 'Import a board' })).toHaveFocus();

    await user.type(screen.getByLabelText('Key of the new board'), key.toLowerCase());
    expect(screen.getByLabelText('Key of the new board')).toHaveValue(key);
    const input = screen.getByLabelText('File');
    await user.upload(input, fileOf('not json at all', 'notes.txt'));
    await user.click(screen.getByRole('button', { name: 'Import' }));
    expect(await screen.findByText('“notes.txt” is not a JSON file.')).toBeInTheDocument();
    expect(await findBoardByKey(key)).toBeNull();

    // JSON, but not a Homeport board file: the server's 422 names each place in the file.
    await user.upload(input, fileOf(JSON.stringify({ board: { name: 'x' }, tasks: 'none' })));
    await user.click(screen.getByRole('button', { name: 'Import' }));
    expect(await screen.findByText('The file is not what was chosen above:')).toBeInTheDocument();
    const problems = within(
      screen.getByText('The file is not what was chosen above:').parentElement as HTMLElement,
    ).getAllByRole('listitem');
    expect(problems.length).toBeGreaterThan(0);
    expect(problems[0]).toHaveTextContent(/^Must have required properties format, version/);
    expect(await findBoardByKey(key)).toBeNull();

    await user.type(screen.getByLabelText('Name (optional)'), 'Imported board');
    await user.upload(input, fileOf(JSON.stringify(exported)));
    await user.click(screen.getByRole('button', { name: 'Import' }));
    await waitForPath(router, `/boards/${key}`);
    expect(await findBoardByKey(key)).toMatchObject({
      name: 'Imported board',
      myRole: 'supervisor',
    });
  });

  it('imports a Trello export', async () => {
    await signedInWithRoles(['supervisor']);
    const key = uniqueKey('T');
    const trello = {
      name: 'From Trello',
      lists: [
        { id: 'l1', name: 'Backlog', closed: false, pos: 1 },
        { id: 'l2', name: 'Done', closed: false, pos: 2 },
      ],
      cards: [
        {
          id: 'c1',
          name: 'Ship it',
          desc: '',
          idList: 'l1',
          closed: false,
          pos: 1,
          due: null,
          idLabels: [],
        },
      ],
      labels: [],
      checklists: [],
      actions: [],
    };
    const { user, router } = renderApp('/boards/import');
    await user.click(await screen.findByLabelText('Trello board export (JSON)'));
    await user.type(screen.getByLabelText('Key of the new board'), key);
    await user.upload(screen.getByLabelText('File'), fileOf(JSON.stringify(trello)));
    await user.click(screen.getByRole('button', { name: 'Import' }));
    await waitForPath(router, `/boards/${key}`);
    expect(await findBoardByKey(key)).toMatchObject({ name: 'From Trello' });
  });
});

async function waitForPath(
  router: { state: { location: { pathname: string } } },
  pathname: string,
) {
  await waitFor(() => expect(router.state.location.pathname).toBe(pathname));
}
