import { screen, waitFor, within } from '@testing-library/react';
import { Secret, TOTP } from 'otpauth';
import { afterAll, describe, expect, it } from 'vitest';
import { createConfirmedUser, signedInUser, signInAs } from '../../../test/accounts';
import { testDatabase } from '../../../test/database';
import { renderApp } from '../../../test/render-app';
import { apiClient } from '../../lib/api-client';
import { dataOrThrow } from '../../lib/problem';
import { sessionStore } from '../../lib/session-store';
import { isMfaChallenge, signIn } from './api/sign-in';
import { signOut } from './api/sign-out';

afterAll(async () => {
  await testDatabase.$disconnect();
});

function codeAt(secret: string, at: number) {
  return new TOTP({ secret: Secret.fromBase32(secret), digits: 6, period: 30 }).generate({
    timestamp: at,
  });
}

/** An identity as a provider sign-in would have linked it (the test backend has no provider). */
async function linkedIdentity(email: string, provider = 'example') {
  const user = await testDatabase.user.findUniqueOrThrow({ where: { email } });
  return testDatabase.identity.create({
    data: {
      userId: user.id,
      provider,
      issuer: 'https://id.example.test',
      subject: crypto.randomUUID(),
      email: `${provider}-${email}`,
      emailVerified: true,
    },
  });
}

describe('provider sign-in pages against the real API', () => {
  it('shows no provider buttons when none is configured, and names a refused sign-in', async () => {
    const view = renderApp('/sign-in#error=email_not_verified');
    expect(
      await screen.findByText(/did not confirm your email address, so no account was opened/),
    ).toBeInTheDocument();
    // The code left the address once read.
    await waitFor(() => expect(view.router.state.location.hash).toBe(''));
    expect(await screen.findByRole('button', { name: 'Sign in' })).toBeInTheDocument();
    const { providers } = dataOrThrow(await apiClient.GET('/api/auth/providers'));
    expect(providers).toEqual([]);
    expect(screen.queryByRole('navigation', { name: 'Other ways to sign in' })).toBeNull();
    expect(screen.queryByText(/Continue with/)).toBeNull();
    view.unmount();

    renderApp('/sign-in#error=something_new');
    expect(
      await screen.findByText(/Signing in with the provider did not work/),
    ).toBeInTheDocument();
  });

  it('completes the second step from the challenge in the fragment, after refusing a wrong code', async () => {
    const user = await createConfirmedUser();
    await signInAs(user);
    const { secret } = dataOrThrow(await apiClient.POST('/api/auth/mfa/totp', { body: {} }));
    dataOrThrow(
      await apiClient.POST('/api/auth/mfa/totp/activate', {
        body: { code: codeAt(secret, Date.now() - 30_000) },
      }),
    );
    await signOut();
    sessionStore.reset();
    const answer = await signIn({ ...user, keepSignedIn: false });
    if (!isMfaChallenge(answer)) throw new Error('expected the second step');

    const view = renderApp(
      `/sign-in/second-step#challenge=${encodeURIComponent(answer.challenge)}&expiresAt=${encodeURIComponent(answer.challengeExpiresAt)}`,
    );
    expect(await screen.findByRole('heading', { name: 'Two-step sign-in' })).toBeInTheDocument();
    await waitFor(() => expect(view.router.state.location.hash).toBe(''));
    await view.user.type(screen.getByLabelText('Authenticator code'), '000000');
    await view.user.click(screen.getByRole('button', { name: 'Verify' }));
    expect(await screen.findByText('Is not valid.')).toBeInTheDocument();
    expect(sessionStore.get().status).toBe('signedOut');
    const field = screen.getByLabelText('Authenticator code');
    await view.user.clear(field);
    await view.user.type(field, codeAt(secret, Date.now()));
    await view.user.click(screen.getByRole('button', { name: 'Verify' }));
    await waitFor(() => expect(view.router.state.location.pathname).toBe('/items'));
    expect(sessionStore.get().status).toBe('signedIn');
  });

  it('without a challenge, sends the visitor back to sign in', async () => {
    renderApp('/sign-in/second-step');
    expect(
      await screen.findByText('This sign-in step has no challenge. Sign in again.'),
    ).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Back to sign-in' })).toBeInTheDocument();
  });

  it('refuses a link proof whose request does not exist, and stays signed out', async () => {
    const view = renderApp(
      `/sign-in/link#token=${'x'.repeat(43)}&provider=example&email=someone%40example.test&password=true`,
    );
    expect(
      await screen.findByText(/An account with someone@example.test already exists/),
    ).toBeInTheDocument();
    await waitFor(() => expect(view.router.state.location.hash).toBe(''));
    await view.user.type(screen.getByLabelText('Password'), 'not-the-password');
    await view.user.click(screen.getByRole('button', { name: 'Link with my password' }));
    expect(
      await screen.findByText(/This link request has expired or was already used/),
    ).toBeInTheDocument();
    expect(sessionStore.get().status).toBe('signedOut');
    await view.user.click(screen.getByRole('button', { name: 'Email me a code' }));
    await waitFor(() =>
      expect(screen.getAllByText(/This link request has expired/)).toHaveLength(2),
    );
    expect(screen.queryByLabelText('Code')).toBeNull();
  });
});

