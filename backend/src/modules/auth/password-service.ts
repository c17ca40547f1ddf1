import type { Database } from '../../db/client.js';
import { BadRequestError, NotFoundError, ValidationError } from '../../lib/errors.js';
import { recordAudit } from '../audit/service.js';
import type { Background } from './background.js';
import { checkCode, claimCode, issueCode } from './codes.js';
import { type EventPublisher, USER_DELETED } from './events.js';
import { lockoutAccount, type SignInGuard } from './lockout.js';
import { type AuthOutbox, mailLocale } from './mail.js';
import { hashPassword, passwordProblems, verifyPassword } from './passwords.js';
import type { RevocationList } from './revocation.js';
import { normaliseEmail } from './secrets.js';
import { applyRevocations, type RequestMeta, revokeSessions } from './session-store.js';
import type { Throttle } from './throttle.js';

class WrongPasswordError extends BadRequestError {
  constructor() {
    super('wrong_password', 'The current password is not correct.', [
      { field: '/body/currentPassword', message: 'is not correct' },
    ]);
  }
}

function checkNewPassword(password: string, field: string): void {
  const problems = passwordProblems(password, field);
  if (problems.length > 0) throw new ValidationError(problems);
}

export function createPasswordService(deps: {
  db: Database;
  outbox: AuthOutbox;
  events: EventPublisher;
  throttle: Throttle;
  guard: SignInGuard;
  revocations: RevocationList;
  background: Background;
}) {
  const { db, outbox, events, throttle, guard, revocations, background } = deps;

  /**
   * Re-checks the password of a signed-in user. Only a wrong password counts, like a failed
   * sign-in from this address; the holder of a session is not held off by the account-wide lock.
   */
  async function requirePassword(userId: string, password: string, meta: RequestMeta) {
    const user = await db.user.findUnique({ where: { id: userId } });
    if (!user) throw new NotFoundError('User');
    const attempt = {
      account: lockoutAccount(user.email),
      source: `ip:${meta.ip}`,
      trusted: true,
      ip: meta.ip,
    };
    const admission = await guard.admit(attempt);
    if (!(await verifyPassword(user.passwordHash, password))) {
      await guard.failed(attempt, admission);
      throw new WrongPasswordError();
    }
    await guard.succeeded(attempt, admission);
    return user;
  }

  /** The account-dependent part of forgot-password: a code and its email, for active accounts. */
  async function sendResetCode(email: string, meta: RequestMeta): Promise<void> {
    const user = await db.user.findUnique({ where: { email } });
    if (user?.status !== 'active') return;
    await db.$transaction(async (tx) => {
      const code = await issueCode(tx, user.id, 'password_reset');
      await outbox.enqueue(tx, {
        to: user.email,
        template: 'password-reset-code',
        locale: mailLocale(user.locale),
        data: { code },
        userId: user.id,
      });
      await recordAudit(tx, { type: 'password.reset_requested', userId: user.id, ...meta });
    });
  }

  return {
    /** Re-entry of the password by a signed-in user (a sensitive change); 400 when wrong. */
    confirmPassword: requirePassword,

    /**
     * Always the same answer in the same time: the request does only what every email costs
     * (the rate limits), and the account lookup, the code and the outbox row are written right
     * after, off the request's path, so a real account's extra writes are not visible in the
     * answer's timing. The email itself is sent by the worker from the outbox.
     */
    async forgot(input: { email: string }, meta: RequestMeta): Promise<void> {
      const email = normaliseEmail(input.email);
      await throttle.hit('forgot', meta.ip, email);
      background.run('password reset code', () => sendResetCode(email, meta));
    },

    /** Sets a new password with an emailed code; signs out every session, lifts any lockout. */
    async reset(
      input: { email: string; code: string; newPassword: string },
      meta: RequestMeta,
    ): Promise<void> {
      checkNewPassword(input.newPassword, '/body/newPassword');
      const email = normaliseEmail(input.email);
      await throttle.hit('reset', meta.ip, email);
      const user = await db.user.findUnique({ where: { email } });
      const codeId = await checkCode(db, user?.id, 'password_reset', input.code);
      if (!user) return;
      const passwordHash = await hashPassword(input.newPassword);
      const revoked = await db.$transaction(async (tx) => {
        await claimCode(tx, codeId);
        await tx.user.update({
          where: { id: user.id },
          data: { passwordHash, lockedUntil: null },
        });
        const ids = await revokeSessions(tx, { userId: user.id }, 'password_reset');
        await outbox.enqueue(tx, {
          to: user.email,
          template: 'password-reset',
          locale: mailLocale(user.locale),
          data: {},
          userId: user.id,
        });
        await recordAudit(tx, {
          type: 'password.reset',
          userId: user.id,
          ...meta,
          details: { sessionsRevoked: ids.length },
        });
        return ids;
      });
      applyRevocations(revocations, revoked);
      await guard.clearAccount(lockoutAccount(email));
    },

    /** Needs the current password; every other session is signed out. */
    async change(
      userId: string,
      sessionId: string,
      input: { currentPassword: string; newPassword: string },
      meta: RequestMeta,
    ): Promise<void> {
      checkNewPassword(input.newPassword, '/body/newPassword');
      const user = await requirePassword(userId, input.currentPassword, meta);
      const passwordHash = await hashPassword(input.newPassword);
      const revoked = await db.$transaction(async (tx) => {
        await tx.user.update({ where: { id: user.id }, data: { passwordHash } });
        const ids = await revokeSessions(
          tx,
          { userId: user.id, id: { not: sessionId } },
          'password_changed',
        );
        await outbox.enqueue(tx, {
          to: user.email,
          template: 'password-changed',
          locale: mailLocale(user.locale),
          data: {},
          userId: user.id,
        });
        await recordAudit(tx, {
          type: 'password.changed',
          userId: user.id,
          actorId: user.id,
          ...meta,
          details: { sessionsRevoked: ids.length },
        });
        return ids;
      });
      applyRevocations(revocations, revoked);
    },

    /**
     * Withdraws the account: every session revoked, `user.deleted` published (the files module
     * purges stored objects), the user's rows deleted (cascades), earlier audit entries detached
     * from the account and one anonymous entry kept, and a goodbye email queued.
     */
    async deleteAccount(userId: string, password: string, meta: RequestMeta): Promise<void> {
      const user = await requirePassword(userId, password, meta).catch((error: unknown) => {
        if (error instanceof WrongPasswordError) {
          throw new BadRequestError('wrong_password', 'The password is not correct.', [
            { field: '/body/password', message: 'is not correct' },
          ]);
        }
        throw error;
      });
      const revoked = await db.$transaction(async (tx) => {
        const ids = await revokeSessions(tx, { userId: user.id }, 'account_deleted');
        await events.publish(tx, USER_DELETED, { userId: user.id });
        await outbox.enqueue(tx, {
          to: user.email,
          template: 'account-deleted',
          locale: mailLocale(user.locale),
          data: {},
        });
        await tx.auditEvent.updateMany({ where: { actorId: user.id }, data: { actorId: null } });
        await tx.user.delete({ where: { id: user.id } });
        // Anonymous: no account id, address, IP or device; only that a withdrawal happened.
        await recordAudit(tx, { type: 'account.deleted' });
        return ids;
      });
      applyRevocations(revocations, revoked);
    },
  };
}

export type PasswordService = ReturnType<typeof createPasswordService>;
