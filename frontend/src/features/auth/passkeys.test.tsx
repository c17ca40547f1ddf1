import { screen, waitFor, within } from '@testing-library/react';
import { Secret, TOTP } from 'otpauth';
import { afterAll, afterEach, describe, expect, inject, it } from 'vitest';
import { signedInUser, type TestUser } from '../../../test/accounts';
import { testDatabase } from '../../../test/database';
import { renderApp } from '../../../test/render-app';
import { type BrowserAuthenticator, installAuthenticator } from '../../../test/webauthn';
import { apiClient } from '../../lib/api-client';
import { dataOrThrow } from '../../lib/problem';
import { sessionStore } from '../../lib/session-store';
import { signOut } from './api/sign-out';

const publicUrl = inject('publicUrl');
let device: BrowserAuthenticator | undefined;

afterEach(() => {
  device?.uninstall();
  device = undefined;
});

afterAll(async () => {
  await testDatabase.$disconnect();
});

/** The account page's add form, as a person fills it: name, then the password when asked. */
async function addOnAccountPage(user: TestUser, name: string) {
  const view = renderApp('/account');
  const section = await screen.findByRole('region', { name: 'Passkeys' });
  expect(await within(section).findByText('No passkeys yet.')).toBeInTheDocument();
  await view.user.type(within(section).getByLabelText(/^Name/), name);
  await view.user.click(within(section).getByRole('button', { name: 'Add a passkey' }));
  // A password session must prove the password again first; the field appears.
  expect(
    await within(section).findByText('Adding a passkey needs your password again.'),
  ).toBeInTheDocument();
  // Asking for the password is not an error.
  expect(within(section).queryByText('The passkey was not added')).toBeNull();
  await view.user.type(within(section).getByLabelText(/^Your password/), user.password);
  await view.user.click(within(section).getByRole('button', { name: 'Add a passkey' }));
  expect(await within(section).findByText(`The passkey “${name}” was added.`)).toBeInTheDocument();
  return { view, section };
}

describe('passkeys on the account page, against the real API', () => {
  it('adds one after asking for the password, says so when the prompt is closed, lists it', async () => {
    const user = await signedInUser();
    device = installAuthenticator(publicUrl);
    const view = renderApp('/account');
    const section = await screen.findByRole('region', { name: 'Passkeys' });
    await view.user.click(await within(section).findByRole('button', { name: 'Add a passkey' }));
    const password = await within(section).findByLabelText(/^Your password/);
    await view.user.type(password, 'not-my-password');
    await view.user.click(within(section).getByRole('button', { name: 'Add a passkey' }));
    expect(await within(section).findByText('Is not correct.')).toBeInTheDocument();

    await view.user.clear(password);
    await view.user.type(password, user.password);
    device.dismissNext();
    await view.user.click(within(section).getByRole('button', { name: 'Add a passkey' }));
    expect(
      await within(section).findByText(/The passkey prompt was closed or timed out/),
    ).toBeInTheDocument();
    const account = await testDatabase.user.findUniqueOrThrow({ where: { email: user.email } });
    expect(await testDatabase.passkey.count({ where: { userId: account.id } })).toBe(0);

    await view.user.type(within(section).getByLabelText(/^Name/), 'Work laptop');
    await view.user.click(within(section).getByRole('button', { name: 'Add a passkey' }));
    expect(
      await within(section).findByText('The passkey “Work laptop” was added.'),
    ).toBeInTheDocument();
    const list = await within(section).findByRole('list', { name: 'Passkeys' });
    expect(within(list).getByText('Work laptop')).toBeInTheDocument();
    expect(within(list).getByText(/never used/)).toBeInTheDocument();
    expect(await testDatabase.passkey.count({ where: { userId: account.id } })).toBe(1);
  });

  it('renames it, refuses to remove the last way to sign in, then removes it', async () => {
    const user = await signedInUser();
    device = installAuthenticator(publicUrl);
    const { view, section } = await addOnAccountPage(user, 'Phone');
    const list = await within(section).findByRole('list', { name: 'Passkeys' });
    await view.user.click(within(list).getByRole('button', { name: 'Rename Phone' }));
    const field = within(list).getByLabelText(/^Name/);
    await view.user.clear(field);
    await view.user.type(field, 'Old phone');
    await view.user.click(within(list).getByRole('button', { name: 'Save' }));
    expect(await within(list).findByText('Old phone')).toBeInTheDocument();

    // Without a password, provider or other passkey, this one is the only way in.
    await testDatabase.user.update({ where: { email: user.email }, data: { passwordHash: null } });
    await view.user.click(within(list).getByRole('button', { name: 'Remove Old phone' }));
    const dialog = await screen.findByRole('alertdialog', {
      name: 'Remove the passkey “Old phone”?',
    });
    await view.user.click(within(dialog).getByRole('button', { name: 'Remove' }));
    expect(
      await within(dialog).findByText(/This passkey is your only way to sign in/),
    ).toBeInTheDocument();
    await view.user.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    expect(within(list).getByText('Old phone')).toBeInTheDocument();

    await testDatabase.user.update({
      where: { email: user.email },
      data: { passwordHash: 'x' },
    });
    await view.user.click(within(list).getByRole('button', { name: 'Remove Old phone' }));
    await view.user.click(
      within(await screen.findByRole('alertdialog')).getByRole('button', { name: 'Remove' }),
    );
    expect(await within(section).findByText('No passkeys yet.')).toBeInTheDocument();
  });

  it('in a browser without passkeys: no add form, no sign-in button', async () => {
    await signedInUser();
    const view = renderApp('/account');
    const section = await screen.findByRole('region', { name: 'Passkeys' });
    expect(
      await within(section).findByText('This browser cannot use passkeys.'),
    ).toBeInTheDocument();
    expect(within(section).queryByRole('button', { name: 'Add a passkey' })).toBeNull();
    view.unmount();
    await signOut();
    sessionStore.reset();
    renderApp('/sign-in');
    expect(await screen.findByRole('button', { name: 'Sign in' })).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Sign in with a passkey' })).toBeNull();
  });
});

