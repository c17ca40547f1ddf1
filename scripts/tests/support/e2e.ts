import { createHash, X509Certificate } from 'node:crypto';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Secret, TOTP } from 'otpauth';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { onTestFailed } from 'vitest';
import { readEnvFile } from './env-file.js';
import { root, sh } from './nginx.js';

// What the browser end-to-end tests share: the native stack behind nginx (scripts/stack.sh),
// Debian's Chromium started the way this machine allows, screenshots of failures and the codes
// the stack emails.

export interface E2eStack {
  stackUrl: string;
  mailApiUrl: string;
  /** Stops the stack if this test file started it; a running stack is left running. */
  release(): Promise<void>;
}

/** Uses the running stack (rebuilding the SPA nginx serves from disk) or starts one. */
export async function useStack(): Promise<E2eStack> {
  const stackScript = join(root, 'scripts/stack.sh');
  const running = await sh('bash', [stackScript, 'status']).then(
    () => true,
    () => false,
  );
  if (running) await sh('npm', ['run', 'build', '-w', 'frontend', '--silent']);
  else await sh('bash', [stackScript, 'start']);
  return {
    stackUrl: readEnvFile(join(root, '.run/stack/stack.env'), ['STACK_URL']).STACK_URL,
    mailApiUrl: readEnvFile(join(root, '.run/test-services.env'), ['MAIL_API_URL']).MAIL_API_URL,
    release: async () => {
      if (!running) await sh('bash', [stackScript, 'stop']);
    },
  };
}

/**
 * A stack of its own (`STACK_NAME=<name>`, its own ports, database and bucket) started with extra
 * settings in its environment (a sign-in provider, say), always fresh; `release` stops it.
 */
export async function useNamedStack(name: string, env: Record<string, string>): Promise<E2eStack> {
  const stackScript = join(root, 'scripts/stack.sh');
  const stackEnv = { ...process.env, STACK_NAME: name, ...env };
  await sh('bash', [stackScript, 'stop'], stackEnv).catch(() => undefined);
  await sh('bash', [stackScript, 'start'], stackEnv);
  return {
    stackUrl: readEnvFile(join(root, `.run/stack-${name}/stack.env`), ['STACK_URL']).STACK_URL,
    mailApiUrl: readEnvFile(join(root, '.run/test-services.env'), ['MAIL_API_URL']).MAIL_API_URL,
    release: async () => {
      await sh('bash', [stackScript, 'stop'], stackEnv);
    },
  };
}

/** Headless Chromium's flags on a machine with no outside network, in the language `lang`. */
export function chromiumArgs(lang: string): string[] {
  return [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-quic',
    '--no-first-run',
    '--disable-component-update',
    '--disable-sync',
    `--lang=${lang}`,
  ];
}

/** Debian's Chromium, started the way this machine allows, in the language `lang`. */
export function launchChromium(lang: string, extraArgs: string[] = []): Promise<Browser> {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: [...chromiumArgs(lang), ...extraArgs],
    timeout: 60_000,
  });
}

/**
 * A browser context as a person's browser set up in `locale` (navigator.language and
 * Accept-Language). The stack's self-signed certificate is accepted by ignoring certificate
 * errors, unless the browser already trusts it (`trustStackCertificateArg`, which passkeys need).
 */
export async function browserContext(
  browser: Browser,
  locale: string,
  options: { trustedCertificate?: boolean } = {},
): Promise<BrowserContext> {
  const context = await browser.newContext({
    locale,
    ignoreHTTPSErrors: !options.trustedCertificate,
    viewport: { width: 1280, height: 900 },
  });
  context.setDefaultTimeout(20_000);
  return context;
}

/** Where the browser tests leave their screenshots (ignored by git). */
export const screenshots = join(root, '.run/e2e');

/** On failure, what each named page showed goes to `screenshots`. */
export function screenshotOnFailure(name: string, pages: () => Record<string, Page>) {
  onTestFailed(async () => {
    mkdirSync(screenshots, { recursive: true });
    for (const [who, page] of Object.entries(pages())) {
      const path = join(screenshots, `${name}-${who}-${Date.now()}.png`);
      await page.screenshot({ path, fullPage: true }).catch(() => undefined);
      console.error(`e2e: screenshot of the failure in ${path}`);
    }
  });
}

export interface EmailedCode {
  code: string;
  subject: string;
  text: string;
}

/** The 6-digit code of the newest email to `address`, from the SMTP capture's API. */
export async function emailedCode(mailApiUrl: string, address: string): Promise<EmailedCode> {
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    const search = await fetch(
      `${mailApiUrl}/api/v1/search?query=${encodeURIComponent(`to:${address}`)}`,
    );
    const { messages } = (await search.json()) as { messages: { ID: string }[] };
    const newest = messages[0];
    if (newest) {
      const message = (await (await fetch(`${mailApiUrl}/api/v1/message/${newest.ID}`)).json()) as {
        Text: string;
        Subject: string;
      };
      const code = /\b(\d{6})\b/.exec(message.Text)?.[1];
      if (code) return { code, subject: message.Subject, text: message.Text };
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`no code emailed to ${address} within 20 s`);
}

/**
 * Chromium's flag that trusts the stack's self-signed certificate by its public key. Unlike
 * ignoring certificate errors, the page then counts as a secure site, which passkeys (WebAuthn)
 * require: Chromium refuses them on a site with a certificate error.
 */
export function trustStackCertificateArg(): string {
  const pem = readFileSync(join(root, '.run/stack/certs/fullchain.pem'), 'utf8');
  const spki = new X509Certificate(pem).publicKey.export({ type: 'spki', format: 'der' });
  return `--ignore-certificate-errors-spki-list=${createHash('sha256').update(spki).digest('base64')}`;
}

/** The sign-in page's password step (English or Korean labels). */
export async function passwordStep(on: Page, stackUrl: string, email: string, password: string) {
  await on.goto(`${stackUrl}/sign-in`);
  await on.getByLabel(/^(Email|이메일)$/).fill(email);
  await on.getByLabel(/^(Password|비밀번호)$/).fill(password);
  await on.getByRole('button', { name: /^(Sign in|로그인)$/ }).click();
}

const TOTP_STEP_SECONDS = 30;

/**
 * Codes as an authenticator app makes them. The server accepts the step before, the current one
 * and the next, each once and never one older than the last accepted: `fresh()` gives the code
 * of the earliest step it will still take, waiting for the clock when it must.
 */
export function totpApp(secret: string) {
  const totp = new TOTP({
    secret: Secret.fromBase32(secret),
    digits: 6,
    period: TOTP_STEP_SECONDS,
  });
  let lastStep = -1;
  const stepNow = () => Math.floor(Date.now() / 1000 / TOTP_STEP_SECONDS);
  return {
    async fresh(): Promise<string> {
      for (;;) {
        const step = Math.max(lastStep + 1, stepNow());
        // The server takes the next step's code too (and the current one a step later).
        if (step <= stepNow() + 1) {
          lastStep = step;
          return totp.generate({ timestamp: step * TOTP_STEP_SECONDS * 1000 });
        }
        await new Promise((resolve) => setTimeout(resolve, 1000));
      }
    },
  };
}
