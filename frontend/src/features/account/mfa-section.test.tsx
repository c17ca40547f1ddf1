import { screen, waitFor, within } from '@testing-library/react';
import { Secret, TOTP } from 'otpauth';
import { describe, expect, it } from 'vitest';
import { signedInUser } from '../../../test/accounts';
import { renderApp } from '../../../test/render-app';
import { sessionStore } from '../../lib/session-store';
import { getMfaStatus } from './api/mfa';

function acrOf(token: string | undefined): unknown {
  const payload = token?.split('.')[1];
  return payload ? JSON.parse(atob(payload.replace(/-/g, '+').replace(/_/g, '/'))).acr : undefined;
}

function codeNow(secret: string) {
  return new TOTP({ secret: Secret.fromBase32(secret), digits: 6, period: 30 }).generate();
}

describe('two-step sign-in on the account page against the real API', () => {
  it('sets up an app from the QR code, shows the recovery codes once, makes new ones and turns it off', async () => {
    const user = await signedInUser();
    const view = renderApp('/account');
    const region = await screen.findByRole('region', { name: 'Two-step sign-in' });
    const section = within(region);
    await view.user.type(await section.findByLabelText('Your password'), 'not-my-password-1');
    await view.user.click(section.getByRole('button', { name: 'Set up an authenticator app' }));
    expect(await section.findByText('Is not correct.')).toBeInTheDocument();
    const password = section.getByLabelText('Your password');
    await view.user.clear(password);
    await view.user.type(password, user.password);
    await view.user.click(section.getByRole('button', { name: 'Set up an authenticator app' }));

    const qr = await section.findByRole('img', { name: 'QR code for your authenticator app' });
    expect(qr.getAttribute('src')).toMatch(/^data:image\/png;base64,/);
    const secret = section.getByText(/^[A-Z2-7]{32}$/).textContent ?? '';
    await view.user.type(section.getByLabelText('Code from the app'), '000000');
    await view.user.click(section.getByRole('button', { name: 'Turn on' }));
    expect(await section.findByText('Is not valid.')).toBeInTheDocument();
    const code = section.getByLabelText('Code from the app');
    await view.user.clear(code);
    await view.user.type(code, codeNow(secret));
    await view.user.click(section.getByRole('button', { name: 'Turn on' }));

    const list = await section.findByRole('list', { name: 'Your recovery codes' });
    const first = within(list)
      .getAllByRole('listitem')
      .map((item) => item.textContent ?? '');
    expect(first).toHaveLength(10);
    expect(section.getByRole('link', { name: 'Download' })).toHaveAttribute(
      'download',
      'homeport-recovery-codes.txt',
    );
    expect(await section.findByText('On. 10 recovery codes left.')).toBeInTheDocument();
    expect(await getMfaStatus()).toMatchObject({ enabled: true, recoveryCodesLeft: 10 });
    // This session proved the factor: the token in hand is now aal2 (no second sign-in needed).
    await waitFor(() => expect(acrOf(sessionStore.accessToken())).toBe('aal2'));

    const [regeneratePassword, disablePassword] = section.getAllByLabelText('Your password');
    if (!regeneratePassword || !disablePassword) throw new Error('two password fields expected');
    await view.user.type(regeneratePassword, user.password);
    await view.user.click(section.getByRole('button', { name: 'Make new codes' }));
    await screen.findByText((_, element) => {
      const items = element?.tagName === 'UL' ? [...element.querySelectorAll('li')] : [];
      return items.length === 10 && !items.some((item) => first.includes(item.textContent ?? ''));
    });

    // An old recovery code no longer turns it off; a new one does.
    const fresh = [
      ...section.getByRole('list', { name: 'Your recovery codes' }).querySelectorAll('li'),
    ];
    await view.user.type(disablePassword, user.password);
    const factor = section.getByLabelText('Code from the app, or a recovery code');
    await view.user.type(factor, first[0] ?? '');
    await view.user.click(section.getByRole('button', { name: 'Turn off two-step sign-in' }));
    expect(await section.findByText('Is not valid.')).toBeInTheDocument();
    await view.user.clear(factor);
    await view.user.type(factor, fresh[0]?.textContent ?? '');
    await view.user.click(section.getByRole('button', { name: 'Turn off two-step sign-in' }));
    expect(
      await section.findByRole('button', { name: 'Set up an authenticator app' }),
    ).toBeInTheDocument();
    expect(await getMfaStatus()).toMatchObject({ enabled: false });
  });
});