describe('signing in with a passkey, against the real API', () => {
  it('signs in with no email or password typed; a removed passkey is refused with a clear message', async () => {
    const user = await signedInUser();
    device = installAuthenticator(publicUrl);
    const added = await addOnAccountPage(user, 'Laptop');
    added.view.unmount();
    await signOut();
    sessionStore.reset();

    const view = renderApp('/sign-in');
    await view.user.click(await screen.findByRole('button', { name: 'Sign in with a passkey' }));
    await waitFor(() => expect(view.router.state.location.pathname).toBe('/items'));
    expect(sessionStore.get().status).toBe('signedIn');
    view.unmount();

    const account = await testDatabase.user.findUniqueOrThrow({ where: { email: user.email } });
    await testDatabase.passkey.deleteMany({ where: { userId: account.id } });
    await signOut();
    sessionStore.reset();
    const again = renderApp('/sign-in');
    await again.user.click(await screen.findByRole('button', { name: 'Sign in with a passkey' }));
    expect(await screen.findByText(/This passkey is not registered here/)).toBeInTheDocument();
    expect(sessionStore.get().status).toBe('signedOut');
  });

  it('offers "Use a passkey" as the second step when two-step sign-in is on', async () => {
    const user = await signedInUser();
    device = installAuthenticator(publicUrl, { userVerified: false });
    const added = await addOnAccountPage(user, 'Key');
    added.view.unmount();
    const { secret } = dataOrThrow(await apiClient.POST('/api/auth/mfa/totp', { body: {} }));
    const code = new TOTP({ secret: Secret.fromBase32(secret), digits: 6, period: 30 }).generate({
      timestamp: Date.now() - 30_000,
    });
    dataOrThrow(await apiClient.POST('/api/auth/mfa/totp/activate', { body: { code } }));
    await signOut();
    sessionStore.reset();

    const view = renderApp('/sign-in');
    await view.user.type(await screen.findByLabelText('Email'), user.email);
    await view.user.type(screen.getByLabelText('Password'), user.password);
    await view.user.click(screen.getByRole('button', { name: 'Sign in' }));
    expect(await screen.findByRole('heading', { name: 'Two-step sign-in' })).toBeInTheDocument();
    await view.user.click(screen.getByRole('button', { name: 'Use a passkey' }));
    await waitFor(() => expect(view.router.state.location.pathname).toBe('/items'));
    expect(sessionStore.get().status).toBe('signedIn');
  });
});
