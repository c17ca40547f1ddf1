import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  chromiumArgs,
  type E2eStack,
  emailedCode,
  screenshotOnFailure as onFailureScreenshot,
  screenshots,
  useStack,
} from './support/e2e.js';

// A Korean person's whole first visit in Debian's Chromium (`--lang=ko-KR`), over HTTPS through
// nginx in front of the native stack (scripts/stack.sh): the built SPA in Korean, the gateway's
// token check, the S3 proxy, and a Korean confirmation email.
let stack: E2eStack;
let stackUrl: string;
let mailApiUrl: string;
let profileDir: string | undefined;
let context: BrowserContext | undefined;
let page: Page;

beforeAll(async () => {
  stack = await useStack();
  ({ stackUrl, mailApiUrl } = stack);
  profileDir = mkdtempSync(join(tmpdir(), 'homeport-chromium-'));
  context = await chromium.launchPersistentContext(profileDir, {
    executablePath: '/usr/bin/chromium',
    args: chromiumArgs('ko-KR'),
    // navigator.language and Accept-Language: a browser set up in Korean.
    locale: 'ko-KR',
    // The stack's certificate is self-signed for localhost.
    ignoreHTTPSErrors: true,
    acceptDownloads: true,
    timeout: 60_000,
  });
  context.setDefaultTimeout(20_000);
  page = context.pages()[0] ?? (await context.newPage());
});

afterAll(async () => {
  await context?.close();
  if (profileDir) rmSync(profileDir, { recursive: true, force: true });
  await stack?.release();
});

/** On failure, what the browser showed goes to .run/e2e/. */
const screenshotOnFailure = (name: string) => onFailureScreenshot(name, () => ({ page }));

