import { randomBytes } from 'node:crypto';
import { OAuth2Server } from 'oauth2-mock-server';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  browserContext,
  type E2eStack,
  emailedCode,
  launchChromium,
  screenshotOnFailure as onFailureScreenshot,
  useNamedStack,
} from './support/e2e.js';

// Sign-in with a provider in Debian's Chromium over HTTPS through nginx, on a stack of its own
// configured with one generic OIDC provider: oauth2-mock-server on loopback, whose authorization
// endpoint answers at once (a person who is already signed in there). A new person gets an
// account; a verified local account is linked only after its password; an unverified provider
// email is refused.
let provider: OAuth2Server;
/** The claims the provider's next ID token carries. */
let claims: Record<string, unknown> = {};
let stack: E2eStack;
let stackUrl: string;
let mailApiUrl: string;
let browser: Browser | undefined;
let context: BrowserContext;
let page: Page;

beforeAll(async () => {
  provider = new OAuth2Server();
  await provider.issuer.keys.generate('RS256');
  await provider.start(0, '127.0.0.1');
  provider.service.on('beforeTokenSigning', (token) => Object.assign(token.payload, claims));
  stack = await useNamedStack('oidc', {
    OIDC_EXAMPLE_ISSUER: String(provider.issuer.url),
    OIDC_EXAMPLE_CLIENT_ID: 'homeport-e2e',
    OIDC_EXAMPLE_CLIENT_SECRET: randomBytes(16).toString('hex'),
    OIDC_EXAMPLE_DISPLAY_NAME: 'Example ID',
  });
  ({ stackUrl, mailApiUrl } = stack);
  browser = await launchChromium('en-GB');
  context = await browserContext(browser, 'en-GB');
  page = await context.newPage();
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await stack?.release();
  await provider?.stop();
});

const screenshotOnFailure = (name: string) => onFailureScreenshot(`oidc-${name}`, () => ({ page }));

async function continueWithProvider() {
  await page.goto(`${stackUrl}/sign-in`);
  await page.getByRole('link', { name: 'Continue with Example ID' }).click();
}

async function signOut() {
  await page.getByRole('button', { name: 'Sign out', exact: true }).click();
  await page.waitForURL(/\/sign-in/);
}

async function linkedOnAccountPage(email: string) {
  await page.goto(`${stackUrl}/account`);
  await page.getByText(email).first().waitFor();
  const linked = page.getByRole('region', { name: 'Linked accounts' });
  await linked.getByRole('button', { name: 'Unlink Example ID' }).waitFor();
}

describe('provider sign-in in the browser through nginx', () => {
  it('signs a new person up and in with the provider', async () => {
    screenshotOnFailure('new');
    const email = `e2e-oidc-${randomBytes(5).toString('hex')}@example.test`;
    claims = { sub: randomBytes(8).toString('hex'), email, email_verified: true };
    await continueWithProvider();
    await page.getByRole('button', { name: 'Sign out', exact: true }).waitFor();
    expect(new URL(page.url()).origin).toBe(stackUrl);
    await linkedOnAccountPage(email);
    await signOut();
    // The identity is known now: the same round trip signs straight in.
    await continueWithProvider();
    await page.getByRole('button', { name: 'Sign out', exact: true }).waitFor();
    await signOut();
  });

  it('links a verified local account only after its password', async () => {
    screenshotOnFailure('link');
    const email = `e2e-oidc-${randomBytes(5).toString('hex')}@example.test`;
    const password = `beacon-${randomBytes(6).toString('hex')}-tide`;
    await page.goto(`${stackUrl}/sign-up`);
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password', { exact: true }).fill(password);
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.waitForURL(/\/confirm\?email=/);
    await page.getByLabel('Code').fill((await emailedCode(mailApiUrl, email)).code);
    await page.getByRole('button', { name: 'Confirm', exact: true }).click();
    await page.waitForURL(/\/sign-in/);

    claims = { sub: randomBytes(8).toString('hex'), email, email_verified: true };
    await continueWithProvider();
    await page.waitForURL(/\/sign-in\/link/);
    await page.getByText(`An account with ${email} already exists.`).waitFor();
    await page.getByLabel('Password').fill('not-the-password-at-all');
    await page.getByRole('button', { name: 'Link with my password' }).click();
    await page.getByText('The password is not correct.').first().waitFor();
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Link with my password' }).click();
    await page.getByRole('button', { name: 'Sign out', exact: true }).waitFor();
    await linkedOnAccountPage(email);
    await signOut();
  });

  it('refuses an email the provider did not verify, and opens no account', async () => {
    screenshotOnFailure('unverified');
    const email = `e2e-oidc-${randomBytes(5).toString('hex')}@example.test`;
    claims = { sub: randomBytes(8).toString('hex'), email, email_verified: false };
    await continueWithProvider();
    await page.getByText(/did not confirm your email address, so no account was opened/).waitFor();
    expect(page.url()).toMatch(/\/sign-in/);
    await expect(page.getByRole('button', { name: 'Sign out', exact: true }).count()).resolves.toBe(
      0,
    );
  });
});
