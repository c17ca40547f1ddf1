import type { Database } from '../../db/client.js';
import { ValidationError } from '../../lib/errors.js';
import { recordAudit } from '../audit/service.js';
import type { EventPublisher } from '../auth/events.js';
import { hashPassword, passwordProblems } from '../auth/passwords.js';
import { normaliseEmail } from '../auth/secrets.js';
import { activateAccount } from '../auth/signup-service.js';
import { grantAdmin } from './admin-service.js';

export type CreateAdminResult = 'created' | 'promoted' | 'already_admin';

/**
 * The first admin, from the command line: an existing account (confirmed now if it was pending)
 * gets the admin role; otherwise an active admin account is created with the password given.
 * There is no default password: a new account needs one that passes the usual rules.
 */
export async function createAdmin(
  { db, events }: { db: Database; events: EventPublisher },
  emailInput: string,
  password: string | undefined,
): Promise<CreateAdminResult> {
  const email = normaliseEmail(emailInput);
  const meta = { ip: 'cli', userAgent: 'create-admin' };
  const existing = await db.user.findUnique({ where: { email } });
  if (existing) {
    if (existing.roles.includes('admin') && existing.status === 'active') return 'already_admin';
    if (existing.status === 'pending') {
      await db.$transaction((tx) =>
        activateAccount(tx, existing, { adminEmail: email, events, meta }),
      );
      return 'promoted';
    }
    if (existing.status === 'disabled') {
      await db.user.update({ where: { id: existing.id }, data: { status: 'active' } });
    }
    await grantAdmin(db, email, meta);
    return 'promoted';
  }
  if (!password) {
    throw new ValidationError([{ field: 'password', message: 'is required for a new account' }]);
  }
  const problems = passwordProblems(password, 'password');
  if (problems.length > 0) throw new ValidationError(problems);
  const passwordHash = await hashPassword(password);
  await db.$transaction(async (tx) => {
    const user = await tx.user.create({ data: { email, passwordHash } });
    await recordAudit(tx, { type: 'account.signed_up', userId: user.id, ...meta });
    await activateAccount(tx, user, { adminEmail: email, events, meta });
  });
  return 'created';
}
