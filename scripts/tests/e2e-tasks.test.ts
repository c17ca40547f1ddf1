import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import {
  type APIRequestContext,
  type Browser,
  type BrowserContext,
  type Page,
  request,
} from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  browserContext,
  type E2eStack,
  emailedCode,
  launchChromium,
  screenshotOnFailure as onFailureScreenshot,
  useStack,
} from './support/e2e.js';
import { root, sh } from './support/nginx.js';

// Issue 12 in Debian's Chromium over HTTPS through nginx in front of the native stack
// (scripts/stack.sh): a supervisor and a member of one board, each in their own browser context,
// take a task from "My tasks" through Review to Done, with a comment, an attachment and the
// supervisors-only Done column refusing the member; the supervisor's open board shows the
// member's move live, without a reload.
let stack: E2eStack;
let stackUrl: string;
let mailApiUrl: string;
let browser: Browser | undefined;
let api: APIRequestContext | undefined;
let supervisorContext: BrowserContext;
let picContext: BrowserContext;
let supervisor: Page;
let pic: Page;

/** A browser set up in English. */
function englishContext(): Promise<BrowserContext> {
  if (!browser) throw new Error('no browser');
  return browserContext(browser, 'en-GB');
}

beforeAll(async () => {
  stack = await useStack();
  ({ stackUrl, mailApiUrl } = stack);

  browser = await launchChromium('en-GB');
  supervisorContext = await englishContext();
  picContext = await englishContext();
  supervisor = await supervisorContext.newPage();
  pic = await picContext.newPage();
  api = await request.newContext({ baseURL: stackUrl, ignoreHTTPSErrors: true });
});

afterAll(async () => {
  await api?.dispose();
  await browser?.close();
  await stack?.release();
});

/** On failure, what both browsers showed goes to .run/e2e/. */
const screenshotOnFailure = (name: string) =>
  onFailureScreenshot(`tasks-${name}`, () => ({ supervisor, pic }));

/** Sign-up and the mailed code, through the pages; it ends on the sign-in page. */
async function signUp(page: Page, email: string, password: string) {
  await page.goto(`${stackUrl}/sign-up`);
  await page.getByRole('heading', { level: 1, name: 'Create an account' }).waitFor();
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Create account' }).click();

  await page.waitForURL(/\/confirm\?email=/);
  await page.getByLabel('Code').fill((await emailedCode(mailApiUrl, email)).code);
  await page.getByRole('button', { name: 'Confirm', exact: true }).click();

  await page.waitForURL(/\/sign-in/);
  await page.getByText('Your account is confirmed. Sign in.').waitFor();
}

async function signIn(page: Page, email: string, password: string) {
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await page.waitForURL(/\/items$/);
}

/** A JSON call to the API as `token`, failing the test on anything but 2xx. */
async function call<T>(
  token: string,
  method: 'GET' | 'PATCH' | 'POST' | 'PUT',
  path: string,
  body?: object,
  headers: Record<string, string> = {},
) {
  if (!api) throw new Error('no API context');
  const response = await api.fetch(path, {
    method,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
    ...(body ? { data: body } : {}),
  });
  if (!response.ok())
    throw new Error(`${method} ${path}: ${response.status()} ${await response.text()}`);
  return (await response.json()) as T;
}

