import { screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import {
  createConfirmedUser,
  emailedCode,
  mailbox,
  signInAs,
  strongPassword,
  uniqueEmail,
} from '../../../test/accounts';
import { browser } from '../../../test/browser-fetch';
import { renderApp } from '../../../test/render-app';
import { activateLocale } from '../../lib/i18n';
import { sessionStore } from '../../lib/session-store';

async function fillSignIn(
  user: { email: string; password: string },
  view: ReturnType<typeof renderApp>,
  emailLabel = 'Email',
  passwordLabel = 'Password',
) {
  const email = await screen.findByLabelText(emailLabel);
  await view.user.clear(email);
  await view.user.type(email, user.email);
  await view.user.type(screen.getByLabelText(passwordLabel), user.password);
}

describe('the emailed unlock link', () => {
  it('posts its token once, says plainly when the link is stale, and drops the token from the address', async () => {
    const stale = `${crypto.randomUUID()}.1764640000000.${'a'.repeat(43)}`;
    const view = renderApp(`/sign-in?unlock=${stale}&next=%2Fitems`);
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'This unlock link is not valid any more',
    );
    expect(view.router.state.location.search).toBe('?next=%2Fitems');
    // Signing in still works from here.
    expect(screen.getByRole('button', { name: 'Sign in' })).toBeEnabled();
  });
});

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
    // The header names who is signed in; the account page says it too.
    expect(
      await screen.findByRole('link', { name: `Account of ${kept.email}` }),
    ).toBeInTheDocument();
    expect(screen.getByText(kept.email, { selector: 'strong' })).toBeInTheDocument();
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

describe('sign-up and sign-in in Korean', () => {
  it('signs up in Korean, gets the code in a Korean email, confirms and signs in', async () => {
    await activateLocale('ko');
    const email = uniqueEmail('ko-signup');
    const password = strongPassword();
    const view = renderApp('/sign-up');
    expect(await screen.findByRole('heading', { level: 1, name: '회원가입' })).toHaveFocus();
    await waitFor(() => expect(document.title).toBe('회원가입 · Homeport'));
    expect(document.documentElement.lang).toBe('ko');
    expect(screen.getByLabelText('비밀번호')).toHaveAccessibleDescription(
      '10~128자로 입력하세요. 단어 몇 개를 이어 만든 문장형 비밀번호가 좋아요.',
    );
    await view.user.type(screen.getByLabelText('이메일'), email);
    await view.user.type(screen.getByLabelText('비밀번호'), password);
    await view.user.click(screen.getByRole('button', { name: '가입하기' }));

    expect(await screen.findByRole('heading', { name: '이메일 인증' })).toHaveFocus();
    // The page's language reached the account: its email is in Korean.
    const message = await mailbox.waitFor(email);
    expect(message.Subject).toBe('Homeport 이메일 인증 코드');
    expect(message.Text).toContain('아래 코드를 입력하면 가입이 완료됩니다.');

    // The server's refusal comes back in Korean too (Accept-Language), its code unchanged.
    await view.user.type(screen.getByLabelText('인증 코드'), '000000');
    await view.user.click(screen.getByRole('button', { name: '인증하기' }));
    expect(await screen.findByRole('alert')).toHaveTextContent(
      '코드가 올바르지 않아요. 만료되었다면 새 코드를 요청하세요.',
    );
    const code = screen.getByLabelText('인증 코드');
    await view.user.clear(code);
    await view.user.type(code, await emailedCode(email));
    await view.user.click(screen.getByRole('button', { name: '인증하기' }));

    expect(await screen.findByText('계정 인증을 마쳤어요. 로그인하세요.')).toBeInTheDocument();
    await waitFor(() => expect(document.title).toBe('로그인 · Homeport'));
    await view.user.type(screen.getByLabelText('비밀번호'), password);
    await view.user.click(screen.getByRole('button', { name: '로그인' }));
    expect(await screen.findByRole('heading', { level: 1, name: '항목' })).toBeInTheDocument();
    expect(await screen.findByText('아직 항목이 없어요.')).toBeInTheDocument();
  });

  it('shows sign-in errors from the client and the server in Korean', async () => {
    await activateLocale('ko');
    const user = await createConfirmedUser(uniqueEmail('ko-signin'), 'ko');
    const view = renderApp('/sign-in');
    await view.user.click(await screen.findByRole('button', { name: '로그인' }));
    expect(screen.getByLabelText('이메일')).toHaveAccessibleDescription(
      '이메일 주소를 입력하세요.',
    );

    await fillSignIn(
      { email: user.email, password: 'not-the-password' },
      view,
      '이메일',
      '비밀번호',
    );
    await view.user.click(screen.getByRole('button', { name: '로그인' }));
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('로그인하지 못했어요');
    expect(alert).toHaveTextContent('이메일 또는 비밀번호가 올바르지 않아요.');
  });

  it('switches the language at once from the header, and keeps a visitor’s choice', async () => {
    const view = renderApp('/sign-in');
    await screen.findByRole('heading', { level: 1, name: 'Sign in' });
    await view.user.selectOptions(screen.getByRole('combobox', { name: 'Language' }), 'ko');
    expect(await screen.findByRole('heading', { level: 1, name: '로그인' })).toBeInTheDocument();
    expect(document.documentElement.lang).toBe('ko');
    expect(localStorage.getItem('homeport.locale')).toBe('ko');
    localStorage.removeItem('homeport.locale');
  });
});
