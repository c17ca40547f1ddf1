import { type Database, isUniqueViolation } from '../../db/client.js';
import type { Prisma, Role } from '../../generated/prisma/client.js';
import { ValidationError } from '../../lib/errors.js';
import { recordAudit } from '../audit/service.js';
import type { Background } from './background.js';
import { checkCode, claimCode, issueCode } from './codes.js';
import { InvalidCodeError } from './errors.js';
import { type EventPublisher, USER_CONFIRMED } from './events.js';
import { type AuthOutbox, type MailLocale, mailLocale } from './mail.js';
import { hashPassword, passwordProblems } from './passwords.js';
import { normaliseEmail } from './secrets.js';
import type { RequestMeta } from './session-store.js';
import type { Throttle } from './throttle.js';

export interface SignUpResult {
  /** How this deployment confirms accounts; the same for every request, taken email or not. */
  confirmation: 'email_code' | 'none';
}

export interface SignupDeps {
  db: Database;
  outbox: AuthOutbox;
  events: EventPublisher;
  throttle: Throttle;
  autoVerify: boolean;
  adminEmail: string | undefined;
  background: Background;
}

/**
 * The post-confirmation step, in the confirming transaction: the account turns active, its
 * profile row is created and `user.confirmed` is published. Any of them failing undoes all.
 */
export async function activateAccount(
  tx: Prisma.TransactionClient,
  user: { id: string; email: string; roles: Role[] },
  {
    adminEmail,
    events,
    meta,
  }: { adminEmail: string | undefined; events: EventPublisher; meta: RequestMeta },
): Promise<void> {
  const bootstrapAdmin =
    adminEmail !== undefined &&
    normaliseEmail(adminEmail) === user.email &&
    !user.roles.includes('admin');
  await tx.user.update({
    where: { id: user.id },
    data: {
      status: 'active',
      confirmedAt: new Date(),
      ...(bootstrapAdmin ? { roles: [...user.roles, 'admin'], rolesChangedAt: new Date() } : {}),
    },
  });
  await tx.profile.create({ data: { userId: user.id } });
  await events.publish(tx, USER_CONFIRMED, { userId: user.id });
  await recordAudit(tx, { type: 'account.confirmed', userId: user.id, ...meta });
  if (bootstrapAdmin) {
    await recordAudit(tx, { type: 'account.admin_bootstrapped', userId: user.id, ...meta });
  }
}

export function createSignupService(deps: SignupDeps) {
  const { db, outbox, events, throttle, autoVerify, adminEmail, background } = deps;

  async function sendCode(
    tx: Prisma.TransactionClient,
    user: { id: string; email: string; locale: string },
  ) {
    const code = await issueCode(tx, user.id, 'signup');
    await outbox.enqueue(tx, {
      to: user.email,
      template: 'signup-code',
      locale: mailLocale(user.locale),
      data: { code },
      userId: user.id,
    });
  }

  return {
    /**
     * A taken email gets exactly the answer a new one gets (and costs the same password hash),
     * so sign-up does not reveal who has an account. An unconfirmed account gets a fresh code.
     */
    async signUp(
      input: { email: string; password: string; locale?: MailLocale | undefined },
      meta: RequestMeta,
    ): Promise<SignUpResult> {
      const problems = passwordProblems(input.password, '/body/password');
      if (problems.length > 0) throw new ValidationError(problems);
      const email = normaliseEmail(input.email);
      await throttle.hit('sign-up', meta.ip, email);
      const passwordHash = await hashPassword(input.password);
      const result: SignUpResult = { confirmation: autoVerify ? 'none' : 'email_code' };
      const existing = await db.user.findUnique({ where: { email } });
      if (existing) {
        if (existing.status === 'pending' && !autoVerify) {
          await db.$transaction((tx) => sendCode(tx, existing));
        }
        return result;
      }
      try {
        await db.$transaction(async (tx) => {
          const user = await tx.user.create({
            data: { email, passwordHash, locale: input.locale ?? 'en' },
          });
          await recordAudit(tx, { type: 'account.signed_up', userId: user.id, ...meta });
          if (autoVerify) await activateAccount(tx, user, { adminEmail, events, meta });
          else await sendCode(tx, user);
        });
      } catch (error) {
        // Two sign-ups for one email at once: the loser answers like any taken email.
        if (!isUniqueViolation(error)) {
          throw error;
        }
      }
      return result;
    },

    async confirm(input: { email: string; code: string }, meta: RequestMeta): Promise<void> {
      const email = normaliseEmail(input.email);
      await throttle.hit('confirm', meta.ip, email);
      const user = await db.user.findUnique({ where: { email } });
      const pending = user?.status === 'pending' ? user : undefined;
      const codeId = await checkCode(db, pending?.id, 'signup', input.code);
      if (!pending) throw new InvalidCodeError();
      await db.$transaction(async (tx) => {
        await claimCode(tx, codeId);
        await activateAccount(tx, pending, { adminEmail, events, meta });
      });
    },

    /**
     * Always the same answer in the same time; only an unconfirmed account gets a new code, and
     * that work runs just after the answer (like forgot-password), so the answer's timing does
     * not tell pending accounts from others.
     */
    async resend(input: { email: string }, meta: RequestMeta): Promise<void> {
      const email = normaliseEmail(input.email);
      await throttle.hit('resend', meta.ip, email);
      background.run('confirmation code', async () => {
        const user = await db.user.findUnique({ where: { email } });
        if (user?.status === 'pending' && !autoVerify) {
          await db.$transaction((tx) => sendCode(tx, user));
        }
      });
    },
  };
}

export type SignupService = ReturnType<typeof createSignupService>;
