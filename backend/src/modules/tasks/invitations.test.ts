import type { FastifyInstance } from 'fastify';
import { beforeAll, describe, expect, it } from 'vitest';
import { createSignedInUser } from '../../../test/support/auth.js';
import { setupTestContext, uniqueId } from '../../../test/support/context.js';
import { deliverPendingMail } from '../../../test/support/mail.js';
import { type BoardFixture, call, createBoard } from '../../../test/support/tasks.js';
import { hashInvitationToken } from './invitations-service.js';

const ctx = setupTestContext();
let app: FastifyInstance;
let fixture: BoardFixture;

beforeAll(async () => {
  app = await ctx.buildApp({ AUTH_AUTO_VERIFY: 'true' });
  fixture = await createBoard(app, ctx);
});

async function invitationToken(email: string, count = 1): Promise<string> {
  await deliverPendingMail(ctx);
  const message = await ctx.mailbox.waitFor(email, { count });
  const token = /\/invitations\/accept\?token=([A-Za-z0-9_-]{43})/.exec(message.Text ?? '')?.[1];
  if (!token) throw new Error(`no invitation link in the email to ${email}`);
  return token;
}

function invite(email: string, role = 'member') {
  return call(app, fixture.supervisor, 'POST', `/api/boards/${fixture.board.id}/invitations`, {
    email,
    role,
  });
}

describe('board invitations', () => {
  it('emails a single-use link; the invited address signs up, signs in and joins with the role', async () => {
    const email = `${uniqueId('invitee')}@example.test`;
    const created = await invite(email.toUpperCase(), 'viewer');
    expect(created.statusCode, created.body).toBe(201);
    expect(created.json()).toMatchObject({ email, role: 'viewer', status: 'pending' });
    const token = await invitationToken(email);
    const stored = await ctx.deps.db.boardInvitation.findUniqueOrThrow({
      where: { id: created.json().id },
    });
    expect(stored.tokenHash).toBe(hashInvitationToken(token));
    expect(stored.tokenHash).not.toContain(token);

    const again = await invite(email);
    expect(again.statusCode).toBe(409);
    expect(again.json().code).toBe('invitation_pending');

    const someoneElse = await createSignedInUser(app, ctx);
    const wrong = await call(app, someoneElse, 'POST', '/api/invitations/accept', { token });
    expect(wrong.statusCode).toBe(403);
    expect(wrong.json().code).toBe('invitation_wrong_account');

    const invitee = await createSignedInUser(app, ctx, { email });
    const accepted = await call(app, invitee, 'POST', '/api/invitations/accept', { token });
    expect(accepted.statusCode, accepted.body).toBe(200);
    expect(accepted.json()).toEqual({ boardId: fixture.board.id, role: 'viewer' });
    const board = await call(app, invitee, 'GET', `/api/boards/${fixture.board.id}`);
    expect(board.json().board.myRole).toBe('viewer');

    const twice = await call(app, invitee, 'POST', '/api/invitations/accept', { token });
    expect(twice.statusCode).toBe(404);
    expect(twice.json().code).toBe('invitation_not_found');
    const pending = (
      await call(app, fixture.supervisor, 'GET', `/api/boards/${fixture.board.id}/invitations`)
    ).json();
    expect(pending.map((row: { email: string }) => row.email)).not.toContain(email);
    const types = (
      await ctx.deps.db.activity.findMany({
        where: { boardId: fixture.board.id },
        select: { type: true },
      })
    ).map((row) => row.type);
    expect(types).toEqual(
      expect.arrayContaining(['invitation_sent', 'invitation_accepted', 'member_added']),
    );
  });

  it('resend replaces the link, revoke and expiry end it, and only supervisors manage invitations', async () => {
    const email = `${uniqueId('later')}@example.test`;
    const created = (await invite(email)).json();
    const first = await invitationToken(email);
    const resent = await call(
      app,
      fixture.supervisor,
      'POST',
      `/api/boards/${fixture.board.id}/invitations/${created.id}/resend`,
    );
    expect(resent.statusCode).toBe(200);
    const second = await invitationToken(email, 2);
    expect(second).not.toBe(first);
    const invitee = await createSignedInUser(app, ctx, { email });
    expect(
      (await call(app, invitee, 'POST', '/api/invitations/accept', { token: first })).statusCode,
    ).toBe(404);

    await ctx.deps.db.boardInvitation.update({
      where: { id: created.id },
      data: { expiresAt: new Date(Date.now() - 1000) },
    });
    const expired = await call(app, invitee, 'POST', '/api/invitations/accept', { token: second });
    expect(expired.statusCode).toBe(410);
    expect(expired.json().code).toBe('invitation_expired');
    const listed = (
      await call(app, fixture.supervisor, 'GET', `/api/boards/${fixture.board.id}/invitations`)
    ).json();
    expect(listed.find((row: { id: string }) => row.id === created.id)?.status).toBe('expired');

    const revoked = await call(
      app,
      fixture.supervisor,
      'DELETE',
      `/api/boards/${fixture.board.id}/invitations/${created.id}`,
    );
    expect(revoked.statusCode).toBe(204);
    expect(
      (await call(app, invitee, 'POST', '/api/invitations/accept', { token: second })).statusCode,
    ).toBe(404);

    const notSupervisor = await call(
      app,
      invitee,
      'POST',
      `/api/boards/${fixture.board.id}/invitations`,
      {
        email: 'x@example.test',
        role: 'member',
      },
    );
    expect(notSupervisor.statusCode).toBe(404);
    const badToken = await call(app, invitee, 'POST', '/api/invitations/accept', {
      token: 'short',
    });
    expect(badToken.statusCode).toBe(400);
  });

  it('writes the Korean email for an account whose locale is Korean', async () => {
    const email = `${uniqueId('ko')}@example.test`;
    const user = await createSignedInUser(app, ctx, { email });
    await ctx.deps.db.user.update({ where: { id: user.id }, data: { locale: 'ko' } });
    expect((await invite(email)).statusCode).toBe(201);
    await deliverPendingMail(ctx);
    const message = await ctx.mailbox.waitFor(email);
    expect(message.Subject).toMatch(/초대/);
  });
});
