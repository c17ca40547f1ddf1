import { randomBytes } from 'node:crypto';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  browserContext,
  type E2eStack,
  emailedCode,
  launchChromium,
  screenshotOnFailure as onFailureScreenshot,
  passwordStep as signInWithPassword,
  totpApp,
  useStack,
} from './support/e2e.js';

// Two-step sign-in in Debian's Chromium over HTTPS through nginx in front of the native stack
// (scripts/stack.sh): set up an authenticator app on the account page, sign in with its code and
// then with a recovery code, see the second step in Korean, and turn it off again.
let stack: E2eStack;
let stackUrl: string;
let mailApiUrl: string;
let browser: Browser | undefined;
let context: BrowserContext;
let page: Page;

function newContext(locale: string): Promise<BrowserContext> {
  if (!browser) throw new Error('no browser');
  return browserContext(browser, locale);
}

beforeAll(async () => {
  stack = await useStack();
  ({ stackUrl, mailApiUrl } = stack);
  browser = await launchChromium('en-GB');
  context = await newContext('en-GB');
  page = await context.newPage();
});

afterAll(async () => {
  await browser?.close();
  await stack?.release();
});

const screenshotOnFailure = (name: string) => onFailureScreenshot(`mfa-${name}`, () => ({ page }));

const passwordStep = (on: Page, email: string, password: string) =>
  signInWithPassword(on, stackUrl, email, password);

async function signOut() {
  await page.getByRole('button', { name: 'Sign out', exact: true }).click();
  await page.waitForURL(/\/sign-in/);
}

describe('two-step sign-in in the browser through nginx', () => {
  const suffix = randomBytes(5).toString('hex');
  const email = `e2e-mfa-${suffix}@example.test`;
  const password = `lantern-${randomBytes(6).toString('hex')}-quay`;
  let app: ReturnType<typeof totpApp>;
  let recoveryCodes: string[] = [];

  it('signs up and sets up an authenticator app on the account page', async () => {
    screenshotOnFailure('enrol');
    await page.goto(`${stackUrl}/sign-up`);
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password', { exact: true }).fill(password);
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.waitForURL(/\/confirm\?email=/);
    await page.getByLabel('Code').fill((await emailedCode(mailApiUrl, email)).code);
    await page.getByRole('button', { name: 'Confirm', exact: true }).click();
    await page.waitForURL(/\/sign-in/);
    await passwordStep(page, email, password);
    await page.waitForURL(/\/items$/);

    await page.goto(`${stackUrl}/account`);
    const section = page.getByRole('region', { name: 'Two-step sign-in' });
    await section.getByLabel('Your password').first().fill(password);
    await section.getByRole('button', { name: 'Set up an authenticator app' }).click();
    await section.getByRole('img', { name: 'QR code for your authenticator app' }).waitFor();
    const secret = (await section.getByText(/^[A-Z2-7]{32}$/).textContent()) ?? '';
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    app = totpApp(secret);
    await section.getByLabel('Code from the app').fill(await app.fresh());
    await section.getByRole('button', { name: 'Turn on' }).click();
    const list = section.getByRole('list', { name: 'Your recovery codes' });
    await list.waitFor();
    recoveryCodes = (await list.getByRole('listitem').allTextContents()).map((code) => code.trim());
    expect(recoveryCodes).toHaveLength(10);
    await section.getByText('On. 10 recovery codes left.').waitFor();
    await signOut();
  });

  it('asks for the code after the password, refuses a wrong one, signs in with the right one', async () => {
    screenshotOnFailure('totp');
    await passwordStep(page, email, password);
    await page.getByText('Enter the 6-digit code your authenticator app shows').waitFor();
    expect(page.url()).toMatch(/\/sign-in/);
    await page.getByLabel('Authenticator code').fill('000000');
    await page.getByRole('button', { name: 'Verify' }).click();
    await page.getByText('Is not valid.').waitFor();
    expect(page.url()).not.toMatch(/\/items$/);
    await page.getByLabel('Authenticator code').fill(await app.fresh());
    await page.getByRole('button', { name: 'Verify' }).click();
    await page.waitForURL(/\/items$/);
    await signOut();
  });

  it('signs in with a recovery code, which is then used up', async () => {
    screenshotOnFailure('recovery');
    await passwordStep(page, email, password);
    await page.getByRole('button', { name: 'Use a recovery code' }).click();
    await page.getByLabel('Recovery code').fill(recoveryCodes[0] ?? '');
    await page.getByRole('button', { name: 'Verify' }).click();
    await page.waitForURL(/\/items$/);
    await page.goto(`${stackUrl}/account`);
    await page.getByText('On. 9 recovery codes left.').waitFor();
  });

  it('shows the second step in Korean to a Korean browser', async () => {
    screenshotOnFailure('korean');
    const korean = await newContext('ko-KR');
    try {
      const other = await korean.newPage();
      await passwordStep(other, email, password);
      await other.getByRole('button', { name: '복구 코드 사용하기' }).waitFor();
      await other.getByText('2단계 로그인').first().waitFor();
      expect(await other.getAttribute('html', 'lang')).toBe('ko');
    } finally {
      await korean.close();
    }
  });

  it('turns it off with the password and a code; sign-in is one step again', async () => {
    screenshotOnFailure('off');
    const section = page.getByRole('region', { name: 'Two-step sign-in' });
    await section.getByLabel('Your password').last().fill(password);
    await section.getByLabel('Code from the app, or a recovery code').fill(await app.fresh());
    await section.getByRole('button', { name: 'Turn off two-step sign-in' }).click();
    await section.getByRole('button', { name: 'Set up an authenticator app' }).waitFor();
    await signOut();
    await passwordStep(page, email, password);
    await page.waitForURL(/\/items$/);
  });
});