describe('a task from My tasks through Review to Done, in two browsers through nginx', () => {
  const suffix = randomBytes(5).toString('hex');
  const supervisorEmail = `e2e-sup-${suffix}@example.test`;
  const picEmail = `e2e-pic-${suffix}@example.test`;
  const password = `harbour-${randomBytes(6).toString('hex')}-lights`;
  // 2–10 capital letters or digits, starting with a letter; unique per run.
  const boardKey = `E${suffix
    .slice(0, 6)
    .toUpperCase()
    .replace(/[^A-Z0-9]/g, 'X')}`;
  const taskTitle = `Check the harbour lights ${suffix}`;
  const comment = `Lights checked, log attached ${suffix}`;
  const fileName = `harbour-log-${suffix}.txt`;
  const fileBytes = Buffer.from('harbour log line\n'.repeat(200));
  let supervisorToken: string;
  let boardId: string;
  let taskId: string;
  let taskNumber: number;
  let reviewColumnId: string;

  it('signs up both in their own browser; an admin gives one the supervisor role', async () => {
    screenshotOnFailure('sign-up');
    await Promise.all([
      signUp(supervisor, supervisorEmail, password),
      signUp(pic, picEmail, password),
    ]);

    // Boards are created by supervisors (TASKS_BOARD_CREATORS): an admin made with
    // scripts/create-admin.sh grants the global role before the supervisor signs in.
    const adminEmail = `e2e-admin-${suffix}@example.test`;
    await sh('bash', [join(root, 'scripts/create-admin.sh'), adminEmail], {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      HOMEPORT_ADMIN_PASSWORD: password,
    });
    const admin = await call<{ accessToken: string }>('', 'POST', '/api/auth/sign-in', {
      email: adminEmail,
      password,
      refreshTokenIn: 'body',
    });
    const users = await call<{ items: { id: string; email: string }[] }>(
      admin.accessToken,
      'GET',
      `/api/admin/users?q=${encodeURIComponent(supervisorEmail)}`,
    );
    const user = users.items.find((item) => item.email === supervisorEmail);
    if (!user) throw new Error(`no user ${supervisorEmail} in ${JSON.stringify(users)}`);
    await call(admin.accessToken, 'PUT', `/api/admin/users/${user.id}/roles`, {
      roles: ['member', 'supervisor'],
    });

    await Promise.all([
      signIn(supervisor, supervisorEmail, password),
      signIn(pic, picEmail, password),
    ]);
    expect(await supervisor.getAttribute('html', 'lang')).toBe('en');
    const session = await call<{ accessToken: string }>('', 'POST', '/api/auth/sign-in', {
      email: supervisorEmail,
      password,
      refreshTokenIn: 'body',
    });
    supervisorToken = session.accessToken;
  });

  it('the supervisor creates a board on /boards and a task on it', async () => {
    screenshotOnFailure('board');
    await supervisor.getByRole('link', { name: 'Boards', exact: true }).click();
    await supervisor.getByRole('heading', { level: 2, name: 'New board' }).waitFor();
    await supervisor.getByLabel('Name').fill(`Harbour ${suffix}`);
    await supervisor.getByLabel('Key').fill(boardKey);
    await supervisor.getByRole('button', { name: 'Create board' }).click();
    await supervisor.waitForURL(new RegExp(`/boards/${boardKey}$`));

    await supervisor.getByLabel('Add a task to To do').fill(taskTitle);
    await supervisor.getByLabel('Add a task to To do').press('Enter');
    await supervisor.getByText(taskTitle).waitFor();

    const board = await call<{ id: string; myRole: string }>(
      supervisorToken,
      'GET',
      `/api/boards/by-key/${boardKey}`,
    );
    expect(board.myRole).toBe('supervisor');
    boardId = board.id;
  });

  it('adds the member, makes them PIC with a due date, and keeps Done for supervisors', async () => {
    screenshotOnFailure('setup');
    const member = await call<{ userId: string; role: string }>(
      supervisorToken,
      'POST',
      `/api/boards/${boardId}/members`,
      { email: picEmail, role: 'member' },
    );
    expect(member.role).toBe('member');

    const listed = await call<unknown>(supervisorToken, 'GET', `/api/boards/${boardId}/columns`);
    const columns = (Array.isArray(listed) ? listed : (listed as { items: unknown[] }).items) as {
      id: string;
      name: string;
    }[];
    const done = columns.find((column) => column.name === 'Done');
    const review = columns.find((column) => column.name === 'Review');
    if (!done || !review) throw new Error(`unexpected columns ${JSON.stringify(columns)}`);
    reviewColumnId = review.id;
    await call(supervisorToken, 'PATCH', `/api/boards/${boardId}/columns/${done.id}`, {
      supervisorsOnlyMoveIn: true,
    });

    const task = await call<{ id: string; number: number; version: number; title: string }>(
      supervisorToken,
      'GET',
      `/api/boards/${boardId}/tasks/1`,
    );
    expect(task.title).toBe(taskTitle);
    taskId = task.id;
    taskNumber = task.number;
    const dueDate = new Date(Date.now() + 3 * 24 * 3600 * 1000).toISOString().slice(0, 10);
    const updated = await call<{ picId: string; dueDate: string }>(
      supervisorToken,
      'PATCH',
      `/api/tasks/${taskId}`,
      { picId: member.userId, dueDate },
      { 'if-match': `"${task.version}"` },
    );
    expect(updated).toMatchObject({ picId: member.userId, dueDate });
  });

  it('the PIC finds the task in My tasks, moves it to Review, comments and attaches a file', async () => {
    screenshotOnFailure('pic');
    await pic.getByRole('link', { name: 'My tasks', exact: true }).click();
    await pic.getByRole('heading', { level: 1, name: 'My tasks' }).waitFor();
    const item = pic.getByRole('listitem').filter({ hasText: taskTitle });
    await item.getByText(/^Due /).waitFor();
    const link = item.getByRole('link', { name: new RegExp(taskTitle) });
    await link.click();
    const dialog = pic.getByRole('dialog');
    await dialog.getByRole('heading', { name: taskTitle }).waitFor();

    // The supervisor's board page, open since the task was made, follows the board live: the
    // PIC's move shows there without a reload (a marker on the window survives only without one).
    await supervisor.getByRole('status').filter({ hasText: 'Live' }).waitFor();
    await supervisor.evaluate(() => {
      (window as unknown as { e2eMarker?: string }).e2eMarker = 'not reloaded';
    });
    const reviewList = supervisor.getByRole('list', { name: 'Review', exact: true });
    expect(await reviewList.getByText(taskTitle).count()).toBe(0);

    const status = dialog.getByLabel('Status', { exact: true });
    const movedAt = Date.now();
    await status.selectOption({ label: 'Review' });
    await reviewList.getByText(taskTitle).waitFor({ timeout: 10_000 });
    console.log(
      `e2e tasks: the PIC's move reached the supervisor's board in ${Date.now() - movedAt} ms`,
    );
    await expect(
      supervisor.evaluate(() => (window as unknown as { e2eMarker?: string }).e2eMarker),
    ).resolves.toBe('not reloaded');
    expect(
      await supervisor
        .getByRole('list', { name: 'To do', exact: true })
        .getByText(taskTitle)
        .count(),
    ).toBe(0);
    await dialog.getByText(`${picEmail} moved the task to Review`).waitFor();
    await expect(status.inputValue()).resolves.toBe(reviewColumnId);

    await dialog.getByLabel('New comment').fill(comment);
    await dialog.getByRole('button', { name: 'Comment', exact: true }).click();
    await dialog.getByText(comment).waitFor();

    await dialog.getByLabel('Attach a file').setInputFiles({
      name: fileName,
      mimeType: 'text/plain',
      buffer: fileBytes,
    });
    await dialog.getByRole('button', { name: `Download ${fileName}` }).waitFor({ timeout: 60_000 });
  });

  it('the PIC may not move it to Done: the refusal shows and it stays in Review', async () => {
    screenshotOnFailure('pic-refused');
    const dialog = pic.getByRole('dialog');
    const status = dialog.getByLabel('Status', { exact: true });
    await status.selectOption({ label: 'Done (supervisors only)' });
    await dialog.getByText('Only supervisors may move tasks into "Done".').waitFor();
    await expect(status.inputValue()).resolves.toBe(reviewColumnId);
    const task = await call<{ columnId: string }>(supervisorToken, 'GET', `/api/tasks/${taskId}`);
    expect(task.columnId).toBe(reviewColumnId);
  });

  it('the supervisor reads the PIC’s move, comment and attachment, and moves it to Done', async () => {
    screenshotOnFailure('supervisor');
    await supervisor.goto(`${stackUrl}/boards/${boardKey}/tasks/${taskNumber}`);
    const dialog = supervisor.getByRole('dialog');
    await dialog.getByRole('heading', { name: taskTitle }).waitFor();
    const activity = dialog.getByRole('list', { name: 'Activity' });
    await activity.getByText(`${picEmail} moved the task to Review`).waitFor();
    await activity.getByText(`${picEmail} commented`).waitFor();
    await activity.getByText(`${picEmail} attached “${fileName}”`).waitFor();
    await dialog.getByText(comment).waitFor();

    const status = dialog.getByLabel('Status', { exact: true });
    await status.selectOption({ label: 'Done (supervisors only)' });
    await activity.getByText(`${supervisorEmail} moved the task to Done`).waitFor();
    const task = await call<{ columnId: string }>(supervisorToken, 'GET', `/api/tasks/${taskId}`);
    expect(task.columnId).not.toBe(reviewColumnId);
    await expect(status.inputValue()).resolves.toBe(task.columnId);
  });
});
