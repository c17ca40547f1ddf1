import { randomBytes } from 'node:crypto';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  browserContext,
  type E2eStack,
  emailedCode,
  launchChromium,
  screenshotOnFailure as onFailureScreenshot,
  passwordStep,
  totpApp,
  trustStackCertificateArg,
  useStack,
} from './support/e2e.js';

// Passkeys in Debian's Chromium over HTTPS through nginx in front of the native stack, with
// Chromium's virtual authenticator (DevTools protocol, WebAuthn domain) as the device: add one on
// the account page, sign in with it and no password, use it as the second step once two-step
// sign-in is on, and remove it.
let stack: E2eStack;
let stackUrl: string;
let mailApiUrl: string;
let browser: Browser | undefined;
let context: BrowserContext;
let page: Page;

beforeAll(async () => {
  stack = await useStack();
  ({ stackUrl, mailApiUrl } = stack);
  // Trusted by its key, not "errors ignored": WebAuthn is refused on a certificate error.
  browser = await launchChromium('en-GB', [trustStackCertificateArg()]);
  context = await browserContext(browser, 'en-GB', { trustedCertificate: true });
  page = await context.newPage();
  // A platform authenticator with resident keys and user verification, that answers at once.
  const devtools = await context.newCDPSession(page);
  await devtools.send('WebAuthn.enable');
  await devtools.send('WebAuthn.addVirtualAuthenticator', {
    options: {
      protocol: 'ctap2',
      transport: 'internal',
      hasResidentKey: true,
      hasUserVerification: true,
      isUserVerified: true,
      automaticPresenceSimulation: true,
    },
  });
});

afterAll(async () => {
  await browser?.close();
  await stack?.release();
});

const screenshotOnFailure = (name: string) =>
  onFailureScreenshot(`passkeys-${name}`, () => ({ page }));

async function signOut() {
  await page.getByRole('button', { name: 'Sign out', exact: true }).click();
  await page.waitForURL(/\/sign-in/);
}

describe('passkeys in the browser through nginx', () => {
  const suffix = randomBytes(5).toString('hex');
  const email = `e2e-passkey-${suffix}@example.test`;
  const password = `harbour-${randomBytes(6).toString('hex')}-crane`;

  it('adds a passkey on the account page after the password is asked again', async () => {
    screenshotOnFailure('add');
    await page.goto(`${stackUrl}/sign-up`);
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password', { exact: true }).fill(password);
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.waitForURL(/\/confirm\?email=/);
    await page.getByLabel('Code').fill((await emailedCode(mailApiUrl, email)).code);
    await page.getByRole('button', { name: 'Confirm', exact: true }).click();
    await page.waitForURL(/\/sign-in/);
    await passwordStep(page, stackUrl, email, password);
    await page.waitForURL(/\/items$/);

    await page.goto(`${stackUrl}/account`);
    const section = page.getByRole('region', { name: 'Passkeys' });
    await section.getByText('No passkeys yet.').waitFor();
    await section.getByLabel('Name').fill('Work laptop');
    await section.getByRole('button', { name: 'Add a passkey' }).click();
    // A one-factor session must prove the password first.
    await section.getByText('Adding a passkey needs your password again.').waitFor();
    await section.getByLabel('Your password').fill(password);
    await section.getByRole('button', { name: 'Add a passkey' }).click();
    await section.getByText('The passkey “Work laptop” was added.').waitFor();
    const list = section.getByRole('list', { name: 'Passkeys' });
    await list.getByText('Work laptop', { exact: true }).waitFor();
    expect(await list.getByText('never used').count()).toBe(1);
    await signOut();
  });

  it('signs in with the passkey alone, no email or password typed', async () => {
    screenshotOnFailure('sign-in');
    await page.goto(`${stackUrl}/sign-in`);
    await page.getByRole('button', { name: 'Sign in with a passkey' }).click();
    await page.waitForURL(/\/items$/);
    await page.goto(`${stackUrl}/account`);
    await page.getByText(email).first().waitFor();
    const list = page.getByRole('region', { name: 'Passkeys' }).getByRole('list');
    await list.getByText('last used').waitFor();
  });

  it('offers the passkey as the second step once two-step sign-in is on', async () => {
    screenshotOnFailure('second-step');
    const mfa = page.getByRole('region', { name: 'Two-step sign-in' });
    // The passkey session is aal2 and recent: no password needed to enrol, but the form asks.
    await mfa.getByLabel('Your password').first().fill(password);
    await mfa.getByRole('button', { name: 'Set up an authenticator app' }).click();
    const secret = (await mfa.getByText(/^[A-Z2-7]{32}$/).textContent()) ?? '';
    await mfa.getByLabel('Code from the app').fill(await totpApp(secret).fresh());
    await mfa.getByRole('button', { name: 'Turn on' }).click();
    await mfa.getByText('On. 10 recovery codes left.').waitFor();
    await signOut();

    await passwordStep(page, stackUrl, email, password);
    await page.getByText('Enter the 6-digit code your authenticator app shows').waitFor();
    await page.getByRole('button', { name: 'Use a passkey' }).click();
    await page.waitForURL(/\/items$/);
  });

  it('removes the passkey; the browser still offers it, and the server says it is unknown', async () => {
    screenshotOnFailure('remove');
    await page.goto(`${stackUrl}/account`);
    const section = page.getByRole('region', { name: 'Passkeys' });
    await section.getByRole('button', { name: 'Rename Work laptop' }).click();
    await section.getByLabel('Name').first().fill('Old laptop');
    await section.getByRole('button', { name: 'Save' }).click();
    await section.getByRole('button', { name: 'Remove Old laptop' }).click();
    await page
      .getByRole('alertdialog')
      .getByRole('button', { name: 'Remove', exact: true })
      .click();
    await section.getByText('No passkeys yet.').waitFor();
    await signOut();

    await page.getByRole('button', { name: 'Sign in with a passkey' }).click();
    await page.getByText('This passkey is not registered here').waitFor();
    expect(page.url()).toMatch(/\/sign-in/);
  });
});
