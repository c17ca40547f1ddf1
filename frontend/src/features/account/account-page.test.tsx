import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import {
  createConfirmedUser,
  signInAs,
  signInElsewhere,
  strongPassword,
} from '../../../test/accounts';
import { renderApp } from '../../../test/render-app';
import { ApiError } from '../../lib/problem';
import { sessionStore } from '../../lib/session-store';
import { listSessions } from './api/list-sessions';

describe('account page against the real API', () => {
  it('changes the password only with the current one', async () => {
    const user = await createConfirmedUser();
    await signInAs(user);
    const view = renderApp('/account');
    const current = await screen.findByLabelText('Current password');
    const next = strongPassword();

    await view.user.type(current, 'wrong-current-password');
    await view.user.type(screen.getByLabelText('New password'), next);
    await view.user.click(screen.getByRole('button', { name: 'Change password' }));
    // The server names the field it rejects; the page shows the message there.
    await waitFor(() => expect(current).toHaveAttribute('aria-invalid', 'true'));
    expect(current).toHaveAccessibleDescription('Is not correct.');

    await view.user.clear(current);
    await view.user.type(current, user.password);
    await view.user.click(screen.getByRole('button', { name: 'Change password' }));
    expect(await screen.findByText(/Password changed/)).toBeInTheDocument();

    const old = await signInElsewhere(user).catch((error: unknown) => error);
    expect(old).toBeInstanceOf(ApiError);
    expect(await signInElsewhere({ email: user.email, password: next })).toHaveProperty(
      'accessToken',
    );
  });

  it('lists my sessions and signs another device out', async () => {
    const user = await createConfirmedUser();
    // Another device: a sign-in whose tokens this tab never uses.
    const other = await signInElsewhere(user);
    await signInAs(user);
    const view = renderApp('/account');

    const list = await screen.findByRole('list', { name: 'Signed-in devices' });
    await waitFor(() => expect(within(list).getAllByRole('listitem')).toHaveLength(2));
    expect(within(list).getByText('This device')).toBeInTheDocument();
    await view.user.click(within(list).getByRole('button', { name: /^Sign out / }));

    await waitFor(() => expect(within(list).getAllByRole('listitem')).toHaveLength(1));
    const remaining = await listSessions();
    expect(remaining.items.map((session) => session.id)).not.toContain(other.sessionId);
  });

  it('signs out everywhere after confirmation', async () => {
    const user = await createConfirmedUser();
    await signInAs(user);
    const view = renderApp('/account');
    await view.user.click(await screen.findByRole('button', { name: 'Sign out everywhere' }));
    const dialog = screen.getByRole('alertdialog', { name: 'Sign out everywhere?' });
    await view.user.click(within(dialog).getByRole('button', { name: 'Sign out everywhere' }));

    expect(await screen.findByRole('heading', { name: 'Sign in' })).toBeInTheDocument();
    expect(sessionStore.get().status).toBe('signedOut');
  });

  it('deletes the account with the password and a confirmation', async () => {
    const user = await createConfirmedUser();
    await signInAs(user);
    const view = renderApp('/account');
    const section = await screen.findByRole('region', { name: 'Delete account' });
    const password = within(section).getByLabelText('Password');
    await view.user.click(screen.getByRole('button', { name: 'Delete my account' }));
    expect(password).toHaveAttribute('aria-invalid', 'true');

    await view.user.type(password, user.password);
    await view.user.click(screen.getByRole('button', { name: 'Delete my account' }));
    const dialog = screen.getByRole('alertdialog', { name: 'Delete your account?' });
    await view.user.click(within(dialog).getByRole('button', { name: 'Delete account' }));

    expect(await screen.findByRole('heading', { name: 'Sign in' })).toBeInTheDocument();
    const gone = await signInElsewhere(user).catch((error: unknown) => error);
    expect(gone).toBeInstanceOf(ApiError);
  });
});