describe('linked accounts on the account page', () => {
  it('lists a linked identity and unlinks it after the confirmation', async () => {
    const user = await signedInUser();
    const identity = await linkedIdentity(user.email);
    const view = renderApp('/account#linked=example');
    const section = await screen.findByRole('region', { name: 'Linked accounts' });
    expect(within(section).getByRole('status')).toHaveTextContent(
      'example is linked to your account.',
    );
    const list = await within(section).findByRole('list', { name: 'Linked accounts' });
    expect(within(list).getByText(`example-${user.email}`)).toBeInTheDocument();

    await view.user.click(within(list).getByRole('button', { name: 'Unlink example' }));
    const dialog = await screen.findByRole('alertdialog', { name: 'Unlink example?' });
    await view.user.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    expect(await testDatabase.identity.findUnique({ where: { id: identity.id } })).not.toBeNull();

    await view.user.click(within(list).getByRole('button', { name: 'Unlink example' }));
    await view.user.click(
      within(await screen.findByRole('alertdialog')).getByRole('button', { name: 'Unlink' }),
    );
    expect(
      await within(section).findByText('No provider is linked to this account.'),
    ).toBeInTheDocument();
    expect(screen.queryByRole('alertdialog')).toBeNull();
    expect(await testDatabase.identity.findUnique({ where: { id: identity.id } })).toBeNull();
  });

  it('refuses to unlink the only way to sign in, and says so', async () => {
    const user = await signedInUser();
    const identity = await linkedIdentity(user.email);
    // An account opened through a provider has no password.
    await testDatabase.user.update({ where: { email: user.email }, data: { passwordHash: null } });
    const view = renderApp('/account');
    const list = await screen.findByRole('list', { name: 'Linked accounts' });
    await view.user.click(within(list).getByRole('button', { name: 'Unlink example' }));
    const dialog = await screen.findByRole('alertdialog');
    await view.user.click(within(dialog).getByRole('button', { name: 'Unlink' }));
    expect(
      await within(dialog).findByText(
        'This is your only way to sign in. Set a password or link another provider first.',
      ),
    ).toBeInTheDocument();
    expect(await testDatabase.identity.findUnique({ where: { id: identity.id } })).not.toBeNull();
  });

  it('names a refused link that came back from the provider', async () => {
    await signedInUser();
    const view = renderApp('/account#link_error=identity_already_linked');
    expect(
      await screen.findByText('That provider account is already linked to another account here.'),
    ).toBeInTheDocument();
    await waitFor(() => expect(view.router.state.location.hash).toBe(''));
    expect(await screen.findByText('No provider is linked to this account.')).toBeInTheDocument();
  });
});
