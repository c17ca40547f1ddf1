import { screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import {
  createConfirmedUser,
  emailedCode,
  signInAs,
  strongPassword,
  uniqueEmail,
} from '../../../test/accounts';
import { browser } from '../../../test/browser-fetch';
import { renderApp } from '../../../test/render-app';
import { sessionStore } from '../../lib/session-store';

async function fillSignIn(
  user: { email: string; password: string },
  view: ReturnType<typeof renderApp>,
) {
  const email = await screen.findByLabelText('Email');
  await view.user.clear(email);
  await view.user.type(email, user.email);
  await view.user.type(screen.getByLabelText('Password'), user.password);
}

describe('sign-up, confirmation and sign-in against the real API', () => {
  it('signs up, confirms with the emailed code and signs in', async () => {
    const email = uniqueEmail('signup');
    const password = strongPassword();
    const view = renderApp('/sign-up');
    await view.user.type(await screen.findByLabelText('Email'), email);
    await view.user.type(screen.getByLabelText('Password'), password);
    await view.user.click(screen.getByRole('button', { name: 'Create account' }));

    expect(await screen.findByRole('heading', { name: 'Confirm your email' })).toHaveFocus();
    expect(screen.getByLabelText('Email')).toHaveValue(email);
    // A code was just sent: resending waits.
    const resend = screen.getByRole('button', { name: /Resend code in \d+ s/ });
    expect(resend).toHaveAttribute('aria-disabled', 'true');

    await view.user.type(screen.getByLabelText('Code'), '000000');
    await view.user.click(screen.getByRole('button', { name: 'Confirm' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('The code is not valid');

    const code = screen.getByLabelText('Code');
    await view.user.clear(code);
    await view.user.type(code, await emailedCode(email));
    await view.user.click(screen.getByRole('button', { name: 'Confirm' }));

    expect(await screen.findByText('Your account is confirmed. Sign in.')).toBeInTheDocument();
    expect(screen.getByLabelText('Email')).toHaveValue(email);
    await view.user.type(screen.getByLabelText('Password'), password);
    await view.user.click(screen.getByRole('button', { name: 'Sign in' }));

    expect(await screen.findByRole('heading', { level: 1, name: 'Items' })).toBeInTheDocument();
    expect(sessionStore.get()).toMatchObject({ status: 'signedIn', user: { email } });
  });

  it('shows the server’s field errors on sign-up and a weak password is refused', async () => {
    const view = renderApp('/sign-up');
    await view.user.type(await screen.findByLabelText('Email'), uniqueEmail('weak'));
    // Long enough for the client's check, but on the server's common-password list.
    await view.user.type(screen.getByLabelText('Password'), 'password123');
    await view.user.click(screen.getByRole('button', { name: 'Create account' }));
    const password = screen.getByLabelText('Password');
    await waitFor(() => expect(password).toHaveAttribute('aria-invalid', 'true'));
    expect(screen.getByRole('heading', { level: 1 })).toHaveTextContent('Create an account');
  });

  it('resends a code with a cooldown, and the new code confirms', async () => {
    const email = uniqueEmail('resend');
    const view = renderApp('/sign-up');
    await view.user.type(await screen.findByLabelText('Email'), email);
    await view.user.type(screen.getByLabelText('Password'), strongPassword());
    await view.user.click(screen.getByRole('button', { name: 'Create account' }));
    await emailedCode(email, 1);
    view.unmount();

    // Coming back later (no cooldown running) to ask for another code.
    const later = renderApp(`/confirm?email=${encodeURIComponent(email)}`);
    await later.user.click(await screen.findByRole('button', { name: 'Resend code' }));
    expect(await screen.findByText(/a new code is on its way/)).toBeInTheDocument();
    expect(screen.getByRole('button', { name: /Resend code in \d+ s/ })).toHaveAttribute(
      'aria-disabled',
      'true',
    );
    await later.user.type(screen.getByLabelText('Code'), await emailedCode(email, 2));
    await later.user.click(screen.getByRole('button', { name: 'Confirm' }));
    expect(await screen.findByText('Your account is confirmed. Sign in.')).toBeInTheDocument();
  });

  it('refuses a wrong password without saying which part was wrong', async () => {
    const user = await createConfirmedUser();
    const view = renderApp('/sign-in');
    await fillSignIn({ email: user.email, password: 'not-the-password' }, view);
    await view.user.click(screen.getByRole('button', { name: 'Sign in' }));
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'The email or password is not correct.',
    );
    expect(sessionStore.get().status).toBe('signedOut');
  });

  it('guards pages: sign-in first, then back to the page asked for', async () => {
    const user = await createConfirmedUser();
    const view = renderApp('/account');
    expect(await screen.findByRole('heading', { name: 'Sign in' })).toBeInTheDocument();
    expect(view.router.state.location.search).toBe(`?next=${encodeURIComponent('/account')}`);
    await fillSignIn(user, view);
    await view.user.click(screen.getByRole('button', { name: 'Sign in' }));
    expect(await screen.findByRole('heading', { level: 1, name: 'Account' })).toBeInTheDocument();
    expect(view.router.state.location.pathname).toBe('/account');
  });

  it('on a 401 refreshes once through the cookie and retries the request', async () => {
    const user = await createConfirmedUser();
    const tokens = await signInAs(user);
    // An access token the backend refuses (as when it has expired or been tampered with).
    sessionStore.signedIn({ ...tokens, accessToken: `${tokens.accessToken.slice(0, -4)}AAAA` });
    renderApp('/items');
    expect(await screen.findByText('No items yet.')).toBeInTheDocument();
    const state = sessionStore.get();
    expect(state.status).toBe('signedIn');
    expect(state.status === 'signedIn' && state.accessToken).not.toContain('AAAA');
  });

  it('restores the session after a reload, and only "keep me signed in" survives closing', async () => {
    const kept = await createConfirmedUser();
    await signInAs(kept, true);
    sessionStore.reset();
    await browser.closeBrowser();
    renderApp('/account');
    expect(await screen.findByText(kept.email)).toBeInTheDocument();
  });

  it('without "keep me signed in" closing the browser ends the session', async () => {
    const user = await createConfirmedUser();
    await signInAs(user, false);
    sessionStore.reset();
    await browser.closeBrowser();
    renderApp('/account');
    expect(await screen.findByRole('heading', { name: 'Sign in' })).toBeInTheDocument();
  });

  it('resets a forgotten password with the emailed code', async () => {
    const user = await createConfirmedUser();
    const view = renderApp('/forgot-password');
    await view.user.type(await screen.findByLabelText('Email'), user.email);
    await view.user.click(screen.getByRole('button', { name: 'Send code' }));

    expect(await screen.findByRole('heading', { name: 'Set a new password' })).toBeInTheDocument();
    expect(screen.getByLabelText('Email')).toHaveValue(user.email);
    const newPassword = strongPassword();
    // The first email was the sign-up code; the second is the reset code.
    await view.user.type(screen.getByLabelText('Code'), await emailedCode(user.email, 2));
    await view.user.type(screen.getByLabelText('New password'), newPassword);
    await view.user.click(screen.getByRole('button', { name: 'Set new password' }));

    expect(await screen.findByText(/Your password is changed/)).toBeInTheDocument();
    await view.user.type(screen.getByLabelText('Password'), newPassword);
    await view.user.click(screen.getByRole('button', { name: 'Sign in' }));
    expect(await screen.findByRole('heading', { level: 1, name: 'Items' })).toBeInTheDocument();
  });
});
