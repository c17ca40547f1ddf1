import { screen } from '@testing-library/react';
import { Secret, TOTP } from 'otpauth';
import { describe, expect, it } from 'vitest';
import { createConfirmedUser, signInAs, type TestUser } from '../../../test/accounts';
import { renderApp } from '../../../test/render-app';
import { apiClient } from '../../lib/api-client';
import { dataOrThrow } from '../../lib/problem';
import { sessionStore } from '../../lib/session-store';
import { signOut } from './api/sign-out';

const STEP_MS = 30_000;

function codeAt(secret: string, at: number) {
  return new TOTP({ secret: Secret.fromBase32(secret), digits: 6, period: 30 }).generate({
    timestamp: at,
  });
}

/** A confirmed account with an authenticator (activated with the previous step's code). */
async function enrolledUser(): Promise<TestUser & { secret: string; recoveryCodes: string[] }> {
  const user = await createConfirmedUser();
  await signInAs(user);
  const { secret } = dataOrThrow(await apiClient.POST('/api/auth/mfa/totp', { body: {} }));
  const { recoveryCodes } = dataOrThrow(
    await apiClient.POST('/api/auth/mfa/totp/activate', {
      body: { code: codeAt(secret, Date.now() - STEP_MS) },
    }),
  );
  // Signed out (the refresh cookie dropped too), so the sign-in page starts from nothing.
  await signOut();
  sessionStore.reset();
  return { ...user, secret, recoveryCodes };
}

async function passwordStep(user: TestUser, view: ReturnType<typeof renderApp>) {
  await view.user.type(await screen.findByLabelText('Email'), user.email);
  await view.user.type(screen.getByLabelText('Password'), user.password);
  await view.user.click(screen.getByRole('button', { name: 'Sign in' }));
  expect(await screen.findByRole('heading', { name: 'Two-step sign-in' })).toBeInTheDocument();
  // No tokens yet.
  expect(sessionStore.get().status).toBe('signedOut');
}

describe('two-step sign-in against the real API', () => {
  it('asks for the authenticator code after the password, refuses a wrong one, then signs in', async () => {
    const user = await enrolledUser();
    const view = renderApp('/sign-in?next=%2Faccount');
    await passwordStep(user, view);
    await view.user.type(screen.getByLabelText('Authenticator code'), '000000');
    await view.user.click(screen.getByRole('button', { name: 'Verify' }));
    expect(await screen.findByText('Is not valid.')).toBeInTheDocument();
    const field = screen.getByLabelText('Authenticator code');
    await view.user.clear(field);
    await view.user.type(field, codeAt(user.secret, Date.now()));
    await view.user.click(screen.getByRole('button', { name: 'Verify' }));
    expect(await screen.findByRole('heading', { level: 1, name: 'Account' })).toBeInTheDocument();
    expect(view.router.state.location.pathname).toBe('/account');
    expect(sessionStore.get().status).toBe('signedIn');
  });

  it('takes a recovery code instead, once', async () => {
    const user = await enrolledUser();
    const [recoveryCode = ''] = user.recoveryCodes;
    const view = renderApp('/sign-in');
    await passwordStep(user, view);
    await view.user.click(screen.getByRole('button', { name: 'Use a recovery code' }));
    await view.user.type(screen.getByLabelText('Recovery code'), recoveryCode.toLowerCase());
    await view.user.click(screen.getByRole('button', { name: 'Verify' }));
    expect(await waitForSignedIn()).toBe('signedIn');

    view.unmount();
    await signOut();
    sessionStore.reset();
    const again = renderApp('/sign-in');
    await passwordStep(user, again);
    await again.user.click(screen.getByRole('button', { name: 'Use a recovery code' }));
    await again.user.type(screen.getByLabelText('Recovery code'), recoveryCode);
    await again.user.click(screen.getByRole('button', { name: 'Verify' }));
    expect(await screen.findByText('Is not valid.')).toBeInTheDocument();
  });
});

async function waitForSignedIn() {
  for (let attempt = 0; attempt < 100; attempt++) {
    if (sessionStore.get().status === 'signedIn') return 'signedIn';
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return sessionStore.get().status;
}
