import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { expect } from 'vitest';
import { createSignedInUser, type SignedInUser } from './auth.js';
import type { TestContext } from './context.js';

export interface BoardFixture {
  board: { id: string; key: string };
  columns: { id: string; name: string; isDone: boolean }[];
  supervisor: SignedInUser;
}

let keyCounter = 0;

/** A board key no other board of this test database has: 2 letters, then digits. */
export function uniqueBoardKey(): string {
  keyCounter += 1;
  return `T${String.fromCharCode(65 + Math.floor(Math.random() * 26))}${Date.now() % 100000}${keyCounter}`.slice(
    0,
    10,
  );
}

export function call(
  app: FastifyInstance,
  as: SignedInUser | undefined,
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE' | 'PUT',
  url: string,
  payload?: unknown,
  headers: Record<string, string> = {},
): Promise<LightMyRequestResponse> {
  return app.inject({
    method,
    url,
    headers: { ...(as?.headers ?? {}), ...headers },
    ...(payload === undefined ? {} : { payload: payload as object }),
  });
}

/** A board created through the API by a global supervisor. */
export async function createBoard(
  app: FastifyInstance,
  ctx: TestContext,
  supervisor?: SignedInUser,
): Promise<BoardFixture> {
  const owner =
    supervisor ?? (await createSignedInUser(app, ctx, { roles: ['member', 'supervisor'] }));
  const created = await call(app, owner, 'POST', '/api/boards', {
    key: uniqueBoardKey(),
    name: 'Board',
  });
  expect(created.statusCode, created.body).toBe(201);
  const board = created.json();
  const columns = (await call(app, owner, 'GET', `/api/boards/${board.id}/columns`)).json();
  return { board, columns, supervisor: owner };
}

export async function addMember(
  app: FastifyInstance,
  fixture: BoardFixture,
  user: SignedInUser,
  role: 'supervisor' | 'member' | 'viewer',
): Promise<void> {
  const added = await call(
    app,
    fixture.supervisor,
    'POST',
    `/api/boards/${fixture.board.id}/members`,
    {
      email: user.email,
      role,
    },
  );
  expect(added.statusCode, added.body).toBe(201);
}

export async function createTask(
  app: FastifyInstance,
  fixture: BoardFixture,
  body: Record<string, unknown> = {},
  as: SignedInUser = fixture.supervisor,
): Promise<{ id: string; version: number; columnId: string; rank: string; key: string }> {
  const created = await call(app, as, 'POST', `/api/boards/${fixture.board.id}/tasks`, {
    title: 'A task',
    ...body,
  });
  expect(created.statusCode, created.body).toBe(201);
  return created.json();
}