describe('first visit in Korean in Chromium through nginx over HTTPS', () => {
  const suffix = randomBytes(5).toString('hex');
  const email = `e2e-${suffix}@example.test`;
  const password = `harbour-${randomBytes(6).toString('hex')}-lights`;

  it('signs up in Korean, gets a Korean email, confirms with its code and signs in', async () => {
    screenshotOnFailure('sign-up');
    await page.goto(`${stackUrl}/sign-up`);
    await page.getByRole('heading', { level: 1, name: '회원가입' }).waitFor();
    expect(await page.title()).toBe('회원가입 · Homeport');
    expect(await page.getAttribute('html', 'lang')).toBe('ko');
    await page.getByLabel('이메일').fill(email);
    await page.getByLabel('비밀번호', { exact: true }).fill(password);
    await page.getByRole('button', { name: '가입하기' }).click();

    await page.waitForURL(/\/confirm\?email=/);
    await page.getByRole('heading', { level: 1, name: '이메일 인증' }).waitFor();
    const mail = await emailedCode(mailApiUrl, email);
    expect(mail.subject).toBe('Homeport 이메일 인증 코드');
    expect(mail.text).toContain('아래 코드를 입력하면 가입이 완료됩니다.');
    await page.getByLabel('인증 코드').fill(mail.code);
    await page.getByRole('button', { name: '인증하기', exact: true }).click();

    await page.waitForURL(/\/sign-in/);
    await page.getByText('계정 인증을 마쳤어요. 로그인하세요.').waitFor();
    await page.getByLabel('이메일').fill(email);
    await page.getByLabel('비밀번호', { exact: true }).fill(password);
    await page.getByRole('button', { name: '로그인', exact: true }).click();
    await page.waitForURL(/\/items$/);
    await expect(page.getByRole('link', { name: `${email} 계정` }).isVisible()).resolves.toBe(true);
  });

  it('fits a 390 px phone in Korean: header links on one line each, nothing wider than the screen', async () => {
    screenshotOnFailure('phone');
    await page.setViewportSize({ width: 390, height: 844 });
    await page.getByText('아직 항목이 없어요.').waitFor();
    const layout = await page.evaluate(() => ({
      width: document.documentElement.scrollWidth,
      links: Array.from(document.querySelectorAll<HTMLElement>('.shell__link')).map((link) => ({
        text: link.textContent,
        height: link.getBoundingClientRect().height,
        lineHeight: Number.parseFloat(getComputedStyle(link).lineHeight),
      })),
    }));
    expect(layout.width).toBeLessThanOrEqual(390);
    for (const link of layout.links)
      expect(link.height, link.text ?? '').toBeLessThan(link.lineHeight * 2 + 16);
    mkdirSync(screenshots, { recursive: true });
    await page.screenshot({ path: join(screenshots, 'items-ko-390.png'), fullPage: true });
    await page.setViewportSize({ width: 1280, height: 800 });
  });

  it('creates an item', async () => {
    screenshotOnFailure('create-item');
    await page.getByRole('link', { name: '새 항목' }).click();
    await page.getByLabel('이름').fill(`등불 ${suffix}`);
    await page.getByLabel('가격(KRW)').fill('12,500');
    await page.getByRole('button', { name: '항목 만들기' }).click();
    await page.getByText(`“등불 ${suffix}” 항목을 저장했어요.`).waitFor();
    const row = page
      .getByRole('row')
      .filter({ has: page.getByRole('rowheader', { name: `등불 ${suffix}` }) });
    await row.getByText('12,500원').waitFor();
  });

  // Long enough to be cut on a phone: the row must say so (ellipsis) and keep the whole name.
  const fileName = `harbour-log-${suffix}-with-a-rather-long-name-for-phones.txt`;
  // Large enough for Chromium to report progress along the way, not only at the end.
  const fileBytes = Buffer.from('harbour log line\n'.repeat(Math.floor((4 * 1024 * 1024) / 17)));

  it('uploads a file with the progress bar reaching 100 %', async () => {
    screenshotOnFailure('upload');
    await page.getByRole('link', { name: '파일', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: '파일' }).waitFor();
    // Every value the bar takes, as the page renders it.
    await page.evaluate(() => {
      const seen: number[] = [];
      (window as unknown as { progressSeen: number[] }).progressSeen = seen;
      new MutationObserver(() => {
        for (const bar of Array.from(document.querySelectorAll('progress'))) seen.push(bar.value);
      }).observe(document.body, { subtree: true, childList: true, attributes: true });
    });

    await page.getByLabel('파일 선택').setInputFiles({
      name: fileName,
      mimeType: 'text/plain',
      buffer: fileBytes,
    });
    const uploads = page.getByRole('list', { name: '업로드' });
    await uploads.getByText('올렸어요').waitFor({ timeout: 60_000 });
    const bar = uploads.getByRole('progressbar', { name: `${fileName} 업로드` });
    expect(await bar.evaluate((element) => (element as HTMLProgressElement).value)).toBe(
      fileBytes.length,
    );
    expect(await bar.getAttribute('max')).toBe(String(fileBytes.length));
    await uploads.getByText(/\(100%\)/).waitFor();
    const seen = await page.evaluate(
      () => (window as unknown as { progressSeen: number[] }).progressSeen,
    );
    expect(seen.at(-1)).toBe(fileBytes.length);
    // Never backwards.
    for (let index = 1; index < seen.length; index++) {
      expect(seen[index]).toBeGreaterThanOrEqual(seen[index - 1] ?? 0);
    }
    await page.getByRole('rowheader', { name: fileName }).waitFor();
  });

  it('shows files as cards on a 390 px phone: name cut visibly, buttons apart', async () => {
    screenshotOnFailure('files-phone');
    await page.setViewportSize({ width: 390, height: 844 });
    const row = page
      .getByRole('row')
      .filter({ has: page.getByRole('rowheader', { name: fileName }) });
    const name = row.locator('.file-name');
    expect(await name.getAttribute('title')).toBe(fileName);
    expect(await name.evaluate((element) => element.scrollWidth > element.clientWidth)).toBe(true);
    expect(await name.evaluate((element) => getComputedStyle(element).textOverflow)).toBe(
      'ellipsis',
    );
    const [download, remove] = await Promise.all([
      row.getByRole('button', { name: `${fileName} 다운로드` }).boundingBox(),
      row.getByRole('button', { name: `${fileName} 삭제` }).boundingBox(),
    ]);
    expect(download && remove).toBeTruthy();
    if (download && remove) {
      const apart =
        remove.x >= download.x + download.width + 4 || remove.y >= download.y + download.height + 4;
      expect(apart).toBe(true);
    }
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(
      390,
    );
    mkdirSync(screenshots, { recursive: true });
    await page.screenshot({ path: join(screenshots, 'files-ko-390.png'), fullPage: true });
    await page.setViewportSize({ width: 1280, height: 800 });
  });

  it('downloads the same bytes through the presigned URL on the public origin', async () => {
    screenshotOnFailure('download');
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: `${fileName} 다운로드` }).click(),
    ]);
    expect(new URL(download.url()).origin).toBe(new URL(stackUrl).origin);
    expect(download.suggestedFilename()).toBe(fileName);
    const path = await download.path();
    expect(readFileSync(path).equals(fileBytes)).toBe(true);
  });

  it('serves a real favicon, and the API reference without a CSP violation', async () => {
    screenshotOnFailure('docs');
    const icon = await page.request.get(`${stackUrl}/favicon.ico`);
    expect(icon.status()).toBe(200);
    expect(icon.headers()['content-type']).toMatch(/^image\//);
    const violations: string[] = [];
    const listen = (message: { type(): string; text(): string }) => {
      if (/Content Security Policy/i.test(message.text())) violations.push(message.text());
    };
    page.on('console', listen);
    await page.goto(`${stackUrl}/api/docs/`);
    await page.locator('.opblock').first().waitFor();
    await page.waitForTimeout(500);
    page.off('console', listen);
    expect(violations).toEqual([]);
    await page.goto(`${stackUrl}/files`);
    await page.getByRole('heading', { level: 1, name: '파일' }).waitFor();
  });

  it('signs out; protected pages then send the visitor to sign in', async () => {
    screenshotOnFailure('sign-out');
    await page.getByRole('button', { name: '로그아웃' }).click();
    await page.waitForURL(/\/sign-in$/);
    await page.getByText('로그아웃했어요.').waitFor();
    for (const path of ['/files', '/items', '/account']) {
      await page.goto(`${stackUrl}${path}`);
      await page.waitForURL(new RegExp(`/sign-in\\?next=${encodeURIComponent(path)}$`));
    }
  });
});
